import { sql } from "kysely";
import { afterAll, describe, expect, test } from "vitest";
import { createDb } from "@souk/db";
import { createPinnedClock, createTestDatabase } from "@souk/testing";
import type { ActorDeps } from "../deps";
import { awardRfq } from "../approvals/award-rfq";
import { domainErrorOf, TEST_URLS } from "../identity/test-support";
import { renderEmail } from "../notifications/templates";
import { verifyRfqChain } from "../rfq/seller/receipts";
import { saveOffer } from "../rfq/seller/save-offer";
import { withdrawOffer } from "../rfq/seller/withdraw-offer";
import { closeRfq } from "../rfq/seller/close-rfq";
import { buyerOrg, insertRfq, offerForm, setDeadline } from "../rfq/seller/test-support";
import { answerCounter } from "./answer-counter";
import { getOfferNegotiation } from "./get-offer-negotiation";
import { getSellerNegotiation } from "./get-seller-negotiation";
import { sendCounter } from "./send-counter";
import { counterForm, fromNow, negotiation, negotiationSnapshot, offerLines } from "./test-support";

/**
 * Counter-proposals on real PostgreSQL. The deadline edges use a database clock the test sets
 * (@souk/testing's createPinnedClock); everything else runs on the real clock.
 */
const t = await createTestDatabase();
const db = t.db;
const clock = await createPinnedClock(t, { applicationName: "souk-test-negotiation-pinned" });
const pinnedDb = clock.db;
const pinClock = clock.pin;
// Separate connections for the races.
const raceDb = createDb({ connectionString: t.url, max: 8, applicationName: "souk-test-negotiation-race" });
afterAll(async () => {
  await raceDb.destroy();
});

const on = (deps: ActorDeps, handle: typeof db): ActorDeps => ({ ...deps, db: handle });
const DAY = 86_400_000;

async function outboxTemplates(): Promise<{ template: string; organizationId: string; params: Record<string, string> }[]> {
  const rows = await db.selectFrom("outbox").select("payload").where("topic", "=", "notification.email").execute();
  return rows.map((r) => r.payload as { template: string; organizationId: string; params: Record<string, string> });
}

