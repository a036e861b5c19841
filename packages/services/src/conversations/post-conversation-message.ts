import { z } from "zod";
import { withTransaction } from "@souk/db";
import { assertStillPermitted } from "../authorization";
import type { ActorDeps } from "../deps";
import { parseInput } from "../input";
import { newStorageKey, type StorageDeps } from "../storage/document-storage";
import { storeThenRecord } from "../storage/uploaded-document";
import { appendMessage, checkMessageFile, messageBody } from "./append-message";
import { assertParticipantCan, participantConversation } from "./shared";

export const postConversationMessageSchema = z.object({
  conversationId: z.unknown(),
  body: messageBody,
  /** Optional: a web File from a multipart form, or `{ name, bytes }`. */
  file: z.unknown().optional(),
});
export type PostConversationMessageInput = z.input<typeof postConversationMessageSchema>;

export interface PostedMessage {
  conversationId: string;
  messageId: string;
  attachmentId: string | null;
}

/**
 * Posts a message, with an optional file, in one of the actor's organisation's threads
 * (write:conversations:org). A thread of other organisations (an id from another URL, a tampered
 * hidden field) is NOT_FOUND and nothing is written, no file kept. A refused file (missing type,
 * over 10 MiB, not a PDF/PNG/JPEG/WebP by its bytes) is a field error of `file`, nothing written.
 */
export async function postConversationMessage(deps: ActorDeps & StorageDeps, input: unknown): Promise<PostedMessage> {
  const { actor, storage } = deps;
  const side = assertParticipantCan(actor, "write:conversations:org");
  const data = parseInput(postConversationMessageSchema, input);
  // Checked before any file is stored: a thread of others gets NOT_FOUND without a byte written.
  await participantConversation(deps.db, actor, side, data.conversationId);
  const document = await checkMessageFile(data.file);

  const write = (key: string | null) =>
    withTransaction(deps.db, async (trx) => {
      await assertStillPermitted(trx, actor, "write:conversations:org");
      // The row is updated (last_message_at) later in this transaction: lock it for that now, so two posts never deadlock upgrading share locks.
      const conversation = await participantConversation(trx, actor, side, data.conversationId, "no key update");
      const written = await appendMessage(trx, conversation, { side, userId: actor.userId }, data.body, document && key ? { document, key } : null);
      return { conversationId: conversation.id, ...written };
    });
  if (!document) return write(null);
  const key = newStorageKey(["conversations", actor.organizationId]);
  return storeThenRecord(storage, key, document.bytes, () => write(key));
}
