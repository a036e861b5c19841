import { z } from "zod";
import { DomainError, notFound } from "@souk/domain";
import { withTransaction } from "@souk/db";
import { recordAudit } from "../audit/record-audit";
import type { ActorDeps } from "../deps";
import { existingId, parseInput } from "../input";
import type { StorageDeps } from "../storage/document-storage";
import { assertModerator, assertParticipantCan, moderatedThread } from "./shared";

export const readConversationAttachmentSchema = z.object({ conversationId: z.unknown(), attachmentId: z.unknown() });

export interface ConversationAttachmentContent {
  bytes: Uint8Array;
  contentType: string;
  fileName: string;
}

/**
 * A thread's file, for the members of its two organisations (read:conversations:org) and for a
 * moderator when a dispute or a report involves the thread (the read is audited). A file of another
 * thread, of other organisations' threads, or of a thread no moderator may read is NOT_FOUND.
 */
export async function readConversationAttachment(deps: ActorDeps & StorageDeps, input: unknown): Promise<ConversationAttachmentContent> {
  const { actor, db, storage } = deps;
  const raw = parseInput(readConversationAttachmentSchema, input);
  const operator = actor.organizationKind === "operator";
  if (operator) assertModerator(actor);
  const side = operator ? null : assertParticipantCan(actor, "read:conversations:org");
  const conversationId = existingId(raw.conversationId, "Attachment");
  const attachmentId = existingId(raw.attachmentId, "Attachment");

  const find = (handle: typeof db) => {
    let query = handle
      .selectFrom("conversation_attachments as a")
      .innerJoin("conversations as c", "c.id", "a.conversation_id")
      .select(["a.id", "a.original_name", "a.content_type", "a.storage_key", "c.id as conversation_id", "c.buyer_id", "c.seller_id"])
      .where("a.id", "=", attachmentId)
      .where("a.conversation_id", "=", conversationId);
    query = side === null ? query.where(moderatedThread()) : query.where(side === "buyer" ? "c.buyer_id" : "c.seller_id", "=", actor.organizationId);
    return query.executeTakeFirst();
  };

  const row = operator
    ? await withTransaction(db, async (trx) => {
        const found = await find(trx);
        if (!found) return undefined;
        await recordAudit(trx, { actor, action: "conversation.read", targetType: "conversation", targetId: found.conversation_id, data: { attachmentId: found.id, buyerId: found.buyer_id, sellerId: found.seller_id } });
        return found;
      })
    : await find(db);
  if (!row) throw notFound("Attachment");
  const bytes = await storage.get(row.storage_key);
  if (!bytes) throw new DomainError("INVARIANT", "conversationAttachment.unavailable");
  return { bytes, contentType: row.content_type, fileName: row.original_name };
}
