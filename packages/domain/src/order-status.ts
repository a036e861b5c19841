import { DomainError, validationError, type FieldErrors } from "./errors";

/**
 * The order state machine (one order per seller, from a catalogue purchase or an RFQ award).
 *
 *   accept:                placed → accepted                (seller)
 *   reject:                placed → rejected                (seller; reason)
 *   ship:                  accepted → shipped               (seller; carrier and tracking reference;
 *                                                             not while a cancellation request is pending)
 *   confirm_delivery:      shipped → delivered              (buyer)
 *   auto_confirm:          shipped → delivered              (system; at or after shippedAt + autoConfirmDays)
 *   cancel:                placed → cancelled               (buyer; reason)
 *   request_cancellation:  status unchanged                 (seller on placed | accepted, buyer on accepted;
 *                                                             reason; no request pending)
 *   consent_cancellation:  placed | accepted → cancelled    (the side that did NOT ask; a request pending)
 *   decline_cancellation:  status unchanged                 (the side that did NOT ask; a request pending)
 *   settle:                delivered → settled              (system; not while a dispute is open)
 *   open_dispute:          status unchanged                 (buyer on delivered | settled; none open or resolved
 *                                                             before; strictly before deliveredAt + disputeWindowDays)
 *   resolve_dispute:       status unchanged                 (operator on delivered | settled; one open)
 *
 * The buyer may not *request* cancellation of a `placed` order: before acceptance the buyer simply
 * cancels (`cancel`), so the table gives the buyer's request_cancellation only `accepted`.
 *
 * Why ship is refused while a cancellation request is pending: cancellation "with the other's
 * consent before shipping" would be defeated if the seller could ship over the buyer's request
 * without answering it; the seller declines first (which the timeline records), then ships.
 *
 * Moves that leave the status unchanged (request/decline cancellation, open/resolve dispute) still
 * go through `moveOrder`, so every button is checked by the same table; the service records the
 * request or the dispute itself. A `settled` order stays `settled` whatever a dispute decides:
 * refunds are reversing journals, not a status.
 *
 * Days are exact periods of 24 hours added to the instant (timestamptz arithmetic, no calendar or
 * daylight-saving shift). Time is always an argument (`now`, the database clock read inside the
 * transaction): nothing here reads a clock.
 */
export const ORDER_STATUSES = ["placed", "accepted", "rejected", "shipped", "delivered", "settled", "cancelled"] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const ORDER_MOVES = [
  "accept",
  "reject",
  "ship",
  "confirm_delivery",
  "auto_confirm",
  "cancel",
  "request_cancellation",
  "consent_cancellation",
  "decline_cancellation",
  "settle",
  "open_dispute",
  "resolve_dispute",
] as const;
export type OrderMove = (typeof ORDER_MOVES)[number];

/** Who makes a move: the order's buyer or seller organisation, an operator, or a job. */
export const ORDER_SIDES = ["buyer", "seller", "operator", "system"] as const;
export type OrderSide = (typeof ORDER_SIDES)[number];

/** The two sides that can ask for (and answer) a cancellation. */
export type CancellationSide = "buyer" | "seller";

export interface OrderTransition {
  /** For each side allowed to make the move, the statuses it may make it from. Sides not listed may not. */
  readonly from: Readonly<Partial<Record<OrderSide, readonly OrderStatus[]>>>;
  /** null: the status does not change. */
  readonly to: OrderStatus | null;
  /** A non-blank `reason` is required (field `reason`). */
  readonly requiresReason: boolean;
}

export const ORDER_TRANSITIONS: Readonly<Record<OrderMove, OrderTransition>> = {
  accept: { from: { seller: ["placed"] }, to: "accepted", requiresReason: false },
  reject: { from: { seller: ["placed"] }, to: "rejected", requiresReason: true },
  ship: { from: { seller: ["accepted"] }, to: "shipped", requiresReason: false },
  confirm_delivery: { from: { buyer: ["shipped"] }, to: "delivered", requiresReason: false },
  auto_confirm: { from: { system: ["shipped"] }, to: "delivered", requiresReason: false },
  cancel: { from: { buyer: ["placed"] }, to: "cancelled", requiresReason: true },
  request_cancellation: { from: { buyer: ["accepted"], seller: ["placed", "accepted"] }, to: null, requiresReason: true },
  consent_cancellation: { from: { buyer: ["placed", "accepted"], seller: ["placed", "accepted"] }, to: "cancelled", requiresReason: false },
  decline_cancellation: { from: { buyer: ["placed", "accepted"], seller: ["placed", "accepted"] }, to: null, requiresReason: false },
  settle: { from: { system: ["delivered"] }, to: "settled", requiresReason: false },
  open_dispute: { from: { buyer: ["delivered", "settled"] }, to: null, requiresReason: false },
  resolve_dispute: { from: { operator: ["delivered", "settled"] }, to: null, requiresReason: false },
};

