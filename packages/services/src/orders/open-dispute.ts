import { z } from "zod";
import { sql } from "kysely";
import { withTransaction } from "@souk/db";
import { moveOrder, validationError } from "@souk/domain";
import type { ActorDeps } from "../deps";
import { parseInput } from "../input";
import { notifyMembers } from "../notifications/notify-members";
import { assertStillPermitted } from "../authorization";
import { recordOrderEvent } from "./order-events";
import { NOTIFIED_ROLES, assertMoveAllowed, assertVersion, lockOrder, moveState, moveText, notifySide, orderIdField, partiesOf, updateOrder, versionField } from "./lifecycle";

export const openDisputeSchema = z.object({ orderId: orderIdField, version: versionField, reason: moveText("dispute.reason_too_long") });
export type OpenDisputeInput = z.input<typeof openDisputeSchema>;

export interface OpenDisputeResult {
  orderId: string;
  disputeId: string;
}

/**
 * The buyer disputes a delivered (or settled) order within the dispute window after delivery,
 * saying what is wrong. An order has one dispute at most. While it is open the order's settlement
 * is frozen (the settle move refuses it); an operator resolves it. The seller and the operators
 * who resolve disputes are told.
 */
export async function openDispute(deps: ActorDeps, input: unknown): Promise<OpenDisputeResult> {
  const { actor } = deps;
  const permission = assertMoveAllowed(actor, "buyer", "open_dispute");
  const raw = parseInput(openDisputeSchema, input);
  return withTransaction(deps.db, async (trx) => {
    await assertStillPermitted(trx, actor, permission);
    const locked = await lockOrder(trx, raw.orderId, { side: "buyer", organizationId: actor.organizationId });
    const { order } = locked;
    assertVersion(order, raw.version);
    moveOrder(order.status, "open_dispute", moveState(locked, "buyer"));
    // The domain does not ask a dispute for words; the operator who resolves it needs them.
    if (raw.reason === "") throw validationError({ reason: ["dispute.reason_required"] });
    const dispute = await trx
      .insertInto("disputes")
      .values({ order_id: order.id, buyer_id: order.buyer_id, seller_id: order.seller_id, reason: raw.reason, opened_by: actor.userId })
      .returning("id")
      .executeTakeFirstOrThrow();
    await updateOrder(trx, order.id, { disputed_at: sql<Date>`now()` });
    await recordOrderEvent(trx, { orderId: order.id, buyerId: order.buyer_id, sellerId: order.seller_id, kind: "dispute_opened", actorUserId: actor.userId, actorKind: "buyer", data: { reason: raw.reason } });
    const parties = await partiesOf(trx, order);
    await notifySide(trx, deps.publicUrls, { order, parties, to: "seller", template: "order.dispute_opened", params: (base) => ({ ...base, reason: raw.reason }) });
    const operators = await trx.selectFrom("organizations").select("id").where("kind", "=", "operator").where("status", "=", "active").orderBy("id").execute();
    for (const operator of operators) {
      await notifyMembers(trx, {
        organizationId: operator.id,
        roles: NOTIFIED_ROLES.operator,
        template: "dispute.opened",
        params: (member) => ({
          name: member.name,
          orderReference: parties.reference,
          buyerName: parties.buyerName,
          sellerName: parties.sellerName,
          amountMinor: order.total_minor,
          currency: order.currency,
          reason: raw.reason,
          disputeUrl: `${deps.publicUrls.operator}/disputes/${dispute.id}`,
        }),
      });
    }
    return { orderId: order.id, disputeId: dispute.id };
  });
}
