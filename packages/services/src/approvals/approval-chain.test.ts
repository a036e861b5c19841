import { describe, expect, test } from "vitest";
import { sql } from "kysely";
import { createTestDatabase } from "@souk/testing";
import { domainErrorOf } from "../identity/test-support";
import { checkoutCart } from "../purchasing/checkout-cart";
import { withdrawPurchase } from "../purchasing/withdraw-purchase";
import { budget, cartWith, listing } from "../budgets/test-support";
import { awardRfq } from "./award-rfq";
import { applicableChain, applicableRule } from "./gate";
import { decideApproval } from "./decide-approval";
import { getApproval } from "./get-approval";
import { listApprovals } from "./list-approvals";
import { activeSeller, buyer, closedRfq, notified, rule, type BuyerFixture } from "./test-support";

const { db } = await createTestDatabase();

/** A closed RFQ of `b` with one seller's final offer of 100 × `unitPriceMinor`. */
async function rfqOf(b: BuyerFixture, unitPriceMinor = 100_00) {
  const alpha = await activeSeller(db);
  const rfq = await closedRfq(db, b.id, { lines: [100], offers: [{ sellerId: alpha.id, lines: [{ quantity: 100, unitPriceMinor }] }] });
  return { rfq, alpha };
}

const approvalsOf = (subjectId: string) =>
  db.selectFrom("approvals").select(["id", "level", "status", "approver_role", "rule_id", "threshold_minor", "next_rule_id", "next_approver_role", "previous_decided_by", "decided_by"]).where("subject_id", "=", subjectId).orderBy("level").execute();

