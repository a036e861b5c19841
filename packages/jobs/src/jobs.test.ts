import { Queue, Worker } from "bullmq";
import { afterAll, describe, expect, it } from "vitest";
import { createTestDatabase, deleteKeysWithPrefix, redisUrl, uniqueQueuePrefix } from "@souk/testing";
import {
  DEFAULT_RETENTION,
  InvalidJobPayloadError,
  JOBS,
  RedisUnavailableError,
  createQueues,
  createRedisConnection,
  enqueueJob,
  enqueueOutboxJob,
  outboxJobId,
  outboxJobKey,
  writeOutbox,
  type NotificationEmailPayload,
} from "./index";

const { db } = await createTestDatabase();
const prefixes: string[] = [];
const closers: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const close of closers.reverse()) await close();
  for (const prefix of prefixes) await deleteKeysWithPrefix(prefix);
});

function prefix(): string {
  const p = uniqueQueuePrefix();
  prefixes.push(p);
  return p;
}

const SOME_JOB_ID = outboxJobId("1e2f3a4b-5c6d-4e7f-8a9b-0c1d2e3f4a5b");

const email: NotificationEmailPayload = {
  template: "member.invited",
  locale: "fr",
  to: "ana@example.com",
  params: { organizationName: "Acme" },
};

describe("writeOutbox", () => {
  it("inserts a row with the parsed payload and returns its id", async () => {
    const id = await writeOutbox(db, "notification.email", { ...email, extra: "dropped" } as NotificationEmailPayload);
    const row = await db.selectFrom("outbox").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
    expect(row.topic).toBe("notification.email");
    expect(row.payload).toEqual(email);
    expect(row.sent_at).toBeNull();
    expect(row.attempts).toBe(0);
  });

  it("rejects a bad payload and writes nothing", async () => {
    const before = await db.selectFrom("outbox").select((eb) => eb.fn.countAll<string>().as("n")).executeTakeFirstOrThrow();
    const bad = { ...email, to: "not-an-email", locale: "de" } as unknown as NotificationEmailPayload;
    await expect(writeOutbox(db, "notification.email", bad)).rejects.toBeInstanceOf(InvalidJobPayloadError);
    await expect(writeOutbox(db, "notification.email", bad)).rejects.toThrow(/to:.*locale:|locale:.*to:/s);
    const after = await db.selectFrom("outbox").select((eb) => eb.fn.countAll<string>().as("n")).executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });

  it("rolls back with the caller's transaction", async () => {
    let id = "";
    await expect(
      db.transaction().execute(async (trx) => {
        id = await writeOutbox(trx, "notification.email", email);
        throw new Error("business rule failed");
      }),
    ).rejects.toThrow("business rule failed");
    expect(await db.selectFrom("outbox").select("id").where("id", "=", id).executeTakeFirst()).toBeUndefined();
  });

  it("delays availability on the database clock", async () => {
    const id = await writeOutbox(db, "notification.email", email, { delayMs: 60_000 });
    const row = await db
      .selectFrom("outbox")
      .select((eb) => [eb.ref("available_at").as("available_at"), eb.fn<Date>("now").as("now")])
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    const ahead = row.available_at.getTime() - row.now.getTime();
    expect(ahead).toBeGreaterThan(59_000);
    expect(ahead).toBeLessThanOrEqual(60_000);
  });
});

describe("BullMQ job ids", () => {
  it("refuses integer ids and ids with a colon, which is why outbox jobs are outbox-<job key>", async () => {
    const connection = createRedisConnection(redisUrl, "producer");
    const queue = new Queue("ids", { connection, prefix: prefix() });
    closers.push(async () => {
      await queue.close();
      connection.disconnect();
    });
    await expect(queue.add("x", {}, { jobId: "42" })).rejects.toThrow(/integers/);
    await expect(queue.add("x", {}, { jobId: "outbox:42" })).rejects.toThrow(/cannot contain :/);
    const jobKey = "0b7e2a3c-8a4e-4f0b-9d7c-1e2f3a4b5c6d";
    expect(outboxJobId(jobKey)).toBe(`outbox-${jobKey}`);
    const job = await queue.add("x", {}, { jobId: outboxJobId(jobKey) });
    expect(job.id).toBe(`outbox-${jobKey}`);
    expect(outboxJobKey(job.id)).toBe(jobKey);
    expect(outboxJobKey("outbox-42")).toBeNull();
    expect(outboxJobKey(undefined)).toBeNull();
  });
});

