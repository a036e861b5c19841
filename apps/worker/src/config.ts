import type { SearchEnv } from "@souk/search";
import type { PublicUrls } from "@souk/services";

export type MailConfig = { transport: "log" } | { transport: "smtp"; url: string };

/** Everything the worker process needs, already parsed (see env.ts); tests build one directly. */
export interface WorkerConfig {
  databaseUrl: string;
  redisUrl: string;
  /** BullMQ key prefix: every queue lives under `<prefix>:<queue>:*`. */
  queuePrefix: string;
  /** 0 picks a free port (tests). */
  healthPort: number;
  healthHost: string;
  /** Bearer token GET /metrics asks for (METRICS_TOKEN); null or absent: /metrics is open, unless `production`. */
  metricsToken?: string | null;
  /** NODE_ENV=production: /metrics without a token is closed rather than open. */
  production?: boolean;
  mail: MailConfig;
  mailFrom: string;
  /** Pause between relay passes when the outbox is empty. */
  relayIntervalMs: number;
  relayBatchSize: number;
  /** Jobs processed at once by the notifications and events queues (search and imports: one); the database pool is sized from it. */
  concurrency: number;
  /** Links in e-mails are built by the producers; the worker only needs these for ServiceDeps. */
  publicUrls: PublicUrls;
  /** Which listing index the search jobs write (Meilisearch, or PostgreSQL full text without MEILI_URL). */
  search: SearchEnv;
  /** Pause between two scheduled reconciliations of the search index; 0 disables the schedule. */
  reconcileIntervalMs: number;
  /** Pause between two sweeps that close RFQs past their deadline whose close job was missed; 0 disables the sweep. */
  rfqSweepIntervalMs: number;
  /**
   * Settlement jobs (order.settle, payouts.run) taken at once. The settle jobs taken wait together
   * for the next batch (one transaction, one connection): this bounds a batch's size, not the
   * connections used.
   */
  settlementConcurrency: number;
  /** The most orders one settlement batch takes (see createSettlementBatcher in @souk/services). */
  settlementBatchMax: number;
  /**
   * Settlement batches at once (a connection each): one, and others beside it only while a full
   * batch is waiting, so that one batch's commit overlaps the next one's work.
   */
  settlementBatchesInFlight: number;
  /**
   * The order sweep also settles delivered orders still not settled this many minutes after their
   * delivery (a settle job lost with Redis's data, or failed for good before its rule existed); 0
   * turns that part of the sweep off.
   */
  settlementOverdueMinutes: number;
  /**
   * Lock of a settlement job being processed, and the interval of the stalled-job check: a job whose
   * worker died (SIGKILL, lost host) goes back to waiting within about twice this.
   */
  settlementLockMs: number;
  /** Days between two scheduled payout runs; 0 disables the schedule (operators can still run payouts). */
  payoutCycleDays: number;
  /** How often the payout schedule is checked (a run is created only once the cycle is over). */
  payoutCheckIntervalMs: number;
  /** A shipped order is confirmed delivered automatically this many days after shipping. */
  orderAutoConfirmDays: number;
  /** Pause between two sweeps that confirm the deliveries due; 0 disables the sweep. */
  orderSweepIntervalMs: number;
  /**
   * Minutes between the first thread message to an organisation since its last digest and the next
   * digest e-mail (conversation.digest): everything written meanwhile goes out in one e-mail per member.
   */
  conversationDigestMinutes: number;
}

export const WORKER_DEFAULTS = {
  queuePrefix: "souk",
  healthPort: 3004,
  healthHost: "0.0.0.0",
  mailFrom: "Souk <no-reply@souk.localhost>",
  relayIntervalMs: 250,
  // One BullMQ addBulk per pass (enqueueOutboxJobs).
  relayBatchSize: 500,
  concurrency: 5,
  reconcileIntervalMs: 600_000,
  rfqSweepIntervalMs: 30_000,
  settlementConcurrency: 400,
  settlementBatchMax: 200,
  settlementBatchesInFlight: 2,
  settlementOverdueMinutes: 60,
  settlementLockMs: 30_000,
  payoutCycleDays: 10,
  payoutCheckIntervalMs: 600_000,
  orderAutoConfirmDays: 7,
  orderSweepIntervalMs: 60_000,
  conversationDigestMinutes: 15,
} as const;
