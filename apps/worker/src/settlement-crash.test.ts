import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { createQueues, createRedisConnection } from "@souk/jobs";
import { createTestDatabase, deleteKeysWithPrefix, redisUrl, uniqueQueuePrefix } from "@souk/testing";
import { freePort, getHealth, waitFor } from "./test/helpers";
import { allSettledOnce, insertOrders, ledgerReport, seedMarket, settledCount, settlementQueueCounts, zeroTrialBalance } from "./test/settlement";

const t = await createTestDatabase();
const prefix = uniqueQueuePrefix();
const children: ChildProcess[] = [];
afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  await deleteKeysWithPrefix(prefix);
});

const ORDERS = 400;
/** Lock and stalled-check interval of the settlement jobs: a killed worker's jobs are taken over within about twice this. */
const LOCK_MS = 1_000;

/** The real worker process (src/main.ts) on this file's database and queue prefix. */
async function spawnWorker(): Promise<{ child: ChildProcess; output: () => string; exited: Promise<unknown[]> }> {
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
      WORKER_CONCURRENCY: "2",
      SETTLEMENT_CONCURRENCY: "3",
      SETTLEMENT_LOCK_MS: String(LOCK_MS),
      RECONCILE_INTERVAL_MS: "0",
      RFQ_SWEEP_INTERVAL_MS: "0",
      PAYOUT_CYCLE_DAYS: "0",
      ORDER_SWEEP_INTERVAL_MS: "0",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = once(child, "exit");
  await waitFor(() => getHealth(port).then((h) => h.status === 200).catch(() => false), 30_000, () => `the worker to answer /healthz\n${output}`);
  return { child, output: () => output, exited };
}

describe("settlement across a worker killed with SIGKILL", () => {
  it("a worker killed in the middle of settling, then a new one: every order settled exactly once, the ledger balanced", async () => {
    const market = await seedMarket(t.db, { buyers: 5, sellers: 8 });
    const orderIds = await insertOrders(t.db, market, ORDERS);

    const producer = createRedisConnection(redisUrl, "producer");
    const queues = createQueues(producer, prefix);
    try {
      const first = await spawnWorker();
      // Kill it while it is settling: some orders settled, jobs in its hands, most still to do.
      await waitFor(async () => (await settledCount(t.db, orderIds)) >= 10 && (await settlementQueueCounts(queues)).active > 0, 60_000, () => `the first orders to settle\n${first.output()}`);
      first.child.kill("SIGKILL");
      const [code, signal] = await first.exited;
      expect({ code, signal }).toEqual({ code: null, signal: "SIGKILL" });
      expect(await settledCount(t.db, orderIds), "the kill came too late: every order was already settled").toBeLessThan(ORDERS);

      // What the killed worker left behind: the jobs it held (still "active", their locks expiring) and those never taken.
      const held = (await queues.byName.settlement.getActive()).map((job) => job.id!);
      expect(held.length).toBeGreaterThan(0);
      expect((await settlementQueueCounts(queues)).completed).toBeLessThan(ORDERS);

      const second = await spawnWorker();
      await waitFor(async () => (await settledCount(t.db, orderIds)) === ORDERS, 90_000, () => `every order to settle after the restart\n${second.output()}`);
      await waitFor(async () => {
        const counts = await settlementQueueCounts(queues);
        return counts.idle ? counts : undefined;
      }, 30_000, "the queue to drain");
      // Every job finished; the jobs the killed worker held were moved back by the stalled check and run again, not failed.
      expect(await queues.byName.settlement.getJobCountByTypes("failed")).toBe(0);
      for (const id of held) expect(await (await queues.byName.settlement.getJob(id))?.getState()).toBe("completed");
      expect(await t.db.selectFrom("outbox").select("id").where("topic", "=", "order.settle").where("sent_at", "is", null).execute()).toEqual([]);
      second.child.kill("SIGTERM");
      const [secondCode] = await second.exited;
      expect(secondCode).toBe(0);
    } finally {
      await queues.close();
      producer.disconnect();
    }

    const report = await ledgerReport(t.db, orderIds);
    expect(report).toMatchObject(allSettledOnce(ORDERS));
    expect(zeroTrialBalance(report)).toBe(true);
    // And nothing of the killed transactions: every journal in the ledger is a settlement of one of these orders.
    expect(await t.db.selectFrom("journals").select("id").execute()).toHaveLength(ORDERS);
    expect(await t.db.selectFrom("order_events").select("id").where("kind", "=", "settled").execute()).toHaveLength(ORDERS);
  }, 180_000);
});
