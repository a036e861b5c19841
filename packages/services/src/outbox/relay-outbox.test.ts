import { afterAll, describe, expect, it } from "vitest";
import { sql } from "kysely";
import { createTestDatabase, deleteKeysWithPrefix, redisUrl, uniqueQueuePrefix } from "@souk/testing";
import {
  JOB_NAMES,
  createQueues,
  createRedisConnection,
  enqueueOutboxJob,
  outboxJobId,
  writeOutbox,
  type NotificationEmailPayload,
  type Queues,
} from "@souk/jobs";
import { deliverEmailNotification, type EmailMessage } from "../notifications";
import { relayOutbox, relayBackoffMs, type OutboxJob } from "./relay-outbox";
import { TRANSPORT_REDACTIONS } from "./transport-redactions";
import { outboxIdOfJob } from "./transport";

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

const email = (n: number): NotificationEmailPayload => ({
  template: "auth.password_changed",
  locale: "en",
  to: `user${n}@example.com`,
  params: { name: `User ${n}` },
});

const TOKEN = "s3cr3tInvitationToken";

const invitation = (to: string, template = "member.invited"): NotificationEmailPayload => ({
  template,
  locale: "en",
  to,
  userId: null,
  organizationId: null,
  params: {
    organizationName: "Acme Trading",
    inviterName: "Ana Lima",
    role: "viewer",
    acceptUrl: `https://buyer.souk.test/invitations/${TOKEN}`,
  },
});

/**
 * Every value stored under the queues' prefix, whatever BullMQ keeps there (job hashes, event
 * streams, wait and completed lists): "the job data" is not the only place a payload could land.
 */
async function everythingStoredUnder(queues: Queues): Promise<string> {
  const redis = queues.connection;
  const keys = await redis.keys(`${queues.prefix}:*`);
  const values: unknown[] = [];
  for (const key of keys) {
    const type = await redis.type(key);
    if (type === "string") values.push(await redis.get(key));
    else if (type === "hash") values.push(await redis.hgetall(key));
    else if (type === "list") values.push(await redis.lrange(key, 0, -1));
    else if (type === "set") values.push(await redis.smembers(key));
    else if (type === "zset") values.push(await redis.zrange(key, 0, -1));
    else if (type === "stream") values.push(await redis.xrange(key, "-", "+"));
    else throw new Error(`unexpected Redis type ${type} at ${key}`);
  }
  expect(keys.length).toBeGreaterThan(0);
  return JSON.stringify(values);
}

async function clearOutbox() {
  await db.deleteFrom("notifications").execute();
  await db.deleteFrom("outbox").execute();
}

async function outboxRow(id: string) {
  return db.selectFrom("outbox").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
}

/** The BullMQ job id of an outbox row: built from its random job key, never from its bigint id. */
async function jobIdOf(id: string) {
  return outboxJobId((await outboxRow(id)).job_key);
}

