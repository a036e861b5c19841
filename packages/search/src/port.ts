import { createHash } from "node:crypto";

/**
 * The listing index port. A `ListingDocument` is a denormalised, search-only copy of a published
 * listing, rebuilt from PostgreSQL (the source of truth) by the search-sync job. It never carries
 * bid, offer or RFQ data: only what a buyer allowed to see the listing may see anyway.
 */
export interface ListingDocument {
  id: string;
  sellerId: string;
  sellerName: string;
  sku: string;
  title: string;
  description: string;
  /** The listing's category and all its ancestors, so a filter on a parent category finds it. */
  categoryIds: string[];
  /** Category names from the root to the listing's category, in both languages. */
  categoryPath: { en: string[]; fr: string[] };
  unit: string;
  /** ISO 4217. */
  currency: string;
  /**
   * List price in minor units as a decimal integer string (e.g. "12550" for 125.50). A string, not
   * a bigint, so the document survives JSON (queues, Meilisearch) unchanged; adapters reject values
   * above Number.MAX_SAFE_INTEGER, which is where they need a number to sort on.
   */
  listPriceMinor: string;
  minOrderQuantity: number;
  leadTimeDays: number;
  inStock: boolean;
  visibility: "everyone" | { groups: string[] };
  attributes: Record<string, string>;
  /** ISO 8601 timestamp of the listing change this document reflects. */
  updatedAt: string;
  /** Computed by `listingChecksum`; reconciliation compares it with PostgreSQL's. */
  checksum: string;
}

/** What a result carries: never the visibility groups (a buyer must not learn them) nor the checksum. */
export type ListingHit = Omit<ListingDocument, "visibility" | "checksum">;

export type FacetName = "category" | "seller" | "priceBand" | "minOrder" | "leadTime" | "inStock";
export const FACET_NAMES: readonly FacetName[] = ["category", "seller", "priceBand", "minOrder", "leadTime", "inStock"];
export type SortOrder = "relevance" | "price_asc" | "price_desc" | "lead_time";

export interface ListingFilters {
  /** Matches the category and everything under it. */
  categoryId?: string;
  sellerId?: string;
  priceBand?: string;
  maxMinOrderQuantity?: number;
  maxLeadTimeDays?: number;
  inStock?: boolean;
}

export interface ListingQuery {
  text?: string;
  filters?: ListingFilters;
  facets?: readonly FacetName[];
  sort?: SortOrder;
  /** 1-based. */
  page?: number;
  /** 1..MAX_PAGE_SIZE, clamped. */
  pageSize?: number;
  /** A listing visible only to groups is returned only when the buyer is in one of them. */
  visibility: { buyerGroupIds: readonly string[] };
}

export interface FacetCount {
  value: string;
  count: number;
}

export interface ListingSearchResult {
  hits: ListingHit[];
  total: number;
  facets: Partial<Record<FacetName, FacetCount[]>>;
  page: number;
  pageSize: number;
}

export interface ListingIndexStats {
  count: number;
  /** Every document's checksum by id (the whole map: reconciliation diffs it with PostgreSQL). */
  checksums: Record<string, string>;
}

export interface ListingIndex {
  readonly name: "postgres" | "meilisearch";
  /** Creates the index and applies its settings; idempotent. */
  configure(): Promise<void>;
  /** Inserts or replaces whole documents by id; idempotent. Resolves only once searchable. */
  upsert(docs: readonly ListingDocument[]): Promise<void>;
  /** Removes documents by id; unknown ids are ignored. */
  remove(ids: readonly string[]): Promise<void>;
  /**
   * Rejects with SearchUnavailableError when the engine cannot answer now (stopped, unreachable,
   * locked, or slower than SEARCH_TIMEOUT_MS); anything else it throws is a bug.
   */
  search(query: ListingQuery): Promise<ListingSearchResult>;
  stats(): Promise<ListingIndexStats>;
}

/**
 * The index cannot answer now: its engine is stopped, unreachable, locked (the PostgreSQL table
 * under a VACUUM FULL or a migration) or too slow. A buyer is told to search again later; nothing
 * else of the page depends on it.
 */
export class SearchUnavailableError extends Error {
  override readonly name = "SearchUnavailableError";
}

/**
 * Longest a search may take before it is given up as unavailable: a page waits for it, and a hung
 * engine must not hold the buyer (nor a server connection) indefinitely.
 */
export const SEARCH_TIMEOUT_MS = 3_000;
/** Of which the PostgreSQL adapter waits at most this long for a lock on its table. */
export const SEARCH_LOCK_TIMEOUT_MS = 2_000;

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;
/** Deep pages are not useful to a buyer and cost both engines; Meilisearch's maxTotalHits too. */
export const MAX_TOTAL_HITS = 10_000;
/** Facet values returned per facet, most frequent first (Meilisearch's maxValuesPerFacet too). */
export const MAX_FACET_VALUES = 100;

