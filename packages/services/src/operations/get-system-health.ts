import { assertCan } from "@souk/domain";
import type { ActorDeps, SearchDeps } from "../deps";
import { getQueueOverview, type QueueOverview } from "./get-queue-overview";
import { readIndexDrift } from "./index-drift";
import type { JobsDeps } from "./jobs-deps";

export interface IndexHealth {
  engine: "postgres" | "meilisearch";
  /**
   * The latest successful reconciliation (or reindex): when it finished and the drift it found and
   * repaired. null before the first one.
   */
  lastReconcile: { runId: string; kind: "reconcile" | "reindex"; finishedAt: string; missing: number; stale: number; extra: number } | null;
  /** missing + stale + extra of that run: documents that were out of step with PostgreSQL. */
  drift: number | null;
  /** The newest run's state when it is not that success: queued, running or failed since. */
  newerRun: { kind: "reconcile" | "reindex"; status: "queued" | "running" | "failed"; at: string } | null;
}

export interface SystemHealth {
  queues: QueueOverview;
  /** The outbox backlog of every queue together (and of rows for no known job). */
  outbox: { pending: number; scheduled: number; parked: number; oldestPendingSeconds: number | null };
  index: IndexHealth;
}

/**
 * The operator's System health page in one read: queue depths and the outbox backlog per queue
 * (getQueueOverview), the backlog's total, and the search index's health (engine, latest
 * reconciliation and the drift it measured: readIndexDrift, the same figures as `/metrics`).
 * Failed jobs are listed by listFailedJobs, which pages and filters.
 */
export async function getSystemHealth(deps: ActorDeps & JobsDeps & SearchDeps, _input: unknown = {}): Promise<SystemHealth> {
  assertCan(deps.actor, "manage:jobs:any");
  const [queues, drift, newest] = await Promise.all([
    getQueueOverview(deps),
    readIndexDrift(deps.db),
    deps.db
      .selectFrom("search_index_runs")
      .select(["kind", "status", "created_at", "started_at", "finished_at"])
      .orderBy("created_at", "desc")
      .orderBy("id", "desc")
      .limit(1)
      .executeTakeFirst(),
  ]);
  const rows = [...queues.queues.map((q) => q.outbox), queues.unknownTopics];
  const oldest = rows.map((b) => b.oldestPendingSeconds).filter((s): s is number => s !== null);
  return {
    queues,
    outbox: {
      pending: rows.reduce((sum, b) => sum + b.pending, 0),
      scheduled: rows.reduce((sum, b) => sum + b.scheduled, 0),
      parked: rows.reduce((sum, b) => sum + b.parked, 0),
      oldestPendingSeconds: oldest.length > 0 ? Math.max(...oldest) : null,
    },
    index: {
      engine: deps.listingIndex.name,
      lastReconcile: drift
        ? { runId: drift.runId, kind: drift.kind, finishedAt: drift.finishedAt.toISOString(), missing: drift.missing, stale: drift.stale, extra: drift.extra }
        : null,
      drift: drift ? drift.missing + drift.stale + drift.extra : null,
      newerRun:
        newest && newest.status !== "succeeded"
          ? { kind: newest.kind, status: newest.status, at: (newest.finished_at ?? newest.started_at ?? newest.created_at).toISOString() }
          : null,
    },
  };
}
