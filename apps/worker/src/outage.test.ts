import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "@souk/testing";
import { writeOutbox } from "@souk/jobs";
import { captureLogger, freePort, getHealth, testConfig, waitFor } from "./test/helpers";
import { startWorker } from "./worker";

// A Redis of this test's own, so it can be stopped and started again without disturbing the
// shared one other test files use.
const t = await createTestDatabase();
const port = await freePort();
const url = `redis://127.0.0.1:${port}`;
let redis: ChildProcess | undefined;

async function startRedis() {
  redis = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--maxmemory-policy", "noeviction"], {
    stdio: "ignore",
  });
  const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  probe.on("error", () => undefined);
  try {
    await waitFor(() => probe.connect().then(() => probe.ping()).catch(() => undefined), 10_000, "redis-server to start");
  } finally {
    probe.disconnect();
  }
}

async function stopRedis() {
  if (!redis || redis.exitCode !== null) return;
  const exited = once(redis, "exit");
  redis.kill("SIGTERM");
  await exited;
}

afterAll(stopRedis);

describe("worker across a Redis outage", () => {
  it("keeps an e-mail written while Redis is down pending, and sends it once Redis is back", async () => {
    await startRedis();
    const { logger } = captureLogger();
    const worker = await startWorker(testConfig(t.url, { redisUrl: url }), { logger });
    try {
      await waitFor(async () => (await getHealth(worker.healthPort)).status === 200, 10_000, "a healthy worker");

      await stopRedis();
      const outboxId = await writeOutbox(t.db, "notification.email", {
        template: "auth.password_changed",
        locale: "fr",
        to: "outage@example.com",
        params: { name: "Ana" },
      });

      const pending = await waitFor(async () => {
        const row = await t.db.selectFrom("outbox").selectAll().where("id", "=", outboxId).executeTakeFirstOrThrow();
        return row.attempts > 0 ? row : undefined;
      }, 10_000, "a failed relay attempt");
      expect(pending.sent_at).toBeNull();
      expect(pending.last_error).toMatch(/Redis/);
      expect(await getHealth(worker.healthPort)).toEqual({ status: 503, body: { postgres: "ok", redis: "down", settlement: "ok" } });

      await startRedis();
      const sent = await waitFor(async () => {
        const row = await t.db.selectFrom("notifications").selectAll().where("outbox_id", "=", outboxId).executeTakeFirst();
        return row?.sent_at ? row : undefined;
      }, 20_000, "the e-mail to be sent after Redis came back");
      expect(sent).toMatchObject({ to_address: "outage@example.com", subject: "Votre mot de passe Souk a été modifié" });
      expect(await getHealth(worker.healthPort)).toEqual({ status: 200, body: { postgres: "ok", redis: "ok", settlement: "ok" } });
      const rows = await t.db.selectFrom("notifications").select("id").where("outbox_id", "=", outboxId).execute();
      expect(rows).toHaveLength(1);
    } finally {
      await worker.stop();
    }
  });
});
