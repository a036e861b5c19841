import { Queue, Worker, type JobsOptions } from "bullmq";
import { Redis } from "ioredis";

export interface JobsRun {
  jobs: number;
  /** From the worker's creation to the last completion. */
  drainMs: number;
  perSecond: number;
  failed: number;
}

/**
 * A baseline: `payloads.length` jobs with the settle jobs' name, payload shape and options
 * (attempts, backoff, retention), added to a queue of the same name under `prefix` on the same
 * Redis, then drained by one BullMQ worker of `concurrency` running `handle` for each. With a handler
 * that does nothing it is what BullMQ alone costs per job here; with a one-row insert, what any job
 * that commits to PostgreSQL can reach at best.
 */
export async function runJobs(options: {
  redisUrl: string;
  prefix: string;
  queue: string;
  name: string;
  payloads: { orderId: string }[];
  jobOptions: JobsOptions;
  concurrency: number;
  handle: (payload: { orderId: string }) => Promise<unknown>;
}): Promise<JobsRun> {
  const producer = new Redis(options.redisUrl, { maxRetriesPerRequest: 1 });
  const consumer = new Redis(options.redisUrl, { maxRetriesPerRequest: null });
  const queue = new Queue(options.queue, { connection: producer, prefix: options.prefix });
  let worker: Worker | undefined;
  try {
    for (let start = 0; start < options.payloads.length; start += 1_000) {
      await queue.addBulk(
        options.payloads.slice(start, start + 1_000).map((data, k) => ({ name: options.name, data, opts: { ...options.jobOptions, jobId: `baseline-${start + k}` } })),
      );
    }
    const total = options.payloads.length;
    let completed = 0;
    let failed = 0;
    let done: () => void = () => undefined;
    const finished = new Promise<void>((resolve) => (done = resolve));
    const started = performance.now();
    worker = new Worker(options.queue, async (job) => options.handle(job.data as { orderId: string }), {
      connection: consumer,
      prefix: options.prefix,
      concurrency: options.concurrency,
    });
    // A job that fails is retried later (backoff): count its first failure, so the run ends anyway.
    const counted = new Set<string>();
    worker.on("completed", () => {
      completed += 1;
      if (completed + failed === total) done();
    });
    worker.on("failed", (job) => {
      if (job?.id && !counted.has(job.id)) {
        counted.add(job.id);
        failed += 1;
        if (completed + failed === total) done();
      }
    });
    worker.on("error", () => undefined);
    await finished;
    const drainMs = performance.now() - started;
    return { jobs: total, drainMs, perSecond: (completed * 1000) / drainMs, failed };
  } finally {
    await worker?.close(true);
    await queue.close();
    producer.disconnect();
    consumer.disconnect();
  }
}
