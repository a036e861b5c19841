import { sql } from "kysely";
import { describe, expect, test } from "vitest";
import { createDb, withTransaction } from "@souk/db";
import { createTestDatabase } from "@souk/testing";
import { domainErrorOf, TEST_URLS } from "../identity/test-support";
import { notified } from "../approvals/test-support";
import { BUILT_IN_CONSUMERS } from "../events/consumers";
import { dispatchEvent } from "../events/registry";
import { openDispute as buyerOpensDispute } from "../orders/open-dispute";
import { resolveDispute as operatorResolvesDispute } from "../orders/resolve-dispute";
import { markPayoutFailed } from "./mark-payout-failed";
import { markPayoutPaid } from "./mark-payout-paid";
import type { PaymentProvider } from "./payment-provider";
import { postRefund } from "./post-refund";
import { requestPayoutRun } from "./request-payout-run";
import { runPayouts } from "./run-payouts";
import { submitPayout } from "./submit-payout";
import { schedulePayoutRun } from "./schedule-payout-run";
import { settleOrder } from "./settle-order";
import { syncSellerPayoutHold } from "./sync-seller-payout-hold";
import {
  buyer,
  commissionRule,
  entriesOf,
  ledgerProblems,
  moneyRowCounts,
  moneySeller,
  NO_PROBLEMS,
  openDispute,
  operator,
  order,
  payoutRun,
  resolveDispute,
  sellerPayable,
} from "./test-support";

const { db, url } = await createTestDatabase();
const deps = { db, publicUrls: TEST_URLS };
const finance = await operator(db, "finance");
const moderator = await operator(db, "moderator");

// 10 %, no fee: net = 90 % of the order.
await commissionRule(db, { currency: "EUR", rateBps: 1000 });
await commissionRule(db, { currency: "JPY", rateBps: 1000 });

async function settledOrder(buyerId: string, sellerId: string, totalMinor: number, currency = "EUR") {
  const o = await order(db, { buyerId, sellerId, totalMinor, currency });
  await settleOrder(deps, { orderId: o.id });
  return o;
}

const payoutsOf = (sellerId: string) =>
  db.selectFrom("payouts").select(["id", "currency", "amount_minor", "status", "run_id", "journal_id"]).where("seller_id", "=", sellerId).orderBy("number").execute();

const run = async () => runPayouts(deps, { runId: await payoutRun(db) });

/** A fake third-party provider that records its calls. */
function recordingProvider(): { provider: PaymentProvider; calls: string[] } {
  const calls: string[] = [];
  const provider: PaymentProvider = {
    name: "fake-bank",
    async submit(p) {
      calls.push(`submit ${p.reference} ${p.amount.amount}`);
      return { reference: `FB-${p.reference}` };
    },
  };
  return { provider, calls };
}

async function suspend(sellerId: string, status: "suspended" | "active") {
  await db.updateTable("organizations").set({ status }).where("id", "=", sellerId).execute();
}

