import { Redis } from "ioredis";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { createTestDatabase, deleteKeysWithPrefix, redisUrl } from "@souk/testing";
import { createQueues, createRedisConnection, outboxJobId, writeOutbox, type NotificationEmailPayload } from "@souk/jobs";
import type { EmailMessage } from "@souk/services";
import type { ClosableMailer } from "./mailer";
import { captureLogger, getHealth, jobInState, testConfig, waitFor } from "./test/helpers";
import { startWorker, type RunningWorker } from "./worker";

const t = await createTestDatabase();
const db = t.db;
const prefixes: string[] = [];
const running: RunningWorker[] = [];
// Workers share this file's database, and any running relay takes every due outbox row: each test
// stops its worker before the next one starts.
afterEach(async () => {
  for (const worker of running.splice(0)) await worker.stop();
});
afterAll(async () => {
  for (const prefix of prefixes) await deleteKeysWithPrefix(prefix);
});

function config(overrides: Parameters<typeof testConfig>[1] = {}) {
  const c = testConfig(t.url, overrides);
  prefixes.push(c.queuePrefix);
  return c;
}

async function start(...args: Parameters<typeof startWorker>) {
  const worker = await startWorker(...args);
  running.push(worker);
  return worker;
}

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
    acceptUrl: "http://localhost:3001/invitations/tok",
  },
});

/** The BullMQ job id of an outbox row: built from its job key, not its id. */
const jobIdOf = async (outboxId: string) =>
  outboxJobId((await db.selectFrom("outbox").select("job_key").where("id", "=", outboxId).executeTakeFirstOrThrow()).job_key);
const notificationOf = (outboxId: string) => db.selectFrom("notifications").selectAll().where("outbox_id", "=", outboxId).executeTakeFirst();

