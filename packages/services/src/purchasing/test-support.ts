import type { Db } from "@souk/db";
import type { ActorDeps } from "../deps";
import { saveAddress } from "./save-address";

/** Fixtures of the purchasing tests (never exported from the package). */

export { buyer, activeSeller, rule, notified, type BuyerFixture, type SellerWithMembers } from "../approvals/test-support";
export { listing, group, priceList, assign, countingDb } from "../catalogue/pricing/test-support";
export { domainErrorOf } from "../identity/test-support";

/** An address of the actor's organisation, through the service. */
export async function address(deps: ActorDeps, overrides: Record<string, unknown> = {}): Promise<string> {
  const { addressId } = await saveAddress(deps, {
    label: "Main warehouse",
    recipient: "Receiving desk",
    line1: "4 quai Perrache",
    line2: "",
    postalCode: "69002",
    city: "Lyon",
    country: "FR",
    ...overrides,
  });
  return addressId;
}

const TABLES = [
  "organization_addresses",
  "carts",
  "cart_lines",
  "requisition_lists",
  "requisition_list_items",
  "purchases",
  "purchase_lines",
  "orders",
  "order_lines",
  "order_events",
  "approvals",
  "notifications",
  "outbox",
  "rfqs",
] as const;
export type PurchasingCounts = Record<(typeof TABLES)[number] | "stock", number>;

/** Row counts of every table the purchasing use cases write, and the sum of all stock: a refused call changes none. */
export async function purchasingCounts(db: Db): Promise<PurchasingCounts> {
  const counts = {} as PurchasingCounts;
  for (const table of TABLES) {
    const { n } = await db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<string>().as("n"))
      .executeTakeFirstOrThrow();
    counts[table] = Number(n);
  }
  const { stock } = await db
    .selectFrom("listings")
    .select((eb) => eb.fn.coalesce(eb.fn.sum<string>("stock"), eb.val("0")).as("stock"))
    .executeTakeFirstOrThrow();
  counts.stock = Number(stock);
  return counts;
}

/** Each cart line of the actor (listing → quantity). */
export async function cartLines(db: Db, deps: ActorDeps): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom("cart_lines as cl")
    .innerJoin("carts as c", "c.id", "cl.cart_id")
    .select(["cl.listing_id", "cl.quantity"])
    .where("c.buyer_id", "=", deps.actor.organizationId)
    .where("c.user_id", "=", deps.actor.userId)
    .execute();
  return Object.fromEntries(rows.map((r) => [r.listing_id, r.quantity]));
}

export async function stockOf(db: Db, listingId: string): Promise<number> {
  return (await db.selectFrom("listings").select("stock").where("id", "=", listingId).executeTakeFirstOrThrow()).stock;
}
