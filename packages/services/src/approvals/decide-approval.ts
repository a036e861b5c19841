import { z } from "zod";
import { sql, type Selectable } from "kysely";
import { withTransaction, type ApprovalsTable, type Db } from "@souk/db";
import { DomainError, forbidden, notFound } from "@souk/domain";
import { recordAudit } from "../audit/record-audit";
import { assertStillPermitted } from "../authorization";
import type { ActorDeps, PublicUrls } from "../deps";
import { emptyToUndefined, parseInput } from "../input";
import { notifyMembers } from "../notifications/notify-members";
import { publishRfqEvent } from "../rfq/live";
import { decisionBlocker } from "./approval-access";
import { finalizeAward } from "./finalize-award";
import { decidePurchaseApproval } from "../purchasing/decide-purchase-approval";
import { purchaseTitle } from "../purchasing/checkout-cart";
import { purchaseReference } from "../purchasing/shared";
import { assertBuyerCan, currentRole, existingId, rfqReference } from "./shared";

export const decideApprovalSchema = z
  .object({
    approvalId: z.unknown(),
    decision: z.enum(["approve", "reject"], { error: "approval.decision_invalid" }),
    comment: z.preprocess(emptyToUndefined, z.string({ error: "approval.comment_invalid" }).trim().max(2000, { error: "approval.comment_too_long" }).optional()),
  })
  .superRefine((data, ctx) => {
    // A rejection tells the requester why; an approval may go without a word.
    if (data.decision === "reject" && !data.comment) ctx.addIssue({ code: "custom", path: ["comment"], message: "approval.comment_required" });
  });
export type DecideApprovalInput = z.input<typeof decideApprovalSchema>;

export interface DecideApprovalResult {
  approvalId: string;
  status: "approved" | "rejected";
  /** The orders placed by an approved award. */
  orderIds: string[];
  /** Only when level 1 of a two-level chain was approved: the level-2 approval now waiting (the subject still waits). */
  nextApprovalId?: string;
}

/**
 * Approves or rejects a pending approval. Only a member of the approval's organisation whose role
 * is the approval's approver role may decide, and never the member who asked for it, whatever
 * their role (the database refuses it too). The approval row is locked: of two concurrent
 * decisions one wins, the other finds it decided (CONFLICT `approval.already_decided`; a purchase
 * its requester withdrew meanwhile is CONFLICT `approval.withdrawn_by_requester`).
 * Approving an award makes it final (orders placed, sellers told); rejecting it leaves the RFQ
 * closed, so the buyer can award it again. Approving a catalogue purchase places it (one order per
 * seller, stock taken; a seller short of stock refuses the approval and nothing changes); rejecting
 * it closes it (nothing was reserved). The requester is told either way.
 */
