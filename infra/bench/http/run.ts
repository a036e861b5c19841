import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { mkdirSync, rmSync } from "node:fs";
import { cpus, tmpdir, totalmem } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { faker } from "@faker-js/faker";
import { sql } from "kysely";
import pg from "pg";
import { createDb, migrateToLatest } from "@souk/db";
import { createListingIndex } from "@souk/search";
import { deleteQueueKeys } from "../search/latency";
import { ms } from "../search/stats";
import { readBenchHttpConfig } from "../src/env";
import { APPS, REPO_ROOT, assertPortFree, buildIfMissing, childEnv, signIn, spawnProcess, waitForHttp, type Spawned } from "./apps";
import { runTarget, type TargetResult } from "./load";
import { judgeGoals, markdownTable, writeReport, type HttpReport } from "./report";
import { countDataSet, scaleUp } from "./seed";
import { buildTargets, readDriveSet, type Sessions } from "./targets";

/**
 * The HTTP benchmark (`pnpm bench:http [--strict]`): the demo data scaled up in a database of its
 * own, the production builds of the three apps and the worker started on it, real sessions signed
 * in through the sign-in forms, then autocannon against the buyer's search, listing and comparison
 * pages, the seller's inbox and its offer form, next to a bare node:http hello world (the baseline,
 * in its own process). Prints the table, writes it to results/latest.{json,md}, checks the goals.
 */
const DEMO_PASSWORD = "souk-demo-2026";
const RESULTS_DIR = fileURLToPath(new URL("./results/", import.meta.url));
/** The baseline: a bare node:http server, no framework, no loader, in its own process. */
const BASELINE_SERVER = `require("node:http").createServer((req, res) => { res.writeHead(200, { "Content-Type": "text/plain" }); res.end("Hello, world\\n"); }).listen(Number(process.env.PORT), "127.0.0.1");`;

const config = readBenchHttpConfig();
const suffix = randomBytes(4).toString("hex");
const queuePrefix = `bench-http-${suffix}`;
const databaseUrl = (() => {
  const url = new URL(config.adminDatabaseUrl);
  url.pathname = `/${config.databaseName}`;
  return url.toString();
})();
const workDir = path.join(tmpdir(), "souk-bench-http");
const storageDir = path.join(workDir, "storage");
const logDir = path.join(workDir, "logs");
const host = "127.0.0.1";
const urls = {
  buyer: `http://${host}:${config.ports.buyer}`,
  seller: `http://${host}:${config.ports.seller}`,
  operator: `http://${host}:${config.ports.operator}`,
  baseline: `http://${host}:${config.ports.baseline}`,
};

async function admin<T extends pg.QueryResultRow>(statement: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: config.adminDatabaseUrl });
  await client.connect();
  try {
    return (await client.query<T>(statement, values)).rows;
  } finally {
    await client.end();
  }
}

const log = (line = "") => console.log(line);
const row = (label: string, value: string) => log(`  ${label.padEnd(30)} ${value}`);
const since = (started: number) => (performance.now() - started) / 1000;

const processes: Spawned[] = [];
let db: ReturnType<typeof createDb> | undefined;
let cleaned: Promise<void> | undefined;
const cleanUp = () =>
  (cleaned ??= (async () => {
    for (const p of processes.reverse()) await p.stop().catch(() => undefined);
    await db?.destroy().catch(() => undefined);
    await deleteQueueKeys(config.redisUrl, queuePrefix).catch((error: unknown) => console.error(`could not delete the keys of ${queuePrefix}:`, error));
    if (config.keepDatabase) log(`kept database ${config.databaseName} (BENCH_KEEP_DATABASE=1 or BENCH_HTTP_REUSE=1): drop it when done`);
    else {
      await admin(`drop database if exists "${config.databaseName}" with (force)`).catch((error: unknown) => console.error(`could not drop ${config.databaseName}:`, error));
      rmSync(storageDir, { recursive: true, force: true });
    }
  })());
process.once("SIGINT", () => {
  log("\ninterrupted: cleaning up");
  void cleanUp().then(() => process.exit(130));
});

