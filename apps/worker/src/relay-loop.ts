import type { RelayOutboxResult } from "@souk/services";
import type { Logger } from "./logger";

export interface RelayLoop {
  /** Lets the pass in progress finish, then stops. */
  stop(): Promise<void>;
}

export interface RelayLoopOptions {
  relay: () => Promise<RelayOutboxResult>;
  batchSize: number;
  intervalMs: number;
  /** Longest pause while Redis or PostgreSQL is failing. */
  maxBackoffMs?: number;
  logger: Logger;
}

/**
 * Polls the outbox. A full batch means more rows are waiting, so the next pass starts at once; an
 * empty one waits `intervalMs`. While passes fail (Redis or PostgreSQL down) the pause doubles up
 * to `maxBackoffMs`, so a dead dependency is not hammered four times a second.
 */
export function startRelayLoop(options: RelayLoopOptions): RelayLoop {
  const maxBackoffMs = options.maxBackoffMs ?? 5_000;
  let stopping = false;
  let failures = 0;
  let wakeUp: (() => void) | undefined;

  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wakeUp = undefined;
        resolve();
      }
      wakeUp = done;
    });

  const loop = async () => {
    while (!stopping) {
      let delay = options.intervalMs;
      try {
        const result = await options.relay();
        if (result.failed > 0) {
          failures += 1;
          options.logger.warn("outbox relay could not enqueue", { ...result, consecutiveFailures: failures });
        } else {
          if (failures > 0) options.logger.info("outbox relay recovered", { afterFailures: failures });
          failures = 0;
        }
        if (result.parked > 0) options.logger.error("outbox rows parked", { parked: result.parked });
        if (result.failed === 0 && result.sent + result.parked >= options.batchSize) delay = 0;
      } catch (error) {
        failures += 1;
        options.logger.error("outbox relay pass failed", { error, consecutiveFailures: failures });
      }
      if (failures > 0) delay = Math.min(options.intervalMs * 2 ** failures, maxBackoffMs);
      if (delay > 0 && !stopping) await pause(delay);
    }
  };

  const running = loop();
  return {
    stop: async () => {
      stopping = true;
      wakeUp?.();
      await running;
    },
  };
}
