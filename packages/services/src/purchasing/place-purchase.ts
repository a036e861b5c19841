import { sql } from "kysely";
import type { Db } from "@souk/db";
import { DomainError, type Actor, type FieldErrors } from "@souk/domain";
import { queueListingSync } from "../catalogue/sync";
import { visibleListingsQuery } from "../catalogue/pricing/visibility";
import type { PublicUrls } from "../deps";
import { notifyMembers } from "../notifications/notify-members";
import { recordOrderEvent } from "../orders/order-events";
import { orderReference } from "../rfq/common";
import { currencyOf } from "../money/shared";
import { pushError, sumMinor } from "./shared";

export interface PlacePurchaseOptions {
  publicUrls: PublicUrls;
  /** Who places it: the buyer at checkout (no approval needed), or the approver. */
  actor: Pick<Actor, "userId" | "organizationId">;
}

/**
 * Places a purchase that is waiting (`pending_approval`), in the caller's transaction: one order
 * per seller (status `placed`; the purchase's PO number and delivery address; the category of the
 * order's largest line, for commission; the longest lead time of its listings and the expected
 * delivery it implies; one order line per purchase line at the price frozen at checkout), the stock
 * of every line taken with a guarded UPDATE (`stock >= quantity`), the listings' search documents
 * queued for sync (their stock changed), a `placed` event on each order's timeline, and each
 * seller's members told.
 *
 * Every line must still be available to the buyer (the visibility rule: published, seller active,
 * visible to it) and in stock. Otherwise nothing is placed and a CONFLICT lists the lines
 * (`lines.<listingId>`: purchase.line_unavailable / purchase.stock_short) with a `_form` message;
 * the caller's transaction then rolls back whatever it wrote. Of two purchases competing for the
 * last units, the second one's UPDATE waits for the first to commit, then finds the stock short.
 * Stock rows are taken in listing-id order, so two purchases never wait on each other in a cycle.
 */
