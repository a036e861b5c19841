import { z } from "zod";
import { DomainError, notFound } from "@souk/domain";
import type { ListingImageContentType } from "@souk/db";
import type { ActorDeps } from "../../deps";
import type { StorageDeps } from "../../storage/document-storage";
import { parseInput } from "../../input";
import { existingId } from "../pricing/shared";
import { visibleListingsQuery } from "../pricing/visibility";
import { assertBuyerCatalogue } from "./shared";

export const readBuyerListingImageSchema = z.object({ listingId: z.unknown().optional(), imageId: z.unknown().optional() });
export type ReadBuyerListingImageInput = z.input<typeof readBuyerListingImageSchema>;

export interface BuyerListingImage {
  bytes: Uint8Array;
  contentType: ListingImageContentType;
  fileName: string;
}

/**
 * An image of a listing the buyer may see. Whatever is wrong — no such listing, a listing the buyer
 * may not see, an image of another listing — the answer is the same NOT_FOUND, so an image URL
 * cannot be used to probe for restricted listings.
 */
export async function readBuyerListingImage(deps: ActorDeps & StorageDeps, input: unknown): Promise<BuyerListingImage> {
  assertBuyerCatalogue(deps.actor);
  const data = parseInput(readBuyerListingImageSchema, input);
  const listingId = existingId(data.listingId, "Listing");
  const imageId = existingId(data.imageId, "Listing");
  const image = await visibleListingsQuery(deps.db, deps.actor.organizationId)
    .innerJoin("listing_images as i", (join) => join.onRef("i.listing_id", "=", "l.id").onRef("i.seller_id", "=", "l.seller_id"))
    .select(["i.storage_key as storageKey", "i.content_type as contentType", "i.original_name as fileName"])
    .where("l.id", "=", listingId)
    .where("i.id", "=", imageId)
    .executeTakeFirst();
  if (!image) throw notFound("Listing");
  const bytes = await deps.storage.get(image.storageKey);
  if (!bytes) throw new DomainError("INVARIANT", "listingImage.unavailable");
  return { bytes, contentType: image.contentType, fileName: image.fileName };
}
