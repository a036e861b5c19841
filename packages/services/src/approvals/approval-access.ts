import { sql, type ExpressionBuilder, type Expression, type SqlBool } from "kysely";
import type { Database } from "@souk/db";
import { can, forbidden, type Actor } from "@souk/domain";

/**
 * Who sees an approval: it belongs to the actor's buyer organisation, and the actor is either one
 * who may decide it (holds approve:purchase:org in the approval's approver role) or the member who
 * asked for it (to follow it). Anything else is NOT_FOUND, like an approval that does not exist.
 */
export function approvalVisibleTo(actor: Actor) {
  const mayApprove = can(actor.organizationKind, actor.role, "approve:purchase:org");
  return (eb: ExpressionBuilder<Database & { a: Database["approvals"] }, "a">): Expression<SqlBool> =>
    eb.and([
      eb("a.buyer_id", "=", actor.organizationId),
      mayApprove ? eb.or([eb("a.approver_role", "=", actor.role as "admin" | "approver"), eb("a.requested_by", "=", actor.userId)]) : eb("a.requested_by", "=", actor.userId),
    ]);
}

/** The approvals pages are for approvers and for the buyers who award (to follow their requests). */
export function assertMayReadApprovals(actor: Actor): void {
  if (actor.organizationKind !== "buyer") throw forbidden("Missing permission approve:purchase:org");
  if (!can(actor.organizationKind, actor.role, "approve:purchase:org") && !can(actor.organizationKind, actor.role, "award:rfq:org")) {
    throw forbidden("Missing permission approve:purchase:org");
  }
}

export type DecisionBlocker = "approval.own_request" | "approval.wrong_role" | "approval.already_decided" | "approval.withdrawn_by_requester" | "approval.decided_first_level";

/** Why the actor may not decide an approval (a message key), or null when they may. */
export function decisionBlocker(actor: Actor, approval: { approver_role: string; requested_by: string | null; status: string; previous_decided_by?: string | null }): DecisionBlocker | null {
  // Closed without a decision: its requester took the purchase back.
  if (approval.status === "withdrawn") return "approval.withdrawn_by_requester";
  if (approval.status !== "pending") return "approval.already_decided";
  if (approval.requested_by === actor.userId) return "approval.own_request";
  // A two-level chain needs two people: who approved the first level cannot approve the second.
  if (approval.previous_decided_by && approval.previous_decided_by === actor.userId) return "approval.decided_first_level";
  if (!can(actor.organizationKind, actor.role, "approve:purchase:org") || approval.approver_role !== actor.role) return "approval.wrong_role";
  return null;
}

export const PENDING_FIRST = sql<number>`case when a.status = 'pending' then 0 else 1 end`;
