import { describe, expect, test } from "vitest";
import { createTestDatabase } from "@souk/testing";
import { domainErrorOf } from "../../identity/test-support";
import { categoryIdOf, rfqForm } from "../buyer/test-support";
import { updateRfq } from "../buyer/update-rfq";
import { closeRfq } from "./close-rfq";
import { exportOfferReceipts } from "./export-offer-receipts";
import { getSellerRfq } from "./get-seller-rfq";
import { writeOfferAlone } from "./offer-batch";
import { receiptHash, verifyRfqChain } from "./receipts";
import { prepareOfferJob, saveOffer } from "./save-offer";
import { buyerOrg, insertRfq, offerForm, offerSnapshot, rfqSeller, setDeadline } from "./test-support";
import { withdrawOffer } from "./withdraw-offer";

const { db } = await createTestDatabase();

interface ExportedReceipt {
  sequence?: number;
  previousHash?: string | null;
  hash: string;
  content: string;
  recordedAt: string;
  revision: number;
  kind: string;
}
interface Exported {
  receipts: ExportedReceipt[];
  chain: { head: string; length: number; verifiedAt: string | null } | null;
}

const keysOf = (value: object) => Object.keys(value).sort();

describe("a seller's receipts tell it nothing of its competitors while the RFQ is open", () => {
  test("no sequence, previous hash nor chain length in what it writes, reads or exports; all of it, verifiable, once closed", async () => {
    const buyer = await buyerOrg(db);
    const me = await rfqSeller(db);
    const rival = await rfqSeller(db);
    const rfq = await insertRfq(db, buyer.id, { sealing: "sealed" });

    const saved = await saveOffer(me.sales, offerForm(rfq, {}, "1.25"));
    // The competitor writes three times between my receipts.
    const rivalHashes: string[] = [];
    for (const price of ["1.30", "1.20", "1.10"]) rivalHashes.push((await saveOffer(rival.sales, offerForm(rfq, {}, price))).receipt.hash);
    const revised = await saveOffer(me.sales, offerForm(rfq, {}, "1.15"));
    const withdrawn = await withdrawOffer(me.sales, { rfqId: rfq.id });

    for (const receipt of [saved.receipt, revised.receipt, withdrawn.receipt]) expect(keysOf(receipt)).toEqual(["hash", "recordedAt", "revision"]);
    expect([saved.receipt.revision, revised.receipt.revision, withdrawn.receipt.revision]).toEqual([1, 2, 2]);

    const view = await getSellerRfq(me.sales, { rfqId: rfq.id });
    expect(view.receipts.map((r) => [r.kind, r.revision])).toEqual([
      ["withdrawn", 2],
      ["revised", 2],
      ["submitted", 1],
    ]);
    const viewJson = JSON.stringify(view);
    expect(viewJson).not.toMatch(/"sequence"|"previousHash"|"length"/);
    expect(view.chain).toBeNull();
    // My revision's previous hash is the competitor's last receipt: nowhere in my view.
    for (const hash of rivalHashes) expect(viewJson).not.toContain(hash);

    const openExport = (await exportOfferReceipts(me.sales, { rfqId: rfq.id })).json;
    const openDoc = JSON.parse(openExport) as Exported;
    expect(openDoc.chain).toBeNull();
    for (const r of openDoc.receipts) expect(keysOf(r)).toEqual(["content", "hash", "kind", "recordedAt", "revision"]);
    for (const hash of rivalHashes) expect(openExport).not.toContain(hash);

    await setDeadline(db, rfq.id, -1);
    await closeRfq({ db, publicUrls: me.sales.publicUrls }, { rfqId: rfq.id });

    const closedDoc = JSON.parse((await exportOfferReceipts(me.sales, { rfqId: rfq.id })).json) as Exported;
    const chain = await verifyRfqChain(db, rfq.id);
    expect(chain).toMatchObject({ ok: true, length: 6 });
    expect(closedDoc.chain).toMatchObject({ head: chain.head, length: 6 });
    expect(closedDoc.chain?.verifiedAt).not.toBeNull();
    expect(closedDoc.receipts.map((r) => r.sequence)).toEqual([1, 5, 6]);
    // Each recomputes from what the export holds; the revision chains to the competitor's last receipt.
    for (const r of closedDoc.receipts) expect(receiptHash(r.previousHash ?? null, r.content, new Date(r.recordedAt))).toBe(r.hash);
    expect(closedDoc.receipts[0]?.previousHash).toBeNull();
    expect(closedDoc.receipts[1]?.previousHash).toBe(rivalHashes[2]);
    expect(closedDoc.receipts[2]?.previousHash).toBe(closedDoc.receipts[1]?.hash);
    expect(closedDoc.receipts[2]?.hash).toBe(closedDoc.chain?.head);

    const closedView = await getSellerRfq(me.sales, { rfqId: rfq.id });
    expect(closedView.receipts.map((r) => [r.sequence, r.previousHash])).toEqual([
      [6, closedDoc.receipts[1]?.hash],
      [5, rivalHashes[2]],
      [1, null],
    ]);
    expect(closedView.chain).toMatchObject({ head: chain.head, length: 6 });
  });
});

