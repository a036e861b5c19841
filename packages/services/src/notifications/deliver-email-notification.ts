import { sql } from "kysely";
import { z } from "zod";
import { withTransaction, type Db } from "@souk/db";
import { notificationEmailPayload } from "@souk/jobs";
import { parseInput } from "../input";
import type { Mailer } from "./mailer";
import { renderEmail } from "./templates";

export interface DeliverEmailNotificationDeps {
  db: Db;
  mailer: Mailer;
}

export const deliverEmailNotificationInput = z.object({
  outboxId: z.string().regex(/^[1-9][0-9]{0,18}$/, { error: "outboxId.invalid" }),
  payload: notificationEmailPayload,
});

export interface DeliverEmailNotificationResult {
  notificationId: string;
  /** false when an earlier delivery of the same outbox row had already sent it. */
  sent: boolean;
}

/**
 * Sends the e-mail of a `notification.email` job, at most once per outbox row as far as this
 * function can tell:
 * 1. the rendered message is stored first (`notifications`, unique on outbox_id, insert-or-nothing),
 *    so a redelivered job finds the same row, with the same text, instead of writing a second one;
 * 2. the row is locked (`FOR UPDATE`) while sending, so two deliveries of one job at the same time
 *    (a job BullMQ judged stalled and handed to another worker) send one e-mail, not two;
 * 3. `sent_at` is set in the same transaction after the transport accepted the message.
 * A crash between the transport accepting the message and that commit leaves `sent_at` null and
 * the retry sends again. That is the at-least-once choice, on purpose: for invitations and security
 * notices a rare duplicate e-mail is better than a lost one, and no mail transport offers a
 * transaction we could join.
 */
export async function deliverEmailNotification(
  deps: DeliverEmailNotificationDeps,
  input: { outboxId: string; payload: unknown },
): Promise<DeliverEmailNotificationResult> {
  const { outboxId, payload } = parseInput(deliverEmailNotificationInput, input);
  const message = renderEmail(payload.template, payload.locale, payload.params);

  await deps.db
    .insertInto("notifications")
    .values({
      outbox_id: outboxId,
      organization_id: payload.organizationId ?? null,
      user_id: payload.userId ?? null,
      channel: "email",
      template: payload.template,
      locale: payload.locale,
      to_address: payload.to,
      subject: message.subject,
      body: message.text,
    })
    .onConflict((oc) => oc.column("outbox_id").doNothing())
    .execute();

  return withTransaction(deps.db, async (trx) => {
    const row = await trx
      .selectFrom("notifications")
      .select(["id", "to_address", "subject", "body", "sent_at"])
      .where("outbox_id", "=", outboxId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (row.sent_at !== null) return { notificationId: row.id, sent: false };

    // The stored text is sent, not a fresh rendering: a retry after a template change still sends
    // what the row says was sent.
    await deps.mailer.send({ to: row.to_address ?? payload.to, subject: row.subject, text: row.body });
    await trx.updateTable("notifications").set({ sent_at: sql<Date>`now()` }).where("id", "=", row.id).execute();
    return { notificationId: row.id, sent: true };
  });
}
