import { z } from "zod";
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
