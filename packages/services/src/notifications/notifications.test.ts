import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { createTestDatabase } from "@souk/testing";
import { notificationEmailPayload, writeOutbox, type NotificationEmailPayload } from "@souk/jobs";
import { isDomainError } from "@souk/domain";
import {
  deliverEmailNotification,
  redactEmailForTransport,
  redactSecret,
  renderEmail,
  type EmailMessage,
  type EmailTemplateParams,
  type Mailer,
} from "./index";

const { db } = await createTestDatabase();

/**
 * Records messages instead of talking SMTP (the port's other side is not ours). `failAfterSend`
 * accepts the message and then fails, like a worker dying between the transport and the commit.
 */
function recordingMailer(
  options: { failTimes?: number; delayMs?: number; failAfterSend?: number } = {},
): Mailer & { sent: EmailMessage[] } {
  let failures = options.failTimes ?? 0;
  let failuresAfterSend = options.failAfterSend ?? 0;
  const sent: EmailMessage[] = [];
  return {
    sent,
    async send(message) {
      if (options.delayMs) await new Promise((resolve) => setTimeout(resolve, options.delayMs));
      if (failures > 0) {
        failures -= 1;
        throw new Error("SMTP 451 try again later");
      }
      sent.push(message);
      if (failuresAfterSend > 0) {
        failuresAfterSend -= 1;
        throw new Error("worker lost before commit");
      }
    },
  };
}

const TOKEN = "abc123";

const invited: EmailTemplateParams<"member.invited"> = {
  organizationName: "Acme Trading",
  inviterName: "Ana Lima",
  role: "purchaser",
  acceptUrl: "https://buyer.souk.test/invitations/abc123",
  expiresAt: "2030-03-14T10:00:00.000Z",
};

function invitation(to = "bo@example.com", locale: "en" | "fr" = "en"): NotificationEmailPayload {
  return { template: "member.invited", locale, to, userId: null, organizationId: null, params: invited };
}

async function rowsFor(outboxId: string) {
  return db.selectFrom("notifications").selectAll().where("outbox_id", "=", outboxId).execute();
}

async function outboxPayload(outboxId: string): Promise<NotificationEmailPayload> {
  const row = await db.selectFrom("outbox").select("payload").where("id", "=", outboxId).executeTakeFirstOrThrow();
  return row.payload as NotificationEmailPayload;
}

