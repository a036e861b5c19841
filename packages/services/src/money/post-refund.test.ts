import { describe, expect, test } from "vitest";
import { createDb, withTransaction } from "@souk/db";
import { createTestDatabase } from "@souk/testing";
import { domainErrorOf, TEST_URLS } from "../identity/test-support";
import { postRefund } from "./post-refund";
import { settleOrder } from "./settle-order";
import { buyer, commissionRule, entriesOf, ledgerProblems, moneyRowCounts, moneySeller, NO_PROBLEMS, openDispute, order, resolveDispute, sellerPayable } from "./test-support";

const { db, url } = await createTestDatabase();
const deps = { db, publicUrls: TEST_URLS };

// 7 % + €0.30: commission on €100.00 = €7.30.
await commissionRule(db, { currency: "EUR", rateBps: 700, fixedMinor: 30 });

async function settled(totalMinor = 10_000) {
  const b = await buyer(db);
  const s = await moneySeller(db);
  const o = await order(db, { buyerId: b.id, sellerId: s.id, totalMinor });
  await settleOrder(deps, { orderId: o.id });
  return { b, s, o };
}

const refund = (orderId: string, amountMinor: bigint, disputeId: string | null = null) =>
  withTransaction(db, (trx) => postRefund(trx, { orderId, disputeId, amountMinor, actorUserId: null }));

const settlementOf = (orderId: string) => db.selectFrom("settlements").select(["refunded_minor", "commission_refunded_minor"]).where("order_id", "=", orderId).executeTakeFirstOrThrow();

