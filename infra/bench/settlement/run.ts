import { randomBytes } from "node:crypto";
import { cpus, totalmem } from "node:os";
import { Queue, type JobsOptions } from "bullmq";
import { Redis } from "ioredis";
import { sql } from "kysely";
import pg from "pg";
import { createDb, migrateToLatest } from "@souk/db";
import { readSearchEnv } from "@souk/search";
import { settleOrder, settleOrders } from "@souk/services";
import { deleteQueueKeys, spawnWorker, type SpawnedWorker } from "../search/latency";
import { ms } from "../search/stats";
import { readBenchSettlementConfig } from "../src/env";
import { runJobs } from "./baseline";
import { checkLedger, ledgerHolds } from "./ledger";
import { tracingDb } from "./profile";
import { deliverOrders, releaseSettlements, seedSettlementMarket } from "./seed";

/**
 * The settlement benchmark (`pnpm bench:settlement`): N delivered orders, each with the outbox row
 * its delivery writes, settled by the real worker (its own process: relay → BullMQ settlement queue
 * → settleOrder); then N no-op jobs through the same Redis with a worker of the same concurrency,
 * and the ratio of the two rates; then, as a yardstick, N jobs that each commit one single-row
 * insert (the cheapest job that writes to PostgreSQL: what any database job can reach here); then
 * the ledger read back (trial balance, one journal per order, every journal balanced). Everything
 * lives in a database and queue prefixes of its own, dropped at the end (also on Ctrl-C).
 */
const GOAL_RATIO = 0.5;
const QUEUE = "settlement";
const JOB = "order.settle";
const POLL_MS = 50;
const DRAIN_TIMEOUT_MS = 15 * 60_000;
/** The most connections of the insert yardstick's pool. */
const INSERT_POOL_MAX = 50;
/** Orders of the batch settled alone with settleOrders, outside the queue, to show its statements. */
const PROFILED_BATCH = 200;
const PUBLIC_URLS = { buyer: "http://buyer.bench", seller: "http://seller.bench", operator: "http://operator.bench" };

const config = readBenchSettlementConfig();
const suffix = randomBytes(4).toString("hex");
const databaseName = `souk_bench_settlement_${suffix}`;
const queuePrefix = `bench-settlement-${suffix}`;
const noopPrefix = `bench-settlement-noop-${suffix}`;
const insertPrefix = `bench-settlement-insert-${suffix}`;
const databaseUrl = (() => {
  const url = new URL(config.adminDatabaseUrl);
  url.pathname = `/${databaseName}`;
  return url.toString();
})();

async function admin(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: config.adminDatabaseUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

const log = (line = "") => console.log(line);
const row = (label: string, value: string) => log(`  ${label.padEnd(46)} ${value}`);
const int = (n: number | bigint) => (typeof n === "bigint" ? n : Math.round(n)).toLocaleString("en");
const seconds = (milliseconds: number) => `${(milliseconds / 1000).toFixed(2)} s`;
const euros = (minor: bigint) => `${(minor / 100n).toLocaleString("en")}.${String(minor % 100n).padStart(2, "0")} EUR`;

await admin(`create database "${databaseName}"`);
const db = createDb({ connectionString: databaseUrl, max: 4, applicationName: "souk-bench-settlement" });
const tracer = tracingDb(databaseUrl);
let worker: SpawnedWorker | undefined;
let cleaned: Promise<void> | undefined;
const cleanUp = () =>
  (cleaned ??= (async () => {
    await worker?.stop().catch(() => undefined);
    await tracer.close().catch(() => undefined);
    await db.destroy().catch(() => undefined);
    for (const prefix of [queuePrefix, noopPrefix, insertPrefix]) await deleteQueueKeys(config.redisUrl, prefix).catch((error: unknown) => console.error(`could not delete the keys of ${prefix}:`, error));
    if (config.keepDatabase) log(`kept database ${databaseName} (BENCH_KEEP_DATABASE=1): drop it when done`);
    else await admin(`drop database if exists "${databaseName}" with (force)`).catch((error: unknown) => console.error(`could not drop ${databaseName}:`, error));
  })());
process.once("SIGINT", () => {
  log("\ninterrupted: cleaning up");
  void cleanUp().then(() => process.exit(130));
});

async function count(table: "settlements"): Promise<number> {
  return Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<string>().as("n")).executeTakeFirstOrThrow()).n);
}

