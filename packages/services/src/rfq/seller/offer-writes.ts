import { sql, type RawBuilder } from "kysely";
import type { Db, OfferStatusColumn, Rfq } from "@souk/db";
import { sellerMaySeeRfq } from "../access";
import type { OfferReceiptContent, ReceiptKind } from "./receipts";

/**
 * What a withdrawal runs under the RFQ's row lock, kept to as few round trips as possible (offers
 * on one RFQ are written one at a time, so each one here delays every other seller's): the lock
 * with the clock and the seller's offer in one statement, then one statement that marks the offer
 * withdrawn and appends its receipt (receipts.ts appendReceipt), then the commit. Submissions and
 * revisions go through offer-batch.ts, which does the same for several sellers at once.
 */

export interface LockedOfferLine {
  lineId: string;
  quantity: number;
  unitPriceMinor: string;
}

export interface LockedOffer {
  id: string;
  status: OfferStatusColumn;
  revision: number;
  currency: string;
  leadTimeDays: number;
  validUntil: Date;
  notes: string;
  lines: LockedOfferLine[];
}

export interface LockedOfferState {
  /** The RFQ row, as locked (FOR NO KEY UPDATE): its latest version, whatever the wait. */
  rfq: Rfq;
  /** The database clock, read after the RFQ's lock was granted. */
  now: Date;
  /** `now < deadline`, compared by PostgreSQL at full precision. */
  beforeDeadline: boolean;
  /**
   * The seller's offer row on the RFQ (any status), or null. Read in the statement that took the
   * lock, so with that statement's snapshot: a change committed while it waited for the lock (by the
   * same seller, in another tab) may be missing. The writes are guarded by it (`expected` of
   * offerWriteCtes / withdrawalCte): a stale read writes nothing and the caller tries again.
   */
  offer: LockedOffer | null;
}

/**
 * Takes the RFQ's row lock (FOR NO KEY UPDATE: every offer write, the close and the award take
 * it, so they are serialised), and in the same statement, once it is granted, reads the database
 * clock and the seller's offer with its lines: one round trip where there were two. With
 * `visibleTo`, the RFQ must be one that seller may see (sellerMaySeeRfq, exactly as sellerRfq
 * applies it); null when there is no such RFQ.
 *
 * Why the order holds: the lock is taken inside the FROM subquery; the clock and the offer are
 * LATERAL to its row, so they are evaluated only once that row has been returned, i.e. locked.
 */
export async function lockRfqForOffer(trx: Db, rfqId: string, sellerId: string, options: { visibleTo?: string } = {}): Promise<LockedOfferState | null> {
  let locked = trx.selectFrom("rfqs as r").selectAll("r").where("r.id", "=", rfqId);
  if (options.visibleTo) locked = locked.where(sellerMaySeeRfq(options.visibleTo));
  const { rows } = await sql<
    Rfq & {
      now: Date;
      before_deadline: boolean | null;
      o_id: string | null;
      o_status: OfferStatusColumn | null;
      o_revision: number | null;
      o_currency: string | null;
      o_lead_time_days: number | null;
      o_valid_until: Date | null;
      o_notes: string | null;
      o_lines: LockedOfferLine[] | null;
    }
  >`
    select r.*, c.now, c.now < r.deadline as before_deadline,
      o.id as o_id, o.status as o_status, o.revision as o_revision, o.currency as o_currency,
      o.lead_time_days as o_lead_time_days, o.valid_until as o_valid_until, o.notes as o_notes, o.lines as o_lines
    from (${locked.forNoKeyUpdate()}) r
    cross join lateral (select clock_timestamp() as now, r.id as rfq_id) c
    left join lateral (
      select o.*,
        (select json_agg(json_build_object('lineId', ol.line_id, 'quantity', ol.quantity, 'unitPriceMinor', ol.unit_price_minor::text) order by ol.line_id)
           from offer_lines ol where ol.offer_id = o.id) as lines
      from offers o where o.rfq_id = c.rfq_id and o.seller_id = ${sellerId}
    ) o on true`.execute(trx);
  const row = rows[0];
  if (!row) return null;
  const { now, before_deadline, o_id, o_status, o_revision, o_currency, o_lead_time_days, o_valid_until, o_notes, o_lines, ...rfq } = row;
  const offer: LockedOffer | null =
    o_id === null
      ? null
      : {
          id: o_id,
          status: o_status as OfferStatusColumn,
          revision: o_revision as number,
          currency: o_currency as string,
          leadTimeDays: o_lead_time_days as number,
          validUntil: o_valid_until as Date,
          notes: o_notes ?? "",
          lines: o_lines ?? [],
        };
  return { rfq: rfq as Rfq, now, beforeDeadline: before_deadline === true, offer };
}

/** The offer row as the write expects to find it (null: no row yet). */
export type ExpectedOffer = { revision: number; status: OfferStatusColumn } | null;

/**
 * A withdrawal as a CTE for appendReceipt's statement (its lines stay: they are what the
 * withdrawal receipt records), guarded by the offer as it was read.
 */
export function withdrawalCte(offerId: string, now: Date, expected: NonNullable<ExpectedOffer>): RawBuilder<unknown> {
  return sql`offer as (
    update offers set status = 'withdrawn', withdrawn_at = ${now}, updated_at = ${now}
    where id = ${offerId} and revision = ${expected.revision} and status = ${expected.status}
    returning id
  )`;
}

/** A receipt's content for the offer as it stands (a withdrawal records what was withdrawn). */
export function receiptContent(
  rfqId: string,
  sellerId: string,
  offer: Pick<LockedOffer, "id" | "revision" | "currency" | "leadTimeDays" | "validUntil" | "notes" | "lines">,
  kind: ReceiptKind,
  reason?: OfferReceiptContent["reason"],
): OfferReceiptContent {
  return {
    rfqId,
    offerId: offer.id,
    sellerId,
    revision: offer.revision,
    kind,
    currency: offer.currency,
    leadTimeDays: offer.leadTimeDays,
    validUntil: offer.validUntil.toISOString(),
    notes: offer.notes,
    lines: offer.lines.map((l) => ({ lineId: l.lineId, quantity: l.quantity, unitPriceMinor: l.unitPriceMinor })),
    ...(reason ? { reason } : {}),
  };
}
