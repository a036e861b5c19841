import { z } from "zod";
import type { Db } from "@souk/db";
import { LISTING_STATUSES, type ListingStatus } from "@souk/domain";
import type { ActorDeps } from "../../deps";
import { parseInput } from "../../input";
import { offsetOf, optionalFilter, pageField, type Page } from "../../list-input";
import { containsPattern } from "../../list-input";
import { assertSellerListingsCan, LISTING_QUERY_MAX, moneyView, type MoneyView } from "./shared";

export const SELLER_LISTINGS_PAGE_SIZE = 25;

export const listSellerListingsSchema = z.object({
  /** Part of the title or the SKU. */
  q: optionalFilter(z.string({ error: "listing.filter.query_invalid" }).trim().max(LISTING_QUERY_MAX, { error: "listing.filter.query_too_long" })),
  status: optionalFilter(z.enum(LISTING_STATUSES, { error: "listing.filter.status_invalid" })),
  page: pageField("listing.filter.page_invalid"),
});
export type ListSellerListingsInput = z.input<typeof listSellerListingsSchema>;

export interface SellerListingRow {
  id: string;
  sku: string;
  title: string;
  status: ListingStatus;
  categoryName: { en: string; fr: string };
  listPrice: MoneyView;
  stock: number;
  minOrderQuantity: number;
  leadTimeDays: number;
  visibility: "everyone" | "groups";
  /** ISO 8601. */
  updatedAt: string;
}

export interface SellerListingsPage extends Page<SellerListingRow> {
  /** The seller's listings per status under the text filter: the list's tabs. */
  counts: Record<ListingStatus, number>;
}

/** The seller's own listings, most recently changed first, filtered by text and status. */
export async function listSellerListings(deps: ActorDeps, input: unknown = {}): Promise<SellerListingsPage> {
  const { actor, db } = deps;
  assertSellerListingsCan(actor, "read:organization:org");
  const filters = parseInput(listSellerListingsSchema, input);

  const countRows = await ofSeller(db, actor.organizationId, filters.q)
    .select(["l.status", (eb) => eb.fn.countAll<string>().as("n")])
    .groupBy("l.status")
    .execute();
  const counts = Object.fromEntries(LISTING_STATUSES.map((s) => [s, 0])) as Record<ListingStatus, number>;
  for (const row of countRows) counts[row.status] = Number(row.n);
  const total = filters.status ? counts[filters.status] : Object.values(counts).reduce((a, b) => a + b, 0);

  const rows = await ofSeller(db, actor.organizationId, filters.q)
    .innerJoin("categories as c", "c.id", "l.category_id")
    .$if(filters.status !== undefined, (qb) => qb.where("l.status", "=", filters.status as ListingStatus))
    .select([
      "l.id",
      "l.sku",
      "l.title",
      "l.status",
      "c.name_en",
      "c.name_fr",
      "l.list_price_minor",
      "l.currency",
      "l.stock",
      "l.min_order_quantity",
      "l.lead_time_days",
      "l.visibility",
      "l.updated_at",
    ])
    .orderBy("l.updated_at", "desc")
    .orderBy("l.id", "desc")
    .limit(SELLER_LISTINGS_PAGE_SIZE)
    .offset(offsetOf(filters.page, SELLER_LISTINGS_PAGE_SIZE))
    .execute();

  return {
    items: rows.map((r) => ({
      id: r.id,
      sku: r.sku,
      title: r.title,
      status: r.status,
      categoryName: { en: r.name_en, fr: r.name_fr },
      listPrice: moneyView(r.list_price_minor, r.currency),
      stock: r.stock,
      minOrderQuantity: r.min_order_quantity,
      leadTimeDays: r.lead_time_days,
      visibility: r.visibility,
      updatedAt: r.updated_at.toISOString(),
    })),
    page: filters.page,
    pageSize: SELLER_LISTINGS_PAGE_SIZE,
    total,
    counts,
  };
}

function ofSeller(db: Db, sellerId: string, q: string | undefined) {
  return db
    .selectFrom("listings as l")
    .where("l.seller_id", "=", sellerId)
    .$if(q !== undefined, (qb) => qb.where((eb) => eb.or([eb("l.title", "ilike", containsPattern(q as string)), eb("l.sku", "ilike", containsPattern(q as string))])));
}
