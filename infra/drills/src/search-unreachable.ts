import { randomBytes } from "node:crypto";
import { createServer, type Socket } from "node:net";
import { sql } from "kysely";
import pg from "pg";
import { createQueues, createRedisConnection } from "@souk/jobs";
import { outboxBacklog } from "./lib/consistency";
import { latencySummary, runDrill, seconds, sleep, waitFor, type Drill } from "./lib/drill";
import { ensureBuilt, startApp } from "./lib/apps";
import { signIn, type Answer, type Session } from "./lib/http";
import { DRILL_PASSWORD, seedDrillMarket } from "./lib/market";
import { createDrillDatabase, startCluster } from "./lib/postgres";
import { freePort } from "./lib/process";
import { startRedis } from "./lib/redis";
import { startWorker } from "./lib/worker";

/**
 * Drill 4 — the search backend unreachable.
 *
 * No Meilisearch server can run on this machine, so the index is made unreachable the ways it can be:
 * 1. PostgreSQL full text (the default): the index table `search_listings` held under an ACCESS
 *    EXCLUSIVE lock for OUTAGE_MS — what a VACUUM FULL, a REINDEX or a migration altering it does.
 *    Searches wait for the lock, so do the worker's index writes.
 * 2. Meilisearch configured (MEILI_URL) but not answering: first an endpoint that accepts the
 *    connection and never replies (a hung server), then nothing listening (a stopped one).
 * Expected: the buyer's search page answers 503 with a clear message in the buyer's language
 * (en/fr) within MAX_LATENCY_MS, never a result (and so never another tenant's), while the rest of
 * the app keeps working; the listing changes a seller makes meanwhile wait (outbox, queued or
 * retried search jobs) and reach the index once it is back (drift → 0).
 */
const OUTAGE_MS = 15_000;
const MAX_LATENCY_MS = 5_000;
const CATCH_UP_MS = 60_000;
const MESSAGE = {
  en: "Search is unavailable at the moment",
  fr: "La recherche est momentanément indisponible",
};

interface SearchAnswer {
  who: string;
  phase: string;
  answer: Answer;
}

/** Published listings of active sellers against the index's documents: what is missing or stale (title), and what is extra. */
const DRIFT_SQL = `
  with searchable as (
    select l.id::text as id, l.title from listings l join organizations o on o.id = l.seller_id
    where l.status = 'published' and o.status = 'active'
  )
  select (select count(*) from searchable) as searchable,
         (select count(*) from search_listings) as documents,
         (select count(*) from searchable s where not exists (select 1 from search_listings d where d.id = s.id and d.title = s.title)) as missing_or_stale,
         (select count(*) from search_listings d where not exists (select 1 from searchable s where s.id = d.id)) as extra`;

interface Drift {
  searchable: number;
  documents: number;
  missingOrStale: number;
  extra: number;
}

/** DRIFT_SQL through `run` (the drill's pool, or the connection that holds the lock). */
async function drift(run: (text: string) => Promise<Record<string, unknown>[]>): Promise<Drift> {
  const r = (await run(DRIFT_SQL))[0]!;
  return { searchable: Number(r.searchable), documents: Number(r.documents), missingOrStale: Number(r.missing_or_stale), extra: Number(r.extra) };
}

/** The search page as a buyer asks for it, checked: status, message in the buyer's language, no other tenant's listing. */
function checkUnavailable(drill: Drill, answers: readonly SearchAnswer[], label: string, language: "en" | "fr", forbidden: string): void {
  const wrong = answers.filter((a) => a.answer.status !== 503 || !a.answer.body.includes(MESSAGE[language]));
  drill.figure(`${label}: answers`, `${answers.length} (${[...new Set(answers.map((a) => a.answer.status || a.answer.error))].join(", ")}), ${latencySummary(answers.map((a) => a.answer.ms))}`);
  drill.check(`${label}: 503 with the ${language} message`, answers.length > 0 && wrong.length === 0, wrong.slice(0, 3).map((a) => `HTTP ${a.answer.status || a.answer.error}`).join("; ") || `${answers.length} answers`);
  drill.check(`${label}: within ${MAX_LATENCY_MS} ms`, answers.every((a) => a.answer.ms <= MAX_LATENCY_MS), `max ${Math.max(0, ...answers.map((a) => a.answer.ms)).toFixed(0)} ms`);
  drill.check(`${label}: never another tenant's listing`, answers.every((a) => !a.answer.body.includes(forbidden)));
}

