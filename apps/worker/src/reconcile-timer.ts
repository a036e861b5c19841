import type { Logger } from "./logger";
import { createSleeper } from "./sleeper";

export interface ReconcileTimer {
  stop(): Promise<void>;
}

/**
 * Queues a reconciliation of the search index every `intervalMs` (0: never). `schedule` skips when
 * a run is already queued or running, so several worker processes, or a slow run, never pile runs
 * up. A failure (PostgreSQL down) is logged and the next tick tries again.
 */
export function startReconcileTimer(options: {
  intervalMs: number;
  schedule: () => Promise<{ runId: string } | null>;
  logger: Logger;
}): ReconcileTimer {
  const { intervalMs, logger } = options;
  if (intervalMs <= 0) return { stop: async () => undefined };
  const sleeper = createSleeper();
  let stopping = false;
  const running = (async () => {
    while (!stopping) {
      await sleeper.sleep(intervalMs);
      if (stopping) break;
      try {
        const queued = await options.schedule();
        if (queued) logger.info("search reconciliation scheduled", { runId: queued.runId });
        else logger.info("search reconciliation already queued or running; not scheduled");
      } catch (error) {
        logger.warn("scheduling the search reconciliation failed", { error });
      }
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
