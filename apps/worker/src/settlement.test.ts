import { afterAll, afterEach, describe, expect, it } from "vitest";
import { createQueues, createRedisConnection, enqueueJob, outboxJobId, type Queues } from "@souk/jobs";
import { enqueueSettlement } from "@souk/services";
import { createTestDatabase, deleteKeysWithPrefix, redisUrl } from "@souk/testing";
import { captureLogger, jobInState, testConfig, waitFor } from "./test/helpers";
import { allSettledOnce, dbClock, insertOrders, ledgerReport, seedMarket, settledCount, settlementQueueCounts, zeroTrialBalance } from "./test/settlement";
import { startWorker, type RunningWorker } from "./worker";

const t = await createTestDatabase();
const db = t.db;
const prefixes: string[] = [];
const running: RunningWorker[] = [];
const openQueues: { queues: Queues; close(): Promise<void> }[] = [];
// Workers share this file's database, and a running relay takes every due outbox row: each test
// stops its workers before the next one starts.
afterEach(async () => {
  await Promise.all(running.splice(0).map((worker) => worker.stop()));
  for (const q of openQueues.splice(0)) await q.close();
});
afterAll(async () => {
  for (const prefix of prefixes) await deleteKeysWithPrefix(prefix);
});

async function start(overrides: Parameters<typeof testConfig>[1] = {}) {
  const config = testConfig(t.url, overrides);
  if (!prefixes.includes(config.queuePrefix)) prefixes.push(config.queuePrefix);
  const { logger, entries } = captureLogger();
  running.push(await startWorker(config, { logger }));
  return { config, entries };
}

function queuesOf(prefix: string): Queues {
  const producer = createRedisConnection(redisUrl, "producer");
  const queues = createQueues(producer, prefix);
  openQueues.push({
    queues,
    close: async () => {
      await queues.close();
      producer.disconnect();
    },
  });
  return queues;
}

async function outboxKeys(orderIds: readonly string[]): Promise<Map<string, string[]>> {
  const rows = await db.selectFrom("outbox").select(["job_key", "payload"]).where("topic", "=", "order.settle").execute();
  const keys = new Map<string, string[]>();
  for (const row of rows) {
    const orderId = (row.payload as { orderId: string }).orderId;
    if (orderIds.includes(orderId)) keys.set(orderId, [...(keys.get(orderId) ?? []), row.job_key]);
  }
  return keys;
}

const market = await seedMarket(db);