describe("enqueue", () => {
  it("adds the job with the catalogue's retry policy and retention", async () => {
    const connection = createRedisConnection(redisUrl, "producer");
    const queues = createQueues(connection, prefix());
    closers.push(async () => {
      await queues.close();
      connection.disconnect();
    });
    const jobKey = "7c1d0e9a-3b2f-4c5d-8e6f-a1b2c3d4e5f6";
    const result = await enqueueOutboxJob(queues, { outboxId: "7", jobKey, topic: "notification.email", payload: email });
    expect(result).toEqual({ jobId: `outbox-${jobKey}`, queue: "notifications" });
    const job = await queues.byName.notifications.getJob(`outbox-${jobKey}`);
    expect(job?.name).toBe("notification.email");
    expect(job?.data).toEqual(email);
    expect(job?.opts.attempts).toBe(JOBS["notification.email"].attempts);
    expect(job?.opts.backoff).toEqual({ type: "exponential", delay: 2_000 });
    expect(job?.opts.removeOnComplete).toEqual({ age: DEFAULT_RETENTION.completedSeconds });
    expect(job?.opts.removeOnFail).toEqual({ age: DEFAULT_RETENTION.failedSeconds });
  });

  it("validates the payload before adding", async () => {
    const connection = createRedisConnection(redisUrl, "producer");
    const queues = createQueues(connection, prefix());
    closers.push(async () => {
      await queues.close();
      connection.disconnect();
    });
    await expect(enqueueOutboxJob(queues, { outboxId: "1", jobKey: "1e2f3a4b-5c6d-4e7f-8a9b-0c1d2e3f4a5b", topic: "notification.email", payload: { to: "x" } })).rejects.toBeInstanceOf(
      InvalidJobPayloadError,
    );
    await expect(enqueueOutboxJob(queues, { outboxId: "1", jobKey: "1e2f3a4b-5c6d-4e7f-8a9b-0c1d2e3f4a5b", topic: "nope", payload: {} })).rejects.toThrow(/Unknown job nope/);
    expect(await queues.byName.notifications.count()).toBe(0);
  });

  it("ignores a second add of the same id, also once the first job has completed", async () => {
    const p = prefix();
    const connection = createRedisConnection(redisUrl, "producer");
    const workerConnection = createRedisConnection(redisUrl, "worker");
    const queues = createQueues(connection, p);
    const processed: string[] = [];
    const worker = new Worker(
      "notifications",
      async (job) => {
        processed.push(job.id ?? "");
      },
      { connection: workerConnection, prefix: p, autorun: false },
    );
    closers.push(async () => {
      await worker.close();
      await queues.close();
      connection.disconnect();
      workerConnection.disconnect();
    });

    await enqueueJob(queues, "notification.email", email, { jobId: SOME_JOB_ID });
    await enqueueJob(queues, "notification.email", email, { jobId: SOME_JOB_ID });
    expect(await queues.byName.notifications.getJobCounts("waiting")).toEqual({ waiting: 1 });

    const completed = new Promise<void>((resolve) => worker.once("completed", () => resolve()));
    void worker.run();
    await completed;
    await enqueueJob(queues, "notification.email", email, { jobId: SOME_JOB_ID });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(processed).toEqual([SOME_JOB_ID]);
    expect(await queues.byName.notifications.getJobCounts("waiting", "completed")).toEqual({ waiting: 0, completed: 1 });
  });
});

describe("producer connection", () => {
  it("fails fast when Redis is unreachable instead of hanging", async () => {
    const connection = createRedisConnection("redis://127.0.0.1:1", "producer");
    const queues = createQueues(connection, prefix());
    closers.push(async () => {
      connection.disconnect();
    });
    // Let the first connection attempt fail, as it would while Redis is down.
    await new Promise((resolve) => setTimeout(resolve, 200));
    let started = Date.now();
    await expect(enqueueJob(queues, "notification.email", email, { jobId: SOME_JOB_ID })).rejects.toBeInstanceOf(RedisUnavailableError);
    expect(Date.now() - started).toBeLessThan(2_000);
    started = Date.now();
    await expect(connection.ping()).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it("fails within the timeout even on a connection that never came up", async () => {
    const connection = createRedisConnection("redis://127.0.0.1:1", "producer");
    const queues = createQueues(connection, prefix());
    closers.push(async () => {
      connection.disconnect();
    });
    const started = Date.now();
    await expect(enqueueJob(queues, "notification.email", email, { jobId: SOME_JOB_ID, timeoutMs: 1_500 })).rejects.toBeInstanceOf(
      RedisUnavailableError,
    );
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
