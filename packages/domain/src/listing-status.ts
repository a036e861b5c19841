import { DomainError, validationError } from "./errors";
import type { OrganizationStatus } from "./roles";

/**
 * The listing state machine. A listing starts as a `draft`; the seller publishes it, may unlist it
 * and publish it again; an operator may block a published or unlisted listing with a reason, and
 * unblock it.
 *
 *   publish:  draft | unlisted → published   (seller; the seller must be active)
 *   unlist:   published → unlisted           (seller)
 *   block:    published | unlisted → blocked (operator; a reason is required)
 *   unblock:  blocked → unlisted             (operator)
 *
 * Unblock always lands on `unlisted`, whatever the listing was before the block. Why: an unblock
 * must not put a listing back in front of buyers without the seller's say — it was blocked for a
 * reason, the seller may want to fix it first, and republishing goes through `publish`, which
 * re-checks that the seller is still active. It also keeps the machine free of a hidden
 * "blocked from" memory. The operator's unblock tells the seller, who publishes again in one click.
 *
 * A seller's suspension does not change its listings' statuses: search shows a listing only while
 * `listingIsSearchable` (published and its seller active), so reinstatement brings them back as
 * they were.
 */
export const LISTING_STATUSES = ["draft", "published", "unlisted", "blocked"] as const;
export type ListingStatus = (typeof LISTING_STATUSES)[number];

export const LISTING_MOVES = ["publish", "unlist", "block", "unblock"] as const;
export type ListingMove = (typeof LISTING_MOVES)[number];

interface Transition {
  from: readonly ListingStatus[];
  to: ListingStatus;
  by: "seller" | "operator";
  /** Only an active seller may make this move. */
  requiresActiveSeller: boolean;
  /** The operator must give a reason, which the seller is shown. */
  requiresReason: boolean;
}

export const LISTING_TRANSITIONS: Readonly<Record<ListingMove, Transition>> = {
  publish: { from: ["draft", "unlisted"], to: "published", by: "seller", requiresActiveSeller: true, requiresReason: false },
  unlist: { from: ["published"], to: "unlisted", by: "seller", requiresActiveSeller: false, requiresReason: false },
  block: { from: ["published", "unlisted"], to: "blocked", by: "operator", requiresActiveSeller: false, requiresReason: true },
  unblock: { from: ["blocked"], to: "unlisted", by: "operator", requiresActiveSeller: false, requiresReason: false },
};

export interface ListingMoveContext {
  /** The status of the seller organisation that owns the listing. */
  readonly sellerStatus: OrganizationStatus;
  /** The operator's reason for a block. */
  readonly reason?: string | null;
}

export function isListingStatus(value: unknown): value is ListingStatus {
  return typeof value === "string" && (LISTING_STATUSES as readonly string[]).includes(value);
}

export function isListingMove(value: unknown): value is ListingMove {
  return typeof value === "string" && (LISTING_MOVES as readonly string[]).includes(value);
}

export function canMoveListing(from: ListingStatus, move: ListingMove): boolean {
  return (LISTING_TRANSITIONS[move].from as readonly string[]).includes(from);
}

/**
 * The status after `move`. Checked in this order, each with a stable message key:
 * - not legal from `from` → ILLEGAL_TRANSITION `{ move: ["listing.illegal_transition"] }`;
 * - publish by a seller that is not active → FORBIDDEN `{ move: ["listing.seller_not_active"] }`;
 * - block without a non-blank reason → VALIDATION `{ reason: ["listing.reason_required"] }`.
 * Who may make the move (seller vs operator permission) is checked by the service, not here.
 */
export function moveListing(from: ListingStatus, move: ListingMove, context: ListingMoveContext): ListingStatus {
  const transition = LISTING_TRANSITIONS[move];
  if (!canMoveListing(from, move)) {
    throw new DomainError("ILLEGAL_TRANSITION", "listing.illegal_transition", { move: ["listing.illegal_transition"] });
  }
  if (transition.requiresActiveSeller && context.sellerStatus !== "active") {
    throw new DomainError("FORBIDDEN", "listing.seller_not_active", { move: ["listing.seller_not_active"] });
  }
  if (transition.requiresReason && !context.reason?.trim()) {
    throw validationError({ reason: ["listing.reason_required"] });
  }
  return transition.to;
}

/** The moves `by` may make on a listing in `status` (drives the buttons of each app). */
export function availableListingMoves(status: ListingStatus, by: "seller" | "operator"): ListingMove[] {
  return LISTING_MOVES.filter((m) => LISTING_TRANSITIONS[m].by === by && canMoveListing(status, m));
}

/** Buyers find a listing only while it is published and its seller may trade. */
export function listingIsSearchable(status: ListingStatus, sellerStatus: OrganizationStatus): boolean {
  return status === "published" && sellerStatus === "active";
}
