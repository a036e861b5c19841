import { z } from "zod";
import { SEARCH_SYNC_BATCH } from "@souk/jobs";
import type { SearchDeps, ServiceDeps } from "../../deps";
import { parseInput } from "../../input";
import { buildListingDocuments } from "./build-listing-documents";
import { applyBatch, type SyncResult } from "./shared";

export const syncListingsSchema = z.object({
  listingIds: z
    .array(z.string().trim().toLowerCase().pipe(z.uuid({ error: "listingIds.invalid" })), { error: "listingIds.invalid" })
    .min(1, { error: "listingIds.required" })
    .max(SEARCH_SYNC_BATCH, { error: "listingIds.too_many" }),
});
export type SyncListingsInput = z.input<typeof syncListingsSchema>;

/**
 * The search-sync job of changed listings: reads their current state from PostgreSQL and makes the
 * index say the same (upsert the searchable ones, remove the others). It never trusts what the
 * job says about the change, so a retry, a duplicate or a late job is harmless: running it twice
 * gives the same index. The caller runs these one at a time (the search queue), so an older read
 * never lands after a newer one.
 */
export async function syncListings(deps: ServiceDeps & SearchDeps, input: unknown): Promise<SyncResult> {
  const { listingIds } = parseInput(syncListingsSchema, input);
  return applyBatch(deps.listingIndex, await buildListingDocuments(deps.db, { listingIds }));
}
