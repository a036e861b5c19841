import { z } from "zod";
import { unavailable, type PriceSourceKind } from "@souk/domain";
import { FACET_NAMES, PRICE_BANDS, SearchUnavailableError, type FacetCount, type ListingFilters, type SortOrder } from "@souk/search";
import type { ActorDeps, SearchDeps } from "../../deps";
import { parseInput } from "../../input";
import { loadBuyerPricing, priceForBuyer } from "../pricing/buyer-pricing";
import { moneyView, type MoneyView } from "../pricing/money-view";
import { buyerGroupIds } from "../pricing/visibility";
import { assertBuyerCatalogue } from "./shared";

export const CATALOGUE_PAGE_SIZE = 20;
export const CATALOGUE_QUERY_MAX = 200;
export const CATALOGUE_SORTS = ["relevance", "price_asc", "price_desc", "lead_time"] as const satisfies readonly SortOrder[];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * A GET parameter that is kept when it is well formed and otherwise ignored: a search page must
 * answer whatever is in its URL (an old link, a hand-edited one, an attack), and a filter it cannot
 * read is no filter. `read` returns undefined for anything it does not accept.
 */
function lenient<T>(read: (value: string) => T | undefined) {
  // optional(): a missing key must reach the transform too (zod 4 refuses a missing non-optional key).
  return z.unknown().optional().transform((v): T | undefined => (typeof v === "string" && v.trim() !== "" ? read(v.trim()) : undefined));
}

function integerIn(min: number, max: number) {
  return (s: string) => (/^\d{1,9}$/.test(s) && Number(s) >= min && Number(s) <= max ? Number(s) : undefined);
}

export const searchCatalogueSchema = z.object({
  // Longer text is cut, not refused: a pasted paragraph still searches for its beginning.
  q: lenient((s) => [...s].slice(0, CATALOGUE_QUERY_MAX).join("")),
  category: lenient((s) => (UUID.test(s.toLowerCase()) ? s.toLowerCase() : undefined)),
  seller: lenient((s) => (UUID.test(s.toLowerCase()) ? s.toLowerCase() : undefined)),
  priceBand: lenient((s) => PRICE_BANDS.find((b) => b.key === s)?.key),
  maxMoq: lenient(integerIn(1, 1_000_000)),
  maxLeadTime: lenient(integerIn(0, 365)),
  inStock: lenient((s) => (["1", "true", "on", "yes"].includes(s.toLowerCase()) ? true : undefined)),
  sort: lenient((s) => CATALOGUE_SORTS.find((o) => o === s)).transform((s) => s ?? "relevance"),
  // The index clamps a page beyond the last one it serves; the result says which page it is.
  page: lenient(integerIn(1, 100_000)).transform((p) => p ?? 1),
});
export type SearchCatalogueInput = z.input<typeof searchCatalogueSchema>;
/** The search as understood: what the page shows in its form and links (ignored parameters are absent). */
export type CatalogueQuery = z.output<typeof searchCatalogueSchema>;

export interface CatalogueHit {
  id: string;
  sku: string;
  title: string;
  sellerId: string;
  sellerName: string;
  /** Category names from the root down. */
  categoryPath: { en: string[]; fr: string[] };
  unit: string;
  minOrderQuantity: number;
  leadTimeDays: number;
  inStock: boolean;
  listPrice: MoneyView;
  /** The buyer's own unit price at `quantityForPrice`, by the domain price rule. */
  yourPrice: MoneyView;
  priceSource: PriceSourceKind;
  /** The quantity the price is for: the minimum order quantity (at least 1). */
  quantityForPrice: number;
}

export interface LabelledFacetValue<L> extends FacetCount {
  label: L;
}

export interface CatalogueFacets {
  category: LabelledFacetValue<{ en: string; fr: string }>[];
  seller: LabelledFacetValue<string>[];
  /** Values are band keys (`PRICE_BANDS`, `MIN_ORDER_BANDS`, `LEAD_TIME_BANDS`); pages translate `pricing.facet.<facet>.<value>`. */
  priceBand: FacetCount[];
  minOrder: FacetCount[];
  leadTime: FacetCount[];
  /** "true" / "false". */
  inStock: FacetCount[];
}

export interface CatalogueSearchResult {
  hits: CatalogueHit[];
  total: number;
  page: number;
  pageSize: number;
  facets: CatalogueFacets;
  query: CatalogueQuery;
}

/**
 * The buyer's catalogue search: text, filters, facets, sort and page through the listing index,
 * limited to what the buyer may see (its customer groups go with the query), each hit at the
 * buyer's own price for its minimum order quantity.
 *
 * The index is a copy that may lag behind PostgreSQL (a sync in flight, a missed one the
 * reconciliation has not repaired yet), so it is never trusted alone: the page's hits are checked
 * again against the visibility rule in PostgreSQL while they are priced (one batch), and a hit the
 * buyer may not see now is dropped. Prices and minimum order quantities come from PostgreSQL too.
 * An index that cannot answer is UNAVAILABLE (503, `buyerCatalogue.unavailable`).
 */
