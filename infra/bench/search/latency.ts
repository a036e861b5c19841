import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import type { Faker } from "@faker-js/faker";
import { Redis } from "ioredis";
import type { Kysely } from "kysely";
import type { Database } from "@souk/db";
import type { ListingIndex, SearchEnv } from "@souk/search";
import { queueListingSync } from "@souk/services";
import { elapsedMs } from "./stats";

const WORKER_DIR = fileURLToPath(new URL("../../../apps/worker/", import.meta.url));
const SEARCHABLE_TIMEOUT_MS = 30_000;

export interface SpawnedWorker {
  stop(): Promise<void>;
}

/**
 * Starts the real worker process (apps/worker, `src/main.ts`) on the bench's database under its own
 * queue prefix, with the production relay interval, and resolves once its search index is
 * configured. Its log goes to `onLine`.
 */
export async function spawnWorker(options: {
  processEnv: Readonly<Record<string, string | undefined>>;
  databaseUrl: string;
  redisUrl: string;
  queuePrefix: string;
  search: SearchEnv;
  onLine?: (line: string) => void;
}): Promise<SpawnedWorker> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(options.processEnv)) if (value !== undefined && !key.startsWith("MEILI_")) env[key] = value;
  Object.assign(env, {
    NODE_ENV: "development",
    DATABASE_URL: options.databaseUrl,
    REDIS_URL: options.redisUrl,
    QUEUE_PREFIX: options.queuePrefix,
    HEALTH_PORT: "0",
    HEALTH_HOST: "127.0.0.1",
    MAIL_TRANSPORT: "log",
    RECONCILE_INTERVAL_MS: "0",
  });
  const { meiliUrl, meiliAdminKey, meiliSearchKey, meiliIndexUid } = options.search;
  if (meiliUrl) Object.assign(env, { MEILI_URL: meiliUrl, MEILI_ADMIN_KEY: meiliAdminKey ?? "", MEILI_SEARCH_KEY: meiliSearchKey ?? "", MEILI_INDEX: meiliIndexUid ?? "" });

  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], { cwd: WORKER_DIR, env, stdio: ["ignore", "pipe", "pipe"] });
  const exited = once(child, "exit");
  let buffer = "";
  let configured: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (configured = resolve));
  const onData = (chunk: Buffer) => {
    buffer += chunk.toString();
    const lines = buffer.split("\n");
    buffer = lines.pop() ?? "";
    for (const line of lines) {
      options.onLine?.(line);
      if (line.includes('"search index configured"')) configured();
    }
  };
  child.stdout?.on("data", onData);
  child.stderr?.on("data", onData);

  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
    await exited;
    clearTimeout(timer);
  };
  const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error("the worker did not configure its search index within 60 s")), 60_000).unref());
  const died = exited.then(([code]) => {
    throw new Error(`the worker exited (code ${String(code)}) before its search index was configured`);
  });
  try {
    await Promise.race([ready, timeout, died]);
  } catch (error) {
    await stop();
    throw error;
  }
  died.catch(() => undefined);
  return { stop };
}

/**
 * Commits `changes` listing changes one after the other, each the way the services write one (the
 * listing row and its search sync outbox row in one transaction), and times each from its commit
 * to the moment a search through the port finds it by a word that only the change added.
 */
export async function measureChangeLatency(db: Kysely<Database>, index: ListingIndex, faker: Faker, changes: number): Promise<{ timings: number[]; timedOut: number }> {
  const candidates = await db
    .selectFrom("listings as l")
    .innerJoin("organizations as o", "o.id", "l.seller_id")
    .select(["l.id", "l.title"])
    .where("l.status", "=", "published")
    .where("o.status", "=", "active")
    .where("l.visibility", "=", "everyone")
    .orderBy("l.id")
    .limit(50_000)
    .execute();
  const timings: number[] = [];
  let timedOut = 0;
  for (let i = 0; i < changes; i += 1) {
    const listing = faker.helpers.arrayElement(candidates);
    const token = `benchmark${i}${faker.string.alpha({ length: 8, casing: "lower" })}`;
    await db.transaction().execute(async (trx) => {
      await trx
        .updateTable("listings")
        .set((eb) => ({ title: `${listing.title.slice(0, 150)} ${token}`, version: eb("version", "+", 1), updated_at: new Date() }))
        .where("id", "=", listing.id)
        .execute();
      await queueListingSync(trx, [listing.id]);
    });
    const committed = process.hrtime.bigint();
    for (;;) {
      const { hits } = await index.search({ text: token, visibility: { buyerGroupIds: [] }, pageSize: 5 });
      if (hits.some((h) => h.id === listing.id)) {
        timings.push(elapsedMs(committed));
        break;
      }
      if (elapsedMs(committed) > SEARCHABLE_TIMEOUT_MS) {
        timedOut += 1;
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    // Spread the commits over the relay's polling cycle rather than right after each pass.
    await new Promise((resolve) => setTimeout(resolve, faker.number.int({ min: 0, max: 100 })));
  }
  return { timings, timedOut };
}

export async function deleteQueueKeys(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  try {
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 500);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== "0");
  } finally {
    redis.disconnect();
  }
}
