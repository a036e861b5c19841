import { sql } from "kysely";
import type { Db } from "@souk/db";
import type { ActorDeps } from "../deps";
import { actorDeps } from "../identity/test-support";
import { activeSeller, buyer, type BuyerFixture, type SellerWithMembers } from "../approvals/test-support";

/** Fixtures of the order lifecycle tests (never exported from the package). */

export interface Parties {
  buyer: BuyerFixture;
  seller: SellerWithMembers & { fulfilment: ActorDeps };
}

/** A buyer and an active seller with a member of each role (the seller's fulfilment member as deps too). */
export async function parties(db: Db, names: { buyer?: string } = {}): Promise<Parties> {
  const s = await activeSeller(db);
  return {
    buyer: await buyer(db, names.buyer ? { name: names.buyer } : {}),
    seller: { ...s, fulfilment: actorDeps(db, { userId: s.fulfilmentUserId, organizationId: s.id, kind: "seller", role: "fulfilment" }) },
  };
}

export interface OrderSpec {
  /** Per line: quantity and unit price; with `stock`, a listing of the seller holding that stock after the purchase reserved the quantity. */
  lines?: { quantity: number; unitPriceMinor: number; stock?: number }[];
  /** Placed through a catalogue purchase (stock reserved on listings) rather than an RFQ award. */
  purchase?: boolean;
  poNumber?: string;
  currency?: string;
  placedAt?: string;
}

export interface OrderFixture {
  id: string;
  listingIds: string[];
}

let skus = 0;

/**
 * A placed order written straight in the tables, as checkout (a purchase: stock already taken off
 * the listings) or an award leaves it.
 */
export async function placedOrder(db: Db, buyerId: string, sellerId: string, spec: OrderSpec = {}): Promise<OrderFixture> {
  const lines = spec.lines ?? [{ quantity: 4, unitPriceMinor: 2500 }];
  const currency = spec.currency ?? "EUR";
  const total = lines.reduce((t, l) => t + l.quantity * l.unitPriceMinor, 0);
  const category = await db.selectFrom("categories").select("id").where("slug", "=", "packaging-boxes").executeTakeFirstOrThrow();
  const address = { label: "Main warehouse", recipient: "Goods-in", line1: "12 rue des Docks", line2: "", postalCode: "69007", city: "Lyon", country: "FR" };
  const listingIds: string[] = [];
  for (const line of lines) {
    if (line.stock === undefined) continue;
    skus += 1;
    const listing = await db
      .insertInto("listings")
      .values({
        seller_id: sellerId,
        sku: `ORD-SKU-${skus}`,
        title: `Box ${skus}`,
        category_id: category.id,
        unit: "box",
        currency,
        list_price_minor: String(line.unitPriceMinor),
        stock: line.stock,
        status: "published",
        attributes: "{}",
        updated_at: sql<Date>`now()`,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    listingIds.push(listing.id);
  }
  let purchaseId: string | null = null;
  if (spec.purchase) {
    const purchase = await db
      .insertInto("purchases")
      .values({ buyer_id: buyerId, currency, total_minor: String(total), po_number: spec.poNumber ?? "", delivery_address: JSON.stringify(address), status: "placed", decided_at: sql<Date>`now()` })
      .returning("id")
      .executeTakeFirstOrThrow();
    purchaseId = purchase.id;
  }
  const order = await db
    .insertInto("orders")
    .values({
      buyer_id: buyerId,
      seller_id: sellerId,
      purchase_id: purchaseId,
      po_number: spec.poNumber ?? "",
      delivery_address: JSON.stringify(address),
      currency,
      total_minor: String(total),
      lead_time_days: 5,
      category_id: category.id,
      ...(spec.placedAt ? { placed_at: new Date(spec.placedAt) } : {}),
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  let listingIndex = 0;
  await db
    .insertInto("order_lines")
    .values(
      lines.map((l, position) => ({
        order_id: order.id,
        seller_id: sellerId,
        position,
        listing_id: l.stock !== undefined ? listingIds[listingIndex++]! : null,
        description: `Line ${position + 1}`,
        unit: "box",
        quantity: l.quantity,
        unit_price_minor: String(l.unitPriceMinor),
        line_total_minor: String(l.quantity * l.unitPriceMinor),
      })),
    )
    .execute();
  await db.insertInto("order_events").values({ order_id: order.id, buyer_id: buyerId, seller_id: sellerId, kind: "placed", actor_kind: "buyer", data: "{}" }).execute();
  return { id: order.id, listingIds };
}

/** A default commission rule of `rateBps` for the currency (money refuses to settle without one). */
export async function commissionRule(db: Db, rateBps = 1000, currency = "EUR"): Promise<void> {
  await db.insertInto("commission_rules").values({ scope: "default", currency, rate_bps: rateBps }).execute();
}

const COUNTED = ["orders", "order_events", "disputes", "notifications", "outbox", "audit_log", "journals", "refunds", "settlements"] as const;
export type LifecycleCounts = Record<(typeof COUNTED)[number], number> & { versions: number; stock: number };

/** Row counts of every table a move writes, the sum of order versions and of listing stock: a refused move leaves them all as they were. */
export async function lifecycleCounts(db: Db): Promise<LifecycleCounts> {
  const counts = {} as LifecycleCounts;
  for (const table of COUNTED) {
    const { n } = await db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<string>().as("n"))
      .executeTakeFirstOrThrow();
    counts[table] = Number(n);
  }
  const versions = await db.selectFrom("orders").select((eb) => eb.fn.sum<string>("version").as("v")).executeTakeFirstOrThrow();
  const stock = await db.selectFrom("listings").select((eb) => eb.fn.sum<string>("stock").as("s")).executeTakeFirstOrThrow();
  counts.versions = Number(versions.v ?? 0);
  counts.stock = Number(stock.s ?? 0);
  return counts;
}

export async function orderRow(db: Db, orderId: string) {
  return db.selectFrom("orders").selectAll().where("id", "=", orderId).executeTakeFirstOrThrow();
}

export async function eventKinds(db: Db, orderId: string): Promise<string[]> {
  return (await db.selectFrom("order_events").select("kind").where("order_id", "=", orderId).orderBy("id").execute()).map((e) => e.kind);
}

/** The payloads of the outbox rows of `topic`. */
export async function outboxPayloads(db: Db, topic: string): Promise<unknown[]> {
  return (await db.selectFrom("outbox").select("payload").where("topic", "=", topic).orderBy("id").execute()).map((r) => (typeof r.payload === "string" ? JSON.parse(r.payload) : r.payload));
}