describe("e-mail templates", () => {
  it("renders member.invited in English and French", () => {
    const en = renderEmail("member.invited", "en", invited);
    expect(en.subject).toBe("Ana Lima invited you to join Acme Trading on Souk");
    expect(en.text).toContain("as purchaser.");
    expect(en.text).toContain("\nhttps://buyer.souk.test/invitations/abc123\n");
    expect(en.text).toContain("expires on 14 March 2030 at 10:00 UTC");

    const fr = renderEmail("member.invited", "fr", invited);
    expect(fr.subject).toBe("Ana Lima vous invite à rejoindre Acme Trading sur Souk");
    expect(fr.text).toContain("en tant que acheteur.");
    expect(fr.text).toContain("Accepter l'invitation :");
    expect(fr.text).toContain("14 mars 2030");
  });

  it("renders auth.password_changed in English and French", () => {
    expect(renderEmail("auth.password_changed", "en", { name: "Ana" })).toMatchObject({
      subject: "Your Souk password was changed",
      text: expect.stringContaining("Hello Ana,"),
    });
    expect(renderEmail("auth.password_changed", "fr", { name: "Ana" })).toMatchObject({
      subject: "Votre mot de passe Souk a été modifié",
      text: expect.stringContaining("Bonjour Ana,"),
    });
  });

  it("keeps user-typed values on their line and drops control and invisible characters", () => {
    const hostile = {
      ...invited,
      organizationName: "Acme\r\n\r\nURGENT: pay at http://evil.test\u202e",
      inviterName: "Eve\u0000\u200b Mallory\nBcc: x@evil.test",
    };
    const { subject, text } = renderEmail("member.invited", "en", hostile);
    expect(subject).not.toMatch(/[\r\n]/);
    expect(subject).toBe("Eve Mallory Bcc: x@evil.test invited you to join Acme URGENT: pay at http://evil.test on Souk");
    expect(text.split("\n")[2]).toBe(
      "Eve Mallory Bcc: x@evil.test invited you to join Acme URGENT: pay at http://evil.test on Souk as purchaser.",
    );
    expect([...text].some((c) => ["\u0000", "\u200b", "\u202e", "\r"].includes(c))).toBe(false);
  });

  it("refuses a non-http link, missing parameters and unknown templates", () => {
    for (const [template, params] of [
      ["member.invited", { ...invited, acceptUrl: "javascript:alert(1)" }],
      ["member.invited", { organizationName: "Acme" }],
      ["no.such.template", {}],
    ] as const) {
      let error: unknown;
      try {
        renderEmail(template, "en", params);
      } catch (caught) {
        error = caught;
      }
      expect(isDomainError(error) && error.code).toBe("VALIDATION");
    }
  });

  it("renders a copy with the secret link redacted, in both locales", () => {
    for (const locale of ["en", "fr"] as const) {
      const real = renderEmail("member.invited", locale, invited);
      const redacted = renderEmail("member.invited", locale, invited, { redactSecrets: true });
      expect(redacted.subject).toBe(real.subject);
      expect(redacted.text).toBe(real.text.replace("https://buyer.souk.test/invitations/abc123", "https://buyer.souk.test/…"));
      expect(redacted.text).not.toContain(TOKEN);
    }
    // Nothing secret in this template: both copies are the same.
    expect(renderEmail("auth.password_changed", "en", { name: "Ana" }, { redactSecrets: true })).toEqual(
      renderEmail("auth.password_changed", "en", { name: "Ana" }),
    );
  });

  it("redacts a link down to its origin, and a redacted value stays as it is", () => {
    expect(redactSecret("https://buyer.souk.test/invitations/abc123")).toBe("https://buyer.souk.test/…");
    expect(redactSecret("http://user:secret@localhost:3001/t/abc/accept?token=abc#abc")).toBe("http://localhost:3001/…");
    expect(redactSecret("123456")).toBe("…");
    for (const value of ["https://buyer.souk.test/invitations/abc123", "123456", "javascript:abc"]) {
      expect(redactSecret(redactSecret(value))).toBe(redactSecret(value));
    }
  });
});

describe("redactEmailForTransport", () => {
  it("replaces the template's secret params only, and leaves a valid job payload", () => {
    const payload = invitation();
    const transported = redactEmailForTransport(payload);
    expect(transported).toEqual({ ...payload, params: { ...payload.params, acceptUrl: "https://buyer.souk.test/…" } });
    expect(JSON.stringify(transported)).not.toContain(TOKEN);
    expect(notificationEmailPayload.parse(transported)).toEqual(transported);
    expect(payload.params.acceptUrl).toContain(TOKEN);

    const notice: NotificationEmailPayload = { template: "auth.password_changed", locale: "fr", to: "ana@example.com", params: { name: "Ana" } };
    expect(redactEmailForTransport(notice)).toEqual(notice);
  });

  it("redacts every param of a template it does not know, since it cannot tell which are secret", () => {
    const payload: NotificationEmailPayload = {
      ...invitation(),
      template: "no.such.template",
      params: { link: "https://buyer.souk.test/reset/abc123", code: "abc123" },
    };
    expect(redactEmailForTransport(payload).params).toEqual({ link: "https://buyer.souk.test/…", code: "…" });
  });
});

