import { sql } from "kysely";
import { afterAll, describe, expect, test } from "vitest";
import { createDb, withTransaction } from "@souk/db";
import { createPinnedClock, createTestDatabase } from "@souk/testing";
import { awardRfq } from "../../approvals/award-rfq";
import { answerCounter } from "../../negotiation/answer-counter";
import type { ActorDeps } from "../../deps";
import { domainErrorOf, TEST_URLS } from "../../identity/test-support";
import { closeDueRfqs, closeRfq } from "../seller/close-rfq";
import { exportOfferReceipts } from "../seller/export-offer-receipts";
import { getSellerRfq } from "../seller/get-seller-rfq";
import { listRfqInbox } from "../seller/list-rfq-inbox";
import { verifyRfqChain } from "../seller/receipts";
import { saveOffer } from "../seller/save-offer";
import { buyerOrg, insertRfq, offerForm, offerSnapshot, rfqSeller, setDeadline, type RfqFixture } from "../seller/test-support";
import { withdrawOffer } from "../seller/withdraw-offer";
import { exportRfqComparisonCsv } from "./export-rfq-comparison-csv";
import { getBuyerRfq } from "./get-buyer-rfq";
import { getRfqComparison } from "./get-rfq-comparison";
import { openFinalRound } from "./open-final-round";
import { localIn } from "./test-support";

/**
 * The best-and-final round: opened by the buyer on a closed RFQ for a shortlist, with the first
 * round's database-clock window, sealing and receipts chain; closed again by the close job and
 * the sweep; afterwards only the shortlist's offers are compared and awarded.
 *
 * The exact edges use a database clock the test pins (@souk/testing's createPinnedClock: a second
 * pool whose clock_timestamp() returns the pinned instant). The services run unchanged.
 */
const t = await createTestDatabase();
const db = t.db;
const deps = { db, publicUrls: TEST_URLS };
const clock = await createPinnedClock(t, { applicationName: "souk-test-final-pinned" });
const pinnedDb = clock.db;
const pinClock = clock.pin;
const otherDb = createDb({ connectionString: t.url, max: 6, applicationName: "souk-test-final-other" });
afterAll(async () => {
  await otherDb.destroy();
});

const on = (d: ActorDeps, handle: typeof db): ActorDeps => ({ ...d, db: handle });

/** A closed RFQ (closed by closeRfq itself) with three final offers (A 1.10, B 1.20, C 1.30) and a withdrawn one (D). */
async function closedRfq(options: { sealing?: "sealed" | "open"; antiSniping?: { windowMinutes: number; maxExtensions: number } } = {}) {
  const buyer = await buyerOrg(db);
  const [a, b, c, d] = [await rfqSeller(db), await rfqSeller(db), await rfqSeller(db), await rfqSeller(db)];
  const rfq = await insertRfq(db, buyer.id, { sealing: options.sealing ?? "sealed", ...(options.antiSniping ? { antiSniping: options.antiSniping } : {}) });
  await saveOffer(a.sales, offerForm(rfq, {}, "1.10"));
  await saveOffer(b.sales, offerForm(rfq, {}, "1.20"));
  await saveOffer(c.sales, offerForm(rfq, {}, "1.30"));
  await saveOffer(d.sales, offerForm(rfq, {}, "1.05"));
  await withdrawOffer(d.sales, { rfqId: rfq.id });
  await setDeadline(db, rfq.id, -1);
  expect((await closeRfq(deps, { rfqId: rfq.id })).closed).toBe(true);
  return { buyer, a, b, c, d, rfq };
}

const finalForm = (rfq: RfqFixture, sellerIds: string[], minutes = 60) => ({ rfqId: rfq.id, sellerId: sellerIds, deadline: localIn(minutes), timeZone: "UTC" });

const rfqRow = (id: string) => db.selectFrom("rfqs").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
const offerOf = (rfqId: string, sellerId: string) => db.selectFrom("offers").selectAll().where("rfq_id", "=", rfqId).where("seller_id", "=", sellerId).executeTakeFirstOrThrow();

async function mailsTo(organizationId: string, template?: string) {
  const rows = await db.selectFrom("outbox").select("payload").where("topic", "=", "notification.email").execute();
  return rows
    .map((r) => r.payload as { template: string; organizationId: string; params: Record<string, string> })
    .filter((p) => p.organizationId === organizationId && (template === undefined || p.template === template));
}

