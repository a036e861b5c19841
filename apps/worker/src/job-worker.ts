import { UnrecoverableError, Worker, type Job } from "bullmq";
import type { Redis } from "ioredis";
import { isDomainError } from "@souk/domain";
import { parseJobPayload, type JobName, type JobPayload, type QueueName } from "@souk/jobs";
import { isFinalFailure, jobFields, runJob } from "./job-observer";
import type { Logger } from "./logger";

export type JobHandlers = { [N in JobName]?: (payload: JobPayload<N>, job: Job) => Promise<unknown> };

/**
 * A queue's consumer that hands each job to the service its name maps to, with the payload parsed
 * by the job's schema. A payload the schema refuses, a job with no handler here, or a DomainError
 * (bad input, a row that does not exist) can never succeed: BullMQ is told not to retry it.
 * Anything else (database or search engine down) is retried with the catalogue's backoff.
 * With `autorun: false` the worker takes no job until `run()` is called (see search-worker.ts).
 */
export function createJobWorker(options: {
  queue: QueueName;
  handlers: JobHandlers;
  connection: Redis;
  prefix: string;
  concurrency: number;
  logger: Logger;
  autorun?: boolean;
  /**
   * BullMQ's job lock, also used as the stalled-check interval: a job whose worker died is moved
   * back to waiting within about twice this (BullMQ's defaults, 30 s each, otherwise).
   */
  lockDurationMs?: number;
  onError?: (error: Error) => void;
}): Worker {
  const { queue, handlers, logger } = options;
  const processJob = (job: Job) => runJob(job, queue, logger, () => handle(job));
  const handle = async (job: Job) => {
    const handler = handlers[job.name as JobName] as ((payload: unknown, job: Job) => Promise<unknown>) | undefined;
    if (!handler) throw new UnrecoverableError(`no handler for job ${job.name} on queue ${queue}`);
    let payload: unknown;
    try {
      payload = parseJobPayload(job.name, job.data);
    } catch (error) {
      throw new UnrecoverableError(error instanceof Error ? error.message : String(error));
    }
    try {
      return await handler(payload, job);
    } catch (error) {
      if (isDomainError(error)) throw new UnrecoverableError(`${error.code}: ${error.message} ${JSON.stringify(error.fieldErrors)}`);
      throw error;
    }
  };

  const worker = new Worker(queue, processJob, {
    connection: options.connection,
    prefix: options.prefix,
    concurrency: options.concurrency,
    autorun: options.autorun ?? true,
    ...(options.lockDurationMs ? { lockDuration: options.lockDurationMs, stalledInterval: options.lockDurationMs } : {}),
  });
  worker.on("completed", (job, result: unknown) => {
    logger.info("job completed", { ...jobFields(job, queue), result });
  });
  worker.on("failed", (job, error) => {
    logger.warn("job failed", { ...jobFields(job, queue), attemptsMade: job?.attemptsMade, final: isFinalFailure(job, error), error });
  });
  worker.on("error", options.onError ?? ((error: Error) => logger.error(`${queue} worker error`, { error })));
  return worker;
}
