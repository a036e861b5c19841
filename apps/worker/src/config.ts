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
}

export const WORKER_DEFAULTS = {
  queuePrefix: "souk",
  healthPort: 3004,
  healthHost: "0.0.0.0",
  mailFrom: "Souk <no-reply@souk.localhost>",
  relayIntervalMs: 250,
  relayBatchSize: 100,
  concurrency: 5,
  reconcileIntervalMs: 600_000,
  rfqSweepIntervalMs: 30_000,
} as const;
