import { z } from "zod";
import { assertCan } from "@souk/domain";
import { jobRequestId } from "@souk/jobs";
import type { ActorDeps } from "../deps";
import { parseInput } from "../input";
import { optionalFilter, pageField, type Page } from "../list-input";
import { readRedis, type JobsDeps } from "./jobs-deps";
import { failureReason, jobPayloadSummary, QUEUE_NAMES, queueField, type QueueName } from "./shared";

export const FAILED_JOBS_PAGE_SIZE = 20;
/**
 * Across every queue, a page is merged from the newest failures of each queue, so paging reads
 * page × size jobs per queue: far enough for anyone reading failures by hand (filter by queue to go
 * further; one queue pages without that bound).
 */
export const FAILED_JOBS_MAX_MERGED_PAGE = 50;

export const listFailedJobsSchema = z.object({
  queue: optionalFilter(queueField),
  page: pageField("jobs.page_invalid"),
});
export type ListFailedJobsInput = z.input<typeof listFailedJobsSchema>;

export interface FailedJobView {
  queue: QueueName;
  id: string;
  name: string;
  /** BullMQ's failure message (the last error). */
  failedReason: string;
  attemptsMade: number;
  /** Tries the job's policy allows. */
  attempts: number;
  /** When the job was added. */
  createdAt: string;
  /** When it failed for good; null if BullMQ did not record it. */
  failedAt: string | null;
  /** The payload's ids only (see jobPayloadSummary). */
  payload: Record<string, string>;
  /** The request that caused the job: its log lines (apps and worker) carry the same id. */
  requestId: string | null;
}

export interface FailedJobsPage extends Page<FailedJobView> {
  queue: QueueName | null;
  redisReachable: boolean;
  /** All queues at once, past FAILED_JOBS_MAX_MERGED_PAGE: nothing is listed; filter by queue to go further. */
  beyondMergedLimit: boolean;
}

type AnyJob = Awaited<ReturnType<JobsDeps["queues"]["byName"][QueueName]["getFailed"]>>[number];

function view(queue: QueueName, job: AnyJob): FailedJobView {
  return {
    queue,
    id: String(job.id ?? ""),
    name: job.name,
    failedReason: failureReason(job.failedReason),
    attemptsMade: job.attemptsMade,
    attempts: job.opts.attempts ?? 1,
    createdAt: new Date(job.timestamp).toISOString(),
    failedAt: job.finishedOn ? new Date(job.finishedOn).toISOString() : null,
    payload: jobPayloadSummary(job.name, job.data),
    requestId: jobRequestId(job.data),
  };
}

/** Jobs that failed for good (retries spent, or a failure that can never succeed), newest first; of one queue or all. */
export async function listFailedJobs(deps: ActorDeps & JobsDeps, input: unknown = {}): Promise<FailedJobsPage> {
  assertCan(deps.actor, "manage:jobs:any");
  const { queue, page } = parseInput(listFailedJobsSchema, input);
  const { queues } = deps;
  const pageSize = FAILED_JOBS_PAGE_SIZE;
  const start = (page - 1) * pageSize;

  const result = await readRedis(queues, async () => {
    if (queue) {
      const q = queues.byName[queue];
      const [total, jobs] = await Promise.all([q.getJobCountByTypes("failed"), q.getFailed(start, start + pageSize - 1)]);
      return { total, items: jobs.filter(Boolean).map((job) => view(queue, job)), beyondMergedLimit: false };
    }
    const depth = Math.min(page, FAILED_JOBS_MAX_MERGED_PAGE) * pageSize;
    const perQueue = await Promise.all(
      QUEUE_NAMES.map(async (name) => {
        const q = queues.byName[name];
        const [total, jobs] = await Promise.all([q.getJobCountByTypes("failed"), q.getFailed(0, depth - 1)]);
        return { total, items: jobs.filter(Boolean).map((job) => view(name, job)) };
      }),
    );
    const merged = perQueue
      .flatMap((q) => q.items)
      .sort((a, b) => (b.failedAt ?? b.createdAt).localeCompare(a.failedAt ?? a.createdAt) || a.queue.localeCompare(b.queue) || a.id.localeCompare(b.id));
    return {
      total: perQueue.reduce((sum, q) => sum + q.total, 0),
      items: page > FAILED_JOBS_MAX_MERGED_PAGE ? [] : merged.slice(start, start + pageSize),
      beyondMergedLimit: page > FAILED_JOBS_MAX_MERGED_PAGE,
    };
  });

  return {
    queue: queue ?? null,
    redisReachable: result !== null,
    beyondMergedLimit: result?.beyondMergedLimit ?? false,
    items: result?.items ?? [],
    total: result?.total ?? 0,
    page,
    pageSize,
  };
}
