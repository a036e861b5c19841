import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "kysely";
import { afterAll, describe, expect, test } from "vitest";
import { createTestDatabase } from "@souk/testing";
import type { ActorDeps } from "../deps";
import { TEST_URLS, domainErrorOf } from "../identity/test-support";
import { activeSeller, buyer, closedRfq, type BuyerFixture, type SellerWithMembers } from "../approvals/test-support";
import { placedOrder } from "../orders/test-support";
import { operator } from "../vetting/test-support";
import { createLocalDiskStorage } from "../storage/local-disk-storage";
import { countUnreadMessages } from "./count-unread-messages";
import { getConversation } from "./get-conversation";
import { listConversations } from "./list-conversations";
import { getModeratedConversation, listModeratedConversations } from "./moderated-conversations";
import { postConversationMessage } from "./post-conversation-message";
import { readConversationAttachment } from "./read-conversation-attachment";
import { reportConversation } from "./report-conversation";
import { sendConversationDigest } from "./send-conversation-digest";
import { prepareConversation, startConversation } from "./start-conversation";

const { db } = await createTestDatabase();
const storageDir = await mkdtemp(path.join(tmpdir(), "souk-conversations-"));
const storage = createLocalDiskStorage(storageDir);
afterAll(() => rm(storageDir, { recursive: true, force: true }));
const system = { db, publicUrls: TEST_URLS };
const s = (deps: ActorDeps) => ({ ...deps, storage });
const pdf = () => {
  const bytes = new Uint8Array(64).fill(0x20);
  bytes.set(new TextEncoder().encode("%PDF-1.7\n"));
  return { name: "spec.pdf", type: "application/pdf", bytes };
};

async function storedFiles(): Promise<number> {
  const walk = async (dir: string): Promise<number> => {
    let n = 0;
    for (const entry of await readdir(dir, { withFileTypes: true })) n += entry.isDirectory() ? await walk(path.join(dir, entry.name)) : 1;
    return n;
  };
  return walk(storageDir);
}

const TABLES = ["conversations", "conversation_messages", "conversation_attachments", "conversation_reports", "conversation_digest_pending", "outbox", "audit_log"] as const;
async function counts(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of TABLES) out[table] = Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<string>().as("n")).executeTakeFirstOrThrow()).n);
  out.files = await storedFiles();
  return out;
}

/** Refused with `code`, and nothing written (no row, no file). */
async function refused(call: () => Promise<unknown>, code: string) {
  const before = await counts();
  const error = await domainErrorOf(call());
  expect(error.code).toBe(code);
  expect(await counts()).toEqual(before);
  return error;
}

