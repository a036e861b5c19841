import { sql } from "kysely";
import type { Db, Rfq } from "@souk/db";
import { can, forbidden, notFound, sellerCanTrade, type Actor, type Permission } from "@souk/domain";
import { existingId as refId } from "../../input";
export { refId };
export type { MoneyView as RfqMoneyView } from "../../catalogue/pricing/money-view";
export { moneyOf } from "../../catalogue/pricing/money-view";
export { LIVE_OFFER_STATUSES, rfqReference, SELLER_RFQ_ROLES } from "../common";

/** Helpers of the seller's RFQ use cases (not exported from the package). */


/** Buyers' members who run RFQs (create:rfq:org): they get the seller-side RFQ e-mails. */
export const BUYER_RFQ_ROLES = ["admin", "purchaser"] as const;

/**
 * The seller's RFQ use cases run for a seller organisation only: a buyer or operator member is
 * refused whatever its role holds.
 */
export function assertSellerRfqCan(actor: Actor, permission: Permission): void {
  if (actor.organizationKind !== "seller" || !can("seller", actor.role, permission)) throw forbidden(`Missing permission ${permission}`);
}


/** The `rfqId` of a use case's input (from the URL), or NOT_FOUND. */
export function rfqIdOf(input: unknown): string {
  return refId(typeof input === "object" && input !== null ? (input as { rfqId?: unknown }).rfqId : undefined, "RFQ");
}

/**
 * The start of every offer-side write: share-locks the seller organisation's row (an operator's
 * suspension takes it FOR UPDATE, so an offer and a suspension take turns: once the suspension has
 * committed, no offer of that seller can) and the member's membership, and re-checks under those
 * locks that the organisation is an active seller and the member still holds `permission` (the
 * actor was read when the request started). Taken before the RFQ's lock, always in that order.
 */
export async function lockTradingSeller(db: Db, actor: Actor, permission: Permission): Promise<void> {
  const row = await db
    .selectFrom("organizations as o")
    .innerJoin("memberships as m", (join) => join.onRef("m.organization_id", "=", "o.id").on("m.user_id", "=", actor.userId))
    .select(["o.status", "m.role"])
    .where("o.id", "=", actor.organizationId)
    .where("o.kind", "=", "seller")
    .forShare(["o", "m"])
    .executeTakeFirst();
  if (!row || !can("seller", row.role, permission)) throw forbidden(`Missing permission ${permission}`);
  // A seller that is no longer active sees no RFQ at all: the same answer as for an RFQ it may not see.
  if (!sellerCanTrade(row.status)) throw notFound("RFQ");
}

/** The seller organisation's status now (the actor's may be stale). */
export async function sellerStatus(db: Db, sellerId: string): Promise<string | null> {
  const row = await db.selectFrom("organizations").select("status").where("id", "=", sellerId).where("kind", "=", "seller").executeTakeFirst();
  return row?.status ?? null;
}

/** The database clock at this very instant (`clock_timestamp()`, not the transaction's start). */
export async function clockNow(db: Db): Promise<Date> {
  const { rows } = await sql<{ now: Date }>`select clock_timestamp() as now`.execute(db);
  const row = rows[0];
  if (!row) throw new Error("clock_timestamp() returned nothing");
  return row.now;
}

/**
 * The database clock and whether it is still before the RFQ's deadline, compared in PostgreSQL:
 * the deadline may carry microseconds that a JavaScript Date (milliseconds) would round away, and
 * "before" must be exact. The instant returned is never later than the one compared.
 */
export async function clockAgainstDeadline(db: Db, rfqId: string): Promise<{ now: Date; beforeDeadline: boolean }> {
  const { rows } = await sql<{ now: Date; before_deadline: boolean | null }>`
    select c.now, c.now < r.deadline as before_deadline
    from rfqs r cross join (select clock_timestamp() as now) c
    where r.id = ${rfqId}`.execute(db);
  const row = rows[0];
  if (!row) throw notFound("RFQ");
  return { now: row.now, beforeDeadline: row.before_deadline === true };
}

/**
 * The instant to hand the domain's window checks: the clock itself while PostgreSQL says it is
 * before the deadline, else no earlier than the deadline (so the domain refuses, as PostgreSQL did,
 * even when the clock and the deadline differ by less than a millisecond).
 */
export function windowInstant(now: Date, beforeDeadline: boolean, deadline: Date | null): Date {
  if (beforeDeadline || deadline === null) return now;
  return new Date(Math.max(now.getTime(), deadline.getTime()));
}

/**
 * The receipts chain as the first close left it (its length and head when the final round opened,
 * the verification of that close), for a seller off the shortlist while the round runs: the
 * round's receipts move the head, and that must not reach it.
 */
export async function firstRoundChain(db: Db, rfq: Pick<Rfq, "id" | "first_chain_length" | "chain_verified_at">): Promise<{ head: string | null; length: number; verifiedAt: string | null }> {
  const length = rfq.first_chain_length ?? 0;
  const last = length === 0 ? undefined : await db.selectFrom("offer_revisions").select("hash").where("rfq_id", "=", rfq.id).where("sequence", "=", length).executeTakeFirst();
  return { head: last?.hash ?? null, length, verifiedAt: rfq.chain_verified_at ? new Date(rfq.chain_verified_at).toISOString() : null };
}
