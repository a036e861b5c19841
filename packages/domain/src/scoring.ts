/**
 * The comparison matrix's weighted score. After the deadline the buyer sees, per offer, three
 * components in [0, 1] (1 = best) and a weighted score whose weights it chooses. Everything is
 * deterministic: the same offers and weights give the same numbers, whatever their order.
 *
 * THE RULES
 * 1. Weights `{ price, leadTime, trackRecord }` are non-negative safe integers, not all zero, else
 *    VALIDATION `{ "weights.<name>": ["scoring.weight_invalid"] }` / `{ weights: ["scoring.weights_all_zero"] }`.
 * 2. Price component. An offer may bid on only some lines, and on less than the quantity asked, so
 *    it is compared on the lines it covers, each weighted by the quantity the RFQ *asks* (not the
 *    quantity offered: offering less must not look cheaper):
 *      own  = Σ over the lines L it covers of  its unit price × asked quantity
 *      best = Σ over the same lines L of  the lowest unit price any offer gives for that line × asked quantity
 *      price = best / own
 *    So an offer that is the cheapest on every line it covers scores 1, and one twice as expensive
 *    as the best on every line scores 0.5. An offer covering no RFQ line scores 0. The ratio is
 *    computed on bigints and truncated to 12 decimals, so it never exceeds 1 and equal totals give
 *    exactly 1.
 * 3. Lead-time component: shortest lead time among the offers / the offer's own, in whole days;
 *    an offer with 0 days scores 1 (then the shortest is 0 too).
 * 4. Track-record component, from the seller's history on Souk (n completed orders, on-time rate
 *    r in [0, 1], d disputes):
 *      raw   = r × (1 − min(1, d / n))            (late deliveries and disputes both cost)
 *      track = (n × raw + 5 × 0.5) / (n + 5)      (shrunk towards the neutral 0.5)
 *    A seller with no history (n = 0) gets exactly the neutral 0.5, neither rewarded nor punished;
 *    the prior of 5 pseudo-orders means a few orders move the score a little and many move it
 *    to its raw value. Other sellers' records do not matter (unlike price and lead time).
 * 5. score = (w_price × price + w_leadTime × leadTime + w_trackRecord × track) / (sum of weights).
 *    Components depend only on the offers, never on the weights.
 * 6. Ranks: by score, highest first; equal scores share a rank (1, 1, 3).
 * 7. Best price per line: the lowest unit price among the offers bidding on it and every offer
 *    giving it (ties are all marked); null when no offer bids on the line.
 *
 * Inputs: offers are the locked, validated offers of one RFQ, all in its currency. Malformed data
 * (a non-positive price, another currency, a negative lead time, r outside [0, 1], negative
 * counts) is refused with INVARIANT.
 */
import { DomainError, validationError, type FieldErrors } from "./errors";
import type { Currency, Money } from "./money";

export interface ScoreWeights {
  readonly price: number;
  readonly leadTime: number;
  readonly trackRecord: number;
}

export interface TrackRecord {
  readonly completedOrders: number;
  /** Share of completed orders delivered on time, 0..1. Ignored when completedOrders is 0. */
  readonly onTimeRate: number;
  readonly disputes: number;
}

export interface ScoringOffer {
  readonly offerId: string;
  readonly lines: readonly { readonly lineId: string; readonly unitPrice: Money; readonly quantity: number }[];
  readonly leadTimeDays: number;
  readonly trackRecord: TrackRecord;
}

export interface ScoringInput {
  readonly currency: Currency;
  readonly lines: readonly { readonly id: string; readonly quantity: number }[];
  readonly offers: readonly ScoringOffer[];
}

export interface ScoreComponents {
  readonly price: number;
  readonly leadTime: number;
  readonly trackRecord: number;
}

export interface OfferScore {
  readonly offerId: string;
  readonly components: ScoreComponents;
  readonly score: number;
  readonly rank: number;
}

export interface BestLinePrice {
  readonly lineId: string;
  readonly unitPrice: Money | null;
  readonly offerIds: readonly string[];
}

export interface Comparison {
  /** In the order of `input.offers`. */
  readonly offers: readonly OfferScore[];
  /** In the order of `input.lines`. */
  readonly bestPricePerLine: readonly BestLinePrice[];
}

export const WEIGHT_NAMES = ["price", "leadTime", "trackRecord"] as const;

/** The pseudo-orders of neutral history every track record is blended with (rule 4). */
export const TRACK_RECORD_PRIOR_ORDERS = 5;
export const NEUTRAL_TRACK_RECORD = 0.5;

const SCALE = 10n ** 12n;

/** Field errors for the buyer's weights (rule 1), `{}` when valid. */
export function validateScoreWeights(weights: ScoreWeights): FieldErrors {
  const errors: FieldErrors = {};
  for (const name of WEIGHT_NAMES) {
    const w = weights[name];
    if (!Number.isSafeInteger(w) || w < 0) errors[`weights.${name}`] = ["scoring.weight_invalid"];
  }
  if (Object.keys(errors).length === 0 && WEIGHT_NAMES.every((name) => weights[name] === 0)) {
    errors["weights"] = ["scoring.weights_all_zero"];
  }
  return errors;
}

