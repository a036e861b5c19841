import type { Logger } from "./logger";
import { createSleeper } from "./sleeper";

export interface PeriodicTask {
  /** Lets the pass in progress finish, then stops. */
  stop(): Promise<void>;
  /** Passes that failed in a row (0 after a pass that succeeded); /healthz reads it. */
  consecutiveFailures(): number;
}

export const DISABLED_TASK: PeriodicTask = { stop: async () => undefined, consecutiveFailures: () => 0 };

/**
 * Runs `pass` at start-up and then `intervalMs` after each pass ends (0: never). A pass that throws
 * is logged and the next one tries again; the count of failures in a row is kept for /healthz.
 */
export function startPeriodicTask(options: { name: string; intervalMs: number; pass: () => Promise<void>; logger: Logger }): PeriodicTask {
  const { name, intervalMs, logger } = options;
  if (intervalMs <= 0) return DISABLED_TASK;
  const sleeper = createSleeper();
  let stopping = false;
  let failures = 0;
  const running = (async () => {
    while (!stopping) {
      try {
        await options.pass();
        failures = 0;
      } catch (error) {
        failures += 1;
        logger.warn(`${name} failed`, { error, consecutiveFailures: failures });
      }
      if (stopping) break;
      await sleeper.sleep(intervalMs);
    }
  })();
  return {
    stop: async () => {
      stopping = true;
      sleeper.wake();
      await running;
    },
    consecutiveFailures: () => failures,
  };
}