describe("payout runs", () => {
  test("batch each active seller's settled journals into one payout per currency, with its journal and items; a second run finds nothing", async () => {
    const b = await buyer(db);
    const s = await moneySeller(db);
    const o1 = await settledOrder(b.id, s.id, 10_000);
    const o2 = await settledOrder(b.id, s.id, 5_000);
    await settledOrder(b.id, s.id, 3_000, "JPY");
    const runId = await payoutRun(db);
    const result = await runPayouts(deps, { runId });
    expect(result).toMatchObject({ runId, alreadyFinished: false });
    expect(result.payouts).toBeGreaterThanOrEqual(2);

    const payouts = await payoutsOf(s.id);
    expect(payouts.map((p) => [p.currency, p.amount_minor, p.status, p.run_id])).toEqual([
      ["EUR", "13500", "pending", runId],
      ["JPY", "2700", "pending", runId],
    ]);
    const eur = payouts[0]!;
    const journal = await db.selectFrom("journals").select(["id", "idempotency_key", "kind"]).where("id", "=", eur.journal_id!).executeTakeFirstOrThrow();
    expect(journal).toMatchObject({ idempotency_key: `payout:${eur.id}`, kind: "payout" });
    expect(await entriesOf(db, journal.id)).toEqual([
      ["seller_payable", s.id, 13_500n],
      ["payouts_in_transit", null, -13_500n],
    ]);
    const items = await db.selectFrom("payout_items as pi").innerJoin("journals as j", "j.id", "pi.journal_id").select(["j.order_id", "pi.amount_minor"]).where("pi.payout_id", "=", eur.id).orderBy("j.number").execute();
    expect(items).toEqual([
      { order_id: o1.id, amount_minor: "9000" },
      { order_id: o2.id, amount_minor: "4500" },
    ]);
    expect(await sellerPayable(db, s.id)).toEqual({});
    const finished = await db.selectFrom("payout_runs").select(["finished_at", "payouts"]).where("id", "=", runId).executeTakeFirstOrThrow();
    expect(finished.finished_at).toBeInstanceOf(Date);
    expect(finished.payouts).toBe(result.payouts);

    // The same run again (a retried job) does nothing; a new run finds nothing of this seller.
    expect(await runPayouts(deps, { runId })).toMatchObject({ alreadyFinished: true, payouts: 0 });
    await run();
    expect(await payoutsOf(s.id)).toHaveLength(2);
    expect(await ledgerProblems(db)).toEqual(NO_PROBLEMS);
  });

  test("journals of an order under an open dispute wait; a refund that leaves the seller owing is carried over", async () => {
    const b = await buyer(db);
    const s = await moneySeller(db);
    const calm = await settledOrder(b.id, s.id, 1_000);
    const contested = await settledOrder(b.id, s.id, 4_000);
    const disputeId = await openDispute(db, contested.id);
    await run();
    expect((await payoutsOf(s.id)).map((p) => p.amount_minor)).toEqual(["900"]);
    expect(await sellerPayable(db, s.id)).toEqual({ EUR: 3_600n });

    // Full refund of the contested order: its settlement (+3600) and refund (−3600) go out together, net 0: carried over.
    await resolveDispute(db, disputeId, "full_refund");
    const carried = await run();
    expect(carried.carriedOver).toBeGreaterThanOrEqual(1);
    expect(await payoutsOf(s.id)).toHaveLength(1);

    // A refund of an order already paid out leaves the seller owing: carried over until a later sale covers it.
    const paidOut = await db.selectFrom("journals").select("id").where("order_id", "=", calm.id).where("kind", "=", "settlement").executeTakeFirstOrThrow();
    expect(await db.selectFrom("payout_items").select("payout_id").where("journal_id", "=", paidOut.id).executeTakeFirst()).toBeDefined();
    await withTransaction(db, (trx) => postRefund(trx, { orderId: calm.id, disputeId: null, amountMinor: 1_000n, actorUserId: null }));
    expect(await sellerPayable(db, s.id)).toEqual({ EUR: -900n });
    await run();
    expect(await payoutsOf(s.id)).toHaveLength(1);
    await settledOrder(b.id, s.id, 2_000);
    await run();
    expect((await payoutsOf(s.id)).map((p) => p.amount_minor)).toEqual(["900", "900"]);
    expect(await sellerPayable(db, s.id)).toEqual({});
    expect(await ledgerProblems(db)).toEqual(NO_PROBLEMS);
  });

  test("two runs at once, each on its own connection: every journal in exactly one payout", async () => {
    const b = await buyer(db);
    const sellers = [await moneySeller(db), await moneySeller(db), await moneySeller(db)];
    for (const s of sellers) for (const total of [1_000, 2_000, 3_000]) await settledOrder(b.id, s.id, total);
    const workers = [createDb({ connectionString: url, max: 1 }), createDb({ connectionString: url, max: 1 })];
    try {
      const runs = [await payoutRun(db), await payoutRun(db)];
      await Promise.all(workers.map((w, i) => runPayouts({ db: w, publicUrls: TEST_URLS }, { runId: runs[i]! })));
    } finally {
      await Promise.all(workers.map((w) => w.destroy()));
    }
    for (const s of sellers) {
      expect((await payoutsOf(s.id)).map((p) => p.amount_minor)).toEqual(["5400"]);
      expect(await sellerPayable(db, s.id)).toEqual({});
    }
    expect(await ledgerProblems(db)).toEqual(NO_PROBLEMS);
  });

  test("the schedule starts a run once the last is a cycle old (database clock); the operator's button starts one any time, audited", async () => {
    await db.deleteFrom("payout_runs").where("finished_at", "is", null).execute();
    const existing = await db.selectFrom("payout_runs").select("id").execute();
    if (existing.length > 0) await sql`update payout_runs set started_at = now() - interval '30 days'`.execute(db);
    const first = await schedulePayoutRun(deps, { cycleDays: 10 });
    expect(first).toEqual({ runId: expect.any(String) });
    expect(await schedulePayoutRun(deps, { cycleDays: 10 })).toBeNull();
    await sql`update payout_runs set started_at = now() - interval '10 days' where id = ${first!.runId}`.execute(db);
    const second = await schedulePayoutRun(deps, { cycleDays: 10 });
    expect(second).not.toBeNull();
    expect((await db.selectFrom("outbox").select("payload").where("topic", "=", "payouts.run").execute()).map((r) => r.payload)).toEqual(
      expect.arrayContaining([{ runId: first!.runId }, { runId: second!.runId }]),
    );
    expect((await domainErrorOf(schedulePayoutRun(deps, { cycleDays: 0 }))).fieldErrors).toEqual({ cycleDays: ["payout.cycle_invalid"] });

    const requested = await requestPayoutRun(finance);
    const row = await db.selectFrom("payout_runs").select(["trigger", "requested_by"]).where("id", "=", requested.runId).executeTakeFirstOrThrow();
    expect(row).toEqual({ trigger: "operator", requested_by: finance.actor.userId });
    expect(await db.selectFrom("audit_log").select("target_id").where("action", "=", "payout_run.requested").execute()).toEqual([{ target_id: requested.runId }]);
    expect((await domainErrorOf(requestPayoutRun(moderator))).code).toBe("FORBIDDEN");
  });
});

