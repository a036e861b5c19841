import { z } from "zod";
import { sql } from "kysely";
import { withTransaction } from "@souk/db";
import { moveOrder } from "@souk/domain";
import type { ActorDeps } from "../deps";
import { parseInput } from "../input";
import { assertStillPermitted } from "../authorization";
import { recordOrderEvent } from "./order-events";
import { assertMoveAllowed, assertVersion, lockOrder, moveState, moveText, notifySide, orderIdField, otherSide, partiesOf, tradingSideOf, updateOrder, versionField, type OrderMoveResult } from "./lifecycle";

export const requestOrderCancellationSchema = z.object({ orderId: orderIdField, version: versionField, reason: moveText("order.reason_too_long") });
export type RequestOrderCancellationInput = z.input<typeof requestOrderCancellationSchema>;

/**
 * The buyer or the seller asks to cancel an order before it ships, saying why; the order is
 * cancelled only when the other side consents (answerOrderCancellation), and cannot ship while the
 * request waits. The other side is told.
 */
export async function requestOrderCancellation(deps: ActorDeps, input: unknown): Promise<OrderMoveResult> {
  const { actor } = deps;
  const side = tradingSideOf(actor);
  const permission = assertMoveAllowed(actor, side, "request_cancellation");
  const raw = parseInput(requestOrderCancellationSchema, input);
  return withTransaction(deps.db, async (trx) => {
    await assertStillPermitted(trx, actor, permission);
    const locked = await lockOrder(trx, raw.orderId, { side, organizationId: actor.organizationId });
    const { order } = locked;
    assertVersion(order, raw.version);
    const status = moveOrder(order.status, "request_cancellation", { ...moveState(locked, side), reason: raw.reason });
    const version = await updateOrder(trx, order.id, { cancellation_requested_by: side, cancellation_requested_at: sql<Date>`now()`, cancellation_reason: raw.reason });
    await recordOrderEvent(trx, { orderId: order.id, buyerId: order.buyer_id, sellerId: order.seller_id, kind: "cancellation_requested", actorUserId: actor.userId, actorKind: side, data: { reason: raw.reason } });
    const parties = await partiesOf(trx, order);
    await notifySide(trx, deps.publicUrls, { order, parties, to: otherSide(side), template: "order.cancellation_requested", params: (base) => ({ ...base, reason: raw.reason }) });
    return { orderId: order.id, status, version };
  });
}
