import { z } from "zod";
import { readSearchEnv } from "@souk/search";
import { WORKER_DEFAULTS, type WorkerConfig } from "./config";

const devDefault = (production: boolean, value: string) => (production ? z.string().min(1) : z.string().min(1).default(value));

/**
 * The worker's environment, parsed once at start-up. Outside production, the connection strings
 * default to the local services infra/ starts, so `pnpm --filter @souk/worker dev` just works.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  const production = env.NODE_ENV === "production";
  const schema = z
    .object({
      DATABASE_URL: devDefault(production, "postgres://postgres@127.0.0.1:5432/souk").pipe(z.url({ protocol: /^postgres(ql)?$/ })),
      REDIS_URL: devDefault(production, "redis://127.0.0.1:6379").pipe(z.url({ protocol: /^rediss?$/ })),
      QUEUE_PREFIX: z
        .string()
        .regex(/^[a-z0-9][a-z0-9_-]*$/i, "letters, digits, - and _ only (BullMQ uses ':' as separator)")
        .default(WORKER_DEFAULTS.queuePrefix),
      HEALTH_PORT: z.coerce.number().int().min(0).max(65_535).default(WORKER_DEFAULTS.healthPort),
      HEALTH_HOST: z.string().min(1).default(WORKER_DEFAULTS.healthHost),
      // Blank or unset: /metrics on the health port is open, or closed in production (decision 0018).
      METRICS_TOKEN: z.string().trim().refine((t) => t === "" || t.length >= 16, "at least 16 characters, or empty").optional(),
      // In production the choice must be explicit: a forgotten setting must not silently log every
      // e-mail (invitations, seller decisions) instead of sending it.
      MAIL_TRANSPORT: devDefault(production, "log").pipe(z.enum(["log", "smtp"])),
      SMTP_URL: z.url({ protocol: /^smtps?$/ }).optional(),
      MAIL_FROM: z.string().min(3).default(WORKER_DEFAULTS.mailFrom),
      RELAY_INTERVAL_MS: z.coerce.number().int().min(10).max(60_000).default(WORKER_DEFAULTS.relayIntervalMs),
      RELAY_BATCH_SIZE: z.coerce.number().int().min(1).max(1_000).default(WORKER_DEFAULTS.relayBatchSize),
      WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(50).default(WORKER_DEFAULTS.concurrency),
      // 0 turns the schedule off; otherwise between a second and a day.
      RECONCILE_INTERVAL_MS: z.coerce
        .number()
        .int()
        .refine((ms) => ms === 0 || (ms >= 1_000 && ms <= 86_400_000), "0 (off) or 1000 to 86400000")
        .default(WORKER_DEFAULTS.reconcileIntervalMs),
      // 0 turns the sweep off (the close jobs still run); otherwise between 100 ms and an hour.
      RFQ_SWEEP_INTERVAL_MS: z.coerce
        .number()
        .int()
        .refine((ms) => ms === 0 || (ms >= 100 && ms <= 3_600_000), "0 (off) or 100 to 3600000")
        .default(WORKER_DEFAULTS.rfqSweepIntervalMs),
      // Settle jobs waiting for the next batch hold no connection: many may be taken at once.
      SETTLEMENT_CONCURRENCY: z.coerce.number().int().min(1).max(1_000).default(WORKER_DEFAULTS.settlementConcurrency),
      SETTLEMENT_BATCH_MAX: z.coerce.number().int().min(1).max(1_000).default(WORKER_DEFAULTS.settlementBatchMax),
      SETTLEMENT_BATCHES_IN_FLIGHT: z.coerce.number().int().min(1).max(8).default(WORKER_DEFAULTS.settlementBatchesInFlight),
      // 0 turns the overdue settlement sweep off.
      SETTLEMENT_OVERDUE_MINUTES: z.coerce.number().int().min(0).max(525_600).default(WORKER_DEFAULTS.settlementOverdueMinutes),
      // Long enough for the slowest settlement step, short enough that a killed worker's job is taken over soon.
      SETTLEMENT_LOCK_MS: z.coerce.number().int().min(1_000).max(600_000).default(WORKER_DEFAULTS.settlementLockMs),
      // 0 turns the payout schedule off.
      PAYOUT_CYCLE_DAYS: z.coerce.number().int().min(0).max(366).default(WORKER_DEFAULTS.payoutCycleDays),
      PAYOUT_CHECK_INTERVAL_MS: z.coerce.number().int().min(100).max(86_400_000).default(WORKER_DEFAULTS.payoutCheckIntervalMs),
      ORDER_AUTO_CONFIRM_DAYS: z.coerce.number().int().min(1).max(366).default(WORKER_DEFAULTS.orderAutoConfirmDays),
      // 0 turns the sweep off; otherwise between 100 ms and a day.
      ORDER_SWEEP_INTERVAL_MS: z.coerce
        .number()
        .int()
        .refine((ms) => ms === 0 || (ms >= 100 && ms <= 86_400_000), "0 (off) or 100 to 86400000")
        .default(WORKER_DEFAULTS.orderSweepIntervalMs),
      // 0 sends each digest as soon as its job runs; at most a week.
      CONVERSATION_DIGEST_MINUTES: z.coerce.number().int().min(0).max(10_080).default(WORKER_DEFAULTS.conversationDigestMinutes),
      BUYER_URL: z.url().default("http://localhost:3001"),
      SELLER_URL: z.url().default("http://localhost:3002"),
      OPERATOR_URL: z.url().default("http://localhost:3003"),
    })
    .refine((e) => e.MAIL_TRANSPORT !== "smtp" || e.SMTP_URL, { path: ["SMTP_URL"], message: "required when MAIL_TRANSPORT=smtp" });

  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`).join("\n");
    throw new Error(`Invalid worker environment:\n${problems}`);
  }
  const e = parsed.data;
  return {
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    queuePrefix: e.QUEUE_PREFIX,
    healthPort: e.HEALTH_PORT,
    healthHost: e.HEALTH_HOST,
    metricsToken: e.METRICS_TOKEN ? e.METRICS_TOKEN : null,
    production,
    mail: e.MAIL_TRANSPORT === "smtp" && e.SMTP_URL ? { transport: "smtp", url: e.SMTP_URL } : { transport: "log" },
    mailFrom: e.MAIL_FROM,
    relayIntervalMs: e.RELAY_INTERVAL_MS,
    relayBatchSize: e.RELAY_BATCH_SIZE,
    concurrency: e.WORKER_CONCURRENCY,
    publicUrls: { buyer: e.BUYER_URL, seller: e.SELLER_URL, operator: e.OPERATOR_URL },
    search: readSearchEnv(env),
    reconcileIntervalMs: e.RECONCILE_INTERVAL_MS,
    rfqSweepIntervalMs: e.RFQ_SWEEP_INTERVAL_MS,
    settlementConcurrency: e.SETTLEMENT_CONCURRENCY,
    settlementBatchMax: e.SETTLEMENT_BATCH_MAX,
    settlementBatchesInFlight: e.SETTLEMENT_BATCHES_IN_FLIGHT,
    settlementOverdueMinutes: e.SETTLEMENT_OVERDUE_MINUTES,
    settlementLockMs: e.SETTLEMENT_LOCK_MS,
    payoutCycleDays: e.PAYOUT_CYCLE_DAYS,
    payoutCheckIntervalMs: e.PAYOUT_CHECK_INTERVAL_MS,
    orderAutoConfirmDays: e.ORDER_AUTO_CONFIRM_DAYS,
    orderSweepIntervalMs: e.ORDER_SWEEP_INTERVAL_MS,
    conversationDigestMinutes: e.CONVERSATION_DIGEST_MINUTES,
  };
}