describe("marking payouts paid or failed", () => {
  test("paid: a payout_paid journal to cash, the reference kept, audited, the seller's owners told; never twice", async () => {
    const b = await buyer(db);
    const s = await moneySeller(db);
    await settledOrder(b.id, s.id, 10_000);
    await run();
    const [payout] = await payoutsOf(s.id);
    const result = await markPayoutPaid(finance, { payoutId: payout!.id, reference: "SEPA-2026-0042" });
    expect(result).toEqual({ payoutId: payout!.id, status: "paid", journalId: expect.any(String) });
    expect(await entriesOf(db, result.journalId)).toEqual([
      ["payouts_in_transit", null, 9_000n],
      ["cash", null, -9_000n],
    ]);
    const row = await db.selectFrom("payouts").select(["status", "provider", "provider_reference", "decided_by"]).where("id", "=", payout!.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ status: "paid", provider: "manual", provider_reference: "SEPA-2026-0042", decided_by: finance.actor.userId });
    expect(await db.selectFrom("audit_log").select(["organization_id", "data"]).where("action", "=", "payout.paid").where("target_id", "=", payout!.id).execute()).toEqual([
      { organization_id: s.id, data: expect.objectContaining({ amountMinor: "9000", providerReference: "SEPA-2026-0042" }) },
    ]);
    const told = (await notified(db, "payout.paid")).filter((n) => n.organizationId === s.id);
    expect(told.map((n) => n.userId)).toEqual([s.owners[0]!.userId]);
    expect(told[0]!.body).toContain("SEPA-2026-0042");

    const before = await moneyRowCounts(db);
    for (const call of [() => markPayoutPaid(finance, { payoutId: payout!.id, reference: "again" }), () => markPayoutFailed(finance, { payoutId: payout!.id, reason: "late" })]) {
      const error = await domainErrorOf(call());
      expect([error.code, error.fieldErrors]).toEqual(["CONFLICT", { _form: ["payout.not_pending"] }]);
    }
    expect(await moneyRowCounts(db)).toEqual(before);
    expect(await ledgerProblems(db)).toEqual(NO_PROBLEMS);
  });

  test("a payout holding an order disputed after the run is not paid until the dispute is resolved; nothing is written meanwhile", async () => {
    const b = await buyer(db);
    const s = await moneySeller(db);
    await settledOrder(b.id, s.id, 2_000);
    const contested = await settledOrder(b.id, s.id, 10_000);
    await run();
    const [payout] = await payoutsOf(s.id);
    expect(payout).toMatchObject({ status: "pending", amount_minor: "10800" });

    // Within the window after delivery, the buyer disputes one of the payout's orders.
    const { disputeId } = await buyerOpensDispute(b.purchaser, { orderId: contested.id, reason: "Half the boxes were crushed." });
    const before = await moneyRowCounts(db);
    const error = await domainErrorOf(markPayoutPaid(finance, { payoutId: payout!.id, reference: "SEPA-1" }));
    expect([error.code, error.fieldErrors]).toEqual(["VALIDATION", { _form: ["payout.dispute_open"] }]);
    expect(await moneyRowCounts(db)).toEqual(before);
    expect((await payoutsOf(s.id)).map((p) => p.status)).toEqual(["pending"]);

    // Released by an operator: the payout can be paid.
    await operatorResolvesDispute(moderator, { disputeId, resolution: "release", note: "The damage happened after delivery." });
    expect(await markPayoutPaid(finance, { payoutId: payout!.id, reference: "SEPA-1" })).toMatchObject({ payoutId: payout!.id, status: "paid" });
    expect((await payoutsOf(s.id)).map((p) => p.status)).toEqual(["paid"]);
    expect(await ledgerProblems(db)).toEqual(NO_PROBLEMS);
  });

  test("a failed payout's disputed order still stops the payment of the payout that takes its amount up again", async () => {
    const b = await buyer(db);
    const s = await moneySeller(db);
    const contested = await settledOrder(b.id, s.id, 10_000);
    await run();
    const [first] = await payoutsOf(s.id);
    const { disputeId } = await buyerOpensDispute(b.purchaser, { orderId: contested.id, reason: "Wrong size." });
    // Failing it stays possible: the amount goes back to the seller's payable, and the next run batches it again.
    await markPayoutFailed(finance, { payoutId: first!.id, reason: "IBAN closed" });
    await run();
    const [, second] = await payoutsOf(s.id);
    expect(second).toMatchObject({ status: "pending", amount_minor: "9000" });
    const before = await moneyRowCounts(db);
    expect((await domainErrorOf(markPayoutPaid(finance, { payoutId: second!.id, reference: "SEPA-2" }))).fieldErrors).toEqual({ _form: ["payout.dispute_open"] });
    expect(await moneyRowCounts(db)).toEqual(before);
    await operatorResolvesDispute(moderator, { disputeId, resolution: "release", note: "Size as ordered." });
    expect(await markPayoutPaid(finance, { payoutId: second!.id, reference: "SEPA-2" })).toMatchObject({ status: "paid" });
    expect(await ledgerProblems(db)).toEqual(NO_PROBLEMS);
  });

  test("failed: the amount goes back to the seller's payable and out again with the next run", async () => {
    const b = await buyer(db);
    const s = await moneySeller(db);
    await settledOrder(b.id, s.id, 10_000);
    await run();
    const [payout] = await payoutsOf(s.id);
    const result = await markPayoutFailed(finance, { payoutId: payout!.id, reason: "IBAN closed" });
    expect(await entriesOf(db, result.journalId)).toEqual([
      ["payouts_in_transit", null, 9_000n],
      ["seller_payable", s.id, -9_000n],
    ]);
    expect(await sellerPayable(db, s.id)).toEqual({ EUR: 9_000n });
    expect((await notified(db, "payout.failed")).find((n) => n.organizationId === s.id)!.body).toContain("IBAN closed");
    await settledOrder(b.id, s.id, 1_000);
    await run();
    const payouts = await payoutsOf(s.id);
    expect(payouts.map((p) => [p.status, p.amount_minor])).toEqual([
      ["failed", "9000"],
      ["pending", "9900"],
    ]);
    const kinds = await db.selectFrom("payout_items as pi").innerJoin("journals as j", "j.id", "pi.journal_id").select("j.kind").where("pi.payout_id", "=", payouts[1]!.id).orderBy("j.number").execute();
    expect(kinds.map((k) => k.kind)).toEqual(["payout_failed", "settlement"]);
    expect(await ledgerProblems(db)).toEqual(NO_PROBLEMS);
  });

  test("bad input is a field error, another role is FORBIDDEN, an unknown payout NOT_FOUND; nothing is written", async () => {
    const s = await moneySeller(db);
    const before = await moneyRowCounts(db);
    const id = "5b7e2a3c-8a4e-4f0b-9d7c-1e2f3a4b5c6d";
    expect((await domainErrorOf(markPayoutPaid(finance, { payoutId: id, reference: "  " }))).fieldErrors).toEqual({ reference: ["payout.reference_required"] });
    expect((await domainErrorOf(markPayoutFailed(finance, { payoutId: id }))).fieldErrors).toEqual({ reason: ["payout.reason_required"] });
    expect((await domainErrorOf(markPayoutPaid(finance, { payoutId: id, reference: "x" }))).code).toBe("NOT_FOUND");
    expect((await domainErrorOf(markPayoutPaid(moderator, { payoutId: id, reference: "x" }))).code).toBe("FORBIDDEN");
    expect((await domainErrorOf(markPayoutFailed(s.owner, { payoutId: id, reason: "x" }))).code).toBe("FORBIDDEN");
    expect(await moneyRowCounts(db)).toEqual(before);
  });

  test("a run writes one payout.submit outbox row per payout it creates and calls no payment provider", async () => {
    const b = await buyer(db);
    const s = await moneySeller(db);
    await settledOrder(b.id, s.id, 2_000);
    await settledOrder(b.id, s.id, 3_000, "JPY");
    const { provider, calls } = recordingProvider();
    await runPayouts({ ...deps, paymentProvider: provider }, { runId: await payoutRun(db) });
    const payouts = await payoutsOf(s.id);
    expect(payouts).toHaveLength(2);
    const jobs = await db.selectFrom("outbox").select("payload").where("topic", "=", "payout.submit").execute();
    const submitted = jobs.map((j) => (j.payload as { payoutId: string }).payoutId).filter((id) => payouts.some((p) => p.id === id));
    expect(submitted.sort()).toEqual(payouts.map((p) => p.id).sort());
    expect(calls).toEqual([]);
    const stored = await db.selectFrom("payouts").select(["provider", "provider_reference", "submitted_at"]).where("seller_id", "=", s.id).execute();
    expect(stored).toEqual([
      { provider: "fake-bank", provider_reference: null, submitted_at: null },
      { provider: "fake-bank", provider_reference: null, submitted_at: null },
    ]);
  });

  test("submitPayout calls the provider once, outside the run, even when the job runs twice; paid or failed payouts are not submitted", async () => {
    const b = await buyer(db);
    const s = await moneySeller(db);
    await settledOrder(b.id, s.id, 2_000);
    const { provider, calls } = recordingProvider();
    await runPayouts({ ...deps, paymentProvider: provider }, { runId: await payoutRun(db) });
    const [payout] = await payoutsOf(s.id);
    const first = await submitPayout({ ...deps, paymentProvider: provider }, { payoutId: payout!.id });
    const second = await submitPayout({ ...deps, paymentProvider: provider }, { payoutId: payout!.id });
    expect(first).toEqual({ payoutId: payout!.id, submitted: true, providerReference: expect.stringMatching(/^FB-PAY-\d{6}$/) });
    expect(second).toEqual({ payoutId: payout!.id, submitted: false, providerReference: null });
    expect(calls).toEqual([expect.stringMatching(/^submit PAY-\d{6} 1800$/)]);
    const stored = await db.selectFrom("payouts").select(["provider_reference", "submitted_at"]).where("id", "=", payout!.id).executeTakeFirstOrThrow();
    expect(stored.provider_reference).toBe(first.providerReference);
    expect(stored.submitted_at).toBeInstanceOf(Date);

    // Marking paid calls no provider; the operator's reference is kept.
    await markPayoutPaid(finance, { payoutId: payout!.id, reference: "T1" });
    expect(calls).toHaveLength(1);
    expect(await db.selectFrom("payouts").select("provider_reference").where("id", "=", payout!.id).executeTakeFirstOrThrow()).toEqual({ provider_reference: "T1" });

    // A payout an operator marked failed before its job ran is never submitted.
    await settledOrder(b.id, s.id, 1_000);
    await runPayouts({ ...deps, paymentProvider: provider }, { runId: await payoutRun(db) });
    const later = (await payoutsOf(s.id)).at(-1)!;
    await markPayoutFailed(finance, { payoutId: later.id, reason: "Wrong IBAN" });
    expect(await submitPayout({ ...deps, paymentProvider: provider }, { payoutId: later.id })).toMatchObject({ submitted: false });
    expect(calls).toHaveLength(1);
  });

  test("the manual provider's submit records the payout as submitted with no reference", async () => {
    const b = await buyer(db);
    const s = await moneySeller(db);
    await settledOrder(b.id, s.id, 2_000);
    await run();
    const [payout] = await payoutsOf(s.id);
    expect(await submitPayout(deps, { payoutId: payout!.id })).toEqual({ payoutId: payout!.id, submitted: true, providerReference: null });
    const stored = await db.selectFrom("payouts").select(["provider", "provider_reference", "submitted_at"]).where("id", "=", payout!.id).executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ provider: "manual", provider_reference: null });
    expect(stored.submitted_at).toBeInstanceOf(Date);
  });
});

