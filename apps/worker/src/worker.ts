import type { Worker } from "bullmq";
import type { Redis } from "ioredis";
import { createQueues, createRedisConnection, enqueueOutboxJob, enqueueOutboxJobs, metricsAuthorization, QUEUES, waitForRedis } from "@souk/jobs";
import {
  closeDueRfqs,
  confirmDueDeliveries,
  createProcessMetrics,
  createServiceDeps,
  relayOutbox,
  schedulePayoutRun,
  scheduleSearchReconcile,
  settleOverdueOrders,
} from "@souk/services";
import type { WorkerConfig } from "./config";
import { startHealthServer } from "./health";
import { observeJobMetrics } from "./job-observer";
import { createLogger, type Logger } from "./logger";
import { createMailer, type ClosableMailer } from "./mailer";
import { createEventsWorker } from "./events-worker";
import { createImportsWorker } from "./imports-worker";
import { createNotificationsWorker } from "./notifications-worker";
import { startReconcileTimer } from "./reconcile-timer";
import { startAutoConfirmTimer } from "./auto-confirm-timer";
import { startPayoutsTimer } from "./payouts-timer";
import { startRelayLoop } from "./relay-loop";
import { startRfqSweepTimer } from "./rfq-sweep-timer";
import { createRfqsWorker } from "./rfqs-worker";
import { createSettlementWorker } from "./settlement-worker";
import { startSearchWorker } from "./search-worker";

export interface RunningWorker {
  /** Port /healthz listens on (useful with healthPort 0). */
  healthPort: number;
  /**
   * Graceful stop: no new relay pass, workers finish their active jobs, then queues, Redis, the
   * database pool and the HTTP server close. Safe to call twice.
   */
  stop(): Promise<void>;
}

/**
 * Starts everything the worker process runs, in-process, so tests drive the real thing. Starting
 * does not wait for PostgreSQL or Redis: each part retries on its own and /healthz says what is
 * missing, which is what an orchestrator needs to see.
 */
