import { DomainError, type FieldErrors } from "./errors";

/**
 * Counter-proposals (line-level negotiation of one seller's offer).
 *
 * The buyer sends a counter to one offer: for some of the offer's lines a target unit price and/or
 * quantity, a message and a deadline to answer (`respondBy`). The seller answers before it:
 *
 *   accept:    pending → accepted    (seller; the offer takes the targets: a new offer revision)
 *   decline:   pending → declined    (seller; a reason is required; the offer does not change)
 *   revise:    pending → revised     (seller; its own new terms: a new offer revision)
 *   expire:    pending → expired     (system; only at or after respondBy)
 *   supersede: pending → superseded  (system; the offer changed otherwise, or the RFQ moved on)
 *
 * Every status but `pending` is final, and a counter's terms never change (the database refuses it
 * too). The buyer's sending never changes the offer: only the seller's accept or revise does
 * (consent). Time is always an argument (the database clock's instant read under the RFQ's lock):
 * an answer is accepted only strictly before `respondBy`.
 */
export const COUNTER_STATUSES = ["pending", "accepted", "declined", "revised", "expired", "superseded"] as const;
export type CounterStatus = (typeof COUNTER_STATUSES)[number];

export const COUNTER_MOVES = ["accept", "decline", "revise", "expire", "supersede"] as const;
export type CounterMove = (typeof COUNTER_MOVES)[number];

/** The seller's answers. */
export const COUNTER_ANSWERS = ["accept", "decline", "revise"] as const;
export type CounterAnswer = (typeof COUNTER_ANSWERS)[number];

interface Transition {
  to: CounterStatus;
  by: "seller" | "system";
}

export const COUNTER_TRANSITIONS: Readonly<Record<CounterMove, Transition>> = {
  accept: { to: "accepted", by: "seller" },
  decline: { to: "declined", by: "seller" },
  revise: { to: "revised", by: "seller" },
  expire: { to: "expired", by: "system" },
  supersede: { to: "superseded", by: "system" },
};

/** The longest a seller may be given to answer, in days. */
export const COUNTER_MAX_RESPONSE_DAYS = 30;
/** The longest message or decline reason, in characters. */
export const COUNTER_TEXT_MAX = 2_000;
const DAY_MS = 86_400_000;
const MAX_PRICE_MINOR = 9_007_199_254_740_991n;
const MAX_TOTAL_MINOR = 2n ** 63n - 1n;

export function isCounterStatus(value: unknown): value is CounterStatus {
  return typeof value === "string" && (COUNTER_STATUSES as readonly string[]).includes(value);
}

export function isCounterAnswer(value: unknown): value is CounterAnswer {
  return typeof value === "string" && (COUNTER_ANSWERS as readonly string[]).includes(value);
}

function assertValidDate(date: Date, what: string): void {
  if (Number.isNaN(date.getTime())) throw new DomainError("INVARIANT", `${what} is not a valid date`);
}

/** A counter takes an answer made at `at` only strictly before its deadline. */
export function counterWindowOpen(respondBy: Date, at: Date): boolean {
  assertValidDate(respondBy, "respondBy");
  assertValidDate(at, "at");
  return at.getTime() < respondBy.getTime();
}

/**
 * The status after `move`. Checked in this order, each with a stable message key:
 * - the counter is no longer pending → CONFLICT `{ _form: ["counter.not_pending"] }`;
 * - a seller's answer at or after respondBy → CONFLICT `{ _form: ["counter.expired"] }`;
 * - an expiry before respondBy → CONFLICT `{ _form: ["counter.not_expired"] }`.
 */
export function moveCounter(from: CounterStatus, move: CounterMove, context: { now: Date; respondBy: Date }): CounterStatus {
  if (from !== "pending") throw new DomainError("CONFLICT", "counter.not_pending", { _form: ["counter.not_pending"] });
  const open = counterWindowOpen(context.respondBy, context.now);
  const transition = COUNTER_TRANSITIONS[move];
  if (transition.by === "seller" && !open) throw new DomainError("CONFLICT", "counter.expired", { _form: ["counter.expired"] });
  if (move === "expire" && open) throw new DomainError("CONFLICT", "counter.not_expired", { _form: ["counter.not_expired"] });
  return transition.to;
}

/** What a pending counter is at `now`: past its deadline it is expired, whether or not that was written yet. */
export function effectiveCounterStatus(status: CounterStatus, respondBy: Date, now: Date): CounterStatus {
  return status === "pending" && !counterWindowOpen(respondBy, now) ? "expired" : status;
}