describe("settlement in the worker: outbox → relay → settlement queue → settleOrder", () => {
  it("settles delivered orders once each: one journal, one settlements row, the order settled, the ledger balanced", async () => {
    const orderIds = await insertOrders(db, market, 40);
    const { config, entries } = await start();
    await waitFor(async () => (await settledCount(db, orderIds)) === orderIds.length, 20_000, "every order to settle");

    const report = await ledgerReport(db, orderIds);
    expect(report).toMatchObject(allSettledOnce(orderIds.length));
    expect(zeroTrialBalance(report)).toBe(true);

    // Through the queue: each outbox row was relayed, and its job completed with the use case's result.
    const queues = queuesOf(config.queuePrefix);
    const keys = await outboxKeys(orderIds);
    for (const orderId of orderIds.slice(0, 5)) {
      const [key] = keys.get(orderId)!;
      const job = await jobInState(queues.byName.settlement, outboxJobId(key!), "completed", 5_000);
      expect(job.name).toBe("order.settle");
      expect(job.returnvalue).toMatchObject({ orderId, status: "settled" });
    }
    expect(entries.filter((e) => e.message === "job completed" && e.queue === "settlement").length).toBeGreaterThanOrEqual(orderIds.length);
  });

  it("the same job added twice (a duplicate delivery, a job added by hand) and an old job run again: still one journal per order", async () => {
    const orderIds = await insertOrders(db, market, 20);
    // A second outbox row for every order: the delivery event written twice.
    await db.transaction().execute(async (trx) => {
      for (const id of orderIds) await enqueueSettlement(trx, id);
    });
    const { config } = await start();
    const queues = queuesOf(config.queuePrefix);
    // And the same job added straight to the queue under other ids, twice each.
    for (const orderId of orderIds.slice(0, 10)) {
      for (const copy of [1, 2]) await enqueueJob(queues, "order.settle", { orderId }, { jobId: `manual-${copy}-${orderId}` });
    }
    await waitFor(async () => (await settledCount(db, orderIds)) === orderIds.length, 20_000, "every order to settle");
    await waitFor(async () => {
      const counts = await settlementQueueCounts(queues);
      return counts.idle && counts.completed === orderIds.length * 2 + 20 ? counts : undefined;
    }, 20_000, "every job to finish");

    const results = (await queues.byName.settlement.getCompleted(0, -1)).map((job) => (job.returnvalue as { status: string }).status);
    expect(results.filter((status) => status === "settled")).toHaveLength(orderIds.length);
    expect(results.filter((status) => status === "already_settled")).toHaveLength(orderIds.length + 20);
    expect(await queues.byName.settlement.getJobCountByTypes("failed")).toBe(0);

    // Every job of a settled order run again after it completed (an operator's retry, a replay).
    for (const [, keys] of await outboxKeys(orderIds.slice(0, 5))) {
      for (const key of keys) await (await queues.byName.settlement.getJob(outboxJobId(key)))!.retry("completed");
    }
    await waitFor(async () => {
      const counts = await settlementQueueCounts(queues);
      return counts.idle && counts.completed === orderIds.length * 2 + 20 ? counts : undefined;
    }, 20_000, "the replayed jobs");
    const replayed = (await queues.byName.settlement.getCompleted(0, -1)).map((job) => (job.returnvalue as { status: string }).status);
    expect(replayed.filter((status) => status === "already_settled").length).toBeGreaterThanOrEqual(orderIds.length + 20);

    const report = await ledgerReport(db, orderIds);
    expect(report).toMatchObject(allSettledOnce(orderIds.length));
    expect(zeroTrialBalance(report)).toBe(true);
  });

  it("two worker processes at once (same queues, same database) on orders delivered twice: one journal per order", async () => {
    const orderIds = await insertOrders(db, market, 120);
    await db.transaction().execute(async (trx) => {
      for (const id of orderIds) await enqueueSettlement(trx, id);
    });
    const { config } = await start({ settlementConcurrency: 4 });
    await start({ queuePrefix: config.queuePrefix, settlementConcurrency: 4 });
    await waitFor(async () => (await settledCount(db, orderIds)) === orderIds.length, 30_000, "every order to settle");
    const queues = queuesOf(config.queuePrefix);
    await waitFor(async () => {
      const counts = await settlementQueueCounts(queues);
      return counts.idle && counts.completed === orderIds.length * 2 ? counts : undefined;
    }, 20_000, "every job to finish");
    const report = await ledgerReport(db, orderIds);
    expect(report).toMatchObject(allSettledOnce(orderIds.length));
    expect(zeroTrialBalance(report)).toBe(true);
    expect(await queues.byName.settlement.getJobCountByTypes("failed")).toBe(0);
  });

  it("an order in a currency without a commission rule fails for good (no retry storm) and settles once the rule exists and the job is retried", async () => {
    const [orderId] = await insertOrders(db, market, 1, { currency: "CHF" });
    const { config } = await start();
    const queues = queuesOf(config.queuePrefix);
    const [key] = (await outboxKeys([orderId!])).get(orderId!)!;
    const failed = await jobInState(queues.byName.settlement, outboxJobId(key!), "failed", 15_000);
    expect(failed.failedReason).toMatch(/commission\.no_rule/);
    expect(failed.attemptsMade).toBe(1);
    expect(await settledCount(db, [orderId!])).toBe(0);

    await db.insertInto("commission_rules").values({ scope: "default", currency: "CHF", rate_bps: 300, fixed_minor: "0", floor_minor: "0", cap_minor: null }).execute();
    await failed.retry("failed", { resetAttemptsMade: true });
    await waitFor(async () => (await settledCount(db, [orderId!])) === 1, 10_000, "the retried job to settle the order");
    expect(await ledgerReport(db, [orderId!])).toMatchObject(allSettledOnce(1));
  });
});

