import { z } from "zod";
import type { DocumentContentType } from "@souk/db";
import { notFound } from "@souk/domain";
import { recordAudit } from "../audit/record-audit";
import type { ActorDeps } from "../deps";
import { parseInput } from "../input";
import type { StorageDeps } from "../storage";
import { assertReviewer, existingId } from "./shared";

export const readSellerDocumentSchema = z.object({ organizationId: z.unknown(), documentId: z.unknown() });
export type ReadSellerDocumentInput = z.input<typeof readSellerDocumentSchema>;

export interface ReviewedDocumentFile {
  originalName: string;
  contentType: DocumentContentType;
  sizeBytes: number;
  bytes: Uint8Array;
}

/**
 * A seller's supporting document, for an operator who reviews sellers. The document must belong to
 * that seller: another seller's document id is NOT_FOUND, exactly like an unknown one. Each read is
 * recorded in the audit log (`seller.document_viewed`): these are identity and company papers.
 */
export async function readSellerDocument(deps: ActorDeps & StorageDeps, input: unknown): Promise<ReviewedDocumentFile> {
  const { db, actor, request, storage } = deps;
  assertReviewer(actor);
  const data = parseInput(readSellerDocumentSchema, input);
  const organizationId = existingId(data.organizationId, "Document");
  const documentId = existingId(data.documentId, "Document");

  const document = await db
    .selectFrom("seller_documents as d")
    .innerJoin("organizations as o", "o.id", "d.organization_id")
    .select(["d.id", "d.original_name as originalName", "d.content_type as contentType", "d.size_bytes as sizeBytes", "d.storage_key as storageKey"])
    .where("d.id", "=", documentId)
    .where("d.organization_id", "=", organizationId)
    .where("o.kind", "=", "seller")
    .executeTakeFirst();
  if (!document) throw notFound("Document");

  const bytes = await storage.get(document.storageKey);
  // The row without its file: deleted concurrently, or storage lost it. Either way there is nothing to show.
  if (!bytes) throw notFound("Document");

  await recordAudit(db, {
    actor,
    organizationId,
    action: "seller.document_viewed",
    targetType: "seller_document",
    targetId: document.id,
    ip: request.ip,
    data: { originalName: document.originalName, contentType: document.contentType, sizeBytes: Number(document.sizeBytes) },
  });
  return { originalName: document.originalName, contentType: document.contentType, sizeBytes: bytes.byteLength, bytes };
}