/**
 * Whether the buyer may send a counter on an RFQ in this state: after it closed (whatever its
 * sealing), or while it runs with open bidding (the buyer sees the offers live). Never during a
 * best-and-final round, nor once awarded or cancelled, nor on a sealed RFQ that is still open.
 */
export function rfqTakesCounters(status: string, sealing: "sealed" | "open"): boolean {
  return status === "closed" || (status === "open" && sealing === "open");
}

/**
 * Whether the buyer may see an RFQ's offers at all (its RFQ page, and so negotiate about one):
 * open bidding once published (as they come), a sealed RFQ only once closed or awarded: before
 * that only their count is shown, and a sealed best-and-final round is sealed again until its own
 * deadline. A sealed RFQ's offers do not exist for the buyer before that (NOT_FOUND, like any
 * unknown offer).
 */
export function buyerSeesOffers(status: string, sealing: "sealed" | "open"): boolean {
  if (status === "draft") return false;
  return sealing === "open" || status === "closed" || status === "awarded";
}

/**
 * Field errors for the counter's response deadline, `{}` when valid:
 * `respondBy`: "counter.respond_by_required" (missing or not a valid date),
 * "counter.respond_by_in_past" (at or before `now`), "counter.respond_by_too_far" (more than 30 days after `now`).
 */
export function validateRespondBy(respondBy: Date | null | undefined, now: Date): FieldErrors {
  assertValidDate(now, "now");
  if (!respondBy || Number.isNaN(respondBy.getTime())) return { respondBy: ["counter.respond_by_required"] };
  if (respondBy.getTime() <= now.getTime()) return { respondBy: ["counter.respond_by_in_past"] };
  if (respondBy.getTime() > now.getTime() + COUNTER_MAX_RESPONSE_DAYS * DAY_MS) return { respondBy: ["counter.respond_by_too_far"] };
  return {};
}

/** An offer's line as it stands. */
export interface NegotiatedLine {
  readonly lineId: string;
  readonly unitPriceMinor: bigint;
  readonly quantity: number;
}

/** What the buyer asks for one line: a target price, a target quantity, or both. */
export interface CounterLineTarget {
  readonly lineId: string;
  readonly targetUnitPriceMinor: bigint | null;
  readonly targetQuantity: number | null;
}

export interface CounterFacts {
  /** The RFQ's lines with the quantity asked. */
  readonly rfqLines: readonly { readonly id: string; readonly quantity: number }[];
  /** The offer's lines as they stand. */
  readonly offerLines: readonly NegotiatedLine[];
}

/**
 * Field errors (message keys) for a counter's lines, `{}` when valid. Indexes are the entries'.
 * - `lines`: "counter.lines_empty" (no line at all), "counter.total_too_large";
 * - `lines.<i>.lineId`: "counter.line_not_in_offer" (not a line the offer bids on), "counter.line_duplicate";
 * - `lines.<i>`: "counter.target_required" (neither a price nor a quantity), "counter.line_unchanged"
 *   (both targets equal to the offer's terms);
 * - `lines.<i>.targetUnitPrice`: "counter.price_not_positive", "counter.price_too_large";
 * - `lines.<i>.targetQuantity`: "counter.quantity_not_positive", "counter.quantity_exceeds_asked".
 */
export function validateCounterLines(facts: CounterFacts, lines: readonly CounterLineTarget[]): FieldErrors {
  const errors: FieldErrors = {};
  const push = (key: string, message: string) => {
    const list = (errors[key] ??= []);
    if (!list.includes(message)) list.push(message);
  };
  if (lines.length === 0) push("lines", "counter.lines_empty");
  const asked = new Map(facts.rfqLines.map((l) => [l.id, l.quantity]));
  const offered = new Map(facts.offerLines.map((l) => [l.lineId, l]));
  const seen = new Set<string>();
  lines.forEach((line, i) => {
    const current = offered.get(line.lineId);
    if (!current) push(`lines.${i}.lineId`, "counter.line_not_in_offer");
    else if (seen.has(line.lineId)) push(`lines.${i}.lineId`, "counter.line_duplicate");
    seen.add(line.lineId);
    const { targetUnitPriceMinor: price, targetQuantity: quantity } = line;
    if (price === null && quantity === null) {
      push(`lines.${i}`, "counter.target_required");
      return;
    }
    if (price !== null) {
      if (price <= 0n) push(`lines.${i}.targetUnitPrice`, "counter.price_not_positive");
      else if (price > MAX_PRICE_MINOR) push(`lines.${i}.targetUnitPrice`, "counter.price_too_large");
    }
    if (quantity !== null) {
      const max = asked.get(line.lineId);
      if (!Number.isSafeInteger(quantity) || quantity < 1) push(`lines.${i}.targetQuantity`, "counter.quantity_not_positive");
      else if (max !== undefined && quantity > max) push(`lines.${i}.targetQuantity`, "counter.quantity_exceeds_asked");
    }
    if (current && (price === null || price === current.unitPriceMinor) && (quantity === null || quantity === current.quantity)) {
      push(`lines.${i}`, "counter.line_unchanged");
    }
  });
  if (Object.keys(errors).length === 0) {
    const total = linesTotal(applyCounterTerms(facts.offerLines, lines));
    if (total > MAX_TOTAL_MINOR) push("lines", "counter.total_too_large");
  }
  return errors;
}

