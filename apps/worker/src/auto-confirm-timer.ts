import type { Logger } from "./logger";
import { startPeriodicTask, type PeriodicTask } from "./periodic-task";

/**
 * Confirms, at start-up and every `intervalMs` (0: never), the delivery of every shipped order whose
 * buyer has not confirmed it `autoConfirmDays` after shipping (the orders' confirmDueDeliveries: it
 * takes due orders with SKIP LOCKED and moves each through the domain's auto_confirm, which also
 * queues its settlement). Then, when `settleOverdue` is given, settles the delivered orders still
 * not settled long after their delivery (money's settleOverdueOrders: a settle job lost with
 * Redis's data, or one that failed before its commission rule existed). A failure is logged and
 * the next tick tries again.
 */
export function startAutoConfirmTimer(options: {
  autoConfirmDays: number;
  intervalMs: number;
  sweep: (input: { autoConfirmDays: number }) => Promise<{ orderIds: string[] }>;
  settleOverdue?: () => Promise<{ orderIds: string[]; unsettled: { orderId: string; status: string }[] }>;
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
      if (!options.settleOverdue) return;
      const overdue = await options.settleOverdue();
      if (overdue.orderIds.length > 0) logger.warn("overdue orders settled by the sweep (their settle job was lost or failed)", { settled: overdue.orderIds.length });
      if (overdue.unsettled.length > 0) {
        const byStatus: Record<string, number> = {};
        for (const item of overdue.unsettled) byStatus[item.status] = (byStatus[item.status] ?? 0) + 1;
        logger.warn("overdue orders still not settled", { byStatus, orderIds: overdue.unsettled.slice(0, 20).map((item) => item.orderId) });
      }
    },
  });
}
