import { afterAll, describe, expect, test } from "vitest";
import { sql } from "kysely";
import { createDb } from "@souk/db";
import { createTestDatabase } from "@souk/testing";
import type { ActorDeps } from "../deps";
import { awardRfq } from "../approvals/award-rfq";
import { decideApproval } from "../approvals/decide-approval";
import { getApproval } from "../approvals/get-approval";
import { checkoutCart } from "../purchasing/checkout-cart";
import { getBudgetStatus } from "./get-budget-status";
import { activeSeller, backdate, budget, buyer, cartWith, closedRfq, domainErrorOf, listing, lockWaiters, notified, rule } from "./test-support";

const { db, url } = await createTestDatabase();
// Two more pools: each concurrent purchaser talks to PostgreSQL over its own connection.
const [left, right] = [createDb({ connectionString: url, max: 2, applicationName: "souk-test-left" }), createDb({ connectionString: url, max: 2, applicationName: "souk-test-right" })];
afterAll(async () => {
  await Promise.all([left.destroy(), right.destroy()]);
});
const on = (pool: typeof db, deps: ActorDeps): ActorDeps => ({ ...deps, db: pool });

/** A buyer, a seller with a 10.00 EUR listing (plenty of stock), and two purchasers of the buyer. */
async function setup() {
  const b = await buyer(db);
  const second = await b.member("purchaser");
  const seller = await activeSeller(db);
  const box = await listing(db, seller.id, { listPriceMinor: 10_00, stock: 1_000 });
  return { b, second, seller, box };
}

const count = async (table: "purchases" | "orders" | "approvals", buyerId: string) =>
  Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<string>().as("n")).where("buyer_id", "=", buyerId).executeTakeFirstOrThrow()).n);

