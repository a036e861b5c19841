import { sql } from "kysely";
import type { Db } from "@souk/db";
import type { ListingStatus, OrganizationStatus } from "@souk/domain";
import { uniqueEmail } from "../../identity/test-support";

/** Fixtures of the search sync tests (never exported from the package). */

export async function categoryId(db: Db, slug: string): Promise<string> {
  return (await db.selectFrom("categories").select("id").where("slug", "=", slug).executeTakeFirstOrThrow()).id;
}

let sellers = 0;
export async function sellerOrg(db: Db, status: OrganizationStatus = "active"): Promise<{ id: string; name: string }> {
  sellers += 1;
  const name = `Search Seller ${sellers} ${uniqueEmail("s").slice(0, 10)}`;
  const row = await db.insertInto("organizations").values({ kind: "seller", name, status }).returning("id").executeTakeFirstOrThrow();
  return { id: row.id, name };
}

export async function customerGroup(db: Db, sellerId: string, name: string): Promise<string> {
  return (await db.insertInto("customer_groups").values({ seller_id: sellerId, name }).returning("id").executeTakeFirstOrThrow()).id;
}

export interface ListingSpec {
  sku?: string;
  title?: string;
  description?: string;
  categoryId: string;
  status?: ListingStatus;
  listPriceMinor?: string;
  minOrderQuantity?: number;
  stock?: number;
  leadTimeDays?: number;
  attributes?: Record<string, string>;
  groupIds?: string[];
  /** visibility "groups" even without groups. */
  restricted?: boolean;
}

let skus = 0;
/** Inserts listings as the write path leaves them (fields, visibility rows); returns their ids in order. */
export async function insertListings(db: Db, sellerId: string, specs: ListingSpec[]): Promise<string[]> {
  if (specs.length === 0) return [];
  const rows = await db
    .insertInto("listings")
    .values(
      specs.map((spec) => {
        skus += 1;
        return {
          seller_id: sellerId,
          sku: spec.sku ?? `SKU-${skus}`,
          title: spec.title ?? `Listing ${skus}`,
          description: spec.description ?? "",
          category_id: spec.categoryId,
          unit: "piece",
          currency: "EUR",
          list_price_minor: spec.listPriceMinor ?? "1250",
          min_order_quantity: spec.minOrderQuantity ?? 1,
          stock: spec.stock ?? 10,
          lead_time_days: spec.leadTimeDays ?? 3,
          attributes: JSON.stringify(spec.attributes ?? {}),
          visibility: spec.groupIds || spec.restricted ? ("groups" as const) : ("everyone" as const),
          status: spec.status ?? "published",
          blocked_reason: spec.status === "blocked" ? "Counterfeit" : null,
          updated_at: sql<Date>`now()`,
        };
      }),
    )
    .returning("id")
    .execute();
  const visibility = specs.flatMap((spec, i) => (spec.groupIds ?? []).map((groupId) => ({ listing_id: rows[i]!.id, group_id: groupId, seller_id: sellerId })));
  if (visibility.length > 0) await db.insertInto("listing_visibility").values(visibility).execute();
  return rows.map((r) => r.id);
}

export async function setListing(db: Db, id: string, values: { status?: ListingStatus; title?: string; stock?: number }): Promise<void> {
  await db
    .updateTable("listings")
    .set({
      ...values,
      ...(values.status === "blocked" ? { blocked_reason: "Counterfeit" } : values.status ? { blocked_reason: null } : {}),
      version: sql<number>`version + 1`,
      updated_at: sql<Date>`now()`,
    })
    .where("id", "=", id)
    .execute();
}

export async function setSellerStatus(db: Db, sellerId: string, status: OrganizationStatus): Promise<void> {
  await db.updateTable("organizations").set({ status }).where("id", "=", sellerId).execute();
}

/** The index rows as stored (id → checksum, indexed document): what "the same index" means. */
export async function indexRows(db: Db): Promise<Map<string, { checksum: string; document: unknown }>> {
  const rows = await db.selectFrom("search_listings").select(["id", "checksum", "document"]).orderBy("id").execute();
  return new Map(rows.map((r) => [r.id, { checksum: r.checksum, document: r.document }]));
}
