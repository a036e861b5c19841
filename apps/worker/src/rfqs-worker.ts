import type { Worker } from "bullmq";
import type { Redis } from "ioredis";
import { QUEUES } from "@souk/jobs";
import { closeRfq, type ServiceDeps } from "@souk/services";
import { createJobWorker } from "./job-worker";
import type { Logger } from "./logger";

/**
 * The rfqs queue's consumer: `rfq.close` jobs, each written with its RFQ's deadline as its
 * availability (again after every anti-sniping extension), so the relay hands it over at the
 * deadline. Closing is idempotent (a job for an older deadline, a retry or a duplicate finds the RFQ
 * not due or already closed and does nothing), so several at once are harmless.
 */
export function createRfqsWorker(options: {
  connection: Redis;
  prefix: string;
  concurrency: number;
  deps: ServiceDeps;
  logger: Logger;
  onError?: (error: Error) => void;
}): Worker {
  return createJobWorker({
    queue: QUEUES.rfqs,
    handlers: {
      "rfq.close": async (payload) => {
        const result = await closeRfq(options.deps, payload);
        if (result.chain && !result.chain.ok) options.logger.error("rfq receipts chain broken at closing", { rfqId: result.rfqId, brokenAt: result.chain.brokenAt });
        return { rfqId: result.rfqId, closed: result.closed, offers: result.offers };
      },
    },
    connection: options.connection,
    prefix: options.prefix,
    concurrency: options.concurrency,
    logger: options.logger,
    onError: options.onError,
  });
}
