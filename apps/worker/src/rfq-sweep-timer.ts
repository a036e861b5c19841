import type { CloseDueRfqsResult } from "@souk/services";
import type { Logger } from "./logger";
import { createSleeper } from "./sleeper";

export interface RfqSweepTimer {
  /** Lets the sweep in progress finish, then stops. */
  stop(): Promise<void>;
}

/**
 * Closes every open RFQ whose deadline has passed, at start-up and then every `intervalMs` (0:
 * never): the safety net for a `rfq.close` job that was lost (Redis flushed, a job failed for good)
 * or that the worker was down to run. `sweep` takes due RFQs with SKIP LOCKED, so several worker
 * processes and the jobs themselves never wait for one another. A failure is logged and the next
 * tick tries again.
 */
export function startRfqSweepTimer(options: { intervalMs: number; sweep: () => Promise<CloseDueRfqsResult>; logger: Logger }): RfqSweepTimer {
  const { intervalMs, logger } = options;
  if (intervalMs <= 0) return { stop: async () => undefined };
  const sleeper = createSleeper();
  let stopping = false;
  const running = (async () => {
    while (!stopping) {
      try {
        const result = await options.sweep();
        if (result.closed > 0) logger.info("rfq sweep closed due RFQs", { closed: result.closed });
        for (const failure of result.failed) logger.warn("rfq sweep could not close an RFQ", { rfqId: failure.rfqId, error: failure.error });
      } catch (error) {
        logger.warn("rfq sweep failed", { error });
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
  };
}
