import { randomBytes } from "node:crypto";
import { checkNoHalfWrittenObjects, outboxBacklog, tallyWrites } from "./lib/consistency";
import { runDrill, seconds, sleep, waitFor } from "./lib/drill";
import { ensureBuilt, startApp } from "./lib/apps";
import { signIn } from "./lib/http";
import { buyerUser, maxLatency, reportLoad, sellerUser, startLoad, type Act } from "./lib/load";
import { DRILL_PASSWORD, seedDrillMarket } from "./lib/market";
import { createDrillDatabase, startCluster } from "./lib/postgres";
import { startRedis } from "./lib/redis";
import { startWorker } from "./lib/worker";

/**
 * Drill 3 — PostgreSQL restarted (`pg_ctl restart -m fast`) under load.
 *
 * The apps and the worker run against a PostgreSQL cluster of the drill's own while buyers order
 * and sellers offer; the cluster is restarted in the middle. Expected: requests caught by the
 * restart fail cleanly (an error page with a 5xx status, never a dropped connection) and within a
 * bound, no process dies, the pools recover by themselves (every kind of request succeeds again
 * within RECOVERY_MS), and afterwards no half-written business object exists: every offer has its
 * lines and receipt, every purchase its lines and orders, every order its lines, every journal balances.
 */
const BEFORE_MS = 5_000;
const AFTER_MS = 15_000;
/** Longest any request may take, the restart included (the pools' connection timeout is 5 s). */
const MAX_LATENCY_MS = 6_000;
/** From the restart's end to the last failed request. */
const RECOVERY_MS = 10_000;

