import { z } from "zod";
import { DEFAULT_PAYOUT_CYCLE_DAYS } from "./shared";

/** The payout schedule, as the worker runs it and the seller app announces it. */
export interface PayoutConfig {
  /** Days between two scheduled payout runs; 0: no schedule (operators run payouts by hand). */
  cycleDays: number;
}

/** The largest cycle schedulePayoutRun and getSellerBalance take. */
export const MAX_PAYOUT_CYCLE_DAYS = 365;

const payoutEnvSchema = z.object({
  PAYOUT_CYCLE_DAYS: z.coerce.number().int().min(0).max(MAX_PAYOUT_CYCLE_DAYS).default(DEFAULT_PAYOUT_CYCLE_DAYS),
});

/**
 * PAYOUT_CYCLE_DAYS, the one setting of the payout cycle (default DEFAULT_PAYOUT_CYCLE_DAYS), for an
 * app that shows when the next payout comes (the seller app). Called by the app's env module, the
 * only one that reads the environment; the worker must be given the same value.
 */
export function readPayoutConfig(env: Readonly<Record<string, string | undefined>>): PayoutConfig {
  const parsed = payoutEnvSchema.safeParse({ PAYOUT_CYCLE_DAYS: env.PAYOUT_CYCLE_DAYS?.trim() || undefined });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`).join("\n");
    throw new Error(`Invalid payout settings:\n${problems}`);
  }
  return { cycleDays: parsed.data.PAYOUT_CYCLE_DAYS };
}
