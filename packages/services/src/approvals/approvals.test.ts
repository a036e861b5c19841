import { describe, expect, test } from "vitest";
import { createTestDatabase } from "@souk/testing";
import { domainErrorOf } from "../identity/test-support";
import { awardRfq } from "./award-rfq";
import { decideApproval } from "./decide-approval";
import { getApproval } from "./get-approval";
import { listApprovals } from "./list-approvals";
import { activeSeller, awardRowCounts, buyer, closedRfq, notified, rule, type BuyerFixture } from "./test-support";
import { applicableRule } from "./gate";
import { decisionBlocker } from "./approval-access";

const { db } = await createTestDatabase();

/** A closed RFQ of `b` with two sellers' final offers: line of 100 at 10.00 (alpha) and 11.00 (beta). */
async function rfqOf(b: BuyerFixture) {
  const [alpha, beta, gamma] = [await activeSeller(db), await activeSeller(db), await activeSeller(db)];
  const rfq = await closedRfq(db, b.id, {
    lines: [100],
    offers: [
      { sellerId: alpha.id, lines: [{ quantity: 100, unitPriceMinor: 1000 }] },
      { sellerId: beta.id, lines: [{ quantity: 100, unitPriceMinor: 1100 }] },
      { sellerId: gamma.id, lines: [{ quantity: 100, unitPriceMinor: 1200 }] },
    ],
  });
  return { rfq, alpha, beta, gamma };
}