export async function startWorker(config: WorkerConfig, options: { logger?: Logger; mailer?: ClosableMailer } = {}): Promise<RunningWorker> {
  const logger = options.logger ?? createLogger({ service: "worker" });
  // MEILI_URL without its keys fails here, before anything runs.
  const deps = createServiceDeps({
    databaseUrl: config.databaseUrl,
    publicUrls: config.publicUrls,
    applicationName: "souk-worker",
    // Each active job holds one connection: notifications, events and rfqs (concurrency each),
    // search and imports (one each); the relay, the reconciliation timer, the RFQ sweep, the payout
    // schedule, the order sweep and /healthz need one each. The settle jobs share one connection
    // per batch in flight (a failed batch's orders then run one at a time on it), and up to
    // PAYOUT_RUN_CONNECTIONS payout runs beside them (more wait for one).
    poolSize: 3 * config.concurrency + Math.min(config.settlementConcurrency, config.settlementBatchesInFlight + PAYOUT_RUN_CONNECTIONS) + 8,
    search: config.search,
  });
  const redisErrors = throttledErrorLog(logger);
  const producer = createRedisConnection(config.redisUrl, "producer", { connectionName: `${config.queuePrefix}-producer`, onError: redisErrors });
  const consumer = createRedisConnection(config.redisUrl, "worker", { connectionName: `${config.queuePrefix}-worker`, onError: redisErrors });
  const queues = createQueues(producer, config.queuePrefix, { onError: redisErrors });
  const mailer = options.mailer ?? createMailer(config.mail, config.mailFrom, logger);

  const notifications = createNotificationsWorker({
    connection: consumer,
    prefix: config.queuePrefix,
    concurrency: config.concurrency,
    deps: { db: deps.db, mailer, publicUrls: deps.publicUrls },
    conversationDigestMinutes: config.conversationDigestMinutes,
    logger,
    onError: redisErrors,
  });

  const events = createEventsWorker({
    connection: consumer,
    prefix: config.queuePrefix,
    concurrency: config.concurrency,
    deps: { db: deps.db, publicUrls: deps.publicUrls },
    logger,
    onError: redisErrors,
  });

  const search = startSearchWorker({
    connection: consumer,
    queues,
    prefix: config.queuePrefix,
    deps,
    logger,
    onError: redisErrors,
  });

  const imports = createImportsWorker({
    connection: consumer,
    prefix: config.queuePrefix,
    deps: { db: deps.db, publicUrls: deps.publicUrls },
    logger,
    onError: redisErrors,
  });

  const rfqs = createRfqsWorker({
    connection: consumer,
    prefix: config.queuePrefix,
    concurrency: config.concurrency,
    deps: { db: deps.db, publicUrls: deps.publicUrls },
    logger,
    onError: redisErrors,
  });

  const settlement = createSettlementWorker({
    connection: consumer,
    prefix: config.queuePrefix,
    concurrency: config.settlementConcurrency,
    batchMax: config.settlementBatchMax,
    batchesInFlight: config.settlementBatchesInFlight,
    lockDurationMs: config.settlementLockMs,
    deps: { db: deps.db, publicUrls: deps.publicUrls },
    logger,
    onError: redisErrors,
  });

  // Job durations and failures per queue, and the outbox backlog and index drift read at each scrape.
  const metrics = createProcessMetrics({ service: "worker", db: deps.db, jobs: true });
  for (const [queue, worker] of [
    [QUEUES.notifications, notifications],
    [QUEUES.events, events],
    [QUEUES.search, search.worker],
    [QUEUES.imports, imports],
    [QUEUES.rfqs, rfqs],
    [QUEUES.settlement, settlement],
  ] as const) {
    observeJobMetrics(worker, queue, metrics);
  }

  const payoutsTimer = startPayoutsTimer({
    cycleDays: config.payoutCycleDays,
    checkIntervalMs: config.payoutCheckIntervalMs,
    schedule: (input) => schedulePayoutRun({ db: deps.db, publicUrls: deps.publicUrls }, input),
    logger,
  });

  const autoConfirm = startAutoConfirmTimer({
    autoConfirmDays: config.orderAutoConfirmDays,
    intervalMs: config.orderSweepIntervalMs,
    sweep: (input) => confirmDueDeliveries({ db: deps.db, publicUrls: deps.publicUrls }, input),
    ...(config.settlementOverdueMinutes > 0
      ? { settleOverdue: () => settleOverdueOrders({ db: deps.db, publicUrls: deps.publicUrls }, { olderThanMinutes: config.settlementOverdueMinutes }) }
      : {}),
    logger,
  });

  const rfqSweep = startRfqSweepTimer({
    intervalMs: config.rfqSweepIntervalMs,
    sweep: () => closeDueRfqs({ db: deps.db, publicUrls: deps.publicUrls }),
    logger,
  });

  const reconcileTimer = startReconcileTimer({
    intervalMs: config.reconcileIntervalMs,
    schedule: () => scheduleSearchReconcile(deps),
    logger,
  });

  const relay = startRelayLoop({
    relay: () =>
      relayOutbox(
        { db: deps.db, enqueue: (job) => enqueueOutboxJob(queues, job), enqueueBulk: (jobs) => enqueueOutboxJobs(queues, jobs) },
        { batchSize: config.relayBatchSize },
      ),
    batchSize: config.relayBatchSize,
    intervalMs: config.relayIntervalMs,
    logger,
  });

  let health;
  try {
    health = await startHealthServer({
      port: config.healthPort,
      host: config.healthHost,
      checks: {
        postgres: () => deps.db.selectNoFrom((eb) => eb.lit(1).as("ok")).execute(),
        // Waits briefly while the connection is still being established (just after start-up).
        redis: async () => {
          await waitForRedis(producer, 1_000);
          await producer.ping();
        },
        // The settlement consumer is running, and neither settlement timer has failed three passes
        // in a row (a bug or a broken row, not a dependency: those have their own checks).
        settlement: async () => {
          if (!settlement.isRunning()) throw new Error("settlement worker not running");
          if (payoutsTimer.consecutiveFailures() >= 3 || autoConfirm.consecutiveFailures() >= 3) throw new Error("settlement timers failing");
        },
      },
      metrics: { contentType: metrics.contentType, render: () => metrics.render(), canRead: metricsAuthorization(config.metricsToken, { openWithoutToken: !config.production }) },
    });
  } catch (error) {
    await closeAll();
    throw error;
  }
  logger.info("worker started", {
    queuePrefix: config.queuePrefix,
    healthPort: health.port,
    mail: config.mail.transport,
    searchEngine: deps.listingIndex.name,
    reconcileIntervalMs: config.reconcileIntervalMs,
    rfqSweepIntervalMs: config.rfqSweepIntervalMs,
    settlementConcurrency: config.settlementConcurrency,
    settlementBatchMax: config.settlementBatchMax,
    settlementBatchesInFlight: config.settlementBatchesInFlight,
    settlementOverdueMinutes: config.settlementOverdueMinutes,
    settlementLockMs: config.settlementLockMs,
    payoutCycleDays: config.payoutCycleDays,
    orderAutoConfirmDays: config.orderAutoConfirmDays,
    orderSweepIntervalMs: config.orderSweepIntervalMs,
  });

  async function closeAll() {
    await step("relay loop", () => relay.stop());
    await step("reconciliation timer", () => reconcileTimer.stop());
    await step("rfq sweep", () => rfqSweep.stop());
    await step("payout schedule", () => payoutsTimer.stop());
    await step("auto-confirmation sweep", () => autoConfirm.stop());
    await step("search index set-up", () => search.stopSetup());
    await step("notifications worker", () => closeBullWorker(notifications, consumer, logger));
    await step("events worker", () => closeBullWorker(events, consumer, logger));
    await step("search worker", () => closeBullWorker(search.worker, consumer, logger));
    await step("imports worker", () => closeBullWorker(imports, consumer, logger));
    await step("rfqs worker", () => closeBullWorker(rfqs, consumer, logger));
    await step("settlement worker", () => closeBullWorker(settlement, consumer, logger));
    await step("queues", () => queues.close());
    await step("redis", () => Promise.all([closeRedis(producer), closeRedis(consumer)]));
    await step("database", () => deps.close());
    mailer.close();
  }

  async function step(what: string, fn: () => Promise<unknown>) {
    try {
      await fn();
    } catch (error) {
      logger.error(`closing ${what} failed`, { error });
    }
  }

  let stopping: Promise<void> | undefined;
  return {
    healthPort: health.port,
    stop: () => {
      stopping ??= (async () => {
        logger.info("worker stopping");
        await closeAll();
        await step("health server", () => health.close());
        logger.info("worker stopped");
      })();
      return stopping;
    },
  };
}