describe("two-level approval chains", () => {
  test("the chain: the lowest reached rule then the highest; one rule reached is one level; none is none", async () => {
    const b = await buyer(db);
    const lead = await rule(db, b.id, { thresholdMinor: 1_000_00, approverRole: "approver" });
    const middle = await rule(db, b.id, { thresholdMinor: 3_000_00, approverRole: "approver" });
    const finance = await rule(db, b.id, { thresholdMinor: 5_000_00, approverRole: "admin" });
    expect(await applicableChain(db, b.id, "EUR", 999_99n)).toBeNull();
    expect(await applicableChain(db, b.id, "EUR", 2_000_00n)).toMatchObject({ first: { id: lead }, second: null });
    expect(await applicableChain(db, b.id, "EUR", 4_000_00n)).toMatchObject({ first: { id: lead }, second: { id: middle } });
    expect(await applicableChain(db, b.id, "EUR", 5_000_00n)).toMatchObject({ first: { id: lead }, second: { id: finance } });
    // The single-rule answer stays the highest reached.
    expect((await applicableRule(db, b.id, "EUR", 5_000_00n))?.id).toBe(finance);
  });

  test("level 1 approved → level 2 waits (the award too, no order); the level-1 decider and the requester cannot decide level 2; another approves → orders", async () => {
    const b = await buyer(db);
    const lead = await rule(db, b.id, { thresholdMinor: 1_000_00, approverRole: "approver" });
    const top = await rule(db, b.id, { thresholdMinor: 5_000_00, approverRole: "approver" });
    const secondApprover = await b.member("approver");
    const { rfq } = await rfqOf(b); // 100 × 100.00 = 10 000.00
    const award = await awardRfq(b.purchaser, { rfqId: rfq.id, mode: "whole", offerIds: [rfq.offerIds[0]] });
    expect(award.status).toBe("pending_approval");
    const [first] = await approvalsOf(award.awardId);
    expect(first).toMatchObject({ level: 1, status: "pending", approver_role: "approver", rule_id: lead, threshold_minor: "100000", next_rule_id: top, next_approver_role: "approver", previous_decided_by: null });
    expect((await listApprovals(b.approver, {})).items[0]).toMatchObject({ id: first!.id, level: 1, levels: 2, reason: "threshold", canDecide: true });
    expect((await getApproval(b.approver, { approvalId: first!.id })).chain.map((c) => [c.level, c.status, c.approverRole])).toEqual([
      [1, "pending", "approver"],
      [2, "pending", "approver"],
    ]);

    const decided = await decideApproval(b.approver, { approvalId: first!.id, decision: "approve", comment: "Fine by me." });
    expect(decided).toMatchObject({ status: "approved", orderIds: [], nextApprovalId: expect.any(String) });
    const [, second] = await approvalsOf(award.awardId);
    expect(second).toMatchObject({ id: decided.nextApprovalId, level: 2, status: "pending", approver_role: "approver", rule_id: top, threshold_minor: "500000", previous_decided_by: b.approver.actor.userId, next_approver_role: null });
    expect((await db.selectFrom("awards").select("status").where("id", "=", award.awardId).executeTakeFirstOrThrow()).status).toBe("pending_approval");
    expect(await db.selectFrom("orders").select("id").where("rfq_id", "=", rfq.id).execute()).toEqual([]);
    // The second level's approvers are told (not the level-1 decider, not the requester); sellers hear nothing yet.
    expect((await notified(db, "approval.second_level")).map((n) => n.userId)).toEqual([secondApprover.actor.userId]);
    expect(await notified(db, "award.won")).toEqual([]);
    expect(await notified(db, "approval.approved")).toEqual([]);

    // The level-1 decider cannot decide level 2, in the service…
    const before = await approvalsOf(award.awardId);
    const own = await domainErrorOf(decideApproval(b.approver, { approvalId: second!.id, decision: "approve" }));
    expect([own.code, own.message]).toEqual(["FORBIDDEN", "approval.decided_first_level"]);
    expect((await getApproval(b.approver, { approvalId: second!.id })).blocker).toBe("approval.decided_first_level");
    // …nor in the database.
    await expect(sql`update approvals set status = 'approved', decided_by = ${b.approver.actor.userId}, decided_at = now() where id = ${second!.id}`.execute(db)).rejects.toThrow(/approvals_two_deciders_check/);
    // The requester cannot decide either level (even holding no approver role, the check comes first).
    expect((await domainErrorOf(decideApproval(b.purchaser, { approvalId: second!.id, decision: "approve" }))).code).toBe("FORBIDDEN");
    // Level 1 is decided: deciding it again is a conflict.
    expect((await domainErrorOf(decideApproval(secondApprover, { approvalId: first!.id, decision: "approve" }))).message).toBe("approval.already_decided");
    expect(await approvalsOf(award.awardId)).toEqual(before);

    const final = await decideApproval(secondApprover, { approvalId: second!.id, decision: "approve" });
    expect(final).toMatchObject({ status: "approved" });
    expect(final).not.toHaveProperty("nextApprovalId");
    expect(final.orderIds).toHaveLength(1);
    expect((await db.selectFrom("awards").select("status").where("id", "=", award.awardId).executeTakeFirstOrThrow()).status).toBe("approved");
    expect((await notified(db, "approval.approved")).map((n) => n.userId)).toEqual([b.purchaser.actor.userId]);
    const view = await getApproval(b.purchaser, { approvalId: second!.id });
    expect(view).toMatchObject({ level: 2, levels: 2 });
    expect(view.chain.map((c) => [c.level, c.status, c.decidedBy])).toEqual([
      [1, "approved", `approver of ${b.name}`],
      [2, "approved", `approver of ${b.name}`],
    ]);
  });

  test("a team lead then finance: different roles; the requester, an admin, cannot decide its own level 2", async () => {
    const b = await buyer(db);
    await rule(db, b.id, { thresholdMinor: 1_000_00, approverRole: "approver" });
    await rule(db, b.id, { thresholdMinor: 5_000_00, approverRole: "admin" });
    const otherAdmin = await b.member("admin");
    const { rfq } = await rfqOf(b);
    const award = await awardRfq(b.admin, { rfqId: rfq.id, mode: "whole", offerIds: [rfq.offerIds[0]] });
    const [first] = await approvalsOf(award.awardId);
    // Level 1 is the approvers': an admin cannot decide it.
    expect((await domainErrorOf(decideApproval(otherAdmin, { approvalId: first!.id, decision: "approve" }))).message).toBe("approval.wrong_role");
    const { nextApprovalId } = await decideApproval(b.approver, { approvalId: first!.id, decision: "approve" });
    expect((await domainErrorOf(decideApproval(b.admin, { approvalId: nextApprovalId!, decision: "approve" }))).message).toBe("approval.own_request");
    expect((await domainErrorOf(decideApproval(b.approver, { approvalId: nextApprovalId!, decision: "approve" }))).code).toBe("FORBIDDEN");
    expect((await listApprovals(otherAdmin, {})).items.map((i) => [i.id, i.level, i.levels, i.canDecide])).toEqual([[nextApprovalId, 2, 2, true]]);
    expect((await decideApproval(otherAdmin, { approvalId: nextApprovalId!, decision: "approve" })).orderIds).toHaveLength(1);
  });

  test("rejection at level 2 rejects the award: no order, the RFQ stays closed, the requester is told", async () => {
    const b = await buyer(db);
    await rule(db, b.id, { thresholdMinor: 1_000_00, approverRole: "approver" });
    await rule(db, b.id, { thresholdMinor: 5_000_00, approverRole: "admin" });
    const { rfq } = await rfqOf(b);
    const award = await awardRfq(b.purchaser, { rfqId: rfq.id, mode: "whole", offerIds: [rfq.offerIds[0]] });
    const [first] = await approvalsOf(award.awardId);
    const { nextApprovalId } = await decideApproval(b.approver, { approvalId: first!.id, decision: "approve" });
    expect((await domainErrorOf(decideApproval(b.admin, { approvalId: nextApprovalId!, decision: "reject" }))).fieldErrors).toEqual({ comment: ["approval.comment_required"] });
    expect(await decideApproval(b.admin, { approvalId: nextApprovalId!, decision: "reject", comment: "Over the quarter's plan." })).toEqual({ approvalId: nextApprovalId, status: "rejected", orderIds: [] });
    expect((await db.selectFrom("awards").select("status").where("id", "=", award.awardId).executeTakeFirstOrThrow()).status).toBe("rejected");
    expect((await db.selectFrom("rfqs").select("status").where("id", "=", rfq.id).executeTakeFirstOrThrow()).status).toBe("closed");
    expect(await db.selectFrom("orders").select("id").where("rfq_id", "=", rfq.id).execute()).toEqual([]);
    expect((await notified(db, "approval.rejected")).filter((n) => n.organizationId === b.id).map((n) => n.userId)).toEqual([b.purchaser.actor.userId]);
  });

  test("rejection at level 1 ends the chain: no level 2 is ever asked", async () => {
    const b = await buyer(db);
    await rule(db, b.id, { thresholdMinor: 1_000_00, approverRole: "approver" });
    await rule(db, b.id, { thresholdMinor: 5_000_00, approverRole: "admin" });
    const { rfq } = await rfqOf(b);
    const award = await awardRfq(b.purchaser, { rfqId: rfq.id, mode: "whole", offerIds: [rfq.offerIds[0]] });
    const [first] = await approvalsOf(award.awardId);
    expect(await decideApproval(b.approver, { approvalId: first!.id, decision: "reject", comment: "No." })).toEqual({ approvalId: first!.id, status: "rejected", orderIds: [] });
    expect((await approvalsOf(award.awardId)).map((a) => [a.level, a.status])).toEqual([[1, "rejected"]]);
    expect((await db.selectFrom("awards").select("status").where("id", "=", award.awardId).executeTakeFirstOrThrow()).status).toBe("rejected");
  });

  test("a catalogue purchase over a budget and two rules: budget reason on both levels; level 2 approval places it; withdrawal at level 2 closes it", async () => {
    const b = await buyer(db);
    await rule(db, b.id, { thresholdMinor: 100_00, approverRole: "approver" });
    await rule(db, b.id, { thresholdMinor: 300_00, approverRole: "admin" });
    const budgetId = await budget(db, b.id, { organizationId: b.id, amountMinor: 200_00, onExceed: "approval" });
    const seller = await activeSeller(db);
    const box = await listing(db, seller.id, { listPriceMinor: 10_00, stock: 1_000 });
    const checkout = await checkoutCart(b.purchaser, { currency: "EUR", addressId: await cartWith(b.purchaser, box.id, 40) }); // 400.00
    const [first] = await approvalsOf(checkout.purchaseId);
    expect(first).toMatchObject({ level: 1, approver_role: "approver", next_approver_role: "admin" });
    const { nextApprovalId } = await decideApproval(b.approver, { approvalId: first!.id, decision: "approve" });
    expect(await db.selectFrom("approvals").select(["reason", "budget_id", "level"]).where("subject_id", "=", checkout.purchaseId).orderBy("level").execute()).toEqual([
      { reason: "budget", budget_id: budgetId, level: 1 },
      { reason: "budget", budget_id: budgetId, level: 2 },
    ]);
    expect((await db.selectFrom("purchases").select("status").where("id", "=", checkout.purchaseId).executeTakeFirstOrThrow()).status).toBe("pending_approval");
    const placed = await decideApproval(b.admin, { approvalId: nextApprovalId!, decision: "approve" });
    expect(placed.orderIds).toHaveLength(1);
    expect((await db.selectFrom("purchases").select("status").where("id", "=", checkout.purchaseId).executeTakeFirstOrThrow()).status).toBe("placed");

    // Another one, taken back by its requester while level 2 waits: the waiting level is withdrawn, nobody can decide it.
    const again = await checkoutCart(b.purchaser, { currency: "EUR", addressId: await cartWith(b.purchaser, box.id, 40) });
    const [level1] = await approvalsOf(again.purchaseId);
    const { nextApprovalId: level2 } = await decideApproval(b.approver, { approvalId: level1!.id, decision: "approve" });
    await withdrawPurchase(b.purchaser, { purchaseId: again.purchaseId });
    expect((await approvalsOf(again.purchaseId)).map((a) => [a.level, a.status])).toEqual([
      [1, "approved"],
      [2, "withdrawn"],
    ]);
    expect((await domainErrorOf(decideApproval(b.admin, { approvalId: level2!, decision: "approve" }))).message).toBe("approval.withdrawn_by_requester");
  });
});
