import { randomBytes } from "node:crypto";
import { cpus, totalmem } from "node:os";
import { faker } from "@faker-js/faker";
import { sql } from "kysely";
import pg from "pg";
import { createDb, migrateToLatest } from "@souk/db";
import { createListingIndex, deleteMeilisearchIndex, type ListingQuery } from "@souk/search";
import { buildListingDocuments } from "@souk/services";
import { readBenchSearchConfig } from "../src/env";
import { seedCatalogue } from "./catalogue";
import { deleteQueueKeys, measureChangeLatency, spawnWorker, type SpawnedWorker } from "./latency";
import { createIlikeBaseline, generateQueries } from "./queries";
import { elapsedMs, ms, summarise, type Summary } from "./stats";

/**
 * The search benchmark (`pnpm bench:search`): seeds a reproducible catalogue into a database of its
 * own, builds the index through the port, runs the mixed queries through the port and the same
 * queries as naive ILIKE scans, then times listing changes from commit to searchable with the real
 * worker running. Everything it creates (database, queue keys, Meilisearch index) is removed at the
 * end, also on Ctrl-C.
 */
const GOAL_QUERY_P95_MS = 50;
const GOAL_CHANGE_P95_MS = 2_000;
const WARM_UP_QUERIES = 20;
const INDEX_BATCH = 1_000;

const config = readBenchSearchConfig();
const suffix = randomBytes(4).toString("hex");
const databaseName = `souk_bench_${suffix}`;
const databaseUrl = (() => {
  const url = new URL(config.adminDatabaseUrl);
  url.pathname = `/${databaseName}`;
  return url.toString();
})();
const queuePrefix = `souk-bench-${suffix}`;
const search = config.search.meiliUrl ? { ...config.search, meiliIndexUid: `bench_${suffix}` } : config.search;