describe("the approval gate", () => {
  test("an award reaching the threshold waits: pending approval, no order, approvers told (not the requester); below it goes through", async () => {
    const b = await buyer(db);
    const secondApprover = await b.member("approver", "fr");
    await rule(db, b.id, { thresholdMinor: 100_000, approverRole: "approver" }); // 1 000.00 EUR
    const { rfq } = await rfqOf(b);
    // Exactly the threshold (100 × 10.00 = 1 000.00): reached.
    const result = await awardRfq(b.purchaser, { rfqId: rfq.id, mode: "whole", offerIds: [rfq.offerIds[0]], note: "Cheapest." });
    expect(result).toEqual({ awardId: result.awardId, status: "pending_approval", orderIds: [] });
    expect(await db.selectFrom("orders").select("id").where("rfq_id", "=", rfq.id).execute()).toEqual([]);
    expect((await db.selectFrom("rfqs").select("status").where("id", "=", rfq.id).executeTakeFirstOrThrow()).status).toBe("closed");
    const approval = await db.selectFrom("approvals").selectAll().where("subject_id", "=", result.awardId).executeTakeFirstOrThrow();
    expect(approval).toMatchObject({ status: "pending", approver_role: "approver", amount_minor: "100000", threshold_minor: "100000", subject_kind: "award", buyer_id: b.id, requested_by: b.purchaser.actor.userId });
    const told = await notified(db, "approval.requested");
    expect(told.map((n) => n.userId).sort()).toEqual([b.approver.actor.userId, secondApprover.actor.userId].sort());
    expect(told.find((n) => n.userId === secondApprover.actor.userId)!.body).toContain("demande votre approbation");
    expect(told[0]!.body).toContain(`http://buyer.test/approvals/${approval.id}`);
    // Sellers hear nothing until it is decided.
    expect(await notified(db, "award.won")).toEqual([]);
    expect(await notified(db, "award.lost")).toEqual([]);

    const below = await buyer(db);
    await rule(db, below.id, { thresholdMinor: 100_001 });
    const { rfq: other } = await rfqOf(below);
    expect((await awardRfq(below.purchaser, { rfqId: other.id, mode: "whole", offerIds: [other.offerIds[0]] })).status).toBe("approved");
  });

  test("the highest threshold reached wins; other currencies do not count", async () => {
    const b = await buyer(db);
    await rule(db, b.id, { thresholdMinor: 50_000, approverRole: "approver" });
    const high = await rule(db, b.id, { thresholdMinor: 90_000, approverRole: "admin" });
    await rule(db, b.id, { thresholdMinor: 150_000, approverRole: "approver" });
    await rule(db, b.id, { thresholdMinor: 10, currency: "USD", approverRole: "approver" });
    expect((await applicableRule(db, b.id, "EUR", 100_000n))?.id).toBe(high);
    expect(await applicableRule(db, b.id, "EUR", 49_999n)).toBeNull();
    expect(await applicableRule(db, b.id, "GBP", 10_000_000n)).toBeNull();
  });

  test("a branch's own rules apply to it; without any, the organisation-wide ones; other branches' never", async () => {
    const root = await buyer(db);
    const lyon = await buyer(db, { parentId: root.id });
    const casa = await buyer(db, { parentId: root.id });
    const plain = await buyer(db, { parentId: root.id });
    const wide = await rule(db, root.id, { thresholdMinor: 100_000, approverRole: "admin" });
    const lyonRule = await rule(db, root.id, { thresholdMinor: 500_000, branchId: lyon.id, approverRole: "approver" });
    await rule(db, root.id, { thresholdMinor: 1_000, branchId: casa.id });

    expect((await applicableRule(db, root.id, "EUR", 200_000n))?.id).toBe(wide);
    // Lyon's own rule replaces the organisation's: 2 000.00 is under Lyon's 5 000.00.
    expect(await applicableRule(db, lyon.id, "EUR", 200_000n)).toBeNull();
    expect((await applicableRule(db, lyon.id, "EUR", 500_000n))?.id).toBe(lyonRule);
    // A branch without rules of its own falls under the organisation's.
    expect((await applicableRule(db, plain.id, "EUR", 200_000n))?.id).toBe(wide);

    // Through an award: Lyon's approvers (its own members) are the ones asked.
    const { rfq } = await rfqOf(lyon);
    await db.updateTable("offer_lines").set({ unit_price_minor: "6000" }).where("offer_id", "=", rfq.offerIds[0]!).execute();
    const result = await awardRfq(lyon.purchaser, { rfqId: rfq.id, mode: "whole", offerIds: [rfq.offerIds[0]] });
    expect(result.status).toBe("pending_approval");
    const approval = await db.selectFrom("approvals").selectAll().where("subject_id", "=", result.awardId).executeTakeFirstOrThrow();
    expect(approval).toMatchObject({ buyer_id: lyon.id, rule_id: lyonRule, approver_role: "approver", threshold_minor: "500000" });
    expect((await notified(db, "approval.requested")).filter((n) => n.organizationId === lyon.id).map((n) => n.userId)).toEqual([lyon.approver.actor.userId]);
    // The root's approver is not Lyon's: the approval does not exist for them.
    expect((await domainErrorOf(decideApproval(root.approver, { approvalId: approval.id, decision: "approve" }))).code).toBe("NOT_FOUND");
  });
});

