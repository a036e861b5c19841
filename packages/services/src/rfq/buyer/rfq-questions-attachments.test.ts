import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, test } from "vitest";
import { createPgListener } from "@souk/db";
import { createTestDatabase } from "@souk/testing";
import type { ActorDeps } from "../../deps";
import { domainErrorOf } from "../../identity/test-support";
import { createLocalDiskStorage } from "../../storage/local-disk-storage";
import { operator } from "../../vetting/test-support";
import { publishRfqEvent, RFQ_EVENTS_CHANNEL } from "../live";
import { answerQuestion } from "./answer-question";
import { RFQ_ATTACHMENT_LIMITS } from "./attachments";
import { cancelRfq } from "./cancel-rfq";
import { createRfq } from "./create-rfq";
import { deleteRfqAttachment } from "./delete-rfq-attachment";
import { getBuyerRfq } from "./get-buyer-rfq";
import { publishRfq } from "./publish-rfq";
import { readRfqAttachment } from "./read-rfq-attachment";
import { activeSeller, buyerMember, categoryIdOf, colleague, insertOffer, insertQuestion, lineIdsOf, localIn, noticesOf, rfqForm, rfqRowCounts } from "./test-support";
import { updateRfq } from "./update-rfq";
import { uploadRfqAttachment } from "./upload-rfq-attachment";

const testDb = await createTestDatabase();
const { db } = testDb;
const boxes = await categoryIdOf(db, "packaging-boxes");
const root = await mkdtemp(path.join(tmpdir(), "souk-rfq-attachments-"));
afterAll(() => rm(root, { recursive: true, force: true }));
const storage = createLocalDiskStorage(root);
const withStorage = (deps: ActorDeps) => ({ ...deps, storage });

const PDF = new Uint8Array([...Buffer.from("%PDF-1.7\n"), ...new Uint8Array(200).fill(32)]);
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);

async function storedFiles(): Promise<number> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).length;
}

async function publishedRfq(overrides: Record<string, unknown> = {}) {
  const purchaser = await buyerMember(db);
  const { id } = await createRfq(purchaser, { ...rfqForm(boxes, overrides), intent: "publish" });
  return { purchaser, id };
}

