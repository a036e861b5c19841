import { createHash } from "node:crypto";
import type { DocumentContentType } from "@souk/db";
import { DomainError, notFound } from "@souk/domain";
import type { ActorDeps } from "../deps";
import type { StorageDeps } from "../storage/document-storage";
import { documentIdSchema, parseDocumentId, type DocumentIdInput } from "./documents";
import { assertSellerCan } from "./shared";

export { documentIdSchema as readApplicationDocumentSchema };
export type ReadApplicationDocumentInput = DocumentIdInput;

export interface DocumentContent {
  originalName: string;
  contentType: DocumentContentType;
  bytes: Uint8Array;
}

/**
 * A supporting document of the actor's own organisation, for download. Another organisation's
 * document is NOT_FOUND, exactly like one that does not exist. A stored file that is missing or
 * no longer matches its checksum is an INVARIANT failure, never served.
 */
export async function readApplicationDocument(deps: ActorDeps & StorageDeps, input: unknown): Promise<DocumentContent> {
  const { actor, storage } = deps;
  assertSellerCan(actor, "read:organization:org");
  const documentId = parseDocumentId(input);
  const row = await deps.db
    .selectFrom("seller_documents")
    .select(["original_name", "content_type", "storage_key", "sha256"])
    .where("id", "=", documentId)
    .where("organization_id", "=", actor.organizationId)
    .executeTakeFirst();
  if (!row) throw notFound("Document");
  const bytes = await storage.get(row.storage_key);
  if (!bytes || createHash("sha256").update(bytes).digest("hex") !== row.sha256) {
    throw new DomainError("INVARIANT", "document.unavailable");
  }
  return { originalName: row.original_name, contentType: row.content_type, bytes };
}