export async function decideApproval(deps: ActorDeps, input: unknown): Promise<DecideApprovalResult> {
  const { actor } = deps;
  assertBuyerCan(actor, "approve:purchase:org");
  const raw = parseInput(decideApprovalSchema, input);
  const approvalId = existingId(raw.approvalId, "Approval");
  const comment = raw.comment ?? "";
  return withTransaction(deps.db, async (trx) => {
    await assertStillPermitted(trx, actor, "approve:purchase:org");
    const approval = await trx.selectFrom("approvals").selectAll().where("id", "=", approvalId).where("buyer_id", "=", actor.organizationId).forUpdate().executeTakeFirst();
    if (!approval) throw notFound("Approval");
    // The role as it is now: the actor was read when the request began.
    const role = (await currentRole(trx, actor)) ?? actor.role;
    const blocker = decisionBlocker({ ...actor, role: role as typeof actor.role }, approval);
    if (blocker === "approval.already_decided" || blocker === "approval.withdrawn_by_requester") throw new DomainError("CONFLICT", blocker, { _form: [blocker] });
    if (blocker) throw forbidden(blocker);

    const status = raw.decision === "approve" ? ("approved" as const) : ("rejected" as const);
    await trx
      .updateTable("approvals")
      .set({ status, decided_by: actor.userId, decided_at: sql<Date>`now()`, comment })
      .where("id", "=", approval.id)
      .execute();

    // Level 1 of a two-level chain approved: the second level now waits; the subject stays pending.
    if (status === "approved" && approval.level === 1 && approval.next_approver_role) {
      const nextApprovalId = await requestSecondLevel(trx, deps.publicUrls, approval, actor.userId, comment);
      return { approvalId: approval.id, status, orderIds: [], nextApprovalId };
    }

    let orderIds: string[] = [];
    let subject = "";
    let purchaseUrl: string | null = null;
    if (approval.subject_kind === "award") {
      const award = await trx.selectFrom("awards as aw").innerJoin("rfqs as r", "r.id", "aw.rfq_id").select(["aw.id", "aw.rfq_id", "r.number", "r.title"]).where("aw.id", "=", approval.subject_id).where("aw.buyer_id", "=", approval.buyer_id).executeTakeFirstOrThrow();
      subject = `${rfqReference(award.number)} · ${award.title}`;
      if (status === "approved") {
        orderIds = (await finalizeAward(trx, award.id, { publicUrls: deps.publicUrls, actor })).orderIds;
      } else {
        await rejectAward(trx, award.id);
        await publishRfqEvent(trx, award.rfq_id, "award");
      }
    } else {
      // A catalogue purchase: approved, it is placed (a stock shortfall refuses the approval); rejected, nothing was reserved.
      const decided = await decidePurchaseApproval(trx, approval, status, { publicUrls: deps.publicUrls, actor });
      orderIds = decided.orderIds;
      subject = decided.reference;
      purchaseUrl = `${deps.publicUrls.buyer}/purchases/${decided.purchaseId}`;
    }

    await recordAudit(trx, {
      actor,
      action: status === "approved" ? "approval.approved" : "approval.rejected",
      targetType: "approval",
      targetId: approval.id,
      reason: comment || null,
      data: { subjectKind: approval.subject_kind, subjectId: approval.subject_id, orderIds, level: approval.level },
    });
    if (approval.requested_by) await tellRequester(trx, deps.publicUrls, { approval, status, subject, comment, deciderId: actor.userId, purchaseUrl });
    return { approvalId: approval.id, status, orderIds };
  });
}

/**
 * Writes the level-2 approval of a chain whose level 1 `approval` was just approved by `deciderId`:
 * the frozen second role, the second rule's threshold (the first's if that rule was deleted since),
 * the same subject, amount, requester, reason and budget; `previous_decided_by` = the level-1
 * decider, whom the database refuses as the level-2 decider. Its approvers are told; audited.
 */