interface Band {
  key: string;
  /** Inclusive lower bound. */
  min: number;
  /** Exclusive upper bound; null = no bound. */
  max: number | null;
}

/**
 * Fixed price bands, in minor units of the listing's own currency (bands are not converted between
 * currencies): under 10, 10–50, 50–100, 100–500, 500–1,000, 1,000 and more.
 */
export const PRICE_BANDS: readonly Band[] = [
  { key: "under-10", min: 0, max: 1_000 },
  { key: "10-50", min: 1_000, max: 5_000 },
  { key: "50-100", min: 5_000, max: 10_000 },
  { key: "100-500", min: 10_000, max: 50_000 },
  { key: "500-1000", min: 50_000, max: 100_000 },
  { key: "1000-plus", min: 100_000, max: null },
];
/** Minimum order quantity buckets (facet only; the filter is `maxMinOrderQuantity`). */
export const MIN_ORDER_BANDS: readonly Band[] = [
  { key: "1", min: 0, max: 2 },
  { key: "2-10", min: 2, max: 11 },
  { key: "11-100", min: 11, max: 101 },
  { key: "101-1000", min: 101, max: 1_001 },
  { key: "1001-plus", min: 1_001, max: null },
];
/** Lead time buckets in days (facet only; the filter is `maxLeadTimeDays`). */
export const LEAD_TIME_BANDS: readonly Band[] = [
  { key: "0-2", min: 0, max: 3 },
  { key: "3-7", min: 3, max: 8 },
  { key: "8-14", min: 8, max: 15 },
  { key: "15-30", min: 15, max: 31 },
  { key: "31-plus", min: 31, max: null },
];

export function bandOf(bands: readonly Band[], value: number): string {
  const band = bands.find((b) => value >= b.min && (b.max === null || value < b.max));
  return (band ?? bands[0]!).key;
}

/** Throws on a document an adapter could not index faithfully (a bug upstream, not user input). */
export function assertListingDocument(doc: ListingDocument): void {
  const problems: string[] = [];
  if (!/^[A-Za-z0-9_-]{1,100}$/.test(doc.id)) problems.push("id");
  if (!doc.sellerId) problems.push("sellerId");
  if (!/^\d{1,16}$/.test(doc.listPriceMinor) || !Number.isSafeInteger(Number(doc.listPriceMinor))) problems.push("listPriceMinor");
  if (!Number.isSafeInteger(doc.minOrderQuantity) || doc.minOrderQuantity < 0) problems.push("minOrderQuantity");
  if (!Number.isSafeInteger(doc.leadTimeDays) || doc.leadTimeDays < 0) problems.push("leadTimeDays");
  if (Number.isNaN(Date.parse(doc.updatedAt))) problems.push("updatedAt");
  if (doc.visibility !== "everyone" && !Array.isArray(doc.visibility.groups)) problems.push("visibility");
  if (problems.length > 0) throw new Error(`Invalid listing document ${JSON.stringify(doc.id)}: ${problems.join(", ")}`);
}

/** Stable across key order, so PostgreSQL's side and the index's side agree. */
export function listingChecksum(doc: Omit<ListingDocument, "checksum">): string {
  const stable = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(stable);
    if (value && typeof value === "object") {
      return Object.fromEntries(
        Object.keys(value as Record<string, unknown>)
          .filter((k) => k !== "checksum")
          .sort()
          .map((k) => [k, stable((value as Record<string, unknown>)[k])]),
      );
    }
    return value;
  };
  return createHash("sha256").update(JSON.stringify(stable(doc))).digest("hex");
}

export function toHit(doc: ListingDocument): ListingHit {
  return {
    id: doc.id,
    sellerId: doc.sellerId,
    sellerName: doc.sellerName,
    sku: doc.sku,
    title: doc.title,
    description: doc.description,
    categoryIds: doc.categoryIds,
    categoryPath: doc.categoryPath,
    unit: doc.unit,
    currency: doc.currency,
    listPriceMinor: doc.listPriceMinor,
    minOrderQuantity: doc.minOrderQuantity,
    leadTimeDays: doc.leadTimeDays,
    inStock: doc.inStock,
    attributes: doc.attributes,
    updatedAt: doc.updatedAt,
  };
}

export function normalisePaging(query: ListingQuery): { page: number; pageSize: number } {
  const pageSize = Math.min(MAX_PAGE_SIZE, Math.max(1, Math.trunc(Number(query.pageSize ?? DEFAULT_PAGE_SIZE)) || DEFAULT_PAGE_SIZE));
  const maxPage = Math.max(1, Math.floor(MAX_TOTAL_HITS / pageSize));
  const page = Math.min(maxPage, Math.max(1, Math.trunc(Number(query.page ?? 1)) || 1));
  return { page, pageSize };
}

/** Numeric filters come from untrusted input upstream; anything not a finite number is ignored. */
export function numericFilter(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? Math.floor(value) : undefined;
}