describe("worker", () => {
  it("relays an outbox e-mail, sends it through the log transport and records it", async () => {
    const { logger, entries } = captureLogger();
    const outboxId = await writeOutbox(db, "notification.email", invitation("e2e@example.com"));
    const worker = await start(config(), { logger });

    const notification = await waitFor(async () => {
      const row = await notificationOf(outboxId);
      return row?.sent_at ? row : undefined;
    }, 15_000, "the notification to be sent");
    expect(notification).toMatchObject({ to_address: "e2e@example.com", template: "member.invited", subject: "Ana Lima invited you to join Acme Trading on Souk" });
    const outbox = await db.selectFrom("outbox").select(["sent_at", "payload"]).where("id", "=", outboxId).executeTakeFirstOrThrow();
    expect(outbox.sent_at).toBeInstanceOf(Date);

    // The invitation link is a credential: neither the log, the record nor the outbox keeps it. Nor
    // does the log keep the address: logs name people by id only (decision 0018).
    const logged = entries.find((e) => e.message === "email") as { email: { to: { address: string }[]; subject: string; text: string } } | undefined;
    expect(logged?.email.to[0]?.address).toBe("[email]");
    expect(JSON.stringify(entries)).not.toContain("e2e@example.com");
    expect(logged?.email.subject).toBe(notification.subject);
    expect(logged?.email.text).toContain("\nhttp://localhost:3001/…\n");
    expect(notification.body).toBe(logged?.email.text);
    for (const kept of [JSON.stringify(entries), notification.body, JSON.stringify(outbox.payload)]) expect(kept).not.toContain("/invitations/tok");

    expect(await getHealth(worker.healthPort)).toEqual({ status: 200, body: { postgres: "ok", redis: "ok", settlement: "ok" } });
  });

  it("e-mails the real invitation link while the job kept in Redis never holds it", async () => {
    const c = config();
    const delivered: EmailMessage[] = [];
    const mailer: ClosableMailer = { send: async (message) => void delivered.push(message), close: () => undefined };
    const outboxId = await writeOutbox(db, "notification.email", invitation("link@example.com"));
    const { logger, entries } = captureLogger();
    await start(c, { logger, mailer });
    await waitFor(async () => (await notificationOf(outboxId))?.sent_at, 15_000, "the notification to be sent");

    expect(delivered).toHaveLength(1);
    expect(delivered[0]?.text).toContain("\nhttp://localhost:3001/invitations/tok\n");

    const producer = createRedisConnection(redisUrl, "producer");
    const queues = createQueues(producer, c.queuePrefix);
    try {
      // Completed jobs stay in Redis a day: the one that delivered the link is still there.
      const job = await jobInState(queues.byName.notifications, await jobIdOf(outboxId), "completed", 10_000);
      expect(job.data).toMatchObject({ to: "link@example.com", params: { acceptUrl: "http://localhost:3001/…" } });
      expect(JSON.stringify(job.data)).not.toContain("/invitations/tok");
      // Nor anywhere else BullMQ stores things under the prefix (events stream, return value, ...).
      const stored: unknown[] = [];
      for (const key of await producer.keys(`${c.queuePrefix}:*`)) {
        const type = await producer.type(key);
        if (type === "hash") stored.push(await producer.hgetall(key));
        else if (type === "stream") stored.push(await producer.xrange(key, "-", "+"));
        else if (type === "list") stored.push(await producer.lrange(key, 0, -1));
        else if (type === "zset") stored.push(await producer.zrange(key, 0, -1));
        else if (type === "set") stored.push(await producer.smembers(key));
        else if (type === "string") stored.push(await producer.get(key));
        else throw new Error(`unexpected Redis type ${type} at ${key}`);
      }
      expect(stored.length).toBeGreaterThan(0);
      expect(JSON.stringify(stored)).not.toContain("/invitations/tok");
    } finally {
      await queues.close();
      producer.disconnect();
    }
    const outbox = await db.selectFrom("outbox").select("payload").where("id", "=", outboxId).executeTakeFirstOrThrow();
    for (const kept of [JSON.stringify(entries), JSON.stringify(outbox.payload)]) expect(kept).not.toContain("/invitations/tok");
  });

  it("does not retry a job that can never succeed", async () => {
    const c = config();
    const outboxId = await writeOutbox(db, "notification.email", invitation("x@example.com", "no.such.template"));
    const { logger } = captureLogger();
    await start(c, { logger });

    const producer = createRedisConnection(redisUrl, "producer");
    const queues = createQueues(producer, c.queuePrefix);
    try {
      const job = await jobInState(queues.byName.notifications, await jobIdOf(outboxId), "failed", 15_000);
      expect(job.attemptsMade).toBe(1);
      expect(job.failedReason).toMatch(/VALIDATION/);
      expect(await notificationOf(outboxId)).toBeUndefined();
    } finally {
      await queues.close();
      producer.disconnect();
    }
  });

  it("reports 503 naming redis when Redis is unreachable, and still stops", async () => {
    const { logger } = captureLogger();
    const worker = await startWorker(config({ redisUrl: "redis://127.0.0.1:1" }), { logger });
    try {
      expect(await getHealth(worker.healthPort)).toEqual({ status: 503, body: { postgres: "ok", redis: "down", settlement: "ok" } });
    } finally {
      const started = Date.now();
      await worker.stop();
      expect(Date.now() - started).toBeLessThan(5_000);
    }
    await expect(fetch(`http://127.0.0.1:${worker.healthPort}/healthz`)).rejects.toThrow();
  });

  it("reports 503 naming postgres when PostgreSQL is unreachable", async () => {
    const { logger } = captureLogger();
    const worker = await start(config({ databaseUrl: "postgres://postgres@127.0.0.1:1/souk" }), { logger });
    expect(await getHealth(worker.healthPort)).toEqual({ status: 503, body: { postgres: "down", redis: "ok", settlement: "ok" } });
  });

  it("stop() lets the active job finish, then closes Redis, the database pool and the HTTP server", async () => {
    const c = config();
    let release: () => void = () => undefined;
    let sending: () => void = () => undefined;
    const sendStarted = new Promise<void>((resolve) => (sending = resolve));
    const sent: string[] = [];
    // A slow SMTP server stands behind the port: the message is in flight when stop() is called.
    const slowMailer: ClosableMailer = {
      async send(message) {
        sending();
        await new Promise<void>((resolve) => (release = resolve));
        sent.push(message.to);
      },
      close: () => undefined,
    };
    const outboxId = await writeOutbox(db, "notification.email", invitation("slow@example.com"));
    const { logger } = captureLogger();
    const worker = await start(c, { logger, mailer: slowMailer });
    await sendStarted;
    const redis = new Redis(redisUrl);
    expect(String(await redis.client("LIST"))).toContain(c.queuePrefix);

    let stopped = false;
    const stopping = worker.stop().then(() => (stopped = true));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(stopped).toBe(false);
    release();
    await stopping;

    expect(sent).toEqual(["slow@example.com"]);
    expect((await notificationOf(outboxId))?.sent_at).toBeInstanceOf(Date);

    await expect(fetch(`http://127.0.0.1:${worker.healthPort}/healthz`)).rejects.toThrow();
    try {
      const clients = await redis.client("LIST");
      expect(String(clients)).not.toContain(c.queuePrefix);
    } finally {
      redis.disconnect();
    }
    const sessions = await db
      .withTables<{ pg_stat_activity: { datname: string; application_name: string } }>()
      .selectFrom("pg_stat_activity")
      .select("application_name")
      .where("datname", "=", t.name)
      .where("application_name", "=", "souk-worker")
      .execute();
    expect(sessions).toEqual([]);
  });
});
