import { afterAll, describe, expect, it } from "vitest";
import { createTestDatabase, deleteKeysWithPrefix, redisUrl, uniqueQueuePrefix } from "@souk/testing";
import {
  createQueues,
  createRedisConnection,
  enqueueOutboxJob,
  enqueueOutboxJobs,
  InvalidJobPayloadError,
  outboxJobId,
  writeOutbox,
  type NotificationEmailPayload,
  type Queues,
} from "@souk/jobs";
import { relayOutbox, type OutboxJob } from "./relay-outbox";

/** The relay with `enqueueBulk` (BullMQ addBulk), as the worker runs it. */

const { db } = await createTestDatabase();
const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

function realQueues(url = redisUrl): Queues {
  const prefix = uniqueQueuePrefix();
  const connection = createRedisConnection(url, "producer");
  const queues = createQueues(connection, prefix);
  cleanups.push(async () => {
    await queues.close();
    connection.disconnect();
    await deleteKeysWithPrefix(prefix);
  });
  return queues;
}

const email = (n: number): NotificationEmailPayload => ({ template: "auth.password_changed", locale: "en", to: `user${n}@example.com`, params: { name: `User ${n}` } });

async function clearOutbox() {
  await db.deleteFrom("outbox").execute();
}

async function outboxRow(id: string) {
  return db.selectFrom("outbox").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
}

function bulkDeps(queues: Queues, tally?: { calls: OutboxJob[][] }) {
  return {
    db,
    enqueue: (job: OutboxJob) => enqueueOutboxJob(queues, job),
    enqueueBulk: async (jobs: OutboxJob[]) => {
      tally?.calls.push(jobs);
      await enqueueOutboxJobs(queues, jobs);
    },
  };
}

