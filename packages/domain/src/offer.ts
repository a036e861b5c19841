import { DomainError, type FieldErrors } from "./errors";
import type { Currency, Money } from "./money";
import { offerWindowOpen, sellerMayOffer, type RfqStatus } from "./rfq-status";

/**
 * The offer state machine. A seller submits one offer per RFQ (→ `submitted`); until the RFQ's
 * deadline it may revise it any number of times (→ `revised`; every revision is kept as its own
 * row by the service) or withdraw it (→ `withdrawn`). When the RFQ closes, every live offer is
 * locked (→ `locked`) and is what the buyer compares and awards.
 *
 *   revise:   submitted | revised → revised    (seller; only while the offer window is open)
 *   withdraw: submitted | revised → withdrawn  (seller; only while the offer window is open)
 *   lock:     submitted | revised → locked     (system, at close; only at or after the deadline)
 *
 * In a best-and-final round (RFQ `final_round`, context `round: "final"`), a shortlisted seller's
 * final offer opens again for revision, and is locked again when the round closes:
 *
 *   revise:   locked | revised → revised       (seller; only while the final round's window is open)
 *   withdraw: refused                          (CONFLICT offer.final_round_no_withdraw: it competes with its final offer)
 *   lock:     revised → locked                 (system, at the final round's close)
 *
 * Outside a final round `withdrawn` and `locked` are final. A withdrawn offer is no longer live; whether the seller may
 * then submit a fresh offer is the service's decision (one *live* offer per seller per RFQ).
 * The deadline check here is the rule; the service repeats it inside the offer's transaction with
 * the database clock's `now`, which is what makes it hold (DESIGN §5.1).
 */
export const OFFER_STATUSES = ["submitted", "revised", "withdrawn", "locked"] as const;
export type OfferStatus = (typeof OFFER_STATUSES)[number];

export const OFFER_MOVES = ["revise", "withdraw", "lock"] as const;
export type OfferMove = (typeof OFFER_MOVES)[number];

interface Transition {
  from: readonly OfferStatus[];
  to: OfferStatus;
  by: "seller" | "system";
}

export const OFFER_TRANSITIONS: Readonly<Record<OfferMove, Transition>> = {
  revise: { from: ["submitted", "revised"], to: "revised", by: "seller" },
  withdraw: { from: ["submitted", "revised"], to: "withdrawn", by: "seller" },
  lock: { from: ["submitted", "revised"], to: "locked", by: "system" },
};

/** The best-and-final round's moves (see the state machine above). */
export const OFFER_FINAL_ROUND_TRANSITIONS: Readonly<Record<Exclude<OfferMove, "withdraw">, Transition>> = {
  revise: { from: ["locked", "revised"], to: "revised", by: "seller" },
  lock: { from: ["revised"], to: "locked", by: "system" },
};

export type OfferRound = "first" | "final";

export interface OfferMoveContext {
  /** The instant of the move (database clock). */
  readonly now: Date;
  /** The RFQ's current deadline (after any anti-sniping extension; the final round's in a final round). */
  readonly deadline: Date;
  /** The round the move is made in: `final` while the RFQ is in its best-and-final round. Default `first`. */
  readonly round?: OfferRound;
}

export function isOfferStatus(value: unknown): value is OfferStatus {
  return typeof value === "string" && (OFFER_STATUSES as readonly string[]).includes(value);
}

export function isOfferMove(value: unknown): value is OfferMove {
  return typeof value === "string" && (OFFER_MOVES as readonly string[]).includes(value);
}

/** A live offer counts for the RFQ's offer count and is locked at close. */
export function offerIsLive(status: OfferStatus): boolean {
  return status === "submitted" || status === "revised";
}

export function canMoveOffer(from: OfferStatus, move: OfferMove, round: OfferRound = "first"): boolean {
  if (round === "final") return move !== "withdraw" && (OFFER_FINAL_ROUND_TRANSITIONS[move].from as readonly string[]).includes(from);
  return (OFFER_TRANSITIONS[move].from as readonly string[]).includes(from);
}

/** The round an RFQ in `status` takes offers in, or null when it takes none. */
export function offerRoundOf(status: RfqStatus): OfferRound | null {
  return status === "open" ? "first" : status === "final_round" ? "final" : null;
}

/**
 * Refuses an offer write at or after the deadline, or on an RFQ that takes no offer from this
 * seller: CONFLICT `{ offer: ["offer.deadline_passed"] }` / `{ offer: ["offer.rfq_not_open"] }`.
 * A final round takes offers from its shortlisted sellers only (`shortlisted`); any other seller
 * gets the same answer as for a closed RFQ.
 */
export function assertOfferWindow(rfqStatus: RfqStatus, deadline: Date, now: Date, shortlisted = false): void {
  if (!sellerMayOffer(rfqStatus, shortlisted)) throw new DomainError("CONFLICT", "offer.rfq_not_open", { offer: ["offer.rfq_not_open"] });
  if (!offerWindowOpen(deadline, now)) throw new DomainError("CONFLICT", "offer.deadline_passed", { offer: ["offer.deadline_passed"] });
}

/**
 * The status after `move`. Checked in this order, each with a stable message key:
 * - not legal from `from` → ILLEGAL_TRANSITION `{ move: ["offer.illegal_transition"] }`;
 * - revise or withdraw at or after the deadline → CONFLICT `{ offer: ["offer.deadline_passed"] }`;
 * - lock before the deadline → CONFLICT `{ move: ["offer.deadline_not_reached"] }`.
 * In the final round a withdrawal is refused first: CONFLICT `{ offer: ["offer.final_round_no_withdraw"] }`.
 */
