import type { Db } from "@souk/db";
import type { IndexDriftReading } from "@souk/jobs";

/**
 * The search index's drift, as the reconciliation defines and measures it (reconcileSearchIndex:
 * missing, stale and extra documents against PostgreSQL, recorded on its search_index_runs row).
 * There is no second, cheaper definition on purpose: telling a stale document needs every
 * listing's document built again, which only a reconciliation does (the worker's timer runs one
 * every RECONCILE_INTERVAL_MS). The latest successful run, reconcile or reindex, counts (a reindex
 * measures before rewriting too). null before any run has succeeded.
 */
export async function readIndexDrift(db: Db): Promise<(IndexDriftReading & { runId: string }) | null> {
  const run = await db
    .selectFrom("search_index_runs")
    .select(["id", "kind", "missing_count", "stale_count", "extra_count", "finished_at"])
    .where("status", "=", "succeeded")
    .where("finished_at", "is not", null)
    .orderBy("finished_at", "desc")
    .orderBy("id", "desc")
    .limit(1)
    .executeTakeFirst();
  if (!run?.finished_at) return null;
  return {
    runId: run.id,
    kind: run.kind,
    missing: run.missing_count ?? 0,
    stale: run.stale_count ?? 0,
    extra: run.extra_count ?? 0,
    finishedAt: run.finished_at,
  };
}
