import { sql } from "kysely";
import { withTransaction } from "@souk/db";
import { validationError } from "@souk/domain";
import { formIdOf } from "../../input";
import type { ActorDeps } from "../../deps";
import type { StorageDeps } from "../../storage/document-storage";
import { queueListingSync } from "../sync";
import { assertSellerListingsCan, listingImageRefSchema, lockSellerForListings, lockSellerListing, parseRefs, type ListingImageRefInput } from "./shared";

export { listingImageRefSchema as deleteListingImageSchema };
export type DeleteListingImageInput = ListingImageRefInput;

/**
 * Removes an image of one of the seller's listings. Another seller's listing (the page's URL) is
 * NOT_FOUND; an image that is not the listing's (the delete button's field: another listing's,
 * another seller's, unknown, removed meanwhile) is `imageId`: image.unknown. The row goes in the transaction (with a new listing version and its search sync);
 * the file once it has committed (a file left behind by a crash in between is unreferenced, so
 * never served).
 */
export async function deleteListingImage(deps: ActorDeps & StorageDeps, input: unknown): Promise<{ imageId: string }> {
  const { actor, storage } = deps;
  assertSellerListingsCan(actor, "manage:listings:org");
  const { listingId } = parseRefs(listingImageRefSchema.pick({ listingId: true }), input, "Listing");
  const imageId = formIdOf((input as { imageId?: unknown } | null)?.imageId, "imageId", "image.unknown");
  const sellerId = actor.organizationId;
  const removed = await withTransaction(deps.db, async (trx) => {
    await lockSellerForListings(trx, actor);
    const listing = await lockSellerListing(trx, sellerId, listingId);
    const row = await trx
      .deleteFrom("listing_images")
      .where("id", "=", imageId)
      .where("listing_id", "=", listing.id)
      .where("seller_id", "=", sellerId)
      .returning(["id", "storage_key"])
      .executeTakeFirst();
    if (!row) throw validationError({ imageId: ["image.unknown"] });
    await trx
      .updateTable("listings")
      .set({ version: sql<number>`version + 1`, updated_at: sql<Date>`now()` })
      .where("id", "=", listing.id)
      .where("seller_id", "=", sellerId)
      .execute();
    await queueListingSync(trx, [listing.id]);
    return row;
  });
  await storage.delete(removed.storage_key);
  return { imageId: removed.id };
}
