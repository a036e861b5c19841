import { withTransaction, type DocumentContentType } from "@souk/db";
import { validationError } from "@souk/domain";
import { recordAudit } from "../audit/record-audit";
import type { ActorDeps } from "../deps";
import { newStorageKey, type StorageDeps } from "../storage/document-storage";
import { checkUploadedDocument, storeThenRecord } from "../storage/uploaded-document";
import { DOCUMENT_LIMITS } from "./documents";
import { assertSellerCan, lockEditableApplication } from "./shared";

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
  const { name: originalName, bytes, contentType, sha256, claimedType } = await checkUploadedDocument((input as { file?: unknown } | null)?.file, {
    maxBytes: DOCUMENT_LIMITS.maxBytes,
    messages: "document",
  });

  const key = newStorageKey(["sellers", actor.organizationId]);
  return storeThenRecord(storage, key, bytes, () =>
    withTransaction(deps.db, async (trx) => {
      // Under the organisation's lock: two uploads at once cannot both take the last place.
      await lockEditableApplication(trx, actor);
      const { n } = await trx
        .selectFrom("seller_documents")
        .select((eb) => eb.fn.countAll<string>().as("n"))
        .where("organization_id", "=", actor.organizationId)
        .executeTakeFirstOrThrow();
      if (Number(n) >= DOCUMENT_LIMITS.maxPerApplication) throw validationError({ file: ["document.too_many"] });

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
        data: { originalName, contentType, sizeBytes: bytes.byteLength, sha256, claimedType },
      });
      return { id: row.id, originalName, contentType, sizeBytes: bytes.byteLength };
    }),
  );
}
