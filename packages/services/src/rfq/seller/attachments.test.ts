import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { createTestDatabase } from "@souk/testing";
import type { ActorDeps } from "../../deps";
import type { DocumentStorage } from "../../storage/document-storage";
import { domainErrorOf } from "../../identity/test-support";
import { createLocalDiskStorage } from "../../storage/local-disk-storage";
import { closeRfq } from "./close-rfq";
import { deleteOfferAttachment } from "./delete-offer-attachment";
import { getSellerRfq } from "./get-seller-rfq";
import { readOfferAttachment } from "./read-offer-attachment";
import { saveOffer } from "./save-offer";
import { buyerOrg, insertRfq, offerForm, offerSnapshot, rfqSeller, setDeadline } from "./test-support";
import { uploadOfferAttachment } from "./upload-offer-attachment";
import { withdrawOffer } from "./withdraw-offer";

const { db } = await createTestDatabase();
const storageDir = await mkdtemp(path.join(tmpdir(), "souk-offer-files-"));
const storage = createLocalDiskStorage(storageDir);
afterAll(() => rm(storageDir, { recursive: true, force: true }));

const withStorage = (deps: ActorDeps) => ({ ...deps, storage });
const pdf = (size = 64) => {
  const bytes = new Uint8Array(size).fill(0x20);
  bytes.set(new TextEncoder().encode("%PDF-1.7\n"));
  return bytes;
};

async function storedFiles(): Promise<number> {
  const walk = async (dir: string): Promise<number> => {
    let n = 0;
    for (const entry of await readdir(dir, { withFileTypes: true })) n += entry.isDirectory() ? await walk(path.join(dir, entry.name)) : 1;
    return n;
  };
  return walk(storageDir);
}

