import type { ExpressionBuilder } from "kysely";
import type { Database, Db } from "@souk/db";
import { inFinalComparison } from "../access";
import { can, forbidden, type Actor, type Permission } from "@souk/domain";
export { existingId as refId } from "../../input";
export type { MoneyView as RfqMoneyView } from "../../catalogue/pricing/money-view";
export { moneyOf } from "../../catalogue/pricing/money-view";
import { LIVE_OFFER_STATUSES } from "../common";
export { LIVE_OFFER_STATUSES };
export { rfqReference, SELLER_RFQ_ROLES } from "../common";
export { dbNow } from "../../clock";

/** Helpers of the buyer's RFQ use cases (not exported from the package). */


/**
 * The buyer's RFQs are read and written from a buyer organisation only: a seller or operator
 * member is refused whatever its role holds.
 */
export function assertBuyerRfqCan(actor: Actor, permission: Permission): void {
  if (actor.organizationKind !== "buyer" || !can("buyer", actor.role, permission)) throw forbidden(`Missing permission ${permission}`);
}


/** Offers that count: live (submitted or revised) while the RFQ is open, locked once it closed. */
export const COUNTED_OFFER_STATUSES = ["submitted", "revised", "locked"] as const;

/** The columns both RFQ lists read of the RFQ aliased `r`. */
export const RFQ_LIST_COLUMNS = ["r.id", "r.number", "r.title", "r.status", "r.sealing", "r.visibility"] as const;

/**
 * A list's `offer_count` column for the RFQ aliased `r`: the offers that count (a sealed final
 * round's shortlist only). A count is all a list shows of the offers, even of a sealed RFQ.
 */
export function countedOffersColumn(eb: ExpressionBuilder<Database & { r: Database["rfqs"] }, "r">) {
  return eb
    .selectFrom("offers as o")
    .select((s) => s.fn.countAll<string>().as("n"))
    .whereRef("o.rfq_id", "=", "r.id")
    .where("o.status", "in", [...COUNTED_OFFER_STATUSES])
    .where(inFinalComparison("o"))
    .as("offer_count");
}
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

