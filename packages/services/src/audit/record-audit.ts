import type { Db } from "@souk/db";

/** Every action the audit log knows. New actions are added here, never renamed (the log keeps the old strings). */
export const AUDIT_ACTIONS = [
  "auth.sign_up",
  "auth.sign_in",
  "auth.sign_in_failed",
  "auth.sign_out",
  "auth.password_changed",
  "member.invited",
  "member.joined",
  "member.role_changed",
  "member.removed",
  "organization.switched",
  "operator.created",
  // Operator review of sellers (services/src/vetting)
  "seller.approved",
  "seller.rejected",
  "seller.info_requested",
  "seller.suspended",
  "seller.reinstated",
  "seller.document_viewed",
  "audit.exported",
  // The seller's own application (services/src/sellers)
  "seller.application_submitted",
  "seller.application_resubmitted",
  "seller.document_uploaded",
  "seller.document_deleted",
  // The search index (services/src/catalogue/search-sync)
  "search.reindex_requested",
  // Listings: the seller's moves (services/src/catalogue/listings) and the operator's moderation (catalogue/moderation)
  "listing.published",
  "listing.unlisted",
  "listing.blocked",
  "listing.unblocked",
  // Awards, approvals and approval rules (services/src/approvals)
  "approval_rule.created",
  "approval_rule.deleted",
  "award.created",
  "award.finalized",
  "approval.requested",
  "approval.approved",
  "approval.rejected",
  // The requester took a waiting catalogue purchase back (services/src/purchasing/withdraw-purchase.ts)
  "approval.withdrawn",
  // Budgets of a buyer organisation (services/src/budgets)
  "budget.created",
  "budget.updated",
  "budget.deleted",
  // The receipts chain of an RFQ did not verify at closing (services/src/rfq/seller/close-rfq.ts)
  "rfq.chain_broken",
  // The buyer opened a best-and-final round (services/src/rfq/buyer/open-final-round.ts)
  "rfq.final_round_opened",
  // An operator read an RFQ's page (services/src/rfq/operator/get-operator-rfq.ts)
  "rfq.read",
  // Counter-proposals: the buyer's, and the seller's answers (services/src/negotiation)
  "counter.sent",
  "counter.accepted",
  "counter.declined",
  "counter.revised",
  // Commission rules and payouts (services/src/money)
  "commission_rule.saved",
  "commission_rule.archived",
  "payout_run.requested",
  "payout.paid",
  "payout.failed",
  // An operator's decision on a dispute (services/src/orders/resolve-dispute.ts)
  "dispute.resolved",
  // An operator retried a failed job (services/src/operations)
  "job.retried",
  // A moderator read a buyer–seller thread or one of its files (services/src/conversations)
  "conversation.read",
  // A participant reported a thread to the moderators (services/src/conversations)
  "conversation.reported",
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** Who did it. An `Actor` fits; so does `{ userId }` for a user without an active organisation. */
export interface AuditActor {
  userId: string;
  organizationId?: string | null;
  ip?: string | null;
}

export interface AuditEntry {
  actor?: AuditActor | null;
  /** The organisation the event concerns (defaults to the actor's). */
  organizationId?: string | null;
  action: AuditAction;
  targetType?: string | null;
  targetId?: string | null;
  /** Defaults to the actor's address. */
  ip?: string | null;
  reason?: string | null;
  data?: Record<string, unknown>;
}

/**
 * Appends one row to audit_log. Call it with the transaction that makes the change, so the record
 * exists exactly when the change does (the table itself refuses updates and deletes).
 */
export async function recordAudit(db: Db, entry: AuditEntry): Promise<string> {
  const actorOrganizationId = entry.actor?.organizationId ?? null;
  const row = await db
    .insertInto("audit_log")
    .values({
      actor_user_id: entry.actor?.userId ?? null,
      actor_organization_id: actorOrganizationId,
      organization_id: entry.organizationId !== undefined ? entry.organizationId : actorOrganizationId,
      action: entry.action,
      target_type: entry.targetType ?? null,
      target_id: entry.targetId ?? null,
      ip: entry.ip !== undefined ? entry.ip : (entry.actor?.ip ?? null),
      reason: entry.reason ?? null,
      data: JSON.stringify(entry.data ?? {}),
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}
