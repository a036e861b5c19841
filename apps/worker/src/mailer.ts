import nodemailer from "nodemailer";
import type { Mailer } from "@souk/services";
import type { MailConfig } from "./config";
import type { Logger } from "./logger";

export interface ClosableMailer extends Mailer {
  close(): void;
}

/**
 * The Mailer port over nodemailer. `log` builds the message exactly as SMTP would (jsonTransport)
 * and writes it to the log instead of sending it: development and tests see every e-mail, the
 * `notifications` row records it, and nothing leaves the machine. It writes the redacted copy:
 * log lines end up in terminals, CI output and log stores, and a one-time link there (an
 * invitation) would let any reader use it. The inviting admin is shown the link to test with.
 */
export function createMailer(config: MailConfig, from: string, logger: Logger): ClosableMailer {
  if (config.transport === "smtp") {
    const transport = nodemailer.createTransport(config.url);
    return {
      async send(message) {
        await transport.sendMail({ from, to: message.to, subject: message.subject, text: message.text });
      },
      close: () => transport.close(),
    };
  }
  const transport = nodemailer.createTransport({ jsonTransport: true });
  return {
    async send(message) {
      const info = await transport.sendMail({ from, to: message.to, subject: message.redacted.subject, text: message.redacted.text });
      logger.info("email", { transport: "log", email: JSON.parse(String(info.message)) as unknown });
    },
    close: () => transport.close(),
  };
}
