import type { Db, OrderActorKind } from "@souk/db";

/**
 * The kinds of an order's timeline. The lifecycle use cases write the first ones; money writes
 * `settled` (settleOrder / postSettlement) and may write `refunded`; purchasing and awards write
 * `placed`. Stored as text: a kind written by a newer version still reads (the pages show its code).
 */
export const ORDER_EVENT_KINDS = [
  "placed",
  "accepted",
  "rejected",
  "shipped",
  "delivered",
  "cancelled",
  "cancellation_requested",
  "cancellation_declined",
  "dispute_opened",
  "dispute_resolved",
  "settled",
  "refunded",
] as const;
export type OrderEventKind = (typeof ORDER_EVENT_KINDS)[number];

export interface OrderEventInput {
  orderId: string;
  buyerId: string;
  sellerId: string;
  kind: OrderEventKind;
  /** The user who acted; null for the system (auto-confirmation, settlement job). */
  actorUserId: string | null;
  actorKind: OrderActorKind;
  /** What the timeline shows beside the kind (reason, carrier, tracking reference, note, amounts as strings). */
  data?: Record<string, string | number | boolean | null>;
}

/**
 * Appends one event to an order's timeline. Call it with the transaction of the change it records
 * (the order row locked by the caller), so the timeline holds an event exactly when the change
 * happened. Returns the event's id.
 */
export async function recordOrderEvent(trx: Db, event: OrderEventInput): Promise<string> {
  const row = await trx
    .insertInto("order_events")
    .values({
      order_id: event.orderId,
      buyer_id: event.buyerId,
      seller_id: event.sellerId,
      kind: event.kind,
      actor_user_id: event.actorUserId,
      actor_kind: event.actorKind,
      data: JSON.stringify(event.data ?? {}),
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return String(row.id);
}
