import { UnrecoverableError, Worker } from "bullmq";
import { afterAll, describe, expect, it } from "vitest";
import type { Actor, DomainError } from "@souk/domain";
import { createRedisConnection, enqueueJob, writeOutbox } from "@souk/jobs";
import { createJobsDeps, getQueueOverview, listFailedJobs, retryFailedJob, type ActorDeps } from "@souk/services";
import { createTestDatabase, deleteKeysWithPrefix, redisUrl, uniqueQueuePrefix } from "@souk/testing";
import { waitFor } from "./test/helpers";

// The operator's Jobs page over real queues: its services (@souk/services operations) need BullMQ
// workers to make jobs fail, which this package has.
const t = await createTestDatabase();
const db = t.db;
const prefix = uniqueQueuePrefix();
const jobs = createJobsDeps({ redisUrl, queuePrefix: prefix });
const workers: Worker[] = [];
const consumer = createRedisConnection(redisUrl, "worker");
afterAll(async () => {
  for (const worker of workers) await worker.close();
  consumer.disconnect();
  await jobs.close();
  await deleteKeysWithPrefix(prefix);
});

let people = 0;
async function member(kind: "operator" | "seller", role: Actor["role"]): Promise<ActorDeps> {
  people += 1;
  const org = await db.insertInto("organizations").values({ kind, name: `Ops ${kind} ${people}`, status: "active" }).returning("id").executeTakeFirstOrThrow();
  const user = await db.insertInto("users").values({ email: `ops-${people}-${Date.now()}@example.test`, name: `Ops ${people}`, password_hash: "x" }).returning("id").executeTakeFirstOrThrow();
  await db.insertInto("memberships").values({ organization_id: org.id, user_id: user.id, role }).execute();
  const ip = `203.0.113.${people}`;
  return {
    db,
    publicUrls: { buyer: "http://buyer.test", seller: "http://seller.test", operator: "http://operator.test" },
    request: { app: kind === "operator" ? "operator" : "seller", ip, userAgent: "test" },
    session: { id: `session-${people}`, userId: user.id },
    actor: { userId: user.id as Actor["userId"], organizationId: org.id as Actor["organizationId"], organizationKind: kind, organizationStatus: "active", role, ip },
  };
}

async function errorOf(promise: Promise<unknown>): Promise<DomainError> {
  try {
    await promise;
  } catch (error) {
    return error as DomainError;
  }
  throw new Error("expected a DomainError");
}

/** A consumer of `queue` that fails every job for good with `reason`. */
function failing(queue: "notifications" | "settlement", reason: string): Worker {
  const worker: Worker = new Worker(
    queue,
    async (): Promise<unknown> => {
      throw new UnrecoverableError(reason);
    },
    { connection: consumer, prefix, concurrency: 1 },
  );
  worker.on("error", () => undefined);
  workers.push(worker);
  return worker;
}

const finance = await member("operator", "finance");
const moderator = await member("operator", "moderator");
const seller = await member("seller", "owner");
const withJobs = (deps: ActorDeps) => ({ ...deps, queues: jobs.queues });
const ORDER_ID = "4c0c2b7e-1f9a-4a8e-9a53-0d5c6b8f6a11";

