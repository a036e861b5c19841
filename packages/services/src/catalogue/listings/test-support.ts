import { sql } from "kysely";
import type { Db } from "@souk/db";
import type { ActorDeps } from "../../deps";
import { actorDeps, uniqueEmail } from "../../identity/test-support";
import { seller, type SellerFixture, type SellerOptions } from "../../vetting/test-support";

/** Fixtures of the listing and moderation tests (never exported from the package). */

export interface ListingSeller extends SellerFixture {
  owner: ActorDeps;
  sales: ActorDeps;
  /** A member who may read the listings but not change them. */
  fulfilment: ActorDeps;
}

/** A seller organisation (active unless told otherwise) with an owner, a sales and a fulfilment member. */
export async function listingSeller(db: Db, options: SellerOptions = {}): Promise<ListingSeller> {
  const s = await seller(db, { status: "active", ...options });
  const owner = s.owners[0];
  if (!owner) throw new Error("the fixture has no owner");
  const user = await db.insertInto("users").values({ email: uniqueEmail("fulfilment"), name: "Fulfilment person", password_hash: "x" }).returning("id").executeTakeFirstOrThrow();
  await db.insertInto("memberships").values({ organization_id: s.id, user_id: user.id, role: "fulfilment" }).execute();
  return {
    ...s,
    owner: actorDeps(db, { userId: owner.userId, organizationId: s.id, kind: "seller", role: "owner" }),
    sales: actorDeps(db, { userId: s.salesUserId, organizationId: s.id, kind: "seller", role: "sales" }),
    fulfilment: actorDeps(db, { userId: user.id, organizationId: s.id, kind: "seller", role: "fulfilment" }),
  };
}

export async function categoryIdOf(db: Db, slug = "packaging-boxes"): Promise<string> {
  return (await db.selectFrom("categories").select("id").where("slug", "=", slug).executeTakeFirstOrThrow()).id;
}

export async function customerGroup(db: Db, sellerId: string, name = `Group ${uniqueEmail("g").slice(0, 16)}`): Promise<string> {
  return (await db.insertInto("customer_groups").values({ seller_id: sellerId, name }).returning("id").executeTakeFirstOrThrow()).id;
}

let skuCounter = 0;
export function nextSku(): string {
  skuCounter += 1;
  return `SKU-${process.pid}-${skuCounter}`;
}

/** A valid listing as the form sends it. */
export function listingForm(categoryId: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    sku: nextSku(),
    title: "Corrugated shipping box 40x30x20",
    description: "Double-wall kraft box.\nFits a standard pallet.",
    categoryId,
    unit: "box",
    currency: "EUR",
    listPrice: "1.20",
    minOrderQuantity: "50",
    stock: "10000",
    leadTimeDays: "3",
    attributes: "colour=kraft\nwall=double",
    tiers: "500=1.10\n2000=0.95",
    visibility: "everyone",
    ...overrides,
  };
}

/** A listing written straight in the table, in `status`. */
export async function insertListing(db: Db, sellerId: string, categoryId: string, values: { status?: "draft" | "published" | "unlisted" | "blocked"; title?: string; sku?: string } = {}): Promise<string> {
  const row = await db
    .insertInto("listings")
    .values({
      seller_id: sellerId,
      sku: values.sku ?? nextSku(),
      title: values.title ?? "Stretch film 500 mm",
      category_id: categoryId,
      unit: "roll",
      currency: "EUR",
      list_price_minor: "1500",
      status: values.status ?? "draft",
      blocked_reason: values.status === "blocked" ? "Misleading title." : null,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function listingRow(db: Db, id: string) {
  return db.selectFrom("listings").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
}

/** How many search.listing.sync outbox rows name the listing. */
export async function syncRowsFor(db: Db, listingId: string): Promise<number> {
  const rows = await db
    .selectFrom("outbox")
    .select("payload")
    .where("topic", "=", "search.listing.sync")
    .where(sql<boolean>`payload -> 'listingIds' ? ${listingId}`)
    .execute();
  return rows.length;
}

const TABLES = ["listings", "listing_price_tiers", "listing_visibility", "listing_images", "outbox", "audit_log", "notifications"] as const;

/** Row counts of every table a listing use case writes, to show that a refused call wrote nothing. */
export async function listingRowCounts(db: Db): Promise<Record<(typeof TABLES)[number], number>> {
  const counts = {} as Record<(typeof TABLES)[number], number>;
  for (const table of TABLES) {
    const { n } = await db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<string>().as("n"))
      .executeTakeFirstOrThrow();
    counts[table] = Number(n);
  }
  return counts;
}

/** Waits until another session of this database waits for a lock (the concurrency tests' rendezvous). */
export async function untilSomeoneWaitsForALock(db: Db): Promise<void> {
  for (let i = 0; i < 200; i += 1) {
    const { n } = await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`
      .execute(db)
      .then((r) => r.rows[0] ?? { n: 0 });
    if (n > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error("nobody waited for a lock");
}
