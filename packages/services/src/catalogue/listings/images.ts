import { z } from "zod";
import type { ListingImageContentType } from "@souk/db";
import { DomainError, validationError } from "@souk/domain";
import type { StorageDeps } from "../../storage/document-storage";
import { detectDocumentType } from "../../sellers/documents";

/**
 * The rules for a listing's images: PNG, JPEG or WebP, 5 MiB at most, 8 per listing. The type is
 * decided by the file's first bytes, never by its name or the content type the browser claims.
 */
export const LISTING_IMAGE_LIMITS = {
  maxBytes: 5 * 1024 * 1024,
  maxPerListing: 8,
  types: ["image/png", "image/jpeg", "image/webp"],
} as const satisfies { maxBytes: number; maxPerListing: number; types: readonly ListingImageContentType[] };

/** For the file input's `accept` attribute: a hint to the browser's picker, not a check. */
export const LISTING_IMAGE_ACCEPT = ".png,.jpg,.jpeg,.webp,image/png,image/jpeg,image/webp";

/** The image's type from its magic bytes, or null when it is none of the accepted types. */
export function detectListingImageType(bytes: Uint8Array): ListingImageContentType | null {
  const type = detectDocumentType(bytes);
  return type === null || type === "application/pdf" ? null : type;
}

/** An uploaded file as the routes read it from a multipart form. */
export const uploadedFileSchema = z.union([
  z.instanceof(Blob),
  z.object({
    name: z.string().max(4096),
    /** What the browser claims; recorded nowhere, never trusted. */
    type: z.string().max(255).optional(),
    bytes: z.instanceof(Uint8Array),
  }),
]);

export interface UploadedFile {
  name: string;
  bytes: Uint8Array;
}

/** The bytes of an upload; a web `File` is read only once its size is known to be within the limit. */
export async function readUpload(file: z.output<typeof uploadedFileSchema>): Promise<UploadedFile> {
  if (!(file instanceof Blob)) return { name: file.name, bytes: file.bytes };
  if (file.size > LISTING_IMAGE_LIMITS.maxBytes) throw validationError({ file: ["image.too_large"] });
  return { name: file instanceof File ? file.name : "", bytes: new Uint8Array(await file.arrayBuffer()) };
}

/** The image's content type, or the field error that refuses it (nothing is stored then). */
export function checkListingImage(file: UploadedFile): ListingImageContentType {
  const { bytes } = file;
  // A form sent without choosing a file carries an empty part with an empty name.
  if (bytes.byteLength === 0) throw validationError({ file: [file.name === "" ? "image.required" : "image.empty"] });
  if (bytes.byteLength > LISTING_IMAGE_LIMITS.maxBytes) throw validationError({ file: ["image.too_large"] });
  const contentType = detectListingImageType(bytes);
  if (!contentType) throw validationError({ file: ["image.type_not_allowed"] });
  return contentType;
}

export interface ListingImageContent {
  bytes: Uint8Array;
  contentType: ListingImageContentType;
  fileName: string;
}

/** The bytes of a stored image row; a row whose file is gone is a bug or a lost disk, never served empty. */
export async function readStoredImage(
  storage: StorageDeps["storage"],
  row: { original_name: string; content_type: ListingImageContentType; storage_key: string },
): Promise<ListingImageContent> {
  const bytes = await storage.get(row.storage_key);
  if (!bytes) throw new DomainError("INVARIANT", "image.unavailable");
  return { bytes, contentType: row.content_type, fileName: row.original_name };
}
