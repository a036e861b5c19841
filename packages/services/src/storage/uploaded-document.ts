import { createHash } from "node:crypto";
import { z } from "zod";
import type { DocumentContentType } from "@souk/db";
import { validationError } from "@souk/domain";
import { detectDocumentType, documentName } from "../sellers/documents";
import type { DocumentStorage } from "./document-storage";

/** An uploaded file as the routes hand it over (a web File from a multipart form), or `{ name, bytes }`. */
const uploadedFile = z.union([
  z.instanceof(Blob),
  z.object({
    name: z.string().max(4096),
    /** What the browser claims; never trusted. */
    type: z.string().max(255).optional(),
    bytes: z.instanceof(Uint8Array),
  }),
]);

export interface CheckedDocument {
  /** The name to keep for display and downloads (documentName). */
  name: string;
  bytes: Uint8Array;
  /** Decided by the file's first bytes, never by its name or the browser's claim. */
  contentType: DocumentContentType;
  sha256: string;
  /** The content type the browser claimed (kept for the record, never trusted). */
  claimedType: string | null;
}

/**
 * Reads an uploaded document and checks it: present, not empty, at most `maxBytes` (known before
 * a web File is read into memory), a PDF, PNG, JPEG or WebP by its first bytes. Each refusal is a
 * field error of `file` keyed `<messages>.required | empty | too_large | type_not_allowed`, where
 * `messages` is the use case's prefix ("document", "rfqAttachment", "offerAttachment").
 */
export async function checkUploadedDocument(file: unknown, rules: { maxBytes: number; messages: string }): Promise<CheckedDocument> {
  const refuse = (reason: string) => validationError({ file: [`${rules.messages}.${reason}`] });
  const parsed = uploadedFile.safeParse(file);
  if (!parsed.success) throw refuse("required");
  const value = parsed.data;
  if (value instanceof Blob && value.size > rules.maxBytes) throw refuse("too_large");
  const name = value instanceof Blob ? (value instanceof File ? value.name : "") : value.name;
  const bytes = value instanceof Blob ? new Uint8Array(await value.arrayBuffer()) : value.bytes;
  // A form sent without choosing a file carries an empty part with an empty name.
  if (bytes.byteLength === 0) throw refuse(name === "" ? "required" : "empty");
  if (bytes.byteLength > rules.maxBytes) throw refuse("too_large");
  const contentType = detectDocumentType(bytes);
  if (!contentType) throw refuse("type_not_allowed");
  const claimedType = value.type ? value.type : null;
  return { name: documentName(name), bytes, contentType, sha256: createHash("sha256").update(bytes).digest("hex"), claimedType };
}

/**
 * Stores `bytes` under `key`, then runs `record` (the transaction that inserts the file's row);
 * when `record` fails, also at its commit, the file is removed again, so a committed row always
 * has its file and a refused upload leaves nothing behind. Storing first keeps the file's I/O out
 * of the transaction and its locks. (If a caller's outer transaction rolls back later, the file
 * stays unreferenced: harmless, and never served.)
 */
export async function storeThenRecord<T>(storage: DocumentStorage, key: string, bytes: Uint8Array, record: () => Promise<T>): Promise<T> {
  await storage.put(key, bytes);
  try {
    return await record();
  } catch (error) {
    await storage.delete(key).catch(() => undefined);
    throw error;
  }
}
