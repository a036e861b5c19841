import { spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { createTestDatabase, deleteKeysWithPrefix, redisUrl, uniqueQueuePrefix } from "@souk/testing";
import { writeOutbox } from "@souk/jobs";
import { freePort, getHealth, waitFor } from "./test/helpers";

const t = await createTestDatabase();
const prefix = uniqueQueuePrefix();
afterAll(() => deleteKeysWithPrefix(prefix));

describe("worker process (src/main.ts)", () => {
  it("starts from the environment, delivers e-mail, and exits 0 on SIGTERM", async () => {
    const port = await freePort();
    const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
      cwd: fileURLToPath(new URL("..", import.meta.url)),
      env: {
        ...process.env,
        NODE_ENV: "test",
        DATABASE_URL: t.url,
        REDIS_URL: redisUrl,
        QUEUE_PREFIX: prefix,
        HEALTH_PORT: String(port),
        HEALTH_HOST: "127.0.0.1",
        RELAY_INTERVAL_MS: "50",
        MAIL_TRANSPORT: "log",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const exited = once(child, "exit") as Promise<[number | null, NodeJS.Signals | null]>;

    try {
      await waitFor(() => getHealth(port).then((h) => h.status === 200).catch(() => false), 20_000, () => `the worker to answer /healthz\n${output}`);
      const outboxId = await writeOutbox(t.db, "notification.email", {
        template: "auth.password_changed",
        locale: "en",
        to: "process@example.com",
        params: { name: "Ana" },
      });
      await waitFor(async () => {
        const row = await t.db.selectFrom("notifications").select("sent_at").where("outbox_id", "=", outboxId).executeTakeFirst();
        return row?.sent_at;
      }, 15_000, "the e-mail to be sent");
      // The log transport wrote the e-mail, without its address (decision 0018).
      expect(output).toContain('"message":"email"');
      expect(output).not.toContain("process@example.com");
    } finally {
      child.kill("SIGTERM");
    }
    const [code, signal] = await exited;
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    expect(output).toContain('"message":"worker stopped"');
  });
});
