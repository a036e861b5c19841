import type { Db } from "@souk/db";
import { DomainError } from "@souk/domain";
import { notifyMembers } from "../notifications/notify-members";
import { recordAudit } from "../audit/record-audit";
import { buyerOrganization, type ApproverRole } from "./shared";

export interface ApprovalSubject {
  /** The buyer organisation that makes the purchase (a branch or the root). */
  buyerOrganizationId: string;
  subjectKind: "award" | "purchase";
  subjectId: string;
  currency: string;
  amountMinor: bigint;
  /** The user who asks; never the one who may decide. */
  requestedBy: string;
  /** What the approvers are told it is ("RFQ-000123 · Corrugated boxes"). */
  title: string;
  /** The buyer app's base URL: the e-mail links to the approval's page there. */
  buyerUrl: string;
}

export interface ApprovalRow {
  id: string;
  ruleId: string | null;
  approverRole: ApproverRole;
  thresholdMinor: string;
}

/**
 * The rule that applies to a purchase of `amountMinor` in `currency` by `organizationId`, or null.
 * Rules belong to the root organisation. For a branch, its own rules (branch_id = the branch) apply
 * when it has any in that currency: a branch rule is the root admin's deliberate exception for
 * that branch, higher or lower than the organisation's. Otherwise the organisation-wide rules
 * (branch_id null) apply. Among the applicable rules, the highest threshold the amount reaches
 * (amount ≥ threshold) wins, and with it its approver role.
 */
export async function applicableRule(db: Db, organizationId: string, currency: string, amountMinor: bigint) {
  const org = await buyerOrganization(db, organizationId);
  const rules = await db
    .selectFrom("approval_rules")
    .select(["id", "branch_id", "threshold_minor", "approver_role"])
    .where("buyer_id", "=", org.rootId)
    .where("currency", "=", currency)
    .where((eb) => (org.isRoot ? eb("branch_id", "is", null) : eb.or([eb("branch_id", "is", null), eb("branch_id", "=", org.id)])))
    .execute();
  const branchRules = rules.filter((r) => r.branch_id !== null);
  const applicable = branchRules.length > 0 ? branchRules : rules.filter((r) => r.branch_id === null);
  let best: (typeof rules)[number] | null = null;
  for (const rule of applicable) {
    const threshold = BigInt(rule.threshold_minor);
    if (amountMinor >= threshold && (best === null || threshold > BigInt(best.threshold_minor))) best = rule;
  }
  return best;
}

/**
 * The approval gate of purchases (RFQ awards now, catalogue orders next): when a rule applies,
 * writes a pending approval for the rule's approver role and tells the approvers of the buyer
 * organisation (by e-mail and in the app, not the requester: they cannot decide their own);
 * returns null when no rule is reached and the purchase may go ahead. Call it in the purchase's
 * transaction; the subject stays waiting until decideApproval.
 */
export async function requireApproval(trx: Db, subject: ApprovalSubject): Promise<ApprovalRow | null> {
  if (subject.amountMinor <= 0n) throw new DomainError("INVARIANT", "An approval needs a positive amount");
  const rule = await applicableRule(trx, subject.buyerOrganizationId, subject.currency, subject.amountMinor);
  if (!rule) return null;
  const row = await trx
    .insertInto("approvals")
    .values({
      buyer_id: subject.buyerOrganizationId,
      subject_kind: subject.subjectKind,
      subject_id: subject.subjectId,
      rule_id: rule.id,
      approver_role: rule.approver_role,
      currency: subject.currency,
      amount_minor: subject.amountMinor.toString(),
      threshold_minor: rule.threshold_minor,
      requested_by: subject.requestedBy,
    })
    .returning(["id"])
    .executeTakeFirstOrThrow();
  const requester = await trx.selectFrom("users").select("name").where("id", "=", subject.requestedBy).executeTakeFirst();
  await notifyMembers(trx, {
    organizationId: subject.buyerOrganizationId,
    roles: [rule.approver_role],
    exceptUserIds: [subject.requestedBy],
    template: "approval.requested",
    params: (member) => ({
      name: member.name,
      requesterName: requester?.name ?? "—",
      subject: subject.title,
      amountMinor: subject.amountMinor.toString(),
      currency: subject.currency,
      thresholdMinor: rule.threshold_minor,
      approvalUrl: `${subject.buyerUrl}/approvals/${row.id}`,
    }),
  });
  await recordAudit(trx, {
    actor: { userId: subject.requestedBy, organizationId: subject.buyerOrganizationId },
    action: "approval.requested",
    targetType: "approval",
    targetId: row.id,
    data: { subjectKind: subject.subjectKind, subjectId: subject.subjectId, ruleId: rule.id, approverRole: rule.approver_role, currency: subject.currency, amountMinor: subject.amountMinor.toString() },
  });
  return { id: row.id, ruleId: rule.id, approverRole: rule.approver_role, thresholdMinor: rule.threshold_minor };
}
