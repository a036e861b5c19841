import type { Worker } from "bullmq";
import type { Redis } from "ioredis";
import { QUEUES } from "@souk/jobs";
import { createSettlementBatcher, runPayouts, submitPayout, type ServiceDeps } from "@souk/services";
import { createJobWorker } from "./job-worker";
import type { Logger } from "./logger";

/**
 * The settlement queue's consumer: `order.settle` posts a delivered order's settlement journal,
 * `payouts.run` batches sellers' payable balances into payouts, `payout.submit` hands one payout to
 * the payment provider (outside any transaction). All are idempotent in PostgreSQL (the journal's
 * unique key settlement:<orderId>; a run only batches journals no payout holds yet; a payout is
 * submitted only while pending with no submitted_at, and the provider de-duplicates on its id),
 * so a retry, a duplicate job, two workers at once or a job taken over after its worker was killed
 * (the short lock below) never post twice. A DomainError (no commission rule for the currency) fails
 * the job for good: it waits in the failed list for an operator to retry once the rule exists.
 *
 * The settle jobs this process holds are settled together (createSettlementBatcher, decision 0012):
 * those taken while a batch is in flight go in the next one, one transaction for all of them, and
 * each job ends with its own order's outcome; a second batch starts beside the first only once a
 * full one is waiting. `concurrency` is therefore what bounds the batches (about twice `batchMax`
 * keeps two of them full): the jobs waiting for their batch hold no database connection.
 */
export function createSettlementWorker(options: {
  connection: Redis;
  prefix: string;
  concurrency: number;
  /** The most orders one batch takes. */
  batchMax: number;
  /** Batches at once (a connection each). */
  batchesInFlight: number;
  lockDurationMs: number;
  deps: ServiceDeps;
  logger: Logger;
  onError?: (error: Error) => void;
}): Worker {
  const batcher = createSettlementBatcher(options.deps, {
    maxBatch: options.batchMax,
    maxInFlight: options.batchesInFlight,
    onBatch: (report) => {
      if (report.mode === "batch" || report.mode === "alone") options.logger.info("settlement batch", { ...report });
      else options.logger.warn("settlement batch failed as a whole", { ...report });
    },
  });
  return createJobWorker({
    queue: QUEUES.settlement,
    handlers: {
      "order.settle": (payload) => batcher.settle(payload.orderId),
      "payouts.run": (payload) => runPayouts(options.deps, payload),
      "payout.submit": (payload) => submitPayout(options.deps, payload),
    },
    connection: options.connection,
    prefix: options.prefix,
    concurrency: options.concurrency,
    lockDurationMs: options.lockDurationMs,
    logger: options.logger,
    onError: options.onError,
  });
}