describe("a round: the buyer counters, the seller accepts", () => {
  test("the offer changes only at the seller's consent; it stays locked; the chain covers the round; the award takes the accepted prices", async () => {
    const n = await negotiation(db);
    const [{ seller, offerId }, other] = n.sellers as [(typeof n.sellers)[0], (typeof n.sellers)[0]];
    const before = await offerLines(db, n.rfq, offerId);
    expect(before.map(([, p, q]) => [p, q])).toEqual([["1000", 100], ["1000", 20]]);
    const receiptsBefore = await db.selectFrom("offer_revisions").select("id").where("rfq_id", "=", n.rfq.id).execute();

    const sent = await sendCounter(n.buyer.purchaser, counterForm(n.rfq, offerId, { 0: { price: "9,50" }, 1: { quantity: "15" } }, fromNow(3 * DAY)));
    expect(sent.round).toBe(1);
    // Sending changes nothing of the offer: no price, no revision, no receipt.
    expect(await offerLines(db, n.rfq, offerId)).toEqual(before);
    expect(await db.selectFrom("offers").select(["revision", "status", "total_minor"]).where("id", "=", offerId).executeTakeFirstOrThrow()).toEqual({ revision: 1, status: "locked", total_minor: "120000" });
    expect(await db.selectFrom("offer_revisions").select("id").where("rfq_id", "=", n.rfq.id).execute()).toHaveLength(receiptsBefore.length);
    const lines = await db.selectFrom("offer_counter_lines").selectAll().where("counter_id", "=", sent.counterId).execute();
    expect(lines.map((l) => [l.previous_unit_price_minor, l.previous_quantity, l.target_unit_price_minor, l.target_quantity]).sort()).toEqual([
      ["1000", 100, "950", null],
      ["1000", 20, null, 15],
    ]);
    // The seller is told (e-mail through the outbox, in-app), never the other seller.
    const told = (await outboxTemplates()).filter((m) => m.template === "counter.received");
    expect(new Set(told.map((m) => m.organizationId))).toEqual(new Set([seller.id]));
    expect(told[0]?.params.negotiationUrl).toMatch(new RegExp(`/rfqs/${n.rfq.id}/negotiation$`));

    // The seller sees it; the other seller sees nothing of it.
    const view = await getSellerNegotiation(seller.sales, { rfqId: n.rfq.id });
    expect(view.counters.map((c) => [c.round, c.status])).toEqual([[1, "pending"]]);
    expect(view.canAnswer).toBe(true);
    const otherView = await getSellerNegotiation(other.seller.sales, { rfqId: n.rfq.id });
    expect(otherView.counters).toEqual([]);
    expect(JSON.stringify(otherView)).not.toContain(sent.counterId);
    expect(JSON.stringify(otherView)).not.toContain(offerId);

    const accepted = await answerCounter(seller.owner, { rfqId: n.rfq.id, counterId: sent.counterId, answer: "accept" });
    expect(accepted).toMatchObject({ status: "accepted", revision: 2 });
    expect((await offerLines(db, n.rfq, offerId)).map(([, p, q]) => [p, q])).toEqual([["950", 100], ["1000", 15]]);
    expect(await db.selectFrom("offers").select(["revision", "status", "total_minor"]).where("id", "=", offerId).executeTakeFirstOrThrow()).toEqual({ revision: 2, status: "locked", total_minor: String(950 * 100 + 1000 * 15) });
    expect(await db.selectFrom("offer_counters").select(["status", "answer_revision", "answered_by"]).where("id", "=", sent.counterId).executeTakeFirstOrThrow()).toEqual({ status: "accepted", answer_revision: 2, answered_by: seller.owner.actor.userId });
    const last = await db.selectFrom("offer_revisions").select(["kind", "revision", "content"]).where("rfq_id", "=", n.rfq.id).orderBy("sequence", "desc").executeTakeFirstOrThrow();
    expect(last).toMatchObject({ kind: "revised", revision: 2 });
    expect(JSON.parse(last.content).reason).toEqual({ code: "counter.accepted", decisionId: sent.counterId });
    expect(await verifyRfqChain(db, n.rfq.id)).toMatchObject({ ok: true, length: receiptsBefore.length + 1 });

    // The buyer is told, and its page shows the round merged with the receipts.
    const answered = (await outboxTemplates()).filter((m) => m.template === "counter.answered");
    expect(answered.map((m) => [m.organizationId, m.params.answer, m.params.totalMinor])).toContainEqual([n.buyer.id, "accepted", "110000"]);
    const page = await getOfferNegotiation(n.buyer.viewer, { rfqId: n.rfq.id, offerId });
    expect(page.offer.total.amountMinor).toBe("110000");
    expect(page.timeline.map((e) => (e.kind === "counter" ? `counter ${e.counter.status}` : `receipt ${e.receipt.kind} ${e.receipt.reason ?? ""}`.trim()))).toEqual([
      "receipt submitted",
      "counter accepted",
      "receipt revised counter.accepted",
    ]);
    const revisedEntry = page.timeline[2];
    expect(revisedEntry?.kind === "receipt" && revisedEntry.receipt.changes.map((c) => [c.before?.unitPrice.amountMinor, c.after?.unitPrice.amountMinor, c.before?.quantity, c.after?.quantity])).toEqual([
      ["1000", "950", 100, 100],
      ["1000", "1000", 20, 15],
    ]);
    // A viewer reads but may not counter.
    expect(page.canCounter).toBe(false);
    expect(page.counterBlockedBy).toBe("counter.not_permitted");

    // The award reads the offer's lines: the accepted terms are what gets awarded.
    const award = await awardRfq(n.buyer.admin, { rfqId: n.rfq.id, mode: "whole", offerIds: [offerId] });
    const awarded = await db.selectFrom("award_lines").select(["line_id", "unit_price_minor", "quantity"]).where("award_id", "=", award.awardId).execute();
    expect(awarded.map((l) => [l.line_id, l.unit_price_minor, l.quantity]).sort()).toEqual(
      [
        [n.rfq.lineIds[0], "950", 100],
        [n.rfq.lineIds[1], "1000", 15],
      ].sort(),
    );
    // After the award nothing is negotiated any more.
    const late = await domainErrorOf(sendCounter(n.buyer.admin, counterForm(n.rfq, offerId, { 0: { price: "9" } }, fromNow(DAY))));
    expect(late.code).toBe("CONFLICT");
  });

  test("the e-mails render in both languages", () => {
    for (const locale of ["en", "fr"] as const) {
      const received = renderEmail("counter.received", locale, {
        name: "Ada",
        buyerName: "Acme",
        rfqReference: "RFQ-000001",
        rfqTitle: "Boxes",
        round: "2",
        lineCount: "1",
        respondBy: "2031-06-01T12:00:00.000Z",
        message: "Please.",
        negotiationUrl: "http://localhost:3002/rfqs/x/negotiation",
      });
      expect(received.subject).toContain("RFQ-000001");
      expect(received.text).toContain("http://localhost:3002/rfqs/x/negotiation");
      const answered = renderEmail("counter.answered", locale, {
        name: "Bob",
        sellerName: "Box SARL",
        rfqReference: "RFQ-000001",
        rfqTitle: "Boxes",
        round: "1",
        answer: "declined",
        reason: "Below cost.",
        totalMinor: "120000",
        currency: "EUR",
        negotiationUrl: "http://localhost:3001/rfqs/x/offers/y",
      });
      expect(answered.text).toContain("Below cost.");
      expect(answered.text).toMatch(/1[\s,.  ]?200/);
    }
  });
});

