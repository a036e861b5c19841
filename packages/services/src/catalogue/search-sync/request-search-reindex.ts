import { z } from "zod";
import { withTransaction } from "@souk/db";
import { assertCan, conflict } from "@souk/domain";
import { recordAudit } from "../../audit/record-audit";
import type { ActorDeps } from "../../deps";
import { parseInput } from "../../input";
import { queueIndexRun } from "./shared";

export const requestSearchReindexSchema = z.object({
  kind: z.enum(["reconcile", "reindex"], { error: "search.kind_invalid" }),
});
export type RequestSearchReindexInput = z.input<typeof requestSearchReindexSchema>;

/**
 * The operator's button: queues a reconciliation (repair the drift) or a full reindex (settings
 * applied again, every document rewritten) for the worker, recorded in the audit log. Refused
 * (CONFLICT `search.run_in_progress`) while another run is queued or running: a second one would
 * only redo the same work.
 */
export async function requestSearchReindex(deps: ActorDeps, input: unknown): Promise<{ runId: string }> {
  const { actor } = deps;
  assertCan(actor, "manage:search:any");
  const { kind } = parseInput(requestSearchReindexSchema, input);
  return withTransaction(deps.db, async (trx) => {
    const queued = await queueIndexRun(trx, kind, actor.userId);
    if (!queued) throw conflict("search.run_in_progress", { kind: ["search.run_in_progress"] });
    await recordAudit(trx, {
      actor,
      action: "search.reindex_requested",
      targetType: "search_index_run",
      targetId: queued.runId,
      ip: deps.request.ip,
      data: { kind },
    });
    return queued;
  });
}