export function moveOffer(from: OfferStatus, move: OfferMove, context: OfferMoveContext): OfferStatus {
  const round = context.round ?? "first";
  if (round === "final" && move === "withdraw") {
    throw new DomainError("CONFLICT", "offer.final_round_no_withdraw", { offer: ["offer.final_round_no_withdraw"] });
  }
  if (!canMoveOffer(from, move, round)) {
    throw new DomainError("ILLEGAL_TRANSITION", "offer.illegal_transition", { move: ["offer.illegal_transition"] });
  }
  const open = offerWindowOpen(context.deadline, context.now);
  if (OFFER_TRANSITIONS[move].by === "seller" && !open) {
    throw new DomainError("CONFLICT", "offer.deadline_passed", { offer: ["offer.deadline_passed"] });
  }
  if (move === "lock" && open) {
    throw new DomainError("CONFLICT", "offer.deadline_not_reached", { move: ["offer.deadline_not_reached"] });
  }
  return OFFER_TRANSITIONS[move].to;
}

/** The moves the seller may make on its offer in `status` at `now` (drives its buttons). */
export function availableOfferMoves(status: OfferStatus, context: OfferMoveContext): OfferMove[] {
  if (!offerWindowOpen(context.deadline, context.now)) return [];
  const round = context.round ?? "first";
  return OFFER_MOVES.filter((m) => OFFER_TRANSITIONS[m].by === "seller" && canMoveOffer(status, m, round));
}

export interface RfqForOffer {
  readonly currency: Currency;
  readonly lines: readonly { readonly id: string; readonly quantity: number }[];
}

export interface OfferLineInput {
  readonly lineId: string;
  /** Parsed with `parseMoney` upstream, which already refuses too many decimals. */
  readonly unitPrice: Money;
  /** May be less than the RFQ line asks, never more. */
  readonly quantity: number;
}

export interface OfferForValidation {
  readonly currency: Currency;
  readonly lines: readonly OfferLineInput[];
}

/**
 * Field errors (message keys) for an offer's lines against its RFQ, `{}` when valid. An offer may
 * leave RFQ lines out (it then bids on the others only), but must bid on at least one.
 * - `currency`: "offer.currency_mismatch" (the offer's currency is not the RFQ's);
 * - `lines`: "offer.lines_empty" (no line at all);
 * - `lines.<i>.lineId`: "offer.line_unknown" (not a line of this RFQ), "offer.line_duplicate"
 *   (a later entry for a line already offered);
 * - `lines.<i>.quantity`: "offer.quantity_not_positive" (not an integer ≥ 1),
 *   "offer.quantity_exceeds_asked" (more than the RFQ line's quantity);
 * - `lines.<i>.unitPrice`: "offer.price_not_positive", "offer.currency_mismatch" (a price in
 *   another currency than the RFQ's).
 * Quantity checks against the RFQ need a known line, so an unknown line gets only its lineId error
 * besides the checks that stand alone (quantity ≤ 0, price).
 */
export function validateOfferLines(rfq: RfqForOffer, offer: OfferForValidation): FieldErrors {
  const errors: FieldErrors = {};
  const push = (key: string, message: string) => (errors[key] ??= []).push(message);
  if (offer.currency !== rfq.currency) push("currency", "offer.currency_mismatch");
  if (offer.lines.length === 0) push("lines", "offer.lines_empty");

  const asked = new Map(rfq.lines.map((l) => [l.id, l.quantity]));
  const seen = new Set<string>();
  offer.lines.forEach((line, i) => {
    const askedQuantity = asked.get(line.lineId);
    if (askedQuantity === undefined) push(`lines.${i}.lineId`, "offer.line_unknown");
    else if (seen.has(line.lineId)) push(`lines.${i}.lineId`, "offer.line_duplicate");
    seen.add(line.lineId);

    if (!Number.isSafeInteger(line.quantity) || line.quantity < 1) push(`lines.${i}.quantity`, "offer.quantity_not_positive");
    else if (askedQuantity !== undefined && line.quantity > askedQuantity) push(`lines.${i}.quantity`, "offer.quantity_exceeds_asked");

    if (line.unitPrice.amount <= 0n) push(`lines.${i}.unitPrice`, "offer.price_not_positive");
    if (line.unitPrice.currency !== rfq.currency) push(`lines.${i}.unitPrice`, "offer.currency_mismatch");
  });
  return errors;
}

/** The longest lead time an offer may state, in days (two years). */
export const MAX_LEAD_TIME_DAYS = 730;

/**
 * Field errors for an offer's terms, `{}` when valid:
 * - `leadTimeDays`: "offer.lead_time_invalid" (not an integer in 0..730);
 * - `validUntil`: "offer.validity_before_deadline" (missing, invalid, or before the RFQ's deadline:
 *   the buyer must be able to award it after closing; equal to the deadline is accepted).
 */
export function validateOfferTerms(terms: { leadTimeDays: number; validUntil: Date | null }, deadline: Date): FieldErrors {
  const errors: FieldErrors = {};
  const { leadTimeDays, validUntil } = terms;
  if (!Number.isSafeInteger(leadTimeDays) || leadTimeDays < 0 || leadTimeDays > MAX_LEAD_TIME_DAYS) {
    errors["leadTimeDays"] = ["offer.lead_time_invalid"];
  }
  if (!validUntil || Number.isNaN(validUntil.getTime()) || validUntil.getTime() < deadline.getTime()) {
    errors["validUntil"] = ["offer.validity_before_deadline"];
  }
  return errors;
}
