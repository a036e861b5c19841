import { z } from "zod";
import { sql } from "kysely";
import { withTransaction } from "@souk/db";
import { moveOrder } from "@souk/domain";
import type { ActorDeps } from "../deps";
import { parseInput } from "../input";
import { assertStillPermitted } from "../authorization";
import { recordOrderEvent } from "./order-events";
import { assertMoveAllowed, assertVersion, lockOrder, moveState, notifySide, orderIdField, partiesOf, updateOrder, versionField, type OrderMoveResult } from "./lifecycle";

export const acceptOrderSchema = z.object({ orderId: orderIdField, version: versionField });
export type AcceptOrderInput = z.input<typeof acceptOrderSchema>;

/** The seller accepts a placed order (it will prepare and ship it); the buyer is told. */
export async function acceptOrder(deps: ActorDeps, input: unknown): Promise<OrderMoveResult> {
  const { actor } = deps;
  const permission = assertMoveAllowed(actor, "seller", "accept");
  const raw = parseInput(acceptOrderSchema, input);
  return withTransaction(deps.db, async (trx) => {
    await assertStillPermitted(trx, actor, permission);
    const locked = await lockOrder(trx, raw.orderId, { side: "seller", organizationId: actor.organizationId });
    const { order } = locked;
    assertVersion(order, raw.version);
    const status = moveOrder(order.status, "accept", moveState(locked, "seller"));
    const version = await updateOrder(trx, order.id, { status, accepted_at: sql<Date>`now()` });
    await recordOrderEvent(trx, { orderId: order.id, buyerId: order.buyer_id, sellerId: order.seller_id, kind: "accepted", actorUserId: actor.userId, actorKind: "seller" });
    const parties = await partiesOf(trx, order);
    await notifySide(trx, deps.publicUrls, { order, parties, to: "buyer", template: "order.accepted", params: (base) => base });
    return { orderId: order.id, status, version };
  });
}
