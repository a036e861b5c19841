import { createServer, type Server } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import type { EmailMessage } from "@souk/services";
import { createMailer } from "./mailer";
import { captureLogger } from "./test/helpers";

const message: EmailMessage = {
  to: "bo@example.com",
  subject: "Ana invited you",
  text: "Accept the invitation:\nhttp://localhost:3001/invitations/secrettoken\n",
  redacted: { subject: "Ana invited you", text: "Accept the invitation:\nhttp://localhost:3001/…\n" },
};

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await new Promise((resolve) => server.close(resolve));
});

/** Just enough SMTP to accept one message and hand back its DATA section (an SMTP relay is not ours to run). */
async function smtpSink(): Promise<{ url: string; received: string[] }> {
  const received: string[] = [];
  const server = createServer((socket) => {
    let data: string | null = null;
    let buffer = "";
    socket.write("220 sink ESMTP\r\n");
    socket.on("data", (chunk) => {
      buffer += chunk.toString("utf8");
      for (;;) {
        if (data !== null) {
          const end = buffer.indexOf("\r\n.\r\n");
          if (end === -1) return;
          received.push(data + buffer.slice(0, end));
          data = null;
          buffer = buffer.slice(end + 5);
          socket.write("250 queued\r\n");
          continue;
        }
        const newline = buffer.indexOf("\r\n");
        if (newline === -1) return;
        const command = buffer.slice(0, newline).toUpperCase();
        buffer = buffer.slice(newline + 2);
        if (command.startsWith("DATA")) {
          data = "";
          socket.write("354 go on\r\n");
        } else if (command.startsWith("QUIT")) {
          socket.end("221 bye\r\n");
        } else {
          socket.write("250 ok\r\n");
        }
      }
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (!address || typeof address === "string") throw new Error("no port");
  return { url: `smtp://127.0.0.1:${address.port}`, received };
}

describe("createMailer", () => {
  it("sends the real text over SMTP", async () => {
    const sink = await smtpSink();
    const { logger, entries } = captureLogger();
    const mailer = createMailer({ transport: "smtp", url: sink.url }, "Souk <no-reply@souk.test>", logger);
    try {
      await mailer.send(message);
    } finally {
      mailer.close();
    }
    expect(sink.received).toHaveLength(1);
    // Undo quoted-printable soft line breaks before looking for the link.
    expect(sink.received[0]!.replace(/=\r\n/g, "")).toContain("http://localhost:3001/invitations/secrettoken");
    expect(JSON.stringify(entries)).not.toContain("secrettoken");
  });

  it("writes only the redacted text to the log", async () => {
    const { logger, entries } = captureLogger();
    const mailer = createMailer({ transport: "log" }, "Souk <no-reply@souk.test>", logger);
    await mailer.send(message);
    mailer.close();
    const logged = entries.find((e) => e.message === "email") as { email: { subject: string; text: string } } | undefined;
    expect(logged?.email).toMatchObject({ subject: "Ana invited you", text: message.redacted.text });
    expect(JSON.stringify(entries)).not.toContain("secrettoken");
  });
});