async function requestSecondLevel(trx: Db, urls: PublicUrls, approval: Selectable<ApprovalsTable>, deciderId: string, comment: string): Promise<string> {
  const nextRule = approval.next_rule_id ? await trx.selectFrom("approval_rules").select("threshold_minor").where("id", "=", approval.next_rule_id).executeTakeFirst() : undefined;
  const role = approval.next_approver_role!;
  const row = await trx
    .insertInto("approvals")
    .values({
      buyer_id: approval.buyer_id,
      subject_kind: approval.subject_kind,
      subject_id: approval.subject_id,
      rule_id: approval.next_rule_id,
      approver_role: role,
      currency: approval.currency,
      amount_minor: approval.amount_minor,
      threshold_minor: nextRule?.threshold_minor ?? approval.threshold_minor,
      requested_by: approval.requested_by,
      level: 2,
      reason: approval.reason,
      budget_id: approval.budget_id,
      previous_decided_by: deciderId,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const subject = await subjectTitle(trx, approval);
  const [requester, decider] = await Promise.all([
    approval.requested_by ? trx.selectFrom("users").select("name").where("id", "=", approval.requested_by).executeTakeFirst() : undefined,
    trx.selectFrom("users").select("name").where("id", "=", deciderId).executeTakeFirstOrThrow(),
  ]);
  await notifyMembers(trx, {
    organizationId: approval.buyer_id,
    roles: [role],
    exceptUserIds: [deciderId, ...(approval.requested_by ? [approval.requested_by] : [])],
    template: "approval.second_level",
    params: (member) => ({
      name: member.name,
      requesterName: requester?.name ?? "—",
      firstDeciderName: decider.name,
      subject,
      amountMinor: approval.amount_minor,
      currency: approval.currency,
      approvalUrl: `${urls.buyer}/approvals/${row.id}`,
    }),
  });
  await recordAudit(trx, {
    actor: { userId: deciderId, organizationId: approval.buyer_id },
    action: "approval.approved",
    targetType: "approval",
    targetId: approval.id,
    reason: comment || null,
    data: { subjectKind: approval.subject_kind, subjectId: approval.subject_id, level: 1, nextApprovalId: row.id, nextApproverRole: role },
  });
  await recordAudit(trx, {
    actor: { userId: deciderId, organizationId: approval.buyer_id },
    action: "approval.requested",
    targetType: "approval",
    targetId: row.id,
    data: { subjectKind: approval.subject_kind, subjectId: approval.subject_id, ruleId: approval.next_rule_id, approverRole: role, currency: approval.currency, amountMinor: approval.amount_minor, level: 2, previousApprovalId: approval.id },
  });
  return row.id;
}

/** What the approvers read about a subject: "RFQ-000123 · Corrugated boxes" or "PUR-000012 · sellers". */
async function subjectTitle(trx: Db, approval: { subject_kind: "award" | "purchase"; subject_id: string; buyer_id: string }): Promise<string> {
  if (approval.subject_kind === "award") {
    const award = await trx.selectFrom("awards as aw").innerJoin("rfqs as r", "r.id", "aw.rfq_id").select(["r.number", "r.title"]).where("aw.id", "=", approval.subject_id).where("aw.buyer_id", "=", approval.buyer_id).executeTakeFirstOrThrow();
    return `${rfqReference(award.number)} · ${award.title}`;
  }
  const purchase = await trx.selectFrom("purchases").select("number").where("id", "=", approval.subject_id).where("buyer_id", "=", approval.buyer_id).executeTakeFirstOrThrow();
  const sellers = await trx
    .selectFrom("purchase_lines as pl")
    .innerJoin("organizations as s", "s.id", "pl.seller_id")
    .select("s.name")
    .distinct()
    .where("pl.purchase_id", "=", approval.subject_id)
    .orderBy("s.name")
    .execute();
  return purchaseTitle(purchaseReference(purchase.number), sellers.map((s) => s.name));
}

async function rejectAward(trx: Db, awardId: string): Promise<void> {
  const updated = await trx.updateTable("awards").set({ status: "rejected", decided_at: sql<Date>`now()` }).where("id", "=", awardId).where("status", "=", "pending_approval").executeTakeFirst();
  if (updated.numUpdatedRows !== 1n) throw new DomainError("INVARIANT", `Award ${awardId} was not waiting for approval`);
}

async function tellRequester(
  trx: Db,
  urls: PublicUrls,
  input: { approval: { id: string; buyer_id: string; requested_by: string | null; amount_minor: string; currency: string }; status: "approved" | "rejected"; subject: string; comment: string; deciderId: string; purchaseUrl: string | null },
): Promise<void> {
  const { approval } = input;
  const decider = await trx.selectFrom("users").select("name").where("id", "=", input.deciderId).executeTakeFirstOrThrow();
  const common = (name: string) => ({
    name,
    subject: input.subject,
    amountMinor: approval.amount_minor,
    currency: approval.currency,
    approvalUrl: `${urls.buyer}/approvals/${approval.id}`,
    deciderName: decider.name,
  });
  if (input.status === "approved") {
    await notifyMembers(trx, {
      organizationId: approval.buyer_id,
      userIds: [approval.requested_by!],
      template: "approval.approved",
      params: (m) => ({ ...common(m.name), ...(input.comment ? { comment: input.comment } : {}) }),
    });
  } else if (input.purchaseUrl) {
    // A rejected purchase: "award it again" is no advice for it.
    const purchaseUrl = input.purchaseUrl;
    await notifyMembers(trx, {
      organizationId: approval.buyer_id,
      userIds: [approval.requested_by!],
      template: "purchase.rejected",
      params: (m) => ({ name: m.name, subject: input.subject, amountMinor: approval.amount_minor, currency: approval.currency, deciderName: decider.name, comment: input.comment, purchaseUrl }),
    });
  } else {
    await notifyMembers(trx, { organizationId: approval.buyer_id, userIds: [approval.requested_by!], template: "approval.rejected", params: (m) => ({ ...common(m.name), comment: input.comment }) });
  }
}
