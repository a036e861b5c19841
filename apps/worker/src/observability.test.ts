import { afterAll, afterEach, describe, expect, it } from "vitest";
import type { OrganizationId, UserId } from "@souk/domain";
import { runWithRequestId, writeOutbox, type NotificationEmailPayload } from "@souk/jobs";
import { createListingIndex, listingChecksum, readSearchEnv } from "@souk/search";
import { createJobsDeps, decideSeller, listFailedJobs, scheduleSearchReconcile, type ActorDeps } from "@souk/services";
import { createTestDatabase, deleteKeysWithPrefix, redisUrl } from "@souk/testing";
import { captureLogger, testConfig, waitFor } from "./test/helpers";
import { startWorker, type RunningWorker } from "./worker";

// A request id set where an app's HTTP middleware sets it (runWithRequestId around the service
// call), followed from there: outbox row → relay → job data → the worker's log lines and metrics,
// and into the outbox rows the job writes in turn. The HTTP side itself is tested in
// packages/ui (app-server.test.ts) and apps/operator (observability.test.ts).

const t = await createTestDatabase();
const db = t.db;
const prefixes: string[] = [];
const running: RunningWorker[] = [];
afterEach(async () => {
  for (const worker of running.splice(0)) await worker.stop();
});
afterAll(async () => {
  for (const prefix of prefixes) await deleteKeysWithPrefix(prefix);
});

async function start(overrides: Parameters<typeof testConfig>[1] = {}) {
  const config = testConfig(t.url, overrides);
  prefixes.push(config.queuePrefix);
  const { logger, entries } = captureLogger();
  const worker = await startWorker(config, { logger });
  running.push(worker);
  return { worker, entries, config };
}

let counter = 0;
async function moderator(role: "moderator" | "admin" = "moderator"): Promise<ActorDeps> {
  counter += 1;
  const org = await db.insertInto("organizations").values({ kind: "operator", name: `Ops ${counter}`, status: "active" }).returning("id").executeTakeFirstOrThrow();
  const user = await db.insertInto("users").values({ email: `mod${counter}@obs.souk.test`, name: "Mina Moderator", password_hash: "x" }).returning("id").executeTakeFirstOrThrow();
  await db.insertInto("memberships").values({ organization_id: org.id, user_id: user.id, role }).execute();
  return {
    db,
    publicUrls: testConfig(t.url).publicUrls,
    request: { app: "operator", ip: "203.0.113.5", userAgent: "vitest" },
    session: { id: "s", userId: user.id },
    actor: { userId: user.id as UserId, organizationId: org.id as OrganizationId, organizationKind: "operator", organizationStatus: "active", role, ip: "203.0.113.5" },
  };
}

async function activeSeller(): Promise<string> {
  counter += 1;
  const org = await db.insertInto("organizations").values({ kind: "seller", name: `Seller ${counter}`, status: "active" }).returning("id").executeTakeFirstOrThrow();
  const user = await db.insertInto("users").values({ email: `owner${counter}@obs.souk.test`, name: "Sami Seller", password_hash: "x" }).returning("id").executeTakeFirstOrThrow();
  await db.insertInto("memberships").values({ organization_id: org.id, user_id: user.id, role: "owner" }).execute();
  return org.id;
}

