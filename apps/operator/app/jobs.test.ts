import { afterAll, describe, expect, it } from "vitest";
import { createTestDatabase, deleteKeysWithPrefix, uniqueQueuePrefix } from "@souk/testing";
import { translate } from "@souk/ui";
import { call, request, sessionCookieFrom, type Failure } from "@souk/ui/testing";

// The app reads its environment once, at import: point it at this file's database and queues first.
const testDb = await createTestDatabase();
const prefix = uniqueQueuePrefix();
process.env.DATABASE_URL = testDb.url;
process.env.PUBLIC_URL = "http://localhost";
process.env.NODE_ENV = "test";
process.env.QUEUE_PREFIX = prefix;

const { closeServices, services } = await import("./services.server");
const { createOperator } = await import("@souk/services");
const { NAVIGATION } = await import("./lib/app");
const signIn = await import("./routes/sign-in");
const jobsPage = await import("./routes/jobs");

afterAll(async () => {
  await closeServices();
  await deleteKeysWithPrefix(prefix);
});

const PASSWORD = "a long enough passphrase";
async function signedIn(role: "admin" | "moderator" | "finance") {
  const email = `${role}@ops-jobs.souk.test`;
  await createOperator(services, { email, name: `${role} operator`, password: PASSWORD, role });
  const result = await call(signIn.action, request("/sign-in", { form: { email, password: PASSWORD } }));
  expect(result.status).toBe(302);
  return sessionCookieFrom(result) as string;
}
const finance = await signedIn("finance");
const moderator = await signedIn("moderator");

type JobsData = {
  health: {
    queues: { redisReachable: boolean; queues: { queue: string; counts: unknown; outbox: { pending: number } }[] };
    outbox: { pending: number; scheduled: number; parked: number; oldestPendingSeconds: number | null };
    index: {
      engine: string;
      lastReconcile: { kind: string; finishedAt: string; missing: number; stale: number; extra: number } | null;
      drift: number | null;
      newerRun: { kind: string; status: string; at: string } | null;
    };
  };
  failed: { items: unknown[]; total: number; redisReachable: boolean; queue: string | null };
  filterErrors: Record<string, string[]>;
};

describe("operator console: jobs", () => {
  it("is in the navigation for operators who manage jobs, and closed to the others (403) before any form is read", async () => {
    expect(NAVIGATION).toContainEqual({ to: "/jobs", label: "jobs.nav", permission: "manage:jobs:any" });
    expect((await call(jobsPage.loader, request("/jobs", { cookie: moderator }))).status).toBe(403);
    expect((await call(jobsPage.action, request("/jobs", { cookie: moderator, form: { queue: "settlement", jobId: "x" } }))).status).toBe(403);
    expect(await testDb.db.selectFrom("audit_log").select("id").where("action", "=", "job.retried").execute()).toEqual([]);
  });

  it("shows every queue with the outbox backlog, and the (empty) failed list; a refused filter is shown, not an error page", async () => {
    // A settlement committed and not relayed yet (no worker runs here).
    await testDb.db.insertInto("outbox").values({ topic: "order.settle", payload: JSON.stringify({ orderId: "4c0c2b7e-1f9a-4a8e-9a53-0d5c6b8f6a11" }) }).execute();
    const page = await call(jobsPage.loader, request("/jobs", { cookie: finance }));
    expect(page.status).toBe(200);
    const data = page.data as JobsData;
    expect(data.health.queues.redisReachable).toBe(true);
    expect(data.health.queues.queues.map((q) => q.queue)).toEqual(["notifications", "events", "search", "imports", "rfqs", "settlement"]);
    expect(data.health.queues.queues.find((q) => q.queue === "settlement")?.outbox.pending).toBe(1);
    expect(data.failed).toMatchObject({ items: [], total: 0, redisReachable: true, queue: null });

    const filtered = await call(jobsPage.loader, request("/jobs?queue=ledger", { cookie: finance, acceptLanguage: "fr" }));
    expect(filtered.status).toBe(200);
    expect((filtered.data as JobsData).filterErrors.queue).toEqual([translate("fr", "jobs.queue_invalid")]);
  });

  it("is one System health page: the outbox backlog in total with its oldest age, and the search index's engine, last reconciliation and drift", async () => {
    // Backlog: the settlement row above, and an e-mail due for 5 minutes that the relay has not moved.
    const email = JSON.stringify({ template: "auth.password_changed", locale: "en", to: "late@example.com", params: { name: "Ana" } });
    await testDb.db.insertInto("outbox").values({ topic: "notification.email", payload: email, created_at: new Date(Date.now() - 300_000), available_at: new Date(Date.now() - 300_000) }).execute();
    let data = (await call(jobsPage.loader, request("/jobs", { cookie: finance }))).data as JobsData;
    expect(data.health.outbox).toMatchObject({ pending: 2, scheduled: 0, parked: 0 });
    expect(data.health.outbox.oldestPendingSeconds).toBeGreaterThanOrEqual(299);
    expect(data.health.outbox.oldestPendingSeconds).toBeLessThan(400);
    // No reconciliation has run yet: nothing to say about drift.
    expect(data.health.index).toEqual({ engine: "postgres", lastReconcile: null, drift: null, newerRun: null });

    // A reconciliation found (and repaired) drift; a later one failed.
    const finishedAt = new Date(Date.now() - 60_000);
    await testDb.db
      .insertInto("search_index_runs")
      .values({ kind: "reconcile", status: "succeeded", missing_count: 2, stale_count: 1, extra_count: 0, expected_count: 40, indexed_count: 38, created_at: new Date(Date.now() - 120_000), finished_at: finishedAt })
      .execute();
    await testDb.db.insertInto("search_index_runs").values({ kind: "reindex", status: "failed", failure: "MeiliSearchApiError: unreachable", finished_at: new Date() }).execute();
    data = (await call(jobsPage.loader, request("/jobs", { cookie: finance }))).data as JobsData;
    expect(data.health.index).toMatchObject({
      engine: "postgres",
      lastReconcile: { kind: "reconcile", finishedAt: finishedAt.toISOString(), missing: 2, stale: 1, extra: 0 },
      drift: 3,
      newerRun: { kind: "reindex", status: "failed" },
    });
    // The page is the same for a moderator: closed (no manage:jobs:any).
    expect((await call(jobsPage.loader, request("/jobs", { cookie: moderator }))).status).toBe(403);
  });

  it("a retry of a job that does not exist comes back as a message on the page, and records nothing", async () => {
    const gone = await call(jobsPage.action, request("/jobs", { cookie: finance, form: { queue: "settlement", jobId: "outbox-nope" }, acceptLanguage: "fr" }));
    expect(gone.status).toBe(409);
    expect((gone.data as Failure).formError).toBe(translate("fr", "jobs.job_gone"));
    const invalid = await call(jobsPage.action, request("/jobs", { cookie: finance, form: { queue: "ledger", jobId: "x" } }));
    expect(invalid.status).toBe(422);
    expect((invalid.data as Failure).fieldErrors.queue).toEqual([translate("en", "jobs.queue_invalid")]);
    expect(await testDb.db.selectFrom("audit_log").select("id").where("action", "=", "job.retried").execute()).toEqual([]);
  });
});