describe("operations: queue overview, failed jobs, retry", () => {
  it("only operators with manage:jobs:any (admin, finance) may read or retry", async () => {
    for (const deps of [moderator, seller]) {
      expect((await errorOf(getQueueOverview(withJobs(deps)))).code).toBe("FORBIDDEN");
      expect((await errorOf(listFailedJobs(withJobs(deps), {}))).code).toBe("FORBIDDEN");
      expect((await errorOf(retryFailedJob(withJobs(deps), { queue: "settlement", jobId: "x" }))).code).toBe("FORBIDDEN");
    }
  });

  it("counts jobs per queue and what the outbox still holds for each (pending with its age, scheduled, parked)", async () => {
    // An order.settle row committed but not relayed, an RFQ close due tomorrow, a row the relay parked.
    await writeOutbox(db, "order.settle", { orderId: ORDER_ID });
    await writeOutbox(db, "rfq.close", { rfqId: ORDER_ID }, { delayMs: 86_400_000 });
    await db.insertInto("outbox").values({ topic: "no.such.job", payload: "{}", available_at: "infinity", attempts: 1, last_error: "unknown topic" }).execute();
    await db
      .insertInto("outbox")
      .values({ topic: "notification.email", payload: JSON.stringify({ template: "t", locale: "en", to: "a@example.test", params: {} }), available_at: "infinity", attempts: 1 })
      .execute();
    // Two waiting jobs in the search queue (no consumer here).
    await enqueueJob(jobs.queues, "search.seller.sync", { sellerId: ORDER_ID }, { jobId: "sync-1" });
    await enqueueJob(jobs.queues, "search.reconcile", { runId: ORDER_ID }, { jobId: "reconcile-1" });

    const overview = await getQueueOverview(withJobs(finance));
    expect(overview.redisReachable).toBe(true);
    expect(overview.queues.map((q) => q.queue)).toEqual(["notifications", "events", "search", "imports", "rfqs", "settlement"]);
    const row = (queue: string) => overview.queues.find((q) => q.queue === queue)!;
    expect(row("search").counts).toEqual({ waiting: 2, active: 0, delayed: 0, failed: 0, completed: 0 });
    expect(row("settlement").outbox).toMatchObject({ pending: 1, scheduled: 0, parked: 0 });
    expect(row("settlement").outbox.oldestPendingSeconds).toBeGreaterThanOrEqual(0);
    expect(row("rfqs").outbox).toEqual({ pending: 0, scheduled: 1, parked: 0, oldestPendingSeconds: null });
    expect(row("notifications").outbox).toEqual({ pending: 0, scheduled: 0, parked: 1, oldestPendingSeconds: null });
    expect(overview.unknownTopics).toMatchObject({ parked: 1 });
    await db.deleteFrom("outbox").execute();
  });

  it("lists failed jobs newest first with their payload's ids only (an e-mail's address and parameters stay hidden), by queue and by page", async () => {
    failing("notifications", "SMTP said no");
    failing("settlement", "CONFLICT: commission.no_rule");
    await enqueueJob(
      jobs.queues,
      "notification.email",
      { template: "auth.password_reset", locale: "en", to: "secret.person@example.test", userId: ORDER_ID, params: { link: "https://buyer.test/reset?token=SECRET-TOKEN" } },
      { jobId: "mail-1" },
    );
    await waitFor(async () => (await jobs.queues.byName.notifications.getJobCountByTypes("failed")) === 1, 10_000, "the e-mail job to fail");
    await enqueueJob(jobs.queues, "order.settle", { orderId: ORDER_ID }, { jobId: "settle-1" });
    await waitFor(async () => (await jobs.queues.byName.settlement.getJobCountByTypes("failed")) === 1, 10_000, "the settle job to fail");

    const all = await listFailedJobs(withJobs(finance), {});
    expect(all).toMatchObject({ queue: null, redisReachable: true, total: 2, page: 1 });
    expect(all.items.map((j) => [j.queue, j.id, j.name])).toEqual([
      ["settlement", "settle-1", "order.settle"],
      ["notifications", "mail-1", "notification.email"],
    ]);
    expect(all.items[0]).toMatchObject({ failedReason: "CONFLICT: commission.no_rule", attemptsMade: 1, attempts: 10, payload: { orderId: ORDER_ID } });
    expect(all.items[1]!.payload).toEqual({ template: "auth.password_reset", locale: "en", userId: ORDER_ID });
    expect(JSON.stringify(all)).not.toMatch(/secret\.person|SECRET-TOKEN/);

    const settlement = await listFailedJobs(withJobs(finance), { queue: "settlement" });
    expect(settlement.items.map((j) => j.id)).toEqual(["settle-1"]);
    expect(settlement.total).toBe(1);
    expect((await listFailedJobs(withJobs(finance), { page: "2" })).items).toEqual([]);
    expect(await errorOf(listFailedJobs(withJobs(finance), { queue: "nope" }))).toMatchObject({ code: "VALIDATION", fieldErrors: { queue: ["jobs.queue_invalid"] } });
  });

  it("retries a failed job (attempts from zero) with an audit record; a second retry, an unknown job or queue is refused and records nothing", async () => {
    await Promise.all(workers.splice(0).map((w) => w.close()));
    const audit = () => db.selectFrom("audit_log").selectAll().where("action", "=", "job.retried").execute();

    const result = await retryFailedJob(withJobs(finance), { queue: "settlement", jobId: "settle-1" });
    expect(result).toEqual({ queue: "settlement", jobId: "settle-1", name: "order.settle" });
    const job = await jobs.queues.byName.settlement.getJob("settle-1");
    expect(await job!.getState()).toBe("waiting");
    expect(job!.attemptsMade).toBe(0);
    const rows = await audit();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      actor_user_id: finance.actor.userId,
      target_type: "job",
      target_id: "settlement/settle-1",
      ip: finance.request.ip,
      data: { queue: "settlement", jobId: "settle-1", name: "order.settle", attemptsMade: 1 },
    });

    expect(await errorOf(retryFailedJob(withJobs(finance), { queue: "settlement", jobId: "settle-1" }))).toMatchObject({ code: "CONFLICT", fieldErrors: { _form: ["jobs.not_failed"] } });
    expect(await errorOf(retryFailedJob(withJobs(finance), { queue: "settlement", jobId: "nope" }))).toMatchObject({ code: "CONFLICT", fieldErrors: { _form: ["jobs.job_gone"] } });
    expect(await errorOf(retryFailedJob(withJobs(finance), { queue: "ledger", jobId: "settle-1" }))).toMatchObject({ code: "VALIDATION", fieldErrors: { queue: ["jobs.queue_invalid"] } });
    expect(await errorOf(retryFailedJob(withJobs(finance), { queue: "settlement" }))).toMatchObject({ code: "VALIDATION", fieldErrors: { jobId: ["jobs.job_invalid"] } });
    expect(await audit()).toHaveLength(1);

    // The retried job runs again: a consumer that succeeds completes it.
    const ok = new Worker("settlement", async () => ({ ok: true }), { connection: consumer, prefix, concurrency: 1 });
    workers.push(ok);
    await waitFor(async () => (await job!.getState()) === "completed", 10_000, "the retried job to complete");
    expect((await listFailedJobs(withJobs(finance), {})).items.map((j) => j.id)).toEqual(["mail-1"]);
  });

  it("with Redis unreachable: the outbox figures still show, the queues are unknown, a retry is refused", async () => {
    const down = createJobsDeps({ redisUrl: "redis://127.0.0.1:1", queuePrefix: prefix });
    try {
      await writeOutbox(db, "order.settle", { orderId: ORDER_ID });
      const overview = await getQueueOverview({ ...finance, queues: down.queues });
      expect(overview.redisReachable).toBe(false);
      expect(overview.queues.every((q) => q.counts === null)).toBe(true);
      expect(overview.queues.find((q) => q.queue === "settlement")!.outbox.pending).toBe(1);
      expect(await listFailedJobs({ ...finance, queues: down.queues }, {})).toMatchObject({ redisReachable: false, items: [], total: 0 });
      expect(await errorOf(retryFailedJob({ ...finance, queues: down.queues }, { queue: "notifications", jobId: "mail-1" }))).toMatchObject({
        code: "CONFLICT",
        fieldErrors: { _form: ["jobs.redis_unavailable"] },
      });
    } finally {
      await down.close();
    }
  });
});