let skus = 0;
async function listing(sellerId: string, visibility: "everyone" | "groups" = "everyone", status: "published" | "draft" = "published"): Promise<string> {
  skus += 1;
  const category = await db.selectFrom("categories").select("id").where("slug", "=", "packaging-boxes").executeTakeFirstOrThrow();
  const row = await db
    .insertInto("listings")
    .values({ seller_id: sellerId, sku: `CONV-${skus}`, title: `Box ${skus}`, category_id: category.id, unit: "box", currency: "EUR", list_price_minor: "1000", stock: 10, status, visibility, attributes: "{}", updated_at: sql<Date>`now()` })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

interface World {
  b: BuyerFixture;
  sl: SellerWithMembers;
  orderId: string;
  conversationId: string;
}

/** A buyer and a seller with an order and the order's thread (the buyer wrote first). */
async function world(): Promise<World> {
  const b = await buyer(db);
  const sl = await activeSeller(db);
  const order = await placedOrder(db, b.id, sl.id);
  const started = await startConversation(s(b.purchaser), { subjectKind: "order", subjectId: order.id, body: "When will it ship?" });
  return { b, sl, orderId: order.id, conversationId: started.conversationId };
}

describe("starting threads", () => {
  test("on an order, either party; one thread per buyer, seller and subject, also when both start at once", async () => {
    const b = await buyer(db);
    const sl = await activeSeller(db);
    const order = await placedOrder(db, b.id, sl.id);
    const [one, two] = await Promise.all([
      startConversation(s(b.purchaser), { subjectKind: "order", subjectId: order.id, body: "Hello" }),
      startConversation(s(sl.sales), { subjectKind: "order", subjectId: order.id, body: "Hi" }),
    ]);
    expect(one.conversationId).toBe(two.conversationId);
    expect([one.created, two.created].sort()).toEqual([false, true]);
    const view = await getConversation(b.admin, { conversationId: one.conversationId });
    expect(view.messages.map((m) => m.side).sort()).toEqual(["buyer", "seller"]);
    expect(view.subject).toMatchObject({ kind: "order", id: order.id, label: expect.stringMatching(/^ORD-\d{6}$/) });
    expect(await prepareConversation(sl.owner, { subjectKind: "order", subjectId: order.id })).toMatchObject({ conversationId: one.conversationId, subject: { buyerId: b.id, sellerId: sl.id } });
  });

  test("on a listing: only a buyer that may see it; a seller cannot start one", async () => {
    const b = await buyer(db);
    const sl = await activeSeller(db);
    const visible = await listing(sl.id);
    const hidden = await listing(sl.id, "groups");
    const draft = await listing(sl.id, "everyone", "draft");
    const started = await startConversation(s(b.purchaser), { subjectKind: "listing", subjectId: visible, body: "Is it in stock?" });
    expect((await getConversation(sl.sales, { conversationId: started.conversationId })).subject.label).toMatch(/^Box \d+ \(SKU CONV-\d+\)$/);
    await refused(() => startConversation(s(b.purchaser), { subjectKind: "listing", subjectId: hidden, body: "x" }), "NOT_FOUND");
    await refused(() => startConversation(s(b.purchaser), { subjectKind: "listing", subjectId: draft, body: "x" }), "NOT_FOUND");
    await refused(() => startConversation(s(sl.owner), { subjectKind: "listing", subjectId: visible, body: "x" }), "NOT_FOUND");
  });

  test("on an RFQ: the buyer with an invited seller, or one that offered after the deadline; a seller that may see it; never an open sealed offer's seller", async () => {
    const b = await buyer(db);
    const offering = await activeSeller(db);
    const stranger = await activeSeller(db);
    const closed = await closedRfq(db, b.id, { lines: [10], offers: [{ sellerId: offering.id, lines: [{ quantity: 10, unitPriceMinor: 100 }] }] });
    const open = await closedRfq(db, b.id, { status: "open", lines: [10], offers: [{ sellerId: offering.id, lines: [{ quantity: 10, unitPriceMinor: 100 }] }] });
    await db.updateTable("rfqs").set({ visibility: "invited" }).where("id", "in", [closed.id, open.id]).execute();

    const started = await startConversation(s(b.purchaser), { subjectKind: "rfq", subjectId: closed.id, sellerId: offering.id, body: "Can you do better on line 1?" });
    expect((await getConversation(offering.sales, { conversationId: started.conversationId })).subject.label).toContain(closed.title);
    // Open and sealed: that the seller offered must not show through a thread.
    await refused(() => startConversation(s(b.purchaser), { subjectKind: "rfq", subjectId: open.id, sellerId: offering.id, body: "x" }), "NOT_FOUND");
    await refused(() => startConversation(s(b.purchaser), { subjectKind: "rfq", subjectId: closed.id, sellerId: stranger.id, body: "x" }), "NOT_FOUND");
    await refused(() => startConversation(s(b.purchaser), { subjectKind: "rfq", subjectId: closed.id, body: "x" }), "NOT_FOUND");
    // An invited seller, while the RFQ runs.
    await db.insertInto("rfq_invitations").values({ rfq_id: open.id, seller_id: stranger.id }).execute();
    await startConversation(s(b.purchaser), { subjectKind: "rfq", subjectId: open.id, sellerId: stranger.id, body: "Please do answer." });
    // The seller side: an RFQ it may see, with its buyer; not another's.
    const seen = await startConversation(s(stranger.sales), { subjectKind: "rfq", subjectId: open.id, body: "Question on delivery." });
    expect((await getConversation(b.viewer, { conversationId: seen.conversationId })).seller.id).toBe(stranger.id);
    const elsewhere = await closedRfq(db, (await buyer(db)).id, { lines: [5], offers: [] });
    await db.updateTable("rfqs").set({ visibility: "invited" }).where("id", "=", elsewhere.id).execute();
    await refused(() => startConversation(s(stranger.sales), { subjectKind: "rfq", subjectId: elsewhere.id, body: "x" }), "NOT_FOUND");
  });

  test("on an RFQ past its deadline: only with a seller whose offer counts (not withdrawn, in the final comparison); a withdrawn one reads like none", async () => {
    const b = await buyer(db);
    const [counted, withdrew, never, excluded] = [await activeSeller(db), await activeSeller(db), await activeSeller(db), await activeSeller(db)];
    const line = [{ quantity: 10, unitPriceMinor: 100 }];
    const rfq = await closedRfq(db, b.id, {
      lines: [10],
      offers: [
        { sellerId: counted.id, lines: line },
        { sellerId: withdrew.id, status: "withdrawn", lines: line },
        { sellerId: excluded.id, lines: line },
      ],
    });
    await db.updateTable("rfqs").set({ visibility: "invited", sealing: "sealed" }).where("id", "=", rfq.id).execute();
    const start = (sellerId: string) => startConversation(s(b.purchaser), { subjectKind: "rfq", subjectId: rfq.id, sellerId, body: "About your offer." });
    const withdrawn = await refused(() => start(withdrew.id), "NOT_FOUND");
    const none = await refused(() => start(never.id), "NOT_FOUND");
    expect({ ...withdrawn }).toEqual({ ...none });
    expect(withdrawn.message).toBe(none.message);
    // After a best-and-final round only the shortlist's offers are compared: the others are out.
    await db.insertInto("rfq_final_sellers").values({ rfq_id: rfq.id, seller_id: counted.id }).execute();
    await refused(() => start(excluded.id), "NOT_FOUND");
    await start(counted.id);
  });

  test("bad input: empty or too long body, unknown subject kind, malformed ids, a file that is not a document", async () => {
    const { b, conversationId } = await world();
    expect((await refused(() => postConversationMessage(s(b.purchaser), { conversationId, body: "  " }), "VALIDATION")).fieldErrors).toEqual({ body: ["conversation.body_required"] });
    expect((await refused(() => postConversationMessage(s(b.purchaser), { conversationId, body: "x".repeat(5001) }), "VALIDATION")).fieldErrors).toEqual({ body: ["conversation.body_too_long"] });
    const exe = { name: "run.exe", bytes: new Uint8Array([0x4d, 0x5a, 1, 2, 3]) };
    expect((await refused(() => postConversationMessage(s(b.purchaser), { conversationId, body: "see file", file: exe }), "VALIDATION")).fieldErrors).toEqual({ file: ["conversationAttachment.type_not_allowed"] });
    await refused(() => startConversation(s(b.purchaser), { subjectKind: "invoice", subjectId: conversationId, body: "x" }), "NOT_FOUND");
    await refused(() => postConversationMessage(s(b.purchaser), { conversationId: "not-a-uuid", body: "x" }), "NOT_FOUND");
    // A form without a chosen file carries an empty nameless part: a message without a file.
    const posted = await postConversationMessage(s(b.purchaser), { conversationId, body: "no file", file: new Blob([]) });
    expect(posted.attachmentId).toBeNull();
  });
});

describe("a third organisation", () => {
  test("cannot read, post or download, by URL or by form tampering; nothing is written", async () => {
    const { b, sl, orderId, conversationId } = await world();
    const posted = await postConversationMessage(s(sl.sales), { conversationId, body: "Drawing attached", file: pdf() });
    const attachmentId = posted.attachmentId!;
    expect((await readConversationAttachment(s(b.viewer), { conversationId, attachmentId })).fileName).toBe("spec.pdf");

    const otherBuyer = await buyer(db);
    const otherSeller = await activeSeller(db);
    for (const intruder of [otherBuyer.admin, otherBuyer.purchaser, otherSeller.owner, otherSeller.sales]) {
      await refused(() => getConversation(intruder, { conversationId }), "NOT_FOUND");
      await refused(() => postConversationMessage(s(intruder), { conversationId, body: "Hello there" }), "NOT_FOUND");
      await refused(() => postConversationMessage(s(intruder), { conversationId, body: "With a file", file: pdf() }), "NOT_FOUND");
      await refused(() => readConversationAttachment(s(intruder), { conversationId, attachmentId }), "NOT_FOUND");
      await refused(() => reportConversation(intruder, { conversationId, reason: "spam" }), "NOT_FOUND");
      // Another organisation's order as the subject of a new thread.
      await refused(() => startConversation(s(intruder), { subjectKind: "order", subjectId: orderId, body: "x", sellerId: sl.id }), "NOT_FOUND");
      expect((await listConversations(intruder)).items.map((c) => c.id)).not.toContain(conversationId);
      expect(await countUnreadMessages(intruder)).toBe(0);
    }
    // Its own thread's id with the file of this one.
    const own = await world();
    await refused(() => readConversationAttachment(s(own.b.purchaser), { conversationId: own.conversationId, attachmentId }), "NOT_FOUND");
    // Operators do not use the participants' pages; a viewer reads but does not post.
    const admin = await operator(db, "admin");
    await refused(() => getConversation(admin, { conversationId }), "FORBIDDEN");
    await refused(() => postConversationMessage(s(b.viewer), { conversationId, body: "x" }), "FORBIDDEN");
    // The thread is untouched.
    expect((await getConversation(b.admin, { conversationId })).messages.map((m) => m.body)).toEqual(["When will it ship?", "Drawing attached"]);
  });
});

describe("unread counts", () => {
  test("per user: the other side's messages after the user's read mark; one's own side never counts", async () => {
    const { b, sl, conversationId } = await world();
    expect(await countUnreadMessages(sl.owner)).toBe(1);
    expect(await countUnreadMessages(b.purchaser)).toBe(0);
    expect(await countUnreadMessages(b.admin)).toBe(0);
    for (const body of ["one", "two", "three"]) await postConversationMessage(s(sl.sales), { conversationId, body });
    expect(await countUnreadMessages(b.purchaser)).toBe(3);
    expect(await countUnreadMessages(b.admin)).toBe(3);
    // The seller's sales member wrote: it has read everything up to its own message.
    expect(await countUnreadMessages(sl.sales)).toBe(0);
    expect(await countUnreadMessages(sl.owner)).toBe(1);

    await getConversation(b.purchaser, { conversationId });
    expect(await countUnreadMessages(b.purchaser)).toBe(0);
    expect(await countUnreadMessages(b.admin)).toBe(3);
    const list = await listConversations(b.admin);
    expect(list.items.find((c) => c.id === conversationId)).toMatchObject({ unread: 3, counterparty: { id: sl.id, name: sl.name } });
    expect(list.unreadTotal).toBe(3);
    await postConversationMessage(s(sl.sales), { conversationId, body: "four" });
    expect(await countUnreadMessages(b.purchaser)).toBe(1);
  });
});

async function emails(organizationId: string) {
  return db.selectFrom("outbox").select(["payload"]).where("topic", "=", "notification.email").where(sql<boolean>`payload->>'template' = 'conversation.digest'`).where(sql<boolean>`payload->>'organizationId' = ${organizationId}`).execute();
}
/** Make the pending digest of `organizationId` due now (as if the delay had passed). */
async function elapse(organizationId: string, minutes = 16) {
  await db.updateTable("conversation_digest_pending").set({ due_at: sql<Date>`due_at - make_interval(mins => ${minutes})` }).where("organization_id", "=", organizationId).execute();
}

describe("the e-mail digest", () => {
  test("fifty messages make one e-mail per member; a second run sends nothing; the next message starts a new digest", async () => {
    const { b, sl, conversationId } = await world();
    const digestJobs = async () => (await db.selectFrom("outbox").select("payload").where("topic", "=", "conversation.digest").execute()).filter((r) => (r.payload as { organizationId: string }).organizationId === b.id);
    for (let i = 0; i < 50; i += 1) await postConversationMessage(s(i % 2 ? sl.sales : sl.owner), { conversationId, body: `Message ${i}` });
    // One pending row and one job for the buyer, whatever the number of messages.
    expect(await digestJobs()).toHaveLength(1);
    expect(await db.selectFrom("conversation_digest_pending").select("organization_id").where("organization_id", "=", b.id).execute()).toHaveLength(1);

    // Not due yet: the job reschedules itself at due_at + delay, sends nothing.
    expect(await sendConversationDigest(system, { organizationId: b.id, delayMinutes: 15 })).toMatchObject({ status: "scheduled" });
    expect(await emails(b.id)).toHaveLength(0);
    expect(await digestJobs()).toHaveLength(2);

    // The purchaser read the thread meanwhile: it gets nothing.
    await getConversation(b.purchaser, { conversationId });
    await elapse(b.id);
    const sent = await sendConversationDigest(system, { organizationId: b.id, delayMinutes: 15 });
    // admin, approver and viewer read threads and have 50 unread messages each.
    expect(sent).toEqual({ status: "sent", emails: 3, messages: 150 });
    const mails = await emails(b.id);
    expect(mails).toHaveLength(3);
    expect(mails[0]!.payload).toMatchObject({ template: "conversation.digest", params: { messageCount: "50", conversationCount: "1", counterparties: sl.name, messagesUrl: `${TEST_URLS.buyer}/messages` } });

    // Idempotent: a retry or a duplicate job finds nothing pending.
    expect(await sendConversationDigest(system, { organizationId: b.id, delayMinutes: 15 })).toEqual({ status: "nothing_pending" });
    expect(await emails(b.id)).toHaveLength(3);

    // A new message: a new digest that tells only of it.
    await postConversationMessage(s(sl.sales), { conversationId, body: "One more" });
    expect(await digestJobs()).toHaveLength(3);
    await elapse(b.id);
    expect(await sendConversationDigest(system, { organizationId: b.id, delayMinutes: 15 })).toEqual({ status: "sent", emails: 4, messages: 4 });
    const last = (await emails(b.id)).slice(3);
    expect(last.map((m) => (m.payload as { params: { messageCount: string } }).params.messageCount)).toEqual(["1", "1", "1", "1"]);
    // Read messages are never digested again, nor are the reader's own side's.
    await elapse(b.id);
    expect(await sendConversationDigest(system, { organizationId: b.id, delayMinutes: 15 })).toEqual({ status: "nothing_pending" });
  });

  test("messages posted while digests run are each told exactly once (posts and digests at once, separate connections)", async () => {
    const { b, sl, conversationId } = await world();
    let posted = 0;
    for (let round = 0; round < 12; round += 1) {
      await Promise.all([
        postConversationMessage(s(round % 2 ? sl.sales : sl.owner), { conversationId, body: `Race ${round} a` }),
        sendConversationDigest(system, { organizationId: b.id, delayMinutes: 0 }),
        postConversationMessage(s(sl.sales), { conversationId, body: `Race ${round} b` }),
        sendConversationDigest(system, { organizationId: b.id, delayMinutes: 0 }),
      ]);
      posted += 2;
    }
    await sendConversationDigest(system, { organizationId: b.id, delayMinutes: 0 });
    expect(await db.selectFrom("conversation_digest_pending").select("organization_id").where("organization_id", "=", b.id).execute()).toEqual([]);
    // The admin never opened the thread: its digests add up to every seller message, none twice.
    const told = (await emails(b.id)).filter((m) => (m.payload as { userId: string }).userId === b.admin.actor.userId);
    expect(told.reduce((t, m) => t + Number((m.payload as { params: { messageCount: string } }).params.messageCount), 0)).toBe(posted);
  });

  test("two digests at once send once; French members get French e-mails", async () => {
    const { b, sl, conversationId } = await world();
    const french = await sl.owner;
    await db.updateTable("users").set({ locale: "fr" }).where("id", "=", french.actor.userId).execute();
    await postConversationMessage(s(b.purchaser), { conversationId, body: "Another question" });
    await elapse(sl.id);
    const results = await Promise.all([sendConversationDigest(system, { organizationId: sl.id, delayMinutes: 15 }), sendConversationDigest(system, { organizationId: sl.id, delayMinutes: 15 })]);
    expect(results.map((r) => r.status).sort()).toEqual(["nothing_pending", "sent"]);
    const mails = await emails(sl.id);
    // owner, sales and fulfilment read threads.
    expect(mails).toHaveLength(3);
    expect(mails.map((m) => (m.payload as { locale: string }).locale).sort()).toEqual(["en", "en", "fr"]);
    expect(mails.every((m) => (m.payload as { params: { messageCount: string } }).params.messageCount === "2")).toBe(true);
  });
});

describe("moderation", () => {
  test("a thread is reported once per organisation, even by two members at once; each report is audited", async () => {
    const w = await world();
    const both = await Promise.allSettled([
      reportConversation(w.b.admin, { conversationId: w.conversationId, reason: "Spam" }),
      reportConversation(w.b.purchaser, { conversationId: w.conversationId, reason: "Spam too" }),
    ]);
    expect(both.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    const refusal = both.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(refusal.reason).toMatchObject({ code: "CONFLICT", fieldErrors: { _form: ["conversation.already_reported"] } });
    // The other side may still report it.
    await reportConversation(w.sl.sales, { conversationId: w.conversationId, reason: "Abuse" });
    expect(await db.selectFrom("conversation_reports").select("reported_by_org").where("conversation_id", "=", w.conversationId).execute()).toHaveLength(2);
    expect(await db.selectFrom("audit_log").select("action").where("action", "=", "conversation.reported").where("target_id", "=", w.conversationId).execute()).toHaveLength(2);
  });

  test("a moderator lists and reads only threads a dispute or a report involves; each read is audited; finance and admin are refused", async () => {
    const disputed = await world();
    const reported = await world();
    const quiet = await world();
    await db.insertInto("disputes").values({ order_id: disputed.orderId, buyer_id: disputed.b.id, seller_id: disputed.sl.id, reason: "Broken", opened_by: disputed.b.admin.actor.userId }).execute();
    await refused(() => reportConversation(reported.b.viewer, { conversationId: reported.conversationId, reason: "Abuse" }), "FORBIDDEN");
    expect((await refused(() => reportConversation(reported.b.admin, { conversationId: reported.conversationId, reason: " " }), "VALIDATION")).fieldErrors).toEqual({ reason: ["conversation.report_reason_required"] });
    await reportConversation(reported.sl.sales, { conversationId: reported.conversationId, reason: "Abusive language" });
    // Audited; once per organisation.
    const reportAudits = () => db.selectFrom("audit_log").select(["action", "target_id", "actor_user_id"]).where("action", "=", "conversation.reported").where("target_id", "=", reported.conversationId).execute();
    expect(await reportAudits()).toEqual([{ action: "conversation.reported", target_id: reported.conversationId, actor_user_id: reported.sl.sales.actor.userId }]);
    expect((await refused(() => reportConversation(reported.sl.sales, { conversationId: reported.conversationId, reason: "Again" }), "CONFLICT")).fieldErrors).toEqual({ _form: ["conversation.already_reported"] });
    const file = await postConversationMessage(s(disputed.sl.sales), { conversationId: disputed.conversationId, body: "Photo", file: pdf() });

    const moderator = await operator(db, "moderator");
    const listed = (await listModeratedConversations(moderator)).items.map((c) => c.id);
    expect(listed).toEqual(expect.arrayContaining([disputed.conversationId, reported.conversationId]));
    expect(listed).not.toContain(quiet.conversationId);

    const audits = async () => db.selectFrom("audit_log").select(["action", "target_id", "actor_user_id"]).where("action", "=", "conversation.read").orderBy("id").execute();
    const view = await getModeratedConversation(moderator, { conversationId: disputed.conversationId });
    expect(view).toMatchObject({ dispute: { status: "open" }, buyer: { id: disputed.b.id }, seller: { id: disputed.sl.id } });
    expect(view.messages.map((m) => m.body)).toEqual(["When will it ship?", "Photo"]);
    expect((await getModeratedConversation(moderator, { conversationId: reported.conversationId })).reports).toMatchObject([{ reason: "Abusive language", reportedBy: reported.sl.name }]);
    expect(await audits()).toEqual([
      { action: "conversation.read", target_id: disputed.conversationId, actor_user_id: moderator.actor.userId },
      { action: "conversation.read", target_id: reported.conversationId, actor_user_id: moderator.actor.userId },
    ]);
    expect((await readConversationAttachment(s(moderator), { conversationId: disputed.conversationId, attachmentId: file.attachmentId })).fileName).toBe("spec.pdf");
    expect(await audits()).toHaveLength(3);

    // Any other thread does not exist for the moderator, and nothing is audited.
    await refused(() => getModeratedConversation(moderator, { conversationId: quiet.conversationId }), "NOT_FOUND");
    const quietFile = await postConversationMessage(s(quiet.sl.sales), { conversationId: quiet.conversationId, body: "File", file: pdf() });
    await refused(() => readConversationAttachment(s(moderator), { conversationId: quiet.conversationId, attachmentId: quietFile.attachmentId }), "NOT_FOUND");
    await refused(() => getModeratedConversation(moderator, { conversationId: "nope" }), "NOT_FOUND");

    for (const role of ["finance", "admin"] as const) {
      const other = await operator(db, role);
      await refused(() => listModeratedConversations(other), "FORBIDDEN");
      await refused(() => getModeratedConversation(other, { conversationId: disputed.conversationId }), "FORBIDDEN");
      await refused(() => readConversationAttachment(s(other), { conversationId: disputed.conversationId, attachmentId: file.attachmentId }), "FORBIDDEN");
    }
    // A buyer or seller member is no moderator.
    await refused(() => getModeratedConversation(disputed.b.admin, { conversationId: disputed.conversationId }), "FORBIDDEN");
    // A resolved dispute keeps the thread readable.
    await db.updateTable("disputes").set({ status: "resolved", resolution: "release", resolved_at: sql<Date>`now()` }).where("order_id", "=", disputed.orderId).execute();
    expect((await getModeratedConversation(moderator, { conversationId: disputed.conversationId })).dispute).toMatchObject({ status: "resolved" });
  });
});
