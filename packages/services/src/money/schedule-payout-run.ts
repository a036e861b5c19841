import { sql } from "kysely";
import { z } from "zod";
import { withTransaction, type Db } from "@souk/db";
import { writeOutbox } from "@souk/jobs";
import type { ServiceDeps } from "../deps";
import { parseInput } from "../input";

export const schedulePayoutRunSchema = z.object({
  cycleDays: z.coerce.number({ error: "payout.cycle_invalid" }).int({ error: "payout.cycle_invalid" }).min(1, { error: "payout.cycle_invalid" }).max(365, { error: "payout.cycle_invalid" }),
});
export type SchedulePayoutRunInput = z.input<typeof schedulePayoutRunSchema>;

/** Runs are created one at a time (the schedule's check and the operator's button). */
export async function lockPayoutRuns(db: Db): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext('souk:payout-runs'))`.execute(db);
}

/** A payout_runs row and its `payouts.run` job (outbox), in the caller's transaction. */
export async function createPayoutRun(db: Db, trigger: "schedule" | "operator", requestedBy: string | null): Promise<string> {
  const run = await db.insertInto("payout_runs").values({ trigger, requested_by: requestedBy }).returning("id").executeTakeFirstOrThrow();
  await writeOutbox(db, "payouts.run", { runId: run.id });
  return run.id;
}

/**
 * The worker's timer: starts a payout run when the last one (scheduled or asked for by an
 * operator) started `cycleDays` × 24 h ago or more, or there was none; else null. Checked under a
 * lock by the database clock, so two workers' timers never start two runs.
 */
export async function schedulePayoutRun(deps: ServiceDeps, input: SchedulePayoutRunInput): Promise<{ runId: string } | null> {
  const { cycleDays } = parseInput(schedulePayoutRunSchema, input);
  return withTransaction(deps.db, async (trx) => {
    await lockPayoutRuns(trx);
    const due = await sql<{ due: boolean }>`
      select coalesce(max(started_at) <= now() - make_interval(days => ${cycleDays}), true) as due from payout_runs`.execute(trx);
    if (!due.rows[0]?.due) return null;
    return { runId: await createPayoutRun(trx, "schedule", null) };
  });
}
