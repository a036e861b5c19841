import { sql } from "kysely";
import { z } from "zod";
import { withTransaction, type ListingImageContentType } from "@souk/db";
import { validationError } from "@souk/domain";
import type { ActorDeps } from "../../deps";
import { documentName } from "../../sellers/documents";
import { newStorageKey, type StorageDeps } from "../../storage/document-storage";
import { queueListingSync } from "../sync";
import { checkListingImage, LISTING_IMAGE_LIMITS, readUpload, uploadedFileSchema } from "./images";
import { assertSellerListingsCan, idRef, listingRefSchema, lockSellerForListings, lockSellerListing, parseRefs } from "./shared";

export const uploadListingImageSchema = z.object({ listingId: idRef, file: uploadedFileSchema });
export type UploadListingImageInput = z.input<typeof uploadListingImageSchema>;

export interface UploadedListingImage {
  id: string;
  originalName: string;
  contentType: ListingImageContentType;
  sizeBytes: number;
}

/**
 * Adds an image to one of the seller's listings. Refused with a field error of `file`, with
 * nothing stored (no file, no row), when it is missing or empty, over 5 MiB, not a PNG/JPEG/WebP
 * by its first bytes, or the listing already has 8. Another seller's listing is NOT_FOUND.
 *
 * The file is written under a fresh random key before the row is inserted, and removed again if
 * the transaction fails, so a committed row always has its file. Buyers see images, so the
 * listing gets a new version and its search sync is queued.
 */
export async function uploadListingImage(deps: ActorDeps & StorageDeps, input: unknown): Promise<UploadedListingImage> {
  const { actor, storage } = deps;
  assertSellerListingsCan(actor, "manage:listings:org");
  const { listingId } = parseRefs(listingRefSchema, input, "Listing");
  const parsed = uploadListingImageSchema.safeParse(input);
  if (!parsed.success) throw validationError({ file: ["image.required"] });
  const file = await readUpload(parsed.data.file);
  const contentType = checkListingImage(file);
  const bytes = file.bytes;
  const originalName = documentName(file.name);
  const sellerId = actor.organizationId;

  const key = newStorageKey(["listings", sellerId]);
  let written = false;
  try {
    return await withTransaction(deps.db, async (trx) => {
      await lockSellerForListings(trx, actor);
      // Under the listing's lock: two uploads at once cannot both take the last place.
      const listing = await lockSellerListing(trx, sellerId, listingId);
      const { n, last } = await trx
        .selectFrom("listing_images")
        .select((eb) => [eb.fn.countAll<string>().as("n"), eb.fn.max("position").as("last")])
        .where("listing_id", "=", listing.id)
        .where("seller_id", "=", sellerId)
        .executeTakeFirstOrThrow();
      if (Number(n) >= LISTING_IMAGE_LIMITS.maxPerListing) throw validationError({ file: ["image.too_many"] });

      await storage.put(key, bytes);
      written = true;
      const row = await trx
        .insertInto("listing_images")
        .values({
          listing_id: listing.id,
          seller_id: sellerId,
          original_name: originalName,
          content_type: contentType,
          size_bytes: bytes.byteLength,
          storage_key: key,
          position: last === null ? 0 : Number(last) + 1,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      await trx
        .updateTable("listings")
        .set({ version: sql<number>`version + 1`, updated_at: sql<Date>`now()` })
        .where("id", "=", listing.id)
        .where("seller_id", "=", sellerId)
        .execute();
      await queueListingSync(trx, [listing.id]);
      return { id: row.id, originalName, contentType, sizeBytes: bytes.byteLength };
    });
  } catch (error) {
    // Also when the commit itself fails: no row, so no file either.
    if (written) await storage.delete(key).catch(() => undefined);
    throw error;
  }
}