/** Every amount (minor units) a JSON text carries. */
const amountsIn = (text: string) => [...text.matchAll(/"amountMinor":"(\d+)"|"unitPriceMinor":"(\d+)"/g)].map((m) => m[1] ?? m[2] ?? "");

/** A view with its volatile parts (the database clock's "now", the export's time) set aside. */
const stable = (value: unknown) => JSON.parse(JSON.stringify(value, (key, v: unknown) => (key === "serverNow" || key === "exportedAt" ? undefined : v))) as unknown;

describe("opening a best-and-final round", () => {
  test("on a closed RFQ, for a shortlist: first deadline kept, the round's deadline, its close scheduled, only the shortlist told", async () => {
    const { buyer, a, b, c, d, rfq } = await closedRfq();
    const before = await rfqRow(rfq.id);
    const result = await openFinalRound(buyer.purchaser, finalForm(rfq, [a.id, b.id]));
    expect(result).toMatchObject({ rfqId: rfq.id, status: "final_round", sellerIds: [a.id, b.id].sort() });
    const row = await rfqRow(rfq.id);
    expect(row).toMatchObject({ status: "final_round", first_extensions: 0, first_chain_length: before.chain_length, extensions: 0, final_opened_by: buyer.purchaser.actor.userId, version: before.version + 1 });
    expect(row.first_deadline?.getTime()).toBe(before.deadline?.getTime());
    expect(row.deadline?.getTime()).toBe(result.deadline.getTime());
    expect(result.deadline.getTime()).toBeGreaterThan(Date.now() + 58 * 60_000);
    expect(row.final_opened_at).toBeInstanceOf(Date);
    // The first close's time stays what the sellers off the shortlist saw.
    expect(row.closed_at?.getTime()).toBe(before.closed_at?.getTime());
    const shortlist = await db.selectFrom("rfq_final_sellers").select("seller_id").where("rfq_id", "=", rfq.id).execute();
    expect(shortlist.map((s) => s.seller_id).sort()).toEqual([a.id, b.id].sort());
    const closeJobs = await db.selectFrom("outbox").select(["payload", "available_at"]).where("topic", "=", "rfq.close").execute();
    expect(closeJobs.some((j) => (j.payload as { rfqId: string }).rfqId === rfq.id && j.available_at.getTime() === result.deadline.getTime())).toBe(true);
    for (const s of [a, b]) {
      const mails = await mailsTo(s.id, "rfq.final_round_invited");
      expect(mails.length).toBeGreaterThanOrEqual(1);
      expect(mails[0]?.params).toMatchObject({ deadline: result.deadline.toISOString(), rfqUrl: `${TEST_URLS.seller}/rfqs/${rfq.id}` });
      // No competitor named, no price.
      const text = JSON.stringify(mails);
      for (const other of [a, b, c, d]) if (other.id !== s.id) expect(text).not.toContain(other.name);
    }
    for (const s of [c, d]) expect(await mailsTo(s.id, "rfq.final_round_invited")).toEqual([]);
    const audit = await db.selectFrom("audit_log").select(["action", "data"]).where("target_id", "=", rfq.id).where("action", "=", "rfq.final_round_opened").execute();
    expect(audit).toHaveLength(1);
    // The offers did not move: they change in the round only by their sellers' revisions.
    for (const s of [a, b, c]) expect((await offerOf(rfq.id, s.id)).status).toBe("locked");
  });

  test("refused with nothing written: not closed, a second round, an award in force, bad deadline or shortlist, another buyer, a viewer", async () => {
    const { buyer, a, b, c, d, rfq } = await closedRfq();
    const other = await buyerOrg(db);
    const stranger = await rfqSeller(db);
    const openRfq = await insertRfq(db, buyer.id);
    const snapshot = await offerSnapshot(db);
    const rfqsBefore = await db.selectFrom("rfqs").selectAll().orderBy("id").execute();
    const refusals: [() => Promise<unknown>, string, Record<string, string[]> | undefined][] = [
      [() => openFinalRound(buyer.purchaser, finalForm(openRfq, [a.id])), "ILLEGAL_TRANSITION", undefined],
      [() => openFinalRound(other.purchaser, finalForm(rfq, [a.id])), "NOT_FOUND", undefined],
      [() => openFinalRound(buyer.viewer, finalForm(rfq, [a.id])), "FORBIDDEN", undefined],
      [() => openFinalRound(a.owner, finalForm(rfq, [a.id])), "FORBIDDEN", undefined],
      [() => openFinalRound(buyer.purchaser, { ...finalForm(rfq, [a.id]), deadline: localIn(-1) }), "VALIDATION", { deadline: ["rfq.deadline_in_past"] }],
      [() => openFinalRound(buyer.purchaser, { ...finalForm(rfq, [a.id]), deadline: "" }), "VALIDATION", { deadline: ["rfq.deadline_required"] }],
      [() => openFinalRound(buyer.purchaser, { ...finalForm(rfq, [a.id]), deadline: "tomorrow" }), "VALIDATION", { deadline: ["rfq.deadline_invalid"] }],
      [() => openFinalRound(buyer.purchaser, finalForm(rfq, [a.id], 31 * 24 * 60)), "VALIDATION", { deadline: ["rfq.final_deadline_too_far"] }],
      [() => openFinalRound(buyer.purchaser, finalForm(rfq, [])), "VALIDATION", { sellerIds: ["rfq.final_shortlist_empty"] }],
      // A withdrawn offer, a seller that never offered, a malformed id: all the same answer.
      [() => openFinalRound(buyer.purchaser, finalForm(rfq, [a.id, d.id])), "VALIDATION", { sellerIds: ["rfq.final_seller_not_eligible"] }],
      [() => openFinalRound(buyer.purchaser, finalForm(rfq, [stranger.id])), "VALIDATION", { sellerIds: ["rfq.final_seller_not_eligible"] }],
    ];
    for (const [call, code, fieldErrors] of refusals) {
      const error = await domainErrorOf(call());
      expect(error.code).toBe(code);
      if (fieldErrors) expect(error.fieldErrors).toEqual(fieldErrors);
    }
    // A malformed id is reported on the field the page shows (not zod's `sellerId.0`).
    const malformed = await domainErrorOf(openFinalRound(buyer.purchaser, finalForm(rfq, [a.id, "not-a-uuid"])));
    expect(malformed).toMatchObject({ code: "VALIDATION", fieldErrors: { sellerIds: ["rfq.final_seller_not_eligible"] } });
    expect(Object.keys(malformed.fieldErrors)).toEqual(["sellerIds"]);
    const malformedList = await domainErrorOf(openFinalRound(buyer.purchaser, { ...finalForm(rfq, []), sellerIds: ["x", "y"] }));
    expect(malformedList.fieldErrors).toEqual({ sellerIds: ["rfq.final_seller_not_eligible"] });
    expect(await offerSnapshot(db)).toEqual(snapshot);
    expect(await db.selectFrom("rfqs").selectAll().orderBy("id").execute()).toEqual(rfqsBefore);
    expect(await db.selectFrom("rfq_final_sellers").selectAll().where("rfq_id", "in", [rfq.id, openRfq.id]).execute()).toEqual([]);

    // Once opened, never a second time (not even after it closed again).
    await openFinalRound(buyer.purchaser, finalForm(rfq, [a.id, c.id]));
    expect((await domainErrorOf(openFinalRound(buyer.purchaser, finalForm(rfq, [b.id])))).code).toBe("ILLEGAL_TRANSITION");
    await setDeadline(db, rfq.id, -1);
    await closeRfq(deps, { rfqId: rfq.id });
    expect(await domainErrorOf(openFinalRound(buyer.purchaser, finalForm(rfq, [b.id])))).toMatchObject({ code: "CONFLICT", fieldErrors: { _form: ["rfq.final_round_used"] } });
  });

  test("not with an award in force (pending approval or approved); a rejected one does not count", async () => {
    const { buyer, a, rfq } = await closedRfq();
    await db.insertInto("approval_rules").values({ buyer_id: buyer.id, currency: "EUR", threshold_minor: "1", approver_role: "admin", created_by: buyer.admin.actor.userId }).execute();
    const offer = await offerOf(rfq.id, a.id);
    const award = await awardRfq(buyer.purchaser, { rfqId: rfq.id, mode: "whole", offerIds: [offer.id] });
    expect(award.status).toBe("pending_approval");
    expect(await domainErrorOf(openFinalRound(buyer.purchaser, finalForm(rfq, [a.id])))).toMatchObject({ code: "CONFLICT", fieldErrors: { _form: ["rfq.final_round_award_exists"] } });
    await db.updateTable("awards").set({ status: "rejected", decided_at: sql<Date>`now()` }).where("id", "=", award.awardId).execute();
    expect((await openFinalRound(buyer.purchaser, finalForm(rfq, [a.id]))).status).toBe("final_round");
  });

  test("two openings at once (separate connections): exactly one round; an opening and an award at once: one of them", async () => {
    const { buyer, a, b, rfq } = await closedRfq();
    const results = await Promise.allSettled([
      openFinalRound(buyer.purchaser, finalForm(rfq, [a.id])),
      openFinalRound(on(buyer.admin, otherDb), finalForm(rfq, [b.id])),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(await db.selectFrom("rfq_final_sellers").select("seller_id").where("rfq_id", "=", rfq.id).execute()).toHaveLength(1);

    const second = await closedRfq();
    const offer = await offerOf(second.rfq.id, second.a.id);
    const raced = await Promise.allSettled([
      openFinalRound(second.buyer.purchaser, finalForm(second.rfq, [second.b.id])),
      awardRfq(on(second.buyer.admin, otherDb), { rfqId: second.rfq.id, mode: "whole", offerIds: [offer.id] }),
    ]);
    expect(raced.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const row = await rfqRow(second.rfq.id);
    if (raced[0].status === "fulfilled") expect(row.status).toBe("final_round");
    else expect(row.status).toBe("awarded");
  });

  test("a shortlisted seller's pending counter-proposal is superseded (its offer changes in the round by its revision only); an excluded seller's keeps running and is answered as on a closed RFQ", async () => {
    const { buyer, a, c, rfq } = await closedRfq();
    const counterOn = async (sellerId: string) => {
      const offer = await offerOf(rfq.id, sellerId);
      const row = await db
        .insertInto("offer_counters")
        .values({ rfq_id: rfq.id, offer_id: offer.id, seller_id: sellerId, buyer_id: buyer.id, round: 1, respond_by: sql<Date>`now() + interval '1 day'`, offer_revision: offer.revision })
        .returning("id")
        .executeTakeFirstOrThrow();
      return row.id;
    };
    const [onA, onC] = [await counterOn(a.id), await counterOn(c.id)];
    await openFinalRound(buyer.purchaser, finalForm(rfq, [a.id]));
    const statusOf = async (id: string) => (await db.selectFrom("offer_counters").select("status").where("id", "=", id).executeTakeFirstOrThrow()).status;
    expect(await statusOf(onA)).toBe("superseded");
    expect(await statusOf(onC)).toBe("pending");
    // C is off the shortlist: a refusal would tell it of the round; its offer is out of the final comparison anyway.
    await expect(answerCounter(c.sales, { rfqId: rfq.id, counterId: onC, answer: "decline", reason: "Our price is firm." })).resolves.toMatchObject({ status: "declined" });
    // A is in the round: it answers through its offer form, not the counter.
    expect((await domainErrorOf(answerCounter(a.sales, { rfqId: rfq.id, counterId: onA, answer: "decline", reason: "No." }))).code).toBe("CONFLICT");
  });
});

describe("during the round", () => {
  test("a shortlisted seller revises its final offer (locked → revised) through the offer path: receipt in the chain, tagged with the round", async () => {
    const { buyer, a, b, rfq } = await closedRfq();
    await openFinalRound(buyer.purchaser, finalForm(rfq, [a.id, b.id]));
    const lengthBefore = (await rfqRow(rfq.id)).chain_length;
    const saved = await saveOffer(a.sales, offerForm(rfq, {}, "0.99"));
    expect(saved).toMatchObject({ status: "revised", extended: false });
    const offer = await offerOf(rfq.id, a.id);
    expect(offer).toMatchObject({ status: "revised", revision: saved.revision, total_minor: String(99 * 100 + 99 * 20) });
    const receipt = await db.selectFrom("offer_revisions").selectAll().where("rfq_id", "=", rfq.id).orderBy("sequence", "desc").executeTakeFirstOrThrow();
    expect(receipt).toMatchObject({ sequence: lengthBefore + 1, kind: "revised", seller_id: a.id, hash: saved.receipt.hash });
    expect(JSON.parse(receipt.content)).toMatchObject({ reason: { code: "rfq.final_round" } });
    expect((await verifyRfqChain(db, rfq.id)).ok).toBe(true);
    // Again and again until the deadline, like the first round.
    expect((await saveOffer(a.sales, offerForm(rfq, {}, "0.98"))).revision).toBe(saved.revision + 1);
    // The seller's page: open to it, revise only (no withdrawal, no question, no fresh file), the first deadline kept aside.
    const view = await getSellerRfq(a.sales, { rfqId: rfq.id });
    expect(view.rfq.status).toBe("open");
    expect(view.moves).toEqual({ ask: false, submit: false, revise: true, withdraw: false, attach: false });
    expect(view.finalRound?.firstDeadline).toBe((await rfqRow(rfq.id)).first_deadline?.toISOString());
    expect(view.chain).toBeNull();
    for (const r of view.receipts) expect(r).not.toHaveProperty("sequence");
  });

  test("no withdrawal in the round: CONFLICT offer.final_round_no_withdraw for the shortlist, the closed answer for the others; nothing written", async () => {
    const { buyer, a, c, rfq } = await closedRfq();
    await openFinalRound(buyer.purchaser, finalForm(rfq, [a.id]));
    const snapshot = await offerSnapshot(db);
    expect(await domainErrorOf(withdrawOffer(a.sales, { rfqId: rfq.id }))).toMatchObject({ code: "CONFLICT", fieldErrors: { offer: ["offer.final_round_no_withdraw"] } });
    await saveOffer(a.sales, offerForm(rfq, {}, "1.00"));
    const afterRevision = await offerSnapshot(db);
    expect(await domainErrorOf(withdrawOffer(a.sales, { rfqId: rfq.id }))).toMatchObject({ code: "CONFLICT", fieldErrors: { offer: ["offer.final_round_no_withdraw"] } });
    expect(await domainErrorOf(withdrawOffer(c.sales, { rfqId: rfq.id }))).toMatchObject({ code: "CONFLICT", fieldErrors: { offer: ["offer.rfq_not_open"] } });
    expect(await offerSnapshot(db)).toEqual(afterRevision);
    expect(afterRevision.counts.offer_revisions).toBe(snapshot.counts.offer_revisions + 1);
  });

  test("a seller off the shortlist cannot write: the answer of a closed RFQ, before and under the lock, nothing written", async () => {
    const { buyer, a, c, d, rfq } = await closedRfq();
    const stranger = await rfqSeller(db);
    await openFinalRound(buyer.purchaser, finalForm(rfq, [a.id]));
    const snapshot = await offerSnapshot(db);
    for (const s of [c, d]) {
      expect(await domainErrorOf(saveOffer(s.sales, offerForm(rfq, {}, "0.50")))).toMatchObject({ code: "CONFLICT", fieldErrors: { offer: ["offer.rfq_not_open"] } });
      expect(await domainErrorOf(saveOffer(s.owner, offerForm(rfq, {}, "0.50")))).toMatchObject({ code: "CONFLICT", fieldErrors: { offer: ["offer.rfq_not_open"] } });
    }
    // A seller that can see the RFQ (same category) but never offered: the same answer.
    expect(await domainErrorOf(saveOffer(stranger.sales, offerForm(rfq, {}, "0.50")))).toMatchObject({ code: "CONFLICT", fieldErrors: { offer: ["offer.rfq_not_open"] } });
    // Inside a caller's transaction the write goes straight to the lock: the shortlist is checked there too.
    const underLock = await domainErrorOf(withTransaction(db, (trx) => saveOffer({ ...c.sales, db: trx }, offerForm(rfq, {}, "0.50"))));
    expect(underLock.fieldErrors).toEqual({ offer: ["offer.rfq_not_open"] });
    expect(await offerSnapshot(db)).toEqual(snapshot);
    // Its page: closed, no form, nothing of the round.
    const view = await getSellerRfq(c.sales, { rfqId: rfq.id });
    expect(view.rfq.status).toBe("closed");
    expect(view.finalRound).toBeNull();
    expect(view.moves).toEqual({ ask: false, submit: false, revise: false, withdraw: false, attach: false });
  });

  test("no final-round offer at or after its deadline (database clock, pinned); one millisecond before is accepted", async () => {
    const { buyer, a, rfq } = await closedRfq();
    await openFinalRound(buyer.purchaser, finalForm(rfq, [a.id]));
    const deadline = new Date(Date.parse("2031-06-01T12:00:00.000Z"));
    await db.updateTable("rfqs").set({ deadline }).where("id", "=", rfq.id).execute();
    const seller = on(a.sales, pinnedDb);
    const form = offerForm(rfq, { validUntil: "2031-12-31" }, "0.90");
    try {
      await pinClock(new Date(deadline.getTime() - 1));
      expect((await saveOffer(seller, form)).receipt.recordedAt).toBe("2031-06-01T11:59:59.999Z");
      const snapshot = await offerSnapshot(db);
      for (const at of [deadline, new Date(deadline.getTime() + 1), new Date(deadline.getTime() + 3_600_000)]) {
        await pinClock(at);
        expect((await domainErrorOf(saveOffer(seller, offerForm(rfq, { validUntil: "2031-12-31" }, "0.10")))).fieldErrors).toEqual({ offer: ["offer.deadline_passed"] });
      }
      expect(await offerSnapshot(db)).toEqual(snapshot);
      // The page offers no form at the deadline either.
      await pinClock(deadline);
      expect((await getSellerRfq(seller, { rfqId: rfq.id })).moves.revise).toBe(false);
    } finally {
      await pinClock(null);
    }
  });

  test("a revision racing the round's close: either it is in the chain before the close, or refused; the close verifies the chain", async () => {
    const { buyer, a, b, rfq } = await closedRfq();
    await openFinalRound(buyer.purchaser, finalForm(rfq, [a.id, b.id]));
    await setDeadline(db, rfq.id, 150);
    const writes = Array.from({ length: 6 }, (_, i) => async () => {
      await new Promise((resolve) => setTimeout(resolve, i * 40));
      return saveOffer(on(i % 2 === 0 ? a.sales : b.sales, otherDb), offerForm(rfq, {}, `0.${80 + i}`));
    });
    const closer = async () => {
      await new Promise((resolve) => setTimeout(resolve, 170));
      return closeRfq(deps, { rfqId: rfq.id });
    };
    const [closed, ...outcomes] = await Promise.allSettled([closer(), ...writes.map((w) => w())]);
    // Refused under the lock at the deadline, or (once closed) before it: either way the answer of a write too late.
    for (const o of outcomes) if (o.status === "rejected") expect([["offer.deadline_passed"], ["offer.rfq_not_open"]]).toContainEqual((o.reason as { fieldErrors: { offer: string[] } }).fieldErrors.offer);
    if (closed.status === "fulfilled" && !closed.value.closed) await closeDueRfqs(deps);
    const row = await rfqRow(rfq.id);
    expect(row.status).toBe("closed");
    expect(row.chain_verified_at).toBeInstanceOf(Date);
    const receipts = await db.selectFrom("offer_revisions").select("recorded_at").where("rfq_id", "=", rfq.id).execute();
    for (const r of receipts) expect(r.recorded_at.getTime()).toBeLessThan(row.deadline!.getTime());
  });

  test("shortlisted sellers never see each other's final offers; on open bidding each sees only its own rank among the shortlist", async () => {
    const sealed = await closedRfq();
    await openFinalRound(sealed.buyer.purchaser, finalForm(sealed.rfq, [sealed.a.id, sealed.b.id]));
    await saveOffer(sealed.b.sales, offerForm(sealed.rfq, {}, "0.77"));
    const viewA = await getSellerRfq(sealed.a.sales, { rfqId: sealed.rfq.id });
    const text = JSON.stringify([viewA, await listRfqInbox(sealed.a.sales, {}), JSON.parse((await exportOfferReceipts(sealed.a.sales, { rfqId: sealed.rfq.id })).json)]);
    for (const secret of [sealed.b.id, sealed.b.name]) expect(text).not.toContain(secret);
    // No amount anywhere but A's own (110 per unit, 110 × 120 in all).
    expect(new Set(amountsIn(text))).toEqual(new Set(["110", String(110 * 100), String(110 * 20), String(110 * 120)]));
    expect(viewA.ranks).toBeNull();

    const open = await closedRfq({ sealing: "open" });
    await openFinalRound(open.buyer.purchaser, finalForm(open.rfq, [open.b.id, open.c.id]));
    // C (1.30) is behind B (1.20); A (1.10, off the shortlist) does not count any more.
    expect((await getSellerRfq(open.c.sales, { rfqId: open.rfq.id })).ranks).toEqual(open.rfq.lineIds.map((lineId) => ({ lineId, rank: 2 })));
    await saveOffer(open.c.sales, offerForm(open.rfq, {}, "1.15"));
    expect((await getSellerRfq(open.c.sales, { rfqId: open.rfq.id })).ranks).toEqual(open.rfq.lineIds.map((lineId) => ({ lineId, rank: 1 })));
    expect((await getSellerRfq(open.b.sales, { rfqId: open.rfq.id })).ranks).toEqual(open.rfq.lineIds.map((lineId) => ({ lineId, rank: 2 })));
    const viewB = JSON.stringify(await getSellerRfq(open.b.sales, { rfqId: open.rfq.id }));
    for (const secret of [open.c.id, open.c.name]) expect(viewB).not.toContain(secret);
    expect(amountsIn(viewB)).not.toContain("115");
    // A, off the shortlist, has no rank and sees nothing move.
    expect((await getSellerRfq(open.a.sales, { rfqId: open.rfq.id })).ranks).toBeNull();
  });

  test("the inbox lists the round for its shortlist only, until its deadline", async () => {
    const { buyer, a, c, rfq } = await closedRfq();
    await openFinalRound(buyer.purchaser, finalForm(rfq, [a.id]));
    const mine = (await listRfqInbox(a.sales, {})).items.find((i) => i.id === rfq.id);
    expect(mine).toMatchObject({ finalRound: true, myOffer: { status: "locked" } });
    expect((await listRfqInbox(c.sales, {})).items.find((i) => i.id === rfq.id)).toBeUndefined();
    await setDeadline(db, rfq.id, -1);
    expect((await listRfqInbox(a.sales, {})).items.find((i) => i.id === rfq.id)).toBeUndefined();
  });
});

describe("closing the round and afterwards", () => {
  test("the close job closes it at its deadline (revised offers locked again, chain verified), told to the buyer and the shortlist only; twice is harmless", async () => {
    const { buyer, a, b, c, rfq } = await closedRfq();
    await openFinalRound(buyer.purchaser, finalForm(rfq, [a.id, b.id]));
    await saveOffer(a.sales, offerForm(rfq, {}, "0.95"));
    expect(await closeRfq(deps, { rfqId: rfq.id })).toMatchObject({ closed: false });
    const closedMailsBefore = { buyer: (await mailsTo(buyer.id, "rfq.closed.buyer")).length, c: (await mailsTo(c.id)).length };
    await setDeadline(db, rfq.id, -1);
    const closed = await closeRfq(deps, { rfqId: rfq.id });
    expect(closed).toMatchObject({ closed: true, offers: 2, chain: { ok: true } });
    const row = await rfqRow(rfq.id);
    expect(row.status).toBe("closed");
    expect(row.chain_verified_at).toBeInstanceOf(Date);
    for (const s of [a, b, c]) expect((await offerOf(rfq.id, s.id)).status).toBe("locked");
    expect((await mailsTo(buyer.id, "rfq.closed.buyer")).length).toBeGreaterThan(closedMailsBefore.buyer);
    expect((await mailsTo(buyer.id, "rfq.closed.buyer")).at(-1)?.params.offerCount).toBe("2");
    for (const s of [a, b]) expect((await mailsTo(s.id, "rfq.closed.seller")).length).toBe(4);
    expect((await mailsTo(c.id)).length).toBe(closedMailsBefore.c);
    expect(await closeRfq(deps, { rfqId: rfq.id })).toMatchObject({ closed: false });
    // A's page shows the whole chain again, with the head verified at the round's close.
    expect((await getSellerRfq(a.sales, { rfqId: rfq.id })).chain).toEqual({ head: row.chain_head, length: row.chain_length, verifiedAt: row.chain_verified_at!.toISOString() });
  });

  test("the sweep closes a round whose job was lost", async () => {
    const { buyer, a, rfq } = await closedRfq();
    await openFinalRound(buyer.purchaser, finalForm(rfq, [a.id]));
    await setDeadline(db, rfq.id, -1);
    expect((await closeDueRfqs(deps)).failed).toEqual([]);
    expect((await rfqRow(rfq.id)).status).toBe("closed");
  });

  test("afterwards the comparison, its CSV and the award take the shortlist's final offers only; a non-shortlisted offer is refused", async () => {
    const { buyer, a, b, c, rfq } = await closedRfq();
    await openFinalRound(buyer.purchaser, finalForm(rfq, [b.id, c.id]));
    await saveOffer(c.sales, offerForm(rfq, {}, "1.01"));
    // During the round: no comparison, no figure.
    expect(await domainErrorOf(getRfqComparison(buyer.purchaser, { rfqId: rfq.id }))).toMatchObject({ code: "CONFLICT", fieldErrors: { _form: ["rfq.comparison_not_available"] } });
    await setDeadline(db, rfq.id, -1);
    await closeRfq(deps, { rfqId: rfq.id });

    const comparison = await getRfqComparison(buyer.purchaser, { rfqId: rfq.id });
    expect(comparison.offers.map((o) => o.seller.id).sort()).toEqual([b.id, c.id].sort());
    expect(comparison.offers.find((o) => o.seller.id === c.id)?.total.amountMinor).toBe(String(101 * 100 + 101 * 20));
    const csv = (await exportRfqComparisonCsv(buyer.purchaser, { rfqId: rfq.id })).csv;
    expect(csv).not.toContain(a.name);
    expect(csv).toContain(c.name);
    const view = await getBuyerRfq(buyer.purchaser, { rfqId: rfq.id });
    expect(view.offers?.map((o) => o.seller.id).sort()).toEqual([b.id, c.id].sort());
    expect(view.offerCount).toBe(2);
    expect(view.finalRound?.sellers.map((s) => s.id).sort()).toEqual([b.id, c.id].sort());
    expect(view.can.finalRound).toBe(false);

    const offerA = await offerOf(rfq.id, a.id);
    const offerC = await offerOf(rfq.id, c.id);
    const snapshot = await db.selectFrom("awards").select("id").execute();
    const refused = await domainErrorOf(awardRfq(buyer.purchaser, { rfqId: rfq.id, mode: "whole", offerIds: [offerA.id] }));
    expect(refused.code).toBe("VALIDATION");
    expect(refused.fieldErrors).toHaveProperty("offerIds");
    const split = await domainErrorOf(
      awardRfq(buyer.purchaser, { rfqId: rfq.id, mode: "lines", allocations: [{ lineId: rfq.lineIds[0]!, offerId: offerA.id, quantity: 10 }] }),
    );
    expect(split.code).toBe("VALIDATION");
    expect(await db.selectFrom("awards").select("id").execute()).toEqual(snapshot);
    const awarded = await awardRfq(buyer.purchaser, { rfqId: rfq.id, mode: "whole", offerIds: [offerC.id] });
    expect(awarded.status).toBe("approved");
    const lines = await db.selectFrom("award_lines").select(["seller_id", "unit_price_minor"]).where("award_id", "=", awarded.awardId).execute();
    expect(lines.every((l) => l.seller_id === c.id && l.unit_price_minor === "101")).toBe(true);
  });

  test("the buyer's page offers the round on a closed RFQ with final offers and an award permission only", async () => {
    const { buyer, rfq } = await closedRfq();
    expect((await getBuyerRfq(buyer.purchaser, { rfqId: rfq.id })).can.finalRound).toBe(true);
    expect((await getBuyerRfq(buyer.viewer, { rfqId: rfq.id })).can.finalRound).toBe(false);
    const empty = await insertRfq(db, buyer.id, { deadlineInMs: -10 });
    await closeRfq(deps, { rfqId: empty.id });
    expect((await getBuyerRfq(buyer.purchaser, { rfqId: empty.id })).can.finalRound).toBe(false);
    // The moves stay the first round's (the round is its own button).
    expect((await getBuyerRfq(buyer.purchaser, { rfqId: rfq.id })).moves).toEqual(["award"]);
  });

  test("a seller off the shortlist sees the RFQ exactly as the first close left it, before, during and after every write of the round", async () => {
    const { buyer, a, b, c, rfq } = await closedRfq({ antiSniping: { windowMinutes: 90, maxExtensions: 3 } });
    const viewC = async () => stable(await getSellerRfq(c.sales, { rfqId: rfq.id }));
    const exportC = async () => stable(JSON.parse((await exportOfferReceipts(c.sales, { rfqId: rfq.id })).json));
    const before = [await viewC(), await exportC(), stable(await listRfqInbox(c.sales, {}))];
    await openFinalRound(buyer.purchaser, finalForm(rfq, [a.id, b.id], 60));
    expect([await viewC(), await exportC(), stable(await listRfqInbox(c.sales, {}))]).toEqual(before);
    // A revision inside the anti-sniping window pushes the round's deadline: nothing of it reaches C.
    // Prices long enough that no timestamp ("…:50.918Z") or generated name can contain one by chance ("0.91" once did).
    const revised = await saveOffer(a.sales, offerForm(rfq, {}, "7531.91"));
    expect(revised.extended).toBe(true);
    await saveOffer(b.sales, offerForm(rfq, {}, "7531.92"));
    expect([await viewC(), await exportC(), stable(await listRfqInbox(c.sales, {}))]).toEqual(before);
    expect(JSON.stringify(before)).not.toContain("7531.91");
  });
});
