import { queueSellerSync } from "../catalogue/sync";
import { withdrawSuspendedSellerOffers } from "../rfq/seller/withdraw-suspended-seller-offers";
import { syncSellerPayoutHold } from "../money/sync-seller-payout-hold";
import { eventConsumer, registerConsumer, type EventConsumer } from "./registry";

/**
 * The consumers of the domain events, registered when @souk/services is loaded. Each honours the
 * contract of docs/events.md (idempotent, safe to run again after another consumer failed, order-proof).
 *
 * The catalogue: a suspended seller's listings leave search, a reinstated seller's published ones
 * come back. Both only queue the seller's search sync (outbox), which reads the seller's status
 * when it runs rather than trusting the event's kind: a duplicate queues a harmless second sync,
 * and a late suspension event handled after the reinstatement finds the seller active.
 */
export const BUILT_IN_CONSUMERS: readonly EventConsumer[] = [
  eventConsumer("seller.suspended", "catalogue", (deps, event) => queueSellerSync(deps.db, event.payload.organizationId)),
  eventConsumer("seller.reinstated", "catalogue", (deps, event) => queueSellerSync(deps.db, event.payload.organizationId)),
  // The RFQs: the suspended seller's live offers on RFQs still open are withdrawn, each with its
  // withdrawal receipt, and their buyers told. It reads the seller's status and offers when it runs,
  // so a redelivery finds nothing live and a late suspension after a reinstatement withdraws nothing.
  eventConsumer("seller.suspended", "rfqs", async (deps, event) => {
    await withdrawSuspendedSellerOffers(deps, { sellerId: event.payload.organizationId, decisionId: event.payload.decisionId });
  }),
  // The payouts: a suspended seller's pending payouts are held, a reinstated seller's held ones are
  // pending again. Both read the seller's status when they run, never the event's kind, so a
  // redelivery changes nothing and a late suspension after the reinstatement holds nothing.
  eventConsumer("seller.suspended", "payouts", async (deps, event) => {
    await syncSellerPayoutHold(deps, { sellerId: event.payload.organizationId });
  }),
  eventConsumer("seller.reinstated", "payouts", async (deps, event) => {
    await syncSellerPayoutHold(deps, { sellerId: event.payload.organizationId });
  }),
];

for (const consumer of BUILT_IN_CONSUMERS) registerConsumer(consumer);
