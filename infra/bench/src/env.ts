import { readSearchEnv, type SearchEnv } from "@souk/search";

/** The benchmark's settings, read once from the environment (the only module that reads it). */
export interface BenchSearchConfig {
  /** A database on the server the bench may create its own database from (it never writes there). */
  adminDatabaseUrl: string;
  redisUrl: string;
  listings: number;
  sellers: number;
  queries: number;
  /** Listing changes timed from commit to searchable. */
  changes: number;
  /** The faker seed: the same seed and sizes give the same catalogue and the same queries. */
  seed: number;
  /** Run the naive ILIKE baseline too. */
  baseline: boolean;
  /** Keep the bench database afterwards (to EXPLAIN its queries); it is dropped otherwise. */
  keepDatabase: boolean;
  /** MEILI_URL and its keys: benchmark Meilisearch instead of the PostgreSQL adapter. */
  search: SearchEnv;
  /** The process environment the worker the bench spawns inherits (PATH, TLS settings...). */
  processEnv: Readonly<Record<string, string | undefined>>;
}

function positiveInt(env: Readonly<Record<string, string | undefined>>, name: string, fallback: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === "") return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 1 || value > max) throw new Error(`${name} must be an integer from 1 to ${max} (got ${JSON.stringify(raw)})`);
  return value;
}

export function readBenchSearchConfig(env: Readonly<Record<string, string | undefined>> = process.env): BenchSearchConfig {
  return {
    adminDatabaseUrl: env.BENCH_DATABASE_URL ?? env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres",
    redisUrl: env.REDIS_URL ?? "redis://127.0.0.1:6379",
    listings: positiveInt(env, "BENCH_LISTINGS", 100_000, 2_000_000),
    sellers: positiveInt(env, "BENCH_SELLERS", 300, 100_000),
    queries: positiveInt(env, "BENCH_QUERIES", 1_000, 100_000),
    changes: positiveInt(env, "BENCH_CHANGES", 100, 10_000),
    seed: positiveInt(env, "BENCH_SEED", 20_240_601, 2 ** 31 - 1),
    baseline: env.BENCH_BASELINE !== "0",
    keepDatabase: env.BENCH_KEEP_DATABASE === "1",
    search: readSearchEnv(env),
    processEnv: env,
  };
}

/** The offers benchmark's settings (`pnpm bench:offers`). */
export interface BenchOffersConfig {
  /** A database on the server the bench may create its own database from (it never writes there). */
  adminDatabaseUrl: string;
  /** Seller organisations seeded; every one of them fires in the last-second burst. */
  sellers: number;
  /** Length of each steady phase (offers, and the insert baseline at the same concurrency). */
  seconds: number;
  /** Connections of the one pool the services and the baseline share. */
  pool: number;
  /** The concurrent sellers of each steady phase, in order (each ≤ sellers). The goals are judged at 50. */
  concurrency: number[];
  /** Lines of the RFQ (each offer prices all of them). */
  lines: number;
  /** Seeds the prices and quantities the sellers send: same seed, same inputs. */
  seed: number;
  /** Keep the bench database afterwards (to EXPLAIN its queries); it is dropped otherwise. */
  keepDatabase: boolean;
  /** Print every statement of the profiled revision. */
  trace: boolean;
}

function positiveIntList(env: Readonly<Record<string, string | undefined>>, name: string, fallback: number[], max: number): number[] {
  const raw = env[name];
  if (raw === undefined || raw.trim() === "") return fallback;
  const values = raw.split(",").map((part) => Number(part.trim()));
  if (values.some((v) => !Number.isSafeInteger(v) || v < 1 || v > max)) {
    throw new Error(`${name} must be a comma-separated list of integers from 1 to ${max} (got ${JSON.stringify(raw)})`);
  }
  return values;
}

