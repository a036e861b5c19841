import { randomBytes } from "node:crypto";
import { createQueues, createRedisConnection } from "@souk/jobs";
import { allSettledOnce, insertOrders, ledgerReport, seedMarket, settledCount, settlementQueueCounts, zeroTrialBalance } from "@souk/worker/src/test/settlement";
import { drillsEnv } from "./env";
import { runDrill, seconds, sleep, waitFor } from "./lib/drill";
import { createDrillDatabase, startCluster } from "./lib/postgres";
import { startRedis } from "./lib/redis";
import { startWorker } from "./lib/worker";

/**
 * Drill 1 — the worker killed with SIGKILL in the middle of a settlement run.
 *
 * 2,000 delivered orders, each with its `order.settle` outbox row (as the delivery writes it); the
 * real worker starts settling them and is killed with SIGKILL once some are settled and not all;
 * a new worker starts. Expected: every order settled exactly once (one settlements row, one journal),
 * the trial balance zero per currency, no job failed, nothing left in the outbox.
 */
const ORDERS = drillsEnv.orders;
/** Settled orders from which the worker is killed: a tenth of the run, so that most of it is left for the next worker. */
const KILL_AFTER = Math.max(1, Math.floor(ORDERS / 10));
/** The settlement jobs' lock: a killed worker's jobs go back to waiting within about twice this (production: 30 s). */
const LOCK_MS = 2_000;

await runDrill("worker-kill", async (drill) => {
  const cluster = await startCluster(drill);
  const { url, db } = await createDrillDatabase(drill, cluster);
  const redis = await startRedis(drill);
  const queuePrefix = `drill-${randomBytes(4).toString("hex")}`;

  let t = Date.now();
  const market = await seedMarket(db, { buyers: 10, sellers: 25 });
  const orderIds = await insertOrders(db, market, ORDERS);
  drill.figure("orders seeded (delivered, order.settle in the outbox)", `${orderIds.length} in ${seconds(Date.now() - t)}`);

  const producer = createRedisConnection(redis.url, "producer");
  const queues = createQueues(producer, queuePrefix);
  drill.defer("close the drill's queues", async () => {
    await queues.close();
    producer.disconnect();
  });
  const workerOptions = { databaseUrl: url, redisUrl: redis.url, queuePrefix, env: { SETTLEMENT_LOCK_MS: String(LOCK_MS) } };

  t = Date.now();
  const first = await startWorker(drill, "worker-1", workerOptions);
  const startedAt = Date.now();
  drill.log(`worker 1 healthy after ${seconds(startedAt - t)}; waiting for the first settlements`);

  // Kill it once settlement is well under way: a tenth of the orders settled, jobs in its hands.
  const atKill = await waitFor(
    `${KILL_AFTER} orders to settle`,
    async () => {
      const settled = await settledCount(db);
      if (settled < KILL_AFTER) return undefined;
      return { settled, counts: await settlementQueueCounts(queues) };
    },
    60_000,
    5,
  );
  const killAt = Date.now();
  const exit = await first.child.stop("SIGKILL");
  drill.check("worker 1 died of SIGKILL", exit.signal === "SIGKILL", `exit ${JSON.stringify(exit)}`);
  drill.figure("worker start → kill", seconds(killAt - startedAt));
  drill.figure("settled when killed", `${atKill.settled} of ${ORDERS}`);
  drill.require("the kill came while settling (some settled, not all)", atKill.settled > 0 && atKill.settled < ORDERS, `${atKill.settled} settled`);

  // Whatever the killed worker had committed stays; what it held is left "active" with an expiring lock.
  await sleep(300);
  const afterKill = await settledCount(db);
  const held = (await queues.byName.settlement.getActive()).map((job) => job.id!);
  const countsAfterKill = await settlementQueueCounts(queues);
  drill.figure("settled after the kill (committed before it)", afterKill);
  drill.figure("jobs held by the dead worker (active)", held.length);
  drill.figure("jobs waiting", countsAfterKill.waiting);
  drill.check("nothing settles while no worker runs", (await settledCount(db)) === afterKill);

  t = Date.now();
  const second = await startWorker(drill, "worker-2", workerOptions);
  const restartedAt = Date.now();
  drill.log(`worker 2 healthy after ${seconds(restartedAt - t)}`);
  await waitFor("every order to settle after the restart", async () => (await settledCount(db)) === ORDERS, 90_000, 50).catch((error: unknown) => {
    drill.log(second.child.tail());
    throw error;
  });
  const allSettledAt = Date.now();
  const drained = await waitFor("the settlement queue to drain", async () => {
    const counts = await settlementQueueCounts(queues);
    return counts.idle ? counts : undefined;
  }, 30_000);
  drill.figure("restart → every order settled", seconds(allSettledAt - restartedAt));
  drill.figure("whole run (first worker start → all settled, kill included)", seconds(allSettledAt - startedAt));
  drill.figure("settlement jobs completed / failed", `${drained.completed} / ${drained.failed}`);

  drill.check("no settlement job failed", drained.failed === 0, `${drained.failed} failed`);
  const heldStates = await Promise.all(held.map(async (id) => (await queues.byName.settlement.getJob(id))?.getState()));
  drill.check(
    "the dead worker held jobs, and they were taken over and completed",
    held.length > 0 && heldStates.every((state) => state === "completed"),
    held.length === 0 ? "none held" : `${heldStates.filter((s) => s === "completed").length}/${held.length} completed`,
  );
  const unsent = await db.selectFrom("outbox").select("id").where("sent_at", "is", null).execute();
  drill.check("the outbox is empty (every order.settle relayed)", unsent.length === 0, `${unsent.length} unsent`);

  const report = await ledgerReport(db, orderIds);
  const expected = allSettledOnce(ORDERS);
  const mismatches = Object.entries(expected).filter(([key, value]) => report[key as keyof typeof report] !== value);
  drill.figure("ledger", JSON.stringify({ ...report, trialBalance: undefined }));
  drill.check("every order settled exactly once (one settlement, one journal each; splits correct)", mismatches.length === 0, mismatches.map(([k, v]) => `${k}=${String(report[k as keyof typeof report])} (want ${String(v)})`).join(", ") || `${ORDERS} orders`);
  drill.check("trial balance zero per currency", zeroTrialBalance(report), JSON.stringify(report.trialBalance));
  const journals = await db.selectFrom("journals").select((eb) => eb.fn.countAll<string>().as("n")).executeTakeFirstOrThrow();
  drill.check("no journal beyond one per order (nothing of the killed transactions)", Number(journals.n) === ORDERS, `${journals.n} journals`);
  const settledEvents = await db.selectFrom("order_events").select((eb) => eb.fn.countAll<string>().as("n")).where("kind", "=", "settled").executeTakeFirstOrThrow();
  drill.check("one 'settled' event per order", Number(settledEvents.n) === ORDERS, `${settledEvents.n} events`);

  const stopped = await second.child.stop("SIGTERM", 30_000);
  drill.check("worker 2 stops cleanly on SIGTERM", stopped.code === 0, `exit ${JSON.stringify(stopped)}`);
});
