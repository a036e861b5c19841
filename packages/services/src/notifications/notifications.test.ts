import { describe, expect, it } from "vitest";
import { createTestDatabase } from "@souk/testing";
import { writeOutbox, type NotificationEmailPayload } from "@souk/jobs";
import { isDomainError } from "@souk/domain";
import { deliverEmailNotification, renderEmail, type EmailMessage, type EmailTemplateParams, type Mailer } from "./index";

const { db } = await createTestDatabase();

/** Records messages instead of talking SMTP (the port's other side is not ours). */
function recordingMailer(options: { failTimes?: number; delayMs?: number } = {}): Mailer & { sent: EmailMessage[] } {
  let failures = options.failTimes ?? 0;
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
    },
  };
}

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
});

describe("deliverEmailNotification", () => {
  it("sends once and writes one row when the same outbox id is delivered twice", async () => {
    const payload = invitation("twice@example.com", "fr");
    const outboxId = await writeOutbox(db, "notification.email", payload);
    const mailer = recordingMailer();

    const first = await deliverEmailNotification({ db, mailer }, { outboxId, payload });
    const second = await deliverEmailNotification({ db, mailer }, { outboxId, payload });

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
      body: mailer.sent[0]!.text,
    });
    expect(rows[0]!.sent_at).toBeInstanceOf(Date);
  });

  it("sends once when two deliveries of one job run at the same time", async () => {
    const payload = invitation("race@example.com");
    const outboxId = await writeOutbox(db, "notification.email", payload);
    const mailer = recordingMailer({ delayMs: 100 });

    const results = await Promise.all([
      deliverEmailNotification({ db, mailer }, { outboxId, payload }),
      deliverEmailNotification({ db, mailer }, { outboxId, payload }),
    ]);
    expect(results.map((r) => r.sent).sort()).toEqual([false, true]);
    expect(mailer.sent).toHaveLength(1);
    expect(await rowsFor(outboxId)).toHaveLength(1);
  });

  it("leaves the row unsent when the transport fails, and the retry sends it", async () => {
    const payload = invitation("retry@example.com");
    const outboxId = await writeOutbox(db, "notification.email", payload);
    const mailer = recordingMailer({ failTimes: 1 });

    await expect(deliverEmailNotification({ db, mailer }, { outboxId, payload })).rejects.toThrow(/SMTP 451/);
    const [failed] = await rowsFor(outboxId);
    expect(failed?.sent_at).toBeNull();

    expect((await deliverEmailNotification({ db, mailer }, { outboxId, payload })).sent).toBe(true);
    expect(mailer.sent).toHaveLength(1);
    const rows = await rowsFor(outboxId);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.sent_at).toBeInstanceOf(Date);
  });

  it("refuses a bad payload and writes nothing", async () => {
    const payload = invitation("bad@example.com");
    const outboxId = await writeOutbox(db, "notification.email", payload);
    const mailer = recordingMailer();
    for (const bad of [
      { ...payload, to: "nope" },
      { ...payload, template: "no.such.template" },
      { ...payload, params: { organizationName: "Acme" } },
    ]) {
      await expect(deliverEmailNotification({ db, mailer }, { outboxId, payload: bad })).rejects.toMatchObject({ code: "VALIDATION" });
    }
    await expect(deliverEmailNotification({ db, mailer }, { outboxId: "42; drop", payload })).rejects.toMatchObject({
      code: "VALIDATION",
    });
    expect(mailer.sent).toHaveLength(0);
    expect(await rowsFor(outboxId)).toHaveLength(0);
  });
});
