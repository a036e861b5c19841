import { Redis } from "ioredis";

export type RedisRole = "worker" | "producer";

export interface RedisConnectionOptions {
  /** Called on connection errors (refused, reset...). Without a listener ioredis prints each one. */
  onError?: (error: Error) => void;
  /** Shown in `CLIENT LIST`. */
  connectionName?: string;
}

/**
 * Redis connections come in two kinds, because BullMQ needs opposite behaviour from each:
 * - `worker`: blocking commands that must survive a Redis restart, so requests wait and retry
 *   forever (`maxRetriesPerRequest: null`, which BullMQ's Worker requires).
 * - `producer`: used in the relay and request paths, where waiting for Redis would hold a
 *   transaction or a request open. Commands fail at once while disconnected
 *   (`enableOfflineQueue: false`), are retried once at most and time out; the connection keeps
 *   reconnecting in the background so producing resumes by itself when Redis is back.
 */
export function createRedisConnection(url: string, role: RedisRole, options: RedisConnectionOptions = {}): Redis {
  const common = {
    connectionName: options.connectionName,
    // Reconnect forever, backing off to 2 s: a stopped Redis must not need a process restart.
    retryStrategy: (times: number) => Math.min(100 * 2 ** Math.min(times, 5), 2_000),
  };
  const redis =
    role === "worker"
      ? new Redis(url, { ...common, maxRetriesPerRequest: null })
      : new Redis(url, {
          ...common,
          enableOfflineQueue: false,
          maxRetriesPerRequest: 1,
          connectTimeout: 2_000,
          commandTimeout: 5_000,
        });
  redis.on("error", (error: Error) => options.onError?.(error));
  return redis;
}

export class RedisUnavailableError extends Error {
  override readonly name = "RedisUnavailableError";
}

/**
 * Resolves when the connection can take commands. A connection that is reconnecting means Redis
 * is down right now: fail at once. One that is still connecting (process start) gets `timeoutMs`.
 */
export async function waitForRedis(redis: Redis, timeoutMs: number): Promise<void> {
  if (redis.status === "ready") return;
  if (redis.status !== "connecting" && redis.status !== "connect" && redis.status !== "wait") {
    throw new RedisUnavailableError(`Redis unavailable (connection ${redis.status})`);
  }
  await new Promise<void>((resolve, reject) => {
    const done = (error?: Error) => {
      clearTimeout(timer);
      redis.off("ready", onReady);
      redis.off("error", onError);
      if (error) reject(error);
      else resolve();
    };
    const onReady = () => done();
    const onError = (error: Error) => done(new RedisUnavailableError(`Redis unavailable: ${error.message}`));
    const timer = setTimeout(() => done(new RedisUnavailableError(`Redis not ready after ${timeoutMs} ms`)), timeoutMs);
    redis.once("ready", onReady);
    redis.once("error", onError);
  });
}

/** Rejects after `ms` with RedisUnavailableError; the original promise's late rejection is swallowed. */
export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  promise.catch(() => undefined);
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new RedisUnavailableError(`${what} timed out after ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