describe("answering sellers' questions", () => {
  test("a private answer tells only the asker; a public one every invited, offering or asking seller (active ones), and nobody else", async () => {
    const invited = await activeSeller(db, { categorySlugs: ["office-paper"] });
    const suspendedInvited = await activeSeller(db, { categorySlugs: ["office-paper"] });
    const { purchaser, id } = await publishedRfq({ invitedSellerIds: [invited.id, suspendedInvited.id] });
    await db.updateTable("organizations").set({ status: "suspended" }).where("id", "=", suspendedInvited.id).execute();
    const asker = await activeSeller(db);
    const otherAsker = await activeSeller(db);
    const offering = await activeSeller(db);
    const bystander = await activeSeller(db);
    const [line] = await lineIdsOf(db, id);
    await insertOffer(db, id, offering.id, { lines: [[line as string, 10, 100]] });
    const q1 = await insertQuestion(db, id, asker.id, "Single wall?");
    const q2 = await insertQuestion(db, id, otherAsker.id, "Printed logo?");

    expect(await answerQuestion(purchaser, { questionId: q1, answer: "  Double wall only.  ", visibility: "private" })).toEqual({ id: q1, visibility: "private" });
    expect(await noticesOf(db, asker.id, "rfq.answered")).toHaveLength(2);
    for (const s of [invited, otherAsker, offering, bystander]) expect(await noticesOf(db, s.id, "rfq.answered")).toEqual([]);
    const row = await db.selectFrom("rfq_questions").selectAll().where("id", "=", q1).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ answer: "Double wall only.", answer_visibility: "private", answered_by: purchaser.actor.userId });

    await answerQuestion(purchaser, { questionId: q2, answer: "Yes, one colour.", visibility: "public" });
    for (const s of [invited, otherAsker, offering]) {
      const notices = await noticesOf(db, s.id, "rfq.answered");
      expect(notices).toHaveLength(2);
      expect(notices[0]?.body).toContain("Yes, one colour.");
      expect(notices[0]?.body).toContain("Printed logo?");
    }
    expect(await noticesOf(db, asker.id, "rfq.answered")).toHaveLength(4);
    expect(await noticesOf(db, bystander.id, "rfq.answered")).toEqual([]);
    expect(await noticesOf(db, suspendedInvited.id, "rfq.answered")).toEqual([]);

    const view = await getBuyerRfq(purchaser, { rfqId: id });
    expect(view.questions.map((q) => [q.question, q.answer, q.answerVisibility])).toEqual([
      ["Single wall?", "Double wall only.", "private"],
      ["Printed logo?", "Yes, one colour.", "public"],
    ]);
  });

  test("refused: a second answer, a blank or unknown visibility, another buyer's question, a closed RFQ; nothing written", async () => {
    const { purchaser, id } = await publishedRfq();
    const s = await activeSeller(db);
    const q = await insertQuestion(db, id, s.id);
    const before = await rfqRowCounts(db);
    expect((await domainErrorOf(answerQuestion(purchaser, { questionId: q, answer: " ", visibility: "secret" }))).fieldErrors).toEqual({
      answer: ["rfq.answer_required"],
      visibility: ["rfq.answer_visibility_invalid"],
    });
    // The question is a form field: another buyer's, an unknown one or no id at all is the same field error.
    for (const [who, questionId] of [[await buyerMember(db), q], [purchaser, randomUUID()], [purchaser, "Q-1"]] as const) {
      expect(await domainErrorOf(answerQuestion(who, { questionId, answer: "Mine", visibility: "public" }))).toMatchObject({ code: "VALIDATION", fieldErrors: { questionId: ["rfq.question_unknown"] } });
    }
    expect((await domainErrorOf(answerQuestion(await colleague(db, purchaser, "viewer"), { questionId: q, answer: "x", visibility: "public" }))).code).toBe("FORBIDDEN");
    expect((await domainErrorOf(answerQuestion(s.deps, { questionId: q, answer: "x", visibility: "public" }))).code).toBe("FORBIDDEN");
    expect(await rfqRowCounts(db)).toEqual(before);
    await answerQuestion(purchaser, { questionId: q, answer: "Once", visibility: "private" });
    expect(await domainErrorOf(answerQuestion(purchaser, { questionId: q, answer: "Twice", visibility: "public" }))).toMatchObject({ code: "CONFLICT", fieldErrors: { _form: ["rfq.question_already_answered"] } });
    const late = await insertQuestion(db, id, s.id, "Late?");
    await db.updateTable("rfqs").set({ status: "closed" }).where("id", "=", id).execute();
    expect(await domainErrorOf(answerQuestion(purchaser, { questionId: late, answer: "x", visibility: "public" }))).toMatchObject({ code: "CONFLICT", fieldErrors: { _form: ["rfq.question_rfq_not_open"] } });
  });
});

