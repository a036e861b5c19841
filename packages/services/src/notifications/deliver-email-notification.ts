import { sql } from "kysely";
import { z } from "zod";
import { withTransaction, type Db } from "@souk/db";
import { validationError } from "@souk/domain";
import type { NotificationEmailPayload } from "@souk/jobs";
import { parseInput } from "../input";
import { readOutboxPayload } from "../outbox/transport";
import type { Mailer } from "./mailer";
import { redactedSecretParams, renderEmail, type RenderedEmail } from "./templates";

export interface DeliverEmailNotificationDeps {
  db: Db;
  mailer: Mailer;
}

/**
 * Only the outbox id: the job's data is the payload redacted for transport
 * (redactEmailForTransport) and is not read. The outbox row is the source of what is sent.
 */
export const deliverEmailNotificationInput = z.object({
  outboxId: z.string().regex(/^[1-9][0-9]{0,18}$/, { error: "outboxId.invalid" }),
});

export interface DeliverEmailNotificationResult {
  notificationId: string;
  /** false when an earlier delivery of the same outbox row had already sent it. */
  sent: boolean;
}

/**
 * Sends the e-mail of a `notification.email` outbox row, at most once per row as far as this
 * function can tell:
 * 1. a record of the message is stored first (`notifications`, unique on outbox_id,
 *    insert-or-nothing), so a redelivered job finds the same row instead of writing a second one;
 * 2. the outbox row is locked (`FOR UPDATE`) while sending, so two deliveries of one job at the
 *    same time (a job BullMQ judged stalled and handed to another worker) send one e-mail, not two;
 * 3. `sent_at` is set in the same transaction after the transport accepted the message.
 * A crash between the transport accepting the message and that commit leaves `sent_at` null and
 * the retry sends again. That is the at-least-once choice, on purpose: for invitations and security
 * notices a rare duplicate e-mail is better than a lost one, and no mail transport offers a
 * transaction we could join.
 *
 * Secret params (the template's `secretParams`, e.g. an invitation link) reach the recipient only.
 * The job in Redis carries them redacted, so the e-mail is rendered at each attempt from the outbox
 * row's payload, read under the lock; the stored record and the copy a log transport writes are
 * rendered with them redacted. The committing transaction also replaces them in the outbox row's
 * payload: a rolled-back attempt leaves that payload whole for the retry, and a delivery that finds
 * it already scrubbed can only find the e-mail sent (or refuse: the link is gone).
 */
export async function deliverEmailNotification(
  deps: DeliverEmailNotificationDeps,
  input: { outboxId: string },
): Promise<DeliverEmailNotificationResult> {
  const { outboxId } = parseInput(deliverEmailNotificationInput, input);
  // Rendering before anything is written: a payload that can never be sent (unknown template,
  // parameters the template refuses) leaves no record behind.
  const first = prepare(await readOutboxPayload(deps.db, "notification.email", outboxId));

  if (!first.scrubbed) {
    await deps.db
      .insertInto("notifications")
      .values({
        outbox_id: outboxId,
        organization_id: first.payload.organizationId ?? null,
        user_id: first.payload.userId ?? null,
        channel: "email",
        template: first.payload.template,
        locale: first.payload.locale,
        to_address: first.payload.to,
        subject: first.record.subject,
        body: first.record.text,
      })
      .onConflict((oc) => oc.column("outbox_id").doNothing())
      .execute();
  }

  return withTransaction(deps.db, async (trx) => {
    // Read again under the lock: a delivery that committed since the first read has scrubbed it.
    const email = prepare(await readOutboxPayload(trx, "notification.email", outboxId, { forUpdate: true }));
    const row = await trx
      .selectFrom("notifications")
      .select(["id", "to_address", "sent_at"])
      .where("outbox_id", "=", outboxId)
      .forUpdate()
      .executeTakeFirst();
    if (row?.sent_at) return { notificationId: row.id, sent: false };
    if (email.scrubbed) {
      throw validationError(
        { params: ["param.redacted"] },
        `Outbox row ${outboxId} holds redacted parameters and no sent e-mail: it cannot be sent again, issue a new one`,
      );
    }
    if (!row) throw new Error(`The notification of outbox row ${outboxId} disappeared before sending`);

    await deps.mailer.send({ to: row.to_address ?? email.payload.to, subject: email.message.subject, text: email.message.text, redacted: email.record });
    // The record follows what was sent, should the template have changed since the first attempt.
    await trx
      .updateTable("notifications")
      .set({ sent_at: sql<Date>`now()`, subject: email.record.subject, body: email.record.text })
      .where("id", "=", row.id)
      .execute();
    if (Object.keys(email.scrubbedParams).length > 0) {
      // Only the secrets go; the rest of the payload stays for whoever investigates a delivery.
      await trx
        .updateTable("outbox")
        .set({
          payload: sql<string>`jsonb_set(payload, '{params}', coalesce(payload->'params', '{}'::jsonb) || ${JSON.stringify(email.scrubbedParams)}::jsonb)`,
        })
        .where("id", "=", outboxId)
        .execute();
    }
    return { notificationId: row.id, sent: true };
  });
}

interface PreparedEmail {
  payload: NotificationEmailPayload;
  /** What the recipient gets. */
  message: RenderedEmail;
  /** What may be kept: secrets redacted. */
  record: RenderedEmail;
  /** The redacted value of each secret param, which replaces it in the outbox row once sent. */
  scrubbedParams: Record<string, string>;
  /** The payload's secrets are already redacted: the e-mail was sent, or can never be. */
  scrubbed: boolean;
}

function prepare(payload: NotificationEmailPayload): PreparedEmail {
  const scrubbedParams = redactedSecretParams(payload.template, payload.params);
  return {
    payload,
    message: renderEmail(payload.template, payload.locale, payload.params),
    record: renderEmail(payload.template, payload.locale, payload.params, { redactSecrets: true }),
    scrubbedParams,
    scrubbed: Object.entries(scrubbedParams).some(([key, redacted]) => payload.params[key] === redacted),
  };
}