describe("deliverEmailNotification", () => {
  it("sends once and writes one row when the same outbox id is delivered twice", async () => {
    const payload = invitation("twice@example.com", "fr");
    const outboxId = await writeOutbox(db, "notification.email", payload);
    const mailer = recordingMailer();

    const first = await deliverEmailNotification({ db, mailer }, { outboxId });
    const second = await deliverEmailNotification({ db, mailer }, { outboxId });

    expect(first.sent).toBe(true);
    expect(second).toEqual({ notificationId: first.notificationId, sent: false });
    expect(mailer.sent).toHaveLength(1);
    expect(mailer.sent[0]).toMatchObject({ to: "twice@example.com", subject: "Ana Lima vous invite à rejoindre Acme Trading sur Souk" });
    const rows = await rowsFor(outboxId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      channel: "email",
      template: "member.invited",
      locale: "fr",
      to_address: "twice@example.com",
      subject: mailer.sent[0]!.subject,
      body: mailer.sent[0]!.redacted.text,
    });
    expect(rows[0]!.sent_at).toBeInstanceOf(Date);
  });

  it("sends once when two deliveries of one job run at the same time", async () => {
    const payload = invitation("race@example.com");
    const outboxId = await writeOutbox(db, "notification.email", payload);
    const mailer = recordingMailer({ delayMs: 100 });

    const results = await Promise.all([
      deliverEmailNotification({ db, mailer }, { outboxId }),
      deliverEmailNotification({ db, mailer }, { outboxId }),
    ]);
    expect(results.map((r) => r.sent).sort()).toEqual([false, true]);
    expect(mailer.sent).toHaveLength(1);
    expect(await rowsFor(outboxId)).toHaveLength(1);
  });

  it("leaves the row unsent when the transport fails, and the retry sends it", async () => {
    const payload = invitation("retry@example.com");
    const outboxId = await writeOutbox(db, "notification.email", payload);
    const mailer = recordingMailer({ failTimes: 1 });

    await expect(deliverEmailNotification({ db, mailer }, { outboxId })).rejects.toThrow(/SMTP 451/);
    const [failed] = await rowsFor(outboxId);
    expect(failed?.sent_at).toBeNull();

    expect((await deliverEmailNotification({ db, mailer }, { outboxId })).sent).toBe(true);
    expect(mailer.sent).toHaveLength(1);
    const rows = await rowsFor(outboxId);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.sent_at).toBeInstanceOf(Date);
  });

  it("refuses an outbox row it can never send, and writes nothing", async () => {
    const payload = invitation("bad@example.com");
    const mailer = recordingMailer();
    // Written past writeOutbox, which would refuse most of them: rows as an older producer, a bug
    // or a hand edit could leave them.
    const rawRow = async (topic: string, value: unknown) => {
      const row = await db.insertInto("outbox").values({ topic, payload: JSON.stringify(value) }).returning("id").executeTakeFirstOrThrow();
      return String(row.id);
    };
    const bad = [
      await rawRow("notification.email", { ...payload, to: "nope" }),
      await rawRow("notification.email", { ...payload, template: "no.such.template" }),
      await rawRow("notification.email", { ...payload, params: { organizationName: "Acme" } }),
      await rawRow("something.else", payload),
    ];
    for (const outboxId of bad) {
      await expect(deliverEmailNotification({ db, mailer }, { outboxId })).rejects.toMatchObject({ code: "VALIDATION" });
      expect(await rowsFor(outboxId)).toHaveLength(0);
    }
    await expect(deliverEmailNotification({ db, mailer }, { outboxId: "42; drop" })).rejects.toMatchObject({
      code: "VALIDATION",
    });
    await expect(deliverEmailNotification({ db, mailer }, { outboxId: "999999999" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(mailer.sent).toHaveLength(0);
  });
});

describe("deliverEmailNotification and secret links", () => {
  it("e-mails the real link but keeps it neither in the notification nor in the outbox payload", async () => {
    const payload = invitation("secret@example.com");
    const outboxId = await writeOutbox(db, "notification.email", payload);
    const mailer = recordingMailer();

    expect((await deliverEmailNotification({ db, mailer }, { outboxId })).sent).toBe(true);

    const [sent] = mailer.sent;
    expect(sent?.text).toContain("\nhttps://buyer.souk.test/invitations/abc123\n");
    expect(sent?.redacted.text).toContain("\nhttps://buyer.souk.test/…\n");
    expect(JSON.stringify(sent?.redacted)).not.toContain(TOKEN);

    const [row] = await rowsFor(outboxId);
    expect(row?.body).toBe(sent?.redacted.text);
    expect(JSON.stringify(row)).not.toContain(TOKEN);

    const scrubbed = await outboxPayload(outboxId);
    expect(JSON.stringify(scrubbed)).not.toContain(TOKEN);
    // Only the secret is replaced: the rest stays for debugging.
    expect(scrubbed).toEqual({ ...payload, params: { ...payload.params, acceptUrl: "https://buyer.souk.test/…" } });
  });

  it("keeps the payload whole when the send fails, so the retry e-mails the real link", async () => {
    const payload = invitation("flaky@example.com", "fr");
    const outboxId = await writeOutbox(db, "notification.email", payload);
    const mailer = recordingMailer({ failTimes: 1 });

    await expect(deliverEmailNotification({ db, mailer }, { outboxId })).rejects.toThrow(/SMTP 451/);
    expect(await outboxPayload(outboxId)).toEqual(payload);
    // The record written before the attempt is already redacted.
    const [pending] = await rowsFor(outboxId);
    expect(pending?.sent_at).toBeNull();
    expect(pending?.body).not.toContain(TOKEN);

    // The retry is a redelivery of the job, which reads the outbox row again.
    expect((await deliverEmailNotification({ db, mailer }, { outboxId })).sent).toBe(true);
    expect(mailer.sent).toHaveLength(1);
    expect(mailer.sent[0]?.text).toContain("https://buyer.souk.test/invitations/abc123");
    expect(JSON.stringify(await outboxPayload(outboxId))).not.toContain(TOKEN);
  });

  it("scrubs only in the committing transaction: a send whose commit is lost is retried with the real link", async () => {
    const payload = invitation("lost@example.com");
    const outboxId = await writeOutbox(db, "notification.email", payload);
    const mailer = recordingMailer({ failAfterSend: 1 });

    await expect(deliverEmailNotification({ db, mailer }, { outboxId })).rejects.toThrow(/before commit/);
    expect(await outboxPayload(outboxId)).toEqual(payload);
    expect((await rowsFor(outboxId))[0]?.sent_at).toBeNull();

    expect((await deliverEmailNotification({ db, mailer }, { outboxId })).sent).toBe(true);
    // At least once: the lost attempt and the retry both carried the working link.
    expect(mailer.sent.map((m) => m.text.includes("/invitations/abc123"))).toEqual([true, true]);
    expect(JSON.stringify(await outboxPayload(outboxId))).not.toContain(TOKEN);
  });

  it("never e-mails a scrubbed payload: a re-added job finds the e-mail sent, and a reset row is refused", async () => {
    const payload = invitation("readded@example.com");
    const outboxId = await writeOutbox(db, "notification.email", payload);
    const mailer = recordingMailer();
    const first = await deliverEmailNotification({ db, mailer }, { outboxId });

    // The relay re-added the job (its claim of the row did not commit): the row is now scrubbed.
    expect(JSON.stringify(await outboxPayload(outboxId))).not.toContain(TOKEN);
    expect(await deliverEmailNotification({ db, mailer }, { outboxId })).toEqual({
      notificationId: first.notificationId,
      sent: false,
    });

    // Someone resets the row to send it again: the link is gone, so nothing is sent.
    await db.updateTable("notifications").set({ sent_at: null }).where("id", "=", first.notificationId).execute();
    await expect(deliverEmailNotification({ db, mailer }, { outboxId })).rejects.toMatchObject({
      code: "VALIDATION",
      fieldErrors: { params: ["param.redacted"] },
    });
    expect(mailer.sent).toHaveLength(1);
    expect(await rowsFor(outboxId)).toHaveLength(1);
  });

  it("waits for a relay still holding the outbox row, then scrubs it without undoing the relay's update", async () => {
    const payload = invitation("relayed@example.com");
    const outboxId = await writeOutbox(db, "notification.email", payload);
    const mailer = recordingMailer();

    let delivery: Promise<unknown> | undefined;
    await db.transaction().execute(async (relay) => {
      await relay.selectFrom("outbox").select("id").where("id", "=", outboxId).forUpdate().execute();
      // The job is picked up before the relay's batch commits.
      delivery = deliverEmailNotification({ db, mailer }, { outboxId });
      delivery.catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, 200));
      await relay.updateTable("outbox").set({ sent_at: sql<Date>`now()` }).where("id", "=", outboxId).execute();
    });
    await expect(delivery).resolves.toMatchObject({ sent: true });

    const row = await db.selectFrom("outbox").select(["payload", "sent_at"]).where("id", "=", outboxId).executeTakeFirstOrThrow();
    expect(row.sent_at).toBeInstanceOf(Date);
    expect(JSON.stringify(row.payload)).not.toContain(TOKEN);
    expect(mailer.sent[0]?.text).toContain("/invitations/abc123");
  });
});
