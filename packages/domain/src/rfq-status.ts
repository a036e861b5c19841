import { DomainError, validationError, type FieldErrors } from "./errors";

const MINUTE = 60_000;

/**
 * The RFQ state machine. An RFQ starts as a `draft`; the buyer publishes it (→ `open`); at its
 * deadline it closes by itself (→ `closed`); the buyer then awards it (→ `awarded`). The buyer may
 * cancel a draft or an open RFQ with a reason (the sellers are told). Once, after the close, the
 * buyer may open a best-and-final round for a shortlist of sellers with a new deadline
 * (→ `final_round`); at that deadline it closes again (→ `closed`) and only the shortlist's offers
 * are compared and awarded.
 *
 *   publish:     draft → open                 (buyer; the deadline must be set and in the future)
 *   edit:        draft → draft, open → open   (buyer; an open RFQ only while it has no offer yet)
 *   close:       open | final_round → closed  (system; only at or after the deadline)
 *   finalRound:  closed → final_round         (buyer; once per RFQ, a shortlist, a new deadline: validateFinalRound)
 *   award:       closed → awarded             (buyer)
 *   cancel:      draft | open → cancelled     (buyer; a reason is required)
 *
 * `closed`, `final_round`, `awarded` and `cancelled` take no edit. Closing twice is harmless at the service level
 * (the second close finds the RFQ `closed` and does nothing: see `rfqIsDueToClose`), but `moveRfq`
 * itself refuses `close` from `closed`, like every move that is not in the table.
 *
 * Time is always an argument (`now`, the database clock's instant read inside the transaction):
 * nothing here reads a clock.
 *
 * The offer window: an offer, revision or withdrawal is accepted only while `at < deadline`
 * (`offerWindowOpen`); at or after the deadline nothing is. The optional anti-sniping rule
 * (`extendedDeadline`) pushes the deadline when an offer lands strictly inside its last N minutes.
 */
export const RFQ_STATUSES = ["draft", "open", "closed", "final_round", "awarded", "cancelled"] as const;
export type RfqStatus = (typeof RFQ_STATUSES)[number];

export const RFQ_MOVES = ["publish", "edit", "close", "finalRound", "award", "cancel"] as const;
export type RfqMove = (typeof RFQ_MOVES)[number];

interface Transition {
  from: readonly RfqStatus[];
  /** null: the status does not change (edit). */
  to: RfqStatus | null;
  by: "buyer" | "system";
  requiresReason: boolean;
}

export const RFQ_TRANSITIONS: Readonly<Record<RfqMove, Transition>> = {
  publish: { from: ["draft"], to: "open", by: "buyer", requiresReason: false },
  edit: { from: ["draft", "open"], to: null, by: "buyer", requiresReason: false },
  close: { from: ["open", "final_round"], to: "closed", by: "system", requiresReason: false },
  finalRound: { from: ["closed"], to: "final_round", by: "buyer", requiresReason: false },
  award: { from: ["closed"], to: "awarded", by: "buyer", requiresReason: false },
  cancel: { from: ["draft", "open"], to: "cancelled", by: "buyer", requiresReason: true },
};

export interface RfqMoveContext {
  /** The instant of the move (database clock). */
  readonly now: Date;
  /** The RFQ's current deadline (after any anti-sniping extension); a draft may have none yet. */
  readonly deadline: Date | null;
  /** Live offers (submitted or revised, not withdrawn) the RFQ has received. */
  readonly offerCount: number;
  /** The buyer's reason for a cancel. */
  readonly reason?: string | null;
  /**
   * For `finalRound`: whether the RFQ already had its best-and-final round (first_deadline set),
   * and whether an award is in force (pending approval or approved). Missing: the move is refused.
   */
  readonly finalRound?: { readonly used: boolean; readonly awardInForce: boolean };
}

export function isRfqStatus(value: unknown): value is RfqStatus {
  return typeof value === "string" && (RFQ_STATUSES as readonly string[]).includes(value);
}

