import { z } from "zod";
import type { Db } from "@souk/db";
import { LISTING_STATUSES, type ListingStatus, type OrganizationStatus } from "@souk/domain";
import type { ActorDeps } from "../../deps";
import { parseInput } from "../../input";
import { offsetOf, optionalFilter, pageField, type Page } from "../../list-input";
import type { SellerListingRow } from "../listings/list-seller-listings";
import { containsPattern } from "../../list-input";
import { LISTING_QUERY_MAX, moneyView } from "../listings/shared";
import { assertModerator } from "./shared";

export const MODERATION_LISTINGS_PAGE_SIZE = 25;

export const listListingsForModerationSchema = z.object({
  /** Part of the title, the SKU or the seller's name. */
  q: optionalFilter(z.string({ error: "listing.filter.query_invalid" }).trim().max(LISTING_QUERY_MAX, { error: "listing.filter.query_too_long" })),
  status: optionalFilter(z.enum(LISTING_STATUSES, { error: "listing.filter.status_invalid" })),
  sellerId: optionalFilter(z.string({ error: "listing.filter.seller_invalid" }).trim().toLowerCase().pipe(z.uuid({ error: "listing.filter.seller_invalid" }))),
  page: pageField("listing.filter.page_invalid"),
});
export type ListListingsForModerationInput = z.input<typeof listListingsForModerationSchema>;

export interface ModerationListingRow extends SellerListingRow {
  sellerId: string;
  sellerName: string;
  sellerStatus: OrganizationStatus;
}

export interface ModerationListingsPage extends Page<ModerationListingRow> {
  /** Listings per status under the other filters: the list's tabs. */
  counts: Record<ListingStatus, number>;
}

type Filters = z.output<typeof listListingsForModerationSchema>;

/** Every seller's listings, most recently changed first, for operators who moderate them. */
export async function listListingsForModeration(deps: ActorDeps, input: unknown = {}): Promise<ModerationListingsPage> {
  const { actor, db } = deps;
  assertModerator(actor);
  const filters = parseInput(listListingsForModerationSchema, input);

  const countRows = await matching(db, filters)
    .select(["l.status", (eb) => eb.fn.countAll<string>().as("n")])
    .groupBy("l.status")
    .execute();
  const counts = Object.fromEntries(LISTING_STATUSES.map((s) => [s, 0])) as Record<ListingStatus, number>;
  for (const row of countRows) counts[row.status] = Number(row.n);
  const total = filters.status ? counts[filters.status] : Object.values(counts).reduce((a, b) => a + b, 0);

  const rows = await matching(db, filters)
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
      "s.id as sellerId",
      "s.name as sellerName",
      "s.status as sellerStatus",
    ])
    .orderBy("l.updated_at", "desc")
    .orderBy("l.id", "desc")
    .limit(MODERATION_LISTINGS_PAGE_SIZE)
    .offset(offsetOf(filters.page, MODERATION_LISTINGS_PAGE_SIZE))
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
      sellerId: r.sellerId,
      sellerName: r.sellerName,
      sellerStatus: r.sellerStatus,
    })),
    page: filters.page,
    pageSize: MODERATION_LISTINGS_PAGE_SIZE,
    total,
    counts,
  };
}

/** Listings under every filter but the status. */
function matching(db: Db, filters: Filters) {
  const q = filters.q;
  return db
    .selectFrom("listings as l")
    .innerJoin("organizations as s", "s.id", "l.seller_id")
    .$if(filters.sellerId !== undefined, (qb) => qb.where("l.seller_id", "=", filters.sellerId as string))
    .$if(q !== undefined, (qb) =>
      qb.where((eb) => {
        const pattern = containsPattern(q as string);
        return eb.or([eb("l.title", "ilike", pattern), eb("l.sku", "ilike", pattern), eb("s.name", "ilike", pattern)]);
      }),
    );
}
