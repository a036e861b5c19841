import { describe, expect, test } from "vitest";
import { createTestDatabase } from "@souk/testing";
import { createBudget } from "./create-budget";
import { deleteBudget } from "./delete-budget";
import { getBudget } from "./get-budget";
import { listBudgets } from "./list-budgets";
import { updateBudget } from "./update-budget";
import { budget, buyer, domainErrorOf } from "./test-support";

const { db } = await createTestDatabase();

const auditOf = async (targetId: string) => (await db.selectFrom("audit_log").select("action").where("target_id", "=", targetId).orderBy("id").execute()).map((r) => r.action);

describe("budgets: the root administrator sets them", () => {
  test("creates budgets for the root, a branch and a member; lists them with this UTC period's figures", async () => {
    const root = await buyer(db);
    const branch = await buyer(db, { parentId: root.id, name: `Lyon ${root.name}` });
    const org = await createBudget(root.admin, { target: `org:${branch.id}`, currency: "eur", amount: "1500,50", period: "month", onExceed: "refuse" });
    const whole = await createBudget(root.admin, { target: `org:${root.id}`, currency: "EUR", amount: "10000", period: "quarter", onExceed: "approval" });
    const member = await createBudget(root.admin, { target: `user:${branch.purchaser.actor.userId}`, currency: "USD", amount: "250", period: "month", onExceed: "approval" });
    expect(await auditOf(org.id)).toEqual(["budget.created"]);

    const view = await listBudgets(root.admin, {});
    expect(view.budgets.map((b) => [b.id, b.scope.kind, b.amount.amountMinor, b.amount.currency, b.period, b.onExceed])).toEqual([
      // Organisations first (by name: "Buyer …" before "Lyon …"), then members.
      [whole.id, "organization", "1000000", "EUR", "quarter", "approval"],
      [org.id, "organization", "150050", "EUR", "month", "refuse"],
      [member.id, "member", "25000", "USD", "month", "approval"],
    ]);
    expect(view.budgets[1]).toMatchObject({ scope: { id: branch.id, name: branch.name }, spent: { amountMinor: "0" }, committed: { amountMinor: "0" }, remaining: { amountMinor: "150050" }, verdict: null });
    // UTC calendar periods.
    const { periodStart, periodEnd } = view.budgets[1]!;
    expect(periodStart).toMatch(/^\d{4}-\d{2}-01T00:00:00\.000Z$/);
    expect(periodEnd).toMatch(/^\d{4}-\d{2}-01T00:00:00\.000Z$/);
    expect(new Date(view.budgets[0]!.periodStart).getUTCMonth() % 3).toBe(0);
    // The form's choices: the tree's organisations (root first) and the members who buy.
    expect(view.organizations.map((o) => o.id)).toEqual([root.id, branch.id]);
    const buyers = view.members.map((m) => m.id);
    expect(buyers).toEqual(expect.arrayContaining([root.admin.actor.userId, root.purchaser.actor.userId, branch.admin.actor.userId, branch.purchaser.actor.userId]));
    expect(buyers).not.toContain(root.approver.actor.userId);
    expect(buyers).not.toContain(root.viewer.actor.userId);
    expect(view.currencies).toContain("EUR");
  });

  test("every bad field gets its own error and nothing is written", async () => {
    const root = await buyer(db);
    const stranger = await buyer(db);
    const count = async () => Number((await db.selectFrom("budgets").select((eb) => eb.fn.countAll<string>().as("n")).executeTakeFirstOrThrow()).n);
    const before = await count();
    const cases: [Record<string, unknown>, Record<string, string[]>][] = [
      [{}, { target: ["budget.target_required"], currency: ["budget.currency_required"], amount: ["budget.amount_required"], period: ["budget.period_invalid"], onExceed: ["budget.on_exceed_invalid"] }],
      [{ target: "org:nope", currency: "XXX", amount: "10", period: "year", onExceed: "warn" }, { target: ["budget.target_unknown"], currency: ["budget.currency_invalid"], period: ["budget.period_invalid"], onExceed: ["budget.on_exceed_invalid"] }],
      [{ target: `org:${root.id}`, currency: "EUR", amount: "10.005", period: "month", onExceed: "refuse" }, { amount: ["budget.amount_invalid"] }],
      [{ target: `org:${root.id}`, currency: "EUR", amount: "0", period: "month", onExceed: "refuse" }, { amount: ["budget.amount_not_positive"] }],
      [{ target: `org:${root.id}`, currency: "EUR", amount: "-5", period: "month", onExceed: "refuse" }, { amount: ["budget.amount_not_positive"] }],
      [{ target: `org:${root.id}`, currency: "EUR", amount: "90071992547409.92", period: "month", onExceed: "refuse" }, { amount: ["budget.amount_too_large"] }],
      [{ target: `org:${root.id}`, currency: "JPY", amount: "10.5", period: "month", onExceed: "refuse" }, { amount: ["budget.amount_invalid"] }],
      // Another buyer's organisation or member: unknown here (form tampering).
      [{ target: `org:${stranger.id}`, currency: "EUR", amount: "10", period: "month", onExceed: "refuse" }, { target: ["budget.target_unknown"] }],
      [{ target: `user:${stranger.purchaser.actor.userId}`, currency: "EUR", amount: "10", period: "month", onExceed: "refuse" }, { target: ["budget.target_unknown"] }],
      // A member who does not buy (an approver) gets no budget.
      [{ target: `user:${root.approver.actor.userId}`, currency: "EUR", amount: "10", period: "month", onExceed: "refuse" }, { target: ["budget.target_unknown"] }],
    ];
    for (const [input, fieldErrors] of cases) {
      const error = await domainErrorOf(createBudget(root.admin, input));
      expect([error.code, error.fieldErrors], JSON.stringify(input)).toEqual(["VALIDATION", fieldErrors]);
    }
    expect(await count()).toBe(before);

    await createBudget(root.admin, { target: `org:${root.id}`, currency: "EUR", amount: "10", period: "month", onExceed: "refuse" });
    // One budget per target, currency and period; another period or currency is another budget.
    expect((await domainErrorOf(createBudget(root.admin, { target: `org:${root.id}`, currency: "EUR", amount: "99", period: "month", onExceed: "approval" }))).fieldErrors).toEqual({ target: ["budget.duplicate"] });
    await createBudget(root.admin, { target: `org:${root.id}`, currency: "EUR", amount: "99", period: "quarter", onExceed: "approval" });
    await createBudget(root.admin, { target: `org:${root.id}`, currency: "USD", amount: "99", period: "month", onExceed: "approval" });
    expect(await count()).toBe(before + 3);
  });

  test("only the root's administrators: a branch admin, a purchaser, an approver and a seller are refused", async () => {
    const root = await buyer(db);
    const branch = await buyer(db, { parentId: root.id });
    const input = { target: `org:${branch.id}`, currency: "EUR", amount: "10", period: "month", onExceed: "refuse" };
    expect((await domainErrorOf(createBudget(branch.admin, input))).message).toBe("budget.root_only");
    for (const who of [root.purchaser, root.approver, root.viewer, branch.purchaser]) {
      expect((await domainErrorOf(createBudget(who, input))).code).toBe("FORBIDDEN");
      expect((await domainErrorOf(listBudgets(who, {}))).code).toBe("FORBIDDEN");
    }
    // A branch's administrator reads the budgets that apply in its branch (its own and its members'), nothing else.
    const mine = await budget(db, root.id, { organizationId: branch.id, amountMinor: 10_00 });
    const ofItsPurchaser = await budget(db, root.id, { userId: branch.purchaser.actor.userId, amountMinor: 20_00 });
    await budget(db, root.id, { organizationId: root.id, amountMinor: 30_00 });
    await budget(db, root.id, { userId: root.purchaser.actor.userId, amountMinor: 40_00 });
    const readOnly = await listBudgets(branch.admin, {});
    expect(readOnly).toMatchObject({ canManage: false, organizationName: branch.name, organizations: [], members: [] });
    expect(readOnly.budgets.map((b) => b.id)).toEqual([mine, ofItsPurchaser]);
    expect((await listBudgets(root.admin, {})).canManage).toBe(true);
    expect((await domainErrorOf(getBudget(branch.admin, { budgetId: mine }))).message).toBe("budget.root_only");
    expect((await domainErrorOf(deleteBudget(branch.admin, { budgetId: mine }))).message).toBe("budget.root_only");
  });

  test("edits and deletes its own budgets; another buyer's are NOT_FOUND and stay as they are", async () => {
    const root = await buyer(db);
    const other = await buyer(db);
    const id = await budget(db, root.id, { organizationId: root.id, amountMinor: 100_00 });
    await budget(db, root.id, { organizationId: root.id, amountMinor: 500_00, period: "quarter" });
    const theirs = await budget(db, other.id, { organizationId: other.id, amountMinor: 7_00 });

    await updateBudget(root.admin, { budgetId: id, currency: "EUR", amount: "250.00", period: "month", onExceed: "approval" });
    expect(await db.selectFrom("budgets").select(["amount_minor", "on_exceed", "organization_id"]).where("id", "=", id).executeTakeFirstOrThrow()).toEqual({ amount_minor: "25000", on_exceed: "approval", organization_id: root.id });
    expect((await getBudget(root.admin, { budgetId: id })).budget).toMatchObject({ id, amount: { amountMinor: "25000" }, onExceed: "approval", scope: { kind: "organization", id: root.id } });
    // Becoming a twin of the quarterly budget: refused on the period, nothing changes.
    expect((await domainErrorOf(updateBudget(root.admin, { budgetId: id, currency: "EUR", amount: "1", period: "quarter", onExceed: "refuse" }))).fieldErrors).toEqual({ period: ["budget.duplicate"] });
    expect((await domainErrorOf(updateBudget(root.admin, { budgetId: id, currency: "EUR", amount: "", period: "month", onExceed: "refuse" }))).fieldErrors).toEqual({ amount: ["budget.amount_required"] });

    for (const call of [
      () => updateBudget(root.admin, { budgetId: theirs, currency: "EUR", amount: "1", period: "month", onExceed: "refuse" }),
      () => deleteBudget(root.admin, { budgetId: theirs }),
      () => getBudget(root.admin, { budgetId: theirs }),
      () => getBudget(root.admin, { budgetId: "not-a-uuid" }),
    ]) {
      expect((await domainErrorOf(call())).code).toBe("NOT_FOUND");
    }
    expect(await db.selectFrom("budgets").select("amount_minor").where("id", "=", theirs).executeTakeFirstOrThrow()).toEqual({ amount_minor: "700" });

    await deleteBudget(root.admin, { budgetId: id });
    expect(await db.selectFrom("budgets").select("id").where("id", "=", id).execute()).toEqual([]);
    expect((await domainErrorOf(deleteBudget(root.admin, { budgetId: id }))).code).toBe("NOT_FOUND");
    expect(await auditOf(id)).toEqual(["budget.updated", "budget.deleted"]);
  });
});