export function isRfqMove(value: unknown): value is RfqMove {
  return typeof value === "string" && (RFQ_MOVES as readonly string[]).includes(value);
}

export function canMoveRfq(from: RfqStatus, move: RfqMove): boolean {
  return (RFQ_TRANSITIONS[move].from as readonly string[]).includes(from);
}

function assertValidDate(date: Date, what: string): void {
  // An invalid Date compares false with everything, which would silently open or close windows.
  if (Number.isNaN(date.getTime())) throw new DomainError("INVARIANT", `${what} is not a valid date`);
}

/**
 * Field errors for a deadline the buyer sets (draft save, edit, publish), `{}` when valid:
 * `deadline`: "rfq.deadline_required" (missing or not a valid date), "rfq.deadline_in_past"
 * (at or before `now`: an RFQ whose deadline is now already takes no offer).
 */
export function validateRfqDeadline(deadline: Date | null | undefined, now: Date): FieldErrors {
  assertValidDate(now, "now");
  if (!deadline || Number.isNaN(deadline.getTime())) return { deadline: ["rfq.deadline_required"] };
  if (deadline.getTime() <= now.getTime()) return { deadline: ["rfq.deadline_in_past"] };
  return {};
}

/**
 * The status after `move`. Checked in this order, each with a stable message key:
 * - not legal from `from` → ILLEGAL_TRANSITION `{ move: ["rfq.illegal_transition"] }`;
 * - publish without a deadline, or with one at or before `now` → VALIDATION
 *   `{ deadline: ["rfq.deadline_required" | "rfq.deadline_in_past"] }`;
 * - edit of an open RFQ that already has an offer → CONFLICT `{ move: ["rfq.has_offers"] }`;
 * - close before the deadline → CONFLICT `{ move: ["rfq.deadline_not_reached"] }`;
 * - cancel without a non-blank reason → VALIDATION `{ reason: ["rfq.reason_required"] }`;
 * - finalRound when the RFQ already had one → CONFLICT `{ _form: ["rfq.final_round_used"] }`, or
 *   with an award in force → CONFLICT `{ _form: ["rfq.final_round_award_exists"] }` (its shortlist
 *   and deadline are checked by validateFinalRound).
 * Who may make the move (buyer permission, the RFQ's organisation) is checked by the service.
 */
export function moveRfq(from: RfqStatus, move: RfqMove, context: RfqMoveContext): RfqStatus {
  const transition = RFQ_TRANSITIONS[move];
  if (!canMoveRfq(from, move)) {
    throw new DomainError("ILLEGAL_TRANSITION", "rfq.illegal_transition", { move: ["rfq.illegal_transition"] });
  }
  assertValidDate(context.now, "now");
  if (move === "publish") {
    const errors = validateRfqDeadline(context.deadline, context.now);
    if (Object.keys(errors).length > 0) throw validationError(errors);
  }
  if (move === "edit" && from === "open" && context.offerCount > 0) {
    throw new DomainError("CONFLICT", "rfq.has_offers", { move: ["rfq.has_offers"] });
  }
  if (move === "close") {
    // An open RFQ always has a deadline (publish requires one): a missing one is corrupt data.
    if (context.deadline === null) throw new DomainError("INVARIANT", "An open RFQ has no deadline");
    if (offerWindowOpen(context.deadline, context.now)) {
      throw new DomainError("CONFLICT", "rfq.deadline_not_reached", { move: ["rfq.deadline_not_reached"] });
    }
  }
  if (move === "finalRound") {
    const facts = context.finalRound;
    if (!facts || facts.used) throw new DomainError("CONFLICT", "rfq.final_round_used", { _form: ["rfq.final_round_used"] });
    if (facts.awardInForce) throw new DomainError("CONFLICT", "rfq.final_round_award_exists", { _form: ["rfq.final_round_award_exists"] });
  }
  if (transition.requiresReason && !context.reason?.trim()) {
    throw validationError({ reason: ["rfq.reason_required"] });
  }
  return transition.to ?? from;
}

