import { notFound } from "@souk/domain";
import type { ActorDeps } from "../../deps";
import type { StorageDeps } from "../../storage/document-storage";
import { readStoredImage, type ListingImageContent } from "../listings/images";
import { listingImageRefSchema, parseRefs, type ListingImageRefInput } from "../listings/shared";
import { assertModerator } from "./shared";

export { listingImageRefSchema as readModeratedListingImageSchema };
export type ReadModeratedListingImageInput = ListingImageRefInput;

/** An image of any seller's listing, whatever its status: moderators judge images too. */
export async function readModeratedListingImage(deps: ActorDeps & StorageDeps, input: unknown): Promise<ListingImageContent> {
  const { actor, storage } = deps;
  assertModerator(actor);
  const { listingId, imageId } = parseRefs(listingImageRefSchema, input, "Image");
  const row = await deps.db
    .selectFrom("listing_images")
    .select(["original_name", "content_type", "storage_key"])
    .where("id", "=", imageId)
    .where("listing_id", "=", listingId)
    .executeTakeFirst();
  if (!row) throw notFound("Image");
  return readStoredImage(storage, row);
}