await runDrill("search-unreachable", async (drill) => {
  const fromDb = async (text: string) => (await sql.raw<Record<string, unknown>>(text).execute(db)).rows;
  await ensureBuilt(drill, ["buyer", "seller"]);
  const cluster = await startCluster(drill);
  const { url, db } = await createDrillDatabase(drill, cluster);
  const redis = await startRedis(drill);
  const queuePrefix = `drill-${randomBytes(4).toString("hex")}`;
  const market = await seedDrillMarket(url, { sellers: 2, buyers: 2, listingsPerSeller: 3, privateListing: true });
  const secret = market.privateListing!;

  // A "Meilisearch" that accepts connections and never answers; closed later (nothing listening).
  const meiliPort = await freePort();
  const held = new Set<Socket>();
  const hungMeili = createServer((socket) => {
    held.add(socket);
    socket.on("error", () => undefined);
  });
  await new Promise<void>((resolve) => hungMeili.listen(meiliPort, "127.0.0.1", resolve));
  const closeHungMeili = () =>
    new Promise<void>((resolve) => {
      for (const socket of held) socket.destroy();
      hungMeili.close(() => resolve());
    });
  drill.defer("close the hung Meilisearch endpoint", () => (hungMeili.listening ? closeHungMeili() : undefined));

  const worker = await startWorker(drill, "worker", { databaseUrl: url, redisUrl: redis.url, queuePrefix });
  const buyerApp = await startApp(drill, "buyer", { databaseUrl: url });
  const sellerApp = await startApp(drill, "seller", { databaseUrl: url });
  const meiliBuyerApp = await startApp(drill, "buyer", {
    databaseUrl: url,
    name: "buyer-meili",
    env: { MEILI_URL: `http://127.0.0.1:${meiliPort}`, MEILI_ADMIN_KEY: "drill-admin-key", MEILI_SEARCH_KEY: "drill-search-key" },
  });
  const indexed = await waitFor("the catalogue to be indexed", async () => {
    const d = await drift(fromDb);
    return (await outboxBacklog(db)) === 0 && d.searchable > 0 && d.missingOrStale === 0 && d.extra === 0 ? d : undefined;
  }, 60_000);
  drill.figure("listings indexed before the outage", `${indexed.documents} (one visible to ${market.buyers[1]!.name} only)`);

  const english = await signIn(buyerApp.url, market.buyers[0]!.email, DRILL_PASSWORD);
  const french = await signIn(buyerApp.url, market.buyers[1]!.email, DRILL_PASSWORD, "fr");
  const seller = await signIn(sellerApp.url, market.sellers[0]!.email, DRILL_PASSWORD);
  const meiliBuyer = await signIn(meiliBuyerApp.url, market.buyers[0]!.email, DRILL_PASSWORD);

  // Before: search works, and each buyer sees only what it may.
  const before = await english.get("/catalogue?q=carton");
  drill.check("before: the search page lists listings", before.status === 200 && before.body.includes(market.sellers[1]!.listings[0]!.title), `HTTP ${before.status}`);
  drill.check("before: a buyer does not see another tenant's customer-group listing", !before.body.includes(secret.title));
  const ownSecret = await french.get("/catalogue?q=confidential");
  drill.check("before: the group's buyer sees its listing (so it is in the index)", ownSecret.status === 200 && ownSecret.body.includes(secret.title), `HTTP ${ownSecret.status}`);

  // 1. The index table locked, as a VACUUM FULL would.
  const locker = new pg.Client({ connectionString: url, application_name: "souk-drill-lock" });
  await locker.connect();
  drill.defer("release the index lock", () => locker.end().catch(() => undefined));
  await locker.query("begin");
  await locker.query("lock table search_listings in access exclusive mode");
  const lockedAt = Date.now();
  drill.log(`search_listings locked (ACCESS EXCLUSIVE) for ${seconds(OUTAGE_MS)}`);

  const answers: SearchAnswer[] = [];
  const others: Answer[] = [];
  const edits: { answer: Answer; listingId: string; title: string }[] = [];
  const tag = randomBytes(3).toString("hex");
  let searching = true;
  const loops = [
    (async () => {
      for (let i = 0; searching; i += 1) {
        const [who, session] = (i % 2 === 0 ? ["en", english] : ["fr", french]) as [string, Session];
        answers.push({ who, phase: "locked", answer: await session.get("/catalogue?q=carton") });
        others.push(await session.get("/purchases"));
        await sleep(200);
      }
    })(),
    (async () => {
      // The seller edits two listings meanwhile: the changes must reach the index afterwards.
      for (const listing of market.sellers[0]!.listings.slice(0, 2)) {
        const title = `${listing.title} revised ${tag}`;
        edits.push({ answer: await seller.post(`/listings/${listing.id}`, { ...listing.fields, title, intent: "save" }), listingId: listing.id, title });
        await sleep(1_000);
      }
    })(),
  ];
  await sleep(OUTAGE_MS);
  searching = false;
  await Promise.all(loops);
  const backlogDuringOutage = await outboxBacklog(db);
  const searchJobsWhileLocked = await db.selectFrom("outbox").select((eb) => eb.fn.countAll<string>().as("n")).where("topic", "=", "search.listing.sync").where("created_at", ">=", new Date(lockedAt)).executeTakeFirstOrThrow();
  // Read through the lock's own connection (any other waits for it): what the index lacks now.
  const stale = await drift(async (text) => (await locker.query(text)).rows as Record<string, unknown>[]);
  const producer = createRedisConnection(redis.url, "producer");
  const queues = createQueues(producer, queuePrefix);
  const searchQueue = await queues.byName.search.getJobCounts("waiting", "active", "delayed", "failed", "completed");
  await queues.close();
  producer.disconnect();
  await locker.query("commit");
  const releasedAt = Date.now();
  drill.log(`lock released after ${seconds(releasedAt - lockedAt)}`);

  checkUnavailable(drill, answers.filter((a) => a.who === "en"), "locked index, English buyer", "en", secret.title);
  checkUnavailable(drill, answers.filter((a) => a.who === "fr"), "locked index, French buyer", "fr", "Double-wall carton");
  drill.check("locked index: the rest of the buyer app answers (purchases page 200)", others.length > 0 && others.every((a) => a.status === 200), `${others.filter((a) => a.status === 200).length}/${others.length}, ${latencySummary(others.map((a) => a.ms))}`);
  drill.check("locked index: the seller's listing edits are accepted", edits.length === 2 && edits.every((e) => e.answer.status === 302 || e.answer.status === 303), edits.map((e) => `HTTP ${e.answer.status || e.answer.error} in ${e.answer.ms.toFixed(0)} ms`).join(", "));
  drill.figure("search sync rows written during the outage / outbox backlog at its end", `${searchJobsWhileLocked.n} / ${backlogDuringOutage}`);
  drill.figure("drift just before the lock is released", JSON.stringify(stale));
  drill.figure("search queue just before the lock is released", JSON.stringify(searchQueue));
  drill.check("the changes made during the outage had not reached the index (the drill broke it)", stale.missingOrStale >= 2, `${stale.missingOrStale} missing or stale`);

  const caughtUp = await waitFor("the index to catch up", async () => {
    const d = await drift(fromDb);
    return d.missingOrStale === 0 && d.extra === 0 && d.documents === d.searchable ? Date.now() : undefined;
  }, CATCH_UP_MS, 200).catch(() => undefined);
  drill.check(`the index caught up within ${seconds(CATCH_UP_MS)} (drift → 0)`, caughtUp !== undefined, caughtUp ? `${seconds(caughtUp - releasedAt)} after the lock was released` : JSON.stringify(await drift(fromDb)));
  if (caughtUp) drill.figure("lock released → drift 0", seconds(caughtUp - releasedAt));
  const revised = edits[0]?.title ?? "";
  const found = await english.get(`/catalogue?q=${encodeURIComponent(`revised ${tag}`)}`);
  drill.check("after: the search page finds the listings changed during the outage", found.status === 200 && found.body.includes(revised), `HTTP ${found.status}`);

  // 2. Meilisearch configured but hung, then stopped.
  const hung = [];
  for (let i = 0; i < 3; i += 1) hung.push({ who: "en", phase: "meili-hung", answer: await meiliBuyer.get("/catalogue?q=carton") });
  checkUnavailable(drill, hung, "Meilisearch hung (connection accepted, no answer)", "en", secret.title);
  await closeHungMeili();
  const refused = [];
  for (let i = 0; i < 3; i += 1) refused.push({ who: "en", phase: "meili-down", answer: await meiliBuyer.get("/catalogue?q=carton") });
  checkUnavailable(drill, refused, "Meilisearch stopped (connection refused)", "en", secret.title);
  const meiliOther = await meiliBuyer.get("/purchases");
  drill.check("Meilisearch down: the rest of the buyer app answers", meiliOther.status === 200, `HTTP ${meiliOther.status}`);

  for (const child of [worker.child, buyerApp.child, sellerApp.child, meiliBuyerApp.child]) drill.check(`${child.name} ran through the drill (same process)`, child.running(), `pid ${child.pid}`);
});