/**
 * The offer's lines once the counter's targets are taken (the seller's acceptance): each targeted
 * line takes its target price and/or quantity; every other line stays as it is. Lines keep the
 * offer's order.
 */
export function applyCounterTerms(offerLines: readonly NegotiatedLine[], targets: readonly CounterLineTarget[]): NegotiatedLine[] {
  const byLine = new Map(targets.map((t) => [t.lineId, t]));
  return offerLines.map((line) => {
    const target = byLine.get(line.lineId);
    if (!target) return { ...line };
    return {
      lineId: line.lineId,
      unitPriceMinor: target.targetUnitPriceMinor ?? line.unitPriceMinor,
      quantity: target.targetQuantity ?? line.quantity,
    };
  });
}

/** Σ quantity × unit price, in minor units. */
export function linesTotal(lines: readonly NegotiatedLine[]): bigint {
  return lines.reduce((sum, l) => sum + l.unitPriceMinor * BigInt(l.quantity), 0n);
}

/**
 * Field errors for the seller's revised terms on a counter, `{}` when valid. The revision may
 * change any of the offer's own lines (never add one, never drop one) and must change something:
 * - `lines.<i>.lineId`: "counter.line_not_in_offer";
 * - `lines`: "counter.revision_unchanged" (every line as it was), "counter.total_too_large".
 * Prices and quantities themselves are checked like an offer's (validateOfferLines), by the caller.
 */
export function validateCounterRevision(offerLines: readonly NegotiatedLine[], revised: readonly NegotiatedLine[]): FieldErrors {
  const errors: FieldErrors = {};
  const offered = new Map(offerLines.map((l) => [l.lineId, l]));
  revised.forEach((line, i) => {
    if (!offered.has(line.lineId)) (errors[`lines.${i}.lineId`] ??= []).push("counter.line_not_in_offer");
  });
  if (Object.keys(errors).length > 0) return errors;
  const merged = mergeRevision(offerLines, revised);
  if (merged.every((l) => {
    const before = offered.get(l.lineId) as NegotiatedLine;
    return before.unitPriceMinor === l.unitPriceMinor && before.quantity === l.quantity;
  })) {
    errors["lines"] = ["counter.revision_unchanged"];
  } else if (linesTotal(merged) > MAX_TOTAL_MINOR) {
    errors["lines"] = ["counter.total_too_large"];
  }
  return errors;
}

/** The offer's lines with the seller's revised ones in place (lines it left out stay as they were). */
export function mergeRevision(offerLines: readonly NegotiatedLine[], revised: readonly NegotiatedLine[]): NegotiatedLine[] {
  const byLine = new Map(revised.map((l) => [l.lineId, l]));
  return offerLines.map((line) => ({ ...(byLine.get(line.lineId) ?? line) }));
}

/**
 * Field errors for a decline reason, `{}` when valid: `reason`: "counter.reason_required" (blank),
 * "counter.reason_too_long" (over 2,000 characters).
 */
export function validateDeclineReason(reason: string | null | undefined): FieldErrors {
  const text = (reason ?? "").trim();
  if (text === "") return { reason: ["counter.reason_required"] };
  if ([...text].length > COUNTER_TEXT_MAX) return { reason: ["counter.reason_too_long"] };
  return {};
}

/** The next round of an offer's negotiation: one more than the last (1 for the first counter). */
export function nextCounterRound(lastRound: number | null): number {
  return (lastRound ?? 0) + 1;
}
