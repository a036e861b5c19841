import { z } from "zod";
import { sql } from "kysely";
import { withTransaction } from "@souk/db";
import { moveOrder } from "@souk/domain";
import type { ServiceDeps } from "../deps";
import { parseInput } from "../input";
import { enqueueSettlement } from "../money";
import { recordOrderEvent } from "./order-events";
import { dbNow } from "../clock";
import { DISPUTE_WINDOW_DAYS, moveState, notifySide, partiesOf, updateOrder } from "./lifecycle";

export const confirmDueDeliveriesSchema = z.object({
  /** Days after shipping at which a delivery nobody confirmed is confirmed automatically. */
  autoConfirmDays: z.number({ error: "order.auto_confirm_days_invalid" }).int({ error: "order.auto_confirm_days_invalid" }).min(0, { error: "order.auto_confirm_days_invalid" }).max(3650, { error: "order.auto_confirm_days_invalid" }),
  /** Orders confirmed per transaction. */
  batchSize: z.number().int().min(1).max(1000).default(200),
});
export type ConfirmDueDeliveriesInput = z.input<typeof confirmDueDeliveriesSchema>;

export interface ConfirmDueDeliveriesResult {
  orderIds: string[];
}

/**
 * The worker's sweep: every shipped order whose shipped_at + autoConfirmDays (periods of 24 hours)
 * is reached by the DATABASE clock is delivered, confirmed by `auto`; both sides are told and the
 * settlement is queued. Batches of `batchSize` rows, each its own transaction; rows another
 * transaction holds (the buyer confirming right now) are skipped, so two sweeps, or a sweep and a
 * buyer, never deliver an order twice. The domain checks every move (auto_confirm's due date).
 */
export async function confirmDueDeliveries(deps: ServiceDeps, input: ConfirmDueDeliveriesInput): Promise<ConfirmDueDeliveriesResult> {
  const { autoConfirmDays, batchSize } = parseInput(confirmDueDeliveriesSchema, input);
  const orderIds: string[] = [];
  for (;;) {
    const batch = await withTransaction(deps.db, async (trx) => {
      const due = await trx
        .selectFrom("orders")
        .selectAll()
        .where("status", "=", "shipped")
        .where(sql<boolean>`shipped_at + make_interval(secs => ${autoConfirmDays * 86_400}) <= now()`)
        .orderBy("shipped_at")
        .orderBy("id")
        .limit(batchSize)
        .forUpdate()
        .skipLocked()
        .execute();
      const now = await dbNow(trx);
      for (const order of due) {
        const status = moveOrder(order.status, "auto_confirm", moveState({ order, dispute: null, now }, "system", autoConfirmDays));
        await updateOrder(trx, order.id, { status, delivered_at: sql<Date>`now()`, delivery_confirmed_by: "auto" });
        await recordOrderEvent(trx, { orderId: order.id, buyerId: order.buyer_id, sellerId: order.seller_id, kind: "delivered", actorUserId: null, actorKind: "system", data: { confirmedBy: "auto" } });
        await enqueueSettlement(trx, order.id);
        const parties = await partiesOf(trx, order);
        await notifySide(trx, deps.publicUrls, { order, parties, to: "buyer", template: "order.auto_confirmed", params: (base) => ({ ...base, disputeDays: String(DISPUTE_WINDOW_DAYS) }) });
        await notifySide(trx, deps.publicUrls, { order, parties, to: "seller", template: "order.delivered", params: (base) => ({ ...base, confirmedBy: "auto" as const }) });
      }
      return due.map((o) => o.id);
    });
    orderIds.push(...batch);
    if (batch.length < batchSize) return { orderIds };
  }
}
