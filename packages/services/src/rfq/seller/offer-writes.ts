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

export interface LockedRfqOffers {
  rfq: Rfq;
  /** The database clock, read after the RFQ's lock was granted. */
  now: Date;
  /** `now < deadline`, compared by PostgreSQL at full precision. */
  beforeDeadline: boolean;
  /** `clocks` more readings of the database clock, each its own clock_timestamp(), all after the lock (the first is `now`). */
  clocks: Date[];
  /** The offers of the sellers asked for (any status), by seller id; see LockedOfferState.offer for the snapshot they are read with. */
  offers: Map<string, LockedOffer>;
}

/**
 * Takes the RFQ's row lock (FOR NO KEY UPDATE: every offer write, the close and the award take
 * it, so they are serialised), and in the same statement, once it is granted, reads the database
 * clock (`clocks` times, at least once) and the offers of `sellerIds` with their lines: one round
 * trip where there were two. With `visibleTo`, the RFQ must be one that seller may see
 * (sellerMaySeeRfq, exactly as sellerRfq applies it); null when there is no such RFQ.
 *
 * Why the order holds: the lock is taken inside the FROM subquery; the clock and the offers are
 * LATERAL to its row, so they are evaluated only once that row has been returned, i.e. locked.
 */
export async function lockRfqWithOffers(
  trx: Db,
  rfqId: string,
  sellerIds: readonly string[],
  options: { visibleTo?: string; clocks?: number } = {},
): Promise<LockedRfqOffers | null> {
  let locked = trx.selectFrom("rfqs as r").selectAll("r").where("r.id", "=", rfqId);
  if (options.visibleTo) locked = locked.where(sellerMaySeeRfq(options.visibleTo));
  const extraClocks = Math.max(0, (options.clocks ?? 1) - 1);
  const { rows } = await sql<
    Rfq & {
      now: Date;
      clocks: string[];
      before_deadline: boolean | null;
      o_seller_id: string | null;
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
    select r.*, c.now, c.clocks, c.now < r.deadline as before_deadline,
      o.seller_id as o_seller_id, o.id as o_id, o.status as o_status, o.revision as o_revision, o.currency as o_currency,
      o.lead_time_days as o_lead_time_days, o.valid_until as o_valid_until, o.notes as o_notes, o.lines as o_lines
    from (${locked.forNoKeyUpdate()}) r
    cross join lateral (
      select clock_timestamp() as now, r.id as rfq_id,
        array(select to_char(clock_timestamp() at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') from generate_series(1, ${extraClocks}::int)) as clocks
    ) c
    left join lateral (
      select o.*,
        (select json_agg(json_build_object('lineId', ol.line_id, 'quantity', ol.quantity, 'unitPriceMinor', ol.unit_price_minor::text) order by ol.line_id)
           from offer_lines ol where ol.offer_id = o.id) as lines
      from offers o where o.rfq_id = c.rfq_id and o.seller_id = any(${[...sellerIds]}::uuid[])
    ) o on true`.execute(trx);
  const first = rows[0];
  if (!first) return null;
  const offers = new Map<string, LockedOffer>();
  for (const row of rows) {
    if (row.o_id === null || row.o_seller_id === null) continue;
    offers.set(row.o_seller_id, {
      id: row.o_id,
      status: row.o_status as OfferStatusColumn,
      revision: row.o_revision as number,
      currency: row.o_currency as string,
      leadTimeDays: row.o_lead_time_days as number,
      validUntil: row.o_valid_until as Date,
      notes: row.o_notes ?? "",
      lines: row.o_lines ?? [],
    });
  }
  const { now, clocks, before_deadline, o_seller_id, o_id, o_status, o_revision, o_currency, o_lead_time_days, o_valid_until, o_notes, o_lines, ...rfq } = first;
  void [o_seller_id, o_id, o_status, o_revision, o_currency, o_lead_time_days, o_valid_until, o_notes, o_lines];
  return { rfq: rfq as Rfq, now, beforeDeadline: before_deadline === true, clocks: [now, ...clocks.map((c) => new Date(c))], offers };
}

/** lockRfqWithOffers for one seller's offer (a withdrawal). */
export async function lockRfqForOffer(trx: Db, rfqId: string, sellerId: string, options: { visibleTo?: string } = {}): Promise<LockedOfferState | null> {
  const locked = await lockRfqWithOffers(trx, rfqId, [sellerId], options);
  if (!locked) return null;
  return { rfq: locked.rfq, now: locked.now, beforeDeadline: locked.beforeDeadline, offer: locked.offers.get(sellerId) ?? null };
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
