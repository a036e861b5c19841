export * from "./build-listing-documents";
export * from "./sync-listings";
export * from "./sync-seller-listings";
export * from "./reconcile-search-index";
export * from "./request-search-reindex";
export * from "./schedule-search-reconcile";
export * from "./get-search-index-health";
export { RUN_STALE_AFTER_MINUTES, type SearchIndexRunKind, type SyncResult } from "./shared";