describe("postRefund", () => {
  test("partial refunds give commission back on the cumulative amount (round half up); their sum equals one refund of the total", async () => {
    const { b, s, o } = await settled(10_000);
    // 730 × 3333 / 10000 = 243.309 → 243.
    const first = await refund(o.id, 3_333n);
    expect(first).toEqual({ refundId: expect.any(String), journalId: expect.any(String), commissionMinor: 243n, netMinor: 3_090n });
    expect(await entriesOf(db, first.journalId)).toEqual([
      ["buyer_receivable", b.id, -3_333n],
      ["seller_payable", s.id, 3_090n],
      ["commission_revenue", null, 243n],
    ]);
    // Cumulative 6666 → 486.618 → 487: this one gives back 244.
    const second = await refund(o.id, 3_333n);
    expect(second.commissionMinor).toBe(244n);
    // The rest: the whole commission is back, to the cent.
    const third = await refund(o.id, 3_334n);
    expect(third.commissionMinor).toBe(730n - 243n - 244n);
    expect(await settlementOf(o.id)).toEqual({ refunded_minor: "10000", commission_refunded_minor: "730" });
    const keys = await db.selectFrom("journals").select("idempotency_key").where("order_id", "=", o.id).where("kind", "=", "refund").orderBy("number").execute();
    expect(keys.map((k) => k.idempotency_key)).toEqual([`refund:${o.id}:1`, `refund:${o.id}:2`, `refund:${o.id}:3`]);
    const rows = await db.selectFrom("refunds").select(["amount_minor", "commission_minor", "net_minor"]).where("order_id", "=", o.id).orderBy("created_at").execute();
    expect(rows.map((r) => BigInt(r.net_minor) + BigInt(r.commission_minor) === BigInt(r.amount_minor))).toEqual([true, true, true]);
    // Everything went back: the seller is owed nothing for this order, the buyer owes nothing.
    expect(await sellerPayable(db, s.id)).toEqual({});
    expect(await ledgerProblems(db)).toEqual(NO_PROBLEMS);
  });

  test("a dispute resolved with a refund on an order frozen before settling: settles, then refunds, in one transaction", async () => {
    const b = await buyer(db);
    const s = await moneySeller(db);
    const o = await order(db, { buyerId: b.id, sellerId: s.id, totalMinor: 2_000 });
    const disputeId = await openDispute(db, o.id);
    expect((await settleOrder(deps, { orderId: o.id })).status).toBe("frozen");
    await resolveDispute(db, disputeId, "full_refund");
    const r = await db.selectFrom("refunds").select(["dispute_id", "amount_minor", "commission_minor"]).where("order_id", "=", o.id).execute();
    // Commission on €20.00: 140 + 30 = 170, all of it back.
    expect(r).toEqual([{ dispute_id: disputeId, amount_minor: "2000", commission_minor: "170" }]);
    expect((await db.selectFrom("orders").select("status").where("id", "=", o.id).executeTakeFirstOrThrow()).status).toBe("settled");
    expect(await ledgerProblems(db)).toEqual(NO_PROBLEMS);
  });

  test("a refund above what is left, zero or negative is a field error on amount, and changes nothing", async () => {
    const { o } = await settled(1_000);
    await refund(o.id, 400n);
    const before = await moneyRowCounts(db);
    const settlementBefore = await settlementOf(o.id);
    for (const [amount, key] of [
      [601n, "refund.above_remaining"],
      [10_000n, "refund.above_remaining"],
      [0n, "refund.amount_invalid"],
      [-5n, "refund.amount_invalid"],
    ] as const) {
      const error = await domainErrorOf(refund(o.id, amount));
      expect(error.code).toBe("VALIDATION");
      expect(error.fieldErrors).toEqual({ amount: [key] });
    }
    expect((await domainErrorOf(withTransaction(db, (trx) => postRefund(trx, { orderId: o.id, disputeId: null, amountMinor: 5 as unknown as bigint, actorUserId: null })))).fieldErrors).toEqual({
      amount: ["refund.amount_invalid"],
    });
    expect(await moneyRowCounts(db)).toEqual(before);
    expect(await settlementOf(o.id)).toEqual(settlementBefore);
    // Exactly what is left is fine.
    await refund(o.id, 600n);
    expect(await settlementOf(o.id)).toMatchObject({ refunded_minor: "1000" });
  });

  test("an order not settled is a CONFLICT; an unknown order, a dispute of another order are NOT_FOUND", async () => {
    const b = await buyer(db);
    const s = await moneySeller(db);
    const unsettled = await order(db, { buyerId: b.id, sellerId: s.id });
    const error = await domainErrorOf(refund(unsettled.id, 100n));
    expect([error.code, error.fieldErrors]).toEqual(["CONFLICT", { _form: ["refund.not_settled"] }]);
    expect((await domainErrorOf(refund("5b7e2a3c-8a4e-4f0b-9d7c-1e2f3a4b5c6d", 100n))).code).toBe("NOT_FOUND");
    expect((await domainErrorOf(refund("not-an-id", 100n))).code).toBe("NOT_FOUND");
    const { o } = await settled();
    const elsewhere = await openDispute(db, unsettled.id);
    expect((await domainErrorOf(refund(o.id, 100n, elsewhere))).code).toBe("NOT_FOUND");
  });

  test("two refunds at once on separate connections take turns on the settlement: keys 1 and 2, never beyond the total", async () => {
    const { o } = await settled(1_000);
    const workers = [createDb({ connectionString: url, max: 1 }), createDb({ connectionString: url, max: 1 })];
    try {
      const outcomes = await Promise.allSettled(
        workers.map((w) => withTransaction(w, (trx) => postRefund(trx, { orderId: o.id, disputeId: null, amountMinor: 600n, actorUserId: null }))),
      );
      expect(outcomes.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
      const rejected = outcomes.find((r) => r.status === "rejected") as PromiseRejectedResult;
      expect(rejected.reason.fieldErrors).toEqual({ amount: ["refund.above_remaining"] });
      const both = await Promise.all(workers.map((w) => withTransaction(w, (trx) => postRefund(trx, { orderId: o.id, disputeId: null, amountMinor: 200n, actorUserId: null }))));
      expect(both).toHaveLength(2);
    } finally {
      await Promise.all(workers.map((w) => w.destroy()));
    }
    const keys = await db.selectFrom("journals").select("idempotency_key").where("order_id", "=", o.id).where("kind", "=", "refund").orderBy("number").execute();
    expect(keys.map((k) => k.idempotency_key)).toEqual([`refund:${o.id}:1`, `refund:${o.id}:2`, `refund:${o.id}:3`]);
    expect(await settlementOf(o.id)).toMatchObject({ refunded_minor: "1000" });
    expect(await ledgerProblems(db)).toEqual(NO_PROBLEMS);
  });
});
