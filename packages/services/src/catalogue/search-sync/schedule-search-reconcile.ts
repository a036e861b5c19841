import { withTransaction } from "@souk/db";
import type { ServiceDeps } from "../../deps";
import { queueIndexRun } from "./shared";

/**
 * The worker's periodic reconciliation: queues one unless a run is already queued or running.
 * Returns the new run's id, or null when there was one already.
 */
export async function scheduleSearchReconcile(deps: ServiceDeps): Promise<{ runId: string } | null> {
  return withTransaction(deps.db, (trx) => queueIndexRun(trx, "reconcile", null));
}