describe("declining and revising", () => {
  test("a decline needs a reason and leaves the offer as it was; a revision is the seller's own terms", async () => {
    const n = await negotiation(db);
    const { seller, offerId } = n.sellers[0]!;
    const first = await sendCounter(n.buyer.admin, counterForm(n.rfq, offerId, { 0: { price: "8.00" } }, fromNow(DAY)));
    const before = await negotiationSnapshot(db);
    expect((await domainErrorOf(answerCounter(seller.sales, { rfqId: n.rfq.id, counterId: first.counterId, answer: "decline", reason: "  " }))).fieldErrors).toEqual({ reason: ["counter.reason_required"] });
    expect((await domainErrorOf(answerCounter(seller.sales, { rfqId: n.rfq.id, counterId: first.counterId, answer: "maybe" }))).fieldErrors).toEqual({ answer: ["counter.answer_invalid"] });
    expect(await negotiationSnapshot(db)).toEqual(before);

    const declined = await answerCounter(seller.sales, { rfqId: n.rfq.id, counterId: first.counterId, answer: "decline", reason: "Below our cost." });
    expect(declined).toEqual({ counterId: first.counterId, status: "declined", revision: null, receipt: null });
    expect((await offerLines(db, n.rfq, offerId)).map(([, p]) => p)).toEqual(["1000", "1000"]);
    expect(await db.selectFrom("offer_counters").select(["status", "decline_reason"]).where("id", "=", first.counterId).executeTakeFirstOrThrow()).toEqual({ status: "declined", decline_reason: "Below our cost." });
    // Answered once: never again.
    expect((await domainErrorOf(answerCounter(seller.sales, { rfqId: n.rfq.id, counterId: first.counterId, answer: "accept" }))).fieldErrors).toEqual({ _form: ["counter.not_pending"] });

    // Round 2: the seller answers with its own terms.
    const second = await sendCounter(n.buyer.admin, counterForm(n.rfq, offerId, { 0: { price: "8.00" }, 1: { price: "9.00" } }, fromNow(DAY)));
    expect(second.round).toBe(2);
    const revise = (lines: Record<string, string>) => answerCounter(seller.sales, { rfqId: n.rfq.id, counterId: second.counterId, answer: "revise", ...lines });
    const l0 = n.rfq.lineIds[0]!;
    const l1 = n.rfq.lineIds[1]!;
    const snap = await negotiationSnapshot(db);
    expect((await domainErrorOf(revise({ "lines.0.lineId": l0, "lines.0.unitPrice": "10.00", "lines.0.quantity": "100" }))).fieldErrors).toEqual({ lines: ["counter.revision_unchanged"] });
    expect((await domainErrorOf(revise({ "lines.0.lineId": l0, "lines.0.unitPrice": "abc", "lines.0.quantity": "100" }))).fieldErrors).toEqual({ "lines.0.unitPrice": ["offer.price_invalid"] });
    expect((await domainErrorOf(revise({ "lines.0.lineId": l0, "lines.0.unitPrice": "9.00", "lines.0.quantity": "101" }))).fieldErrors).toEqual({ "lines.0.quantity": ["offer.quantity_exceeds_asked"] });
    expect(await negotiationSnapshot(db)).toEqual(snap);

    const revised = await revise({ "lines.0.lineId": l0, "lines.0.unitPrice": "9.00", "lines.0.quantity": "100", "lines.1.lineId": l1, "lines.1.unitPrice": "10.00", "lines.1.quantity": "20" });
    expect(revised).toMatchObject({ status: "revised", revision: 2 });
    expect((await offerLines(db, n.rfq, offerId)).map(([, p, q]) => [p, q])).toEqual([["900", 100], ["1000", 20]]);
    expect(await db.selectFrom("offers").select(["status", "revision", "total_minor"]).where("id", "=", offerId).executeTakeFirstOrThrow()).toEqual({ status: "locked", revision: 2, total_minor: "110000" });
    const receipt = await db.selectFrom("offer_revisions").select("content").where("offer_id", "=", offerId).orderBy("sequence", "desc").executeTakeFirstOrThrow();
    expect(JSON.parse(receipt.content).reason).toEqual({ code: "counter.revised", decisionId: second.counterId });
    expect(await verifyRfqChain(db, n.rfq.id)).toMatchObject({ ok: true });

    // The buyer's view of both rounds.
    const page = await getOfferNegotiation(n.buyer.admin, { rfqId: n.rfq.id, offerId });
    expect(page.counters.map((c) => [c.round, c.status, c.declineReason])).toEqual([
      [2, "revised", null],
      [1, "declined", "Below our cost."],
    ]);
    expect(page.canCounter).toBe(true);
  });
});

