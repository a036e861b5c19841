import { sql } from "kysely";
import { z } from "zod";
import type { Db } from "@souk/db";
import { writeOutbox } from "@souk/jobs";
import { checkUploadedDocument, type CheckedDocument } from "../storage/uploaded-document";
import { CONVERSATION_LIMITS, markRead, type ConversationRow, type ConversationSide } from "./shared";

/** Helpers shared by starting a thread and posting in one (not exported from the package). */

export const messageBody = z
  .string({ error: "conversation.body_required" })
  .trim()
  .min(1, { error: "conversation.body_required", abort: true })
  .max(CONVERSATION_LIMITS.bodyMax, { error: "conversation.body_too_long" });

/** A form sent without choosing a file carries an empty, nameless part: that is no file, not an empty one. */
function noFileChosen(file: unknown): boolean {
  if (file === undefined || file === null || file === "") return true;
  return file instanceof Blob && file.size === 0 && (!(file instanceof File) || file.name === "");
}

/** The message's optional file, checked like an RFQ attachment (PDF/PNG/JPEG/WebP by its bytes, 10 MiB). */
export async function checkMessageFile(file: unknown): Promise<CheckedDocument | null> {
  if (noFileChosen(file)) return null;
  return checkUploadedDocument(file, { maxBytes: CONVERSATION_LIMITS.maxAttachmentBytes, messages: "conversationAttachment" });
}

/**
 * Writes one message (and its file's row) in `trx`, by the actor's side, the thread's row already
 * locked by the caller (FOR NO KEY UPDATE: locks are always taken thread first, then digest row). First, the recipient
 * organisation's pending digest: the first message since its last digest inserts the row and the
 * outbox job; later ones find it and ride on it. Taking that row (insert or lock) before the
 * message is written, and stamping the message with clock_timestamp() after it, orders the message
 * after any digest that was running: a digest never moves its mark past a message it did not see.
 */
export async function appendMessage(
  trx: Db,
  conversation: ConversationRow,
  author: { side: ConversationSide; userId: string },
  body: string,
  file: { document: CheckedDocument; key: string } | null,
): Promise<{ messageId: string; attachmentId: string | null }> {
  const recipientId = author.side === "buyer" ? conversation.seller_id : conversation.buyer_id;
  const pending = await sql<{ inserted: boolean }>`
    insert into conversation_digest_pending (organization_id, due_at) values (${recipientId}, now())
    on conflict (organization_id) do update set due_at = conversation_digest_pending.due_at
    returning (xmax = 0) as inserted`.execute(trx);
  // The worker decides when the digest is due (CONVERSATION_DIGEST_MINUTES after due_at): the job is handed over at once and reschedules itself.
  if (pending.rows[0]?.inserted) await writeOutbox(trx, "conversation.digest", { organizationId: recipientId });

  const message = await trx
    .insertInto("conversation_messages")
    .values({ conversation_id: conversation.id, author_side: author.side, author_user_id: author.userId, body, created_at: sql<Date>`clock_timestamp()` })
    .returning("id")
    .executeTakeFirstOrThrow();
  let attachmentId: string | null = null;
  if (file) {
    const row = await trx
      .insertInto("conversation_attachments")
      .values({
        conversation_id: conversation.id,
        message_id: message.id,
        original_name: file.document.name,
        content_type: file.document.contentType,
        size_bytes: file.document.bytes.byteLength,
        sha256: file.document.sha256,
        storage_key: file.key,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    attachmentId = row.id;
  }
  await trx
    .updateTable("conversations")
    .set({ last_message_at: sql<Date>`greatest(last_message_at, (select created_at from conversation_messages where id = ${message.id}))` })
    .where("id", "=", conversation.id)
    .execute();
  // The author has read what it wrote (and what was there before).
  await markRead(trx, conversation.id, author.userId, message.id);
  return { messageId: message.id, attachmentId };
}
