import { z } from "zod";
import { sql } from "kysely";
import { withTransaction } from "@souk/db";
import { moveOrder } from "@souk/domain";
import type { ActorDeps } from "../deps";
import { parseInput } from "../input";
import { assertStillPermitted } from "../authorization";
import { recordOrderEvent } from "./order-events";
import { SHIPMENT_FIELD_MAX, assertMoveAllowed, assertVersion, lockOrder, moveState, moveText, notifySide, orderIdField, partiesOf, updateOrder, versionField, type OrderMoveResult } from "./lifecycle";

export const shipOrderSchema = z.object({
  orderId: orderIdField,
  version: versionField,
  carrier: moveText("order.carrier_too_long", SHIPMENT_FIELD_MAX),
  trackingReference: moveText("order.tracking_too_long", SHIPMENT_FIELD_MAX),
});
export type ShipOrderInput = z.input<typeof shipOrderSchema>;

/**
 * The seller ships an accepted order with its carrier and tracking reference; the buyer is told.
 * Refused while a cancellation request waits for an answer (the domain's rule).
 */
export async function shipOrder(deps: ActorDeps, input: unknown): Promise<OrderMoveResult> {
  const { actor } = deps;
  const permission = assertMoveAllowed(actor, "seller", "ship");
  const raw = parseInput(shipOrderSchema, input);
  return withTransaction(deps.db, async (trx) => {
    await assertStillPermitted(trx, actor, permission);
    const locked = await lockOrder(trx, raw.orderId, { side: "seller", organizationId: actor.organizationId });
    const { order } = locked;
    assertVersion(order, raw.version);
    const status = moveOrder(order.status, "ship", { ...moveState(locked, "seller"), carrier: raw.carrier, trackingReference: raw.trackingReference });
    const version = await updateOrder(trx, order.id, { status, shipped_at: sql<Date>`now()`, carrier: raw.carrier, tracking_reference: raw.trackingReference });
    await recordOrderEvent(trx, {
      orderId: order.id,
      buyerId: order.buyer_id,
      sellerId: order.seller_id,
      kind: "shipped",
      actorUserId: actor.userId,
      actorKind: "seller",
      data: { carrier: raw.carrier, trackingReference: raw.trackingReference },
    });
    const parties = await partiesOf(trx, order);
    await notifySide(trx, deps.publicUrls, { order, parties, to: "buyer", template: "order.shipped", params: (base) => ({ ...base, carrier: raw.carrier, trackingReference: raw.trackingReference }) });
    return { orderId: order.id, status, version };
  });
}
