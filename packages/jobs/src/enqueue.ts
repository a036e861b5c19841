import { Queue, type JobsOptions } from "bullmq";
import type { Redis } from "ioredis";
import { DEFAULT_RETENTION, JOBS, isJobName, parseJobPayload, UnknownJobError, type JobDefinition, type JobName, type JobPayload } from "./catalogue";
import { withJobRequestId } from "./observability/request-context";
import { outboxJobId } from "./outbox";
import { QUEUE_NAMES, type QueueName } from "./queues";
import { waitForRedis, withTimeout } from "./redis";

export const DEFAULT_QUEUE_PREFIX = "souk";

export interface Queues {
  readonly prefix: string;
  readonly connection: Redis;
  readonly byName: { readonly [Q in QueueName]: Queue };
  /** Closes the queues; the connection belongs to the caller and stays open. */
  close(): Promise<void>;
}

export interface CreateQueuesOptions {
  onError?: (error: Error) => void;
}

/**
 * One BullMQ Queue per queue name, all on one (producer) connection and under one key prefix.
 * Tests pass a unique prefix so they never see each other's jobs.
 */
export function createQueues(connection: Redis, prefix: string = DEFAULT_QUEUE_PREFIX, options: CreateQueuesOptions = {}): Queues {
  const byName = Object.fromEntries(
    QUEUE_NAMES.map((name) => {
      const queue = new Queue(name, { connection, prefix });
      // A Queue re-emits connection errors; without a listener they would be printed as unhandled.
      queue.on("error", (error: Error) => options.onError?.(error));
      return [name, queue];
    }),
  ) as { [Q in QueueName]: Queue };
  return {
    prefix,
    connection,
    byName,
    close: async () => {
      await Promise.all(Object.values(byName).map((queue) => queue.close()));
    },
  };
}

/** BullMQ options of a job, from the catalogue. */
export function jobOptions(name: JobName, jobId: string): JobsOptions {
  const definition: JobDefinition = JOBS[name];
  const retention = definition.retention ?? DEFAULT_RETENTION;
  return {
    jobId,
    attempts: definition.attempts,
    backoff: { ...definition.backoff },
    removeOnComplete: { age: retention.completedSeconds },
    removeOnFail: { age: retention.failedSeconds },
  };
}

export interface EnqueueOptions {
  /** Required: every job is idempotent on its id (see outboxJobId). */
  jobId: string;
  /** The request that caused the job, kept beside its payload (JOB_REQUEST_ID_KEY) for the worker's logs. */
  requestId?: string | null;
  /** Upper bound for the whole add, so a dead Redis fails the call instead of hanging it. */
  timeoutMs?: number;
}

export interface EnqueuedJob {
  jobId: string;
  queue: QueueName;
}

/**
 * Adds a job with the catalogue's retry policy. Adding an id that BullMQ still holds is a no-op,
 * which is what makes the relay's at-least-once enqueue effectively once.
 * Fails fast (RedisUnavailableError) when the producer connection is down.
 */
export async function enqueueJob<N extends JobName>(queues: Queues, name: N, payload: JobPayload<N>, options: EnqueueOptions): Promise<EnqueuedJob> {
  const data = parseJobPayload(name, payload);
  const queueName = JOBS[name].queue;
  const timeoutMs = options.timeoutMs ?? 2_000;
  await waitForRedis(queues.connection, Math.min(timeoutMs, 1_000));
  const job = await withTimeout(queues.byName[queueName].add(name, withJobRequestId(data, options.requestId), jobOptions(name, options.jobId)), timeoutMs, `enqueue ${name}`);
  return { jobId: job.id ?? options.jobId, queue: queueName };
}

/** An outbox row as the relay hands it over; `requestId` is the row's `request_id`. */
export interface OutboxRowJob {
  outboxId: string;
  jobKey: string;
  topic: string;
  payload: unknown;
  requestId?: string | null;
}

/**
 * The relay's `enqueue`: an outbox row becomes a job whose id is derived from the row's job key
 * (outboxJobId), so the same row added twice stays one job while a row that merely reuses the
 * bigint id of an older one (database restored, Redis not) is a new job. The payload comes from
 * the database, hence `unknown`. The row's request id goes with the job (JOB_REQUEST_ID_KEY).
 */
export async function enqueueOutboxJob(queues: Queues, row: OutboxRowJob, options: { timeoutMs?: number } = {}): Promise<EnqueuedJob> {
  if (!isJobName(row.topic)) throw new UnknownJobError(row.topic);
  return enqueueJob(queues, row.topic, row.payload as JobPayload<JobName>, { jobId: outboxJobId(row.jobKey), requestId: row.requestId, ...options });
}

/**
 * The relay's `enqueueBulk`: enqueueOutboxJob for many rows in one round trip per queue (BullMQ's
 * addBulk), the same job ids (outboxJobId of each row's job key: an id BullMQ still holds is
 * skipped, as with `add`) and the catalogue's options. Every row is checked before anything is
 * added: an unknown job or a payload the schema refuses throws (UnknownJobError,
 * InvalidJobPayloadError) and adds nothing, so the relay can find and park that row alone.
 */
export async function enqueueOutboxJobs(queues: Queues, rows: readonly OutboxRowJob[], options: { timeoutMs?: number } = {}): Promise<EnqueuedJob[]> {
  const byQueue = new Map<QueueName, { name: JobName; data: unknown; opts: JobsOptions }[]>();
  const enqueued: EnqueuedJob[] = [];
  for (const row of rows) {
    if (!isJobName(row.topic)) throw new UnknownJobError(row.topic);
    const data = parseJobPayload(row.topic, row.payload as JobPayload<JobName>);
    const queueName = JOBS[row.topic].queue;
    const jobId = outboxJobId(row.jobKey);
    let jobs = byQueue.get(queueName);
    if (!jobs) byQueue.set(queueName, (jobs = []));
    jobs.push({ name: row.topic, data: withJobRequestId(data, row.requestId), opts: jobOptions(row.topic, jobId) });
    enqueued.push({ jobId, queue: queueName });
  }
  if (enqueued.length === 0) return enqueued;
  const timeoutMs = options.timeoutMs ?? 2_000;
  await waitForRedis(queues.connection, Math.min(timeoutMs, 1_000));
  for (const [queueName, jobs] of byQueue) {
    await withTimeout(queues.byName[queueName].addBulk(jobs), timeoutMs, `enqueue ${jobs.length} jobs on ${queueName}`);
  }
  return enqueued;
}
