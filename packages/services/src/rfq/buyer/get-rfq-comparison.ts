import { z } from "zod";
import { can, conflict, isCurrency, money, scoreOffers, validateScoreWeights, validationError, type Currency, type FieldErrors, type OfferStatus, type RfqStatus, type ScoreWeights } from "@souk/domain";
import type { ActorDeps } from "../../deps";
import { sellerTrackRecords } from "../../orders/track-record";
import { buyerRfq, inFinalComparison } from "../access";
import { readAward, type BuyerRfqAwardView } from "./get-buyer-rfq";
import { assertBuyerRfqCan, COUNTED_OFFER_STATUSES, moneyOf, refId, rfqReference, type RfqMoneyView } from "./shared";

/** The weights a comparison starts with: price first, then lead time, then track record. */
export const DEFAULT_SCORE_WEIGHTS: ScoreWeights = { price: 60, leadTime: 25, trackRecord: 15 };

export const getRfqComparisonSchema = z.object({
  rfqId: z.unknown(),
  /** Weights as the query string gives them: whole numbers from 0; any left empty takes its default. */
  price: z.unknown().optional(),
  leadTime: z.unknown().optional(),
  trackRecord: z.unknown().optional(),
});
export type GetRfqComparisonInput = z.input<typeof getRfqComparisonSchema>;

export interface ComparisonCell {
  offerId: string;
  quantity: number;
  unitPrice: RfqMoneyView;
  lineTotal: RfqMoneyView;
  /** The lowest unit price of the line (ties all marked). */
  best: boolean;
  /** Less than the quantity asked. */
  short: boolean;
}

export interface ComparisonLine {
  id: string;
  position: number;
  description: string;
  quantity: number;
  unit: string;
  targetPrice: RfqMoneyView | null;
  bestUnitPrice: RfqMoneyView | null;
  /** One per offer column, in the columns' order; null where the offer does not bid on the line. */
  cells: (ComparisonCell | null)[];
}

export interface ComparisonOffer {
  id: string;
  seller: { id: string; name: string };
  status: OfferStatus;
  revision: number;
  total: RfqMoneyView;
  leadTimeDays: number;
  validUntil: string;
  notes: string;
  /** The seller's files with its offer (downloaded through readOfferAttachment). */
  attachments: { id: string; name: string; sizeBytes: number }[];
  linesOffered: number;
  trackRecord: { completedOrders: number; onTimeRate: number; disputes: number };
  /** Each component in [0, 1], the weighted score, and the rank (1 = best; equal scores share it). */
  score: { price: number; leadTime: number; trackRecord: number; total: number; rank: number };
}

export interface RfqComparison {
  rfq: { id: string; reference: string; title: string; status: RfqStatus; sealing: "sealed" | "open"; currency: string; deadline: string | null; closedAt: string | null };
  weights: ScoreWeights;
  /** Sellers' offers as columns, best score first. */
  offers: ComparisonOffer[];
  /** RFQ lines as rows. */
  lines: ComparisonLine[];
  award: BuyerRfqAwardView | null;
  /** Whether this actor may award now (closed, no award in force). */
  canAward: boolean;
}

function weightOf(value: unknown, fallback: number): number {
  if (value === undefined || value === null || (typeof value === "string" && value.trim() === "")) return fallback;
  if (typeof value === "number") return value;
  return typeof value === "string" && /^\s*\d{1,6}\s*$/.test(value) ? Number(value.trim()) : Number.NaN;
}

/** The buyer's weights, or VALIDATION keyed by the query's names (`price`, `leadTime`, `trackRecord`; `weights` when all are zero). */
export function parseScoreWeights(input: { price?: unknown; leadTime?: unknown; trackRecord?: unknown }): ScoreWeights {
  const weights = {
    price: weightOf(input.price, DEFAULT_SCORE_WEIGHTS.price),
    leadTime: weightOf(input.leadTime, DEFAULT_SCORE_WEIGHTS.leadTime),
    trackRecord: weightOf(input.trackRecord, DEFAULT_SCORE_WEIGHTS.trackRecord),
  };
  const errors: FieldErrors = {};
  for (const [field, keys] of Object.entries(validateScoreWeights(weights))) errors[field.replace(/^weights\./, "")] = keys;
  if (Object.keys(errors).length > 0) throw validationError(errors);
  return weights;
}

/**
 * The comparison matrix of one of the buyer's RFQs once it has closed (or been awarded): the
 * sellers' final offers as columns, the lines as rows with unit and line prices, quantities offered
 * and the best price per line marked (domain bestPricePerLine), the totals, lead times, validity,
 * each seller's track record on Souk, and the weighted score with its components (domain
 * scoreOffers) under the buyer's weights (default 60/25/15). Before the close nothing of it exists:
 * CONFLICT, with no figure (a best-and-final round included, until its own deadline). After a final
 * round, only the shortlisted sellers' offers are compared. Another buyer's RFQ is NOT_FOUND.
 */