/**
 * The moves `by` may make on an RFQ in `status` right now (drives the buttons): legal moves whose
 * guards pass, except the cancel reason, which the form collects. `edit` of an open RFQ is offered
 * only while it has no offer. `finalRound` only when the context says the RFQ never had one, no
 * award is in force, and `offerCount` (its final offers) is at least one.
 */
export function availableRfqMoves(status: RfqStatus, context: Pick<RfqMoveContext, "offerCount" | "finalRound">, by: "buyer" | "system" = "buyer"): RfqMove[] {
  return RFQ_MOVES.filter(
    (m) =>
      RFQ_TRANSITIONS[m].by === by &&
      canMoveRfq(status, m) &&
      !(m === "edit" && status === "open" && context.offerCount > 0) &&
      !(m === "finalRound" && (!context.finalRound || context.finalRound.used || context.finalRound.awardInForce || context.offerCount < 1)),
  );
}

/** An offer, revision or withdrawal made at `at` is accepted only strictly before the deadline. */
export function offerWindowOpen(deadline: Date, at: Date): boolean {
  assertValidDate(deadline, "deadline");
  assertValidDate(at, "at");
  return at.getTime() < deadline.getTime();
}

/** The closing job and the sweep close an RFQ that is open (or in its final round) and whose deadline has come (idempotent). */
export function rfqIsDueToClose(status: RfqStatus, deadline: Date | null, now: Date): boolean {
  return (status === "open" || status === "final_round") && deadline !== null && !offerWindowOpen(deadline, now);
}

/** The longest a best-and-final round may run, in days from its opening. */
export const FINAL_ROUND_MAX_DAYS = 30;

export interface FinalRoundInput {
  /** The final round's deadline. */
  readonly deadline: Date | null | undefined;
  /** The sellers shortlisted (ids, as the buyer chose them). */
  readonly sellerIds: readonly string[];
  /** The sellers that may be shortlisted: those with a final (locked) offer on the RFQ. */
  readonly eligibleSellerIds: readonly string[];
  /** The database clock's instant, read inside the opening's transaction. */
  readonly now: Date;
}

/**
 * Field errors for a best-and-final round, `{}` when valid. The window is that of the first
 * round: offers are taken while `now < deadline` (offerWindowOpen), so a deadline at or before
 * `now` would take none.
 * - `deadline`: "rfq.deadline_required" (missing or invalid), "rfq.deadline_in_past" (at or before
 *   `now`), "rfq.final_deadline_too_far" (more than FINAL_ROUND_MAX_DAYS after `now`);
 * - `sellerIds`: "rfq.final_shortlist_empty" (no seller), "rfq.final_seller_not_eligible" (a seller
 *   without a final offer on this RFQ; the same key whatever the reason, so an id of another
 *   RFQ's seller says nothing of it).
 */
export function validateFinalRound(input: FinalRoundInput): FieldErrors {
  const errors = validateRfqDeadline(input.deadline, input.now);
  if (Object.keys(errors).length === 0 && (input.deadline as Date).getTime() - input.now.getTime() > FINAL_ROUND_MAX_DAYS * 24 * 60 * MINUTE) {
    errors["deadline"] = ["rfq.final_deadline_too_far"];
  }
  if (input.sellerIds.length === 0) errors["sellerIds"] = ["rfq.final_shortlist_empty"];
  else {
    const eligible = new Set(input.eligibleSellerIds);
    if (input.sellerIds.some((id) => !eligible.has(id))) errors["sellerIds"] = ["rfq.final_seller_not_eligible"];
  }
  return errors;
}

/**
 * Whether a seller may write an offer on an RFQ in `status` (ignoring the clock): on an open RFQ
 * every seller that may see it; in the final round only a shortlisted one. The others see the RFQ
 * as closed (sellerFacingStatus).
 */