/** Drops and recreates the database, migrates it, runs the demo seed (the services CLI) and scales it up. */
async function seedDatabase(): Promise<number> {
  const started = performance.now();
  await admin(`drop database if exists "${config.databaseName}" with (force)`);
  await admin(`create database "${config.databaseName}"`);
  rmSync(storageDir, { recursive: true, force: true });
  mkdirSync(storageDir, { recursive: true });
  db = createDb({ connectionString: databaseUrl, max: 4, applicationName: "souk-bench-http" });
  await migrateToLatest(db);

  let step = performance.now();
  const demo = spawnProcess({
    name: "demo-seed",
    args: ["--import", "tsx", "src/cli/seed-demo.ts"],
    cwd: path.join(REPO_ROOT, "packages", "services"),
    env: childEnv(config.processEnv, {
      DATABASE_URL: databaseUrl,
      STORAGE_DIR: storageDir,
      SOUK_BUYER_URL: urls.buyer,
      SOUK_SELLER_URL: urls.seller,
      SOUK_OPERATOR_URL: urls.operator,
    }),
    logDir,
  });
  const [code] = (await once(demo.child, "exit")) as [number | null];
  await demo.stop();
  if (code !== 0) throw new Error(`the demo seed failed (exit ${String(code)}); its last lines (${demo.logFile}):\n${demo.tail()}`);
  row("demo seed (pnpm db:seed)", `${since(step).toFixed(1)} s`);

  step = performance.now();
  faker.seed(config.seed);
  const index = createListingIndex({ db, search: { meiliUrl: null, meiliAdminKey: null, meiliSearchKey: null, meiliIndexUid: null } });
  await scaleUp(db, faker, index, config, (label, value) => row(label, value));
  row("scale-up", `${since(step).toFixed(1)} s`);
  const seconds = since(started);
  row("seed in all", `${seconds.toFixed(1)} s`);
  return seconds;
}

async function databaseExists(): Promise<boolean> {
  return (await admin("select 1 from pg_database where datname = $1", [config.databaseName])).length > 0;
}

