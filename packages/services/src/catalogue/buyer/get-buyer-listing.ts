import { sql } from "kysely";
import { z } from "zod";
import { notFound, type PriceSourceKind } from "@souk/domain";
import type { ActorDeps } from "../../deps";
import { parseInput } from "../../input";
import { loadBuyerPricing, priceBreaksForBuyer, priceForBuyer } from "../pricing/buyer-pricing";
import { moneyView, type MoneyView } from "../pricing/money-view";
import { existingId, PRICE_LIST_MAX_QUANTITY } from "../pricing/shared";
import { visibleListingsQuery } from "../pricing/visibility";
import { assertBuyerCatalogue } from "./shared";

export const getBuyerListingSchema = z.object({
  listingId: z.unknown().optional(),
  /** Kept as typed: a quantity the page cannot price is reported (`quantityError`), not fatal. */
  quantity: z.unknown().optional(),
});
export type GetBuyerListingInput = z.input<typeof getBuyerListingSchema>;

export interface BuyerListingPrice {
  quantity: number;
  unitPrice: MoneyView;
  lineTotal: MoneyView;
  source: PriceSourceKind;
  /** The break of the source that gave the price ("from 100 units"). */
  sourceMinQuantity: number;
}

export interface BuyerListingDetail {
  id: string;
  sku: string;
  title: string;
  description: string;
  unit: string;
  currency: string;
  category: { id: string; path: { en: string[]; fr: string[] } };
  attributes: Record<string, string>;
  minOrderQuantity: number;
  stock: number;
  inStock: boolean;
  leadTimeDays: number;
  listPrice: MoneyView;
  /** The listing's public volume tiers. */
  tiers: { minQuantity: number; unitPrice: MoneyView }[];
  images: { id: string; contentType: string }[];
  seller: { id: string; name: string };
  /** The buyer's price for the asked quantity (the minimum order quantity when none, or a bad one, was asked). */
  price: BuyerListingPrice;
  /** The asked quantity is below the minimum order quantity: priced, but it cannot be ordered. */
  belowMinimum: boolean;
  /** "buyerListing.quantity_invalid" when the asked quantity was not a whole number from 1 up. */
  quantityError: string | null;
  /** The buyer's own price table from the minimum order quantity on (see priceBreaksForBuyer). */
  priceBreaks: { fromQuantity: number; unitPrice: MoneyView; source: PriceSourceKind }[];
  updatedAt: string;
}

function readQuantity(value: unknown): { quantity: number | null; error: string | null } {
  if (value === undefined || value === null || (typeof value === "string" && value.trim() === "")) return { quantity: null, error: null };
  const text = typeof value === "number" ? String(value) : typeof value === "string" ? value.trim() : "";
  const quantity = /^\d{1,10}$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(quantity) || quantity < 1 || quantity > PRICE_LIST_MAX_QUANTITY) return { quantity: null, error: "buyerListing.quantity_invalid" };
  return { quantity, error: null };
}

/**
 * A listing's page for a buyer: its details, images, seller, the buyer's price for a quantity and
 * the buyer's price table. A listing the buyer may not see (the visibility rule) is NOT_FOUND
 * exactly like one that does not exist, so a direct URL tells an outsider nothing.
 */
export async function getBuyerListing(deps: ActorDeps, input: unknown): Promise<BuyerListingDetail> {
  const { actor, db } = deps;
  assertBuyerCatalogue(actor);
  const data = parseInput(getBuyerListingSchema, input);
  const listingId = existingId(data.listingId, "Listing");
  const buyerId = actor.organizationId;

  const listing = await visibleListingsQuery(db, buyerId)
    .select([
      "l.id",
      "l.sku",
      "l.title",
      "l.description",
      "l.unit",
      "l.currency",
      "l.category_id as categoryId",
      "l.attributes",
      "l.stock",
      "l.lead_time_days as leadTimeDays",
      "l.updated_at as updatedAt",
      "s.id as sellerId",
      "s.name as sellerName",
    ])
    .where("l.id", "=", listingId)
    .executeTakeFirst();
  if (!listing) throw notFound("Listing");

  const [pricing, images, lineage] = await Promise.all([
    loadBuyerPricing(db, { buyerId, listingIds: [listing.id] }),
    db
      .selectFrom("listing_images")
      .select(["id", "content_type as contentType"])
      .where("listing_id", "=", listing.id)
      .where("seller_id", "=", listing.sellerId)
      .orderBy("position")
      .orderBy("created_at")
      .orderBy("id")
      .execute(),
    sql<{ name_en: string; name_fr: string }>`
      with recursive lineage (id, parent_id, name_en, name_fr, depth) as (
        select id, parent_id, name_en, name_fr, 0 from categories where id = ${listing.categoryId}
        union all
        select c.id, c.parent_id, c.name_en, c.name_fr, lineage.depth + 1
        from categories c join lineage on c.id = lineage.parent_id
        where lineage.depth < 32
      )
      select name_en, name_fr from lineage order by depth desc`.execute(db),
  ]);
  // Unpublished between the two reads: the same answer as if it had been a moment earlier.
  const terms = pricing.get(listing.id);
  if (!terms) throw notFound("Listing");

  const minOrderQuantity = terms.minOrderQuantity;
  const asked = readQuantity(data.quantity);
  const quantity = asked.quantity ?? minOrderQuantity;
  const price = priceForBuyer(pricing, listing.id, quantity);

  return {
    id: listing.id,
    sku: listing.sku,
    title: listing.title,
    description: listing.description,
    unit: listing.unit,
    currency: listing.currency,
    category: { id: listing.categoryId, path: { en: lineage.rows.map((c) => c.name_en), fr: lineage.rows.map((c) => c.name_fr) } },
    attributes: listing.attributes,
    minOrderQuantity,
    stock: listing.stock,
    inStock: listing.stock > 0,
    leadTimeDays: listing.leadTimeDays,
    listPrice: moneyView(terms.listing.listPrice),
    tiers: [...terms.listing.tiers].sort((a, b) => a.minQuantity - b.minQuantity).map((t) => ({ minQuantity: t.minQuantity, unitPrice: moneyView(t.unitPrice) })),
    images,
    seller: { id: listing.sellerId, name: listing.sellerName },
    price: {
      quantity,
      unitPrice: moneyView(price.unitPrice),
      lineTotal: moneyView(price.lineTotal),
      source: price.source.kind,
      sourceMinQuantity: price.source.minQuantity,
    },
    belowMinimum: quantity < minOrderQuantity,
    quantityError: asked.error,
    priceBreaks: priceBreaksForBuyer(pricing, listing.id, minOrderQuantity).map((b) => ({
      fromQuantity: b.fromQuantity,
      unitPrice: moneyView(b.price.unitPrice),
      source: b.price.source.kind,
    })),
    updatedAt: listing.updatedAt.toISOString(),
  };
}
