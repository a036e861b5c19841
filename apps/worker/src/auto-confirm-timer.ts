import type { Logger } from "./logger";
import { startPeriodicTask, type PeriodicTask } from "./periodic-task";

/**
 * Confirms, at start-up and every `intervalMs` (0: never), the delivery of every shipped order whose
 * buyer has not confirmed it `autoConfirmDays` after shipping (the orders' confirmDueDeliveries: it
 * takes due orders with SKIP LOCKED and moves each through the domain's auto_confirm, which also
 * queues its settlement). A failure is logged and the next tick tries again.
 */
export function startAutoConfirmTimer(options: {
  autoConfirmDays: number;
  intervalMs: number;
  sweep: (input: { autoConfirmDays: number }) => Promise<{ orderIds: string[] }>;
  logger: Logger;
}): PeriodicTask {
  const { autoConfirmDays, logger } = options;
  return startPeriodicTask({
    name: "delivery auto-confirmation sweep",
    intervalMs: options.intervalMs,
    logger,
    pass: async () => {
      const { orderIds } = await options.sweep({ autoConfirmDays });
      if (orderIds.length > 0) logger.info("deliveries confirmed automatically", { confirmed: orderIds.length, autoConfirmDays });
    },
  });
}