describe("held payouts of a suspended seller", () => {
  test("suspension holds pending payouts and stops new ones; a payout of a held seller cannot be paid; reinstatement releases them", async () => {
    const b = await buyer(db);
    const s = await moneySeller(db);
    await settledOrder(b.id, s.id, 10_000);
    await run();
    const [payout] = await payoutsOf(s.id);

    // Suspended, before the consumer ran: the payment is already refused.
    await suspend(s.id, "suspended");
    const before = await moneyRowCounts(db);
    let error = await domainErrorOf(markPayoutPaid(finance, { payoutId: payout!.id, reference: "x" }));
    expect([error.code, error.fieldErrors]).toEqual(["VALIDATION", { _form: ["payout.seller_held"] }]);
    expect(await moneyRowCounts(db)).toEqual(before);

    // The consumer, through the event dispatch, twice (a redelivery): held once.
    expect(BUILT_IN_CONSUMERS.filter((c) => c.name === "payouts").map((c) => c.topic)).toEqual(["seller.suspended", "seller.reinstated"]);
    const suspended = { organizationId: s.id, decisionId: "41", reason: "Fraud check", at: new Date().toISOString() };
    await dispatchEvent(deps, { topic: "seller.suspended", outboxId: "1", payload: suspended });
    await dispatchEvent(deps, { topic: "seller.suspended", outboxId: "1", payload: suspended });
    expect((await payoutsOf(s.id)).map((p) => p.status)).toEqual(["held"]);
    error = await domainErrorOf(markPayoutPaid(finance, { payoutId: payout!.id, reference: "x" }));
    expect(error.fieldErrors).toEqual({ _form: ["payout.seller_held"] });
    expect((await domainErrorOf(markPayoutFailed(finance, { payoutId: payout!.id, reason: "x" }))).code).toBe("CONFLICT");

    // New sales still settle (the money is owed), but no payout is made while held.
    await settledOrder(b.id, s.id, 5_000);
    const held = await run();
    expect(held.held).toBeGreaterThanOrEqual(1);
    expect(await payoutsOf(s.id)).toHaveLength(1);
    expect(await sellerPayable(db, s.id)).toEqual({ EUR: 4_500n });

    // Reinstated: the held payout is pending again and can be paid; the next run pays the rest.
    await suspend(s.id, "active");
    await dispatchEvent(deps, { topic: "seller.reinstated", outboxId: "2", payload: { organizationId: s.id, decisionId: "42", at: new Date().toISOString() } });
    expect((await payoutsOf(s.id)).map((p) => p.status)).toEqual(["pending"]);
    // Never handed to the provider while held: the release queues its submission again (run + release).
    const submits = await db.selectFrom("outbox").select("payload").where("topic", "=", "payout.submit").execute();
    expect(submits.filter((j) => (j.payload as { payoutId: string }).payoutId === payout!.id)).toHaveLength(2);
    // A late suspension event handled after the reinstatement holds nothing: the seller is active.
    await dispatchEvent(deps, { topic: "seller.suspended", outboxId: "1", payload: suspended });
    expect((await payoutsOf(s.id)).map((p) => p.status)).toEqual(["pending"]);
    await markPayoutPaid(finance, { payoutId: payout!.id, reference: "SEPA-1" });
    await run();
    expect((await payoutsOf(s.id)).map((p) => [p.status, p.amount_minor])).toEqual([
      ["paid", "9000"],
      ["pending", "4500"],
    ]);
    expect(await ledgerProblems(db)).toEqual(NO_PROBLEMS);
  });

  test("the consumer moves only pending and held payouts, and reports what it did", async () => {
    const b = await buyer(db);
    const s = await moneySeller(db);
    await settledOrder(b.id, s.id, 1_000);
    await run();
    const [first] = await payoutsOf(s.id);
    await markPayoutPaid(finance, { payoutId: first!.id, reference: "R" });
    await settledOrder(b.id, s.id, 1_000);
    await run();
    await suspend(s.id, "suspended");
    expect(await syncSellerPayoutHold(deps, { sellerId: s.id })).toEqual({ sellerId: s.id, hold: true, changed: 1 });
    expect(await syncSellerPayoutHold(deps, { sellerId: s.id })).toEqual({ sellerId: s.id, hold: true, changed: 0 });
    expect((await payoutsOf(s.id)).map((p) => p.status)).toEqual(["paid", "held"]);
    await suspend(s.id, "active");
    expect(await syncSellerPayoutHold(deps, { sellerId: s.id })).toEqual({ sellerId: s.id, hold: false, changed: 1 });
    expect(await syncSellerPayoutHold(deps, { sellerId: "5b7e2a3c-8a4e-4f0b-9d7c-1e2f3a4b5c6d" })).toEqual({ sellerId: "5b7e2a3c-8a4e-4f0b-9d7c-1e2f3a4b5c6d", hold: false, changed: 0 });
  });
});
