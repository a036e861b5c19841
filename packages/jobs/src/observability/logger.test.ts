import { describe, expect, it } from "vitest";
import { createLogger, type LogLevel } from "./logger";
import { runWithRequestId } from "./request-context";

function capture(level?: LogLevel) {
  const lines: string[] = [];
  const logger = createLogger({ service: "test", level, write: (line) => lines.push(line) });
  return { logger, lines, entries: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

describe("createLogger", () => {
  it("writes one JSON object per line: ISO time, level name, service, message and the fields", () => {
    const { logger, lines, entries } = capture();
    logger.info("job completed", { queue: "search", jobId: "outbox-1", count: 3, when: new Date("2026-01-02T03:04:05Z"), big: 12n });
    logger.warn("job failed", { error: new TypeError("boom") });
    expect(lines).toHaveLength(2);
    expect(lines[0]).not.toContain("\n");
    const [info, warn] = entries();
    expect(info).toMatchObject({ level: "info", service: "test", message: "job completed", queue: "search", jobId: "outbox-1", count: 3, when: "2026-01-02T03:04:05.000Z", big: "12" });
    expect(new Date(info!.time as string).toISOString()).toBe(info!.time);
    expect(warn).toMatchObject({ level: "warn", error: { name: "TypeError", message: "boom" } });
    expect((warn!.error as { stack: string }).stack).toContain("TypeError: boom");
  });

  it("drops the lines below its level", () => {
    const { logger, entries } = capture("warn");
    logger.debug("a");
    logger.info("b");
    logger.warn("c");
    logger.log("error", "d");
    expect(entries().map((e) => [e.level, e.message])).toEqual([
      ["warn", "c"],
      ["error", "d"],
    ]);
    const debug = capture("debug");
    debug.logger.debug("e");
    expect(debug.entries()[0]).toMatchObject({ level: "debug", message: "e" });
  });

  it("never writes a secret: authorization, cookies, passwords, tokens and keys, at any depth", () => {
    const { logger, lines, entries } = capture();
    logger.info("incoming", {
      headers: { authorization: "Bearer s3cr3t-bearer", cookie: "__session=s3cr3t-cookie", "set-cookie": ["__session=s3cr3t-set"], "user-agent": "curl/8" },
      form: { password: "s3cr3t-password", newPassword: "s3cr3t-new", csrfToken: "s3cr3t-csrf" },
      nested: [{ deep: { apiKey: "s3cr3t-key", MEILI_ADMIN_KEY: "s3cr3t-admin", sortKey: "price", clientSecret: "s3cr3t-client" } }],
      sessionId: "s3cr3t-session",
      userId: "7b0c3f9e-3c39-4b53-9d0a-0f8f2bc1f7a4",
    });
    const text = lines.join("\n");
    expect(text).not.toMatch(/s3cr3t/);
    const [entry] = entries();
    expect(entry).toMatchObject({
      headers: { authorization: "[redacted]", cookie: "[redacted]", "set-cookie": "[redacted]", "user-agent": "curl/8" },
      form: { password: "[redacted]", newPassword: "[redacted]", csrfToken: "[redacted]" },
      nested: [{ deep: { apiKey: "[redacted]", MEILI_ADMIN_KEY: "[redacted]", sortKey: "price", clientSecret: "[redacted]" } }],
      sessionId: "[redacted]",
      // Ids are what logs name people and organisations by.
      userId: "7b0c3f9e-3c39-4b53-9d0a-0f8f2bc1f7a4",
    });
  });

  it("masks e-mail addresses, connection-string credentials and bearer tokens inside any text, the message included", () => {
    const { logger, lines, entries } = capture();
    logger.error("could not invite ana.lima+buyer@example.co.uk", {
      error: new Error("connect to postgres://souk:pa55word@db.internal:5432/souk failed for bob@example.com"),
      note: "header was Bearer abcdefghijklmnop",
      to: [{ address: "carla@example.org", name: "Carla" }],
    });
    const text = lines.join("\n");
    for (const secret of ["ana.lima", "example.co.uk", "pa55word", "bob@example.com", "carla@example.org", "abcdefghijklmnop"]) expect(text).not.toContain(secret);
    const [entry] = entries();
    expect(entry).toMatchObject({
      message: "could not invite [email]",
      error: { message: "connect to postgres://[redacted]@db.internal:5432/souk failed for [email]" },
      note: "header was Bearer [redacted]",
      to: [{ address: "[email]", name: "Carla" }],
    });
  });

  it("adds the current request id to every line written during a request, unless the line names one itself", async () => {
    const { logger, entries } = capture();
    logger.info("outside");
    await runWithRequestId("req-logger-0001", async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      logger.info("inside");
      logger.info("explicit", { requestId: "req-other-0002" });
    });
    expect(entries().map((e) => [e.message, e.requestId])).toEqual([
      ["outside", undefined],
      ["inside", "req-logger-0001"],
      ["explicit", "req-other-0002"],
    ]);
  });

  it("cuts objects nested too deep (a cycle included) instead of failing", () => {
    const { logger, entries } = capture();
    const loop: Record<string, unknown> = { id: "x" };
    loop.self = loop;
    logger.info("cycle", { loop });
    let node = entries()[0]!.loop as Record<string, unknown>;
    let depth = 0;
    while (typeof node.self === "object") {
      node = node.self as Record<string, unknown>;
      depth += 1;
    }
    expect(node.self).toBe("[…]");
    expect(depth).toBeLessThan(10);
  });
});
