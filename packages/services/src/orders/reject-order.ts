import { z } from "zod";
import { sql } from "kysely";
import { withTransaction } from "@souk/db";
import { moveOrder } from "@souk/domain";
import type { ActorDeps } from "../deps";
import { parseInput } from "../input";
import { assertStillPermitted } from "../authorization";
import { recordOrderEvent } from "./order-events";
import { assertMoveAllowed, assertVersion, lockOrder, moveState, moveText, notifySide, orderIdField, partiesOf, restockOrder, updateOrder, versionField, type OrderMoveResult } from "./lifecycle";

export const rejectOrderSchema = z.object({ orderId: orderIdField, version: versionField, reason: moveText("order.reason_too_long") });
export type RejectOrderInput = z.input<typeof rejectOrderSchema>;

/**
 * The seller rejects a placed order, saying why; the buyer is told. An order of a catalogue
 * purchase gives its reserved stock back to the listings.
 */
export async function rejectOrder(deps: ActorDeps, input: unknown): Promise<OrderMoveResult> {
  const { actor } = deps;
  const permission = assertMoveAllowed(actor, "seller", "reject");
  const raw = parseInput(rejectOrderSchema, input);
  return withTransaction(deps.db, async (trx) => {
    await assertStillPermitted(trx, actor, permission);
    const locked = await lockOrder(trx, raw.orderId, { side: "seller", organizationId: actor.organizationId });
    const { order } = locked;
    assertVersion(order, raw.version);
    const status = moveOrder(order.status, "reject", { ...moveState(locked, "seller"), reason: raw.reason });
    const version = await updateOrder(trx, order.id, {
      status,
      rejected_at: sql<Date>`now()`,
      reject_reason: raw.reason,
      // A request to cancel the order the seller made is answered by the rejection itself.
      cancellation_requested_by: null,
      cancellation_requested_at: null,
      cancellation_reason: null,
    });
    await recordOrderEvent(trx, { orderId: order.id, buyerId: order.buyer_id, sellerId: order.seller_id, kind: "rejected", actorUserId: actor.userId, actorKind: "seller", data: { reason: raw.reason } });
    await restockOrder(trx, order);
    const parties = await partiesOf(trx, order);
    await notifySide(trx, deps.publicUrls, { order, parties, to: "buyer", template: "order.rejected", params: (base) => ({ ...base, reason: raw.reason }) });
    return { orderId: order.id, status, version };
  });
}
