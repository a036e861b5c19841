import { z } from "zod";
import type { DocumentContentType } from "@souk/db";
import { notFound } from "@souk/domain";

/**
 * The rules for a seller's supporting documents (registration extract, VAT certificate, ID of the
 * signatory...): PDF or an image, 10 MiB at most, 10 per application. The type is decided by the
 * file's first bytes, never by its name or the content type the browser claims: a renamed
 * executable is not a PDF.
 */
export const DOCUMENT_LIMITS = {
  maxBytes: 10 * 1024 * 1024,
  maxPerApplication: 10,
  types: ["application/pdf", "image/png", "image/jpeg", "image/webp"],
} as const satisfies { maxBytes: number; maxPerApplication: number; types: readonly DocumentContentType[] };

/** For the file input's `accept` attribute: a hint to the browser's picker, not a check. */
export const DOCUMENT_ACCEPT = ".pdf,.png,.jpg,.jpeg,.webp,application/pdf,image/png,image/jpeg,image/webp";

const startsWith = (bytes: Uint8Array, signature: readonly number[], offset = 0) =>
  bytes.length >= offset + signature.length && signature.every((byte, i) => bytes[offset + i] === byte);

const ascii = (text: string) => [...text].map((c) => c.charCodeAt(0));

/** The document's type from its magic bytes, or null when it is none of the accepted types. */
export function detectDocumentType(bytes: Uint8Array): DocumentContentType | null {
  if (startsWith(bytes, ascii("%PDF-"))) return "application/pdf";
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "image/png";
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return "image/jpeg";
  if (startsWith(bytes, ascii("RIFF")) && startsWith(bytes, ascii("WEBP"), 8)) return "image/webp";
  return null;
}

export const DOCUMENT_NAME_MAX = 255;

/**
 * The name to keep for display and downloads: the last path segment, without control characters
 * or characters that break a Content-Disposition header, at most 255 characters (the extension
 * kept). Only ever shown, never used as a path.
 */
export function documentName(name: string): string {
  const base = name.split(/[/\\]/).pop() ?? "";
  // eslint-disable-next-line no-control-regex
  const cleaned = base.replace(/[\u0000-\u001f\u007f"]/g, "").replace(/\s+/g, " ").trim();
  const chars = [...cleaned];
  if (chars.length === 0) return "document";
  if (chars.length <= DOCUMENT_NAME_MAX) return cleaned;
  const dot = cleaned.lastIndexOf(".");
  const extension = dot > 0 && cleaned.length - dot <= 10 ? cleaned.slice(dot) : "";
  return [...cleaned.slice(0, cleaned.length - extension.length)].slice(0, DOCUMENT_NAME_MAX - extension.length).join("") + extension;
}

/** A document id from a URL or a form; anything but a UUID designates no document. */
export const documentIdSchema = z.object({ documentId: z.string().trim().toLowerCase().pipe(z.uuid()) });
export type DocumentIdInput = z.input<typeof documentIdSchema>;

/** The document id of the input, or NOT_FOUND: a malformed id is a document that does not exist. */
export function parseDocumentId(input: unknown): string {
  const result = documentIdSchema.safeParse(input ?? {});
  if (!result.success) throw notFound("Document");
  return result.data.documentId;
}