await runDrill("postgres-restart", async (drill) => {
  await ensureBuilt(drill, ["buyer", "seller", "operator"]);
  const cluster = await startCluster(drill);
  const { url, db } = await createDrillDatabase(drill, cluster);
  const redis = await startRedis(drill);
  const queuePrefix = `drill-${randomBytes(4).toString("hex")}`;
  const t = Date.now();
  const market = await seedDrillMarket(url, { sellers: 3, buyers: 3, listingsPerSeller: 4 });
  drill.log(`market seeded in ${seconds(Date.now() - t)}`);

  const worker = await startWorker(drill, "worker", { databaseUrl: url, redisUrl: redis.url, queuePrefix });
  const buyerApp = await startApp(drill, "buyer", { databaseUrl: url });
  const sellerApp = await startApp(drill, "seller", { databaseUrl: url });
  const operatorApp = await startApp(drill, "operator", { databaseUrl: url, env: { REDIS_URL: redis.url, QUEUE_PREFIX: queuePrefix } });
  const processes = [worker.child, buyerApp.child, sellerApp.child, operatorApp.child];

  const buyers = await Promise.all(market.buyers.map((b) => signIn(buyerApp.url, b.email, DRILL_PASSWORD)));
  const sellers = await Promise.all(market.sellers.map((s) => signIn(sellerApp.url, s.email, DRILL_PASSWORD)));
  const operator = await signIn(operatorApp.url, market.operatorEmail, DRILL_PASSWORD);
  const load = startLoad([
    ...buyers.map((session, i) => buyerUser(session, market, i, { tagPrefix: "PG" })),
    ...sellers.map((session, i) => sellerUser(session, market, i, { tagPrefix: "PG" })),
    {
      name: "operator",
      loop: async (act: Act) => {
        await act("page GET /ledger (operator)", {}, () => operator.get("/ledger"), (a) => a.status === 200);
        await sleep(400);
      },
    },
  ]);

  await sleep(BEFORE_MS);
  load.phase = "restart";
  const restartStarted = load.now();
  await cluster.restart("fast");
  const restartEnded = load.now();
  load.phase = "after";
  drill.figure("pg_ctl restart -m fast took", seconds(restartEnded - restartStarted));
  await sleep(AFTER_MS);
  await load.stop();

  reportLoad(drill, load.samples, ["before", "restart", "after"]);
  const during = load.samples.filter((s) => s.phase === "restart");
  drill.check("requests were in flight while PostgreSQL restarted", during.length > 0, `${during.length} started during the restart`);
  const failures = load.samples.filter((s) => !s.ok);
  const dropped = failures.filter((s) => s.status === 0);
  const notClean = failures.filter((s) => s.status !== 0 && s.status < 500);
  drill.figure("requests failed", `${failures.length} of ${load.samples.length} (${[...new Set(failures.map((s) => s.status || s.error))].join(", ") || "none"})`);
  drill.check("no request left without an answer (connection dropped or timed out)", dropped.length === 0, dropped.slice(0, 3).map((s) => `${s.kind}: ${s.error}`).join("; ") || `${load.samples.length} answered`);
  drill.check("every failure is a clean 5xx (error page), not a 4xx or a wrong answer", notClean.length === 0, notClean.slice(0, 3).map((s) => `${s.kind}: ${s.status}`).join("; ") || `${failures.length} failures, all 5xx`);
  const withoutPage = failures.filter((s) => s.status >= 500 && !s.title);
  drill.figure("error pages seen", [...new Set(failures.map((s) => `${s.status} "${s.title ?? ""}"`))].join(", ") || "none");
  drill.check("every 5xx is the app's error page (HTML with a title)", withoutPage.length === 0, `${withoutPage.length} without`);
  const slowest = maxLatency(load.samples);
  drill.figure("slowest request", slowest ? `${slowest.ms.toFixed(0)} ms (${slowest.phase}, ${slowest.kind}, HTTP ${slowest.status})` : "none");
  drill.check(`no request took longer than ${MAX_LATENCY_MS} ms`, !!slowest && slowest.ms <= MAX_LATENCY_MS, slowest ? `max ${slowest.ms.toFixed(0)} ms` : "");

  // Recovery: the end of the last failed request, counted from the end of the restart.
  const lastFailure = failures.reduce((last, s) => Math.max(last, s.at + s.ms), 0);
  const recoveredAfter = Math.max(0, lastFailure - restartEnded);
  drill.figure("restart end → last failed request", failures.length ? seconds(recoveredAfter) : "no failure");
  drill.check(`the pools recovered within ${seconds(RECOVERY_MS)} without a restart of the apps`, recoveredAfter <= RECOVERY_MS, seconds(recoveredAfter));
  const kinds = [...new Set(load.samples.map((s) => s.kind))];
  const lastWindow = load.samples.filter((s) => s.at > restartEnded + RECOVERY_MS);
  const missing = kinds.filter((k) => !lastWindow.some((s) => s.kind === k && s.ok));
  drill.check("every kind of request succeeds again after the restart", missing.length === 0, missing.join(", ") || `${kinds.length} kinds`);
  for (const child of processes) drill.check(`${child.name} ran through the restart (same process)`, child.running(), `pid ${child.pid}`);
  const health = await waitFor("the worker to report healthy", async () => ((await worker.health()).status === 200 ? true : undefined), 20_000).catch(() => false);
  drill.check("the worker is healthy again", health === true);

  const drained = await waitFor("the outbox to drain", async () => (await outboxBacklog(db)) === 0, 30_000).catch(() => false);
  drill.check("the outbox drained after the restart", drained === true, `${await outboxBacklog(db)} rows waiting`);
  for (const kind of ["write checkout", "write offer"] as const) {
    const tally = await tallyWrites(db, load.samples, kind);
    drill.figure(`${kind}s confirmed / in the database once`, `${tally.confirmed} / ${tally.confirmedOnce} (failed answers: ${tally.failed}, of which committed anyway: ${tally.failedButWritten})`);
    drill.check(`every confirmed ${kind.slice(6)} exists exactly once, and none twice`, tally.confirmedWrong.length === 0 && tally.doubled.length === 0 && tally.confirmed > 0, [...tally.confirmedWrong, ...tally.doubled].slice(0, 5).join(", "));
  }
  await checkNoHalfWrittenObjects(drill, db);
});