export function readBenchOffersConfig(env: Readonly<Record<string, string | undefined>> = process.env): BenchOffersConfig {
  const sellers = positiveInt(env, "BENCH_OFFERS_SELLERS", 200, 10_000);
  return {
    adminDatabaseUrl: env.BENCH_DATABASE_URL ?? env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres",
    sellers,
    seconds: positiveInt(env, "BENCH_OFFERS_SECONDS", 30, 3_600),
    pool: positiveInt(env, "BENCH_OFFERS_POOL", 20, 500),
    concurrency: positiveIntList(env, "BENCH_OFFERS_CONCURRENCY", [Math.min(50, sellers), sellers].filter((v, i, all) => all.indexOf(v) === i), sellers),
    lines: positiveInt(env, "BENCH_OFFERS_LINES", 4, 50),
    seed: positiveInt(env, "BENCH_SEED", 20_240_601, 2 ** 31 - 1),
    keepDatabase: env.BENCH_KEEP_DATABASE === "1",
    trace: env.BENCH_OFFERS_TRACE === "1",
  };
}

/** The settlement benchmark's settings (`pnpm bench:settlement`). */
export interface BenchSettlementConfig {
  /** A database on the server the bench may create its own database from (it never writes there). */
  adminDatabaseUrl: string;
  redisUrl: string;
  /** Delivered orders settled through the queue (and no-op jobs of the baseline). */
  orders: number;
  buyers: number;
  sellers: number;
  /** Settlement jobs at once, in the real worker and in the no-op baseline's worker. */
  concurrency: number;
  /**
   * Orders settled before the measured run (not timed), so the ledger is not empty and the
   * statistics are those of a ledger in use; 0 for none.
   */
  history: number;
  /** The worker's SETTLEMENT_BATCH_MAX (orders settled in one transaction at most). */
  batchMax: number;
  /** The worker's RELAY_BATCH_SIZE (outbox rows moved to Redis per relay transaction). */
  relayBatchSize: number;
  /** Keep the bench database afterwards (to EXPLAIN its queries); it is dropped otherwise. */
  keepDatabase: boolean;
  /** Print every statement of the profiled settlement. */
  trace: boolean;
  /** The process environment the worker the bench spawns inherits (PATH, TLS settings...). */
  processEnv: Readonly<Record<string, string | undefined>>;
}

export function readBenchSettlementConfig(env: Readonly<Record<string, string | undefined>> = process.env): BenchSettlementConfig {
  return {
    adminDatabaseUrl: env.BENCH_DATABASE_URL ?? env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres",
    redisUrl: env.REDIS_URL ?? "redis://127.0.0.1:6379",
    orders: positiveInt(env, "BENCH_SETTLEMENT_ORDERS", 10_000, 1_000_000),
    buyers: positiveInt(env, "BENCH_SETTLEMENT_BUYERS", 50, 10_000),
    sellers: positiveInt(env, "BENCH_SETTLEMENT_SELLERS", 200, 10_000),
    concurrency: positiveInt(env, "BENCH_SETTLEMENT_CONCURRENCY", 400, 1_000),
    batchMax: positiveInt(env, "BENCH_SETTLEMENT_BATCH", 200, 1_000),
    history: env.BENCH_SETTLEMENT_HISTORY?.trim() === "0" ? 0 : positiveInt(env, "BENCH_SETTLEMENT_HISTORY", 2_000, 1_000_000),
    relayBatchSize: positiveInt(env, "BENCH_SETTLEMENT_RELAY_BATCH", 500, 1_000),
    keepDatabase: env.BENCH_KEEP_DATABASE === "1",
    trace: env.BENCH_SETTLEMENT_TRACE === "1",
    processEnv: env,
  };
}

