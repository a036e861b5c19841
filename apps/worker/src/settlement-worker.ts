import type { Worker } from "bullmq";
import type { Redis } from "ioredis";
import { QUEUES } from "@souk/jobs";
import { runPayouts, settleOrder, type ServiceDeps } from "@souk/services";
import { createJobWorker } from "./job-worker";
import type { Logger } from "./logger";

/**
 * The settlement queue's consumer: `order.settle` posts a delivered order's settlement journal,
 * `payouts.run` batches sellers' payable balances into payouts. Both are idempotent in PostgreSQL
 * (the journal's unique key settlement:<orderId>; a run only batches journals no payout holds yet),
 * so a retry, a duplicate job, two workers at once or a job taken over after its worker was killed
 * (the short lock below) never post twice. A DomainError (no commission rule for the currency) fails
 * the job for good: it waits in the failed list for an operator to retry once the rule exists.
 */
export function createSettlementWorker(options: {
  connection: Redis;
  prefix: string;
  concurrency: number;
  lockDurationMs: number;
  deps: ServiceDeps;
  logger: Logger;
  onError?: (error: Error) => void;
}): Worker {
  return createJobWorker({
    queue: QUEUES.settlement,
    handlers: {
      "order.settle": (payload) => settleOrder(options.deps, payload),
      "payouts.run": (payload) => runPayouts(options.deps, payload),
    },
    connection: options.connection,
    prefix: options.prefix,
    concurrency: options.concurrency,
    lockDurationMs: options.lockDurationMs,
    logger: options.logger,
    onError: options.onError,
  });
}
