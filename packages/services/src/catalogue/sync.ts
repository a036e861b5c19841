import type { Db } from "@souk/db";
import { SEARCH_SYNC_BATCH, writeOutbox } from "@souk/jobs";

/**
 * Listing changes reach the search index only through the outbox: call this in the transaction
 * that changed the listings. The search-sync job reads their current state, so queueing a listing
 * that did not change visibly is harmless, and one that changes twice is synced to its last state.
 */
export async function queueListingSync(db: Db, listingIds: readonly string[]): Promise<void> {
  const unique = [...new Set(listingIds)];
  for (let i = 0; i < unique.length; i += SEARCH_SYNC_BATCH) {
    await writeOutbox(db, "search.listing.sync", { listingIds: unique.slice(i, i + SEARCH_SYNC_BATCH) });
  }
}

/** Every listing of a seller (its suspension, reinstatement, a customer group's change). */
export async function queueSellerSync(db: Db, sellerId: string): Promise<void> {
  await writeOutbox(db, "search.seller.sync", { sellerId });
}
