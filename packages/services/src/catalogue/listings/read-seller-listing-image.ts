import { notFound } from "@souk/domain";
import type { ActorDeps } from "../../deps";
import type { StorageDeps } from "../../storage/document-storage";
import { readStoredImage, type ListingImageContent } from "./images";
import { assertSellerListingsCan, listingImageRefSchema, parseRefs, type ListingImageRefInput } from "./shared";

export { listingImageRefSchema as readSellerListingImageSchema };
export type ReadSellerListingImageInput = ListingImageRefInput;
export type { ListingImageContent };

/**
 * An image of one of the seller's own listings, whatever the listing's status. An image of another
 * seller's listing is NOT_FOUND, exactly like one that does not exist; a stored file that is
 * missing is an INVARIANT failure.
 */
export async function readSellerListingImage(deps: ActorDeps & StorageDeps, input: unknown): Promise<ListingImageContent> {
  const { actor, storage } = deps;
  assertSellerListingsCan(actor, "read:organization:org");
  const { listingId, imageId } = parseRefs(listingImageRefSchema, input, "Image");
  const row = await deps.db
    .selectFrom("listing_images")
    .select(["original_name", "content_type", "storage_key"])
    .where("id", "=", imageId)
    .where("listing_id", "=", listingId)
    .where("seller_id", "=", actor.organizationId)
    .executeTakeFirst();
  if (!row) throw notFound("Image");
  return readStoredImage(storage, row);
}