export interface OrderMoveContext {
  /** The side making the move. */
  readonly by: OrderSide;
  /** The instant of the move (database clock). */
  readonly now: Date;
  /** When the order was shipped; null before. Needed by auto_confirm. */
  readonly shippedAt: Date | null;
  /** When the order was delivered (confirmed or auto-confirmed); null before. Needed by open_dispute. */
  readonly deliveredAt: Date | null;
  /** Days after shipping at which delivery is confirmed automatically (configuration). */
  readonly autoConfirmDays: number;
  /** Days after delivery during which the buyer may open a dispute (configuration). */
  readonly disputeWindowDays: number;
  /** The side that asked for a cancellation still waiting for an answer, or null. */
  readonly cancellationRequestedBy: CancellationSide | null;
  /** The order has a dispute that is open (not yet resolved). */
  readonly disputeOpen: boolean;
  /**
   * The order's dispute has been resolved. An order has at most one dispute (disputes.order_id is
   * unique), so a resolved one closes the door to another. Absent = false.
   */
  readonly disputeResolved?: boolean;
  /** reject, cancel, request_cancellation. */
  readonly reason?: string | null;
  /** ship. */
  readonly carrier?: string | null;
  /** ship. */
  readonly trackingReference?: string | null;
}

/** What `allowedOrderMoves` needs: the context without the fields a form collects. */
export type OrderMoveState = Omit<OrderMoveContext, "reason" | "carrier" | "trackingReference">;

const DAY = 86_400_000;

export function isOrderStatus(value: unknown): value is OrderStatus {
  return typeof value === "string" && (ORDER_STATUSES as readonly string[]).includes(value);
}

export function isOrderMove(value: unknown): value is OrderMove {
  return typeof value === "string" && (ORDER_MOVES as readonly string[]).includes(value);
}

export function isOrderSide(value: unknown): value is OrderSide {
  return typeof value === "string" && (ORDER_SIDES as readonly string[]).includes(value);
}

/** The table alone: `by` may make `move` from `status` (guards such as dates are not checked). */
export function canMoveOrder(status: OrderStatus, move: OrderMove, by: OrderSide): boolean {
  const statuses = ORDER_TRANSITIONS[move].from[by];
  return statuses !== undefined && statuses.includes(status);
}

function assertValidDate(date: Date, what: string): void {
  // An invalid Date compares false with everything, which would silently open or close windows.
  if (!(date instanceof Date) || Number.isNaN(date.getTime())) throw new DomainError("INVARIANT", `${what} is not a valid date`);
}

function assertDays(days: number, what: string): void {
  if (!Number.isSafeInteger(days) || days < 0) throw new DomainError("INVARIANT", `${what} must be a non-negative integer, got ${days}`);
}

function addDays(at: Date, days: number, what: string): Date {
  assertValidDate(at, what);
  assertDays(days, `${what} days`);
  return new Date(at.getTime() + days * DAY);
}

/** The instant from which a shipped order is confirmed delivered automatically (shippedAt + days × 24 h). */
export function autoConfirmDueAt(shippedAt: Date, days: number): Date {
  return addDays(shippedAt, days, "shippedAt");
}

/** The instant the dispute window closes (deliveredAt + days × 24 h): a dispute is opened strictly before it. */
export function disputeWindowClosesAt(deliveredAt: Date, days: number): Date {
  return addDays(deliveredAt, days, "deliveredAt");
}

/** The auto-confirm job and its sweep confirm an order that is shipped and due (idempotent). */
export function orderIsDueForAutoConfirm(status: OrderStatus, shippedAt: Date | null, days: number, now: Date): boolean {
  assertValidDate(now, "now");
  return status === "shipped" && shippedAt !== null && now.getTime() >= autoConfirmDueAt(shippedAt, days).getTime();
}

/**
 * Why the move's guard (beyond the table) refuses it right now, as a message key, or null when it
 * passes. Form fields (reason, carrier, tracking reference) are not guards: see `moveOrder`.
 */
