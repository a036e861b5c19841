import { withTransaction } from "@souk/db";
import { recordAudit } from "../audit/record-audit";
import { assertStillPermitted } from "../authorization";
import type { ActorDeps } from "../deps";
import { createPayoutRun, lockPayoutRuns } from "./schedule-payout-run";
import { assertOperatorCan } from "./shared";

/**
 * "Run payouts now" (operators with run:settlement:any): a payout run and its job, whatever the
 * schedule; audited. Running twice is harmless: a run batches only journals no payout holds yet.
 */
export async function requestPayoutRun(deps: ActorDeps): Promise<{ runId: string }> {
  const { actor } = deps;
  assertOperatorCan(actor, "run:settlement:any");
  return withTransaction(deps.db, async (trx) => {
    await assertStillPermitted(trx, actor, "run:settlement:any");
    await lockPayoutRuns(trx);
    const runId = await createPayoutRun(trx, "operator", actor.userId);
    await recordAudit(trx, { actor, action: "payout_run.requested", targetType: "payout_run", targetId: runId });
    return { runId };
  });
}
