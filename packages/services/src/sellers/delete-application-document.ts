import { withTransaction } from "@souk/db";
import { validationError } from "@souk/domain";
import { recordAudit } from "../audit/record-audit";
import type { ActorDeps } from "../deps";
import type { StorageDeps } from "../storage/document-storage";
import { formIdOf } from "../input";
import { documentIdSchema, type DocumentIdInput } from "./documents";
import { assertSellerCan, lockEditableApplication } from "./shared";

export { documentIdSchema as deleteApplicationDocumentSchema };
export type DeleteApplicationDocumentInput = DocumentIdInput;

/**
 * Removes a supporting document of the actor's organisation's application while it is editable.
 * The document is the delete button's field: another organisation's is `documentId`:
 * document.unknown, exactly like one that does not exist (or was removed meanwhile). The row goes
 * in the transaction; the file once it has committed (a file left behind by a crash in between is
 * unreferenced, so never served).
 */
export async function deleteApplicationDocument(deps: ActorDeps & StorageDeps, input: unknown): Promise<{ documentId: string }> {
  const { actor, request, storage } = deps;
  assertSellerCan(actor, "manage:application:org");
  const documentId = formIdOf((input as { documentId?: unknown } | null)?.documentId, "documentId", "document.unknown");
  const removed = await withTransaction(deps.db, async (trx) => {
    await lockEditableApplication(trx, actor);
    const row = await trx
      .deleteFrom("seller_documents")
      .where("id", "=", documentId)
      .where("organization_id", "=", actor.organizationId)
      .returning(["id", "storage_key", "original_name", "sha256"])
      .executeTakeFirst();
    if (!row) throw validationError({ documentId: ["document.unknown"] });
    await recordAudit(trx, {
      actor,
      action: "seller.document_deleted",
      targetType: "seller_document",
      targetId: row.id,
      ip: request.ip,
      data: { originalName: row.original_name, sha256: row.sha256 },
    });
    return row;
  });
  await storage.delete(removed.storage_key);
  return { documentId: removed.id };
}