function guardFailure(status: OrderStatus, move: OrderMove, ctx: OrderMoveState): string | null {
  switch (move) {
    case "ship":
      return ctx.cancellationRequestedBy !== null ? "order.cancellation_pending" : null;
    case "auto_confirm": {
      // A shipped order always has shippedAt: a missing one is corrupt data, not a refusal.
      if (ctx.shippedAt === null) throw new DomainError("INVARIANT", "A shipped order has no shippedAt");
      return ctx.now.getTime() >= autoConfirmDueAt(ctx.shippedAt, ctx.autoConfirmDays).getTime() ? null : "order.auto_confirm_not_due";
    }
    case "request_cancellation":
      return ctx.cancellationRequestedBy !== null ? "order.cancellation_pending" : null;
    case "consent_cancellation":
    case "decline_cancellation":
      if (ctx.cancellationRequestedBy === null) return "order.no_cancellation_request";
      return ctx.cancellationRequestedBy === ctx.by ? "order.own_cancellation_request" : null;
    case "settle":
      return ctx.disputeOpen ? "order.dispute_open" : null;
    case "open_dispute": {
      if (ctx.disputeOpen) return "order.dispute_already_open";
      if (ctx.disputeResolved) return "order.dispute_already_resolved";
      if (ctx.deliveredAt === null) throw new DomainError("INVARIANT", `A ${status} order has no deliveredAt`);
      return ctx.now.getTime() < disputeWindowClosesAt(ctx.deliveredAt, ctx.disputeWindowDays).getTime() ? null : "order.dispute_window_closed";
    }
    case "resolve_dispute":
      return ctx.disputeOpen ? null : "order.no_dispute_open";
    default:
      return null;
  }
}

function notAllowed(key: string): DomainError {
  return new DomainError("CONFLICT", "order.move_not_allowed", { _form: [key] });
}

/**
 * The status after `move` made by `ctx.by` (the same status for the moves that do not change it).
 * Checked in this order:
 * - not in ORDER_TRANSITIONS for that side and status → CONFLICT "order.move_not_allowed",
 *   `{ _form: ["order.move_not_allowed"] }`;
 * - a guard refuses → CONFLICT "order.move_not_allowed" with `_form` naming why:
 *   "order.cancellation_pending" (ship or request_cancellation while a request waits),
 *   "order.no_cancellation_request" / "order.own_cancellation_request" (consent/decline with no
 *   request, or by the side that asked), "order.auto_confirm_not_due", "order.dispute_open"
 *   (settle), "order.dispute_already_open",
 *   "order.dispute_already_resolved", "order.dispute_window_closed", "order.no_dispute_open";
 * - missing input → VALIDATION: `reason`: "order.reason_required" (reject, cancel,
 *   request_cancellation; blank counts as missing); for ship `carrier`: "order.carrier_required"
 *   and/or `trackingReference`: "order.tracking_required".
 * Which organisation and user may act for a side (permissions, tenancy) is checked by the service.
 */
export function moveOrder(status: OrderStatus, move: OrderMove, ctx: OrderMoveContext): OrderStatus {
  const transition = ORDER_TRANSITIONS[move];
  if (!canMoveOrder(status, move, ctx.by)) throw notAllowed("order.move_not_allowed");
  assertValidDate(ctx.now, "now");
  const failure = guardFailure(status, move, ctx);
  if (failure !== null) throw notAllowed(failure);

  const errors: FieldErrors = {};
  if (transition.requiresReason && !ctx.reason?.trim()) errors.reason = ["order.reason_required"];
  if (move === "ship") {
    if (!ctx.carrier?.trim()) errors.carrier = ["order.carrier_required"];
    if (!ctx.trackingReference?.trim()) errors.trackingReference = ["order.tracking_required"];
  }
  if (Object.keys(errors).length > 0) throw validationError(errors);
  return transition.to ?? status;
}

/**
 * The moves `ctx.by` may make on an order in `status` right now, in ORDER_MOVES order (drives the
 * buttons): moves in the table whose guards pass; the reason, carrier and tracking reference are
 * left to the form. For the buyer on `placed` that is `cancel`, never `request_cancellation`.
 */
export function allowedOrderMoves(status: OrderStatus, ctx: OrderMoveState): OrderMove[] {
  assertValidDate(ctx.now, "now");
  return ORDER_MOVES.filter((move) => canMoveOrder(status, move, ctx.by) && guardFailure(status, move, ctx) === null);
}