describe("offer attachments", () => {
  test("upload to the live offer, read back by its seller, removed; the rules refuse with field errors and store nothing", async () => {
    const buyer = await buyerOrg(db);
    const s = await rfqSeller(db);
    const rfq = await insertRfq(db, buyer.id);
    const seller = withStorage(s.sales);

    // No offer yet: nothing to attach to.
    expect((await domainErrorOf(uploadOfferAttachment(seller, { rfqId: rfq.id, file: { name: "spec.pdf", bytes: pdf() } }))).fieldErrors).toEqual({ file: ["offerAttachment.no_offer"] });
    await saveOffer(s.sales, offerForm(rfq));

    const uploaded = await uploadOfferAttachment(seller, { rfqId: rfq.id, file: new File([pdf()], "../../etc/spec\u0000sheet.pdf", { type: "text/html" }) });
    expect(uploaded).toMatchObject({ name: "specsheet.pdf", contentType: "application/pdf", sizeBytes: 64 });
    const read = await readOfferAttachment(seller, { rfqId: rfq.id, attachmentId: uploaded.id });
    expect(read).toMatchObject({ name: "specsheet.pdf", contentType: "application/pdf" });
    expect(read.bytes).toEqual(pdf());
    expect((await getSellerRfq(s.sales, { rfqId: rfq.id })).offer?.attachments).toEqual([uploaded]);

    const before = await offerSnapshot(db);
    const filesBefore = await storedFiles();
    const refusals: [unknown, string][] = [
      [{ name: "big.pdf", bytes: pdf(10 * 1024 * 1024 + 1) }, "offerAttachment.too_large"],
      [new File([pdf(10 * 1024 * 1024 + 1)], "big.pdf"), "offerAttachment.too_large"],
      [{ name: "run.exe", bytes: new TextEncoder().encode("MZ\x90\x00 not a pdf") }, "offerAttachment.type_not_allowed"],
      [{ name: "empty.pdf", bytes: new Uint8Array() }, "offerAttachment.empty"],
      [{ name: "", bytes: new Uint8Array() }, "offerAttachment.required"],
      ["not a file", "offerAttachment.required"],
    ];
    for (const [file, key] of refusals) {
      const error = await domainErrorOf(uploadOfferAttachment(seller, { rfqId: rfq.id, file }));
      expect([error.code, error.fieldErrors]).toEqual(["VALIDATION", { file: [key] }]);
    }
    // Five at most.
    for (let i = 0; i < 4; i += 1) await uploadOfferAttachment(seller, { rfqId: rfq.id, file: { name: `p${i}.pdf`, bytes: pdf() } });
    expect((await domainErrorOf(uploadOfferAttachment(seller, { rfqId: rfq.id, file: { name: "sixth.pdf", bytes: pdf() } }))).fieldErrors).toEqual({ file: ["offerAttachment.too_many"] });
    expect((await offerSnapshot(db)).counts.offer_attachments).toBe(before.counts.offer_attachments + 4);
    expect(await storedFiles()).toBe(filesBefore + 4);

    await deleteOfferAttachment(seller, { rfqId: rfq.id, attachmentId: uploaded.id });
    expect((await domainErrorOf(readOfferAttachment(seller, { rfqId: rfq.id, attachmentId: uploaded.id }))).code).toBe("NOT_FOUND");
    expect(await storedFiles()).toBe(filesBefore + 3);
    // The file is the delete button's field: one already removed, another seller's or an unknown one
    // is the same field error, and nothing else goes.
    const rival = await rfqSeller(db);
    await saveOffer(rival.sales, offerForm(rfq));
    const theirs = await uploadOfferAttachment(withStorage(rival.sales), { rfqId: rfq.id, file: { name: "theirs.pdf", bytes: pdf() } });
    for (const attachmentId of [uploaded.id, theirs.id, "5b7e2a3c-8a4e-4f0b-9d7c-1e2f3a4b5c6d", "nope"]) {
      expect(await domainErrorOf(deleteOfferAttachment(seller, { rfqId: rfq.id, attachmentId }))).toMatchObject({ code: "VALIDATION", fieldErrors: { attachmentId: ["attachment.unknown"] } });
    }
    expect(await storedFiles()).toBe(filesBefore + 4);

    // Withdrawn: no change to the files until it is submitted again; after the deadline, none at all.
    await withdrawOffer(s.sales, { rfqId: rfq.id });
    expect((await domainErrorOf(uploadOfferAttachment(seller, { rfqId: rfq.id, file: { name: "x.pdf", bytes: pdf() } }))).fieldErrors).toEqual({ file: ["offerAttachment.no_offer"] });
    await saveOffer(s.sales, offerForm(rfq));
    const kept = (await getSellerRfq(s.sales, { rfqId: rfq.id })).offer?.attachments ?? [];
    expect(kept).toHaveLength(4);
    await setDeadline(db, rfq.id, -1);
    expect((await domainErrorOf(uploadOfferAttachment(seller, { rfqId: rfq.id, file: { name: "late.pdf", bytes: pdf() } }))).fieldErrors).toEqual({ offer: ["offer.deadline_passed"] });
    expect((await domainErrorOf(deleteOfferAttachment(seller, { rfqId: rfq.id, attachmentId: kept[0]!.id }))).fieldErrors).toEqual({ offer: ["offer.deadline_passed"] });
  });

  test("a slow upload does not hold the RFQ: another seller's offer goes through while the file is being stored", async () => {
    const buyer = await buyerOrg(db);
    const s = await rfqSeller(db);
    const rival = await rfqSeller(db);
    const rfq = await insertRfq(db, buyer.id);
    await saveOffer(s.sales, offerForm(rfq));

    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let writing: () => void = () => undefined;
    const started = new Promise<void>((resolve) => (writing = resolve));
    const slow: DocumentStorage = {
      get: (key) => storage.get(key),
      delete: (key) => storage.delete(key),
      put: async (key, bytes) => {
        writing();
        await gate;
        return storage.put(key, bytes);
      },
    };
    const upload = uploadOfferAttachment({ ...s.sales, storage: slow }, { rfqId: rfq.id, file: { name: "big.pdf", bytes: pdf() } });
    try {
      await started;
      const offered = saveOffer(rival.sales, offerForm(rfq, {}, "1.10")).then(() => "saved");
      const timeout = new Promise((resolve) => setTimeout(() => resolve("waiting on the RFQ's lock"), 3_000));
      expect(await Promise.race([offered, timeout])).toBe("saved");
    } finally {
      release();
    }
    expect(await upload).toMatchObject({ name: "big.pdf", sizeBytes: 64 });
  });

  test("a file the storage fails to delete after the row is gone is not an error", async () => {
    const buyer = await buyerOrg(db);
    const s = await rfqSeller(db);
    const rfq = await insertRfq(db, buyer.id);
    await saveOffer(s.sales, offerForm(rfq));
    const uploaded = await uploadOfferAttachment(withStorage(s.sales), { rfqId: rfq.id, file: { name: "spec.pdf", bytes: pdf() } });
    const failing: DocumentStorage = { put: (key, bytes) => storage.put(key, bytes), get: (key) => storage.get(key), delete: () => Promise.reject(new Error("storage unavailable")) };
    expect(await deleteOfferAttachment({ ...s.sales, storage: failing }, { rfqId: rfq.id, attachmentId: uploaded.id })).toEqual({ attachmentId: uploaded.id });
    expect((await domainErrorOf(readOfferAttachment(withStorage(s.sales), { rfqId: rfq.id, attachmentId: uploaded.id }))).code).toBe("NOT_FOUND");
  });

  test("who reads an offer's file: its seller; the buyer of a sealed RFQ only after the close; nobody else", async () => {
    const buyer = await buyerOrg(db);
    const otherBuyer = await buyerOrg(db);
    const s = await rfqSeller(db);
    const rival = await rfqSeller(db);
    const sealed = await insertRfq(db, buyer.id, { sealing: "sealed" });
    const open = await insertRfq(db, buyer.id, { sealing: "open" });
    await saveOffer(s.sales, offerForm(sealed));
    await saveOffer(s.sales, offerForm(open));
    await saveOffer(rival.sales, offerForm(sealed));
    const onSealed = await uploadOfferAttachment(withStorage(s.sales), { rfqId: sealed.id, file: { name: "quote.pdf", bytes: pdf() } });
    const onOpen = await uploadOfferAttachment(withStorage(s.sales), { rfqId: open.id, file: { name: "quote.pdf", bytes: pdf() } });

    const code = async (deps: ActorDeps, rfqId: string, attachmentId: string) =>
      readOfferAttachment(withStorage(deps), { rfqId, attachmentId }).then(
        () => "ok",
        (e: { code?: string }) => e.code,
      );
    // Another seller, by id in the URL; another buyer; the right buyer on the wrong RFQ.
    expect(await code(rival.sales, sealed.id, onSealed.id)).toBe("NOT_FOUND");
    expect(await code(otherBuyer.admin, sealed.id, onSealed.id)).toBe("NOT_FOUND");
    expect(await code(buyer.admin, open.id, onSealed.id)).toBe("NOT_FOUND");
    // Sealed, before the close: not even the buyer.
    expect(await code(buyer.admin, sealed.id, onSealed.id)).toBe("NOT_FOUND");
    // Open bidding: the buyer sees the offers, and their files, as they come.
    expect(await code(buyer.viewer, open.id, onOpen.id)).toBe("ok");
    await setDeadline(db, sealed.id, -1);
    await closeRfq({ db, publicUrls: s.sales.publicUrls }, { rfqId: sealed.id });
    expect(await code(buyer.admin, sealed.id, onSealed.id)).toBe("ok");
    expect(await code(rival.sales, sealed.id, onSealed.id)).toBe("NOT_FOUND");
    expect(await code(s.fulfilment, sealed.id, onSealed.id)).toBe("ok");
  });
});