describe("an RFQ's attachments", () => {
  test("PDF and images by their bytes, listed on the page, read by the buyer and by sellers who may see the RFQ, removed", async () => {
    const purchaser = await buyerMember(db);
    const { id } = await createRfq(purchaser, rfqForm(boxes));
    const pdf = await uploadRfqAttachment(withStorage(purchaser), { rfqId: id, file: { name: "C:\\specs\\drawing.pdf", type: "image/png", bytes: PDF } });
    const png = await uploadRfqAttachment(withStorage(purchaser), { rfqId: id, file: new File([PNG], "photo.png") });
    expect([pdf, png]).toEqual([
      { id: expect.any(String), originalName: "drawing.pdf", contentType: "application/pdf", sizeBytes: PDF.byteLength },
      { id: expect.any(String), originalName: "photo.png", contentType: "image/png", sizeBytes: PNG.byteLength },
    ]);
    expect((await getBuyerRfq(purchaser, { rfqId: id })).attachments.map((a) => a.id)).toEqual([pdf.id, png.id]);
    expect(await readRfqAttachment(withStorage(purchaser), { rfqId: id, attachmentId: pdf.id })).toEqual({ bytes: PDF, contentType: "application/pdf", fileName: "drawing.pdf" });
    const viewer = await colleague(db, purchaser, "viewer");
    expect((await readRfqAttachment(withStorage(viewer), { rfqId: id, attachmentId: png.id })).fileName).toBe("photo.png");

    // A seller of the category sees nothing of a draft; once published, it may read the files.
    const serving = await activeSeller(db);
    const elsewhere = await activeSeller(db, { categorySlugs: ["it-hardware"] });
    expect((await domainErrorOf(readRfqAttachment(withStorage(serving.deps), { rfqId: id, attachmentId: pdf.id }))).code).toBe("NOT_FOUND");
    await publishRfq(purchaser, { rfqId: id });
    expect((await readRfqAttachment(withStorage(serving.deps), { rfqId: id, attachmentId: pdf.id })).bytes).toEqual(PDF);
    for (const deps of [elsewhere.deps, await buyerMember(db)]) {
      expect((await domainErrorOf(readRfqAttachment(withStorage(deps), { rfqId: id, attachmentId: pdf.id }))).code).toBe("NOT_FOUND");
    }
    expect((await domainErrorOf(readRfqAttachment(withStorage(await operator(db, "admin")), { rfqId: id, attachmentId: pdf.id }))).code).toBe("FORBIDDEN");
    // An attachment of another RFQ through this one's URL.
    const other = await createRfq(purchaser, rfqForm(boxes));
    expect((await domainErrorOf(readRfqAttachment(withStorage(purchaser), { rfqId: other.id, attachmentId: pdf.id }))).code).toBe("NOT_FOUND");

    const files = await storedFiles();
    expect((await domainErrorOf(deleteRfqAttachment(withStorage(await buyerMember(db)), { rfqId: id, attachmentId: pdf.id }))).code).toBe("NOT_FOUND");
    // The file is the delete button's field: one of another RFQ (its own buyer's, through this RFQ's
    // page) is the same field error as an unknown one.
    for (const attachmentId of [pdf.id, "5b7e2a3c-8a4e-4f0b-9d7c-1e2f3a4b5c6d", "nope"]) {
      expect(await domainErrorOf(deleteRfqAttachment(withStorage(purchaser), { rfqId: other.id, attachmentId }))).toMatchObject({ code: "VALIDATION", fieldErrors: { attachmentId: ["attachment.unknown"] } });
    }
    expect(await storedFiles()).toBe(files);
    expect(await deleteRfqAttachment(withStorage(purchaser), { rfqId: id, attachmentId: pdf.id })).toEqual({ id: pdf.id });
    expect(await storedFiles()).toBe(files - 1);
    expect((await domainErrorOf(readRfqAttachment(withStorage(purchaser), { rfqId: id, attachmentId: pdf.id }))).code).toBe("NOT_FOUND");
  });

  test("refused with a field error and nothing stored: no file, empty, too large, not a document, the eleventh; and once a live offer exists", async () => {
    const purchaser = await buyerMember(db);
    const { id } = await createRfq(purchaser, { ...rfqForm(boxes), intent: "publish" });
    const deps = withStorage(purchaser);
    const before = { rows: await rfqRowCounts(db), files: await storedFiles() };
    const big = new Uint8Array(RFQ_ATTACHMENT_LIMITS.maxBytes + 1);
    big.set(PDF.subarray(0, 8));
    const cases: [unknown, string][] = [
      [undefined, "rfqAttachment.required"],
      [{ name: "", bytes: new Uint8Array() }, "rfqAttachment.required"],
      [{ name: "empty.pdf", bytes: new Uint8Array() }, "rfqAttachment.empty"],
      [{ name: "big.pdf", bytes: big }, "rfqAttachment.too_large"],
      [new File([big], "big.pdf"), "rfqAttachment.too_large"],
      [{ name: "evil.pdf", bytes: new Uint8Array([0x4d, 0x5a, 0x90, 0]) }, "rfqAttachment.type_not_allowed"],
    ];
    for (const [file, key] of cases) expect((await domainErrorOf(uploadRfqAttachment(deps, { rfqId: id, file }))).fieldErrors).toEqual({ file: [key] });
    expect({ rows: await rfqRowCounts(db), files: await storedFiles() }).toEqual(before);

    for (let i = 0; i < RFQ_ATTACHMENT_LIMITS.maxPerRfq; i += 1) await uploadRfqAttachment(deps, { rfqId: id, file: { name: `spec-${i}.pdf`, bytes: PDF } });
    const full = { rows: await rfqRowCounts(db), files: await storedFiles() };
    expect((await domainErrorOf(uploadRfqAttachment(deps, { rfqId: id, file: { name: "one-more.pdf", bytes: PDF } }))).fieldErrors).toEqual({ file: ["rfqAttachment.too_many"] });
    expect({ rows: await rfqRowCounts(db), files: await storedFiles() }).toEqual(full);

    const s = await activeSeller(db);
    const [line] = await lineIdsOf(db, id);
    await insertOffer(db, id, s.id, { lines: [[line as string, 1, 100]] });
    const [first] = (await getBuyerRfq(purchaser, { rfqId: id })).attachments;
    const withOffer = { rows: await rfqRowCounts(db), files: await storedFiles() };
    expect(await domainErrorOf(deleteRfqAttachment(deps, { rfqId: id, attachmentId: first?.id }))).toMatchObject({ code: "CONFLICT", fieldErrors: { _form: ["rfq.has_offers"] } });
    expect(await domainErrorOf(uploadRfqAttachment(deps, { rfqId: id, file: { name: "late.pdf", bytes: PDF } }))).toMatchObject({ code: "CONFLICT", fieldErrors: { _form: ["rfq.has_offers"] } });
    expect((await getBuyerRfq(purchaser, { rfqId: id })).can.manageAttachments).toBe(false);
    expect({ rows: await rfqRowCounts(db), files: await storedFiles() }).toEqual(withOffer);
  });
});

