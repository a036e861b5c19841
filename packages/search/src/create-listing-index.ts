import type { Kysely } from "kysely";
import type { Database } from "@souk/db";
import type { ListingIndex } from "./port";
import type { SearchEnv } from "./env";
import { createPostgresListingIndex } from "./postgres/postgres-listing-index";
import { createMeilisearchListingIndex } from "./meilisearch/meilisearch-listing-index";

export interface ListingIndexConfig {
  db: Kysely<Database>;
  search: SearchEnv;
}

/** Meilisearch when `MEILI_URL` is set (its keys are then required), PostgreSQL full text otherwise. */
export function createListingIndex(config: ListingIndexConfig): ListingIndex {
  const { meiliUrl, meiliAdminKey, meiliSearchKey, meiliIndexUid } = config.search;
  if (!meiliUrl) return createPostgresListingIndex(config.db);
  if (!meiliAdminKey || !meiliSearchKey) {
    throw new Error("MEILI_URL is set: MEILI_ADMIN_KEY (or MEILI_MASTER_KEY) and MEILI_SEARCH_KEY are required too");
  }
  return createMeilisearchListingIndex({
    url: meiliUrl,
    adminKey: meiliAdminKey,
    searchKey: meiliSearchKey,
    ...(meiliIndexUid ? { indexUid: meiliIndexUid } : {}),
  });
}
