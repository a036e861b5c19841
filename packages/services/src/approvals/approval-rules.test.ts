import { describe, expect, test } from "vitest";
import { createTestDatabase } from "@souk/testing";
import { domainErrorOf } from "../identity/test-support";
import { createApprovalRule } from "./create-approval-rule";
import { deleteApprovalRule } from "./delete-approval-rule";
import { getApprovalRule } from "./get-approval-rule";
import { listApprovalRules } from "./list-approval-rules";
import { activeSeller, awardRowCounts, buyer, rule } from "./test-support";

const { db } = await createTestDatabase();

describe("approval rules", () => {
  test("the root's administrator adds organisation-wide and branch rules, lists and deletes them; audit rows", async () => {
    const root = await buyer(db, { name: "Atlas Industrie" });
    const lyon = await buyer(db, { parentId: root.id, name: "Atlas — Lyon" });
    const { id: wide } = await createApprovalRule(root.admin, { currency: "eur", threshold: " 10000.50 ", branchId: "", approverRole: "approver" });
    const { id: branch } = await createApprovalRule(root.admin, { currency: "EUR", threshold: "2500", branchId: lyon.id.toUpperCase(), approverRole: "admin" });
    const { id: yen } = await createApprovalRule(root.admin, { currency: "JPY", threshold: "1000000", approverRole: "admin" });

    const view = await listApprovalRules(root.admin);
    expect(view).toMatchObject({ organizationName: "Atlas Industrie", canManage: true, branches: [{ id: lyon.id, name: "Atlas — Lyon" }] });
    expect(view.rules.map((r) => [r.id, r.threshold, r.branch?.name ?? null, r.approverRole])).toEqual([
      [wide, { amountMinor: "1000050", currency: "EUR" }, null, "approver"],
      [branch, { amountMinor: "250000", currency: "EUR" }, "Atlas — Lyon", "admin"],
      [yen, { amountMinor: "1000000", currency: "JPY" }, null, "admin"],
    ]);
    // The branch's administrator reads what applies to it and manages nothing.
    const branchView = await listApprovalRules(lyon.admin);
    expect(branchView).toMatchObject({ canManage: false, branches: [] });
    expect(branchView.rules.map((r) => r.id).sort()).toEqual([wide, branch, yen].sort());

    expect((await getApprovalRule(root.admin, { ruleId: branch })).branch).toEqual({ id: lyon.id, name: "Atlas — Lyon" });
    await deleteApprovalRule(root.admin, { ruleId: branch });
    expect((await listApprovalRules(root.admin)).rules.map((r) => r.id)).toEqual([wide, yen]);
    const audit = await db.selectFrom("audit_log").select(["action", "target_id"]).where("target_type", "=", "approval_rule").orderBy("occurred_at").orderBy("id").execute();
    expect(audit.filter((a) => a.target_id === branch).map((a) => a.action)).toEqual(["approval_rule.created", "approval_rule.deleted"]);
  });

  test("bad input gets field errors and changes nothing", async () => {
    const root = await buyer(db);
    const otherRoot = await buyer(db);
    const foreignBranch = await buyer(db, { parentId: otherRoot.id });
    const nested = await buyer(db, { parentId: root.id });
    await rule(db, root.id, { thresholdMinor: 100_000, currency: "EUR" });
    const before = await awardRowCounts(db);
    const errorsOf = async (input: Record<string, unknown>) => (await domainErrorOf(createApprovalRule(root.admin, input))).fieldErrors;
    const good = { currency: "EUR", threshold: "500", approverRole: "approver" };
    expect(await errorsOf({ ...good, threshold: "12.345" })).toEqual({ threshold: ["approvalRule.threshold_invalid"] });
    expect(await errorsOf({ ...good, currency: "JPY", threshold: "10.5" })).toEqual({ threshold: ["approvalRule.threshold_invalid"] });
    expect(await errorsOf({ ...good, threshold: "0" })).toEqual({ threshold: ["approvalRule.threshold_not_positive"] });
    expect(await errorsOf({ ...good, threshold: "-5" })).toEqual({ threshold: ["approvalRule.threshold_not_positive"] });
    expect(await errorsOf({ ...good, threshold: "1e5" })).toEqual({ threshold: ["approvalRule.threshold_invalid"] });
    expect(await errorsOf({ ...good, threshold: "999999999999999" })).toEqual({ threshold: ["approvalRule.threshold_too_large"] });
    expect(await errorsOf({ ...good, threshold: "" })).toEqual({ threshold: ["approvalRule.threshold_required"] });
    expect(await errorsOf({ ...good, currency: "XYZ" })).toEqual({ currency: ["approvalRule.currency_invalid"] });
    expect(await errorsOf({ ...good, currency: "" })).toEqual({ currency: ["approvalRule.currency_required"] });
    expect(await errorsOf({ ...good, approverRole: "purchaser" })).toEqual({ approverRole: ["approvalRule.role_invalid"] });
    expect(await errorsOf({ ...good, branchId: "lyon" })).toEqual({ branchId: ["approvalRule.branch_unknown"] });
    expect(await errorsOf({ ...good, branchId: foreignBranch.id })).toEqual({ branchId: ["approvalRule.branch_unknown"] });
    expect(await errorsOf({ ...good, branchId: root.id })).toEqual({ branchId: ["approvalRule.branch_unknown"] });
    expect(await errorsOf({ ...good, threshold: "1000.00" })).toEqual({ threshold: ["approvalRule.duplicate"] });
    expect(await awardRowCounts(db)).toEqual(before);
    // The same threshold for a branch is another rule.
    await createApprovalRule(root.admin, { ...good, threshold: "1000", branchId: nested.id });
  });

  test("only the root organisation's administrators manage rules; another buyer's rule is NOT_FOUND", async () => {
    const root = await buyer(db);
    const branch = await buyer(db, { parentId: root.id });
    const other = await buyer(db);
    const seller = await activeSeller(db);
    const id = await rule(db, root.id, { thresholdMinor: 5000 });
    const before = await awardRowCounts(db);
    const input = { currency: "EUR", threshold: "10", approverRole: "admin" };
    expect(await domainErrorOf(createApprovalRule(branch.admin, input))).toMatchObject({ code: "FORBIDDEN", message: "approvalRule.root_only" });
    expect((await domainErrorOf(deleteApprovalRule(branch.admin, { ruleId: id }))).code).toBe("FORBIDDEN");
    for (const deps of [root.purchaser, root.approver, root.viewer, seller.owner]) {
      expect((await domainErrorOf(createApprovalRule(deps, input))).code).toBe("FORBIDDEN");
      expect((await domainErrorOf(deleteApprovalRule(deps, { ruleId: id }))).code).toBe("FORBIDDEN");
      expect((await domainErrorOf(listApprovalRules(deps))).code).toBe("FORBIDDEN");
    }
    expect((await domainErrorOf(deleteApprovalRule(other.admin, { ruleId: id }))).code).toBe("NOT_FOUND");
    expect((await domainErrorOf(getApprovalRule(other.admin, { ruleId: id }))).code).toBe("NOT_FOUND");
    expect((await domainErrorOf(deleteApprovalRule(root.admin, { ruleId: "x" }))).code).toBe("NOT_FOUND");
    expect((await listApprovalRules(other.admin)).rules).toEqual([]);
    // An administrator demoted after the page loaded is refused inside the transaction.
    await db.updateTable("memberships").set({ role: "purchaser" }).where("user_id", "=", root.admin.actor.userId).execute();
    expect((await domainErrorOf(deleteApprovalRule(root.admin, { ruleId: id }))).code).toBe("FORBIDDEN");
    expect(await awardRowCounts(db)).toEqual(before);
  });
});