async function unsentSettlements(): Promise<number> {
  return Number(
    (await db.selectFrom("outbox").select((eb) => eb.fn.countAll<string>().as("n")).where("topic", "=", JOB).where("sent_at", "is", null).executeTakeFirstOrThrow()).n,
  );
}

try {
  await migrateToLatest(db);
  const { rows: server } = await sql<{ version: string; synchronous_commit: string }>`select current_setting('server_version') as version, current_setting('synchronous_commit') as synchronous_commit`.execute(db);
  log(`Settlement benchmark — ${int(config.orders)} delivered orders, ${config.buyers} buyers, ${config.sellers} sellers, settlement concurrency ${config.concurrency}, batches of at most ${config.batchMax}, relay batch ${config.relayBatchSize}, ledger history ${int(config.history)} orders`);
  log(`  machine: ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}; PostgreSQL ${server[0]?.version ?? "?"} (synchronous_commit ${server[0]?.synchronous_commit ?? "?"}); database ${databaseName}`);
  log();

  const market = await seedSettlementMarket(db, { buyers: config.buyers, sellers: config.sellers, tag: suffix });
  // One order settled alone, and a batch settled at once, outside the queue, on a connection that records their statements.
  const [profiled] = await deliverOrders(db, market, 1, config.orders);
  const profiledBatch = await deliverOrders(db, market, PROFILED_BATCH, config.orders + 1 + config.history);
  await db.deleteFrom("outbox").where("topic", "=", JOB).execute();
  const seeding = performance.now();
  const orderIds = await deliverOrders(db, market, config.orders);
  row("delivered orders written (+ outbox rows)", `${int(orderIds.length)} in ${seconds(performance.now() - seeding)}`);
  if (config.history > 0) {
    // A ledger in use: orders settled earlier (their outbox rows long sent), then the statistics.
    // PostgreSQL plans the foreign-key checks of a connection once, on the statistics of the
    // moment: on an empty ledger they scan whole tables, and every settlement would get slower as
    // the ledger grows (no marketplace runs with an empty, never analysed ledger).
    const started = performance.now();
    const history = await deliverOrders(db, market, config.history, config.orders + 1);
    await db.updateTable("outbox").set({ sent_at: sql<Date>`now()` }).where("topic", "=", JOB).where("sent_at", "is", null).where(sql<boolean>`payload->>'orderId' = any(${history}::text[])`).execute();
    for (let start = 0; start < history.length; start += 500) await settleOrders({ db, publicUrls: PUBLIC_URLS }, { orderIds: history.slice(start, start + 500) });
    row("ledger history (orders settled before the run)", `${int(history.length)} in ${seconds(performance.now() - started)}`);
  }
  await sql`analyze`.execute(db);

  tracer.take();
  const warm = await settleOrder({ db: tracer.db, publicUrls: PUBLIC_URLS }, { orderId: profiled! });
  const statements = tracer.take();
  row("one settleOrder, alone", `${statements.length} statements (begin and commit included), ${ms(statements.reduce((sum, s) => sum + s.ms, 0))} in PostgreSQL; ${warm.status}`);
  if (config.trace) for (const s of statements) log(`    ${ms(s.ms).padStart(9)}  ${s.sql.slice(0, 160)}`);
  const batched = await settleOrders({ db: tracer.db, publicUrls: PUBLIC_URLS }, { orderIds: profiledBatch });
  const batchStatements = tracer.take();
  row(`one settleOrders of ${PROFILED_BATCH}, alone`, `${batchStatements.length} statements, ${ms(batchStatements.reduce((sum, s) => sum + s.ms, 0))} in PostgreSQL; ${batched.results.filter((r) => r.status === "settled").length} settled`);
  if (config.trace) for (const s of batchStatements) log(`    ${ms(s.ms).padStart(9)}  ${s.sql.replace(/\$\d+(, \$\d+)+/g, "$…").slice(0, 160)}`);

  // The real worker, its own process, production settings but for the settlement concurrency.
  log();
  const workerLog: string[] = [];
  const batches: { orders: number; ms: number; mode: string }[] = [];
  worker = await spawnWorker({
    processEnv: {
      ...config.processEnv,
      SETTLEMENT_CONCURRENCY: String(config.concurrency),
      SETTLEMENT_BATCH_MAX: String(config.batchMax),
      SETTLEMENT_OVERDUE_MINUTES: "0",
      RELAY_BATCH_SIZE: String(config.relayBatchSize),
      RFQ_SWEEP_INTERVAL_MS: "0",
      PAYOUT_CYCLE_DAYS: "0",
      ORDER_SWEEP_INTERVAL_MS: "0",
    },
    databaseUrl,
    redisUrl: config.redisUrl,
    queuePrefix,
    search: readSearchEnv({}),
    onLine: (line) => {
      // A completed job is one line each, a batch another: keep only the rest (warnings, errors) for a failed run.
      if (line.includes('"settlement batch')) {
        const batch = JSON.parse(line) as { orders: number; ms: number; mode: string };
        batches.push({ orders: batch.orders, ms: batch.ms, mode: batch.mode });
        if (batch.mode !== "batch" && batch.mode !== "alone") workerLog.push(line);
      } else if (!line.includes('"job completed"')) workerLog.push(line);
    },
  });

  // Every delivery is committed already; releasing the held-back outbox rows starts the clock.
  const settledBefore = await count("settlements");
  const started = performance.now();
  const released = await releaseSettlements(db);
  let relayedAt: number | null = null;
  let settled = 0;
  for (;;) {
    settled = (await count("settlements")) - settledBefore;
    if (relayedAt === null && (await unsentSettlements()) === 0) relayedAt = performance.now() - started;
    if (settled >= orderIds.length) break;
    if (performance.now() - started > DRAIN_TIMEOUT_MS) throw new Error(`only ${settled} of ${orderIds.length} orders settled after ${seconds(DRAIN_TIMEOUT_MS)}\n${workerLog.slice(-20).join("\n")}`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  const drainMs = performance.now() - started;
  const settledPerSecond = (orderIds.length * 1000) / drainMs;
  row("outbox rows released to the relay", int(released));
  row("all relayed to Redis after", relayedAt === null ? "—" : seconds(relayedAt));
  row("drain time (release → last order settled)", seconds(drainMs));
  row("orders settled per second", `${settledPerSecond.toFixed(1)} /s`);
  if (batches.length > 0) {
    const orders = batches.reduce((sum, b) => sum + b.orders, 0);
    const inBatches = batches.reduce((sum, b) => sum + b.ms, 0);
    const failed = batches.filter((b) => b.mode !== "batch" && b.mode !== "alone").length;
    row("settlement batches (the worker's)", `${int(batches.length)}: ${(orders / batches.length).toFixed(1)} orders and ${(inBatches / batches.length).toFixed(1)} ms each on average, largest ${Math.max(...batches.map((b) => b.orders))}; ${failed} failed as a whole`);
    row("time the worker spent in batches", `${seconds(inBatches)} of the drain`);
  }

  // The settle jobs as the worker left them: their options, and none failed.
  const producer = new Redis(config.redisUrl, { maxRetriesPerRequest: 1 });
  const settlementQueue = new Queue(QUEUE, { connection: producer, prefix: queuePrefix });
  let jobOptions: JobsOptions;
  try {
    let counts = await settlementQueue.getJobCounts("completed", "failed", "active", "waiting", "delayed");
    for (let i = 0; i < 100 && (counts.completed ?? 0) + (counts.failed ?? 0) < orderIds.length; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      counts = await settlementQueue.getJobCounts("completed", "failed", "active", "waiting", "delayed");
    }
    row("settle jobs completed / failed", `${int(counts.completed ?? 0)} / ${int(counts.failed ?? 0)}`);
    const [sample] = await settlementQueue.getCompleted(0, 0);
    if (!sample) throw new Error("no completed settle job to copy the options of");
    const { attempts, backoff, removeOnComplete, removeOnFail } = sample.opts;
    jobOptions = { attempts, backoff, removeOnComplete, removeOnFail };
  } finally {
    await settlementQueue.close();
    producer.disconnect();
  }
  await worker.stop();
  worker = undefined;

  // The same number of jobs that do nothing, through the same Redis, one worker of the same concurrency.
  log();
  const baseline = { redisUrl: config.redisUrl, queue: QUEUE, name: JOB, payloads: orderIds.map((orderId) => ({ orderId })), jobOptions, concurrency: config.concurrency };
  const noop = await runJobs({ ...baseline, prefix: noopPrefix, handle: async ({ orderId }) => ({ orderId, status: "settled" }) });
  row(`no-op BullMQ jobs (concurrency ${config.concurrency})`, `${int(noop.jobs)} in ${seconds(noop.drainMs)}: ${noop.perSecond.toFixed(1)} /s`);
  const ratio = settledPerSecond / noop.perSecond;
  row("ratio settled/s ÷ no-op jobs/s", ratio.toFixed(3));

  // The yardstick: one autocommitted single-row insert per job, over a pool as large as the
  // concurrency, up to INSERT_POOL_MAX connections (PostgreSQL's max_connections is 100 by default).
  await sql`create table bench_insert_job (id bigserial primary key, order_id uuid not null, at timestamptz not null default now())`.execute(db);
  const insertPool = new pg.Pool({ connectionString: databaseUrl, max: Math.min(config.concurrency, INSERT_POOL_MAX), application_name: "souk-bench-settlement-insert" });
  try {
    const inserts = await runJobs({
      ...baseline,
      prefix: insertPrefix,
      handle: async ({ orderId }) => {
        await insertPool.query("insert into bench_insert_job (order_id) values ($1)", [orderId]);
        return { orderId };
      },
    });
    row(`one-row-insert jobs (the PostgreSQL yardstick, pool ${Math.min(config.concurrency, INSERT_POOL_MAX)})`, `${int(inserts.jobs)} in ${seconds(inserts.drainMs)}: ${inserts.perSecond.toFixed(1)} /s${inserts.failed > 0 ? ` (${inserts.failed} failed)` : ""}`);
    row("ratio insert jobs/s ÷ no-op jobs/s", `${(inserts.perSecond / noop.perSecond).toFixed(3)} (the best any job committing to PostgreSQL can do here)`);
    row("ratio settled/s ÷ insert jobs/s", (settledPerSecond / inserts.perSecond).toFixed(3));
  } finally {
    await insertPool.end();
  }

  // The ledger, read back.
  log();
  const ledger = await checkLedger(db);
  row("orders / settled", `${int(ledger.orders)} / ${int(ledger.settledOrders)}`);
  row("settlements rows / settlement journals", `${int(ledger.settlementRows)} / ${int(ledger.settlementJournals)}`);
  row("orders with a duplicate journal or settlement", int(ledger.duplicated));
  row("orders settled without their journal (or not)", int(ledger.mismatched));
  row("journals that do not balance", int(ledger.unbalancedJournals));
  row("settlements where net + commission ≠ gross", int(ledger.badSplits));
  row("accounts vs settlements (receivable, payable, revenue)", `${int(ledger.accountDrift)} minor units apart`);
  for (const t of ledger.trialBalance) row(`trial balance ${t.currency}`, `debits ${euros(t.debits)}, credits ${euros(t.credits)}, imbalance ${int(t.sum)}`);
  row("gross settled / commission", `${euros(ledger.gross)} / ${euros(ledger.commission)}`);

  log();
  const holds = ledgerHolds(ledger);
  row(`goal: ratio ≥ ${GOAL_RATIO}`, ratio >= GOAL_RATIO ? `met (${ratio.toFixed(2)})` : `MISSED (${ratio.toFixed(2)})`);
  row("goal: zero imbalance, one journal per order", holds ? "met" : "MISSED");
  if (!holds || settled < orderIds.length) process.exitCode = 1;
} catch (error) {
  console.error("benchmark failed:", error);
  process.exitCode = 1;
} finally {
  await cleanUp();
}
