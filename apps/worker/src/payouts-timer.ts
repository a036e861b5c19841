import type { Logger } from "./logger";
import { DISABLED_TASK, startPeriodicTask, type PeriodicTask } from "./periodic-task";

/**
 * The payout schedule: at start-up and every `checkIntervalMs`, asks for a payout run, which
 * `schedule` (money's schedulePayoutRun) creates only when the last run is `cycleDays` old or more,
 * with its `payouts.run` job in the outbox. Checking often and deciding in PostgreSQL (rather than
 * sleeping ten days) survives restarts, and several worker processes agree on one run per cycle.
 * `cycleDays` 0 turns the schedule off.
 */
export function startPayoutsTimer(options: {
  cycleDays: number;
  checkIntervalMs: number;
  schedule: (input: { cycleDays: number }) => Promise<{ runId: string } | null>;
  logger: Logger;
}): PeriodicTask {
  const { cycleDays, logger } = options;
  if (cycleDays <= 0) return DISABLED_TASK;
  return startPeriodicTask({
    name: "payout schedule",
    intervalMs: options.checkIntervalMs,
    logger,
    pass: async () => {
      const run = await options.schedule({ cycleDays });
      if (run) logger.info("payout run scheduled", { runId: run.runId, cycleDays });
    },
  });
}
