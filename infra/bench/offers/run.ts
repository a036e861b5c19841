import { randomBytes } from "node:crypto";
import { cpus, totalmem } from "node:os";
import { sql } from "kysely";
import pg from "pg";
import { createDb, migrateToLatest } from "@souk/db";
import { isDomainError, type Actor, type OrganizationId, type UserId } from "@souk/domain";
import { closeRfq, saveOffer, verifyRfqChain, type ActorDeps } from "@souk/services";
import { readBenchOffersConfig } from "../src/env";
import { ms, summarise, type Summary } from "../search/stats";
import { checkIntegrity, lockHandOff, type Ack } from "./integrity";
import { closedLoop, randomSource, Recorder, sleep, type LoadResult } from "./load";
import { profilingDb, type CallProfile } from "./profile";
import { seedMarket, type SeededMarket, type SeededSeller } from "./seed";

/**
 * The offers benchmark (`pnpm bench:offers`): N sellers submit and revise offers on one sealed RFQ
 * through the service layer (saveOffer), first in a closed loop for a fixed time at each
 * concurrency, each phase next to a plain single-row insert loop over the same pool; then all of
 * them in the last second before the deadline. It then reads everything back: every acknowledged
 * offer stored once, nothing recorded at or after the deadline, the receipts chain intact.
 * Everything it creates lives in a database of its own, dropped at the end (also on Ctrl-C).
 */
const GOAL_RATIO = 0.4;
const GOAL_P99_MS = 50;
const GOAL_CONCURRENCY = 50;
/** The last-second phase: where the deadline is put, and how the sellers' first calls are spread around it. */
const BURST_DEADLINE_IN_MS = 1_500;
const BURST_KEEP_TRYING_MS = 300;
const PROFILED_REVISIONS = 20;

const config = readBenchOffersConfig();
const suffix = randomBytes(4).toString("hex");
const databaseName = `souk_bench_offers_${suffix}`;
const databaseUrl = (() => {
  const url = new URL(config.adminDatabaseUrl);
  url.pathname = `/${databaseName}`;
  return url.toString();
})();

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
const row = (label: string, value: string) => log(`  ${label.padEnd(44)} ${value}`);
const int = (n: number) => Math.round(n).toLocaleString("en");
const summaryLine = (s: Summary) => (s.count === 0 ? "no calls" : `p50 ${ms(s.p50)}  p95 ${ms(s.p95)}  p99 ${ms(s.p99)}  max ${ms(s.max)}`);
const errorLines = (errors: Map<string, number>) =>
  [...errors].sort(([, a], [, b]) => b - a).map(([label, n]) => `${int(n)} × ${label}`);

await admin(`create database "${databaseName}"`);
const db = createDb({ connectionString: databaseUrl, max: config.pool, applicationName: "souk-bench-offers" });
const profiler = profilingDb(databaseUrl);
let cleaned: Promise<void> | undefined;
const cleanUp = () =>
  (cleaned ??= (async () => {
    await profiler.close().catch(() => undefined);
    await db.destroy().catch(() => undefined);
    if (config.keepDatabase) log(`kept database ${databaseName} (BENCH_KEEP_DATABASE=1): drop it when done`);
    else await admin(`drop database if exists "${databaseName}" with (force)`).catch((error: unknown) => console.error(`could not drop ${databaseName}:`, error));
  })());
process.once("SIGINT", () => {
  log("\ninterrupted: cleaning up");
  void cleanUp().then(() => process.exit(130));
});

const PUBLIC_URLS = { buyer: "http://buyer.bench", seller: "http://seller.bench", operator: "http://operator.bench" };

/** The deps a seller's request would carry: its owner, signed in to the seller app. */
function sellerDeps(handle: ActorDeps["db"], seller: SeededSeller, index: number): ActorDeps {
  const ip = `198.51.${Math.floor(index / 250) % 250}.${(index % 250) + 1}`;
  const actor: Actor = {
    userId: seller.ownerUserId as UserId,
    organizationId: seller.organizationId as OrganizationId,
    organizationKind: "seller",
    organizationStatus: "active",
    role: "owner",
    ip,
  };
  return {
    db: handle,
    publicUrls: PUBLIC_URLS,
    request: { app: "seller", ip, userAgent: "souk-bench-offers" },
    session: { id: `bench-session-${index}`, userId: seller.ownerUserId },
    actor,
  };
}

