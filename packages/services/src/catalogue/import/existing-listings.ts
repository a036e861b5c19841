import type { Db } from "@souk/db";
import type { Currency, ListingStatus } from "@souk/domain";
import type { ListingFields } from "../listing-input";

export interface ExistingListing {
  id: string;
  status: ListingStatus;
  /** As loadListingFields gives them, so sameListingFields tells an unchanged row. */
  fields: ListingFields;
}

/**
 * The seller's listings with these SKUs, locked for the caller's transaction, in three queries
 * whatever their number: what lets an import skip its unchanged rows without a round trip each.
 * Only ever the seller's own listings (the same SKU at another seller is another listing).
 */
export async function loadListingsBySku(db: Db, sellerId: string, skus: readonly string[]): Promise<Map<string, ExistingListing>> {
  const found = new Map<string, ExistingListing>();
  if (skus.length === 0) return found;
  const rows = await db
    .selectFrom("listings")
    .select([
      "id",
      "sku",
      "status",
      "title",
      "description",
      "category_id",
      "unit",
      "currency",
      "list_price_minor",
      "min_order_quantity",
      "stock",
      "lead_time_days",
      "attributes",
      "visibility",
    ])
    .where("seller_id", "=", sellerId)
    .where("sku", "in", skus)
    .orderBy("id")
    .forUpdate()
    .execute();
  if (rows.length === 0) return found;
  const ids = rows.map((r) => r.id);
  const [tiers, groups] = await Promise.all([
    db.selectFrom("listing_price_tiers").select(["listing_id", "min_quantity", "unit_price_minor"]).where("listing_id", "in", ids).orderBy("listing_id").orderBy("min_quantity").execute(),
    db.selectFrom("listing_visibility").select(["listing_id", "group_id"]).where("seller_id", "=", sellerId).where("listing_id", "in", ids).orderBy("listing_id").orderBy("group_id").execute(),
  ]);
  const byId = new Map<string, ExistingListing>();
  for (const row of rows) {
    const listing: ExistingListing = {
      id: row.id,
      status: row.status,
      fields: {
        sku: row.sku,
        title: row.title,
        description: row.description,
        categoryId: row.category_id,
        unit: row.unit,
        currency: row.currency as Currency,
        listPriceMinor: BigInt(row.list_price_minor),
        minOrderQuantity: row.min_order_quantity,
        stock: row.stock,
        leadTimeDays: row.lead_time_days,
        attributes: row.attributes,
        tiers: [],
        visibility: row.visibility,
        groupIds: [],
      },
    };
    byId.set(row.id, listing);
    found.set(row.sku, listing);
  }
  for (const t of tiers) byId.get(t.listing_id)?.fields.tiers.push({ minQuantity: t.min_quantity, unitPriceMinor: BigInt(t.unit_price_minor) });
  for (const g of groups) byId.get(g.listing_id)?.fields.groupIds.push(g.group_id);
  return found;
}
