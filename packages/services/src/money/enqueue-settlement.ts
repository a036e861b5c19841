import type { Db } from "@souk/db";
import { writeOutbox } from "@souk/jobs";

/**
 * Queues the settlement of an order: an `order.settle` outbox row, written in the caller's
 * transaction (the delivery, or a dispute released), so the job exists exactly when the change
 * does, even if Redis is down at that moment. The job may run any number of times: settleOrder
 * posts the journal once (see its comment).
 */
export async function enqueueSettlement(trx: Db, orderId: string): Promise<void> {
  await writeOutbox(trx, "order.settle", { orderId });
}