describe("offer writes and the RFQ", () => {
  test("offers, revisions and withdrawals leave rfqs.updated_at (the buyer's edit time) as it was", async () => {
    const buyer = await buyerOrg(db);
    const [a, b] = [await rfqSeller(db), await rfqSeller(db)];
    const rfq = await insertRfq(db, buyer.id, { antiSniping: { windowMinutes: 10, maxExtensions: 2 }, deadlineInMs: 5 * 60_000 });
    const updatedAt = async () => (await db.selectFrom("rfqs").select("updated_at").where("id", "=", rfq.id).executeTakeFirstOrThrow()).updated_at.getTime();
    const before = await updatedAt();
    await saveOffer(a.sales, offerForm(rfq, {}, "1.25"));
    await Promise.all([saveOffer(a.sales, offerForm(rfq, {}, "1.20")), saveOffer(b.sales, offerForm(rfq, {}, "1.30"))]);
    await withdrawOffer(b.sales, { rfqId: rfq.id });
    const row = await db.selectFrom("rfqs").select(["chain_length", "extensions"]).where("id", "=", rfq.id).executeTakeFirstOrThrow();
    expect(row.chain_length).toBe(4);
    // Even the anti-sniping extension (a change of the deadline) is not the buyer's edit.
    expect(row.extensions).toBeGreaterThan(0);
    expect(await updatedAt()).toBe(before);
  });

  test("an old receipt keeps the currency it was made in after the buyer changes the RFQ's", async () => {
    const buyer = await buyerOrg(db);
    const s = await rfqSeller(db);
    const rfq = await insertRfq(db, buyer.id, { currency: "EUR" });
    await saveOffer(s.sales, offerForm(rfq, {}, "1.25"));
    await withdrawOffer(s.sales, { rfqId: rfq.id });
    // Only withdrawn offers: the buyer may still edit it.
    await updateRfq(buyer.purchaser, { ...rfqForm(await categoryIdOf(db), { currency: "USD" }), rfqId: rfq.id });

    const view = await getSellerRfq(s.sales, { rfqId: rfq.id });
    expect(view.rfq.currency).toBe("USD");
    expect(view.receipts).toHaveLength(2);
    for (const r of view.receipts) {
      expect(r.total.currency).toBe("EUR");
      for (const l of r.lines) expect(l.unitPrice.currency).toBe("EUR");
    }
  });

  test("an offer prepared before the buyer changed the RFQ is refused (offer.rfq_changed), nothing written; read again, it goes through", async () => {
    const buyer = await buyerOrg(db);
    const s = await rfqSeller(db);
    const other = await rfqSeller(db);
    const rfq = await insertRfq(db, buyer.id, { currency: "EUR", sealing: "sealed" });
    await saveOffer(other.sales, offerForm(rfq, {}, "1.25"));
    await withdrawOffer(other.sales, { rfqId: rfq.id });

    // Read and checked against the EUR, sealed RFQ; the buyer then switches it to USD, open bidding.
    const job = await prepareOfferJob(s.sales, offerForm(rfq, {}, "1.10"));
    await updateRfq(buyer.purchaser, { ...rfqForm(await categoryIdOf(db), { currency: "USD", sealing: "open" }), rfqId: rfq.id });
    const before = await offerSnapshot(db);
    const error = await domainErrorOf(writeOfferAlone(db, job));
    expect([error.code, error.message, error.fieldErrors]).toEqual(["CONFLICT", "offer.rfq_changed", { offer: ["offer.rfq_changed"] }]);
    expect(await offerSnapshot(db)).toEqual(before);

    const again = await saveOffer(s.sales, offerForm(rfq, {}, "1.10"));
    expect(again.status).toBe("submitted");
    const row = await db.selectFrom("offers").select("currency").where("id", "=", again.offerId).executeTakeFirstOrThrow();
    expect(row.currency).toBe("USD");
  });
});
