import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "@souk/testing";
import { captureLogger, freePort, getHealth, testConfig, waitFor } from "./test/helpers";
import { allSettledOnce, insertOrders, ledgerReport, seedMarket, settledCount, zeroTrialBalance } from "./test/settlement";
import { startWorker } from "./worker";

// A Redis of this test's own, stopped and started again without disturbing the shared one.
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

describe("settlement across a Redis outage", () => {
  it("deliveries committed while Redis is down wait in the outbox and are settled, once each, when Redis is back", async () => {
    const market = await seedMarket(t.db);
    await startRedis();
    const { logger } = captureLogger();
    const worker = await startWorker(testConfig(t.url, { redisUrl: url }), { logger });
    try {
      await waitFor(async () => (await getHealth(worker.healthPort)).status === 200, 10_000, "a healthy worker");
      // Before the outage: settled as usual.
      const before = await insertOrders(t.db, market, 5);
      await waitFor(async () => (await settledCount(t.db, before)) === before.length, 15_000, "the first orders to settle");

      await stopRedis();
      const during = await insertOrders(t.db, market, 30);
      const pending = await waitFor(async () => {
        const rows = await t.db.selectFrom("outbox").select(["attempts", "sent_at", "last_error"]).where("topic", "=", "order.settle").where("sent_at", "is", null).execute();
        return rows.length === during.length && rows.some((r) => r.attempts > 0) ? rows : undefined;
      }, 15_000, "a failed relay attempt");
      expect(pending.find((r) => r.attempts > 0)?.last_error).toMatch(/Redis/);
      expect(await settledCount(t.db, during)).toBe(0);
      expect((await getHealth(worker.healthPort)).body).toMatchObject({ postgres: "ok", redis: "down" });

      // Redis comes back empty (no persistence): the jobs come from the outbox.
      await startRedis();
      await waitFor(async () => (await settledCount(t.db, during)) === during.length, 30_000, "the orders delivered during the outage to settle");
      expect(await getHealth(worker.healthPort)).toEqual({ status: 200, body: { postgres: "ok", redis: "ok", settlement: "ok" } });
      expect(await t.db.selectFrom("outbox").select("id").where("sent_at", "is", null).execute()).toEqual([]);

      const report = await ledgerReport(t.db, [...before, ...during]);
      expect(report).toMatchObject(allSettledOnce(before.length + during.length));
      expect(zeroTrialBalance(report)).toBe(true);
    } finally {
      await worker.stop();
    }
  }, 90_000);
});
