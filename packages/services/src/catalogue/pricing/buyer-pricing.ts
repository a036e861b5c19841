import { sql } from "kysely";
import type { Db } from "@souk/db";
import {
  money,
  notFound,
  resolveUnitPrice,
  type BuyerPriceListAssignment,
  type Currency,
  type GroupPriceListAssignment,
  type PriceBreak,
  type PriceListForListing,
  type PricingInput,
  type ResolvedPrice,
} from "@souk/domain";
import { visibleListingsQuery } from "./visibility";

/** Everything the price rule needs about one listing for one buyer, but the quantity. */
export type PricingInputWithoutQuantity = Omit<PricingInput, "quantity">;

export interface BuyerListingPricing extends PricingInputWithoutQuantity {
  readonly listingId: string;
  readonly sellerId: string;
  /** Not a pricing concern (see the rule), but what pages price by default. */
  readonly minOrderQuantity: number;
}

/** Listing id → its pricing for one buyer. Only listings the buyer may see are in it. */
export type BuyerPricing = ReadonlyMap<string, BuyerListingPricing>;

export interface LoadBuyerPricingInput {
  buyerId: string;
  listingIds: readonly string[];
  /** The instant prices are asked for; default: the database's now() (the transaction's start inside one). */
  at?: Date;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Loads, for a batch of listings, what the domain price rule needs to price them for `buyerId`:
 * list price and volume tiers, the price lists assigned to the buyer itself and to the customer
 * groups it belongs to — only the listing's own seller's, since a group and its lists belong to a
 * seller — with their validity and only the entries of those listings. Whether a list applies
 * (currency, validity at `at`) and which break wins is left to `resolveUnitPrice`, never decided
 * here.
 *
 * Listings the buyer may not see (the visibility rule) are left out, so nothing can be priced for
 * a buyer that is not allowed to see it. At most four queries, whatever the number of listings.
 */
export async function loadBuyerPricing(db: Db, input: LoadBuyerPricingInput): Promise<BuyerPricing> {
  const { buyerId } = input;
  const ids = [...new Set(input.listingIds)].filter((id) => UUID.test(id));
  const pricing = new Map<string, BuyerListingPricing>();
  if (ids.length === 0) return pricing;

  const listings = await visibleListingsQuery(db, buyerId)
    .select(["l.id", "l.seller_id as sellerId", "l.currency", "l.list_price_minor as listPriceMinor", "l.min_order_quantity as minOrderQuantity", sql<Date>`now()`.as("now")])
    .where("l.id", "in", ids)
    .execute();
  if (listings.length === 0) return pricing;
  const at = input.at ?? listings[0]!.now;
  const listingIds = listings.map((l) => l.id);
  const sellerIds = [...new Set(listings.map((l) => l.sellerId))];

  const [tiers, assignments] = await Promise.all([
    db.selectFrom("listing_price_tiers").select(["listing_id as listingId", "min_quantity as minQuantity", "unit_price_minor as unitPriceMinor"]).where("listing_id", "in", listingIds).execute(),
    db
      .selectFrom("price_list_assignments as pa")
      .innerJoin("price_lists as pl", (join) => join.onRef("pl.id", "=", "pa.price_list_id").onRef("pl.seller_id", "=", "pa.seller_id"))
      .select([
        "pa.seller_id as sellerId",
        "pa.buyer_id as buyerId",
        "pa.group_id as groupId",
        "pa.priority",
        "pl.id as priceListId",
        "pl.currency",
        "pl.valid_from as validFrom",
        "pl.valid_to as validTo",
        "pl.created_at as createdAt",
      ])
      .where("pa.seller_id", "in", sellerIds)
      .where((eb) =>
        eb.or([
          eb("pa.buyer_id", "=", buyerId),
          eb(
            "pa.group_id",
            "in",
            eb.selectFrom("customer_group_members as m").select("m.group_id").where("m.buyer_id", "=", buyerId).whereRef("m.seller_id", "=", "pa.seller_id"),
          ),
        ]),
      )
      .execute(),
  ]);

  const priceListIds = [...new Set(assignments.map((a) => a.priceListId))];
  const entries =
    priceListIds.length === 0
      ? []
      : await db
          .selectFrom("price_list_entries")
          .select(["price_list_id as priceListId", "listing_id as listingId", "min_quantity as minQuantity", "unit_price_minor as unitPriceMinor"])
          .where("price_list_id", "in", priceListIds)
          .where("listing_id", "in", listingIds)
          .execute();

  const currencies = new Map(listings.map((l) => [l.id, l.currency as Currency]));
  const listCurrencies = new Map(assignments.map((a) => [a.priceListId, a.currency as Currency]));
  const tiersOf = groupBy(tiers, (t) => t.listingId, (t): PriceBreak => ({ minQuantity: t.minQuantity, unitPrice: money(BigInt(t.unitPriceMinor), currencies.get(t.listingId)!) }));
  const entriesOf = groupBy(
    entries,
    (e) => `${e.priceListId}/${e.listingId}`,
    (e): PriceBreak => ({ minQuantity: e.minQuantity, unitPrice: money(BigInt(e.unitPriceMinor), listCurrencies.get(e.priceListId)!) }),
  );

  for (const listing of listings) {
    const currency = listing.currency as Currency;
    const buyerPriceLists: BuyerPriceListAssignment[] = [];
    const groupPriceLists: GroupPriceListAssignment[] = [];
    for (const a of assignments) {
      if (a.sellerId !== listing.sellerId) continue;
      const priceList: PriceListForListing = {
        id: a.priceListId,
        currency: a.currency as Currency,
        validFrom: a.validFrom,
        validTo: a.validTo,
        createdAt: a.createdAt,
        entries: entriesOf.get(`${a.priceListId}/${listing.id}`) ?? [],
      };
      if (a.buyerId !== null) buyerPriceLists.push({ priority: a.priority, priceList });
      else if (a.groupId !== null) groupPriceLists.push({ groupId: a.groupId, priority: a.priority, priceList });
    }
    pricing.set(listing.id, {
      listingId: listing.id,
      sellerId: listing.sellerId,
      minOrderQuantity: listing.minOrderQuantity,
      at,
      listing: { listPrice: money(BigInt(listing.listPriceMinor), currency), tiers: tiersOf.get(listing.id) ?? [] },
      buyerPriceLists,
      groupPriceLists,
    });
  }
  return pricing;
}

/**
 * The buyer's unit price for `quantity` of a listing of `pricing`, by the domain rule and nothing
 * else. A listing that is not in `pricing` (unknown, or not visible to the buyer) is NOT_FOUND.
 */
export function priceForBuyer(pricing: BuyerPricing, listingId: string, quantity: number): ResolvedPrice {
  const input = pricing.get(listingId);
  if (!input) throw notFound("Listing");
  return resolveUnitPrice({
    listing: input.listing,
    at: input.at,
    buyerPriceLists: input.buyerPriceLists,
    groupPriceLists: input.groupPriceLists,
    quantity,
  });
}

function groupBy<T, V>(rows: readonly T[], key: (row: T) => string, value: (row: T) => V): Map<string, V[]> {
  const out = new Map<string, V[]>();
  for (const row of rows) {
    const k = key(row);
    const list = out.get(k);
    if (list) list.push(value(row));
    else out.set(k, [value(row)]);
  }
  return out;
}

export interface BuyerPriceBreak {
  /** From this quantity on (up to the next break's), the buyer pays `price.unitPrice`. */
  fromQuantity: number;
  price: ResolvedPrice;
}

/**
 * The buyer's own price table for a listing from `fromQuantity` on (usually its minimum order
 * quantity): the rule's answer at every quantity where some source has a break. Between two of
 * those quantities no source changes its answer, so the rule's does not either; each row is thus
 * exactly what `priceForBuyer` gives for any quantity up to the next row. Consecutive rows with
 * the same price from the same source are merged.
 */
export function priceBreaksForBuyer(pricing: BuyerPricing, listingId: string, fromQuantity: number): BuyerPriceBreak[] {
  const input = pricing.get(listingId);
  if (!input) throw notFound("Listing");
  const quantities = new Set([fromQuantity]);
  const breaks = [
    ...input.listing.tiers,
    ...(input.buyerPriceLists ?? []).flatMap((a) => a.priceList.entries),
    ...(input.groupPriceLists ?? []).flatMap((a) => a.priceList.entries),
  ];
  for (const b of breaks) if (b.minQuantity > fromQuantity) quantities.add(b.minQuantity);

  const rows: BuyerPriceBreak[] = [];
  for (const quantity of [...quantities].sort((a, b) => a - b)) {
    const price = priceForBuyer(pricing, listingId, quantity);
    const last = rows.at(-1);
    if (last && last.price.unitPrice.amount === price.unitPrice.amount && sameSource(last.price, price)) continue;
    rows.push({ fromQuantity: quantity, price });
  }
  return rows;
}

function sameSource(a: ResolvedPrice, b: ResolvedPrice): boolean {
  const listOf = (p: ResolvedPrice) => ("priceListId" in p.source ? p.source.priceListId : null);
  return a.source.kind === b.source.kind && listOf(a) === listOf(b);
}
