import { UnrecoverableError, Worker, type Job } from "bullmq";
import type { Redis } from "ioredis";
import { isDomainError } from "@souk/domain";
import { QUEUES } from "@souk/jobs";
import { dispatchEvent, EventConsumersFailedError, outboxIdOfJob, type EventConsumerDeps } from "@souk/services";
import { isFinalFailure, jobFields, runJob } from "./job-observer";
import type { Logger } from "./logger";

/**
 * The events queue's consumer: a thin shell around the services' dispatch, which hands each domain
 * event (seller.suspended...) to every consumer registered for it. Event payloads hold no secret, so
 * the job's data is the event (the outbox id, found from the job id's job key, is what consumers may log).
 * A DomainError (unknown topic, invalid payload) can never succeed: not retried. A consumer's
 * failure is retried with the catalogue's backoff, and every consumer of the event runs again:
 * consumers are idempotent (docs/events.md).
 */
export function createEventsWorker(options: {
  connection: Redis;
  prefix: string;
  concurrency: number;
  deps: EventConsumerDeps;
  logger: Logger;
  onError?: (error: Error) => void;
}): Worker {
  const processJob = (job: Job) =>
    runJob(job, QUEUES.events, options.logger, async () => {
      try {
        const outboxId = await outboxIdOfJob(options.deps.db, job.id);
        return await dispatchEvent(options.deps, { topic: job.name, outboxId, payload: job.data });
      } catch (error) {
        if (isDomainError(error)) throw new UnrecoverableError(`${error.code}: ${error.message} ${JSON.stringify(error.fieldErrors)}`);
        throw error;
      }
    });

  const worker = new Worker(QUEUES.events, processJob, {
    connection: options.connection,
    prefix: options.prefix,
    concurrency: options.concurrency,
    autorun: true,
  });
  worker.on("completed", (job, result: { consumers?: string[] } | undefined) => {
    options.logger.info("event dispatched", { ...jobFields(job, QUEUES.events), consumers: result?.consumers ?? [] });
  });
  worker.on("failed", (job, error) => {
    options.logger.warn("event failed", {
      ...jobFields(job, QUEUES.events),
      attemptsMade: job?.attemptsMade,
      final: isFinalFailure(job, error),
      consumers: error instanceof EventConsumersFailedError ? error.failed.map((f) => f.consumer) : undefined,
      error,
    });
  });
  worker.on("error", options.onError ?? ((error: Error) => options.logger.error("events worker error", { error })));
  return worker;
}