export async function searchCatalogue(deps: ActorDeps & SearchDeps, input: unknown = {}): Promise<CatalogueSearchResult> {
  const { actor, db } = deps;
  assertBuyerCatalogue(actor);
  // A search is lenient (bad filters are ignored, not refused): a NUL, which PostgreSQL cannot take, is dropped.
  const query = parseInput(searchCatalogueSchema, withoutNul(input));
  const buyerId = actor.organizationId;

  const filters: ListingFilters = {};
  if (query.category !== undefined) filters.categoryId = query.category;
  if (query.seller !== undefined) filters.sellerId = query.seller;
  if (query.priceBand !== undefined) filters.priceBand = query.priceBand;
  if (query.maxMoq !== undefined) filters.maxMinOrderQuantity = query.maxMoq;
  if (query.maxLeadTime !== undefined) filters.maxLeadTimeDays = query.maxLeadTime;
  if (query.inStock !== undefined) filters.inStock = query.inStock;

  const visibility = { buyerGroupIds: await buyerGroupIds(db, buyerId) };
  // An index that cannot answer (stopped, hung, locked) is the page's 503 "search is unavailable",
  // bounded by the adapter's timeout: never a hang, never a partial or stale answer.
  const result = await deps.listingIndex
    .search({ text: query.q, filters, facets: FACET_NAMES, sort: query.sort, page: query.page, pageSize: CATALOGUE_PAGE_SIZE, visibility })
    .catch((error: unknown) => {
      if (error instanceof SearchUnavailableError) throw unavailable("buyerCatalogue.unavailable");
      throw error;
    });

  const pricing = await loadBuyerPricing(db, { buyerId, listingIds: result.hits.map((h) => h.id) });
  const hits: CatalogueHit[] = [];
  for (const hit of result.hits) {
    const listing = pricing.get(hit.id);
    if (!listing) continue;
    const quantityForPrice = Math.max(1, listing.minOrderQuantity);
    const price = priceForBuyer(pricing, hit.id, quantityForPrice);
    hits.push({
      id: hit.id,
      sku: hit.sku,
      title: hit.title,
      sellerId: hit.sellerId,
      sellerName: hit.sellerName,
      categoryPath: hit.categoryPath,
      unit: hit.unit,
      minOrderQuantity: listing.minOrderQuantity,
      leadTimeDays: hit.leadTimeDays,
      inStock: hit.inStock,
      listPrice: moneyView(listing.listing.listPrice),
      yourPrice: moneyView(price.unitPrice),
      priceSource: price.source.kind,
      quantityForPrice,
    });
  }

  return {
    hits,
    // Stale hits dropped from this page are not counted; facet counts stay the index's until it is repaired.
    total: Math.max(0, result.total - (result.hits.length - hits.length)),
    page: result.page,
    pageSize: result.pageSize,
    facets: await labelledFacets(deps, result.facets),
    query: { ...query, page: result.page },
  };
}

async function labelledFacets(deps: ActorDeps, facets: Partial<Record<keyof CatalogueFacets, FacetCount[]>>): Promise<CatalogueFacets> {
  const categoryCounts = (facets.category ?? []).filter((f) => UUID.test(f.value));
  const sellerCounts = (facets.seller ?? []).filter((f) => UUID.test(f.value));
  const [categories, sellers] = await Promise.all([
    categoryCounts.length === 0
      ? []
      : deps.db.selectFrom("categories").select(["id", "name_en", "name_fr"]).where("id", "in", categoryCounts.map((f) => f.value)).execute(),
    sellerCounts.length === 0
      ? []
      : deps.db.selectFrom("organizations").select(["id", "name"]).where("kind", "=", "seller").where("id", "in", sellerCounts.map((f) => f.value)).execute(),
  ]);
  const categoryNames = new Map(categories.map((c) => [c.id, { en: c.name_en, fr: c.name_fr }]));
  const sellerNames = new Map(sellers.map((s) => [s.id, s.name]));
  return {
    category: categoryCounts.flatMap((f) => {
      const label = categoryNames.get(f.value);
      return label ? [{ ...f, label }] : [];
    }),
    seller: sellerCounts.flatMap((f) => {
      const label = sellerNames.get(f.value);
      return label ? [{ ...f, label }] : [];
    }),
    priceBand: facets.priceBand ?? [],
    minOrder: facets.minOrder ?? [],
    leadTime: facets.leadTime ?? [],
    inStock: facets.inStock ?? [],
  };
}

function withoutNul(input: unknown): unknown {
  if (!input || typeof input !== "object") return input;
  return Object.fromEntries(Object.entries(input).map(([k, v]) => [k, typeof v === "string" ? v.replaceAll("\u0000", "") : v]));
}
