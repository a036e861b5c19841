import { afterAll, afterEach, describe, expect, it } from "vitest";
import type { OrganizationId, UserId } from "@souk/domain";
import { createQueues, createRedisConnection, outboxJobId, type SellerSuspendedPayload } from "@souk/jobs";
import { decideSeller, registerEventConsumer, type ActorDeps, type DomainEvent } from "@souk/services";
import { createTestDatabase, deleteKeysWithPrefix, redisUrl } from "@souk/testing";
import { captureLogger, jobInState, testConfig, waitFor } from "./test/helpers";
import { startWorker, type RunningWorker } from "./worker";

const t = await createTestDatabase();
const db = t.db;
const prefixes: string[] = [];
const running: RunningWorker[] = [];
const unregister: (() => void)[] = [];
afterEach(async () => {
  for (const worker of running.splice(0)) await worker.stop();
  for (const remove of unregister.splice(0)) remove();
});
afterAll(async () => {
  for (const prefix of prefixes) await deleteKeysWithPrefix(prefix);
});

function config() {
  const c = testConfig(t.url);
  prefixes.push(c.queuePrefix);
  return c;
}

let counter = 0;

/** An operator moderator, as the operator app would pass it to the services. */
async function moderator(): Promise<ActorDeps> {
  counter += 1;
  const org = await db.insertInto("organizations").values({ kind: "operator", name: `Ops ${counter}`, status: "active" }).returning("id").executeTakeFirstOrThrow();
  const user = await db
    .insertInto("users")
    .values({ email: `mod${counter}.${Date.now()}@example.test`, name: "Mina Moderator", password_hash: "x" })
    .returning("id")
    .executeTakeFirstOrThrow();
  await db.insertInto("memberships").values({ organization_id: org.id, user_id: user.id, role: "moderator" }).execute();
  return {
    db,
    publicUrls: testConfig(t.url).publicUrls,
    request: { app: "operator", ip: "203.0.113.5", userAgent: "vitest" },
    session: { id: "s", userId: user.id },
    actor: { userId: user.id as UserId, organizationId: org.id as OrganizationId, organizationKind: "operator", organizationStatus: "active", role: "moderator", ip: "203.0.113.5" },
  };
}

/** An active seller with one owner. */
async function activeSeller(): Promise<string> {
  counter += 1;
  const org = await db.insertInto("organizations").values({ kind: "seller", name: `Seller ${counter}`, status: "active" }).returning("id").executeTakeFirstOrThrow();
  const user = await db
    .insertInto("users")
    .values({ email: `owner${counter}.${Date.now()}@example.test`, name: "Sami Seller", password_hash: "x" })
    .returning("id")
    .executeTakeFirstOrThrow();
  await db.insertInto("memberships").values({ organization_id: org.id, user_id: user.id, role: "owner" }).execute();
  return org.id;
}

async function eventRow(organizationId: string) {
  const rows = await db.selectFrom("outbox").selectAll().where("topic", "=", "seller.suspended").execute();
  const row = rows.find((r) => (r.payload as SellerSuspendedPayload).organizationId === organizationId);
  if (!row) throw new Error(`no seller.suspended event for ${organizationId}`);
  return row;
}

describe("domain events", () => {
  it("a suspension committed in PostgreSQL reaches the events queue through the outbox and is dispatched to the consumers", async () => {
    const received: DomainEvent<"seller.suspended">[] = [];
    unregister.push(registerEventConsumer("seller.suspended", "test-recorder", async (_deps, event) => void received.push(event)));

    // Decided while no worker runs (Redis could as well be down): only PostgreSQL is involved.
    const sellerId = await activeSeller();
    const decision = await decideSeller(await moderator(), { organizationId: sellerId, decision: "suspend", message: "Counterfeit goods." });
    const row = await eventRow(sellerId);
    expect(row.sent_at).toBeNull();

    const c = config();
    const { logger, entries } = captureLogger();
    running.push(await startWorker(c, { logger }));
    await waitFor(async () => received.length > 0, 15_000, "the consumer to receive the event");

    const expected: SellerSuspendedPayload = { organizationId: sellerId, decisionId: decision.decisionId, reason: "Counterfeit goods.", at: (row.payload as SellerSuspendedPayload).at };
    expect(received).toEqual([{ topic: "seller.suspended", outboxId: String(row.id), payload: expected }]);

    const producer = createRedisConnection(redisUrl, "producer");
    const queues = createQueues(producer, c.queuePrefix);
    try {
      const job = await jobInState(queues.byName.events, outboxJobId(row.job_key), "completed", 10_000);
      expect(job.name).toBe("seller.suspended");
      expect(job.data).toEqual(expected);
      expect(job.returnvalue).toEqual({ topic: "seller.suspended", consumers: ["catalogue", "rfqs", "payouts", "test-recorder"] });
      expect(await queues.byName.notifications.getJob(outboxJobId(row.job_key))).toBeUndefined();
    } finally {
      await queues.close();
      producer.disconnect();
    }
    expect((await eventRow(sellerId)).sent_at).toBeInstanceOf(Date);
    // The owner's e-mail went through the other queue.
    await waitFor(
      async () => (await db.selectFrom("notifications").select("sent_at").where("organization_id", "=", sellerId).where("channel", "=", "email").executeTakeFirst())?.sent_at,
      15_000,
      "the owner's e-mail",
    );
    expect(entries.some((e) => e.message === "event dispatched" && (e.consumers as string[]).includes("test-recorder"))).toBe(true);
  });

  it("retries an event whose consumer failed, running every consumer again with the same decision id", { timeout: 40_000 }, async () => {
    const calls: { consumer: string; decisionId: string }[] = [];
    let failures = 1;
    unregister.push(
      registerEventConsumer("seller.suspended", "flaky", async (_deps, event) => {
        calls.push({ consumer: "flaky", decisionId: event.payload.decisionId });
        if (failures-- > 0) throw new Error("search index unreachable");
      }),
      registerEventConsumer("seller.suspended", "steady", async (_deps, event) => void calls.push({ consumer: "steady", decisionId: event.payload.decisionId })),
    );
    const sellerId = await activeSeller();
    const decision = await decideSeller(await moderator(), { organizationId: sellerId, decision: "suspend", message: "Chargebacks." });

    const { logger, entries } = captureLogger();
    running.push(await startWorker(config(), { logger }));
    // The first retry of an event waits 5 s (the catalogue's backoff).
    await waitFor(async () => calls.length >= 4, 30_000, () => `a retry (calls: ${JSON.stringify(calls)})`);
    expect(calls).toEqual([
      { consumer: "flaky", decisionId: decision.decisionId },
      { consumer: "steady", decisionId: decision.decisionId },
      { consumer: "flaky", decisionId: decision.decisionId },
      { consumer: "steady", decisionId: decision.decisionId },
    ]);
    const failed = entries.find((e) => e.message === "event failed");
    expect(failed).toMatchObject({ name: "seller.suspended", attemptsMade: 1, final: false, consumers: ["flaky"] });
  });
});
