import { sql } from "kysely";
import { z } from "zod";
import { withTransaction, type Db } from "@souk/db";
import { validationError } from "@souk/domain";
import { notificationEmailPayload } from "@souk/jobs";
import { parseInput } from "../input";
import type { Mailer } from "./mailer";
import { redactedSecretParams, renderEmail } from "./templates";

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
 * 1. a record of the message is stored first (`notifications`, unique on outbox_id,
 *    insert-or-nothing), so a redelivered job finds the same row instead of writing a second one;
 * 2. the row is locked (`FOR UPDATE`) while sending, so two deliveries of one job at the same time
 *    (a job BullMQ judged stalled and handed to another worker) send one e-mail, not two;
 * 3. `sent_at` is set in the same transaction after the transport accepted the message.
 * A crash between the transport accepting the message and that commit leaves `sent_at` null and
 * the retry sends again. That is the at-least-once choice, on purpose: for invitations and security
 * notices a rare duplicate e-mail is better than a lost one, and no mail transport offers a
 * transaction we could join.
 *
 * Secret params (the template's `secretParams`, e.g. an invitation link) reach the recipient only:
 * the stored record and the copy a log transport writes are rendered with them redacted, so the
 * e-mail itself is rendered from the job's payload at each attempt. The committing transaction
 * also replaces them in the outbox row's payload; a rolled-back attempt leaves that payload whole,
 * and a job that arrives with an already scrubbed payload can only find the e-mail sent.
 */
export async function deliverEmailNotification(
  deps: DeliverEmailNotificationDeps,
  input: { outboxId: string; payload: unknown },
): Promise<DeliverEmailNotificationResult> {
  const { outboxId, payload } = parseInput(deliverEmailNotificationInput, input);
  const message = renderEmail(payload.template, payload.locale, payload.params);
  const record = renderEmail(payload.template, payload.locale, payload.params, { redactSecrets: true });
  const scrubbedParams = redactedSecretParams(payload.template, payload.params);
  // The relay re-adds a row whose claim did not commit, reading the payload again: after a
  // successful delivery that payload holds redacted links, which must never be e-mailed.
  const alreadyScrubbed = Object.entries(scrubbedParams).some(([key, redacted]) => payload.params[key] === redacted);

  if (!alreadyScrubbed) {
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
        subject: record.subject,
        body: record.text,
      })
      .onConflict((oc) => oc.column("outbox_id").doNothing())
      .execute();
  }

  return withTransaction(deps.db, async (trx) => {
    const row = await trx
      .selectFrom("notifications")
      .select(["id", "to_address", "sent_at"])
      .where("outbox_id", "=", outboxId)
      .forUpdate()
      .executeTakeFirst();
    if (row?.sent_at) return { notificationId: row.id, sent: false };
    if (alreadyScrubbed) {
      throw validationError(
        { params: ["param.redacted"] },
        `Outbox row ${outboxId} holds redacted parameters and no sent e-mail: it cannot be sent again, issue a new one`,
      );
    }
    if (!row) throw new Error(`The notification of outbox row ${outboxId} disappeared before sending`);

    await deps.mailer.send({ to: row.to_address ?? payload.to, subject: message.subject, text: message.text, redacted: record });
    // The record follows what was sent, should the template have changed since the first attempt.
    await trx
      .updateTable("notifications")
      .set({ sent_at: sql<Date>`now()`, subject: record.subject, body: record.text })
      .where("id", "=", row.id)
      .execute();
    if (Object.keys(scrubbedParams).length > 0) {
      // Only the secrets go; the rest of the payload stays for whoever investigates a delivery.
      await trx
        .updateTable("outbox")
        .set({
          payload: sql<string>`jsonb_set(payload, '{params}', coalesce(payload->'params', '{}'::jsonb) || ${JSON.stringify(scrubbedParams)}::jsonb)`,
        })
        .where("id", "=", outboxId)
        .execute();
    }
    return { notificationId: row.id, sent: true };
  });
}