describe("what the buyer may send", () => {
  test("one pending counter per offer; a lapsed one is marked expired, a new round follows; bad input is field errors", async () => {
    const n = await negotiation(db);
    const { offerId } = n.sellers[0]!;
    const first = await sendCounter(n.buyer.admin, counterForm(n.rfq, offerId, { 0: { price: "9" } }, fromNow(DAY)));
    const snap = await negotiationSnapshot(db);
    expect((await domainErrorOf(sendCounter(n.buyer.admin, counterForm(n.rfq, offerId, { 1: { price: "9" } }, fromNow(DAY))))).fieldErrors).toEqual({ _form: ["counter.pending_exists"] });
    expect(await negotiationSnapshot(db)).toEqual(snap);

    // The pending one lapses (its deadline moved into the past, straight in the table: the guard allows no update but the answer).
    await sql`alter table offer_counters disable trigger offer_counters_guard`.execute(db);
    await sql`update offer_counters set respond_by = clock_timestamp() - interval '1 second', created_at = clock_timestamp() - interval '1 hour' where id = ${first.counterId}`.execute(db);
    await sql`alter table offer_counters enable trigger offer_counters_guard`.execute(db);
    expect((await getOfferNegotiation(n.buyer.admin, { rfqId: n.rfq.id, offerId })).counters[0]?.status).toBe("expired");
    // Refused counters write nothing, not even the lapsed one's mark (their transaction rolls back).
    const lapsed = await negotiationSnapshot(db);

    const form = (targets: Parameters<typeof counterForm>[2], respondBy = fromNow(DAY), extra: Record<string, unknown> = {}) => counterForm(n.rfq, offerId, targets, respondBy, extra);
    const errors = async (input: Record<string, unknown>) => (await domainErrorOf(sendCounter(n.buyer.admin, input))).fieldErrors;
    expect(await errors(form({}))).toEqual({ lines: ["counter.lines_empty"] });
    expect(await errors(form({ 0: { price: "0" } }))).toEqual({ "lines.0.targetUnitPrice": ["counter.price_not_positive"] });
    expect(await errors(form({ 0: { price: "9.999" } }))).toEqual({ "lines.0.targetUnitPrice": ["counter.price_invalid"] });
    expect(await errors(form({ 1: { quantity: "21" } }))).toEqual({ "lines.1.targetQuantity": ["counter.quantity_exceeds_asked"] });
    expect(await errors(form({ 1: { quantity: "0" } }))).toEqual({ "lines.1.targetQuantity": ["counter.quantity_not_positive"] });
    expect(await errors(form({ 0: { price: "10.00" } }))).toEqual({ "lines.0": ["counter.line_unchanged"] });
    expect(await errors(form({ 0: { price: "9" } }, fromNow(-60_000)))).toEqual({ respondBy: ["counter.respond_by_in_past"] });
    expect(await errors(form({ 0: { price: "9" } }, fromNow(31 * DAY)))).toEqual({ respondBy: ["counter.respond_by_too_far"] });
    expect(await errors(form({ 0: { price: "9" } }, "soon"))).toEqual({ respondBy: ["counter.respond_by_required"] });
    expect(await errors(form({ 0: { price: "9" } }, "2031-06-01T12:00", { timeZone: "Mars/Olympus" }))).toEqual({ timeZone: ["counter.time_zone_invalid"] });
    expect(await errors(form({ 0: { price: "9" } }, fromNow(DAY), { message: "x".repeat(2001) }))).toEqual({ message: ["counter.message_too_long"] });
    // A line of the RFQ that is not one of the offer's (the form's ids tampered with).
    expect(await errors({ ...form({ 0: { price: "9" } }), "lines.0.lineId": "00000000-0000-4000-8000-000000000000" })).toEqual({ "lines.0.lineId": ["counter.line_not_in_offer"] });
    expect(await negotiationSnapshot(db)).toEqual(lapsed);

    // A wall-clock deadline in the buyer's zone, as the form sends it.
    const local = new Date(Date.now() + 2 * DAY);
    const paris = new Intl.DateTimeFormat("sv-SE", { timeZone: "Europe/Paris", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit" }).format(local).replace(" ", "T");
    const second = await sendCounter(n.buyer.admin, form({ 1: { price: "11", quantity: "10" } }, paris, { timeZone: "Europe/Paris" }));
    expect(second.round).toBe(2);
    expect(Math.abs(Date.parse(second.respondBy) - Math.floor(local.getTime() / 60_000) * 60_000)).toBeLessThan(1000);
    expect(await db.selectFrom("offer_counters").select(["round", "status"]).where("offer_id", "=", offerId).orderBy("round").execute()).toEqual([
      { round: 1, status: "expired" },
      { round: 2, status: "pending" },
    ]);
  });

  test("an open RFQ takes counters with open bidding only; the accepted offer is then `revised` and locked at the close", async () => {
    const live = await negotiation(db, ["10.00"], { sealing: "open", closed: false });
    const { seller, offerId } = live.sellers[0]!;
    const sent = await sendCounter(live.buyer.admin, counterForm(live.rfq, offerId, { 0: { price: "9.00" } }, fromNow(DAY)));
    await answerCounter(seller.sales, { rfqId: live.rfq.id, counterId: sent.counterId, answer: "accept" });
    expect(await db.selectFrom("offers").select(["status", "revision"]).where("id", "=", offerId).executeTakeFirstOrThrow()).toEqual({ status: "revised", revision: 2 });

    // The seller revising its offer through the offer form supersedes a pending counter: it takes no answer.
    const again = await sendCounter(live.buyer.admin, counterForm(live.rfq, offerId, { 1: { price: "9.00" } }, fromNow(DAY)));
    await saveOffer(seller.sales, offerForm(live.rfq, {}, "9.50"));
    expect((await getSellerNegotiation(seller.sales, { rfqId: live.rfq.id })).counters[0]?.status).toBe("superseded");
    const snap = await negotiationSnapshot(db);
    expect((await domainErrorOf(answerCounter(seller.sales, { rfqId: live.rfq.id, counterId: again.counterId, answer: "accept" }))).fieldErrors).toEqual({ _form: ["counter.offer_changed"] });
    expect(await negotiationSnapshot(db)).toEqual(snap);
    // …and the buyer may counter again at once (the superseded one is marked so).
    const third = await sendCounter(live.buyer.admin, counterForm(live.rfq, offerId, { 1: { price: "9.00" } }, fromNow(DAY)));
    expect(third.round).toBe(3);
    expect(await db.selectFrom("offer_counters").select("status").where("id", "=", again.counterId).executeTakeFirstOrThrow()).toEqual({ status: "superseded" });
    await withdrawOffer(seller.sales, { rfqId: live.rfq.id });
    expect((await domainErrorOf(sendCounter(live.buyer.admin, counterForm(live.rfq, offerId, { 1: { price: "8.00" } }, fromNow(DAY))))).fieldErrors).toEqual({ _form: ["counter.offer_withdrawn"] });
    expect(await verifyRfqChain(db, live.rfq.id)).toMatchObject({ ok: true });

    // A sealed RFQ's offers do not exist for the buyer before the close: NOT_FOUND, nothing written.
    const sealed = await negotiation(db, ["10.00"], { sealing: "sealed", closed: false });
    const before = await negotiationSnapshot(db);
    const hidden = await domainErrorOf(sendCounter(sealed.buyer.admin, counterForm(sealed.rfq, sealed.sellers[0]!.offerId, { 0: { price: "9" } }, fromNow(DAY))));
    expect(hidden.code).toBe("NOT_FOUND");
    expect((await domainErrorOf(getOfferNegotiation(sealed.buyer.admin, { rfqId: sealed.rfq.id, offerId: sealed.sellers[0]!.offerId }))).code).toBe("NOT_FOUND");
    expect(await negotiationSnapshot(db)).toEqual(before);
  });
});

describe("an open RFQ at its deadline", () => {
  test("no answer changes the offer at or after the deadline while the RFQ is still open; after the close the negotiation goes on", async () => {
    const live = await negotiation(db, ["10.00"], { sealing: "open", closed: false });
    const { seller, offerId } = live.sellers[0]!;
    const counter = await sendCounter(live.buyer.admin, counterForm(live.rfq, offerId, { 0: { price: "9.00" } }, fromNow(DAY)));
    await setDeadline(db, live.rfq.id, -1);
    const before = await negotiationSnapshot(db);
    expect((await domainErrorOf(answerCounter(seller.sales, { rfqId: live.rfq.id, counterId: counter.counterId, answer: "accept" }))).fieldErrors).toEqual({ _form: ["counter.rfq_closing"] });
    expect(await negotiationSnapshot(db)).toEqual(before);
    expect((await closeRfq({ db, publicUrls: TEST_URLS }, { rfqId: live.rfq.id })).closed).toBe(true);
    const accepted = await answerCounter(seller.sales, { rfqId: live.rfq.id, counterId: counter.counterId, answer: "accept" });
    expect(accepted.status).toBe("accepted");
    expect(await db.selectFrom("offers").select(["status", "revision"]).where("id", "=", offerId).executeTakeFirstOrThrow()).toEqual({ status: "locked", revision: 2 });
    expect(await verifyRfqChain(db, live.rfq.id)).toMatchObject({ ok: true });
  });
});

describe("tampering: other sellers, other buyers, other RFQs", () => {
  test("NOT_FOUND for the URL's ids, the same field error for a counter that is not the seller's as for an unknown one (or FORBIDDEN for a role without the permission), and nothing changes", async () => {
    const a = await negotiation(db);
    const b = await negotiation(db);
    const [mine, rival] = a.sellers as [(typeof a.sellers)[0], (typeof a.sellers)[0]];
    const counter = await sendCounter(a.buyer.admin, counterForm(a.rfq, mine.offerId, { 0: { price: "9" } }, fromNow(DAY)));
    const outsider = await buyerOrg(db);
    const before = await negotiationSnapshot(db);
    const refused = async (call: Promise<unknown>) => (await domainErrorOf(call)).code;
    // The counter is a field of the answer form: another seller's, one of another RFQ, an unknown one.
    const unknownCounter = async (call: Promise<unknown>) => {
      const error = await domainErrorOf(call);
      return error.code === "VALIDATION" && JSON.stringify(error.fieldErrors) === JSON.stringify({ counterId: ["counter.unknown"] });
    };

    // Another seller of the same RFQ cannot answer, or see, the counter.
    for (const answer of ["accept", "decline", "revise"]) {
      expect(await unknownCounter(answerCounter(rival.seller.owner, { rfqId: a.rfq.id, counterId: counter.counterId, answer, reason: "No.", "lines.0.lineId": a.rfq.lineIds[0]!, "lines.0.unitPrice": "1", "lines.0.quantity": "100" }))).toBe(true);
    }
    // The counter's own seller, through another RFQ's URL (an RFQ it may see: open to its category).
    expect(await unknownCounter(answerCounter(mine.seller.owner, { rfqId: b.rfq.id, counterId: counter.counterId, answer: "accept" }))).toBe(true);
    // A seller of RFQ B only, on RFQ A (which it may see too): the counter is not its own.
    expect(await unknownCounter(answerCounter(b.sellers[0]!.seller.owner, { rfqId: a.rfq.id, counterId: counter.counterId, answer: "accept" }))).toBe(true);
    // An RFQ in the URL that the seller may not see (or that does not exist) is a 404.
    expect(await refused(answerCounter(mine.seller.owner, { rfqId: "5b7e2a3c-8a4e-4f0b-9d7c-1e2f3a4b5c6d", counterId: counter.counterId, answer: "accept" }))).toBe("NOT_FOUND");
    // Fulfilment members may not answer; buyers cannot answer at all.
    expect(await refused(answerCounter(mine.seller.fulfilment, { rfqId: a.rfq.id, counterId: counter.counterId, answer: "accept" }))).toBe("FORBIDDEN");
    expect(await refused(answerCounter(a.buyer.admin, { rfqId: a.rfq.id, counterId: counter.counterId, answer: "accept" }))).toBe("FORBIDDEN");

    // Another buyer cannot counter A's offers, nor read the negotiation.
    expect(await refused(sendCounter(outsider.admin, counterForm(a.rfq, rival.offerId, { 0: { price: "9" } }, fromNow(DAY))))).toBe("NOT_FOUND");
    expect(await refused(getOfferNegotiation(outsider.admin, { rfqId: a.rfq.id, offerId: mine.offerId }))).toBe("NOT_FOUND");
    // Buyer A, an offer of RFQ B (another buyer's) through RFQ A's URL, and B's own offer through B's URL.
    expect(await refused(sendCounter(a.buyer.admin, counterForm(a.rfq, b.sellers[0]!.offerId, { 0: { price: "9" } }, fromNow(DAY))))).toBe("NOT_FOUND");
    expect(await refused(sendCounter(a.buyer.admin, counterForm(b.rfq, b.sellers[0]!.offerId, { 0: { price: "9" } }, fromNow(DAY))))).toBe("NOT_FOUND");
    expect(await refused(getOfferNegotiation(a.buyer.admin, { rfqId: a.rfq.id, offerId: b.sellers[0]!.offerId }))).toBe("NOT_FOUND");
    // Ids that are no ids; a viewer; a seller sending a counter.
    expect(await refused(sendCounter(a.buyer.admin, counterForm(a.rfq, "not-an-id", { 0: { price: "9" } }, fromNow(DAY))))).toBe("NOT_FOUND");
    expect(await unknownCounter(answerCounter(mine.seller.owner, { rfqId: a.rfq.id, counterId: "x", answer: "accept" }))).toBe(true);
    expect(await unknownCounter(answerCounter(mine.seller.owner, { rfqId: a.rfq.id, counterId: "5b7e2a3c-8a4e-4f0b-9d7c-1e2f3a4b5c6d", answer: "accept" }))).toBe(true);
    expect(await refused(sendCounter(a.buyer.viewer, counterForm(a.rfq, rival.offerId, { 0: { price: "9" } }, fromNow(DAY))))).toBe("FORBIDDEN");
    expect(await refused(sendCounter(mine.seller.owner, counterForm(a.rfq, rival.offerId, { 0: { price: "9" } }, fromNow(DAY))))).toBe("FORBIDDEN");
    // The other seller's page shows nothing of it.
    const view = await getSellerNegotiation(rival.seller.sales, { rfqId: a.rfq.id });
    expect(view.counters).toEqual([]);
    expect(JSON.stringify(view)).not.toContain(counter.counterId);

    expect(await negotiationSnapshot(db)).toEqual(before);
  });
});

describe("the deadline, by the database clock (pinned)", () => {
  test("an answer at respondBy is refused, one millisecond before is in time; a counter's deadline must be after now", async () => {
    const n = await negotiation(db);
    const [first, second] = n.sellers as [(typeof n.sellers)[0], (typeof n.sellers)[0]];
    const T0 = new Date("2031-06-01T10:00:00.000Z");
    const respondBy = new Date("2031-06-01T12:00:00.000Z");
    const buyer = on(n.buyer.admin, pinnedDb);
    try {
      await pinClock(T0);
      // Deadlines at or before the database's now, or more than 30 days after it.
      const form = (offerId: string, at: string) => counterForm(n.rfq, offerId, { 0: { price: "9" } }, at);
      expect((await domainErrorOf(sendCounter(buyer, form(first.offerId, T0.toISOString())))).fieldErrors).toEqual({ respondBy: ["counter.respond_by_in_past"] });
      expect((await domainErrorOf(sendCounter(buyer, form(first.offerId, new Date(T0.getTime() + 30 * DAY + 1).toISOString())))).fieldErrors).toEqual({ respondBy: ["counter.respond_by_too_far"] });
      const one = await sendCounter(buyer, form(first.offerId, respondBy.toISOString()));
      const two = await sendCounter(buyer, form(second.offerId, respondBy.toISOString()));
      expect(await db.selectFrom("offer_counters").select("created_at").where("id", "=", one.counterId).executeTakeFirstOrThrow()).toEqual({ created_at: T0 });

      const before = await negotiationSnapshot(db);
      for (const at of [respondBy, new Date(respondBy.getTime() + 1), new Date(respondBy.getTime() + DAY)]) {
        await pinClock(at);
        for (const answer of ["accept", "decline", "revise"]) {
          const error = await domainErrorOf(
            answerCounter(on(first.seller.owner, pinnedDb), { rfqId: n.rfq.id, counterId: one.counterId, answer, reason: "No.", "lines.0.lineId": n.rfq.lineIds[0]!, "lines.0.unitPrice": "9", "lines.0.quantity": "100" }),
          );
          expect(error.fieldErrors).toEqual({ _form: ["counter.expired"] });
        }
      }
      expect(await negotiationSnapshot(db)).toEqual(before);

      // A microsecond before the deadline is still before it (PostgreSQL compares, not a rounded Date).
      await clock.pinJustBefore(respondBy);
      const accepted = await answerCounter(on(second.seller.owner, pinnedDb), { rfqId: n.rfq.id, counterId: two.counterId, answer: "accept" });
      expect(Date.parse(accepted.receipt!.recordedAt)).toBeLessThan(respondBy.getTime());
      await pinClock(new Date(respondBy.getTime() - 1));
      const declined = await answerCounter(on(first.seller.owner, pinnedDb), { rfqId: n.rfq.id, counterId: one.counterId, answer: "decline", reason: "No." });
      expect(declined.status).toBe("declined");

      // A lapsed pending counter is marked expired under the lock when the buyer counters again.
      const three = await sendCounter(buyer, form(first.offerId, new Date(respondBy.getTime() + DAY).toISOString()));
      await pinClock(new Date(respondBy.getTime() + DAY));
      const four = await sendCounter(buyer, form(first.offerId, new Date(respondBy.getTime() + 2 * DAY).toISOString()));
      expect(four.round).toBe(3);
      expect(await db.selectFrom("offer_counters").select("status").where("id", "=", three.counterId).executeTakeFirstOrThrow()).toEqual({ status: "expired" });
    } finally {
      await pinClock(null);
    }
    expect(await verifyRfqChain(db, n.rfq.id)).toMatchObject({ ok: true });
  });
});

describe("concurrency (separate connections)", () => {
  test("an acceptance and a new counter at once: one pending counter at most, each on the offer as it was", async () => {
    for (let i = 0; i < 4; i += 1) {
      const n = await negotiation(db, ["10.00"]);
      const { seller, offerId } = n.sellers[0]!;
      const first = await sendCounter(n.buyer.admin, counterForm(n.rfq, offerId, { 0: { price: "9.00" } }, fromNow(DAY)));
      const [accept, send] = await Promise.allSettled([
        answerCounter(on(seller.owner, raceDb), { rfqId: n.rfq.id, counterId: first.counterId, answer: "accept" }),
        sendCounter(on(n.buyer.admin, raceDb), counterForm(n.rfq, offerId, { 1: { price: "9.00" } }, fromNow(DAY))),
      ]);
      expect(accept.status).toBe("fulfilled");
      const counters = await db.selectFrom("offer_counters").select(["id", "round", "status", "offer_revision"]).where("offer_id", "=", offerId).orderBy("round").execute();
      if (send.status === "fulfilled") {
        // The acceptance went first: the new counter was made on the accepted revision.
        expect(counters).toEqual([
          { id: first.counterId, round: 1, status: "accepted", offer_revision: 1 },
          { id: send.value.counterId, round: 2, status: "pending", offer_revision: 2 },
        ]);
        const prev = await db.selectFrom("offer_counter_lines").select("previous_unit_price_minor").where("counter_id", "=", send.value.counterId).executeTakeFirstOrThrow();
        expect(prev.previous_unit_price_minor).toBe("1000");
      } else {
        expect((send.reason as { fieldErrors?: unknown }).fieldErrors).toEqual({ _form: ["counter.pending_exists"] });
        expect(counters.map((c) => c.status)).toEqual(["accepted"]);
      }
      expect((await offerLines(db, n.rfq, offerId)).map(([, p]) => p)).toEqual(["900", "1000"]);
      expect(await verifyRfqChain(db, n.rfq.id)).toMatchObject({ ok: true });
    }
  });

  test("two members answering at once: exactly one answer; an award racing an acceptance awards the offer as it then stands", async () => {
    const n = await negotiation(db, ["10.00"]);
    const { seller, offerId } = n.sellers[0]!;
    const counter = await sendCounter(n.buyer.admin, counterForm(n.rfq, offerId, { 0: { price: "9.00" } }, fromNow(DAY)));
    const results = await Promise.allSettled([
      answerCounter(on(seller.owner, raceDb), { rfqId: n.rfq.id, counterId: counter.counterId, answer: "accept" }),
      answerCounter(on(seller.sales, raceDb), { rfqId: n.rfq.id, counterId: counter.counterId, answer: "decline", reason: "No." }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const loser = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect((loser.reason as { fieldErrors?: unknown }).fieldErrors).toEqual({ _form: ["counter.not_pending"] });
    expect(await verifyRfqChain(db, n.rfq.id)).toMatchObject({ ok: true });

    for (let i = 0; i < 3; i += 1) {
      const m = await negotiation(db, ["10.00"]);
      const s = m.sellers[0]!;
      const c = await sendCounter(m.buyer.admin, counterForm(m.rfq, s.offerId, { 0: { price: "8.00" } }, fromNow(DAY)));
      const [answer, award] = await Promise.allSettled([
        answerCounter(on(s.seller.owner, raceDb), { rfqId: m.rfq.id, counterId: c.counterId, answer: "accept" }),
        awardRfq(on(m.buyer.admin, raceDb), { rfqId: m.rfq.id, mode: "whole", offerIds: [s.offerId] }),
      ]);
      expect(award.status).toBe("fulfilled");
      // The award went first: it is in force (or already final, the RFQ awarded).
      if (answer.status === "rejected") expect(["counter.award_in_force", "counter.rfq_not_negotiable"]).toContain((answer.reason as { fieldErrors: { _form: string[] } }).fieldErrors._form[0]);
      const awardId = award.status === "fulfilled" ? award.value.awardId : "";
      const awarded = await db.selectFrom("award_lines").select(["line_id", "unit_price_minor"]).where("award_id", "=", awardId).execute();
      const offered = await offerLines(db, m.rfq, s.offerId);
      // Whatever the order, the award holds the offer's terms as they stood when it was made, and the offer did not move after it.
      expect(awarded.map((l) => [l.line_id, l.unit_price_minor]).sort()).toEqual(offered.map(([id, p]) => [id, p]).sort());
      expect(await verifyRfqChain(db, m.rfq.id)).toMatchObject({ ok: true });
    }
  });
});

describe("the RFQ state", () => {
  test("no counter on a cancelled RFQ; a withdrawn offer of a sealed RFQ stays unseen after the close", async () => {
    const buyer = await buyerOrg(db);
    const rfq = await insertRfq(db, buyer.id, { status: "cancelled", sealing: "open" });
    const error = await domainErrorOf(sendCounter(buyer.admin, counterForm(rfq, "00000000-0000-4000-8000-000000000001", { 0: { price: "9" } }, fromNow(DAY))));
    expect(error.code).toBe("NOT_FOUND");

    // A cancelled open-bidding RFQ's live offer: seen, but no longer negotiated.
    const live = await negotiation(db, ["10.00"], { sealing: "open", closed: false });
    await db.updateTable("rfqs").set({ status: "cancelled", cancel_reason: "No longer needed." }).where("id", "=", live.rfq.id).execute();
    expect((await domainErrorOf(sendCounter(live.buyer.admin, counterForm(live.rfq, live.sellers[0]!.offerId, { 0: { price: "9" } }, fromNow(DAY))))).fieldErrors).toEqual({ _form: ["counter.rfq_not_negotiable"] });

    // A sealed RFQ: the offer withdrawn before the close never reached the buyer.
    const sealed = await negotiation(db, ["10.00", "11.00"], { closed: false });
    await withdrawOffer(sealed.sellers[1]!.seller.sales, { rfqId: sealed.rfq.id });
    await setDeadline(db, sealed.rfq.id, -1_000);
    await closeRfq({ db, publicUrls: TEST_URLS }, { rfqId: sealed.rfq.id });
    const gone = sealed.sellers[1]!.offerId;
    expect((await domainErrorOf(getOfferNegotiation(sealed.buyer.admin, { rfqId: sealed.rfq.id, offerId: gone }))).code).toBe("NOT_FOUND");
    expect((await domainErrorOf(sendCounter(sealed.buyer.admin, counterForm(sealed.rfq, gone, { 0: { price: "9" } }, fromNow(DAY))))).code).toBe("NOT_FOUND");
    expect((await getOfferNegotiation(sealed.buyer.admin, { rfqId: sealed.rfq.id, offerId: sealed.sellers[0]!.offerId })).canCounter).toBe(true);

    // A suspended seller cannot answer: no counter is sent to it.
    await db.updateTable("organizations").set({ status: "suspended" }).where("id", "=", sealed.sellers[0]!.seller.id).execute();
    expect((await domainErrorOf(sendCounter(sealed.buyer.admin, counterForm(sealed.rfq, sealed.sellers[0]!.offerId, { 0: { price: "9" } }, fromNow(DAY))))).fieldErrors).toEqual({ _form: ["counter.seller_inactive"] });
    expect((await getOfferNegotiation(sealed.buyer.admin, { rfqId: sealed.rfq.id, offerId: sealed.sellers[0]!.offerId })).counterBlockedBy).toBe("counter.seller_inactive");
  });
});

describe("an open RFQ in its anti-sniping window", () => {
  test("an accepted or revised counter pushes the deadline like a revision does (the close scheduled at the new one), at most the RFQ's number of times", async () => {
    const live = await negotiation(db, ["10.00"], { sealing: "open", closed: false, antiSniping: { windowMinutes: 30, maxExtensions: 1 } });
    const { seller, offerId } = live.sellers[0]!;
    const rfqOf = () => db.selectFrom("rfqs").select(["deadline", "extensions"]).where("id", "=", live.rfq.id).executeTakeFirstOrThrow();
    // Ten minutes left: inside the window.
    await db.updateTable("rfqs").set({ deadline: sql<Date>`now() + interval '10 minutes'` }).where("id", "=", live.rfq.id).execute();
    const closesAt = async () =>
      (await db.selectFrom("outbox").select(["payload", "available_at"]).where("topic", "=", "rfq.close").execute())
        .filter((r) => (r.payload as { rfqId: string }).rfqId === live.rfq.id)
        .map((r) => r.available_at.getTime());
    const before = await rfqOf();
    const counter = await sendCounter(live.buyer.admin, counterForm(live.rfq, offerId, { 0: { price: "9.00" } }, fromNow(DAY)));
    expect((await rfqOf()).deadline).toEqual(before.deadline);
    await answerCounter(seller.sales, { rfqId: live.rfq.id, counterId: counter.counterId, answer: "accept" });
    const after = await rfqOf();
    expect(after.extensions).toBe(before.extensions + 1);
    expect(after.deadline!.getTime()).toBe(before.deadline!.getTime() + 30 * 60_000);
    expect(await closesAt()).toContain(after.deadline!.getTime());
    expect(await verifyRfqChain(db, live.rfq.id)).toMatchObject({ ok: true });
    // The one extension is used: the next answer (a revision) changes the offer, not the deadline.
    const second = await sendCounter(live.buyer.admin, counterForm(live.rfq, offerId, { 1: { price: "9.00" } }, fromNow(DAY)));
    await db.updateTable("rfqs").set({ deadline: sql<Date>`now() + interval '5 minutes'` }).where("id", "=", live.rfq.id).execute();
    const pinned = await rfqOf();
    await answerCounter(seller.sales, { rfqId: live.rfq.id, counterId: second.counterId, answer: "revise", "lines.0.lineId": live.rfq.lineIds[0], "lines.0.unitPrice": "8.50", "lines.0.quantity": "100" });
    expect(await rfqOf()).toEqual(pinned);
  });
});
