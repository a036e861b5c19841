import { z } from "zod";
import { sql } from "kysely";
import { withTransaction } from "@souk/db";
import { DomainError, moveOrder } from "@souk/domain";
import type { ActorDeps } from "../deps";
import { parseInput } from "../input";
import { assertStillPermitted } from "../authorization";
import { recordOrderEvent } from "./order-events";
import { assertMoveAllowed, assertVersion, lockOrder, moveState, moveText, notifySide, orderIdField, otherSide, partiesOf, restockOrder, tradingSideOf, updateOrder, versionField, type OrderMoveResult } from "./lifecycle";

export const answerOrderCancellationSchema = z.object({
  orderId: orderIdField,
  version: versionField,
  answer: z.enum(["consent", "decline"], { error: "order.answer_invalid" }),
  /** Optional words with a decline (a consent cancels with the requester's reason). */
  note: moveText("order.note_too_long"),
});
export type AnswerOrderCancellationInput = z.input<typeof answerOrderCancellationSchema>;

/**
 * The side that did not ask answers a cancellation request: consent cancels the order (with the
 * requester's reason; a catalogue purchase's stock goes back to its listings), decline clears the
 * request and the order goes on. The requester is told either way.
 */
export async function answerOrderCancellation(deps: ActorDeps, input: unknown): Promise<OrderMoveResult> {
  const { actor } = deps;
  const side = tradingSideOf(actor);
  // Consenting and declining take the same permission: checked before the input is read.
  assertMoveAllowed(actor, side, "decline_cancellation");
  const raw = parseInput(answerOrderCancellationSchema, input);
  const move = raw.answer === "consent" ? "consent_cancellation" : "decline_cancellation";
  const permission = assertMoveAllowed(actor, side, move);
  return withTransaction(deps.db, async (trx) => {
    await assertStillPermitted(trx, actor, permission);
    const locked = await lockOrder(trx, raw.orderId, { side, organizationId: actor.organizationId });
    const { order } = locked;
    assertVersion(order, raw.version);
    const status = moveOrder(order.status, move, moveState(locked, side));
    const requester = order.cancellation_requested_by;
    if (requester === null) throw new DomainError("INVARIANT", `Order ${order.id} has no cancellation request after the domain allowed ${move}`);
    const reason = order.cancellation_reason ?? "";
    const cleared = { cancellation_requested_by: null, cancellation_requested_at: null, cancellation_reason: null };
    const parties = await partiesOf(trx, order);
    let version: number;
    if (raw.answer === "consent") {
      version = await updateOrder(trx, order.id, { ...cleared, status, cancelled_at: sql<Date>`now()`, cancel_reason: reason });
      await recordOrderEvent(trx, { orderId: order.id, buyerId: order.buyer_id, sellerId: order.seller_id, kind: "cancelled", actorUserId: actor.userId, actorKind: side, data: { reason, via: "consent", requestedBy: requester } });
      await restockOrder(trx, order);
      await notifySide(trx, deps.publicUrls, { order, parties, to: otherSide(side), template: "order.cancelled", params: (base) => ({ ...base, reason: reason || "—" }) });
    } else {
      version = await updateOrder(trx, order.id, cleared);
      await recordOrderEvent(trx, {
        orderId: order.id,
        buyerId: order.buyer_id,
        sellerId: order.seller_id,
        kind: "cancellation_declined",
        actorUserId: actor.userId,
        actorKind: side,
        data: { note: raw.note || null, requestedBy: requester },
      });
      await notifySide(trx, deps.publicUrls, { order, parties, to: otherSide(side), template: "order.cancellation_declined", params: (base) => ({ ...base, ...(raw.note ? { note: raw.note } : {}) }) });
    }
    return { orderId: order.id, status, version };
  });
}
