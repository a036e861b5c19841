import { z } from "zod";
import { withTransaction } from "@souk/db";
import { assertCan, conflict } from "@souk/domain";
import { RedisUnavailableError } from "@souk/jobs";
import { recordAudit } from "../audit/record-audit";
import type { ActorDeps } from "../deps";
import { parseInput } from "../input";
import { isConnectionError, readRedis, type JobsDeps } from "./jobs-deps";
import { failureReason, queueField, type QueueName } from "./shared";

export const retryFailedJobSchema = z.object({
  queue: queueField,
  jobId: z.string({ error: "jobs.job_invalid" }).trim().min(1, { error: "jobs.job_invalid" }).max(200, { error: "jobs.job_invalid" }),
});
export type RetryFailedJobInput = z.input<typeof retryFailedJobSchema>;

export interface RetryFailedJobResult {
  queue: QueueName;
  jobId: string;
  name: string;
}

/**
 * The operator's "Retry" button: moves a failed job back to waiting, with its attempts counted
 * from zero (the cause, a missing commission rule say, is presumably fixed: the job gets its whole
 * retry policy again). Every consumer is idempotent, so a retry never does the work twice.
 * Refused (CONFLICT, shown on the form) when the job is gone (kept a week), no longer failed
 * (another operator retried it) or Redis is unreachable. The audit row commits only if the retry
 * reached Redis.
 */
export async function retryFailedJob(deps: ActorDeps & JobsDeps, input: unknown): Promise<RetryFailedJobResult> {
  const { actor, queues } = deps;
  assertCan(actor, "manage:jobs:any");
  const { queue, jobId } = parseInput(retryFailedJobSchema, input);

  const found = await readRedis(queues, async () => {
    const job = await queues.byName[queue].getJob(jobId);
    return { job: job ?? null, state: job ? await job.getState() : null };
  });
  if (found === null) throw conflict("jobs.redis_unavailable", { _form: ["jobs.redis_unavailable"] });
  const { job, state } = found;
  if (!job) throw conflict("jobs.job_gone", { _form: ["jobs.job_gone"] });
  if (state !== "failed") throw conflict("jobs.not_failed", { _form: ["jobs.not_failed"] });

  await withTransaction(deps.db, async (trx) => {
    await recordAudit(trx, {
      actor,
      action: "job.retried",
      targetType: "job",
      targetId: `${queue}/${jobId}`,
      ip: deps.request.ip,
      data: { queue, jobId, name: job.name, attemptsMade: job.attemptsMade, failedReason: failureReason(job.failedReason).slice(0, 300) },
    });
    try {
      await job.retry("failed", { resetAttemptsMade: true, resetAttemptsStarted: true });
    } catch (error) {
      if (error instanceof RedisUnavailableError || isConnectionError(error)) throw conflict("jobs.redis_unavailable", { _form: ["jobs.redis_unavailable"] });
      // Another operator's retry got there first (BullMQ refuses a job that is no longer failed).
      const now = await job.getState().catch(() => null);
      if (now !== "failed") throw conflict("jobs.not_failed", { _form: ["jobs.not_failed"] });
      throw error;
    }
  });
  return { queue, jobId, name: job.name };
}