/** Payout runs (settlement queue) that get a connection at once; a rare job, scheduled once a cycle. */
const PAYOUT_RUN_CONNECTIONS = 2;

/** How long stop() waits for active jobs; main.ts exits anyway a little later. */
const JOB_GRACE_MS = 20_000;

/**
 * A graceful BullMQ close waits for the jobs in progress, but it also waits for its connection to
 * become ready, which never happens while Redis is down: then close with force (nothing can be
 * recorded in Redis anyway, and a job cut short is retried since delivery is at least once).
 */
async function closeBullWorker(worker: Worker, connection: Redis, logger: Logger): Promise<void> {
  if (connection.status !== "ready") {
    await worker.close(true);
    return;
  }
  let timer: NodeJS.Timeout | undefined;
  const finished = await Promise.race([
    worker.close().then(() => true),
    new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), JOB_GRACE_MS);
    }),
  ]);
  clearTimeout(timer);
  if (!finished) logger.warn("jobs still running after the grace period; leaving them to be retried", { graceMs: JOB_GRACE_MS });
}

/** QUIT lets Redis flush replies in flight; a connection that is down is simply dropped. */
async function closeRedis(redis: Redis): Promise<void> {
  if (redis.status === "ready") {
    try {
      await redis.quit();
      return;
    } catch {
      // fall through to disconnect
    }
  }
  redis.disconnect();
}

/** While Redis is down ioredis reports every reconnect attempt; one line per 10 s is enough. */
function throttledErrorLog(logger: Logger, everyMs = 10_000): (error: Error) => void {
  let last = 0;
  return (error) => {
    const now = Date.now();
    if (now - last < everyMs) return;
    last = now;
    logger.warn("redis connection error", { error });
  };
}
