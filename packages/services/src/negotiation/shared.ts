import { sql } from "kysely";
import type { CounterStatus as CounterStatusColumn, Db } from "@souk/db";
import { effectiveCounterStatus, type CounterStatus } from "@souk/domain";
import { moneyOf, type MoneyView } from "../catalogue/pricing/money-view";
export { rfqReference, SELLER_RFQ_ROLES } from "../rfq/common";
export { existingId } from "../input";
export { hasLiveAward } from "../rfq/access";
export { moneyOf, type MoneyView };

/** Helpers of the negotiation use cases (not exported from the package). */

/** Buyers' members who negotiate (award:rfq:org): they are told of the sellers' answers. */
export const BUYER_NEGOTIATION_ROLES = ["admin", "purchaser"] as const;

export interface CounterLineView {
  lineId: string;
  position: number;
  description: string;
  unit: string;
  /** The quantity the RFQ line asks. */
  askedQuantity: number;
  /** The offer's terms when the counter was made. */
  previousUnitPrice: MoneyView;
  previousQuantity: number;
  /** What the buyer asks (null: that term is left as it is). */
  targetUnitPrice: MoneyView | null;
  targetQuantity: number | null;
}

export interface CounterView {
  id: string;
  round: number;
  /** The status as it stands at the database clock's `now` (a pending counter past its deadline is expired). */
  status: CounterStatus;
  message: string;
  respondBy: string;
  createdAt: string;
  createdBy: string | null;
  answeredAt: string | null;
  answeredBy: string | null;
  declineReason: string | null;
  /** The offer revision the counter was made against, and the one the answer produced. */
  offerRevision: number;
  answerRevision: number | null;
  lines: CounterLineView[];
  /** The total of the offer once the targets are taken, against the terms the counter was made on. */
  previousTotal: MoneyView;
  targetTotal: MoneyView;
}

export interface ReceiptChange {
  lineId: string;
  position: number;
  description: string;
  before: { unitPrice: MoneyView; quantity: number } | null;
  after: { unitPrice: MoneyView; quantity: number } | null;
}

export interface ReceiptEntryView {
  revision: number;
  kind: "submitted" | "revised" | "withdrawn";
  /** Why the offer changed when it was not the seller's own form: "counter.accepted", "counter.revised", "seller.suspended". */
  reason: string | null;
  /** The counter the change answers, when it does. */
  counterId: string | null;
  recordedAt: string;
  recordedBy: string | null;
  total: MoneyView;
  changes: ReceiptChange[];
}

export type TimelineEntry = { kind: "counter"; at: string; counter: CounterView } | { kind: "receipt"; at: string; receipt: ReceiptEntryView };

export interface NegotiationLineView {
  lineId: string;
  position: number;
  description: string;
  unit: string;
  askedQuantity: number;
  unitPrice: MoneyView;
  quantity: number;
  lineTotal: MoneyView;
}

export interface NegotiationOfferView {
  id: string;
  status: string;
  revision: number;
  total: MoneyView;
  leadTimeDays: number;
  validUntil: string;
  lines: NegotiationLineView[];
}

export interface RfqLineFacts {
  id: string;
  position: number;
  description: string;
  unit: string;
  quantity: number;
}

export async function rfqLinesOf(db: Db, rfqId: string): Promise<RfqLineFacts[]> {
  return db.selectFrom("rfq_lines").select(["id", "position", "description", "unit", "quantity"]).where("rfq_id", "=", rfqId).orderBy("position").execute();
}

/** The offer as it stands, with its lines in the RFQ's order. */
export async function offerView(db: Db, offerId: string, rfqLines: readonly RfqLineFacts[]): Promise<NegotiationOfferView> {
  const offer = await db
    .selectFrom("offers")
    .select(["id", "status", "revision", "currency", "total_minor", "lead_time_days", "valid_until"])
    .where("id", "=", offerId)
    .executeTakeFirstOrThrow();
  const lines = await db.selectFrom("offer_lines").select(["line_id", "unit_price_minor", "quantity"]).where("offer_id", "=", offerId).execute();
  const byId = new Map(lines.map((l) => [l.line_id, l]));
  return {
    id: offer.id,
    status: offer.status,
    revision: offer.revision,
    total: moneyOf(offer.total_minor, offer.currency),
    leadTimeDays: offer.lead_time_days,
    validUntil: offer.valid_until.toISOString(),
    lines: rfqLines.flatMap((l) => {
      const bid = byId.get(l.id);
      if (!bid) return [];
      return [
        {
          lineId: l.id,
          position: l.position,
          description: l.description,
          unit: l.unit,
          askedQuantity: l.quantity,
          unitPrice: moneyOf(bid.unit_price_minor, offer.currency),
          quantity: bid.quantity,
          lineTotal: moneyOf(BigInt(bid.unit_price_minor) * BigInt(bid.quantity), offer.currency),
        },
      ];
    }),
  };
}

