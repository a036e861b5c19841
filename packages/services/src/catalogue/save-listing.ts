import { sql } from "kysely";
import type { Db, ListingStatusColumn } from "@souk/db";
import { conflict, notFound, validationError, type Currency, type FieldErrors } from "@souk/domain";
import type { ListingFields, ListingTier } from "./listing-input";

export type SaveListingOutcome = "created" | "updated" | "unchanged";

export interface SaveListingTarget {
  sellerId: string;
  /** Update this listing (scoped to the seller: another seller's id is "not found"). */
  listingId?: string;
}

export interface CatalogueLookups {
  /** Category ids that exist. */
  categoryIds: ReadonlySet<string>;
  /** The seller's customer group ids. */
  groupIds: ReadonlySet<string>;
}

/** The category ids and the seller's group ids, loaded once per form post or per import. */
export async function loadCatalogueLookups(db: Db, sellerId: string): Promise<CatalogueLookups> {
  const [categories, groups] = await Promise.all([
    db.selectFrom("categories").select("id").execute(),
    db.selectFrom("customer_groups").select("id").where("seller_id", "=", sellerId).execute(),
  ]);
  return { categoryIds: new Set(categories.map((c) => c.id)), groupIds: new Set(groups.map((g) => g.id)) };
}

/** Field errors for references a pure check cannot see: an unknown category, a group not the seller's. */
export function referenceErrors(fields: ListingFields, lookups: CatalogueLookups): FieldErrors {
  const errors: FieldErrors = {};
  if (!lookups.categoryIds.has(fields.categoryId)) errors.categoryId = ["category.unknown"];
  if (fields.groupIds.some((id) => !lookups.groupIds.has(id))) errors.groupIds = ["groupIds.unknown"];
  return errors;
}

export interface StoredListing {
  id: string;
  status: ListingStatusColumn;
  /** As parseListingFields returns them, so sameListingFields tells an unchanged listing. */
  fields: ListingFields;
}

/**
 * The seller's listings with these ids or SKUs (never another seller's), as stored, in three
 * queries whatever their number; with `lock`, locked for the caller's transaction. Keyed by what
 * was asked for (id or SKU). The one reader behind the form (saveListing) and the import's batches.
 */
export async function loadStoredListings(
  db: Db,
  sellerId: string,
  where: { ids: readonly string[] } | { skus: readonly string[] },
  lock: boolean,
): Promise<Map<string, StoredListing>> {
  const found = new Map<string, StoredListing>();
  const keys = "ids" in where ? where.ids : where.skus;
  if (keys.length === 0) return found;
  let query = db
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
    .where("ids" in where ? "id" : "sku", "in", keys)
    .orderBy("id");
  if (lock) query = query.forUpdate();
  const rows = await query.execute();
  if (rows.length === 0) return found;
  const ids = rows.map((r) => r.id);
  const [tiers, groups] = await Promise.all([
    db.selectFrom("listing_price_tiers").select(["listing_id", "min_quantity", "unit_price_minor"]).where("listing_id", "in", ids).orderBy("listing_id").orderBy("min_quantity").execute(),
    db.selectFrom("listing_visibility").select(["listing_id", "group_id"]).where("seller_id", "=", sellerId).where("listing_id", "in", ids).orderBy("listing_id").orderBy("group_id").execute(),
  ]);
  const byId = new Map<string, StoredListing>();
  for (const row of rows) {
    const listing: StoredListing = {
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
    found.set("ids" in where ? row.id : row.sku, listing);
  }
  for (const t of tiers) byId.get(t.listing_id)?.fields.tiers.push({ minQuantity: t.min_quantity, unitPriceMinor: BigInt(t.unit_price_minor) });
  for (const g of groups) byId.get(g.listing_id)?.fields.groupIds.push(g.group_id);
  return found;
}

/** One of the seller's listings, by id or SKU (see loadStoredListings). */
export async function loadListingFields(db: Db, sellerId: string, where: { id: string } | { sku: string }, lock: boolean): Promise<StoredListing | null> {
  const key = "id" in where ? where.id : where.sku;
  const found = await loadStoredListings(db, sellerId, "id" in where ? { ids: [where.id] } : { skus: [where.sku] }, lock);
  return found.get(key) ?? null;
}

/**
 * Listings (among `listingIds`) that appear in a price list: their currency may not change, because a
 * price list in the old currency would stop applying (the price rule skips it) and the buyers under
 * contract would silently fall back to the list price.
 */
export async function listingsInPriceLists(db: Db, sellerId: string, listingIds: readonly string[]): Promise<Set<string>> {
  if (listingIds.length === 0) return new Set();
  const rows = await db
    .selectFrom("price_list_entries")
    .select("listing_id")
    .distinct()
    .where("seller_id", "=", sellerId)
    .where("listing_id", "in", listingIds)
    .execute();
  return new Set(rows.map((r) => r.listing_id));
}

export const CURRENCY_LOCKED = "currency.locked_by_price_lists";

function sameTiers(a: readonly ListingTier[], b: readonly ListingTier[]): boolean {
  return a.length === b.length && a.every((t, i) => t.minQuantity === b[i]!.minQuantity && t.unitPriceMinor === b[i]!.unitPriceMinor);
}

function sameAttributes(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && a[k] === b[k]);
}

