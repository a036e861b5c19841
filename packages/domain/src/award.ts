/**
 * Split-award validation: the buyer awards whole offers or lines, with a line's quantity split
 * across sellers. `validateAward` checks the allocations against the RFQ and its (locked) offers
 * and, when they hold, builds one order per seller with exact line totals.
 *
 * THE RULES
 * 1. An award has at least one allocation (`allocations`: "award.empty").
 * 2. Each allocation names a line of the RFQ (`allocations.<i>.lineId`: "award.line_unknown") and
 *    an offer of the RFQ (`allocations.<i>.offerId`: "award.offer_unknown"); the offer must bid on
 *    that line (`allocations.<i>.lineId`: "award.line_not_offered"); a (line, offer) pair appears
 *    once (`allocations.<i>.lineId`: "award.allocation_duplicate", on the later one).
 * 3. Its quantity is an integer ≥ 1 (`allocations.<i>.quantity`: "award.quantity_not_positive")
 *    and at most what that offer offered for that line ("award.quantity_exceeds_offered").
 * 4. The allocations of a line never add up to more than the line's quantity: every allocation
 *    of such a line gets `allocations.<i>.quantity`: "award.line_quantity_exceeded" (DESIGN §5.3).
 *    Awarding less than the line's quantity, or leaving a line out, is allowed.
 * 5. When valid: one order per seller, sellers in the order of their first allocation, lines in
 *    allocation order; lineTotal = unitPrice × quantity exactly (bigint minor units), the order
 *    total is the sum of its line totals, and the award total the sum of the order totals.
 *
 * The unit price of an order line is the offer's, never the buyer's input. Offers are assumed to
 * be in the RFQ's single currency (validated at submission); a mix is refused with INVARIANT.
 */
import { DomainError, validationError, type FieldErrors } from "./errors";
import { add, multiply, sum, zero, type Currency, type Money } from "./money";

export interface AwardRfq {
  readonly currency: Currency;
  readonly lines: readonly { readonly id: string; readonly quantity: number }[];
}

export interface AwardOffer {
  readonly offerId: string;
  readonly sellerId: string;
  readonly lines: readonly { readonly lineId: string; readonly quantity: number; readonly unitPrice: Money }[];
}

export interface Allocation {
  readonly lineId: string;
  readonly offerId: string;
  readonly quantity: number;
}

export interface AwardOrderLine {
  readonly lineId: string;
  readonly offerId: string;
  readonly quantity: number;
  readonly unitPrice: Money;
  readonly lineTotal: Money;
}

export interface AwardOrder {
  readonly sellerId: string;
  readonly lines: readonly AwardOrderLine[];
  readonly total: Money;
}

export type AwardResult =
  | { readonly ok: true; readonly orders: readonly AwardOrder[]; readonly total: Money }
  | { readonly ok: false; readonly fieldErrors: FieldErrors };

/** Validates `allocations` by THE RULES above; the orders to create when they hold. */
export function validateAward(rfq: AwardRfq & { readonly offers: readonly AwardOffer[] }, allocations: readonly Allocation[]): AwardResult {
  const errors: FieldErrors = {};
  const push = (key: string, message: string) => (errors[key] ??= []).push(message);
  if (allocations.length === 0) push("allocations", "award.empty");

  const lineQuantity = new Map(rfq.lines.map((l) => [l.id, l.quantity]));
  const offers = new Map(rfq.offers.map((o) => [o.offerId, o]));
  const seenPairs = new Set<string>();
  const allocatedPerLine = new Map<string, number>();
  const indicesPerLine = new Map<string, number[]>();

  allocations.forEach((a, i) => {
    const knownLine = lineQuantity.has(a.lineId);
    const offer = offers.get(a.offerId);
    if (!knownLine) push(`allocations.${i}.lineId`, "award.line_unknown");
    if (!offer) push(`allocations.${i}.offerId`, "award.offer_unknown");
    const offered = offer?.lines.find((l) => l.lineId === a.lineId);
    if (knownLine && offer && !offered) push(`allocations.${i}.lineId`, "award.line_not_offered");

    const pair = JSON.stringify([a.lineId, a.offerId]);
    if (seenPairs.has(pair)) push(`allocations.${i}.lineId`, "award.allocation_duplicate");
    seenPairs.add(pair);

    if (!Number.isSafeInteger(a.quantity) || a.quantity < 1) {
      push(`allocations.${i}.quantity`, "award.quantity_not_positive");
      return;
    }
    if (offered && a.quantity > offered.quantity) push(`allocations.${i}.quantity`, "award.quantity_exceeds_offered");
    if (knownLine) {
      allocatedPerLine.set(a.lineId, (allocatedPerLine.get(a.lineId) ?? 0) + a.quantity);
      indicesPerLine.set(a.lineId, [...(indicesPerLine.get(a.lineId) ?? []), i]);
    }
  });

  for (const [lineId, allocated] of allocatedPerLine) {
    if (allocated > lineQuantity.get(lineId)!) {
      for (const i of indicesPerLine.get(lineId)!) push(`allocations.${i}.quantity`, "award.line_quantity_exceeded");
    }
  }
  if (Object.keys(errors).length > 0) return { ok: false, fieldErrors: errors };

  const bySeller = new Map<string, AwardOrderLine[]>();
  for (const a of allocations) {
    const offer = offers.get(a.offerId)!;
    const unitPrice = offer.lines.find((l) => l.lineId === a.lineId)!.unitPrice;
    if (unitPrice.currency !== rfq.currency) {
      throw new DomainError("INVARIANT", `Offer ${offer.offerId} is in ${unitPrice.currency}, the RFQ in ${rfq.currency}`);
    }
    const orderLines = bySeller.get(offer.sellerId) ?? [];
    orderLines.push({ lineId: a.lineId, offerId: a.offerId, quantity: a.quantity, unitPrice, lineTotal: multiply(unitPrice, a.quantity) });
    bySeller.set(offer.sellerId, orderLines);
  }
  const orders = [...bySeller].map(([sellerId, lines]) => ({
    sellerId,
    lines,
    total: sum(
      lines.map((l) => l.lineTotal),
      rfq.currency,
    ),
  }));
  const total = orders.reduce((t, o) => add(t, o.total), zero(rfq.currency));
  // Each offer's total fits a PostgreSQL bigint (the offer refuses more); the sum of several may not.
  if (total.amount > MAX_AWARD_TOTAL_MINOR) return { ok: false, fieldErrors: { _form: ["award.total_too_large"] } };
  return { ok: true, orders, total };
}

/** The largest award total, in minor units: what a PostgreSQL `bigint` holds (2^63 − 1). */
export const MAX_AWARD_TOTAL_MINOR = 9_223_372_036_854_775_807n;

/**
 * Allocations that award whole offers: every line of each offer at its offered quantity. Passed
 * through `validateAward`, like per-line allocations, so the line-quantity rule holds for both.
 * An id that is not an offer of the RFQ → VALIDATION `{ offerIds: ["award.offer_unknown"] }`.
 */
export function wholeOfferAllocations(offers: readonly AwardOffer[], offerIds: readonly string[]): Allocation[] {
  return offerIds.flatMap((offerId) => {
    const offer = offers.find((o) => o.offerId === offerId);
    if (!offer) throw validationError({ offerIds: ["award.offer_unknown"] });
    return offer.lines.map((l) => ({ lineId: l.lineId, offerId, quantity: l.quantity }));
  });
}