describe("deciding an approval", () => {
  async function pendingAward(role: "admin" | "approver" = "approver", requester: "purchaser" | "admin" = "purchaser") {
    const b = await buyer(db);
    await rule(db, b.id, { thresholdMinor: 1, approverRole: role });
    const sellers = await rfqOf(b);
    const result = await awardRfq(b[requester], { rfqId: sellers.rfq.id, mode: "whole", offerIds: [sellers.rfq.offerIds[0]] });
    const approval = await db.selectFrom("approvals").selectAll().where("subject_id", "=", result.awardId).executeTakeFirstOrThrow();
    return { b, ...sellers, awardId: result.awardId, approvalId: approval.id };
  }

  test("the blocker: a withdrawn approval has nothing left to decide, whoever asks; a decided one is already decided", async () => {
    const b = await buyer(db);
    const row = (status: string, requestedBy: string | null = b.purchaser.actor.userId) => ({ approver_role: "approver", requested_by: requestedBy, status });
    expect(decisionBlocker(b.approver.actor, row("pending"))).toBeNull();
    for (const who of [b.approver, b.admin, b.purchaser]) expect(decisionBlocker(who.actor, row("withdrawn"))).toBe("approval.withdrawn_by_requester");
    expect(decisionBlocker(b.approver.actor, row("rejected"))).toBe("approval.already_decided");
    expect(decisionBlocker(b.approver.actor, row("approved"))).toBe("approval.already_decided");
  });

  test("approve: the award becomes final, orders are placed, the requester and the sellers are told", async () => {
    const { b, rfq, alpha, beta, gamma, awardId, approvalId } = await pendingAward();
    const result = await decideApproval(b.approver, { approvalId, decision: "approve", comment: "" });
    expect(result.status).toBe("approved");
    expect(result.orderIds).toHaveLength(1);
    expect(await db.selectFrom("awards").select("status").where("id", "=", awardId).executeTakeFirstOrThrow()).toEqual({ status: "approved" });
    expect((await db.selectFrom("rfqs").select("status").where("id", "=", rfq.id).executeTakeFirstOrThrow()).status).toBe("awarded");
    const orders = await db.selectFrom("orders").select(["seller_id", "total_minor"]).where("award_id", "=", awardId).execute();
    expect(orders).toEqual([{ seller_id: alpha.id, total_minor: "100000" }]);
    // The order's timeline starts with "placed", by the approver who made the award final.
    expect(await db.selectFrom("order_events").select(["kind", "actor_kind", "actor_user_id"]).where("order_id", "in", result.orderIds).execute()).toEqual([
      { kind: "placed", actor_kind: "buyer", actor_user_id: b.approver.actor.userId },
    ]);
    const approval = await db.selectFrom("approvals").selectAll().where("id", "=", approvalId).executeTakeFirstOrThrow();
    expect(approval).toMatchObject({ status: "approved", decided_by: b.approver.actor.userId });
    expect((await notified(db, "approval.approved")).map((n) => n.userId)).toEqual([b.purchaser.actor.userId]);
    const ours = (n: { organizationId: string }) => [alpha.id, beta.id, gamma.id].includes(n.organizationId);
    expect(new Set((await notified(db, "award.won")).filter(ours).map((n) => n.organizationId))).toEqual(new Set([alpha.id]));
    expect(new Set((await notified(db, "award.lost")).filter(ours).map((n) => n.organizationId))).toEqual(new Set([beta.id, gamma.id]));
    // Decided once: a second decision is a conflict and changes nothing.
    const again = await domainErrorOf(decideApproval(b.approver, { approvalId, decision: "reject", comment: "Too late" }));
    expect(again).toMatchObject({ code: "CONFLICT", message: "approval.already_decided" });
  });

  test("the requester can never decide its own, even as an administrator of an admin rule", async () => {
    const { b, approvalId } = await pendingAward("admin", "admin");
    const before = await awardRowCounts(db);
    const own = await domainErrorOf(decideApproval(b.admin, { approvalId, decision: "approve" }));
    expect(own).toMatchObject({ code: "FORBIDDEN", message: "approval.own_request" });
    expect((await domainErrorOf(decideApproval(b.admin, { approvalId, decision: "reject", comment: "no" }))).message).toBe("approval.own_request");
    expect(await awardRowCounts(db)).toEqual(before);
    // The admin asked, so no admin was told but the other ones.
    expect((await notified(db, "approval.requested")).filter((n) => n.organizationId === b.id)).toEqual([]);
    const view = await getApproval(b.admin, { approvalId });
    expect(view).toMatchObject({ mine: true, canDecide: false, blocker: "approval.own_request" });
    // The database refuses it too.
    await expect(db.updateTable("approvals").set({ status: "approved", decided_by: b.admin.actor.userId, decided_at: new Date() }).where("id", "=", approvalId).execute()).rejects.toMatchObject({ code: "23514" });
    // Another administrator may.
    const otherAdmin = await b.member("admin");
    expect((await decideApproval(otherAdmin, { approvalId, decision: "approve" })).status).toBe("approved");
  });

  test("the wrong role is refused: an admin cannot decide an approver's approval, a purchaser or viewer decides nothing", async () => {
    const { b, approvalId } = await pendingAward("approver");
    const before = await awardRowCounts(db);
    expect(await domainErrorOf(decideApproval(b.admin, { approvalId, decision: "approve" }))).toMatchObject({ code: "FORBIDDEN", message: "approval.wrong_role" });
    expect((await domainErrorOf(decideApproval(b.purchaser, { approvalId, decision: "approve" }))).code).toBe("FORBIDDEN");
    expect((await domainErrorOf(decideApproval(b.viewer, { approvalId, decision: "approve" }))).code).toBe("FORBIDDEN");
    // An approver demoted after the page loaded is refused inside the transaction.
    await db.updateTable("memberships").set({ role: "viewer" }).where("user_id", "=", b.approver.actor.userId).execute();
    expect((await domainErrorOf(decideApproval(b.approver, { approvalId, decision: "approve" }))).code).toBe("FORBIDDEN");
    expect(await awardRowCounts(db)).toEqual(before);
  });

  test("reject needs a comment; a rejected award frees the RFQ for a new award", async () => {
    const { b, rfq, awardId, approvalId } = await pendingAward();
    const before = await awardRowCounts(db);
    expect((await domainErrorOf(decideApproval(b.approver, { approvalId, decision: "reject", comment: "   " }))).fieldErrors).toEqual({ comment: ["approval.comment_required"] });
    expect((await domainErrorOf(decideApproval(b.approver, { approvalId, decision: "maybe" }))).fieldErrors).toEqual({ decision: ["approval.decision_invalid"] });
    expect(await awardRowCounts(db)).toEqual(before);

    const result = await decideApproval(b.approver, { approvalId, decision: "reject", comment: "Split it with the second seller." });
    expect(result).toEqual({ approvalId, status: "rejected", orderIds: [] });
    expect(await db.selectFrom("awards").select("status").where("id", "=", awardId).executeTakeFirstOrThrow()).toEqual({ status: "rejected" });
    expect((await db.selectFrom("rfqs").select("status").where("id", "=", rfq.id).executeTakeFirstOrThrow()).status).toBe("closed");
    expect(await db.selectFrom("orders").select("id").where("rfq_id", "=", rfq.id).execute()).toEqual([]);
    const rejected = await notified(db, "approval.rejected");
    expect(rejected.map((n) => n.userId)).toEqual([b.purchaser.actor.userId]);
    expect(rejected[0]!.body).toContain("Split it with the second seller.");

    const second = await awardRfq(b.purchaser, { rfqId: rfq.id, mode: "whole", offerIds: [rfq.offerIds[1]] });
    expect(second.status).toBe("pending_approval");
    expect(await db.selectFrom("awards").select("status").where("rfq_id", "=", rfq.id).orderBy("created_at").execute()).toEqual([{ status: "rejected" }, { status: "pending_approval" }]);
  });

  test("concurrent approve and reject: exactly one wins, the other is a CONFLICT", async () => {
    for (let round = 0; round < 3; round += 1) {
      const { b, rfq, approvalId } = await pendingAward();
      const second = await b.member("approver");
      const results = await Promise.allSettled([
        decideApproval(b.approver, { approvalId, decision: "approve" }),
        decideApproval(second, { approvalId, decision: "reject", comment: "No." }),
      ]);
      const won = results.filter((r) => r.status === "fulfilled") as PromiseFulfilledResult<{ status: string }>[];
      expect(won).toHaveLength(1);
      expect((results.find((r) => r.status === "rejected") as PromiseRejectedResult).reason).toMatchObject({ code: "CONFLICT", message: "approval.already_decided" });
      const orders = await db.selectFrom("orders").select("id").where("rfq_id", "=", rfq.id).execute();
      expect(orders).toHaveLength(won[0]!.value.status === "approved" ? 1 : 0);
    }
  });

  test("the list: pending first, then the decided history; approvers see their role's, requesters their own; another buyer sees nothing", async () => {
    const b = await buyer(db);
    await rule(db, b.id, { thresholdMinor: 1, approverRole: "approver" });
    const first = await rfqOf(b);
    const second = await rfqOf(b);
    const third = await rfqOf(b);
    const a1 = await awardRfq(b.purchaser, { rfqId: first.rfq.id, mode: "whole", offerIds: [first.rfq.offerIds[0]] });
    const a2 = await awardRfq(b.admin, { rfqId: second.rfq.id, mode: "whole", offerIds: [second.rfq.offerIds[0]] });
    const a3 = await awardRfq(b.purchaser, { rfqId: third.rfq.id, mode: "whole", offerIds: [third.rfq.offerIds[0]] });
    const idOf = async (awardId: string) => (await db.selectFrom("approvals").select("id").where("subject_id", "=", awardId).executeTakeFirstOrThrow()).id;
    const [p1, p2, p3] = [await idOf(a1.awardId), await idOf(a2.awardId), await idOf(a3.awardId)];
    await decideApproval(b.approver, { approvalId: p2, decision: "approve" });

    const page = await listApprovals(b.approver, {});
    expect(page.items.map((i) => [i.id, i.status, i.canDecide])).toEqual([
      [p1, "pending", true],
      [p3, "pending", true],
      [p2, "approved", false],
    ]);
    expect(page).toMatchObject({ total: 3, pendingCount: 2 });
    expect(page.items[0]).toMatchObject({ reference: expect.stringMatching(/^RFQ-\d{6}$/), amount: { amountMinor: "100000", currency: "EUR" }, requestedBy: `purchaser of ${b.name}` });
    expect((await listApprovals(b.approver, { status: "approved" })).items.map((i) => i.id)).toEqual([p2]);
    // Only a catalogue purchase can be withdrawn (purchasing/checkout.test.ts); the filter knows the status.
    expect((await listApprovals(b.approver, { status: "withdrawn" })).items).toEqual([]);
    expect((await domainErrorOf(listApprovals(b.approver, { status: "lost" }))).fieldErrors).toEqual({ status: ["approval.filter.status_invalid"] });
    // The purchaser follows its own two requests; the admin (not the rule's role) its own one.
    expect((await listApprovals(b.purchaser, {})).items.map((i) => [i.id, i.mine, i.canDecide])).toEqual([
      [p1, true, false],
      [p3, true, false],
    ]);
    expect((await listApprovals(b.admin, {})).items.map((i) => i.id)).toEqual([p2]);
    expect((await domainErrorOf(listApprovals(b.viewer, {}))).code).toBe("FORBIDDEN");

    const details = await getApproval(b.approver, { approvalId: p1 });
    expect(details.award).toMatchObject({
      status: "pending_approval",
      total: { amountMinor: "100000", currency: "EUR" },
      rfq: { id: first.rfq.id, title: first.rfq.title },
      sellers: [{ sellerId: first.alpha.id, name: first.alpha.name, leadTimeDays: 10, total: { amountMinor: "100000" }, order: null, lines: [{ quantity: 100, lineQuantity: 100, unitPrice: { amountMinor: "1000" }, lineTotal: { amountMinor: "100000" } }] }],
    });
    expect(details.blocker).toBeNull();

    // Another buyer: every id is NOT_FOUND, and nothing changes.
    const intruder = await buyer(db);
    const before = await awardRowCounts(db);
    expect((await listApprovals(intruder.approver, {})).items).toEqual([]);
    expect((await domainErrorOf(getApproval(intruder.approver, { approvalId: p1 }))).code).toBe("NOT_FOUND");
    expect((await domainErrorOf(decideApproval(intruder.approver, { approvalId: p1, decision: "approve" }))).code).toBe("NOT_FOUND");
    expect((await domainErrorOf(decideApproval(intruder.admin, { approvalId: p3, decision: "reject", comment: "x" }))).code).toBe("NOT_FOUND");
    expect((await domainErrorOf(getApproval(intruder.approver, { approvalId: "nope" }))).code).toBe("NOT_FOUND");
    expect(await awardRowCounts(db)).toEqual(before);
  });
});