/** The offer form a seller posts: every line priced (random cents), most lines at the asked quantity. */
function offerForm(market: SeededMarket, random: () => number, validUntil: string): { form: Record<string, string> & { rfqId: string }; prices: Map<string, bigint> } {
  const form: Record<string, string> & { rfqId: string } = {
    rfqId: market.rfq.id,
    leadTimeDays: String(1 + Math.floor(random() * 60)),
    validUntil,
    notes: `Bench offer ${Math.floor(random() * 1e9).toString(36)}`,
  };
  const prices = new Map<string, bigint>();
  market.rfq.lines.forEach((line, i) => {
    const cents = 100 + Math.floor(random() * 99_900);
    const quantity = random() < 0.8 ? line.quantity : 1 + Math.floor(random() * line.quantity);
    form[`lines.${i}.lineId`] = line.id;
    form[`lines.${i}.unitPrice`] = (cents / 100).toFixed(2);
    form[`lines.${i}.quantity`] = String(quantity);
    prices.set(line.id, BigInt(cents));
  });
  return { form, prices };
}

type SaveResult = Awaited<ReturnType<typeof saveOffer>>;

function ackOf(seller: SeededSeller, result: SaveResult, prices: Map<string, bigint>): Ack {
  return { sellerId: seller.organizationId, offerId: result.offerId, revision: result.revision, hash: result.receipt.hash, prices };
}

/** Local wall clock in epoch milliseconds, sub-millisecond. */
const localNow = () => performance.timeOrigin + performance.now();

/** The database clock minus the local one (ms), from the round trip with the smallest delay. */
async function clockOffset(): Promise<{ offsetMs: number; uncertaintyMs: number }> {
  let best = { offsetMs: 0, uncertaintyMs: Number.POSITIVE_INFINITY };
  for (let i = 0; i < 9; i += 1) {
    const sent = localNow();
    const { rows } = await sql<{ at: string }>`select (extract(epoch from clock_timestamp()) * 1000)::text as at`.execute(db);
    const received = localNow();
    const half = (received - sent) / 2;
    if (half < best.uncertaintyMs) best = { offsetMs: Number(rows[0]!.at) - (sent + half), uncertaintyMs: half };
  }
  return best;
}

async function chainLength(rfqId: string): Promise<number> {
  return (await db.selectFrom("rfqs").select("chain_length").where("id", "=", rfqId).executeTakeFirstOrThrow()).chain_length;
}

interface SteadyPhase {
  concurrency: number;
  baseline: LoadResult;
  offers: LoadResult;
  submitted: number;
  handOff: { mean: number; p99: number } | null;
}

