import { sql } from "kysely";
import { z } from "zod";
import type { Db } from "@souk/db";
import { can, forbidden, notFound, type Actor, type Permission } from "@souk/domain";

/** Helpers of the buyer's RFQ use cases (not exported from the package). */

/** Money in a result: JSON-safe minor units and the currency. */
export interface RfqMoneyView {
  amountMinor: string;
  currency: string;
}

export function moneyOf(amountMinor: string | bigint, currency: string): RfqMoneyView {
  return { amountMinor: amountMinor.toString(), currency };
}

/** The RFQ's short reference shown on pages and in e-mails: RFQ-000123. */
export function rfqReference(number: string | number): string {
  return `RFQ-${String(number).padStart(6, "0")}`;
}

/**
 * The buyer's RFQs are read and written from a buyer organisation only: a seller or operator
 * member is refused whatever its role holds.
 */
export function assertBuyerRfqCan(actor: Actor, permission: Permission): void {
  if (actor.organizationKind !== "buyer" || !can("buyer", actor.role, permission)) throw forbidden(`Missing permission ${permission}`);
}

const idRef = z.string().trim().toLowerCase().pipe(z.uuid());

/**
 * An id from a URL or a hidden field, or NOT_FOUND: something that is not even an id designates no
 * RFQ (question, attachment), exactly like another buyer's.
 */
export function refId(value: unknown, what: string): string {
  const result = idRef.safeParse(value);
  if (!result.success) throw notFound(what);
  return result.data;
}

/** The database clock (the transaction's start when `db` is a transaction). */
export async function dbNow(db: Db): Promise<Date> {
  const { rows } = await sql<{ now: Date }>`select now() as now`.execute(db);
  const row = rows[0];
  if (!row) throw new Error("now() returned nothing");
  return row.now;
}

/** Offers that count: live (submitted or revised) while the RFQ is open, locked once it closed. */
export const COUNTED_OFFER_STATUSES = ["submitted", "revised", "locked"] as const;
export const LIVE_OFFER_STATUSES = ["submitted", "revised"] as const;

/** How many live offers the RFQ has (moveRfq's `offerCount`: edit is refused once there is one). */
export async function liveOfferCount(db: Db, rfqId: string): Promise<number> {
  const { n } = await db
    .selectFrom("offers")
    .select((eb) => eb.fn.countAll<string>().as("n"))
    .where("rfq_id", "=", rfqId)
    .where("status", "in", [...LIVE_OFFER_STATUSES])
    .executeTakeFirstOrThrow();
  return Number(n);
}

/** The buyer organisation's name, for the e-mails to sellers. */
export async function organizationName(db: Db, organizationId: string): Promise<string> {
  const row = await db.selectFrom("organizations").select("name").where("id", "=", organizationId).executeTakeFirst();
  return row?.name ?? "";
}

/** Sellers' members who answer RFQs: they get the RFQ e-mails. */
export const SELLER_RFQ_ROLES = ["owner", "sales"] as const;
