import { z } from "zod";
import { createQueues, createRedisConnection, DEFAULT_QUEUE_PREFIX, RedisUnavailableError, waitForRedis, withTimeout, type Queues } from "@souk/jobs";

/**
 * What the operator's job pages need besides the database: one BullMQ Queue per queue name, on a
 * producer connection (commands fail at once while Redis is down, so a page never hangs on it).
 */
export interface JobsDeps {
  queues: Queues;
}

export interface JobsConfig {
  redisUrl: string;
  /** The worker's QUEUE_PREFIX: the operator must look at the keys the worker uses. */
  queuePrefix: string;
}

const jobsEnvSchema = (production: boolean) =>
  z.object({
    REDIS_URL: (production ? z.string().min(1) : z.string().min(1).default("redis://127.0.0.1:6379")).pipe(z.url({ protocol: /^rediss?$/ })),
    QUEUE_PREFIX: z
      .string()
      .regex(/^[a-z0-9][a-z0-9_-]*$/i, "letters, digits, - and _ only (BullMQ uses ':' as separator)")
      .default(DEFAULT_QUEUE_PREFIX),
  });

/**
 * REDIS_URL and QUEUE_PREFIX of an app that reads the queues (the operator console), with the
 * worker's defaults outside production. Called by the app's env module, the only one that reads
 * the environment.
 */
export function readJobsConfig(env: Readonly<Record<string, string | undefined>>): JobsConfig {
  const parsed = jobsEnvSchema(env.NODE_ENV === "production").safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`).join("\n");
    throw new Error(`Invalid queue settings:\n${problems}`);
  }
  return { redisUrl: parsed.data.REDIS_URL, queuePrefix: parsed.data.QUEUE_PREFIX };
}

/** One per process, like the database pool: `close()` on shutdown. */
export function createJobsDeps(config: JobsConfig & { onError?: (error: Error) => void }): JobsDeps & { close(): Promise<void> } {
  // Without a listener every reconnect attempt would be printed while Redis is down; the pages say so instead.
  const onError = config.onError ?? (() => undefined);
  const connection = createRedisConnection(config.redisUrl, "producer", { connectionName: `${config.queuePrefix}-operator`, onError });
  const queues = createQueues(connection, config.queuePrefix, { onError });
  return {
    queues,
    close: async () => {
      await queues.close().catch(() => undefined);
      await closeConnection(connection);
    },
  };
}

async function closeConnection(redis: Queues["connection"]): Promise<void> {
  if (redis.status === "ready") {
    try {
      await redis.quit();
      return;
    } catch {
      // fall through
    }
  }
  redis.disconnect();
}

/** Longest a page waits on Redis before it shows the queues as unreachable. */
export const REDIS_READ_TIMEOUT_MS = 2_000;

/**
 * Runs a Redis read for an operator page: null when Redis cannot answer (down, still connecting
 * after a second, or slower than REDIS_READ_TIMEOUT_MS), so the page shows what PostgreSQL knows.
 */
export async function readRedis<T>(queues: Queues, read: () => Promise<T>): Promise<T | null> {
  try {
    await waitForRedis(queues.connection, 1_000);
    return await withTimeout(read(), REDIS_READ_TIMEOUT_MS, "queue read");
  } catch (error) {
    if (error instanceof RedisUnavailableError || isConnectionError(error)) return null;
    throw error;
  }
}

/**
 * ioredis' own refusals while disconnected ("Stream isn't writeable", "Connection is closed"), and
 * its MaxRetriesPerRequestError: a command in flight when Redis went away, given up once the
 * reconnect attempts failed (seen by the redis-stop drill as a 500 on the Jobs page).
 */
export function isConnectionError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  return error.name === "MaxRetriesPerRequestError" || /Stream isn't writeable|Connection is closed|ECONNREFUSED|ECONNRESET|ETIMEDOUT|Command timed out/i.test(error.message);
}
