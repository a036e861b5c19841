import type { Db } from "@souk/db";
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