describe("settlement timers", () => {
  it("the order sweep settles delivered orders whose settle job was lost (Redis lost its data), once they are overdue", async () => {
    // Delivered two hours ago, their outbox rows relayed and the jobs gone with Redis: no job will come.
    const lost = await insertOrders(db, market, 4, { enqueue: false });
    const recent = await insertOrders(db, market, 2, { enqueue: false });
    await db.updateTable("orders").set({ delivered_at: new Date((await dbClock(db)).getTime() - 2 * 3_600_000) }).where("id", "in", lost).execute();
    const { entries } = await start({ orderSweepIntervalMs: 100, settlementOverdueMinutes: 60 });

    await waitFor(async () => (await settledCount(db, lost)) === lost.length, 15_000, () => `the overdue orders to be settled by the sweep\n${entries.filter((e) => e.level !== "info").slice(0, 5).map((e) => JSON.stringify(e)).join("\n")}`);
    expect(await ledgerReport(db, lost)).toMatchObject(allSettledOnce(lost.length));
    expect(entries.some((e) => e.message === "overdue orders settled by the sweep (their settle job was lost or failed)" && e.settled === lost.length)).toBe(true);
    // Many sweeps later the recent ones are still left to their (here missing) jobs, and nothing was settled twice.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await settledCount(db, recent)).toBe(0);
    expect(await ledgerReport(db, lost)).toMatchObject(allSettledOnce(lost.length));
    await db.updateTable("orders").set({ status: "cancelled" }).where("id", "in", recent).execute();
  });

  it("the payout schedule starts one run per cycle, at start-up, and the worker runs it", async () => {
    await start({ payoutCycleDays: 10, payoutCheckIntervalMs: 100 });
    const runs = () => db.selectFrom("payout_runs").select(["id", "trigger", "started_at", "finished_at"]).orderBy("started_at").execute();
    const first = await waitFor(async () => {
      const all = await runs();
      return all.length === 1 && all[0]!.finished_at ? all[0] : undefined;
    }, 15_000, "the first scheduled run to be created and run");
    expect(first.trigger).toBe("schedule");
    // Many ticks later, still one run: the cycle is not over.
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(await runs()).toHaveLength(1);

    // Ten days pass (the run moved back by the database clock): the next tick starts the second run.
    const tenDaysAgo = new Date((await dbClock(db)).getTime() - 10 * 86_400_000 - 1_000);
    await db
      .updateTable("payout_runs")
      // started_at is never updated by the application (its type says so); the test plays the clock.
      .set({ started_at: tenDaysAgo } as never)
      .where("id", "=", first.id)
      .execute();
    await waitFor(async () => {
      const all = await runs();
      return all.length === 2 && all[1]!.finished_at ? all : undefined;
    }, 15_000, "the second run");
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(await runs()).toHaveLength(2);
    expect(await db.selectFrom("outbox").select("id").where("topic", "=", "payouts.run").execute()).toHaveLength(2);
  });

  it("the auto-confirmation sweep delivers the orders shipped N days ago (then they settle), and leaves the others until they are due", async () => {
    const due = await insertOrders(db, market, 3, { status: "shipped", shippedDaysAgo: 8 });
    const notYet = await insertOrders(db, market, 2, { status: "shipped", shippedDaysAgo: 1 });
    await start({ orderAutoConfirmDays: 7, orderSweepIntervalMs: 100 });

    await waitFor(async () => (await settledCount(db, due)) === due.length, 20_000, "the due orders to be confirmed and settled");
    const rows = await db.selectFrom("orders").select(["id", "status", "delivery_confirmed_by", "delivered_at"]).where("id", "in", [...due, ...notYet]).execute();
    for (const row of rows.filter((r) => due.includes(r.id))) expect(row).toMatchObject({ status: "settled", delivery_confirmed_by: "auto" });
    for (const row of rows.filter((r) => notYet.includes(r.id))) expect(row).toMatchObject({ status: "shipped", delivery_confirmed_by: null, delivered_at: null });
    const events = await db.selectFrom("order_events").select(["order_id", "kind", "actor_kind"]).where("order_id", "in", due).where("kind", "=", "delivered").execute();
    expect(events).toHaveLength(due.length);
    expect(events.every((e) => e.actor_kind === "system")).toBe(true);

    // Six more days pass for the others: the next sweep confirms them too.
    await db
      .updateTable("orders")
      .set({ shipped_at: new Date((await dbClock(db)).getTime() - 7 * 86_400_000 - 1_000) })
      .where("id", "in", notYet)
      .execute();
    await waitFor(async () => (await settledCount(db, notYet)) === notYet.length, 20_000, "the other orders");
    expect(await ledgerReport(db, [...due, ...notYet])).toMatchObject(allSettledOnce(due.length + notYet.length));
    // Delivered once each, whatever the number of sweeps.
    expect(await db.selectFrom("order_events").select("id").where("order_id", "in", [...due, ...notYet]).where("kind", "=", "delivered").execute()).toHaveLength(5);
  });
});