describe("relayOutbox", () => {
  it("enqueues due rows under their job key and marks them sent", async () => {
    await clearOutbox();
    const queues = realQueues();
    const ids = [await writeOutbox(db, "notification.email", email(1)), await writeOutbox(db, "notification.email", email(2))];

    const result = await relayOutbox({ db, enqueue: (job) => enqueueOutboxJob(queues, job) }, {});
    expect(result).toEqual({ sent: 2, failed: 0, parked: 0 });

    for (const [i, id] of ids.entries()) {
      expect((await outboxRow(id)).sent_at).toBeInstanceOf(Date);
      const job = await queues.byName.notifications.getJob(await jobIdOf(id));
      expect(job?.name).toBe("notification.email");
      expect(job?.data).toEqual(email(i + 1));
    }
    expect(await relayOutbox({ db, enqueue: (job) => enqueueOutboxJob(queues, job) }, {})).toEqual({ sent: 0, failed: 0, parked: 0 });
    expect(await queues.byName.notifications.count()).toBe(2);
  });

  it("enqueues a new row as a new job even when a database restore made it reuse the id of a row Redis still holds", async () => {
    const restoreDatabase = () => sql`truncate outbox restart identity cascade`.execute(db);
    await restoreDatabase();
    const queues = realQueues();
    const enqueue = (job: OutboxJob) => enqueueOutboxJob(queues, job);
    const before = await writeOutbox(db, "notification.email", email(1));
    expect(await relayOutbox({ db, enqueue })).toEqual({ sent: 1, failed: 0, parked: 0 });
    const oldJobId = await jobIdOf(before);

    // The database goes back in time (restored, or recreated) while Redis keeps its jobs.
    await restoreDatabase();
    const after = await writeOutbox(db, "notification.email", email(2));
    expect(after).toBe(before);

    expect(await relayOutbox({ db, enqueue })).toEqual({ sent: 1, failed: 0, parked: 0 });
    expect(await queues.byName.notifications.count()).toBe(2);
    const newJobId = await jobIdOf(after);
    expect(newJobId).not.toBe(oldJobId);
    expect((await queues.byName.notifications.getJob(newJobId))?.data).toEqual(email(2));
    // The consumer finds the row from the job: the new job names the new row, the stale one names none.
    expect(await outboxIdOfJob(db, newJobId)).toBe(after);
    await expect(outboxIdOfJob(db, oldJobId)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(outboxIdOfJob(db, `outbox-${after}`)).rejects.toMatchObject({ code: "VALIDATION" });
  });

  it("enqueues an invitation without its link, and the delivery e-mails the real link from the outbox row", async () => {
    await clearOutbox();
    const queues = realQueues();
    const payload = invitation("bo@example.com");
    const id = await writeOutbox(db, "notification.email", payload);

    expect(await relayOutbox({ db, enqueue: (job) => enqueueOutboxJob(queues, job) })).toEqual({ sent: 1, failed: 0, parked: 0 });
    const job = await queues.byName.notifications.getJob(await jobIdOf(id));
    expect(job?.data).toEqual({ ...payload, params: { ...payload.params, acceptUrl: "https://buyer.souk.test/…" } });
    expect(JSON.stringify(job?.data)).not.toContain(TOKEN);
    expect(await everythingStoredUnder(queues)).not.toContain(TOKEN);
    // The outbox row keeps the real link until the e-mail is sent.
    expect((await outboxRow(id)).payload).toEqual(payload);

    const sent: EmailMessage[] = [];
    const mailer = { send: async (message: EmailMessage) => void sent.push(message) };
    expect(await deliverEmailNotification({ db, mailer }, { outboxId: id })).toMatchObject({ sent: true });
    expect(sent).toHaveLength(1);
    expect(sent[0]?.text).toContain(`\nhttps://buyer.souk.test/invitations/${TOKEN}\n`);
    expect(JSON.stringify((await outboxRow(id)).payload)).not.toContain(TOKEN);
  });

  it("enqueues a re-added invitation, and one of an unknown template, without the secret", async () => {
    await clearOutbox();
    const queues = realQueues();
    const ids = [await writeOutbox(db, "notification.email", invitation("a@example.com"))];
    // An unknown template cannot say which params are secret: none of them travels.
    const unknown = await db
      .insertInto("outbox")
      .values({ topic: "notification.email", payload: JSON.stringify(invitation("b@example.com", "no.such.template")) })
      .returning("id")
      .executeTakeFirstOrThrow();
    ids.push(String(unknown.id));
    // The first claim is lost after the adds reached Redis; the second pass adds the rows again.
    await expect(
      db.transaction().execute(async (trx) => {
        await relayOutbox({ db: trx, enqueue: (job) => enqueueOutboxJob(queues, job) });
        throw new Error("crash before commit");
      }),
    ).rejects.toThrow("crash before commit");
    expect(await relayOutbox({ db, enqueue: (job) => enqueueOutboxJob(queues, job) })).toEqual({ sent: 2, failed: 0, parked: 0 });

    expect(await queues.byName.notifications.count()).toBe(2);
    for (const id of ids) expect(JSON.stringify((await queues.byName.notifications.getJob(await jobIdOf(id)))?.data)).not.toContain(TOKEN);
    expect(await everythingStoredUnder(queues)).not.toContain(TOKEN);
  });

  it("has a transport redaction for every job kind", () => {
    expect(Object.keys(TRANSPORT_REDACTIONS).sort()).toEqual([...JOB_NAMES].sort());
  });

  it("leaves rows that are not yet due", async () => {
    await clearOutbox();
    const queues = realQueues();
    const id = await writeOutbox(db, "notification.email", email(1), { delayMs: 60_000 });
    expect(await relayOutbox({ db, enqueue: (job) => enqueueOutboxJob(queues, job) })).toEqual({ sent: 0, failed: 0, parked: 0 });
    expect((await outboxRow(id)).sent_at).toBeNull();
  });

  it("never enqueues a row twice when two relays run at once (200 rows)", async () => {
    await clearOutbox();
    const queues = realQueues();
    const ids = new Set<string>();
    await db.transaction().execute(async (trx) => {
      for (let n = 0; n < 200; n++) ids.add(await writeOutbox(trx, "notification.email", email(n)));
    });

    // The real enqueue, with a tally in front: BullMQ would hide a double add (same job id), the
    // tally does not.
    const calls = new Map<string, number>();
    const perRelay = [0, 0];
    const relay = async (which: 0 | 1) => {
      const enqueue = async (job: OutboxJob) => {
        calls.set(job.outboxId, (calls.get(job.outboxId) ?? 0) + 1);
        perRelay[which]! += 1;
        await enqueueOutboxJob(queues, job);
      };
      for (;;) {
        const { sent, failed } = await relayOutbox({ db, enqueue }, { batchSize: 7 });
        expect(failed).toBe(0);
        if (sent === 0) return;
      }
    };
    await Promise.all([relay(0), relay(1)]);

    expect(calls.size).toBe(200);
    expect([...calls.values()].every((count) => count === 1)).toBe(true);
    expect(new Set(calls.keys())).toEqual(ids);
    // Both relays did part of the work, otherwise the test proved nothing about concurrency.
    expect(perRelay[0]).toBeGreaterThan(0);
    expect(perRelay[1]).toBeGreaterThan(0);
    expect(await queues.byName.notifications.count()).toBe(200);
    const pending = await db.selectFrom("outbox").select("id").where("sent_at", "is", null).execute();
    expect(pending).toEqual([]);
  });

  it("keeps a row written while Redis is down and delivers it once Redis is back", async () => {
    await clearOutbox();
    const deadQueues = realQueues("redis://127.0.0.1:1");
    const id = await writeOutbox(db, "notification.email", email(1));
    await new Promise((resolve) => setTimeout(resolve, 100));

    const started = Date.now();
    const down = await relayOutbox({ db, enqueue: (job) => enqueueOutboxJob(deadQueues, job) });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(down).toEqual({ sent: 0, failed: 1, parked: 0 });
    const pending = await outboxRow(id);
    expect(pending.sent_at).toBeNull();
    expect(pending.attempts).toBe(1);
    expect(pending.last_error).toMatch(/RedisUnavailableError/);
    const { ahead } = await db
      .selectFrom("outbox")
      .select(sql<number>`extract(epoch from available_at - now()) * 1000`.as("ahead"))
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    expect(Number(ahead)).toBeGreaterThan(0);
    expect(Number(ahead)).toBeLessThanOrEqual(relayBackoffMs(1));

    // Redis is back: the row is delivered once its backoff has passed.
    const queues = realQueues();
    const deadline = Date.now() + 5_000;
    let sent = 0;
    while (sent === 0 && Date.now() < deadline) {
      ({ sent } = await relayOutbox({ db, enqueue: (job) => enqueueOutboxJob(queues, job) }));
      if (sent === 0) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(sent).toBe(1);
    expect((await outboxRow(id)).sent_at).toBeInstanceOf(Date);
    expect(await queues.byName.notifications.getJob(await jobIdOf(id))).toBeDefined();
  });

  it("stops the batch at the first failed enqueue and leaves the other rows untouched", async () => {
    await clearOutbox();
    const deadQueues = realQueues("redis://127.0.0.1:1");
    const ids = [];
    for (let n = 0; n < 3; n++) ids.push(await writeOutbox(db, "notification.email", email(n)));
    await new Promise((resolve) => setTimeout(resolve, 100));

    expect(await relayOutbox({ db, enqueue: (job) => enqueueOutboxJob(deadQueues, job) })).toEqual({ sent: 0, failed: 1, parked: 0 });
    const rows = await Promise.all(ids.map(outboxRow));
    expect(rows.map((r) => r.attempts)).toEqual([1, 0, 0]);
    expect(rows.map((r) => r.last_error === null)).toEqual([false, true, true]);
  });

  it("backs off exponentially up to a cap", () => {
    expect([1, 2, 3, 4, 7, 20].map(relayBackoffMs)).toEqual([1_000, 2_000, 4_000, 8_000, 60_000, 60_000]);
  });

  it("parks rows with an unknown topic or an invalid payload instead of retrying them", async () => {
    await clearOutbox();
    const queues = realQueues();
    const unknown = await db
      .insertInto("outbox")
      .values({ topic: "no.such.job", payload: JSON.stringify({}) })
      .returning("id")
      .executeTakeFirstOrThrow();
    const invalid = await db
      .insertInto("outbox")
      .values({ topic: "notification.email", payload: JSON.stringify({ to: "nobody" }) })
      .returning("id")
      .executeTakeFirstOrThrow();
    const good = await writeOutbox(db, "notification.email", email(1));

    const enqueue = (job: OutboxJob) => enqueueOutboxJob(queues, job);
    expect(await relayOutbox({ db, enqueue })).toEqual({ sent: 1, failed: 0, parked: 2 });
    expect(await relayOutbox({ db, enqueue })).toEqual({ sent: 0, failed: 0, parked: 0 });

    const parkedUnknown = await outboxRow(unknown.id);
    expect(parkedUnknown).toMatchObject({ sent_at: null, attempts: 1 });
    expect(parkedUnknown.last_error).toMatch(/unknown topic no.such.job/);
    const parkedInvalid = await outboxRow(invalid.id);
    expect(parkedInvalid).toMatchObject({ sent_at: null, attempts: 1 });
    expect(parkedInvalid.last_error).toMatch(/invalid payload/);
    expect((await outboxRow(good)).sent_at).toBeInstanceOf(Date);
    expect(await queues.byName.notifications.count()).toBe(1);
  });

  it("rolls everything back when marking fails, so the rows are relayed again under the same job id", async () => {
    await clearOutbox();
    const queues = realQueues();
    const id = await writeOutbox(db, "notification.email", email(1));
    // The caller's transaction fails after the enqueue: the claim does not commit.
    await expect(
      db.transaction().execute(async (trx) => {
        await relayOutbox({ db: trx, enqueue: (job) => enqueueOutboxJob(queues, job) });
        throw new Error("crash before commit");
      }),
    ).rejects.toThrow("crash before commit");
    expect((await outboxRow(id)).sent_at).toBeNull();
    expect(await relayOutbox({ db, enqueue: (job) => enqueueOutboxJob(queues, job) })).toMatchObject({ sent: 1 });
    expect(await queues.byName.notifications.count()).toBe(1);
  });
});
