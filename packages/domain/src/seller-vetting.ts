import { DomainError } from "./errors";
import type { OrganizationStatus } from "./roles";

/**
 * The seller vetting state machine. A seller organisation starts `pending` at sign-up; it fills in
 * its application and submits it; an operator then approves, rejects or asks for more information;
 * an active seller can be suspended and reinstated. Statuses live on `organizations.status`.
 *
 *   pending ──approve──▶ active ──suspend──▶ suspended
 *      │  ▲                 ▲                    │
 *      │  └──resubmit──┐    └─────reinstate──────┘
 *      │               │
 *      ├─request_info─▶ info_requested ──reject──▶ rejected
 *      └─────────────────────reject─────────────▶ rejected
 *
 * `submit` and `resubmit` are the seller's moves; every other one is an operator decision.
 */
export type SellerStatus = Extract<OrganizationStatus, "pending" | "info_requested" | "active" | "suspended" | "rejected">;

export const SELLER_DECISIONS = ["approve", "reject", "request_info", "suspend", "reinstate"] as const;
export type SellerDecision = (typeof SELLER_DECISIONS)[number];
export type SellerMove = SellerDecision | "submit" | "resubmit";

interface Transition {
  from: readonly SellerStatus[];
  to: SellerStatus;
  /** The operator must give a reason (reject, suspend) or a question (request_info). */
  requiresMessage: boolean;
}

export const SELLER_TRANSITIONS: Readonly<Record<SellerMove, Transition>> = {
  submit: { from: ["pending"], to: "pending", requiresMessage: false },
  resubmit: { from: ["info_requested"], to: "pending", requiresMessage: true },
  approve: { from: ["pending"], to: "active", requiresMessage: false },
  reject: { from: ["pending", "info_requested"], to: "rejected", requiresMessage: true },
  request_info: { from: ["pending"], to: "info_requested", requiresMessage: true },
  suspend: { from: ["active"], to: "suspended", requiresMessage: true },
  reinstate: { from: ["suspended"], to: "active", requiresMessage: false },
};

export function isSellerDecision(value: unknown): value is SellerDecision {
  return typeof value === "string" && (SELLER_DECISIONS as readonly string[]).includes(value);
}

export function canMoveSeller(from: OrganizationStatus, move: SellerMove): boolean {
  return (SELLER_TRANSITIONS[move].from as readonly string[]).includes(from);
}

/** The status after `move`, or ILLEGAL_TRANSITION (message key `seller.illegal_transition`). */
export function moveSeller(from: OrganizationStatus, move: SellerMove): SellerStatus {
  if (!canMoveSeller(from, move)) {
    throw new DomainError("ILLEGAL_TRANSITION", "seller.illegal_transition", { decision: ["seller.illegal_transition"] });
  }
  return SELLER_TRANSITIONS[move].to;
}

/** The decisions an operator may take on a seller in `status` (drives the buttons on the review page). */
export function availableDecisions(status: OrganizationStatus): SellerDecision[] {
  return SELLER_DECISIONS.filter((d) => canMoveSeller(status, d));
}

/** Only an active seller lists, bids or gets paid. */
export function sellerCanTrade(status: OrganizationStatus): boolean {
  return status === "active";
}
