import { Meilisearch, MeilisearchApiError, MeilisearchRequestError, MeilisearchRequestTimeOutError, type EnqueuedTaskPromise, type Settings } from "meilisearch";
import {
  assertListingDocument,
  bandOf,
  LEAD_TIME_BANDS,
  MAX_FACET_VALUES,
  MAX_TOTAL_HITS,
  MIN_ORDER_BANDS,
  normalisePaging,
  PRICE_BANDS,
  SEARCH_TIMEOUT_MS,
  SearchUnavailableError,
  toHit,
  type FacetCount,
  type FacetName,
  type ListingDocument,
  type ListingHit,
  type ListingIndex,
  type ListingSearchResult,
} from "../port";
import { buildMeiliFilter, EVERYONE, groupToken, MEILI_FACET_ATTRIBUTES, MEILI_FILTER_ATTRIBUTES, MEILI_SORTS } from "./filter";

export interface MeilisearchConfig {
  url: string;
  /** Master or admin key: settings and writes only. */
  adminKey: string;
  /** A key whose only action is `search`: every query uses it, never the admin key. */
  searchKey: string;
  indexUid?: string;
  /** How long a write may wait for its task. */
  taskTimeoutMs?: number;
}

/** What Meilisearch stores: the port's document plus the derived fields it filters, facets and sorts on. */
type MeiliListing = ListingDocument & {
  visibleTo: string[];
  priceBand: string;
  minOrderBand: string;
  leadTimeBand: string;
  listPriceSort: number;
};

const HIT_FIELDS: (keyof ListingHit)[] = [
  "id", "sellerId", "sellerName", "sku", "title", "description", "categoryIds", "categoryPath", "unit", "currency",
  "listPriceMinor", "minOrderQuantity", "leadTimeDays", "inStock", "attributes", "updatedAt",
];

/** The index settings, kept as code and applied by `configure()`. */
export const MEILI_SETTINGS: Settings = {
  // Order is ranking weight: title and sku first, then categories, then description and seller.
  searchableAttributes: ["title", "sku", "categoryPath.en", "categoryPath.fr", "description", "sellerName"],
  filterableAttributes: [...new Set([...Object.values(MEILI_FILTER_ATTRIBUTES), ...Object.values(MEILI_FACET_ATTRIBUTES)])],
  sortableAttributes: ["listPriceSort", "leadTimeDays", "id"],
  displayedAttributes: ["*"],
  typoTolerance: {
    enabled: true,
    minWordSizeForTypos: { oneTypo: 5, twoTypos: 9 },
    // Codes are typed exactly; a near SKU is another product.
    disableOnAttributes: ["sku"],
  },
  pagination: { maxTotalHits: MAX_TOTAL_HITS },
  faceting: { maxValuesPerFacet: MAX_FACET_VALUES },
};

/** Waits for the task and fails loudly: an enqueued write is not a done write. */
async function done(task: EnqueuedTaskPromise, timeout: number, allowErrorCode?: string): Promise<void> {
  const result = await task.waitTask({ timeout });
  if (result.status === "succeeded") return;
  if (allowErrorCode && result.error?.code === allowErrorCode) return;
  throw new Error(
    `Meilisearch task ${result.uid} (${result.type}) ${result.status}: ${result.error?.code ?? "?"} ${result.error?.message ?? ""}`,
  );
}

export function toMeiliListing(doc: ListingDocument): MeiliListing {
  return {
    ...doc,
    visibleTo: doc.visibility === "everyone" ? [EVERYONE] : doc.visibility.groups.map(groupToken),
    priceBand: bandOf(PRICE_BANDS, Number(doc.listPriceMinor)),
    minOrderBand: bandOf(MIN_ORDER_BANDS, doc.minOrderQuantity),
    leadTimeBand: bandOf(LEAD_TIME_BANDS, doc.leadTimeDays),
    listPriceSort: Number(doc.listPriceMinor),
  };
}

