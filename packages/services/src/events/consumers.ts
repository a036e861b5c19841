import { queueSellerSync } from "../catalogue/sync";
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
];

for (const consumer of BUILT_IN_CONSUMERS) registerConsumer(consumer);
