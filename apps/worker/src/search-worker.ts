import type { Worker } from "bullmq";
import type { Redis } from "ioredis";
import { QUEUES, waitForRedis, withTimeout, type Queues } from "@souk/jobs";
import { reconcileSearchIndex, syncListings, syncSellerListings, type SearchDeps, type ServiceDeps } from "@souk/services";
import { createJobWorker } from "./job-worker";
import type { Logger } from "./logger";
import { createSleeper } from "./sleeper";

/** Pause after the n-th failed set-up: 1 s, 2 s, 4 s... up to 30 s (a Meilisearch still starting, a restart). */
const SETUP_RETRY = { initialMs: 1_000, maxMs: 30_000 };

export interface SearchWorker {
  worker: Worker;
  /** Stops retrying the set-up (the worker itself is closed by the caller). */
  stopSetup(): Promise<void>;
}

/**
 * The search queue's consumer: listing and seller syncs and reconciliations, run through the
 * services, one job at a time in the whole system (concurrency 1 here, and the queue's global
 * concurrency set to 1 for the case of several worker processes), so an older read of PostgreSQL
 * never overwrites a newer one in the index.
 *
 * It takes no job until the index is configured (settings applied, `configure()` of the port) and
 * the queue's global concurrency is set: both are retried with a growing pause until they work,
 * without holding up the rest of the worker. Jobs wait in the queue meanwhile.
 */
export function startSearchWorker(options: {
  connection: Redis;
  /** The producer's queues: the search queue's global concurrency is set through them. */
  queues: Queues;
  prefix: string;
  deps: ServiceDeps & SearchDeps;
  logger: Logger;
  onError?: (error: Error) => void;
}): SearchWorker {
  const { deps, logger } = options;
  const onError = options.onError ?? ((error: Error) => logger.error("search worker error", { error }));
  const worker = createJobWorker({
    queue: QUEUES.search,
    handlers: {
      "search.listing.sync": (payload) => syncListings(deps, payload),
      "search.seller.sync": (payload) => syncSellerListings(deps, payload),
      "search.reconcile": (payload) => reconcileSearchIndex(deps, payload),
    },
    connection: options.connection,
    prefix: options.prefix,
    concurrency: 1,
    autorun: false,
    logger,
    onError,
  });

  const sleeper = createSleeper();
  let stopping = false;
  const ready = (async () => {
    for (let attempt = 1; !stopping; attempt += 1) {
      try {
        await deps.listingIndex.configure();
        // The producer connection fails fast while Redis is down, but a Queue command still waits
        // for it to be ready: bounded, so that stop() is never held up by a dead Redis.
        await waitForRedis(options.queues.connection, 1_000);
        await withTimeout(options.queues.byName.search.setGlobalConcurrency(1), 5_000, "setting the search queue's global concurrency");
        break;
      } catch (error) {
        const retryInMs = Math.min(SETUP_RETRY.initialMs * 2 ** (attempt - 1), SETUP_RETRY.maxMs);
        logger.warn("search index set-up failed; retrying", { engine: deps.listingIndex.name, attempt, retryInMs, error });
        await sleeper.sleep(retryInMs);
      }
    }
    if (stopping) return;
    logger.info("search index configured", { engine: deps.listingIndex.name });
    worker.run().catch((error: unknown) => onError(error instanceof Error ? error : new Error(String(error))));
  })();

  return {
    worker,
    stopSetup: async () => {
      stopping = true;
      sleeper.wake();
      await ready;
    },
  };
}
