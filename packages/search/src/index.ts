export * from "./port";
export * from "./env";
export * from "./create-listing-index";
export { createPostgresListingIndex } from "./postgres/postgres-listing-index";
export {
  createMeilisearchListingIndex,
  deleteMeilisearchIndex,
  MEILI_SETTINGS,
  type MeilisearchConfig,
} from "./meilisearch/meilisearch-listing-index";
export { buildMeiliFilter } from "./meilisearch/filter";
