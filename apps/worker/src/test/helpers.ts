import { createServer } from "node:net";
import { readSearchEnv } from "@souk/search";
import { redisUrl, uniqueQueuePrefix } from "@souk/testing";
import { WORKER_DEFAULTS, type WorkerConfig } from "../config";
import { createLogger, type Logger } from "../logger";

export function testConfig(databaseUrl: string, overrides: Partial<WorkerConfig> = {}): WorkerConfig {
  return {
    databaseUrl,
    redisUrl,
    queuePrefix: uniqueQueuePrefix(),
    healthPort: 0,
    healthHost: "127.0.0.1",
    mail: { transport: "log" },
    mailFrom: WORKER_DEFAULTS.mailFrom,
    relayIntervalMs: 50,
    relayBatchSize: 50,
    concurrency: 2,
    publicUrls: { buyer: "http://localhost:3001", seller: "http://localhost:3002", operator: "http://localhost:3003" },
    // PostgreSQL full text: the index lives in the test's own database.
    search: readSearchEnv({}),
    // Off unless a test turns it on: a scheduled run would add rows the other tests do not expect.
    reconcileIntervalMs: 0,
    // Off unless a test turns it on, for the same reason.
    rfqSweepIntervalMs: 0,
    settlementConcurrency: 2,
    settlementBatchMax: 200,
    settlementBatchesInFlight: 2,
    // Off unless a test turns it on: it would settle orders other tests expect their jobs to settle.
    settlementOverdueMinutes: 0,
    settlementLockMs: 30_000,
    // Off unless a test turns them on: a payout run or an automatic confirmation would change rows other tests count.
    payoutCycleDays: 0,
    payoutCheckIntervalMs: 600_000,
    orderAutoConfirmDays: 7,
    orderSweepIntervalMs: 0,
    conversationDigestMinutes: 15,
    ...overrides,
  };
}

export function captureLogger(): { logger: Logger; entries: Record<string, unknown>[] } {
  const entries: Record<string, unknown>[] = [];
  return { logger: createLogger({ service: "worker", write: (line) => entries.push(JSON.parse(line) as Record<string, unknown>) }), entries };
}

export async function waitFor<T>(
  probe: () => Promise<T | undefined | null | false>,
  timeoutMs = 10_000,
  what: string | (() => string) = "condition",
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${typeof what === "function" ? what() : what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (!address || typeof address === "string") throw new Error("no port");
  return address.port;
}

export async function getHealth(port: number): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`http://127.0.0.1:${port}/healthz`);
  return { status: response.status, body: await response.json() };
}

interface JobsOf<J> {
  getJob(id: string): Promise<J | undefined>;
}

/**
 * The job `id` once it has reached `state`, read again after it did: a Job read before its state
 * was checked may predate the move (its attemptsMade, failedReason or returnvalue not yet written).
 */
export async function jobInState<J extends { getState(): Promise<string> }>(queue: JobsOf<J>, id: string, state: "completed" | "failed", timeoutMs: number): Promise<J> {
  await waitFor(async () => (await (await queue.getJob(id))?.getState()) === state, timeoutMs, `the job to be ${state}`);
  const job = await queue.getJob(id);
  if (!job) throw new Error(`job ${id} disappeared once ${state}`);
  return job;
}