export function createMeilisearchListingIndex(config: MeilisearchConfig): ListingIndex {
  if (!config.searchKey || config.searchKey === config.adminKey) {
    throw new Error("Meilisearch needs a search-only key for queries, distinct from the admin key");
  }
  const uid = config.indexUid ?? "listings";
  const timeout = config.taskTimeoutMs ?? 30_000;
  const admin = new Meilisearch({ host: config.url, apiKey: config.adminKey });
  // Searches are bounded (a page waits for them); index writes and reads of the worker are not.
  const searcher = new Meilisearch({ host: config.url, apiKey: config.searchKey, timeout: SEARCH_TIMEOUT_MS });
  const writeIndex = admin.index<MeiliListing>(uid);
  const readIndex = searcher.index<MeiliListing>(uid);

  return {
    name: "meilisearch",

    async configure() {
      await done(admin.createIndex(uid, { primaryKey: "id" }), timeout, "index_already_exists");
      await done(writeIndex.updateSettings(MEILI_SETTINGS), timeout);
    },

    async upsert(docs) {
      docs.forEach(assertListingDocument);
      if (docs.length === 0) return;
      // addDocuments replaces whole documents by id (not a partial update), like the PostgreSQL adapter.
      await done(writeIndex.addDocuments(docs.map(toMeiliListing), { primaryKey: "id" }), timeout);
    },

    async remove(ids) {
      if (ids.length === 0) return;
      await done(writeIndex.deleteDocuments([...ids]), timeout);
    },

    async search(query): Promise<ListingSearchResult> {
      const { page, pageSize } = normalisePaging(query);
      const facetNames = [...new Set(query.facets ?? [])].filter((f) => f in MEILI_FACET_ATTRIBUTES);
      const response = await readIndex
        .search(query.text ?? "", {
          filter: buildMeiliFilter(query),
          facets: facetNames.map((f) => MEILI_FACET_ATTRIBUTES[f]),
          sort: MEILI_SORTS[query.sort ?? "relevance"],
          page,
          hitsPerPage: pageSize,
          attributesToRetrieve: HIT_FIELDS,
        })
        .catch((error: unknown) => {
          if (isUnavailable(error)) throw new SearchUnavailableError(`Meilisearch unavailable: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
          throw error;
        });
      const facets: Partial<Record<FacetName, FacetCount[]>> = {};
      for (const name of facetNames) {
        const distribution = response.facetDistribution?.[MEILI_FACET_ATTRIBUTES[name]] ?? {};
        facets[name] = Object.entries(distribution)
          .map(([value, count]) => ({ value, count }))
          .sort((a, b) => b.count - a.count || a.value.localeCompare(b.value))
          .slice(0, MAX_FACET_VALUES);
      }
      return {
        hits: response.hits.map((h) => toHit(h as ListingDocument)),
        total: response.totalHits,
        facets,
        page,
        pageSize,
      };
    },

    async stats() {
      const checksums: Record<string, string> = {};
      const limit = 1_000;
      for (let offset = 0; ; offset += limit) {
        const batch = await writeIndex.getDocuments({ fields: ["id", "checksum"], limit, offset });
        for (const d of batch.results) checksums[d.id] = d.checksum;
        if (batch.results.length < limit) break;
      }
      return { count: Object.keys(checksums).length, checksums };
    },

  } satisfies ListingIndex;
}

/**
 * Meilisearch cannot answer now: no connection (stopped, unreachable), no answer within the
 * timeout (hung), a server-side failure, or an index that does not exist yet. An API error about
 * the query itself (a bad filter) is a bug and stays one.
 */
function isUnavailable(error: unknown): boolean {
  if (error instanceof MeilisearchRequestError || error instanceof MeilisearchRequestTimeOutError) return true;
  return error instanceof MeilisearchApiError && (error.response.status >= 500 || error.cause?.code === "index_not_found");
}

/** Deletes an index (test isolation and full reindex); waits for the task. */
export async function deleteMeilisearchIndex(config: Pick<MeilisearchConfig, "url" | "adminKey" | "indexUid" | "taskTimeoutMs">): Promise<void> {
  const admin = new Meilisearch({ host: config.url, apiKey: config.adminKey });
  await done(admin.deleteIndex(config.indexUid ?? "listings"), config.taskTimeoutMs ?? 30_000, "index_not_found");
}
