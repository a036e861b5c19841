import { z } from "zod";
import { sql } from "kysely";
import { withTransaction } from "@souk/db";
import { moveOrder } from "@souk/domain";
import type { ActorDeps } from "../deps";
import { parseInput } from "../input";
import { assertStillPermitted } from "../authorization";
import { recordOrderEvent } from "./order-events";
import { assertMoveAllowed, assertVersion, lockOrder, moveState, moveText, notifySide, orderIdField, partiesOf, restockOrder, updateOrder, versionField, type OrderMoveResult } from "./lifecycle";

export const cancelOrderSchema = z.object({ orderId: orderIdField, version: versionField, reason: moveText("order.reason_too_long") });
export type CancelOrderInput = z.input<typeof cancelOrderSchema>;

/**
 * The buyer cancels an order the seller has not accepted yet, saying why (after acceptance it asks
 * the seller instead: requestOrderCancellation). The seller is told; a catalogue purchase's stock
 * goes back to its listings. Of a cancellation and an acceptance made at the same moment, the
 * order row's lock lets exactly one happen: the other finds the order moved.
 */
export async function cancelOrder(deps: ActorDeps, input: unknown): Promise<OrderMoveResult> {
  const { actor } = deps;
  const permission = assertMoveAllowed(actor, "buyer", "cancel");
  const raw = parseInput(cancelOrderSchema, input);
  return withTransaction(deps.db, async (trx) => {
    await assertStillPermitted(trx, actor, permission);
    const locked = await lockOrder(trx, raw.orderId, { side: "buyer", organizationId: actor.organizationId });
    const { order } = locked;
    assertVersion(order, raw.version);
    const status = moveOrder(order.status, "cancel", { ...moveState(locked, "buyer"), reason: raw.reason });
    const version = await updateOrder(trx, order.id, {
      status,
      cancelled_at: sql<Date>`now()`,
      cancel_reason: raw.reason,
      // A request the seller made is moot once the buyer cancels.
      cancellation_requested_by: null,
      cancellation_requested_at: null,
      cancellation_reason: null,
    });
    await recordOrderEvent(trx, { orderId: order.id, buyerId: order.buyer_id, sellerId: order.seller_id, kind: "cancelled", actorUserId: actor.userId, actorKind: "buyer", data: { reason: raw.reason, via: "buyer" } });
    await restockOrder(trx, order);
    const parties = await partiesOf(trx, order);
    await notifySide(trx, deps.publicUrls, { order, parties, to: "seller", template: "order.cancelled", params: (base) => ({ ...base, reason: raw.reason }) });
    return { orderId: order.id, status, version };
  });
}