/**
 * What a counter is for the pages at `now`: a pending one past its deadline is expired; one made on
 * an earlier revision of the offer (the seller changed it otherwise), on a withdrawn offer, or on
 * an RFQ that no longer negotiates (awarded, cancelled) is superseded. Nothing is written here.
 */
export function shownCounterStatus(
  status: CounterStatus,
  respondBy: Date,
  now: Date,
  context: { counterRevision: number; offerRevision: number; offerStatus: string; rfqStatus: string },
): CounterStatus {
  const effective = effectiveCounterStatus(status, respondBy, now);
  if (effective !== "pending") return effective;
  const moved = context.counterRevision !== context.offerRevision || context.offerStatus === "withdrawn";
  return moved || context.rfqStatus === "awarded" || context.rfqStatus === "cancelled" ? "superseded" : "pending";
}

/** Every counter of the offer, newest round first, with its lines, as they stand at `now` (see shownCounterStatus). */
export async function countersOf(
  db: Db,
  offer: { id: string; revision: number; status: string },
  rfq: { currency: string; status: string },
  rfqLines: readonly RfqLineFacts[],
  now: Date,
): Promise<CounterView[]> {
  const offerId = offer.id;
  const currency = rfq.currency;
  const counters = await db
    .selectFrom("offer_counters as c")
    .leftJoin("users as cu", "cu.id", "c.created_by")
    .leftJoin("users as au", "au.id", "c.answered_by")
    .select([
      "c.id",
      "c.round",
      "c.status",
      "c.message",
      "c.respond_by",
      "c.created_at",
      "c.answered_at",
      "c.decline_reason",
      "c.offer_revision",
      "c.answer_revision",
      "cu.name as created_by_name",
      "au.name as answered_by_name",
    ])
    .where("c.offer_id", "=", offerId)
    .orderBy("c.round", "desc")
    .execute();
  if (counters.length === 0) return [];
  const lines = await db
    .selectFrom("offer_counter_lines")
    .select(["counter_id", "line_id", "previous_unit_price_minor", "previous_quantity", "target_unit_price_minor", "target_quantity"])
    .where("counter_id", "in", counters.map((c) => c.id))
    .execute();
  const rfqLine = new Map(rfqLines.map((l) => [l.id, l]));
  return counters.map((c) => {
    const own = lines
      .filter((l) => l.counter_id === c.id)
      .sort((a, b) => (rfqLine.get(a.line_id)?.position ?? 0) - (rfqLine.get(b.line_id)?.position ?? 0));
    let previousTotal = 0n;
    let targetTotal = 0n;
    for (const l of own) {
      previousTotal += BigInt(l.previous_unit_price_minor) * BigInt(l.previous_quantity);
      targetTotal += BigInt(l.target_unit_price_minor ?? l.previous_unit_price_minor) * BigInt(l.target_quantity ?? l.previous_quantity);
    }
    return {
      id: c.id,
      round: c.round,
      status: shownCounterStatus(c.status as CounterStatusColumn, c.respond_by, now, { counterRevision: c.offer_revision, offerRevision: offer.revision, offerStatus: offer.status, rfqStatus: rfq.status }),
      message: c.message,
      respondBy: c.respond_by.toISOString(),
      createdAt: c.created_at.toISOString(),
      createdBy: c.created_by_name,
      answeredAt: c.answered_at ? c.answered_at.toISOString() : null,
      answeredBy: c.answered_by_name,
      declineReason: c.decline_reason,
      offerRevision: c.offer_revision,
      answerRevision: c.answer_revision,
      lines: own.map((l) => {
        const facts = rfqLine.get(l.line_id);
        return {
          lineId: l.line_id,
          position: facts?.position ?? 0,
          description: facts?.description ?? "",
          unit: facts?.unit ?? "",
          askedQuantity: facts?.quantity ?? 0,
          previousUnitPrice: moneyOf(l.previous_unit_price_minor, currency),
          previousQuantity: l.previous_quantity,
          targetUnitPrice: l.target_unit_price_minor === null ? null : moneyOf(l.target_unit_price_minor, currency),
          targetQuantity: l.target_quantity,
        };
      }),
      previousTotal: moneyOf(previousTotal, currency),
      targetTotal: moneyOf(targetTotal, currency),
    };
  });
}

