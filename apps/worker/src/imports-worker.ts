import type { Worker } from "bullmq";
import type { Redis } from "ioredis";
import { QUEUES } from "@souk/jobs";
import { runCatalogueImport, type ServiceDeps } from "@souk/services";
import { createJobWorker } from "./job-worker";
import type { Logger } from "./logger";

/**
 * The imports queue's consumer: catalogue CSV imports, one at a time per process (an import is a
 * long job that writes in batches; two at once would only compete for the same database).
 */
export function createImportsWorker(options: {
  connection: Redis;
  prefix: string;
  deps: ServiceDeps;
  logger: Logger;
  onError?: (error: Error) => void;
}): Worker {
  return createJobWorker({
    queue: QUEUES.imports,
    handlers: { "catalogue.import": (payload) => runCatalogueImport(options.deps, payload) },
    connection: options.connection,
    prefix: options.prefix,
    concurrency: 1,
    logger: options.logger,
    onError: options.onError,
  });
}