describe("budgets at checkout and award", () => {
  test("refuse mode: a purchase that fits goes through; one beyond is CONFLICT budget.exceeded and writes nothing", async () => {
    const { b, box } = await setup();
    const id = await budget(db, b.id, { organizationId: b.id, amountMinor: 150_00, onExceed: "refuse" });
    const addressId = await cartWith(b.purchaser, box.id, 10); // 100.00
    expect((await checkoutCart(b.purchaser, { currency: "EUR", addressId })).status).toBe("placed");

    await cartWith(b.purchaser, box.id, 6); // 60.00: 100 + 60 > 150
    const stock = (await db.selectFrom("listings").select("stock").where("id", "=", box.id).executeTakeFirstOrThrow()).stock;
    const error = await domainErrorOf(checkoutCart(b.purchaser, { currency: "EUR", addressId }));
    expect([error.code, error.message, error.fieldErrors]).toEqual(["CONFLICT", "budget.exceeded", { _form: ["budget.exceeded"], [`budgets.${id}`]: ["budget.exceeded"] }]);
    expect(await count("purchases", b.id)).toBe(1);
    expect(await count("approvals", b.id)).toBe(0);
    expect((await db.selectFrom("listings").select("stock").where("id", "=", box.id).executeTakeFirstOrThrow()).stock).toBe(stock);
    // The cart keeps its line: the purchaser can lower it.
    expect(await db.selectFrom("cart_lines").select("quantity").where("listing_id", "=", box.id).where("buyer_id", "=", b.id).execute()).toEqual([{ quantity: 6 }]);

    // Exactly the rest fits.
    const status = await getBudgetStatus(b.purchaser, { currency: "EUR", amountMinor: "5000" });
    expect(status).toMatchObject({ verdict: "fits", budgets: [{ id, spent: { amountMinor: "10000" }, committed: { amountMinor: "0" }, remaining: { amountMinor: "5000" }, verdict: "fits" }] });
    expect((await getBudgetStatus(b.purchaser, { currency: "EUR", amountMinor: "5001" })).verdict).toBe("refuse");
  });

  test("approval mode: beyond the budget it waits for an administrator even with no rule reached; approved, it is placed", async () => {
    const { b, box } = await setup();
    const id = await budget(db, b.id, { organizationId: b.id, amountMinor: 50_00, onExceed: "approval" });
    await rule(db, b.id, { thresholdMinor: 1_000_000_00, approverRole: "approver" }); // far above
    const addressId = await cartWith(b.purchaser, box.id, 6); // 60.00 > 50.00
    const result = await checkoutCart(b.purchaser, { currency: "EUR", addressId });
    expect(result.status).toBe("pending_approval");
    const approval = await db.selectFrom("approvals").selectAll().where("id", "=", result.approvalId!).executeTakeFirstOrThrow();
    expect(approval).toMatchObject({ reason: "budget", budget_id: id, approver_role: "admin", rule_id: null, threshold_minor: "5000", level: 1, next_approver_role: null, amount_minor: "6000" });
    // Administrators are told it is over budget; approvers (no rule of theirs) are not.
    const told = await notified(db, "approval.over_budget");
    expect(told.map((n) => n.userId)).toEqual([b.admin.actor.userId]);
    expect(told[0]!.body).toContain("budget");
    expect((await domainErrorOf(decideApproval(b.approver, { approvalId: approval.id, decision: "approve" }))).message).toBe("approval.wrong_role");
    const view = await getApproval(b.admin, { approvalId: approval.id });
    expect(view).toMatchObject({ reason: "budget", level: 1, levels: 1, budget: { amount: { amountMinor: "5000" }, period: "month", scope: "organization" } });

    // While it waits, it is committed.
    expect((await getBudgetStatus(b.purchaser, { currency: "EUR" })).budgets[0]).toMatchObject({ spent: { amountMinor: "0" }, committed: { amountMinor: "6000" }, remaining: { amountMinor: "-1000" } });
    const decided = await decideApproval(b.admin, { approvalId: approval.id, decision: "approve" });
    expect(decided.orderIds).toHaveLength(1);
    expect((await getBudgetStatus(b.purchaser, { currency: "EUR" })).budgets[0]).toMatchObject({ spent: { amountMinor: "6000" }, committed: { amountMinor: "0" } });
  });

  test("a member's budget applies to that member only; the stricter verdict wins", async () => {
    const { b, second, box } = await setup();
    await budget(db, b.id, { organizationId: b.id, amountMinor: 1_000_00, onExceed: "approval" });
    const mine = await budget(db, b.id, { userId: b.purchaser.actor.userId, amountMinor: 30_00, onExceed: "refuse" });
    const a1 = await cartWith(b.purchaser, box.id, 4); // 40.00 > the purchaser's 30.00
    expect((await domainErrorOf(checkoutCart(b.purchaser, { currency: "EUR", addressId: a1 }))).fieldErrors).toEqual({ _form: ["budget.exceeded"], [`budgets.${mine}`]: ["budget.exceeded"] });
    const a2 = await cartWith(second, box.id, 4);
    expect((await checkoutCart(second, { currency: "EUR", addressId: a2 })).status).toBe("placed");
    const status = await getBudgetStatus(b.purchaser, { currency: "EUR", amountMinor: 40_00 });
    expect(status.budgets.map((s) => [s.scope.kind, s.spent.amountMinor, s.verdict])).toEqual([
      ["organization", "4000", "fits"],
      ["member", "0", "refuse"],
    ]);
    expect(status.verdict).toBe("refuse");
    // Several amounts at once (a comparison's offers): each one's verdict, as if asked alone.
    const amounts = [20_00, 40_00, 2_000_00];
    const alone = await Promise.all(amounts.map(async (amountMinor) => (await getBudgetStatus(b.purchaser, { currency: "EUR", amountMinor })).verdict));
    expect(alone).toEqual(["fits", "refuse", "refuse"]);
    expect((await getBudgetStatus(b.purchaser, { currency: "EUR", amountsMinor: amounts })).verdicts).toEqual(alone);
    expect((await getBudgetStatus(b.purchaser, { currency: "EUR" })).verdicts).toEqual([]);
    expect((await domainErrorOf(getBudgetStatus(b.purchaser, { currency: "EUR", amountsMinor: ["12.50"] }))).code).toBe("VALIDATION");
    // Other currencies are other budgets.
    expect((await getBudgetStatus(b.purchaser, { currency: "USD" })).budgets).toEqual([]);
    expect((await domainErrorOf(getBudgetStatus(b.approver, {}))).code).toBe("FORBIDDEN");
    expect((await domainErrorOf(getBudgetStatus(b.purchaser, { currency: "XYZ" }))).fieldErrors).toEqual({ currency: ["budget.currency_invalid"] });
  });

  test("spent and committed: what counts, in which period, for which organisation or member", async () => {
    const root = await buyer(db);
    const branch = await buyer(db, { parentId: root.id });
    const branchBuyer = await branch.member("purchaser");
    const seller = await activeSeller(db);
    const box = await listing(db, seller.id, { listPriceMinor: 1_00, stock: 100_000 });
    const orgBudget = await budget(db, root.id, { organizationId: branch.id, amountMinor: 1_000_000_00, onExceed: "approval" });
    const memberBudget = await budget(db, root.id, { userId: branch.purchaser.actor.userId, amountMinor: 1_000_000_00, onExceed: "approval" });
    const quarterBudget = await budget(db, root.id, { organizationId: branch.id, amountMinor: 1_000_000_00, period: "quarter", onExceed: "approval" });
    await rule(db, root.id, { thresholdMinor: 500_00, approverRole: "approver" });

    const buy = async (who: ActorDeps, quantity: number) => checkoutCart(who, { currency: "EUR", addressId: await cartWith(who, box.id, quantity) });
    const placed = await buy(branch.purchaser, 100); // 100.00 spent (member + branch)
    const pending = await buy(branch.purchaser, 600); // 600.00 committed (reaches the rule)
    expect(pending.status).toBe("pending_approval");
    await buy(branchBuyer, 20); // 20.00 spent (branch only)
    const rejected = await buy(branch.purchaser, 7); // rejected by the seller: not spent
    await db.updateTable("orders").set({ status: "rejected" }).where("purchase_id", "=", rejected.purchaseId).execute();
    const cancelled = await buy(branch.purchaser, 9);
    await db.updateTable("orders").set({ status: "cancelled" }).where("purchase_id", "=", cancelled.purchaseId).execute();
    const lastMonth = await buy(branch.purchaser, 11); // an order of an earlier month
    const [lastMonthOrder] = await db.selectFrom("orders").select("id").where("purchase_id", "=", lastMonth.purchaseId).execute();
    await backdate(db, "orders", lastMonthOrder!.id, "1 month");
    const longAgo = await buy(branch.purchaser, 13); // an order of an earlier quarter
    const [longAgoOrder] = await db.selectFrom("orders").select("id").where("purchase_id", "=", longAgo.purchaseId).execute();
    await backdate(db, "orders", longAgoOrder!.id, "4 months");
    const oldPending = await buy(branch.purchaser, 700); // a pending purchase of an earlier quarter: not committed now
    await backdate(db, "purchases", oldPending.purchaseId, "4 months");
    await buy(root.purchaser, 50); // the root's own purchase: not the branch's budget
    // An award by the branch purchaser waiting for approval: committed for the member and the branch.
    const rfq = await closedRfq(db, branch.id, { lines: [10], offers: [{ sellerId: seller.id, lines: [{ quantity: 10, unitPriceMinor: 80_00 }] }] });
    const award = await awardRfq(branch.purchaser, { rfqId: rfq.id, mode: "whole", offerIds: [rfq.offerIds[0]] });
    expect(award.status).toBe("pending_approval");
    void placed;

    const byId = new Map((await getBudgetStatus(branch.purchaser, { currency: "EUR" })).budgets.map((s) => [s.id, s]));
    // Month: 100 + 20 spent (not rejected, cancelled, last month's or the root's); 600 + 800 committed.
    expect(byId.get(orgBudget)).toMatchObject({ spent: { amountMinor: "12000" }, committed: { amountMinor: "140000" } });
    // Quarter: last month's order counts if it is in this quarter.
    const now = new Date((await sql<{ now: Date }>`select now() as now`.execute(db)).rows[0]!.now);
    const lastMonthInQuarter = now.getUTCMonth() % 3 !== 0;
    expect(byId.get(quarterBudget)).toMatchObject({ spent: { amountMinor: String(12000 + (lastMonthInQuarter ? 1100 : 0)) }, committed: { amountMinor: "140000" } });
    // The member: only its own purchases and awards (not the other branch purchaser's 20.00).
    expect(byId.get(memberBudget)).toMatchObject({ spent: { amountMinor: "10000" }, committed: { amountMinor: "140000" } });
    // The other purchaser sees the branch's budget, not the member budget of someone else.
    expect((await getBudgetStatus(branchBuyer, { currency: "EUR" })).budgets.map((s) => s.id).sort()).toEqual([orgBudget, quarterBudget].sort());
    // The root's purchaser: the branch's budgets do not apply to it.
    expect((await getBudgetStatus(root.purchaser, { currency: "EUR" })).budgets).toEqual([]);
  });
});