interface StoredContent {
  kind: "submitted" | "revised" | "withdrawn";
  revision: number;
  currency: string;
  lines: { lineId: string; quantity: number; unitPriceMinor: string }[];
  reason?: { code?: string; decisionId?: string };
}

/**
 * The offer's receipts in chain order, each with what changed since the receipt before it (a
 * submission: every line is new; a withdrawal: nothing of the lines changed). Not the sequence nor
 * the hashes: the pages show the history, the chain is verified elsewhere.
 */
export async function receiptsOf(db: Db, offerId: string, rfqLines: readonly RfqLineFacts[]): Promise<ReceiptEntryView[]> {
  const rows = await db
    .selectFrom("offer_revisions as r")
    .leftJoin("users as u", "u.id", "r.recorded_by")
    .select(["r.content", "r.recorded_at", "u.name"])
    .where("r.offer_id", "=", offerId)
    .orderBy("r.sequence")
    .execute();
  const rfqLine = new Map(rfqLines.map((l) => [l.id, l]));
  let before = new Map<string, { unitPriceMinor: string; quantity: number }>();
  return rows.map((row) => {
    const content = JSON.parse(row.content) as StoredContent;
    const after = new Map(content.lines.map((l) => [l.lineId, { unitPriceMinor: l.unitPriceMinor, quantity: l.quantity }]));
    const changes: ReceiptChange[] = [];
    if (content.kind !== "withdrawn") {
      const ids = [...new Set([...before.keys(), ...after.keys()])].sort((a, b) => (rfqLine.get(a)?.position ?? 0) - (rfqLine.get(b)?.position ?? 0));
      for (const id of ids) {
        const was = content.kind === "submitted" ? undefined : before.get(id);
        const now = after.get(id);
        if (was && now && was.unitPriceMinor === now.unitPriceMinor && was.quantity === now.quantity) continue;
        const facts = rfqLine.get(id);
        changes.push({
          lineId: id,
          position: facts?.position ?? 0,
          description: facts?.description ?? "",
          before: was ? { unitPrice: moneyOf(was.unitPriceMinor, content.currency), quantity: was.quantity } : null,
          after: now ? { unitPrice: moneyOf(now.unitPriceMinor, content.currency), quantity: now.quantity } : null,
        });
      }
      before = after;
    }
    const total = content.lines.reduce((sum, l) => sum + BigInt(l.unitPriceMinor) * BigInt(l.quantity), 0n);
    return {
      revision: content.revision,
      kind: content.kind,
      reason: content.reason?.code ?? null,
      counterId: content.reason?.code?.startsWith("counter.") ? (content.reason.decisionId ?? null) : null,
      recordedAt: row.recorded_at.toISOString(),
      recordedBy: row.name,
      total: moneyOf(total, content.currency),
      changes,
    };
  });
}

/** Counters and receipts as one timeline, oldest first (a counter before the receipt that answers it). */
export function timelineOf(counters: readonly CounterView[], receipts: readonly ReceiptEntryView[]): TimelineEntry[] {
  const entries: TimelineEntry[] = [
    ...counters.map((counter) => ({ kind: "counter" as const, at: counter.createdAt, counter })),
    ...receipts.map((receipt) => ({ kind: "receipt" as const, at: receipt.recordedAt, receipt })),
  ];
  return entries.sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || (a.kind === b.kind ? 0 : a.kind === "counter" ? -1 : 1));
}

/** After a best-and-final round only the shortlisted sellers' offers count (rfq_final_sellers), so only they are negotiated. */
export async function outsideShortlist(db: Db, rfqId: string, sellerId: string): Promise<boolean> {
  const { rows } = await sql<{ listed: boolean; any: boolean }>`
    select exists (select 1 from rfq_final_sellers where rfq_id = ${rfqId} and seller_id = ${sellerId}) as listed,
      exists (select 1 from rfq_final_sellers where rfq_id = ${rfqId}) as any`.execute(db);
  const row = rows[0];
  return row?.any === true && row.listed !== true;
}
