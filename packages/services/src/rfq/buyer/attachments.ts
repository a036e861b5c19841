import { z } from "zod";
import { validationError } from "@souk/domain";
import { DOCUMENT_ACCEPT } from "../../sellers/documents";

/**
 * The rules for an RFQ's attachments (drawings, specifications): PDF, PNG, JPEG or WebP by their
 * first bytes, 10 MiB at most, 10 per RFQ. Shared by the upload and the pages.
 */
export const RFQ_ATTACHMENT_LIMITS = {
  maxBytes: 10 * 1024 * 1024,
  maxPerRfq: 10,
} as const;

/** For the file input's `accept` attribute: a hint to the browser's picker, not a check. */
export const RFQ_ATTACHMENT_ACCEPT = DOCUMENT_ACCEPT;

/** An uploaded file as the routes hand it over (read from a multipart form), or a web File. */
export const rfqUploadSchema = z.union([
  z.instanceof(Blob),
  z.object({
    name: z.string().max(4096),
    /** What the browser claims; never trusted. */
    type: z.string().max(255).optional(),
    bytes: z.instanceof(Uint8Array),
  }),
]);

/** The upload's name and bytes; a web File is read only once its size is known to be within the limit. */
export async function readRfqUpload(file: unknown): Promise<{ name: string; bytes: Uint8Array }> {
  const parsed = rfqUploadSchema.safeParse(file);
  if (!parsed.success) throw validationError({ file: ["rfqAttachment.required"] });
  const value = parsed.data;
  if (!(value instanceof Blob)) return { name: value.name, bytes: value.bytes };
  if (value.size > RFQ_ATTACHMENT_LIMITS.maxBytes) throw validationError({ file: ["rfqAttachment.too_large"] });
  return { name: value instanceof File ? value.name : "", bytes: new Uint8Array(await value.arrayBuffer()) };
}
