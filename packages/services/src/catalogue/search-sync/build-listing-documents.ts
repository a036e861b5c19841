import type { Db } from "@souk/db";
import { listingIsSearchable, type ListingStatus, type OrganizationStatus } from "@souk/domain";
import { listingChecksum, type ListingDocument } from "@souk/search";

/**
 * Which listings to read:
 * - `{ listingIds }`: those listings, whatever their status (the ones that are not searchable, or no
 *   longer exist, are the ones to remove from the index);
 * - `{ sellerId, afterId?, limit }`: one page of a seller's listings, whatever their status, by id;
 * - `{ afterId, limit }`: one page of the searchable listings of all sellers, by id (reconciliation).
 */
export type ListingDocumentSelector =
  | { listingIds: readonly string[] }
  | { sellerId: string; afterId?: string | null; limit: number }
  | { afterId: string | null; limit: number };

export interface ListingDocumentBatch {
  /** The document of every searchable listing read. */
  docs: ListingDocument[];
  /** Every listing id the selector covers: the ids asked for, or the ids of the page read. */
  listingIds: string[];
  searchableIds: Set<string>;
  /** The last id of a full page (read the next page after it); null when there is no next page. */
  nextAfterId: string | null;
}

interface CategoryNode {
  parentId: string | null;
  en: string;
  fr: string;
}

/**
 * Builds the search documents of listings from PostgreSQL, the source of truth, in four queries
 * whatever the number of listings (listings with their sellers, the category tree, visibility
 * groups). A listing is searchable while it is published and its seller active
 * (`listingIsSearchable`); its document carries only listing fields a buyer allowed to see it may
 * see anyway (never offers, bids or RFQs), with the category's ancestors so that a filter on a
 * parent category finds it, and its visibility groups so that the index can hide it from others.
 */
export async function buildListingDocuments(db: Db, selector: ListingDocumentSelector): Promise<ListingDocumentBatch> {
  let query = db
    .selectFrom("listings as l")
    .innerJoin("organizations as o", "o.id", "l.seller_id")
    .select([
      "l.id",
      "l.seller_id",
      "o.name as seller_name",
      "o.status as seller_status",
      "l.sku",
      "l.title",
      "l.description",
      "l.category_id",
      "l.unit",
      "l.currency",
      "l.list_price_minor",
      "l.min_order_quantity",
      "l.stock",
      "l.lead_time_days",
      "l.attributes",
      "l.visibility",
      "l.status",
      "l.updated_at",
    ])
    .orderBy("l.id");

  let requestedIds: string[] | null = null;
  let limit: number | null = null;
  if ("listingIds" in selector) {
    requestedIds = [...new Set(selector.listingIds)];
    if (requestedIds.length === 0) return { docs: [], listingIds: [], searchableIds: new Set(), nextAfterId: null };
    query = query.where("l.id", "in", requestedIds);
  } else {
    limit = selector.limit;
    if ("sellerId" in selector) {
      query = query.where("l.seller_id", "=", selector.sellerId);
    } else {
      query = query.where("l.status", "=", "published").where("o.status", "=", "active");
    }
    if (selector.afterId) query = query.where("l.id", ">", selector.afterId);
    query = query.limit(limit);
  }
  const rows = await query.execute();

  const searchable = rows.filter((r) => listingIsSearchable(r.status as ListingStatus, r.seller_status as OrganizationStatus));
  const [categories, groups] = await Promise.all([
    searchable.length > 0 ? db.selectFrom("categories").select(["id", "parent_id", "name_en", "name_fr"]).execute() : [],
    loadVisibilityGroups(db, searchable.filter((r) => r.visibility === "groups").map((r) => r.id)),
  ]);
  const tree = new Map<string, CategoryNode>(categories.map((c) => [c.id, { parentId: c.parent_id, en: c.name_en, fr: c.name_fr }]));

  const docs = searchable.map((row) => {
    const lineage = categoryLineage(tree, row.category_id);
    const doc: Omit<ListingDocument, "checksum"> = {
      id: row.id,
      sellerId: row.seller_id,
      sellerName: row.seller_name,
      sku: row.sku,
      title: row.title,
      description: row.description,
      categoryIds: lineage.map((c) => c.id),
      categoryPath: { en: lineage.map((c) => c.en), fr: lineage.map((c) => c.fr) },
      unit: row.unit,
      currency: row.currency,
      listPriceMinor: String(row.list_price_minor),
      minOrderQuantity: row.min_order_quantity,
      leadTimeDays: row.lead_time_days,
      inStock: row.stock > 0,
      // A listing restricted to groups whose groups were all deleted is visible to nobody.
      visibility: row.visibility === "everyone" ? "everyone" : { groups: groups.get(row.id) ?? [] },
      attributes: row.attributes,
      updatedAt: row.updated_at.toISOString(),
    };
    return { ...doc, checksum: listingChecksum(doc) };
  });

  const full = limit !== null && rows.length === limit;
  return {
    docs,
    listingIds: requestedIds ?? rows.map((r) => r.id),
    searchableIds: new Set(docs.map((d) => d.id)),
    nextAfterId: full ? rows[rows.length - 1]!.id : null,
  };
}

async function loadVisibilityGroups(db: Db, listingIds: string[]): Promise<Map<string, string[]>> {
  const groups = new Map<string, string[]>();
  if (listingIds.length === 0) return groups;
  const rows = await db
    .selectFrom("listing_visibility")
    .select(["listing_id", "group_id"])
    .where("listing_id", "in", listingIds)
    .orderBy("listing_id")
    .orderBy("group_id")
    .execute();
  for (const row of rows) {
    const list = groups.get(row.listing_id) ?? [];
    list.push(row.group_id);
    groups.set(row.listing_id, list);
  }
  return groups;
}

/** The category and its ancestors, root first; the depth cap guards against a parent cycle written by hand. */
function categoryLineage(tree: ReadonlyMap<string, CategoryNode>, categoryId: string): (CategoryNode & { id: string })[] {
  const lineage: (CategoryNode & { id: string })[] = [];
  for (let id: string | null = categoryId; id !== null && lineage.length < 32; ) {
    const node = tree.get(id);
    if (!node) break;
    lineage.unshift({ id, ...node });
    id = node.parentId;
  }
  return lineage;
}
