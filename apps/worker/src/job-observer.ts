import { UnrecoverableError, type Job, type Worker } from "bullmq";
import { jobRequestId, runWithRequestId, type LogFields, type Logger, type Metrics } from "@souk/jobs";

/** When this process started each job it runs (the Job object BullMQ passes to the processor and then to its events). */
const startedAt = new WeakMap<Job, number>();

function durationMs(job: Job): number | null {
  const start = startedAt.get(job);
  if (start !== undefined) return Math.round((performance.now() - start) * 10) / 10;
  // A job failed by the stalled check was never run here: BullMQ's own timestamps, when it has both.
  return job.processedOn && job.finishedOn ? job.finishedOn - job.processedOn : null;
}

/** What every log line about a job says: queue, job name and id, the request that caused it, and (once done) how long it ran. */
export function jobFields(job: Job | undefined, queue: string): LogFields {
  if (!job) return { queue };
  return { queue, name: job.name, jobId: job.id, requestId: jobRequestId(job.data), durationMs: durationMs(job) };
}

/** Whether a failure is the job's last: no retry left, or a failure that can never succeed. */
export function isFinalFailure(job: Job | undefined, error: unknown): boolean {
  return error instanceof UnrecoverableError || (job ? job.attemptsMade >= (job.opts.attempts ?? 1) : true);
}

/**
 * Runs a job's work: logs "job started", and runs it with the request id the job carries as the
 * current one, so that the outbox rows it writes (follow-up jobs) carry it too and its log lines
 * name it. Every processor of the worker goes through here.
 */
export function runJob<T>(job: Job, queue: string, logger: Logger, work: () => Promise<T>): Promise<T> {
  startedAt.set(job, performance.now());
  const run = () => {
    logger.info("job started", { ...jobFields(job, queue), durationMs: undefined, attemptsMade: job.attemptsMade });
    return work();
  };
  const requestId = jobRequestId(job.data);
  return requestId ? runWithRequestId(requestId, run) : run();
}

/** Feeds a queue's job durations and failures to the metrics (souk_job_duration_seconds, souk_job_failures_total). */
export function observeJobMetrics(worker: Worker, queue: string, metrics: Metrics): void {
  const seconds = (job: Job) => {
    const ms = durationMs(job);
    return ms === null ? null : ms / 1000;
  };
  worker.on("completed", (job) => metrics.observeJob({ queue, job: job.name, outcome: "completed" }, seconds(job)));
  worker.on("failed", (job, error) => {
    metrics.observeJob({ queue, job: job?.name ?? "unknown", outcome: "failed", final: isFinalFailure(job, error) }, job ? seconds(job) : null);
  });
}