async function admin(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: config.adminDatabaseUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

const log = (line = "") => console.log(line);
const row = (label: string, value: string) => log(`  ${label.padEnd(34)} ${value}`);
const summaryLine = (s: Summary) => `p50 ${ms(s.p50)}  p95 ${ms(s.p95)}  p99 ${ms(s.p99)}  max ${ms(s.max)}`;

await admin(`create database "${databaseName}"`);
const db = createDb({ connectionString: databaseUrl, max: 4, applicationName: "souk-bench" });
let worker: SpawnedWorker | undefined;
let cleaned: Promise<void> | undefined;
const cleanUp = () =>
  (cleaned ??= (async () => {
    await worker?.stop().catch(() => undefined);
    await db.destroy().catch(() => undefined);
    if (config.keepDatabase) log(`kept database ${databaseName} (BENCH_KEEP_DATABASE=1): drop it when done`);
    else await admin(`drop database if exists "${databaseName}" with (force)`).catch((error: unknown) => console.error(`could not drop ${databaseName}:`, error));
    await deleteQueueKeys(config.redisUrl, queuePrefix).catch(() => undefined);
    if (search.meiliUrl && search.meiliAdminKey && search.meiliIndexUid) {
      await deleteMeilisearchIndex({ url: search.meiliUrl, adminKey: search.meiliAdminKey, indexUid: search.meiliIndexUid }).catch(() => undefined);
    }
  })());
process.once("SIGINT", () => {
  log("\ninterrupted: cleaning up");
  void cleanUp().then(() => process.exit(130));
});

try {
  await migrateToLatest(db);
  const index = createListingIndex({ db, search });
  await index.configure();

  log(`Search benchmark — ${index.name} adapter, ${config.listings.toLocaleString("en")} listings, ${config.sellers} sellers, seed ${config.seed}`);
  log(`  machine: ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}; database ${databaseName}`);
  log();

  faker.seed(config.seed);
  let started = process.hrtime.bigint();
  const catalogue = await seedCatalogue(db, faker, { sellers: config.sellers, listings: config.listings });
  row("seed catalogue", `${(elapsedMs(started) / 1000).toFixed(1)} s`);

  started = process.hrtime.bigint();
  let indexed = 0;
  for (let afterId: string | null = null; ; ) {
    const batch = await buildListingDocuments(db, { afterId, limit: INDEX_BATCH });
    await index.upsert(batch.docs);
    indexed += batch.docs.length;
    afterId = batch.nextAfterId;
    if (afterId === null) break;
  }
  const buildMs = elapsedMs(started);
  row("build index through the port", `${indexed.toLocaleString("en")} documents in ${(buildMs / 1000).toFixed(1)} s (${Math.round(indexed / (buildMs / 1000)).toLocaleString("en")} docs/s)`);
  // What autovacuum would have done by now on a live database: planner statistics.
  await sql`analyze`.execute(db);

  faker.seed(config.seed + 1);
  const queries = generateQueries(faker, catalogue, config.queries);
  faker.seed(config.seed + 2);
  const warmUp = generateQueries(faker, catalogue, WARM_UP_QUERIES);

  const timeAll = async (run: (q: ListingQuery) => Promise<{ total: number }>) => {
    for (const query of warmUp) await run(query);
    const timings: number[] = [];
    let matches = 0;
    let zero = 0;
    const all = process.hrtime.bigint();
    for (const query of queries) {
      const one = process.hrtime.bigint();
      const { total } = await run(query);
      timings.push(elapsedMs(one));
      matches += total;
      if (total === 0) zero += 1;
    }
    const wallMs = elapsedMs(all);
    return { summary: summarise(timings), qps: queries.length / (wallMs / 1000), meanMatches: matches / queries.length, zero };
  };

  log();
  log(`${queries.length} mixed queries (text + 2 filters + 3 facets, page 1 of 20, one at a time, after ${WARM_UP_QUERIES} warm-up queries)`);
  const port = await timeAll((q) => index.search(q));
  row(`${index.name} adapter (port)`, `${summaryLine(port.summary)}  ${port.qps.toFixed(1)} qps`);
  row("", `mean matches ${port.meanMatches.toFixed(0)}, ${port.zero} queries with none`);

  let baseline: Awaited<ReturnType<typeof timeAll>> | undefined;
  if (config.baseline) {
    const ilike = createIlikeBaseline(db, catalogue.categories);
    baseline = await timeAll(ilike);
    row("naive ILIKE over listings", `${summaryLine(baseline.summary)}  ${baseline.qps.toFixed(1)} qps`);
    row("", `mean matches ${baseline.meanMatches.toFixed(0)}, ${baseline.zero} queries with none (no typo tolerance)`);
    const ratio = (a: number, b: number) => `${(a / b).toFixed(1)}×`;
    row(
      "ratio ILIKE / port",
      `p50 ${ratio(baseline.summary.p50, port.summary.p50)}  p95 ${ratio(baseline.summary.p95, port.summary.p95)}  p99 ${ratio(baseline.summary.p99, port.summary.p99)}  qps ${ratio(port.qps, baseline.qps)}`,
    );
  }

  log();
  log(`${config.changes} listing changes, commit → searchable, with the worker running (own process, relay every 250 ms)`);
  const workerLog: string[] = [];
  worker = await spawnWorker({
    processEnv: config.processEnv,
    databaseUrl,
    redisUrl: config.redisUrl,
    queuePrefix,
    search,
    onLine: (line) => workerLog.push(line),
  });
  faker.seed(config.seed + 3);
  const latency = await measureChangeLatency(db, index, faker, config.changes);
  await worker.stop();
  const change = summarise(latency.timings);
  row("commit → searchable", `${summaryLine(change)}${latency.timedOut > 0 ? `  (${latency.timedOut} not searchable after 30 s)` : ""}`);
  if (latency.timedOut > 0) log(workerLog.slice(-20).join("\n"));

  log();
  const queryGoal = port.summary.p95 <= GOAL_QUERY_P95_MS;
  const changeGoal = latency.timedOut === 0 && change.p95 < GOAL_CHANGE_P95_MS;
  row(`goal: query p95 ≤ ${GOAL_QUERY_P95_MS} ms`, queryGoal ? `met (${ms(port.summary.p95)})` : `MISSED (${ms(port.summary.p95)})`);
  row(`goal: change p95 < ${GOAL_CHANGE_P95_MS / 1000} s`, changeGoal ? `met (${ms(change.p95)})` : `MISSED (${ms(change.p95)})`);
  if (!queryGoal || !changeGoal) process.exitCode = 1;
} catch (error) {
  console.error("benchmark failed:", error);
  process.exitCode = 1;
} finally {
  await cleanUp();
}