export function sameListingFields(a: ListingFields, b: ListingFields): boolean {
  return (
    a.sku === b.sku &&
    a.title === b.title &&
    a.description === b.description &&
    a.categoryId === b.categoryId &&
    a.unit === b.unit &&
    a.currency === b.currency &&
    a.listPriceMinor === b.listPriceMinor &&
    a.minOrderQuantity === b.minOrderQuantity &&
    a.stock === b.stock &&
    a.leadTimeDays === b.leadTimeDays &&
    a.visibility === b.visibility &&
    sameAttributes(a.attributes, b.attributes) &&
    sameTiers(a.tiers, b.tiers) &&
    a.groupIds.length === b.groupIds.length &&
    a.groupIds.every((g, i) => g === b.groupIds[i])
  );
}

/**
 * Writes a listing's fields, its tiers and its visibility, in the caller's transaction: creates it
 * (as a draft) when `target.listingId` is absent and the seller has no listing with that SKU,
 * otherwise updates it — unless nothing differs, in which case nothing is written at all (no new
 * version, no search sync), which is what makes re-importing the same file a no-op.
 * The status is never changed here (publishing is a move of the listing state machine).
 *
 * The caller validated `fields` (parseListingFields) and their references (referenceErrors); the
 * database constraints stay the last line (a category deleted meanwhile, a concurrent SKU).
 * The caller queues the search sync of the returned id when the outcome is not "unchanged".
 */
export async function saveListing(trx: Db, target: SaveListingTarget, fields: ListingFields): Promise<{ id: string; outcome: SaveListingOutcome }> {
  const { sellerId } = target;
  const existing = target.listingId
    ? await loadListingFields(trx, sellerId, { id: target.listingId }, true)
    : await loadListingFields(trx, sellerId, { sku: fields.sku }, true);
  if (target.listingId && !existing) throw notFound("Listing");
  if (existing && sameListingFields(existing.fields, fields)) return { id: existing.id, outcome: "unchanged" };

  const values = {
    sku: fields.sku,
    title: fields.title,
    description: fields.description,
    category_id: fields.categoryId,
    unit: fields.unit,
    currency: fields.currency,
    list_price_minor: fields.listPriceMinor.toString(),
    min_order_quantity: fields.minOrderQuantity,
    stock: fields.stock,
    lead_time_days: fields.leadTimeDays,
    attributes: JSON.stringify(fields.attributes),
    visibility: fields.visibility,
  };

  if (existing && existing.fields.currency !== fields.currency && (await listingsInPriceLists(trx, sellerId, [existing.id])).size > 0) {
    throw validationError({ currency: [CURRENCY_LOCKED] });
  }

  let id: string;
  if (existing) {
    if (fields.sku !== existing.fields.sku) {
      const taken = await trx.selectFrom("listings").select("id").where("seller_id", "=", sellerId).where("sku", "=", fields.sku).executeTakeFirst();
      if (taken) throw validationError({ sku: ["sku.taken"] });
    }
    await trx
      .updateTable("listings")
      .set({ ...values, version: sql<number>`version + 1`, updated_at: sql<Date>`now()` })
      .where("id", "=", existing.id)
      .where("seller_id", "=", sellerId)
      .execute();
    id = existing.id;
  } else {
    const row = await trx
      .insertInto("listings")
      .values({ ...values, seller_id: sellerId })
      .onConflict((oc) => oc.columns(["seller_id", "sku"]).doNothing())
      .returning("id")
      .executeTakeFirst();
    // Another request created the same SKU between our read and our insert.
    if (!row) throw conflict("sku.taken", { sku: ["sku.taken"] });
    id = row.id;
  }

  if (!existing || !sameTiers(existing.fields.tiers, fields.tiers)) {
    await trx.deleteFrom("listing_price_tiers").where("listing_id", "=", id).execute();
    if (fields.tiers.length > 0) {
      await trx
        .insertInto("listing_price_tiers")
        .values(fields.tiers.map((t) => ({ listing_id: id, min_quantity: t.minQuantity, unit_price_minor: t.unitPriceMinor.toString() })))
        .execute();
    }
  }
  const groupsChanged = !existing || existing.fields.groupIds.join() !== fields.groupIds.join();
  if (groupsChanged) {
    await trx.deleteFrom("listing_visibility").where("listing_id", "=", id).execute();
    if (fields.groupIds.length > 0) {
      await trx
        .insertInto("listing_visibility")
        .values(fields.groupIds.map((groupId) => ({ listing_id: id, group_id: groupId, seller_id: sellerId })))
        .execute();
    }
  }
  return { id, outcome: existing ? "updated" : "created" };
}