/** The track-record component (rule 4). */
export function trackRecordComponent(record: TrackRecord): number {
  const { completedOrders: n, onTimeRate: r, disputes: d } = record;
  if (!Number.isSafeInteger(n) || n < 0 || !Number.isSafeInteger(d) || d < 0) {
    throw new DomainError("INVARIANT", "Track record counts must be non-negative integers");
  }
  if (n === 0) return NEUTRAL_TRACK_RECORD;
  if (!(r >= 0 && r <= 1)) throw new DomainError("INVARIANT", "On-time rate must lie in [0, 1]");
  const raw = r * (1 - Math.min(1, d / n));
  return (n * raw + TRACK_RECORD_PRIOR_ORDERS * NEUTRAL_TRACK_RECORD) / (n + TRACK_RECORD_PRIOR_ORDERS);
}

/** best / own for bigints with 0 < best <= own, truncated to 12 decimals (rule 2). */
function ratio(best: bigint, own: bigint): number {
  return Number((best * SCALE) / own) / Number(SCALE);
}

function assertWellFormed(input: ScoringInput): void {
  for (const offer of input.offers) {
    if (!Number.isSafeInteger(offer.leadTimeDays) || offer.leadTimeDays < 0) {
      throw new DomainError("INVARIANT", `Offer ${offer.offerId} has an invalid lead time`);
    }
    for (const line of offer.lines) {
      if (line.unitPrice.currency !== input.currency || line.unitPrice.amount <= 0n) {
        throw new DomainError("INVARIANT", `Offer ${offer.offerId} has an invalid price on line ${line.lineId}`);
      }
    }
  }
}

/** The lowest unit price per line and who gives it (rule 7). */
export function bestPricePerLine(input: Pick<ScoringInput, "lines" | "offers">): BestLinePrice[] {
  return input.lines.map((line) => {
    let best: Money | null = null;
    let offerIds: string[] = [];
    for (const offer of input.offers) {
      const bid = offer.lines.find((l) => l.lineId === line.id);
      if (!bid) continue;
      if (best === null || bid.unitPrice.amount < best.amount) {
        best = bid.unitPrice;
        offerIds = [offer.offerId];
      } else if (bid.unitPrice.amount === best.amount) {
        offerIds.push(offer.offerId);
      }
    }
    return { lineId: line.id, unitPrice: best, offerIds };
  });
}

/** The comparison's components, scores, ranks and best prices by THE RULES above. */
export function scoreOffers(input: ScoringInput, weights: ScoreWeights): Comparison {
  const weightErrors = validateScoreWeights(weights);
  if (Object.keys(weightErrors).length > 0) throw validationError(weightErrors);
  assertWellFormed(input);

  const best = bestPricePerLine(input);
  const bestByLine = new Map(best.map((b) => [b.lineId, b.unitPrice]));
  const askedByLine = new Map(input.lines.map((l) => [l.id, BigInt(l.quantity)]));
  const shortestLead = Math.min(...input.offers.map((o) => o.leadTimeDays));
  const weightSum = weights.price + weights.leadTime + weights.trackRecord;

  const scored = input.offers.map((offer) => {
    let own = 0n;
    let bestTotal = 0n;
    for (const line of offer.lines) {
      const asked = askedByLine.get(line.lineId);
      const bestPrice = bestByLine.get(line.lineId);
      if (asked === undefined || !bestPrice) continue;
      own += line.unitPrice.amount * asked;
      bestTotal += bestPrice.amount * asked;
    }
    const components: ScoreComponents = {
      price: own === 0n ? 0 : ratio(bestTotal, own),
      leadTime: offer.leadTimeDays === 0 ? 1 : shortestLead / offer.leadTimeDays,
      trackRecord: trackRecordComponent(offer.trackRecord),
    };
    const score =
      (weights.price * components.price + weights.leadTime * components.leadTime + weights.trackRecord * components.trackRecord) / weightSum;
    return { offerId: offer.offerId, components, score };
  });

  const offers = scored.map((s) => ({ ...s, rank: 1 + scored.filter((other) => other.score > s.score).length }));
  return { offers, bestPricePerLine: best };
}

/**
 * What an open (not sealed) RFQ shows a seller while it is open: its own rank per line it bids on,
 * and nothing else about the others. Rank = 1 + the number of *other* live offers with a strictly
 * lower unit price on that line (equal prices share a rank; a rank says nothing of how many offers
 * there are behind). Lines the offer does not bid on are left out. Unknown offer → [].
 */
export function offerLineRanks(
  offers: readonly Pick<ScoringOffer, "offerId" | "lines">[],
  offerId: string,
): { readonly lineId: string; readonly rank: number }[] {
  const own = offers.find((o) => o.offerId === offerId);
  if (!own) return [];
  return own.lines.map((line) => {
    const cheaper = offers.filter(
      (o) => o.offerId !== offerId && o.lines.some((l) => l.lineId === line.lineId && l.unitPrice.amount < line.unitPrice.amount),
    ).length;
    return { lineId: line.lineId, rank: 1 + cheaper };
  });
}
