import { assertCan, type Actor } from "@souk/domain";

/**
 * Helpers of the operator's RFQ pages (not exported from the package).
 *
 * Operators watch RFQs (DESIGN §1) with read:rfqs:any, which every operator role holds. They see
 * an RFQ once it has been published, never a buyer's draft; and of its offers exactly what the
 * buyer sees (buyerSeesOffers): nothing but their count while the bidding is sealed, a sealed
 * best-and-final round included.
 */
export function assertRfqWatcher(actor: Actor): void {
  assertCan(actor, "read:rfqs:any");
}

export const OPERATOR_RFQS_PAGE_SIZE = 25;
