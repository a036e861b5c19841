import { registerConsumer, type EventConsumer } from "./registry";

/**
 * The consumers of the domain events, registered when @souk/services is loaded. Empty today: the
 * catalogue, RFQ and settlement issues each add an entry per event they react to, honouring the
 * contract of docs/events.md (idempotent on `decisionId`, safe to run again after another consumer
 * failed), e.g.
 *
 *   eventConsumer("seller.suspended", "catalogue", unlistSuspendedSellerListings),
 */
export const BUILT_IN_CONSUMERS: readonly EventConsumer[] = [];

for (const consumer of BUILT_IN_CONSUMERS) registerConsumer(consumer);
