import { z } from "zod";
import { sql, type Selectable, type UpdateObject } from "kysely";
import type { Database, Db, DisputesTable, OrdersTable } from "@souk/db";
import { DomainError, assertCan, forbidden, notFound, type Actor, type OrderMove, type OrderMoveContext, type OrderStatus, type OrderSide, type Permission } from "@souk/domain";
import { dbNow } from "../clock";
import type { PublicUrls } from "../deps";
import { emptyToUndefined, existingId } from "../input";
import { notifyMembers } from "../notifications/notify-members";
import type { EmailTemplateName, EmailTemplateParams } from "../notifications/templates";
import { queueListingSync } from "../catalogue/sync";
import { orderReference } from "../rfq/common";

/** Helpers of the order lifecycle use cases (not exported from the package). */

export type OrderRow = Selectable<OrdersTable>;
export type DisputeRow = Selectable<DisputesTable>;
export type TradingSide = "buyer" | "seller";

/** Days after delivery during which the buyer may open a dispute. */
export const DISPUTE_WINDOW_DAYS = 14;

/** The longest reason, note, carrier and tracking reference (the columns' checks). */
export const REASON_MAX = 2000;
export const SHIPMENT_FIELD_MAX = 100;

/**
 * The permission a member needs to make a move for its side; a move missing here is not one this
 * side makes. Viewers and sales members read orders but move none.
 */
export const MOVE_PERMISSIONS: Record<TradingSide, Partial<Record<OrderMove, Permission>>> = {
  seller: {
    accept: "fulfil:order:org",
    reject: "fulfil:order:org",
    ship: "fulfil:order:org",
    request_cancellation: "fulfil:order:org",
    consent_cancellation: "fulfil:order:org",
    decline_cancellation: "fulfil:order:org",
  },
  buyer: {
    cancel: "create:order:org",
    request_cancellation: "create:order:org",
    consent_cancellation: "create:order:org",
    decline_cancellation: "create:order:org",
    confirm_delivery: "confirm:delivery:org",
    open_dispute: "confirm:delivery:org",
  },
};

/** The members told about an order's change, per side: those who can act on it. */
export const NOTIFIED_ROLES: Record<TradingSide | "operator", readonly string[]> = {
  buyer: ["admin", "purchaser"],
  seller: ["owner", "fulfilment"],
  operator: ["admin", "moderator"],
};

/** What every move returns: the order, its status and version after the move. */
export interface OrderMoveResult {
  orderId: string;
  status: OrderStatus;
  version: number;
}

export const otherSide = (side: TradingSide): TradingSide => (side === "buyer" ? "seller" : "buyer");

/** A free text of a move (reason, note): trimmed, "" when left empty; too long is `<key>`. Presence is the domain's rule. */
export function moveText(tooLong: string, max = REASON_MAX) {
  return z.preprocess((v) => (v === undefined || v === null ? "" : v), z.string({ error: tooLong }).trim().max(max, { error: tooLong }));
}

/**
 * The order's version as the page showed it (a hidden field): when given and the order has moved
 * since, the request is refused (CONFLICT order.changed) rather than acting on what the user did not see.
 */
export const versionField = z.preprocess(emptyToUndefined, z.coerce.number({ error: "order.version_invalid" }).int({ error: "order.version_invalid" }).min(1, { error: "order.version_invalid" }).optional());

export const orderIdField = z.unknown();

/** The side a buyer or seller member acts for, holding `move`'s permission (services check it even though routes did). */
export function assertMoveAllowed(actor: Actor, side: TradingSide, move: OrderMove): Permission {
  const permission = MOVE_PERMISSIONS[side][move];
  if (!permission || actor.organizationKind !== side) throw forbidden(`Missing permission ${permission ?? move}`);
  assertCan(actor, permission);
  return permission;
}

/** The acting side of a member who may be either (cancellation requests and answers). */
export function tradingSideOf(actor: Actor): TradingSide {
  if (actor.organizationKind === "buyer" || actor.organizationKind === "seller") return actor.organizationKind;
  throw forbidden("Only the buyer or the seller of an order acts on it");
}

export interface LockedOrder {
  order: OrderRow;
  dispute: DisputeRow | null;
  /** The database clock (the transaction's start). */
  now: Date;
}

/**
 * The order row locked (FOR UPDATE) for a move, with its dispute (locked too) and the database's
 * now. `scope` limits it to one organisation's side: any other order is NOT_FOUND, whether it
 * exists or not. Two moves of the same order run one after the other: the second sees the first.
 */