export function sellerMayOffer(status: RfqStatus, shortlisted: boolean): boolean {
  return status === "open" || (status === "final_round" && shortlisted);
}

/**
 * The status a seller is shown: a final round is `open` to a shortlisted seller (it may revise its
 * offer until the round's deadline) and `closed` to every other one, which learns nothing of it.
 */
export function sellerFacingStatus(status: RfqStatus, shortlisted: boolean): Exclude<RfqStatus, "final_round"> {
  if (status !== "final_round") return status;
  return shortlisted ? "open" : "closed";
}

export interface AntiSnipingInput {
  /** The current deadline (already including earlier extensions). */
  readonly deadline: Date;
  /** When the offer (or revision) was committed, database clock. */
  readonly submittedAt: Date;
  /** N: the window and the extension, in minutes. 0 (or less) = no anti-sniping. */
  readonly windowMinutes: number;
  /** K: how many times the deadline may be pushed in all. */
  readonly maxExtensions: number;
  /** Extensions already applied to this RFQ. */
  readonly extensionsSoFar: number;
}

/**
 * The new deadline when an offer submitted at `submittedAt` triggers the anti-sniping extension,
 * else null. The rule: an offer strictly inside the last N minutes before the deadline
 * (`deadline − N min < submittedAt < deadline`) pushes the deadline by N minutes (from the current
 * deadline, not from the offer), at most K times in all. An offer exactly N minutes before the
 * deadline does not extend it; an offer at or after the deadline is not accepted at all, so it
 * extends nothing (null). The caller applies the new deadline in the same transaction as the offer
 * and increments its extension count.
 */
export function extendedDeadline(input: AntiSnipingInput): Date | null {
  const { deadline, submittedAt, windowMinutes, maxExtensions, extensionsSoFar } = input;
  if (!offerWindowOpen(deadline, submittedAt)) return null;
  if (!Number.isSafeInteger(windowMinutes) || windowMinutes <= 0) return null;
  if (!Number.isSafeInteger(maxExtensions) || !Number.isSafeInteger(extensionsSoFar)) {
    throw new DomainError("INVARIANT", "Anti-sniping counts must be safe integers");
  }
  if (extensionsSoFar >= maxExtensions) return null;
  const window = windowMinutes * MINUTE;
  if (deadline.getTime() - submittedAt.getTime() >= window) return null;
  return new Date(deadline.getTime() + window);
}

/** The most minutes an anti-sniping window may be (one day) and the most extensions (100). */
export const ANTI_SNIPING_LIMITS = { maxWindowMinutes: 1440, maxExtensions: 100 } as const;

/**
 * Field errors for the buyer's anti-sniping settings, `{}` when valid. Both null = off. Otherwise:
 * `antiSniping.windowMinutes`: "rfq.anti_sniping_window_invalid" (not an integer in 1..1440);
 * `antiSniping.maxExtensions`: "rfq.anti_sniping_max_invalid" (not an integer in 1..100).
 */
export function validateAntiSniping(settings: { windowMinutes: number | null; maxExtensions: number | null }): FieldErrors {
  const { windowMinutes, maxExtensions } = settings;
  if (windowMinutes === null && maxExtensions === null) return {};
  const errors: FieldErrors = {};
  const inRange = (v: number | null, max: number) => v !== null && Number.isSafeInteger(v) && v >= 1 && v <= max;
  if (!inRange(windowMinutes, ANTI_SNIPING_LIMITS.maxWindowMinutes)) errors["antiSniping.windowMinutes"] = ["rfq.anti_sniping_window_invalid"];
  if (!inRange(maxExtensions, ANTI_SNIPING_LIMITS.maxExtensions)) errors["antiSniping.maxExtensions"] = ["rfq.anti_sniping_max_invalid"];
  return errors;
}
