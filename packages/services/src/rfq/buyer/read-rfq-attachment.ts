import { z } from "zod";
import { DomainError, forbidden, notFound, can } from "@souk/domain";
import type { ActorDeps } from "../../deps";
import type { StorageDeps } from "../../storage/document-storage";
import { buyerRfq, sellerRfq } from "../access";
import { refId } from "./shared";

export const readRfqAttachmentSchema = z.object({ rfqId: z.unknown(), attachmentId: z.unknown() });
export type ReadRfqAttachmentInput = z.input<typeof readRfqAttachmentSchema>;

export interface RfqAttachmentContent {
  bytes: Uint8Array;
  contentType: string;
  fileName: string;
}

/**
 * A file of an RFQ, for the buyer that owns the RFQ and for a seller that may see it (the rule of
 * rfq/access.ts: active, and invited, or serving its category, or already offering). Anyone else,
 * and any file of another RFQ, gets NOT_FOUND, exactly like a file that does not exist; an operator
 * or a role without the read permission is FORBIDDEN. A stored file gone missing is an INVARIANT.
 */
export async function readRfqAttachment(deps: ActorDeps & StorageDeps, input: unknown): Promise<RfqAttachmentContent> {
  const { actor, db, storage } = deps;
  const raw = (input ?? {}) as { rfqId?: unknown; attachmentId?: unknown };
  if (actor.organizationKind === "buyer" && can("buyer", actor.role, "read:rfqs:org")) {
    const rfqId = refId(raw.rfqId, "Attachment");
    await buyerRfq(db, actor.organizationId, rfqId);
  } else if (actor.organizationKind === "seller" && can("seller", actor.role, "read:rfq-inbox:org")) {
    const rfqId = refId(raw.rfqId, "Attachment");
    await sellerRfq(db, actor.organizationId, rfqId);
  } else {
    throw forbidden("Missing permission to read RFQs");
  }
  const rfqId = refId(raw.rfqId, "Attachment");
  const attachmentId = refId(raw.attachmentId, "Attachment");
  const row = await db
    .selectFrom("rfq_attachments")
    .select(["original_name", "content_type", "storage_key"])
    .where("id", "=", attachmentId)
    .where("rfq_id", "=", rfqId)
    .executeTakeFirst();
  if (!row) throw notFound("Attachment");
  const bytes = await storage.get(row.storage_key);
  if (!bytes) throw new DomainError("INVARIANT", "rfqAttachment.unavailable");
  return { bytes, contentType: row.content_type, fileName: row.original_name };
}
