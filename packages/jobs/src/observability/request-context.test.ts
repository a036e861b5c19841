import { afterAll, describe, expect, it } from "vitest";
import { createTestDatabase, deleteKeysWithPrefix, redisUrl, uniqueQueuePrefix } from "@souk/testing";
import { parseJobPayload, type NotificationEmailPayload } from "../catalogue";
import { createQueues, enqueueOutboxJob, enqueueOutboxJobs } from "../enqueue";
import { outboxJobId, writeOutbox } from "../outbox";
import { createRedisConnection } from "../redis";
import { currentRequestId, isRequestId, JOB_REQUEST_ID_KEY, jobRequestId, outsideRequest, requestIdFrom, runWithRequestId, withJobRequestId } from "./request-context";

const { db } = await createTestDatabase();
const prefix = uniqueQueuePrefix();
const producer = createRedisConnection(redisUrl, "producer");
const queues = createQueues(producer, prefix);
afterAll(async () => {
  await queues.close();
  producer.disconnect();
  await deleteKeysWithPrefix(prefix);
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const email: NotificationEmailPayload = { template: "member.invited", locale: "en", to: "ana@example.com", params: { organizationName: "Acme" } };

describe("request ids", () => {
  it("keeps a well-formed incoming id and replaces anything else with a new uuid", () => {
    for (const kept of ["req-0001", "0b7e2a3c-8a4e-4f0b-9d7c-1e2f3a4b5c6d", "a".repeat(128), "trace.id:part_1"]) {
      expect(requestIdFrom(kept)).toBe(kept);
    }
    expect(requestIdFrom(["req-first-1", "req-second-2"])).toBe("req-first-1");
    for (const refused of [undefined, null, "", "short", "Root=1-6789abcd", "a".repeat(129), "req 0001 with spaces", "req-0001\nforged line", '"quoted-id"', "req-é-0001"]) {
      const id = requestIdFrom(refused);
      expect(id).not.toBe(refused);
      expect(id).toMatch(UUID);
    }
    expect(requestIdFrom(undefined)).not.toBe(requestIdFrom(undefined));
    expect(isRequestId("req-0001")).toBe(true);
    expect(isRequestId(42)).toBe(false);
  });

  it("follows the work started inside runWithRequestId across awaits and timers, and only that work", async () => {
    expect(currentRequestId()).toBeNull();
    const seen = await Promise.all([
      runWithRequestId("req-aaaa-0001", async () => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        return currentRequestId();
      }),
      runWithRequestId("req-bbbb-0002", async () => {
        await Promise.resolve();
        return new Promise((resolve) => setImmediate(() => resolve(currentRequestId())));
      }),
    ]);
    expect(seen).toEqual(["req-aaaa-0001", "req-bbbb-0002"]);
    expect(currentRequestId()).toBeNull();
  });

  it("leaves what a request starts for the whole process (outsideRequest) without its id, later callbacks included", async () => {
    const seen = await runWithRequestId("req-cccc-0003", () =>
      outsideRequest(() => new Promise((resolve) => setTimeout(() => resolve(currentRequestId()), 1))),
    );
    expect(seen).toBeNull();
  });

  it("rides beside a job's payload, where the payload's schema drops it", () => {
    const data = withJobRequestId(email, "req-job-0001");
    expect(data).toEqual({ ...email, [JOB_REQUEST_ID_KEY]: "req-job-0001" });
    expect(jobRequestId(data)).toBe("req-job-0001");
    expect(parseJobPayload("notification.email", data)).toEqual(email);
    expect(withJobRequestId(email, null)).toBe(email);
    expect(jobRequestId(email)).toBeNull();
    expect(jobRequestId({ [JOB_REQUEST_ID_KEY]: "bad id with spaces" })).toBeNull();
    expect(jobRequestId(null)).toBeNull();
  });
});

describe("the outbox keeps the request id and the relay's enqueue puts it on the job", () => {
  const rowOf = (id: string) => db.selectFrom("outbox").select(["request_id", "job_key", "topic", "payload"]).where("id", "=", id).executeTakeFirstOrThrow();

  it("writeOutbox stores the current request id, and none outside a request", async () => {
    const inside = await runWithRequestId("req-outbox-0001", () => writeOutbox(db, "notification.email", email));
    const outside = await writeOutbox(db, "notification.email", email);
    expect((await rowOf(inside)).request_id).toBe("req-outbox-0001");
    expect((await rowOf(outside)).request_id).toBeNull();
  });

  it("enqueueOutboxJob and enqueueOutboxJobs (addBulk) carry the row's request id in the job's data", async () => {
    const one = await runWithRequestId("req-enqueue-0001", () => writeOutbox(db, "notification.email", email));
    const many = await runWithRequestId("req-enqueue-0002", () => Promise.all([writeOutbox(db, "notification.email", email), writeOutbox(db, "notification.email", email)]));
    const none = await writeOutbox(db, "notification.email", email);
    const job = async (outboxId: string) => {
      const row = await rowOf(outboxId);
      return { outboxId, jobKey: row.job_key, topic: row.topic, payload: row.payload, requestId: row.request_id };
    };
    await enqueueOutboxJob(queues, await job(one));
    await enqueueOutboxJobs(queues, await Promise.all([...many, none].map(job)));

    const stored = async (outboxId: string) => (await queues.byName.notifications.getJob(outboxJobId((await rowOf(outboxId)).job_key)))!.data as unknown;
    expect(jobRequestId(await stored(one))).toBe("req-enqueue-0001");
    for (const id of many) expect(jobRequestId(await stored(id))).toBe("req-enqueue-0002");
    // A row from no request: the job's data is the payload, nothing more.
    expect(await stored(none)).toEqual(email);
  });
});