export async function getRfqComparison(deps: ActorDeps, input: unknown): Promise<RfqComparison> {
  const { actor, db } = deps;
  assertBuyerRfqCan(actor, "award:rfq:org");
  const raw = (input ?? {}) as GetRfqComparisonInput;
  const rfqId = refId(raw.rfqId, "RFQ");
  const rfq = await buyerRfq(db, actor.organizationId, rfqId);
  if (rfq.status !== "closed" && rfq.status !== "awarded") throw conflict("rfq.comparison_not_available", { _form: ["rfq.comparison_not_available"] });
  const weights = parseScoreWeights(raw);
  if (!isCurrency(rfq.currency)) throw conflict("rfq.currency_unsupported");
  const currency: Currency = rfq.currency;

  const [lines, offers, award] = await Promise.all([
    db.selectFrom("rfq_lines").select(["id", "position", "description", "quantity", "unit", "target_price_minor"]).where("rfq_id", "=", rfq.id).orderBy("position").execute(),
    db
      .selectFrom("offers as o")
      .innerJoin("organizations as s", "s.id", "o.seller_id")
      .select(["o.id", "o.seller_id", "s.name", "o.status", "o.revision", "o.total_minor", "o.lead_time_days", "o.valid_until", "o.notes"])
      .where("o.rfq_id", "=", rfq.id)
      .where("o.status", "in", [...COUNTED_OFFER_STATUSES])
      // After a best-and-final round, only the shortlist's final offers are compared.
      .where(inFinalComparison("o"))
      .execute(),
    readAward(db, rfq.id, rfq.buyer_id),
  ]);
  const [offerLines, records, files] = await Promise.all([
    offers.length === 0
      ? Promise.resolve([])
      : db
          .selectFrom("offer_lines")
          .select(["offer_id", "line_id", "quantity", "unit_price_minor"])
          .where("rfq_id", "=", rfq.id)
          .where("offer_id", "in", offers.map((o) => o.id))
          .execute(),
    sellerTrackRecords(db, offers.map((o) => o.seller_id)),
    offers.length === 0
      ? Promise.resolve([])
      : db
          .selectFrom("offer_attachments")
          .select(["id", "offer_id", "original_name", "size_bytes"])
          .where("rfq_id", "=", rfq.id)
          .where("offer_id", "in", offers.map((o) => o.id))
          .orderBy("created_at")
          .execute(),
  ]);
  const bidsOf = (offerId: string) => offerLines.filter((l) => l.offer_id === offerId);
  const neutral = { completedOrders: 0, onTimeRate: 0, disputes: 0 };

  const comparison = scoreOffers(
    {
      currency,
      lines: lines.map((l) => ({ id: l.id, quantity: l.quantity })),
      offers: offers.map((o) => ({
        offerId: o.id,
        lines: bidsOf(o.id).map((l) => ({ lineId: l.line_id, unitPrice: money(BigInt(l.unit_price_minor), currency), quantity: l.quantity })),
        leadTimeDays: o.lead_time_days,
        trackRecord: records.get(o.seller_id) ?? neutral,
      })),
    },
    weights,
  );
  const scoreById = new Map(comparison.offers.map((s) => [s.offerId, s]));
  const columns: ComparisonOffer[] = offers
    .map((o) => {
      const s = scoreById.get(o.id);
      const record = records.get(o.seller_id) ?? neutral;
      return {
        id: o.id,
        seller: { id: o.seller_id, name: o.name },
        status: o.status,
        revision: o.revision,
        total: moneyOf(o.total_minor, currency),
        leadTimeDays: o.lead_time_days,
        validUntil: o.valid_until.toISOString(),
        notes: o.notes,
        attachments: files.filter((f) => f.offer_id === o.id).map((f) => ({ id: f.id, name: f.original_name, sizeBytes: f.size_bytes })),
        linesOffered: bidsOf(o.id).length,
        trackRecord: { ...record },
        score: { price: s?.components.price ?? 0, leadTime: s?.components.leadTime ?? 0, trackRecord: s?.components.trackRecord ?? 0, total: s?.score ?? 0, rank: s?.rank ?? offers.length },
      };
    })
    .sort((a, b) => a.score.rank - b.score.rank || a.seller.name.localeCompare(b.seller.name) || a.id.localeCompare(b.id));
  const bestByLine = new Map(comparison.bestPricePerLine.map((b) => [b.lineId, b]));

  return {
    rfq: {
      id: rfq.id,
      reference: rfqReference(rfq.number),
      title: rfq.title,
      status: rfq.status,
      sealing: rfq.sealing,
      currency,
      deadline: rfq.deadline ? rfq.deadline.toISOString() : null,
      closedAt: rfq.closed_at ? rfq.closed_at.toISOString() : null,
    },
    weights,
    offers: columns,
    lines: lines.map((l) => {
      const best = bestByLine.get(l.id);
      return {
        id: l.id,
        position: l.position,
        description: l.description,
        quantity: l.quantity,
        unit: l.unit,
        targetPrice: l.target_price_minor === null ? null : moneyOf(l.target_price_minor, currency),
        bestUnitPrice: best?.unitPrice ? moneyOf(best.unitPrice.amount, currency) : null,
        cells: columns.map((column) => {
          const bid = offerLines.find((b) => b.offer_id === column.id && b.line_id === l.id);
          if (!bid) return null;
          return {
            offerId: column.id,
            quantity: bid.quantity,
            unitPrice: moneyOf(bid.unit_price_minor, currency),
            lineTotal: moneyOf(BigInt(bid.unit_price_minor) * BigInt(bid.quantity), currency),
            best: best?.offerIds.includes(column.id) ?? false,
            short: bid.quantity < l.quantity,
          };
        }),
      };
    }),
    award,
    canAward: rfq.status === "closed" && (award === null || award.status === "rejected") && can(actor.organizationKind, actor.role, "award:rfq:org"),
  };
}