export async function placePurchase(trx: Db, purchaseId: string, options: PlacePurchaseOptions): Promise<{ orderIds: string[] }> {
  const purchase = await trx.selectFrom("purchases").selectAll().where("id", "=", purchaseId).forUpdate().executeTakeFirst();
  if (!purchase) throw new DomainError("INVARIANT", `Purchase ${purchaseId} does not exist`);
  if (purchase.status !== "pending_approval") throw new DomainError("CONFLICT", "purchase.not_pending", { _form: ["purchase.not_pending"] });
  const currency = currencyOf(purchase.currency);

  const lines = await trx
    .selectFrom("purchase_lines as pl")
    .leftJoin("listings as l", "l.id", "pl.listing_id")
    .select(["pl.position", "pl.listing_id", "pl.seller_id", "pl.sku", "pl.description", "pl.unit", "pl.quantity", "pl.unit_price_minor", "pl.line_total_minor", "l.category_id", "l.lead_time_days"])
    .where("pl.purchase_id", "=", purchase.id)
    .where("pl.buyer_id", "=", purchase.buyer_id)
    .orderBy("pl.position")
    .execute();
  if (lines.length === 0) throw new DomainError("INVARIANT", `Purchase ${purchaseId} has no lines`);

  const errors: FieldErrors = {};
  const listingIds = lines.flatMap((l) => (l.listing_id ? [l.listing_id] : []));
  const visible = new Set(
    listingIds.length === 0 ? [] : (await visibleListingsQuery(trx, purchase.buyer_id).select("l.id").where("l.id", "in", listingIds).execute()).map((r) => r.id),
  );
  for (const line of lines) {
    if (!line.listing_id || !visible.has(line.listing_id)) pushError(errors, `lines.${line.listing_id ?? line.position}`, "purchase.line_unavailable");
  }
  if (Object.keys(errors).length === 0) {
    for (const line of [...lines].sort((a, b) => (a.listing_id! < b.listing_id! ? -1 : 1))) {
      const taken = await trx
        .updateTable("listings")
        .set({ stock: sql<number>`stock - ${line.quantity}`, version: sql<number>`version + 1`, updated_at: sql<Date>`now()` })
        .where("id", "=", line.listing_id!)
        .where("stock", ">=", line.quantity)
        .executeTakeFirst();
      if (taken.numUpdatedRows !== 1n) pushError(errors, `lines.${line.listing_id}`, "purchase.stock_short");
    }
  }
  if (Object.keys(errors).length > 0) {
    const kinds = new Set(Object.values(errors).flat());
    const form = [...(kinds.has("purchase.line_unavailable") ? ["purchase.some_lines_unavailable"] : []), ...(kinds.has("purchase.stock_short") ? ["purchase.some_stock_short"] : [])];
    throw new DomainError("CONFLICT", "purchase.cannot_place", { _form: form, ...errors });
  }

  // One order per seller, sellers in the order of their first line.
  const bySeller = new Map<string, typeof lines>();
  for (const line of lines) {
    const list = bySeller.get(line.seller_id);
    if (list) list.push(line);
    else bySeller.set(line.seller_id, [line]);
  }
  const buyer = await trx.selectFrom("organizations").select("name").where("id", "=", purchase.buyer_id).executeTakeFirstOrThrow();
  const orderIds: string[] = [];
  for (const [sellerId, sellerLines] of bySeller) {
    const total = sumMinor(sellerLines.map((l) => BigInt(l.line_total_minor)), currency);
    // The largest line decides the order's category (commission rules may be per category); a tie goes to the first.
    const largest = sellerLines.reduce((best, l) => (BigInt(l.line_total_minor) > BigInt(best.line_total_minor) ? l : best));
    const leadTimeDays = Math.max(...sellerLines.map((l) => l.lead_time_days ?? 0));
    const order = await trx
      .insertInto("orders")
      .values({
        buyer_id: purchase.buyer_id,
        seller_id: sellerId,
        purchase_id: purchase.id,
        po_number: purchase.po_number,
        delivery_address: JSON.stringify(purchase.delivery_address),
        category_id: largest.category_id,
        status: "placed",
        currency,
        total_minor: total.amount.toString(),
        lead_time_days: leadTimeDays,
        expected_delivery_at: sql<Date>`now() + make_interval(days => ${leadTimeDays})`,
      })
      .onConflict((oc) => oc.columns(["purchase_id", "seller_id"]).where("purchase_id", "is not", null).doNothing())
      .returning(["id", "number"])
      .executeTakeFirst();
    if (!order) throw new DomainError("INVARIANT", `Purchase ${purchaseId} already has an order for seller ${sellerId}`);
    await trx
      .insertInto("order_lines")
      .values(
        sellerLines.map((l, position) => ({
          order_id: order.id,
          seller_id: sellerId,
          position,
          listing_id: l.listing_id,
          description: l.description,
          unit: l.unit,
          quantity: l.quantity,
          unit_price_minor: l.unit_price_minor,
          line_total_minor: l.line_total_minor,
        })),
      )
      .execute();
    await recordOrderEvent(trx, {
      orderId: order.id,
      buyerId: purchase.buyer_id,
      sellerId,
      kind: "placed",
      actorUserId: options.actor.userId,
      actorKind: "buyer",
      data: { purchaseId: purchase.id, poNumber: purchase.po_number || null },
    });
    await notifyMembers(trx, {
      organizationId: sellerId,
      template: "purchase.order_placed",
      params: (member) => ({
        name: member.name,
        buyerName: buyer.name,
        orderReference: orderReference(order.number),
        amountMinor: total.amount.toString(),
        currency,
        lineCount: String(sellerLines.length),
        ...(purchase.po_number ? { poNumber: purchase.po_number } : {}),
        orderUrl: `${options.publicUrls.seller}/orders/${order.id}`,
      }),
    });
    orderIds.push(order.id);
  }

  await queueListingSync(trx, listingIds);
  await trx.updateTable("purchases").set({ status: "placed", decided_at: sql<Date>`now()` }).where("id", "=", purchase.id).execute();
  return { orderIds };
}
