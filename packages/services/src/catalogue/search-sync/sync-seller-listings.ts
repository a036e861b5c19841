import { z } from "zod";
import { SEARCH_SYNC_BATCH } from "@souk/jobs";
import type { SearchDeps, ServiceDeps } from "../../deps";
import { idField, parseInput } from "../../input";
import { buildListingDocuments } from "./build-listing-documents";
import { applyBatch, type SyncResult } from "./shared";

export const syncSellerListingsSchema = z.object({ sellerId: idField("sellerId") });
export type SyncSellerListingsInput = z.input<typeof syncSellerListingsSchema>;

/**
 * Every listing of a seller to the index, by batches of SEARCH_SYNC_BATCH: after a suspension all
 * leave it (the seller is not active), after a reinstatement the published ones come back. Like
 * syncListings it reads the current state, so it is idempotent and order-proof: a late
 * `seller.suspended` sync run after the reinstatement's finds the seller active and keeps them.
 */
export async function syncSellerListings(deps: ServiceDeps & SearchDeps, input: unknown): Promise<SyncResult> {
  const { sellerId } = parseInput(syncSellerListingsSchema, input);
  const total: SyncResult = { upserted: 0, removed: 0 };
  let afterId: string | null = null;
  do {
    const batch = await buildListingDocuments(deps.db, { sellerId, afterId, limit: SEARCH_SYNC_BATCH });
    const result = await applyBatch(deps.listingIndex, batch);
    total.upserted += result.upserted;
    total.removed += result.removed;
    afterId = batch.nextAfterId;
  } while (afterId !== null);
  return total;
}
