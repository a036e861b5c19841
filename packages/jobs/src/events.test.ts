import { afterAll, describe, expect, it } from "vitest";
import { createTestDatabase, deleteKeysWithPrefix, redisUrl, uniqueQueuePrefix } from "@souk/testing";
import {
  EVENT_NAMES,
  InvalidJobPayloadError,
  JOBS,
  QUEUES,
  createQueues,
  createRedisConnection,
  enqueueOutboxJob,
  isEventName,
  jobNamesOf,
  writeOutbox,
  type SellerReinstatedPayload,
  type SellerSuspendedPayload,
} from "./index";

const { db } = await createTestDatabase();
const prefix = uniqueQueuePrefix();
const connection = createRedisConnection(redisUrl, "producer");
const queues = createQueues(connection, prefix);
afterAll(async () => {
  await queues.close();
  connection.disconnect();
  await deleteKeysWithPrefix(prefix);
});

const suspended: SellerSuspendedPayload = {
  organizationId: "5b7e2a3c-8a4e-4f0b-9d7c-1e2f3a4b5c6d",
  decisionId: "42",
  reason: "Documents forged",
  at: "2030-03-14T10:00:00.000Z",
};
const reinstated: SellerReinstatedPayload = { organizationId: suspended.organizationId, decisionId: "43", at: "2030-03-15T10:00:00.000+01:00" };

describe("domain events in the catalogue", () => {
  it("are the jobs of the events queue, and only they", () => {
    expect([...EVENT_NAMES].sort()).toEqual(["seller.reinstated", "seller.suspended"]);
    expect(jobNamesOf(QUEUES.events)).toEqual(EVENT_NAMES);
    expect(isEventName("seller.suspended")).toBe(true);
    expect(isEventName("notification.email")).toBe(false);
    expect(isEventName("toString")).toBe(false);
    for (const name of EVENT_NAMES) {
      expect(JOBS[name].queue).toBe("events");
      // Consumers may be down for a while (search index, payment provider): events retry for hours.
      expect(JOBS[name].attempts).toBeGreaterThanOrEqual(10);
      expect(JOBS[name].backoff.type).toBe("exponential");
    }
  });

  it("refuse payloads without a decision id, with a blank reason or a date without offset, and write nothing", async () => {
    const bad = [
      { ...suspended, decisionId: "0" },
      { ...suspended, decisionId: 42 },
      { ...suspended, reason: "   " },
      { ...suspended, at: "2030-03-14 10:00" },
      { ...suspended, organizationId: "not-a-uuid" },
    ] as unknown as SellerSuspendedPayload[];
    for (const payload of bad) await expect(writeOutbox(db, "seller.suspended", payload)).rejects.toBeInstanceOf(InvalidJobPayloadError);
    await expect(writeOutbox(db, "seller.reinstated", { organizationId: suspended.organizationId } as SellerReinstatedPayload)).rejects.toBeInstanceOf(
      InvalidJobPayloadError,
    );
    expect(await db.selectFrom("outbox").select("id").execute()).toEqual([]);
  });

  it("go to the events queue under their outbox job key with the catalogue's retry policy", async () => {
    const suspendedId = await writeOutbox(db, "seller.suspended", suspended);
    const reinstatedId = await writeOutbox(db, "seller.reinstated", reinstated);
    const jobKeyOf = async (id: string) => (await db.selectFrom("outbox").select("job_key").where("id", "=", id).executeTakeFirstOrThrow()).job_key;
    const suspendedKey = await jobKeyOf(suspendedId);
    expect(await enqueueOutboxJob(queues, { outboxId: suspendedId, jobKey: suspendedKey, topic: "seller.suspended", payload: suspended })).toEqual({
      jobId: `outbox-${suspendedKey}`,
      queue: "events",
    });
    await enqueueOutboxJob(queues, { outboxId: reinstatedId, jobKey: await jobKeyOf(reinstatedId), topic: "seller.reinstated", payload: reinstated });
    const job = await queues.byName.events.getJob(`outbox-${suspendedKey}`);
    expect(job?.name).toBe("seller.suspended");
    expect(job?.data).toEqual(suspended);
    expect(job?.opts).toMatchObject({ attempts: 12, backoff: { type: "exponential", delay: 5_000 } });
    expect(await queues.byName.events.count()).toBe(2);
    expect(await queues.byName.notifications.count()).toBe(0);
  });
});
