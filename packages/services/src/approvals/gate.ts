import type { Db } from "@souk/db";
import { DomainError } from "@souk/domain";
import { notifyMembers } from "../notifications/notify-members";
import { recordAudit } from "../audit/record-audit";
import { checkBudgets } from "../budgets/budget-gate";
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
  /** Why it waits: a rule's threshold, or a budget (approval mode) that the amount goes beyond. */
  reason: "threshold" | "budget";
  budgetId: string | null;
  /** The second level's approver role when the chain has two levels. */
  nextApproverRole: ApproverRole | null;
}

/**
 * The rules that a purchase of `amountMinor` in `currency` by `organizationId` reaches, lowest
 * threshold first. Rules belong to the root organisation. For a branch, its own rules (branch_id =
 * the branch) apply when it has any in that currency: a branch rule is the root admin's deliberate
 * exception for that branch, higher or lower than the organisation's. Otherwise the
 * organisation-wide rules (branch_id null) apply. A rule is reached when amount ≥ threshold.
 */
async function reachedRules(db: Db, organizationId: string, currency: string, amountMinor: bigint) {
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
  return applicable.filter((r) => amountMinor >= BigInt(r.threshold_minor)).sort((a, b) => (BigInt(a.threshold_minor) < BigInt(b.threshold_minor) ? -1 : BigInt(a.threshold_minor) > BigInt(b.threshold_minor) ? 1 : a.id.localeCompare(b.id)));
}

/**
 * The rule that applies to a purchase of `amountMinor` in `currency` by `organizationId`, or null:
 * among the applicable rules (see reachedRules), the highest threshold the amount reaches.
 */
export async function applicableRule(db: Db, organizationId: string, currency: string, amountMinor: bigint) {
  const reached = await reachedRules(db, organizationId, currency, amountMinor);
  return reached.at(-1) ?? null;
}

export type ApprovalRuleRef = Awaited<ReturnType<typeof reachedRules>>[number];

/**
 * The approval chain of a purchase: null when no rule is reached; one level when one rule is; when
 * two or more are, the lowest reached rule decides first (level 1, e.g. a team lead) and the highest
 * reached rule second (level 2, e.g. finance), if its approver role or threshold differs.
 */
export async function applicableChain(db: Db, organizationId: string, currency: string, amountMinor: bigint): Promise<{ first: ApprovalRuleRef; second: ApprovalRuleRef | null } | null> {
  const reached = await reachedRules(db, organizationId, currency, amountMinor);
  const first = reached[0];
  if (!first) return null;
  const last = reached.at(-1)!;
  const differs = last.id !== first.id && (last.approver_role !== first.approver_role || last.threshold_minor !== first.threshold_minor);
  return { first, second: differs ? last : null };
}

/**
 * The approval gate of purchases (RFQ awards and catalogue purchases). Call it in the purchase's
 * transaction, after the purchase or award is written (waiting), with its id:
 * 1. budgets: the buying organisation's and the requester's budgets in the currency are locked and
 *    checked (budgets/budget-gate.ts): over one in refuse mode → CONFLICT `budget.exceeded` (the
 *    transaction rolls back: nothing written); over one in approval mode → it needs approval;
 * 2. rules: the chain of reached rules (applicableChain), one or two levels.
 * When either asks for it, a pending approval (level 1) is written — for the first rule's approver
 * role, or for administrators when only a budget asks — carrying the second level (its rule and
 * role) if any, and the approvers of the buying organisation are told (by e-mail and in the app,
 * not the requester: they cannot decide their own). Returns null when nothing asks for approval and
 * the purchase may go ahead; otherwise the subject stays waiting until decideApproval approves its
 * last level.
 */
export async function requireApproval(trx: Db, subject: ApprovalSubject): Promise<ApprovalRow | null> {
  if (subject.amountMinor <= 0n) throw new DomainError("INVARIANT", "An approval needs a positive amount");
  const org = await buyerOrganization(trx, subject.buyerOrganizationId);
  const budget = await checkBudgets(trx, {
    rootId: org.rootId,
    organizationId: org.id,
    userId: subject.requestedBy,
    currency: subject.currency,
    amountMinor: subject.amountMinor,
    subject: { kind: subject.subjectKind, id: subject.subjectId },
  });
  const chain = await applicableChain(trx, subject.buyerOrganizationId, subject.currency, subject.amountMinor);
  if (!chain && !budget.exceeded) return null;
  const approverRole: ApproverRole = chain?.first.approver_role ?? "admin";
  const thresholdMinor = chain?.first.threshold_minor ?? budget.exceeded!.amount_minor;
  const reason = budget.exceeded ? ("budget" as const) : ("threshold" as const);
  const row = await trx
    .insertInto("approvals")
    .values({
      buyer_id: subject.buyerOrganizationId,
      subject_kind: subject.subjectKind,
      subject_id: subject.subjectId,
      rule_id: chain?.first.id ?? null,
      approver_role: approverRole,
      currency: subject.currency,
      amount_minor: subject.amountMinor.toString(),
      threshold_minor: thresholdMinor,
      requested_by: subject.requestedBy,
      level: 1,
      reason,
      budget_id: budget.exceeded?.id ?? null,
      next_rule_id: chain?.second?.id ?? null,
      next_approver_role: chain?.second?.approver_role ?? null,
    })
    .returning(["id"])
    .executeTakeFirstOrThrow();
  const requester = await trx.selectFrom("users").select("name").where("id", "=", subject.requestedBy).executeTakeFirst();
  const common = (member: { name: string }) => ({
    name: member.name,
    requesterName: requester?.name ?? "—",
    subject: subject.title,
    amountMinor: subject.amountMinor.toString(),
    currency: subject.currency,
    approvalUrl: `${subject.buyerUrl}/approvals/${row.id}`,
  });
  if (budget.exceeded) {
    const exceeded = budget.exceeded;
    await notifyMembers(trx, {
      organizationId: subject.buyerOrganizationId,
      roles: [approverRole],
      exceptUserIds: [subject.requestedBy],
      template: "approval.over_budget",
      params: (member) => ({ ...common(member), budgetMinor: exceeded.amount_minor, remainingMinor: budget.remainingMinor!.toString() }),
    });
  } else {
    await notifyMembers(trx, {
      organizationId: subject.buyerOrganizationId,
      roles: [approverRole],
      exceptUserIds: [subject.requestedBy],
      template: "approval.requested",
      params: (member) => ({ ...common(member), thresholdMinor }),
    });
  }
  await recordAudit(trx, {
    actor: { userId: subject.requestedBy, organizationId: subject.buyerOrganizationId },
    action: "approval.requested",
    targetType: "approval",
    targetId: row.id,
    data: {
      subjectKind: subject.subjectKind,
      subjectId: subject.subjectId,
      ruleId: chain?.first.id ?? null,
      approverRole,
      currency: subject.currency,
      amountMinor: subject.amountMinor.toString(),
      level: 1,
      reason,
      budgetId: budget.exceeded?.id ?? null,
      nextRuleId: chain?.second?.id ?? null,
      nextApproverRole: chain?.second?.approver_role ?? null,
    },
  });
  return { id: row.id, ruleId: chain?.first.id ?? null, approverRole, thresholdMinor, reason, budgetId: budget.exceeded?.id ?? null, nextApproverRole: chain?.second?.approver_role ?? null };
}
