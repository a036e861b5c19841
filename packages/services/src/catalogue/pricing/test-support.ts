import type { Db } from "@souk/db";
import type { OrganizationStatus } from "@souk/domain";
import type { ListingIndex } from "@souk/search";
import type { ActorDeps } from "../../deps";
import { memberOf } from "../../vetting/test-support";
import { buildListingDocuments } from "../search-sync/build-listing-documents";

/** Fixtures of the customer-group, price-list and buyer-catalogue tests (never exported from the package). */

export const seller = (db: Db, options: { status?: OrganizationStatus; name?: string } = {}) => memberOf(db, "seller", "owner", options);
export const buyer = (db: Db, options: { status?: OrganizationStatus } = {}) => memberOf(db, "buyer", "purchaser", options);

export async function categoryId(db: Db, slug = "packaging-boxes"): Promise<string> {
  return (await db.selectFrom("categories").select("id").where("slug", "=", slug).executeTakeFirstOrThrow()).id;
}

let skuCounter = 0;

export interface ListingFixture {
  sku?: string;
  title?: string;
  currency?: string;
  listPriceMinor?: bigint | number;
  minOrderQuantity?: number;
  stock?: number;
  leadTimeDays?: number;
  status?: "draft" | "published" | "unlisted" | "blocked";
  /** Visibility "groups" with these groups; absent: everyone. */
  groupIds?: string[];
  tiers?: [minQuantity: number, unitPriceMinor: bigint | number][];
  category?: string;
}

/** A listing written straight in the tables (published, visible to everyone, unless told otherwise). */
export async function listing(db: Db, sellerId: string, fixture: ListingFixture = {}): Promise<{ id: string; sku: string }> {
  skuCounter += 1;
  const sku = fixture.sku ?? `SKU-${skuCounter}`;
  const row = await db
    .insertInto("listings")
    .values({
      seller_id: sellerId,
      sku,
      title: fixture.title ?? `Corrugated box ${skuCounter}`,
      description: "Double-wall cardboard box.",
      category_id: await categoryId(db, fixture.category),
      unit: "piece",
      currency: fixture.currency ?? "EUR",
      list_price_minor: BigInt(fixture.listPriceMinor ?? 1_000),
      min_order_quantity: fixture.minOrderQuantity ?? 1,
      stock: fixture.stock ?? 100,
      lead_time_days: fixture.leadTimeDays ?? 3,
      visibility: fixture.groupIds ? "groups" : "everyone",
      status: fixture.status ?? "published",
      blocked_reason: fixture.status === "blocked" ? "Counterfeit" : null,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  if (fixture.tiers && fixture.tiers.length > 0) {
    await db
      .insertInto("listing_price_tiers")
      .values(fixture.tiers.map(([minQuantity, price]) => ({ listing_id: row.id, min_quantity: minQuantity, unit_price_minor: BigInt(price) })))
      .execute();
  }
  if (fixture.groupIds && fixture.groupIds.length > 0) {
    await db
      .insertInto("listing_visibility")
      .values(fixture.groupIds.map((groupId) => ({ listing_id: row.id, group_id: groupId, seller_id: sellerId })))
      .execute();
  }
  return { id: row.id, sku };
}

/** A customer group of `sellerId` with these buyer members, written straight in the tables. */
export async function group(db: Db, sellerId: string, memberIds: string[] = [], name = `Group ${++skuCounter}`): Promise<string> {
  const row = await db.insertInto("customer_groups").values({ seller_id: sellerId, name }).returning("id").executeTakeFirstOrThrow();
  for (const buyerId of memberIds) await db.insertInto("customer_group_members").values({ group_id: row.id, seller_id: sellerId, buyer_id: buyerId }).execute();
  return row.id;
}

export interface PriceListFixture {
  currency?: string;
  validFrom?: Date | null;
  validTo?: Date | null;
  createdAt?: Date;
  /** [listingId, minQuantity, unitPriceMinor] */
  entries?: [string, number, bigint | number][];
}

/** A price list of `sellerId`, written straight in the tables; returns its id and creation instant. */
export async function priceList(db: Db, sellerId: string, fixture: PriceListFixture = {}): Promise<{ id: string; createdAt: Date }> {
  const row = await db
    .insertInto("price_lists")
    .values({
      seller_id: sellerId,
      name: `List ${++skuCounter}`,
      currency: fixture.currency ?? "EUR",
      valid_from: fixture.validFrom ?? null,
      valid_to: fixture.validTo ?? null,
      created_at: fixture.createdAt,
    })
    .returning(["id", "created_at"])
    .executeTakeFirstOrThrow();
  if (fixture.entries && fixture.entries.length > 0) {
    await db
      .insertInto("price_list_entries")
      .values(
        fixture.entries.map(([listingId, minQuantity, price]) => ({
          price_list_id: row.id,
          listing_id: listingId,
          seller_id: sellerId,
          min_quantity: minQuantity,
          unit_price_minor: BigInt(price),
        })),
      )
      .execute();
  }
  return { id: row.id, createdAt: row.created_at };
}

export async function assign(db: Db, sellerId: string, priceListId: string, target: { buyerId: string } | { groupId: string }, priority = 0): Promise<void> {
  await db
    .insertInto("price_list_assignments")
    .values({ price_list_id: priceListId, seller_id: sellerId, priority, ...("buyerId" in target ? { buyer_id: target.buyerId } : { group_id: target.groupId }) })
    .execute();
}

/** Puts the current state of these listings in the index, as the search-sync job would. */
export async function indexListings(db: Db, index: ListingIndex, listingIds: string[]): Promise<void> {
  const batch = await buildListingDocuments(db, { listingIds });
  await index.upsert(batch.docs);
}

/** Counts the statements run through the returned handle (a page of search must cost a constant number). */
export function countingDb(db: Db): { db: Db; count: () => number } {
  let count = 0;
  const counted = db.withPlugin({
    transformQuery(args) {
      count += 1;
      return args.node;
    },
    transformResult: async (args) => args.result,
  });
  return { db: counted, count: () => count };
}

export const sellerIdOf = (deps: ActorDeps) => deps.actor.organizationId as string;
