import { createHash } from "node:crypto";
import { z } from "zod";
import { withTransaction, type DocumentContentType } from "@souk/db";
import { validationError } from "@souk/domain";
import { recordAudit } from "../audit/record-audit";
import type { ActorDeps } from "../deps";
import { newStorageKey, type StorageDeps } from "../storage/document-storage";
import { detectDocumentType, DOCUMENT_LIMITS, documentName } from "./documents";
import { assertSellerCan, lockEditableApplication } from "./shared";

export const uploadApplicationDocumentSchema = z.object({
  file: z.object(
    {
      name: z.string({ error: "document.required" }).max(4096, { error: "document.required" }),
      /** What the browser claims; recorded for the audit log, never trusted. */
      type: z.string().max(255).optional(),
      bytes: z.instanceof(Uint8Array, { error: "document.required" }),
    },
    { error: "document.required" },
  ),
});
export type UploadApplicationDocumentInput = z.input<typeof uploadApplicationDocumentSchema>;

/** The form has one file field: whatever is wrong inside the file object is a problem of `file`. */
function parseUpload(input: unknown): z.output<typeof uploadApplicationDocumentSchema> {
  const result = uploadApplicationDocumentSchema.safeParse(input ?? {});
  if (result.success) return result.data;
  const keys = new Set(result.error.issues.map((issue) => (issue.message.startsWith("document.") ? issue.message : "document.required")));
  throw validationError({ file: [...keys] });
}

export interface UploadedDocument {
  id: string;
  originalName: string;
  contentType: DocumentContentType;
  sizeBytes: number;
}

/**
 * Adds a supporting document to the actor's organisation's application while it is editable.
 * Refused with a field error of `file`, with nothing stored (no file, no row), when it is empty,
 * over DOCUMENT_LIMITS.maxBytes, not a PDF/PNG/JPEG/WebP by its first bytes, or one too many.
 *
 * The file is written under a fresh random key before the row is inserted, and removed again if
 * the transaction fails, so a committed row always has its file. (If the caller's own transaction
 * rolls back later, the file stays behind unreferenced: harmless, and never served.)
 */
export async function uploadApplicationDocument(deps: ActorDeps & StorageDeps, input: unknown): Promise<UploadedDocument> {
  const { actor, request, storage } = deps;
  assertSellerCan(actor, "manage:application:org");
  const { file } = parseUpload(input);
  const bytes = file.bytes;
  // A form sent without choosing a file carries an empty part with an empty name.
  if (bytes.byteLength === 0) throw validationError({ file: [file.name === "" ? "document.required" : "document.empty"] });
  if (bytes.byteLength > DOCUMENT_LIMITS.maxBytes) throw validationError({ file: ["document.too_large"] });
  const contentType = detectDocumentType(bytes);
  if (!contentType) throw validationError({ file: ["document.type_not_allowed"] });
  const originalName = documentName(file.name);
  const sha256 = createHash("sha256").update(bytes).digest("hex");

  const key = newStorageKey(["sellers", actor.organizationId]);
  let written = false;
  try {
    return await withTransaction(deps.db, async (trx) => {
      // Under the organisation's lock: two uploads at once cannot both take the last place.
      await lockEditableApplication(trx, actor);
      const { n } = await trx
        .selectFrom("seller_documents")
        .select((eb) => eb.fn.countAll<string>().as("n"))
        .where("organization_id", "=", actor.organizationId)
        .executeTakeFirstOrThrow();
      if (Number(n) >= DOCUMENT_LIMITS.maxPerApplication) throw validationError({ file: ["document.too_many"] });

      await storage.put(key, bytes);
      written = true;
      const row = await trx
        .insertInto("seller_documents")
        .values({
          organization_id: actor.organizationId,
          original_name: originalName,
          content_type: contentType,
          size_bytes: bytes.byteLength,
          sha256,
          storage_key: key,
          uploaded_by: actor.userId,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      await recordAudit(trx, {
        actor,
        action: "seller.document_uploaded",
        targetType: "seller_document",
        targetId: row.id,
        ip: request.ip,
        data: { originalName, contentType, sizeBytes: bytes.byteLength, sha256, claimedType: file.type ?? null },
      });
      return { id: row.id, originalName, contentType, sizeBytes: bytes.byteLength };
    });
  } catch (error) {
    // Also when the commit itself fails: no row, so no file either.
    if (written) await storage.delete(key).catch(() => undefined);
    throw error;
  }
}