/** The samples of one metric in Prometheus' text format. */
function samples(text: string, name: string): { labels: Record<string, string>; value: number }[] {
  return text
    .split("\n")
    .map((line) => /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null && m[1] === name)
    .map((m) => ({ labels: Object.fromEntries([...(m[2] ?? "").matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((l) => [l[1]!, l[2]!])), value: Number(m[3]) }));
}
const valueOf = (text: string, name: string, labels: Record<string, string>) => samples(text, name).find((s) => Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;

const scrape = async (port: number, headers: Record<string, string> = {}) => {
  const response = await fetch(`http://127.0.0.1:${port}/metrics`, { headers });
  return { status: response.status, type: response.headers.get("content-type"), text: await response.text() };
};

describe("the request id follows a request into the jobs it causes", () => {
  it("outbox row → job → the job's log lines, and on into the rows the job writes and their jobs", async () => {
    const requestId = "req-chain-0b7e2a3c";
    const sellerId = await activeSeller();
    const mod = await moderator();
    // As in the operator app: the suspension is decided during the request.
    await runWithRequestId(requestId, () => decideSeller(mod, { organizationId: sellerId, decision: "suspend", message: "Counterfeit goods." }));
    const event = await db.selectFrom("outbox").select(["id", "request_id"]).where("topic", "=", "seller.suspended").executeTakeFirstOrThrow();
    expect(event.request_id).toBe(requestId);

    const { worker, entries } = await start();
    // The events job runs the consumers under the request id: the seller sync they queue carries it.
    const sync = await waitFor(
      () => db.selectFrom("outbox").select(["id", "request_id", "sent_at"]).where("topic", "=", "search.seller.sync").executeTakeFirst(),
      15_000,
      "the catalogue consumer to queue the seller's search sync",
    );
    expect(sync.request_id).toBe(requestId);
    const done = await waitFor(
      async () => entries.find((e) => e.message === "job completed" && e.queue === "search" && e.name === "search.seller.sync"),
      15_000,
      () => `the seller sync to complete\n${entries.map((e) => JSON.stringify(e)).join("\n")}`,
    );

    const started = entries.filter((e) => e.message === "job started");
    const eventStart = started.find((e) => e.queue === "events" && e.name === "seller.suspended");
    expect(eventStart).toMatchObject({ level: "info", service: "worker", requestId, jobId: expect.stringMatching(/^outbox-/), attemptsMade: 0 });
    // Logged once every consumer has run, which may be after the sync they queued has completed.
    const dispatched = await waitFor(async () => entries.find((e) => e.message === "event dispatched"), 15_000, "the event's dispatch log line");
    expect(dispatched).toMatchObject({ queue: "events", name: "seller.suspended", jobId: eventStart!.jobId, requestId, durationMs: expect.any(Number) });
    expect(started.find((e) => e.queue === "search")).toMatchObject({ name: "search.seller.sync", requestId });
    expect(done).toMatchObject({ requestId, jobId: expect.stringMatching(/^outbox-/), durationMs: expect.any(Number) });
    expect(done.durationMs as number).toBeGreaterThanOrEqual(0);
    // The e-mail to the seller's owner came from the same request.
    await waitFor(async () => entries.find((e) => e.message === "job completed" && e.queue === "notifications" && e.requestId === requestId), 15_000, "the owner's e-mail job");
    // Lines written while the job runs (by the services) carry it too, without being told.
    expect(entries.filter((e) => e.requestId === requestId).length).toBeGreaterThanOrEqual(6);

    // A job from no request: no request id anywhere.
    await writeOutbox(db, "notification.email", { template: "auth.password_changed", locale: "en", to: "quiet@example.com", params: { name: "Ana" } });
    const quiet = await waitFor(async () => entries.find((e) => e.message === "job completed" && e.queue === "notifications" && e.requestId === null), 15_000, "the e-mail job of no request");
    expect(quiet).toMatchObject({ name: "notification.email" });

    const { text } = await scrape(worker.healthPort);
    expect(valueOf(text, "souk_job_duration_seconds_count", { queue: "events", job: "seller.suspended", outcome: "completed", service: "worker" })).toBe(1);
    expect(valueOf(text, "souk_job_duration_seconds_count", { queue: "search", job: "search.seller.sync", outcome: "completed" })).toBe(1);
    expect(valueOf(text, "souk_job_duration_seconds_count", { queue: "notifications", job: "notification.email", outcome: "completed" })).toBeGreaterThanOrEqual(2);
  });
});

describe("the worker's /metrics", () => {
  it("exposes job failures, the outbox backlog, the index drift of the last reconciliation and Node's metrics", async () => {
    const bad: NotificationEmailPayload = { template: "no.such.template", locale: "en", to: "x@example.com", params: {} };
    await runWithRequestId("req-failing-0001", () => writeOutbox(db, "notification.email", bad));
    // An RFQ closing next week: a scheduled row, not relayed yet.
    await db.insertInto("outbox").values({ topic: "rfq.close", payload: JSON.stringify({ rfqId: "4c0c2b7e-1f9a-4a8e-9a53-0d5c6b8f6a11" }), available_at: new Date(Date.now() + 7 * 86_400_000) }).execute();
    // A reconciliation of an index in step with PostgreSQL (neither holds a listing): no drift, and when.
    const run = await scheduleSearchReconcile({ db, publicUrls: testConfig(t.url).publicUrls });
    expect(run).not.toBeNull();

    const { worker, entries, config } = await start();
    const failed = await waitFor(async () => entries.find((e) => e.message === "job failed" && e.requestId === "req-failing-0001"), 15_000, "the bad e-mail to fail");
    expect(failed).toMatchObject({ queue: "notifications", name: "notification.email", final: true, durationMs: expect.any(Number), error: { name: "UnrecoverableError" } });
    // The System health page lists it with the request that caused it (not as part of its payload).
    const jobs = createJobsDeps({ redisUrl, queuePrefix: config.queuePrefix });
    try {
      const listed = await listFailedJobs({ ...(await moderator("admin")), ...jobs }, { queue: "notifications" });
      expect(listed.items).toHaveLength(1);
      expect(listed.items[0]).toMatchObject({ name: "notification.email", requestId: "req-failing-0001" });
      expect(Object.keys(listed.items[0]!.payload)).not.toContain("_requestId");
    } finally {
      await jobs.close();
    }
    await waitFor(async () => (await db.selectFrom("search_index_runs").select("status").where("id", "=", run!.runId).executeTakeFirst())?.status === "succeeded", 15_000, "the reconciliation");

    const { status, type, text } = await scrape(worker.healthPort);
    expect(status).toBe(200);
    expect(type).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(valueOf(text, "souk_job_failures_total", { queue: "notifications", job: "notification.email", final: "true" })).toBe(1);
    expect(valueOf(text, "souk_job_duration_seconds_count", { queue: "notifications", job: "notification.email", outcome: "failed" })).toBe(1);
    expect(valueOf(text, "souk_outbox_backlog_rows", { queue: "rfqs", state: "scheduled" })).toBe(1);
    expect(valueOf(text, "souk_outbox_oldest_pending_age_seconds", { queue: "rfqs" })).toBe(0);
    const finished = (await db.selectFrom("search_index_runs").select("finished_at").where("id", "=", run!.runId).executeTakeFirstOrThrow()).finished_at!;
    expect(valueOf(text, "souk_search_index_drift_documents", { kind: "missing" })).toBe(0);
    expect(valueOf(text, "souk_search_index_drift_documents", { kind: "stale" })).toBe(0);
    expect(valueOf(text, "souk_search_index_last_reconcile_timestamp_seconds", { kind: "reconcile" })).toBe(Math.floor(finished.getTime() / 1000));
    expect(valueOf(text, "process_cpu_seconds_total", { service: "worker" })).toBeGreaterThan(0);

    // Drift the index behind PostgreSQL's back: the next reconciliation counts it, the next scrape shows it.
    await createListingIndex({ db, search: readSearchEnv({}) }).upsert([ghostDocument()]);
    const second = await waitFor(() => scheduleSearchReconcile({ db, publicUrls: testConfig(t.url).publicUrls }), 5_000, "a second run");
    await waitFor(async () => (await db.selectFrom("search_index_runs").select("status").where("id", "=", second.runId).executeTakeFirst())?.status === "succeeded", 15_000, "the second reconciliation");
    expect(valueOf((await scrape(worker.healthPort)).text, "souk_search_index_drift_documents", { kind: "extra" })).toBe(1);

    // /healthz is unchanged; other paths are still 404.
    expect((await fetch(`http://127.0.0.1:${worker.healthPort}/healthz`)).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${worker.healthPort}/metrics/x`)).status).toBe(404);
  });

  it("asks for the bearer token when METRICS_TOKEN is set", async () => {
    const { worker } = await start({ metricsToken: "worker-metrics-token-0001" });
    expect((await scrape(worker.healthPort)).status).toBe(401);
    expect((await scrape(worker.healthPort, { authorization: "Bearer wrong-token-000000000" })).status).toBe(401);
    const ok = await scrape(worker.healthPort, { authorization: "Bearer worker-metrics-token-0001" });
    expect(ok.status).toBe(200);
    expect(ok.text).toContain("souk_job_duration_seconds");
  });

  it("keeps /metrics closed in production when no METRICS_TOKEN is set", async () => {
    const { worker } = await start({ production: true, metricsToken: null });
    expect((await scrape(worker.healthPort)).status).toBe(401);
    expect((await scrape(worker.healthPort, { authorization: "Bearer anything-at-all-000000" })).status).toBe(401);
    expect((await fetch(`http://127.0.0.1:${worker.healthPort}/healthz`)).status).toBe(200);
  });
});

/** A document of a listing that does not exist: drift the reconciliation counts as extra. */
function ghostDocument() {
  const doc = {
    id: "0b7e2a3c-8a4e-4f0b-9d7c-000000000001",
    sellerId: "0b7e2a3c-8a4e-4f0b-9d7c-000000000002",
    sellerName: "Gone Ltd",
    sku: "GHOST-1",
    title: "Ghost listing",
    description: "",
    categoryIds: [],
    categoryPath: { en: [], fr: [] },
    unit: "piece",
    currency: "EUR",
    listPriceMinor: "100",
    minOrderQuantity: 1,
    leadTimeDays: 1,
    inStock: true,
    visibility: "everyone" as const,
    attributes: {},
    updatedAt: "2026-01-01T00:00:00.000Z",
  };
  return { ...doc, checksum: listingChecksum(doc) };
}
