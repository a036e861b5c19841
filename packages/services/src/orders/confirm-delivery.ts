import { z } from "zod";
import { sql } from "kysely";
import { withTransaction } from "@souk/db";
import { moveOrder } from "@souk/domain";
import type { ActorDeps } from "../deps";
import { parseInput } from "../input";
import { enqueueSettlement } from "../money";
import { assertStillPermitted } from "../authorization";
import { recordOrderEvent } from "./order-events";
import { assertMoveAllowed, assertVersion, lockOrder, moveState, notifySide, orderIdField, partiesOf, updateOrder, versionField, type OrderMoveResult } from "./lifecycle";

export const confirmDeliverySchema = z.object({ orderId: orderIdField, version: versionField });
export type ConfirmDeliveryInput = z.input<typeof confirmDeliverySchema>;

/**
 * The buyer confirms a shipped order arrived: it is delivered, the seller is told, and its
 * settlement is queued (through the outbox, with this transaction) unless a dispute freezes it.
 */
export async function confirmDelivery(deps: ActorDeps, input: unknown): Promise<OrderMoveResult> {
  const { actor } = deps;
  const permission = assertMoveAllowed(actor, "buyer", "confirm_delivery");
  const raw = parseInput(confirmDeliverySchema, input);
  return withTransaction(deps.db, async (trx) => {
    await assertStillPermitted(trx, actor, permission);
    const locked = await lockOrder(trx, raw.orderId, { side: "buyer", organizationId: actor.organizationId });
    const { order } = locked;
    assertVersion(order, raw.version);
    const status = moveOrder(order.status, "confirm_delivery", moveState(locked, "buyer"));
    const version = await updateOrder(trx, order.id, { status, delivered_at: sql<Date>`now()`, delivery_confirmed_by: "buyer" });
    await recordOrderEvent(trx, { orderId: order.id, buyerId: order.buyer_id, sellerId: order.seller_id, kind: "delivered", actorUserId: actor.userId, actorKind: "buyer", data: { confirmedBy: "buyer" } });
    await enqueueSettlement(trx, order.id);
    const parties = await partiesOf(trx, order);
    await notifySide(trx, deps.publicUrls, { order, parties, to: "seller", template: "order.delivered", params: (base) => ({ ...base, confirmedBy: "buyer" as const }) });
    return { orderId: order.id, status, version };
  });
}