try {
  mkdirSync(logDir, { recursive: true });
  for (const port of Object.values(config.ports)) await assertPortFree(port);

  log(`HTTP benchmark — ${config.connections} connections, ${config.seconds} s per target after ${config.warmUpSeconds} s of warm-up; database ${config.databaseName}, queue prefix ${queuePrefix}`);
  log(`  machine: ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}; logs in ${logDir}`);
  log();

  for (const app of APPS) {
    const started = performance.now();
    if (buildIfMissing(app, config.rebuild, log)) row(`build @souk/${app}`, `${since(started).toFixed(1)} s`);
  }

  let seedSeconds: number | null = null;
  if (config.reuseDatabase && (await databaseExists())) {
    db = createDb({ connectionString: databaseUrl, max: 4, applicationName: "souk-bench-http" });
    await migrateToLatest(db);
    log(`  reusing database ${config.databaseName} (BENCH_HTTP_REUSE=1)`);
  } else {
    log("Data set");
    seedSeconds = await seedDatabase();
  }
  const database = db!;
  const counts = await countDataSet(database);
  row("data set", `${counts.buyers} buyers, ${counts.sellers} sellers, ${counts.listings.toLocaleString("en")} listings (${counts.searchDocuments.toLocaleString("en")} searchable), ${counts.rfqs.toLocaleString("en")} RFQs (${counts.openRfqs.toLocaleString("en")} open), ${counts.offers.toLocaleString("en")} offers, ${counts.receipts.toLocaleString("en")} receipts`);
  const { rows: server } = await sql<{ version: string }>`select current_setting('server_version') as version`.execute(database);

  // ---- The apps and the worker, production settings, ports and queue prefix of their own.
  log();
  log("Processes");
  const shared = {
    NODE_ENV: "production",
    DATABASE_URL: databaseUrl,
    REDIS_URL: config.redisUrl,
    QUEUE_PREFIX: queuePrefix,
    BUYER_URL: urls.buyer,
    SELLER_URL: urls.seller,
    OPERATOR_URL: urls.operator,
    STORAGE_DIR: storageDir,
  };
  let started = performance.now();
  const worker = spawnProcess({
    name: "worker",
    args: ["--import", "tsx", "src/main.ts"],
    cwd: path.join(REPO_ROOT, "apps", "worker"),
    env: childEnv(config.processEnv, { ...shared, HEALTH_PORT: String(config.ports.worker), HEALTH_HOST: host, MAIL_TRANSPORT: "log" }),
    logDir,
  });
  processes.push(worker);
  const apps = APPS.map((app) => {
    const spawned = spawnProcess({
      name: app,
      args: ["--import", "tsx", "server.ts"],
      cwd: path.join(REPO_ROOT, "apps", app),
      env: childEnv(config.processEnv, { ...shared, PORT: String(config.ports[app]), PUBLIC_URL: urls[app] }),
      logDir,
    });
    processes.push(spawned);
    return spawned;
  });
  const baselineServer = spawnProcess({ name: "baseline", args: ["-e", BASELINE_SERVER], cwd: workDir, env: childEnv(config.processEnv, { PORT: String(config.ports.baseline) }), logDir });
  processes.push(baselineServer);
  await Promise.all([
    waitForHttp(worker, `http://${host}:${config.ports.worker}/healthz`, 60_000),
    ...apps.map((app, i) => waitForHttp(app, `${urls[APPS[i]!]}/sign-in`, 60_000)),
    waitForHttp(baselineServer, `${urls.baseline}/`, 10_000),
  ]);
  row("apps, worker and baseline up", `${since(started).toFixed(1)} s (${APPS.map((a) => `${a} ${config.ports[a]}`).join(", ")}, worker health ${config.ports.worker}, baseline ${config.ports.baseline})`);

  // ---- Real sessions, through the sign-in forms.
  started = performance.now();
  const drive = await readDriveSet(database, { sellerSessions: config.sellerSessions });
  const sessions: Sessions = { buyers: [], comparisonBuyer: "", sellers: new Map() };
  for (const email of drive.buyerAdmins) sessions.buyers.push(await signIn(urls.buyer, "buyer", email, DEMO_PASSWORD));
  sessions.comparisonBuyer = await signIn(urls.buyer, "buyer", drive.comparison.adminEmail, DEMO_PASSWORD);
  for (const email of drive.sellerOwners) sessions.sellers.set(email, await signIn(urls.seller, "seller", email, DEMO_PASSWORD));
  await signIn(urls.operator, "operator", "ops.admin@souk.test", DEMO_PASSWORD);
  row("sessions signed in", `${sessions.buyers.length + 1} buyers, ${sessions.sellers.size} sellers, 1 operator in ${since(started).toFixed(1)} s`);

  faker.seed(config.seed + 1);
  const targets = await buildTargets(database, faker, drive, sessions, urls);

  // One request of each target before the load: a wrong page must fail loudly, not be benchmarked.
  for (const target of targets) {
    const request = target.next();
    const response = await fetch(`${target.url}${request.path}`, { method: request.method ?? "GET", headers: request.headers, body: request.body, redirect: "manual" });
    const body = await response.text();
    const headers = Object.fromEntries(response.headers);
    const ok = target.okStatuses.includes(response.status) && (target.checkResponse?.(response.status, headers) ?? true);
    if (!ok) throw new Error(`${target.label}: ${request.method ?? "GET"} ${request.path} answered ${response.status} ${headers.location ?? ""}:\n${body.slice(0, 500)}`);
    row(`check ${target.key}`, `${response.status}${headers.location ? ` → ${headers.location.replace(/^.*(\?receipt=\d+).*$/, "$1")}` : ""}, ${(body.length / 1024).toFixed(1)} KiB`);
  }

  // ---- The load.
  log();
  log(`Load: ${config.connections} connections, ${config.warmUpSeconds} s warm-up + ${config.seconds} s per target`);
  const results: TargetResult[] = [];
  let offers: HttpReport["offers"] = null;
  const receipts = async () => Number((await sql<{ n: string }>`select count(*) as n from offer_revisions`.execute(database)).rows[0]?.n ?? 0);
  // Requests still in flight when autocannon stops are finished by the app after it: count once the
  // number of receipts has stopped moving (two readings half a second apart, 20 s at most).
  const settle = async () => {
    let last = await receipts();
    for (let waited = 0; waited < 20_000; waited += 500) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      const now = await receipts();
      if (now === last) return;
      last = now;
    }
  };
  for (const target of targets) {
    let before = 0;
    let after = 0;
    const hooks =
      target.key === "offer"
        ? {
            beforeMeasure: async () => {
              await settle();
              before = await receipts();
            },
            afterMeasure: async () => {
              await settle();
              after = await receipts();
            },
          }
        : {};
    const result = await runTarget(target, config, hooks);
    if (target.key === "offer") offers = { accepted: result.checked ?? 0, receiptsWritten: after - before };
    results.push(result);
    row(target.key, `${Math.round(result.requestsPerSecond).toLocaleString("en")} req/s, p50 ${ms(result.latencyMs.p50)}, p99 ${ms(result.latencyMs.p99)}, ${result.errors} errors, ${result.unexpected} unexpected`);
  }

  const baseline = results.find((r) => r.key === "baseline")!;
  const withRatio = results.map((r) => ({ ...r, ratioToBaseline: Math.round((r.requestsPerSecond / baseline.requestsPerSecond) * 1e5) / 1e5 }));
  const report: HttpReport = {
    generatedAt: new Date().toISOString(),
    command: `pnpm bench:http${config.strict ? " --strict" : ""}`,
    machine: { cores: cpus().length, memoryGiB: totalmem() / 2 ** 30, node: process.version, postgres: server[0]?.version ?? "?" },
    settings: { connections: config.connections, seconds: config.seconds, warmUpSeconds: config.warmUpSeconds },
    dataSet: { ...counts, seedSeconds },
    targets: withRatio,
    offers,
    goals: judgeGoals(withRatio, config.connections),
  };
  log();
  log(markdownTable(report));
  log();
  if (offers) log(`Offers: ${offers.accepted.toLocaleString("en")} answers redirected to their receipt; the database gained ${offers.receiptsWritten.toLocaleString("en")} receipts meanwhile.`);
  for (const goal of report.goals) log(`${goal.met ? "PASS" : "FAIL"}  ${goal.goal} (${goal.value})`);
  const written = writeReport(RESULTS_DIR, report);
  log();
  log(`written: ${path.relative(REPO_ROOT, written.json)}, ${path.relative(REPO_ROOT, written.md)}`);
  if (config.strict && report.goals.some((g) => !g.met)) process.exitCode = 1;
} catch (error) {
  console.error("benchmark failed:", error);
  process.exitCode = 1;
} finally {
  await cleanUp();
}