try {
  await migrateToLatest(db);
  // The baseline's table: the cheapest durable write there is, one row per statement, autocommit.
  await sql`create table bench_baseline (id bigserial primary key, seller integer not null, price bigint not null, at timestamptz not null default clock_timestamp())`.execute(db);
  const market = await seedMarket(db, { sellers: config.sellers, lines: config.lines, tag: suffix });
  await sql`analyze`.execute(db);
  const { rows: server } = await sql<{ version: string; synchronous_commit: string }>`select current_setting('server_version') as version, current_setting('synchronous_commit') as synchronous_commit`.execute(db);
  const validUntil = new Date(Date.now() + 90 * 86_400_000).toISOString().slice(0, 10);

  log(`Offers benchmark — ${config.sellers} sellers, 1 sealed RFQ with ${config.lines} lines, pool ${config.pool}, ${config.seconds} s per phase, seed ${config.seed}`);
  log(`  machine: ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}; PostgreSQL ${server[0]?.version ?? "?"} (synchronous_commit ${server[0]?.synchronous_commit ?? "?"}); database ${databaseName}`);
  log();

  // Open every connection of the pool before timing anything.
  await Promise.all(Array.from({ length: config.pool }, () => sql`select 1`.execute(db)));

  const acks: Ack[] = [];
  const randoms = market.sellers.map((_, i) => randomSource(config.seed + i));

  // One submission, then revisions, alone, on a connection that records its statements: what one
  // call costs, and how much of it every other seller of the RFQ waits for (median of the revisions).
  const profiled = market.sellers.length - 1;
  const profiles: CallProfile[] = [];
  for (let i = 0; i <= PROFILED_REVISIONS; i += 1) {
    const { form, prices } = offerForm(market, randoms[profiled]!, validUntil);
    const result = await saveOffer(sellerDeps(profiler.db, market.sellers[profiled]!, profiled), form);
    acks.push(ackOf(market.sellers[profiled]!, result, prices));
    profiles.push(profiler.take());
  }
  const describe = (label: string, list: CallProfile[]) => {
    const first = list[0]!;
    const median = (values: number[]) => summarise(values).p50;
    const total = median(list.map((p) => p.statements.reduce((sum, s) => sum + s.ms, 0)));
    const under = median(list.map((p) => p.underLockMs));
    row(label, `${first.statements.length} statements, ${ms(total)}; ${first.lockAt === null ? "no RFQ row lock seen" : `${first.underLock} of them from the RFQ row lock to commit, ${ms(under)}`}`);
  };
  describe("one submission, alone", profiles.slice(0, 1));
  describe(`one revision, alone (median of ${PROFILED_REVISIONS})`, profiles.slice(1));
  if (config.trace) for (const s of profiles[profiles.length - 1]!.statements) log(`    ${ms(s.ms).padStart(9)}  ${s.sql.slice(0, 160)}`);

  // The insert loop one statement at a time: what a single writer commits per second on this
  // machine, the pace of anything that must be serial (as the offers of one RFQ are, decision 0009).
  log();
  const serial = await closedLoop({
    workers: 1,
    durationMs: config.seconds * 1000,
    step: async (_worker, _iteration, recorder) => {
      const price = 100 + Math.floor(randoms[0]!() * 99_900);
      await recorder.time(() => sql`insert into bench_baseline (seller, price) values (0, ${price})`.execute(db));
    },
  });
  row("plain insert loop, one at a time", `${int(serial.perSecond).padStart(7)} inserts/s  ${summaryLine(serial.latency)}`);

  const phases: SteadyPhase[] = [];
  for (const concurrency of config.concurrency) {
    log();
    log(`steady: ${concurrency} concurrent sellers, closed loop, ${config.seconds} s each, pool ${config.pool}`);
    const baseline = await closedLoop({
      workers: concurrency,
      durationMs: config.seconds * 1000,
      step: async (worker, _iteration, recorder) => {
        const price = 100 + Math.floor(randoms[worker]!() * 99_900);
        await recorder.time(() => sql`insert into bench_baseline (seller, price) values (${worker}, ${price})`.execute(db));
      },
    });
    row("plain single-row insert loop", `${int(baseline.perSecond).padStart(7)} inserts/s  ${summaryLine(baseline.latency)}`);
    for (const line of errorLines(baseline.errors)) row("", line);

    const before = await chainLength(market.rfq.id);
    const hadOffer = new Set(acks.map((a) => a.sellerId));
    let submitted = 0;
    const offers = await closedLoop({
      workers: concurrency,
      durationMs: config.seconds * 1000,
      step: async (worker, _iteration, recorder) => {
        const seller = market.sellers[worker]!;
        const { form, prices } = offerForm(market, randoms[worker]!, validUntil);
        const outcome = await recorder.time(() => saveOffer(sellerDeps(db, seller, worker), form));
        if (!outcome.ok) return;
        acks.push(ackOf(seller, outcome.value, prices));
        if (!hadOffer.has(seller.organizationId)) {
          hadOffer.add(seller.organizationId);
          submitted += 1;
        }
      },
    });
    const after = await chainLength(market.rfq.id);
    const handOff = await lockHandOff(db, market.rfq.id, before + 1, after);
    row("saveOffer (submit, then revise)", `${int(offers.perSecond).padStart(7)} offers/s   ${summaryLine(offers.latency)}`);
    row("", `${int(offers.ok)} accepted (${submitted} submissions), ${int(offers.failed)} failed`);
    for (const line of errorLines(offers.errors)) row("", line);
    row("ratio offers/s ÷ inserts/s", (offers.perSecond / baseline.perSecond).toFixed(3));
    if (handOff) row("RFQ row lock, receipt to receipt", `mean ${ms(handOff.mean)}  p99 ${ms(handOff.p99)}  (offers on one RFQ are serial: 1000 ÷ mean = ${int(1000 / handOff.mean)}/s)`);
    phases.push({ concurrency, baseline, offers, submitted, handOff });
  }

  // The last second: the deadline moves to just ahead (database clock) and every seller revises in
  // a burst across it: some spread over the last second, most fired together just before it, some
  // just after; each keeps revising until it is refused.
  log();
  const { offsetMs, uncertaintyMs } = await clockOffset();
  // As text: the deadline has microseconds, which a Date would drop (and then misjudge a receipt
  // recorded in the deadline's last millisecond).
  const { rows: moved } = await sql<{ deadline: string; deadline_ms: string }>`
    update rfqs set deadline = now() + make_interval(secs => ${BURST_DEADLINE_IN_MS / 1000}), updated_at = now()
    where id = ${market.rfq.id} returning deadline::text as deadline, (extract(epoch from deadline) * 1000)::text as deadline_ms`.execute(db);
  const deadline = moved[0]!.deadline;
  const localDeadline = Number(moved[0]!.deadline_ms) - offsetMs;
  log(`last second: ${config.sellers} sellers revise across the deadline (now + ${BURST_DEADLINE_IN_MS / 1000} s, database clock; local clock offset ${offsetMs.toFixed(1)} ± ${uncertaintyMs.toFixed(1)} ms)`);
  const burst = new Recorder();
  let acceptedBurst = 0;
  let refusedLate = 0;
  let sentAfterDeadline = 0;
  let acceptedSentAfterDeadline = 0;
  burst.start();
  await Promise.all(
    market.sellers.map(async (seller, index) => {
      const random = randoms[index]!;
      const slot = index % 5;
      // 2/5 spread over the last second, 2/5 together 20 ms before the deadline, 1/5 within 200 ms after it.
      const startAt = slot < 2 ? localDeadline - 1_000 + random() * 950 : slot < 4 ? localDeadline - 20 : localDeadline + random() * 200;
      await sleep(startAt - localNow());
      for (;;) {
        const { form, prices } = offerForm(market, random, validUntil);
        const sentAt = localNow();
        if (sentAt >= localDeadline) sentAfterDeadline += 1;
        const outcome = await burst.time(() => saveOffer(sellerDeps(db, seller, index), form));
        if (!outcome.ok) {
          if (isDomainError(outcome.error) && outcome.error.message === "offer.deadline_passed") refusedLate += 1;
          return;
        }
        acceptedBurst += 1;
        if (sentAt >= localDeadline + uncertaintyMs) acceptedSentAfterDeadline += 1;
        acks.push(ackOf(seller, outcome.value, prices));
        if (localNow() > localDeadline + BURST_KEEP_TRYING_MS) return;
      }
    }),
  );
  burst.stop();
  const burstResult = burst.result();
  const otherBurstErrors = new Map([...burstResult.errors].filter(([label]) => !label.endsWith("offer.deadline_passed")));
  row("calls", `${int(burstResult.ok + burstResult.failed)} (${int(acceptedBurst)} accepted, ${int(refusedLate)} refused: deadline passed, ${int(burstResult.failed - refusedLate)} other failures)`);
  row("accepted", summaryLine(burstResult.latency));
  row("refused", summaryLine(burstResult.failedLatency));
  row("calls sent after the deadline (local)", `${int(sentAfterDeadline)}, of which accepted: ${int(acceptedSentAfterDeadline)}`);
  for (const line of errorLines(otherBurstErrors)) row("", line);

  log();
  const integrity = await checkIntegrity(db, { rfqId: market.rfq.id, deadline, acks });
  log(`integrity of the whole run: ${int(integrity.receipts)} receipts, ${int(integrity.acknowledged)} acknowledged offers`);
  const verdict = (n: number) => (n === 0 ? "0     PASS" : `${int(n)}     FAIL`);
  row("lost offers (must be 0)", verdict(integrity.lost));
  for (const line of integrity.lostExamples) row("", line);
  row("duplicated offers, chain holes (must be 0)", verdict(integrity.duplicated));
  for (const line of integrity.duplicatedExamples) row("", line);
  row("late offers accepted (must be 0)", verdict(integrity.late));
  for (const line of integrity.lateExamples) row("", line);
  row("accepted though sent after the deadline", verdict(acceptedSentAfterDeadline));
  row("receipts without an accepted call", verdict(integrity.unacknowledged));
  row(
    "receipts chain (recomputed)",
    integrity.chain.ok ? `verifies (${int(integrity.chain.checked)} receipts, head ${integrity.chain.head?.slice(0, 16) ?? "none"}…)  PASS` : `BROKEN after ${integrity.chain.checked}: ${integrity.chain.problem ?? ""}  FAIL`,
  );

  // The service's own verification, then the real close (the job's and the sweep's path): it
  // takes the same lock, locks the live offers and verifies the chain once more.
  const service = await verifyRfqChain(db, market.rfq.id);
  row("receipts chain (verifyRfqChain)", service.ok ? `verifies (${int(service.length)} receipts)  PASS` : `BROKEN at ${String(service.brokenAt)}  FAIL`);
  const liveOffers = await db.selectFrom("offers").select((eb) => eb.fn.countAll<string>().as("n")).where("rfq_id", "=", market.rfq.id).where("status", "in", ["submitted", "revised"]).executeTakeFirstOrThrow();
  const closeStarted = localNow();
  const closed = await closeRfq({ db, publicUrls: PUBLIC_URLS }, { rfqId: market.rfq.id });
  const closeMs = localNow() - closeStarted;
  const after = await db.selectFrom("rfqs").select(["status", "chain_verified_at"]).where("id", "=", market.rfq.id).executeTakeFirstOrThrow();
  const closeOk = closed.closed && closed.chain?.ok === true && after.status === "closed" && after.chain_verified_at !== null && closed.offers === Number(liveOffers.n);
  row(
    "closeRfq after the deadline",
    `${closed.closed ? "closed" : "NOT closed"}, ${int(closed.offers)} of ${int(Number(liveOffers.n))} live offers locked, chain ${closed.chain?.ok ? "verified" : "NOT verified"}, ${ms(closeMs)}  ${closeOk ? "PASS" : "FAIL"}`,
  );

  log();
  const judged = phases.find((p) => p.concurrency === GOAL_CONCURRENCY);
  log(`goals (issue 5), judged at ${GOAL_CONCURRENCY} concurrent sellers`);
  if (!judged) {
    row("", `not judged: no phase ran ${GOAL_CONCURRENCY} concurrent sellers (BENCH_OFFERS_CONCURRENCY)`);
  } else {
    // Both readings of "an insert loop over the same pool": as many loops as sellers, and one loop.
    for (const [label, base] of [[`${GOAL_CONCURRENCY} insert loops at once`, judged.baseline], ["one insert loop", serial]] as const) {
      const ratio = judged.offers.perSecond / base.perSecond;
      row(`ratio to ${label} ≥ ${GOAL_RATIO}`, `${ratio >= GOAL_RATIO ? "met" : "MISSED"} (${ratio.toFixed(3)}: ${int(judged.offers.perSecond)} offers/s ÷ ${int(base.perSecond)} inserts/s)`);
    }
    row(`saveOffer p99 < ${GOAL_P99_MS} ms`, `${judged.offers.latency.p99 < GOAL_P99_MS ? "met" : "MISSED"} (${ms(judged.offers.latency.p99)})`);
  }
  const mustBeZero = integrity.lost + integrity.duplicated + integrity.late + acceptedSentAfterDeadline + integrity.unacknowledged;
  const allHold = mustBeZero === 0 && integrity.chain.ok && service.ok && closeOk;
  row("must-be-zero counts, chain, close", allHold ? "all PASS" : "FAIL");
  if (!allHold) process.exitCode = 1;
} catch (error) {
  console.error("benchmark failed:", error);
  process.exitCode = 1;
} finally {
  await cleanUp();
}