describe("relayOutbox with enqueueBulk", () => {
  it("adds a batch's rows in one call, under their job keys' ids, to each job's queue; rows relayed again stay one job each", async () => {
    await clearOutbox();
    const queues = realQueues();
    const ids: string[] = [];
    for (let n = 0; n < 5; n++) ids.push(await writeOutbox(db, "notification.email", email(n)));
    const settle = await writeOutbox(db, "order.settle", { orderId: "5b7e2a3c-8a4e-4f0b-9d7c-1e2f3a4b5c6d" });
    const tally = { calls: [] as OutboxJob[][] };

    expect(await relayOutbox(bulkDeps(queues, tally), { batchSize: 10 })).toEqual({ sent: 6, failed: 0, parked: 0 });
    expect(tally.calls.map((jobs) => jobs.length)).toEqual([6]);
    for (const id of [...ids, settle]) {
      const row = await outboxRow(id);
      expect(row.sent_at).toBeInstanceOf(Date);
    }
    const job = await queues.byName.notifications.getJob(outboxJobId((await outboxRow(ids[2]!)).job_key));
    expect(job?.name).toBe("notification.email");
    expect(job?.data).toEqual(email(2));
    expect(job?.opts).toMatchObject({ attempts: 8, backoff: { type: "exponential", delay: 2_000 } });
    const settleJob = await queues.byName.settlement.getJob(outboxJobId((await outboxRow(settle)).job_key));
    expect(settleJob?.opts).toMatchObject({ attempts: 10 });
    expect(await queues.byName.notifications.count()).toBe(5);

    // The process died after the add and before the commit: the rows come again, BullMQ keeps one job each.
    await db.updateTable("outbox").set({ sent_at: null }).execute();
    expect(await relayOutbox(bulkDeps(queues), { batchSize: 10 })).toEqual({ sent: 6, failed: 0, parked: 0 });
    expect(await queues.byName.notifications.count()).toBe(5);
    expect(await queues.byName.settlement.count()).toBe(1);
  });

  it("takes batchSize rows per pass and leaves the others for the next pass", async () => {
    await clearOutbox();
    const queues = realQueues();
    for (let n = 0; n < 7; n++) await writeOutbox(db, "notification.email", email(n));
    const tally = { calls: [] as OutboxJob[][] };
    expect(await relayOutbox(bulkDeps(queues, tally), { batchSize: 3 })).toMatchObject({ sent: 3 });
    expect(await relayOutbox(bulkDeps(queues, tally), { batchSize: 3 })).toMatchObject({ sent: 3 });
    expect(await relayOutbox(bulkDeps(queues, tally), { batchSize: 3 })).toMatchObject({ sent: 1 });
    expect(tally.calls.map((jobs) => jobs.length)).toEqual([3, 3, 1]);
    expect(await queues.byName.notifications.count()).toBe(7);
  });

  it("Redis down: nothing is marked sent, the first row takes the failure and its backoff, the others are untouched", async () => {
    await clearOutbox();
    const deadQueues = realQueues("redis://127.0.0.1:1");
    const ids: string[] = [];
    for (let n = 0; n < 3; n++) ids.push(await writeOutbox(db, "notification.email", email(n)));
    const started = Date.now();
    expect(await relayOutbox(bulkDeps(deadQueues))).toEqual({ sent: 0, failed: 1, parked: 0 });
    expect(Date.now() - started).toBeLessThan(2_000);
    const rows = await Promise.all(ids.map(outboxRow));
    expect(rows.map((r) => r.sent_at)).toEqual([null, null, null]);
    expect(rows.map((r) => r.attempts)).toEqual([1, 0, 0]);
    expect(rows[0]!.last_error).toMatch(/RedisUnavailableError/);
  });

  it("a row the bulk add refuses: the batch goes one by one, so that row alone is parked", async () => {
    await clearOutbox();
    const queues = realQueues();
    const ids: string[] = [];
    for (let n = 0; n < 3; n++) ids.push(await writeOutbox(db, "notification.email", email(n)));
    const refused = ids[1]!;
    const refuse = (job: OutboxJob) => {
      if (job.outboxId === refused) throw new InvalidJobPayloadError(job.topic, ["refused by a newer catalogue"]);
    };
    const result = await relayOutbox({
      db,
      enqueue: async (job) => {
        refuse(job);
        await enqueueOutboxJob(queues, job);
      },
      enqueueBulk: async (jobs) => {
        for (const job of jobs) refuse(job);
        await enqueueOutboxJobs(queues, jobs);
      },
    });
    expect(result).toEqual({ sent: 2, failed: 0, parked: 1 });
    const parked = await outboxRow(refused);
    expect(parked).toMatchObject({ sent_at: null, attempts: 1 });
    expect(parked.last_error).toMatch(/refused by a newer catalogue/);
    expect(await queues.byName.notifications.count()).toBe(2);
  });

  it("enqueueOutboxJobs checks every row before adding any", async () => {
    const queues = realQueues();
    const good = { outboxId: "1", jobKey: "0b7e2a3c-8a4e-4f0b-9d7c-1e2f3a4b5c6d", topic: "notification.email", payload: email(1) };
    await expect(enqueueOutboxJobs(queues, [good, { ...good, outboxId: "2", jobKey: "1b7e2a3c-8a4e-4f0b-9d7c-1e2f3a4b5c6d", payload: { to: "nobody" } }])).rejects.toBeInstanceOf(
      InvalidJobPayloadError,
    );
    await expect(enqueueOutboxJobs(queues, [good, { ...good, topic: "no.such.job" }])).rejects.toThrow(/no.such.job/);
    expect(await queues.byName.notifications.count()).toBe(0);
    expect(await enqueueOutboxJobs(queues, [])).toEqual([]);
  });

  it("two relays at once (200 rows, batches of 7): every row added once", async () => {
    await clearOutbox();
    const queues = realQueues();
    await db.transaction().execute(async (trx) => {
      for (let n = 0; n < 200; n++) await writeOutbox(trx, "notification.email", email(n));
    });
    const added = new Map<string, number>();
    const relay = async () => {
      for (;;) {
        const { sent, failed } = await relayOutbox(
          {
            db,
            enqueue: (job) => enqueueOutboxJob(queues, job),
            enqueueBulk: async (jobs) => {
              for (const job of jobs) added.set(job.outboxId, (added.get(job.outboxId) ?? 0) + 1);
              await enqueueOutboxJobs(queues, jobs);
            },
          },
          { batchSize: 7 },
        );
        expect(failed).toBe(0);
        if (sent === 0) return;
      }
    };
    await Promise.all([relay(), relay()]);
    expect(added.size).toBe(200);
    expect([...added.values()].every((count) => count === 1)).toBe(true);
    expect(await queues.byName.notifications.count()).toBe(200);
    expect(await db.selectFrom("outbox").select("id").where("sent_at", "is", null).execute()).toEqual([]);
  });
});