describe("live events", () => {
  test("publish, a new deadline, an answer and a cancellation each announce their kind, and nothing else, once committed", async () => {
    const listener = createPgListener({ connectionString: testDb.url });
    const heard: string[] = [];
    listener.subscribe(RFQ_EVENTS_CHANNEL, (payload) => {
      if (payload) heard.push(payload);
    });
    try {
      // The first subscription connects in the background: wait until a NOTIFY comes through.
      for (let i = 0; i < 100 && heard.length === 0; i += 1) {
        await publishRfqEvent(db, "warm-up", "status");
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      heard.length = 0;
      const purchaser = await buyerMember(db);
      const { id } = await createRfq(purchaser, rfqForm(boxes));
      await publishRfq(purchaser, { rfqId: id });
      await updateRfq(purchaser, { ...rfqForm(boxes, { deadline: localIn(5 * 24 * 60) }), rfqId: id });
      const s = await activeSeller(db);
      await answerQuestion(purchaser, { questionId: await insertQuestion(db, id, s.id), answer: "Yes", visibility: "public" });
      // A refused change announces nothing.
      await domainErrorOf(cancelRfq(purchaser, { rfqId: id, reason: "" }));
      await cancelRfq(purchaser, { rfqId: id, reason: "Done" });
      for (let i = 0; i < 100 && heard.length < 4; i += 1) await new Promise((resolve) => setTimeout(resolve, 25));
      expect(heard.map((p) => JSON.parse(p) as unknown)).toEqual([
        { rfqId: id, kind: "status" },
        { rfqId: id, kind: "deadline" },
        { rfqId: id, kind: "answer" },
        { rfqId: id, kind: "status" },
      ]);
    } finally {
      await listener.close();
    }
  });
});