export async function lockOrder(trx: Db, orderIdInput: unknown, scope: { side: TradingSide; organizationId: string } | { side: "operator" }): Promise<LockedOrder> {
  const orderId = existingId(orderIdInput, "Order");
  const order = await trx
    .selectFrom("orders")
    .selectAll()
    .where("id", "=", orderId)
    .$if(scope.side !== "operator", (qb) => qb.where(scope.side === "buyer" ? "buyer_id" : "seller_id", "=", (scope as { organizationId: string }).organizationId))
    .forUpdate()
    .executeTakeFirst();
  if (!order) throw notFound("Order");
  const dispute = (await trx.selectFrom("disputes").selectAll().where("order_id", "=", order.id).forUpdate().executeTakeFirst()) ?? null;
  return { order, dispute, now: await dbNow(trx) };
}

/** Refuses a move made from a page older than the order (see versionField). */
export function assertVersion(order: OrderRow, expected: number | undefined): void {
  if (expected !== undefined && expected !== order.version) throw new DomainError("CONFLICT", "order.changed", { _form: ["order.changed"] });
}

/** What moveOrder / allowedOrderMoves need to know of an order, for the side `by`. */
export function moveState(locked: Pick<LockedOrder, "order" | "dispute" | "now">, by: OrderSide, autoConfirmDays = 0): OrderMoveContext {
  const { order, dispute, now } = locked;
  return {
    by,
    now,
    shippedAt: order.shipped_at,
    deliveredAt: order.delivered_at,
    autoConfirmDays,
    disputeWindowDays: DISPUTE_WINDOW_DAYS,
    cancellationRequestedBy: order.cancellation_requested_by,
    disputeOpen: dispute?.status === "open",
    disputeResolved: dispute?.status === "resolved",
  };
}

/** Writes a move's changes to the locked order, with a new version. */
export async function updateOrder(trx: Db, orderId: string, patch: UpdateObject<Database, "orders">): Promise<number> {
  const row = await trx
    .updateTable("orders")
    .set({ ...patch, version: sql<number>`version + 1`, updated_at: sql<Date>`now()` })
    .where("id", "=", orderId)
    .returning("version")
    .executeTakeFirstOrThrow();
  return row.version;
}

/**
 * Puts the stock a catalogue purchase reserved back on its listings (a rejected or cancelled order
 * of a purchase; an RFQ award reserved nothing) and queues their search sync: a listing that was
 * out of stock is in stock again. Listings are updated in id order so two restocks never deadlock.
 */
export async function restockOrder(trx: Db, order: OrderRow): Promise<string[]> {
  if (order.purchase_id === null) return [];
  const lines = await trx
    .selectFrom("order_lines")
    .select(["listing_id", (eb) => eb.fn.sum<string>("quantity").as("quantity")])
    .where("order_id", "=", order.id)
    .where("listing_id", "is not", null)
    .groupBy("listing_id")
    .orderBy("listing_id")
    .execute();
  const restocked: string[] = [];
  for (const line of lines) {
    const updated = await trx
      .updateTable("listings")
      .set({ stock: sql<number>`stock + ${Number(line.quantity)}`, version: sql<number>`version + 1`, updated_at: sql<Date>`now()` })
      .where("id", "=", line.listing_id!)
      .where("seller_id", "=", order.seller_id)
      .executeTakeFirst();
    if (updated.numUpdatedRows === 1n) restocked.push(line.listing_id!);
  }
  if (restocked.length > 0) await queueListingSync(trx, restocked);
  return restocked;
}

export interface OrderParties {
  buyerName: string;
  sellerName: string;
  reference: string;
}

export async function partiesOf(trx: Db, order: OrderRow): Promise<OrderParties> {
  const orgs = await trx.selectFrom("organizations").select(["id", "name"]).where("id", "in", [order.buyer_id, order.seller_id]).execute();
  const name = (id: string) => orgs.find((o) => o.id === id)?.name ?? "";
  return { buyerName: name(order.buyer_id), sellerName: name(order.seller_id), reference: orderReference(order.number) };
}

/**
 * Tells one side of an order (its members who act on orders) about a change, each in their
 * language, with a link to the order in their app.
 */
export async function notifySide<T extends EmailTemplateName>(
  trx: Db,
  urls: PublicUrls,
  input: { order: OrderRow; parties: OrderParties; to: TradingSide; template: T; params: (base: { name: string; orderReference: string; counterpartyName: string; orderUrl: string }) => EmailTemplateParams<T> },
): Promise<number> {
  const { order, parties, to } = input;
  return notifyMembers(trx, {
    organizationId: to === "buyer" ? order.buyer_id : order.seller_id,
    roles: NOTIFIED_ROLES[to],
    template: input.template,
    params: (member) =>
      input.params({
        name: member.name,
        orderReference: parties.reference,
        counterpartyName: to === "buyer" ? parties.sellerName : parties.buyerName,
        orderUrl: `${to === "buyer" ? urls.buyer : urls.seller}/orders/${order.id}`,
      }),
  });
}