/** The HTTP benchmark's settings (`pnpm bench:http`). */
export interface BenchHttpConfig {
  /** A database on the server the bench may create its own database from (it never writes there). */
  adminDatabaseUrl: string;
  redisUrl: string;
  /** The bench's own database: dropped and recreated at the start (unless reused). */
  databaseName: string;
  /** Top-level buyer organisations in all (the demo's two included). */
  buyers: number;
  /** Seller organisations in all (the demo's five included). */
  sellers: number;
  listings: number;
  rfqs: number;
  offers: number;
  /** Offers on the closed RFQ whose comparison page is driven. */
  comparisonOffers: number;
  /** Seller owners signed in for the inbox and the offer submissions. */
  sellerSessions: number;
  /** autocannon connections of every target. */
  connections: number;
  /** Measured seconds per target, and the warm-up before each. */
  seconds: number;
  warmUpSeconds: number;
  /** Ports of the buyer, seller and operator apps, the worker's health server and the bare baseline server. */
  ports: { buyer: number; seller: number; operator: number; worker: number; baseline: number };
  /** Faker seed of the scaled data set and the queries. */
  seed: number;
  /** Keep the database afterwards (to EXPLAIN its queries, or to reuse it). */
  keepDatabase: boolean;
  /** Reuse a database kept by an earlier run instead of seeding again. */
  reuseDatabase: boolean;
  /** Exit non-zero when a goal is missed (`--strict`). */
  strict: boolean;
  /** Build the apps even when their build/ exists (the code changed since). */
  rebuild: boolean;
  /** The process environment the apps and the worker inherit (PATH, TLS settings...). */
  processEnv: Readonly<Record<string, string | undefined>>;
}

export function readBenchHttpConfig(env: Readonly<Record<string, string | undefined>> = process.env, argv: readonly string[] = process.argv.slice(2)): BenchHttpConfig {
  const databaseName = env.BENCH_HTTP_DATABASE?.trim() || "souk_bench_http";
  if (!/^[a-z_][a-z0-9_]*$/.test(databaseName)) throw new Error(`BENCH_HTTP_DATABASE must be a plain lower-case name (got ${JSON.stringify(databaseName)})`);
  const port = (name: string, fallback: number) => positiveInt(env, name, fallback, 65_535);
  const unknown = argv.filter((arg) => arg !== "--strict" && arg !== "--");
  if (unknown.length > 0) throw new Error(`unknown argument(s): ${unknown.join(" ")} (only --strict)`);
  return {
    adminDatabaseUrl: env.BENCH_DATABASE_URL ?? env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres",
    redisUrl: env.REDIS_URL ?? "redis://127.0.0.1:6379",
    databaseName,
    buyers: positiveInt(env, "BENCH_HTTP_BUYERS", 10, 1_000),
    sellers: positiveInt(env, "BENCH_HTTP_SELLERS", 300, 10_000),
    listings: positiveInt(env, "BENCH_HTTP_LISTINGS", 100_000, 2_000_000),
    rfqs: positiveInt(env, "BENCH_HTTP_RFQS", 2_000, 100_000),
    offers: positiveInt(env, "BENCH_HTTP_OFFERS", 20_000, 1_000_000),
    comparisonOffers: positiveInt(env, "BENCH_HTTP_COMPARISON_OFFERS", 100, 1_000),
    sellerSessions: positiveInt(env, "BENCH_HTTP_SELLER_SESSIONS", 50, 1_000),
    connections: positiveInt(env, "BENCH_HTTP_CONNECTIONS", 50, 1_000),
    seconds: positiveInt(env, "BENCH_HTTP_SECONDS", 10, 3_600),
    warmUpSeconds: positiveInt(env, "BENCH_HTTP_WARMUP_SECONDS", 3, 600),
    ports: {
      buyer: port("BENCH_HTTP_BUYER_PORT", 3401),
      seller: port("BENCH_HTTP_SELLER_PORT", 3402),
      operator: port("BENCH_HTTP_OPERATOR_PORT", 3403),
      worker: port("BENCH_HTTP_WORKER_PORT", 3409),
      baseline: port("BENCH_HTTP_BASELINE_PORT", 3400),
    },
    seed: positiveInt(env, "BENCH_SEED", 20_240_601, 2 ** 31 - 1),
    keepDatabase: env.BENCH_KEEP_DATABASE === "1" || env.BENCH_HTTP_REUSE === "1",
    reuseDatabase: env.BENCH_HTTP_REUSE === "1",
    strict: argv.includes("--strict"),
    rebuild: env.BENCH_HTTP_REBUILD === "1",
    processEnv: env,
  };
}