describe("two purchasers submitting at the same moment cannot overspend", () => {
  test("refuse mode, both held at the budget's lock then released: exactly one passes", async () => {
    for (let round = 0; round < 3; round += 1) {
      const { b, second, box } = await setup();
      await budget(db, b.id, { organizationId: b.id, amountMinor: 150_00, onExceed: "refuse" });
      const [a1, a2] = [await cartWith(b.purchaser, box.id, 10), await cartWith(second, box.id, 10)]; // 100.00 each
      let race: Promise<PromiseSettledResult<Awaited<ReturnType<typeof checkoutCart>>>[]> = Promise.resolve([]);
      // Hold the budget row so that both checkouts are inside the gate before either can count.
      await db.transaction().execute(async (trx) => {
        await trx.selectFrom("budgets").select("id").where("buyer_id", "=", b.id).forUpdate().execute();
        race = Promise.allSettled([checkoutCart(on(left, b.purchaser), { currency: "EUR", addressId: a1 }), checkoutCart(on(right, second), { currency: "EUR", addressId: a2 })]);
        await lockWaiters(db, 2);
      });
      const results = await race;
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      expect((results.find((r) => r.status === "rejected") as PromiseRejectedResult).reason).toMatchObject({ code: "CONFLICT", message: "budget.exceeded" });
      expect(await count("purchases", b.id)).toBe(1);
      const spent = await db.selectFrom("orders").select((eb) => eb.fn.sum<string>("total_minor").as("s")).where("buyer_id", "=", b.id).executeTakeFirstOrThrow();
      expect(spent.s).toBe("10000");
    }
  });

  test("refuse mode, plain Promise.all on separate connections: never both", async () => {
    for (let round = 0; round < 5; round += 1) {
      const { b, second, box } = await setup();
      await budget(db, b.id, { organizationId: b.id, amountMinor: 150_00, onExceed: "refuse" });
      const [a1, a2] = [await cartWith(b.purchaser, box.id, 10), await cartWith(second, box.id, 10)];
      const results = await Promise.allSettled([checkoutCart(on(left, b.purchaser), { currency: "EUR", addressId: a1 }), checkoutCart(on(right, second), { currency: "EUR", addressId: a2 })]);
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      expect(await count("orders", b.id)).toBe(1);
    }
  });

  test("approval mode: one is placed, the other goes to approval (committed, not spent)", async () => {
    for (let round = 0; round < 3; round += 1) {
      const { b, second, box } = await setup();
      const id = await budget(db, b.id, { organizationId: b.id, amountMinor: 150_00, onExceed: "approval" });
      const [a1, a2] = [await cartWith(b.purchaser, box.id, 10), await cartWith(second, box.id, 10)];
      let race: Promise<Awaited<ReturnType<typeof checkoutCart>>[]> = Promise.resolve([]);
      await db.transaction().execute(async (trx) => {
        await trx.selectFrom("budgets").select("id").where("id", "=", id).forUpdate().execute();
        race = Promise.all([checkoutCart(on(left, b.purchaser), { currency: "EUR", addressId: a1 }), checkoutCart(on(right, second), { currency: "EUR", addressId: a2 })]);
        await lockWaiters(db, 2);
      });
      const results = await race;
      expect(results.map((r) => r.status).sort()).toEqual(["pending_approval", "placed"]);
      const approvals = await db.selectFrom("approvals").select(["reason", "budget_id", "approver_role"]).where("buyer_id", "=", b.id).execute();
      expect(approvals).toEqual([{ reason: "budget", budget_id: id, approver_role: "admin" }]);
      expect((await getBudgetStatus(b.purchaser, { currency: "EUR" })).budgets[0]).toMatchObject({ spent: { amountMinor: "10000" }, committed: { amountMinor: "10000" }, remaining: { amountMinor: "-5000" } });
    }
  });

  test("an award and a checkout at the same moment share the budget too", async () => {
    const { b, second, seller, box } = await setup();
    await budget(db, b.id, { organizationId: b.id, amountMinor: 150_00, onExceed: "refuse" });
    const rfq = await closedRfq(db, b.id, { lines: [10], offers: [{ sellerId: seller.id, lines: [{ quantity: 10, unitPriceMinor: 10_00 }] }] });
    const a2 = await cartWith(second, box.id, 10);
    const results = await Promise.allSettled([awardRfq(on(left, b.purchaser), { rfqId: rfq.id, mode: "whole", offerIds: [rfq.offerIds[0]] }), checkoutCart(on(right, second), { currency: "EUR", addressId: a2 })]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect((results.find((r) => r.status === "rejected") as PromiseRejectedResult).reason).toMatchObject({ code: "CONFLICT", message: "budget.exceeded" });
    expect(await count("orders", b.id)).toBe(1);
    // A refused award leaves the RFQ closed, with no award.
    if (results[0]!.status === "rejected") expect(await db.selectFrom("awards").select("id").where("rfq_id", "=", rfq.id).execute()).toEqual([]);
  });
});
