import { afterAll, afterEach, describe, expect, it } from "vitest";
import { createQueues, createRedisConnection, outboxJobId, writeOutbox } from "@souk/jobs";
import { createTestDatabase, deleteKeysWithPrefix, redisUrl } from "@souk/testing";
import { captureLogger, testConfig, waitFor } from "./test/helpers";
import { startWorker, type RunningWorker } from "./worker";

const t = await createTestDatabase();
const db = t.db;
const prefixes: string[] = [];
const running: RunningWorker[] = [];
// Workers share this file's database, and a running relay takes every due outbox row: each test
// stops its worker before the next one starts.
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
  running.push(await startWorker(config, { logger }));
  return { config, entries };
}

let counter = 0;

/** The database clock, plus `ms`. */
async function dbClock(ms = 0): Promise<Date> {
  const row = await db.selectNoFrom((eb) => eb.fn<Date>("clock_timestamp", []).as("now")).executeTakeFirstOrThrow();
  return new Date(new Date(row.now).getTime() + ms);
}

/** An open RFQ of a new buyer (with an admin, who is told at closing) whose deadline is `ms` from the database clock. */
async function openRfq(ms: number): Promise<{ id: string; buyerId: string; deadline: Date }> {
  counter += 1;
  const buyer = await db.insertInto("organizations").values({ kind: "buyer", name: `Worker buyer ${counter}`, status: "active" }).returning("id").executeTakeFirstOrThrow();
  const user = await db
    .insertInto("users")
    .values({ email: `rfq-admin-${counter}-${Date.now()}@example.test`, name: "Admin", password_hash: "x" })
    .returning("id")
    .executeTakeFirstOrThrow();
  await db.insertInto("memberships").values({ organization_id: buyer.id, user_id: user.id, role: "admin" }).execute();
  const category = await db.selectFrom("categories").select("id").where("slug", "=", "packaging-boxes").executeTakeFirstOrThrow();
  const deadline = await dbClock(ms);
  const rfq = await db
    .insertInto("rfqs")
    .values({
      buyer_id: buyer.id,
      title: `Boxes ${counter}`,
      category_id: category.id,
      currency: "EUR",
      incoterm: "DAP",
      delivery_place: "Lyon",
      deadline,
      status: "open",
      published_at: await dbClock(),
      updated_at: await dbClock(),
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await db.insertInto("rfq_lines").values({ rfq_id: rfq.id, position: 0, description: "Boxes", quantity: 10, unit: "box" }).execute();
  return { id: rfq.id, buyerId: buyer.id, deadline };
}

/**
 * The job once it has completed, read again after its state says so: a job object read while it was
 * still active keeps a null return value even after it completes (the check raced the worker once).
 */
async function completedJob(queues: ReturnType<typeof createQueues>, jobId: string) {
  const found = await queues.byName.rfqs.getJob(jobId);
  if (!found || (await found.getState()) !== "completed") return undefined;
  return queues.byName.rfqs.getJob(jobId);
}

const statusOf = async (rfqId: string) => (await db.selectFrom("rfqs").select(["status", "closed_at", "chain_verified_at"]).where("id", "=", rfqId).executeTakeFirstOrThrow());
const closedMails = async (buyerId: string) =>
  (await db.selectFrom("outbox").select("payload").where("topic", "=", "notification.email").execute()).filter((r) => {
    const p = r.payload as { template: string; organizationId: string };
    return p.template === "rfq.closed.buyer" && p.organizationId === buyerId;
  }).length;

describe("closing RFQs in the worker", () => {
  it("a published RFQ closes by itself at its deadline: outbox row (available at the deadline) → relay → rfqs queue → worker", async () => {
    const rfq = await openRfq(1_500);
    // What publishing writes (helper BUYER's publish does this in its transaction).
    const outboxId = await writeOutbox(db, "rfq.close", { rfqId: rfq.id }, { availableAt: rfq.deadline });
    const { config, entries } = await start();

    // Not before the deadline: the relay leaves the row alone until then.
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect((await statusOf(rfq.id)).status).toBe("open");
    expect((await db.selectFrom("outbox").select("sent_at").where("id", "=", outboxId).executeTakeFirstOrThrow()).sent_at).toBeNull();

    const closed = await waitFor(async () => {
      const row = await statusOf(rfq.id);
      return row.status === "closed" ? row : null;
    }, 15_000, "the RFQ to close");
    expect(closed.closed_at!.getTime()).toBeGreaterThanOrEqual(rfq.deadline.getTime());
    expect(closed.chain_verified_at).toBeInstanceOf(Date);

    // It went through the queue: the row was relayed and its job completed with the close's result.
    const row = await db.selectFrom("outbox").select(["sent_at", "job_key"]).where("id", "=", outboxId).executeTakeFirstOrThrow();
    expect(row.sent_at).toBeInstanceOf(Date);
    const producer = createRedisConnection(redisUrl, "producer");
    const queues = createQueues(producer, config.queuePrefix);
    try {
      const job = await waitFor(async () => {
        return completedJob(queues, outboxJobId(row.job_key));
      }, 10_000, "the close job to complete");
      expect(job.name).toBe("rfq.close");
      expect(job.returnvalue).toEqual({ rfqId: rfq.id, closed: true, offers: 0 });
    } finally {
      await queues.close();
      producer.disconnect();
    }
    expect(entries.some((e) => e.message === "job completed" && e.queue === "rfqs")).toBe(true);
    await waitFor(async () => (await closedMails(rfq.buyerId)) === 1, 5_000, "the buyer's e-mail");
  });

  it("the sweep closes an RFQ whose close job was lost, at start-up and on each tick", async () => {
    const lost = await openRfq(-1_000);
    await start({ rfqSweepIntervalMs: 200 });
    await waitFor(async () => (await statusOf(lost.id)).status === "closed", 10_000, "the sweep to close the first RFQ");
    const later = await openRfq(300);
    await waitFor(async () => (await statusOf(later.id)).status === "closed", 10_000, "the sweep to close the second RFQ");
    expect(await closedMails(lost.buyerId)).toBe(1);
    expect(await closedMails(later.buyerId)).toBe(1);
  });

  it("closing twice is harmless: two jobs (an extension's and the first) and the sweep all run, one close, one set of e-mails", async () => {
    const rfq = await openRfq(500);
    const early = await writeOutbox(db, "rfq.close", { rfqId: rfq.id }, { availableAt: new Date(rfq.deadline.getTime() - 400) });
    const onTime = await writeOutbox(db, "rfq.close", { rfqId: rfq.id }, { availableAt: rfq.deadline });
    const again = await writeOutbox(db, "rfq.close", { rfqId: rfq.id }, { availableAt: new Date(rfq.deadline.getTime() + 300) });
    const { config } = await start({ rfqSweepIntervalMs: 150 });
    await waitFor(async () => (await statusOf(rfq.id)).status === "closed", 10_000, "the RFQ to close");
    const producer = createRedisConnection(redisUrl, "producer");
    const queues = createQueues(producer, config.queuePrefix);
    try {
      const results = [];
      for (const id of [early, onTime, again]) {
        const { job_key } = await db.selectFrom("outbox").select("job_key").where("id", "=", id).executeTakeFirstOrThrow();
        const job = await waitFor(async () => {
          return completedJob(queues, outboxJobId(job_key));
        }, 10_000, "every close job to complete");
        results.push((job.returnvalue as { closed: boolean }).closed);
      }
      // The early job found the RFQ not yet due; at most one of the others closed it (or the sweep did).
      expect(results[0]).toBe(false);
      expect(results.filter(Boolean).length).toBeLessThanOrEqual(1);
    } finally {
      await queues.close();
      producer.disconnect();
    }
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(await closedMails(rfq.buyerId)).toBe(1);
    expect((await statusOf(rfq.id)).status).toBe("closed");
  });

  it("a best-and-final round closes by itself at its own deadline through the same job, and the sweep closes one whose job was lost", async () => {
    await start({ rfqSweepIntervalMs: 200 });
    for (const lostJob of [false, true]) {
      // Open far ahead (the running sweep leaves it alone), then turned into a round straight in the table.
      const rfq = await openRfq(60_000);
      const sellerOrg = await db.insertInto("organizations").values({ kind: "seller", name: `Final seller ${counter}-${String(lostJob)}`, status: "active" }).returning("id").executeTakeFirstOrThrow();
      const deadline = await dbClock(lostJob ? -1_000 : 1_200);
      // As openFinalRound leaves it: the first deadline kept, the round's deadline, its shortlist.
      await db
        .updateTable("rfqs")
        .set({ status: "final_round", first_deadline: await dbClock(-60_000), first_extensions: 0, first_chain_length: 0, final_opened_at: await dbClock(), deadline, closed_at: await dbClock(-60_000) })
        .where("id", "=", rfq.id)
        .execute();
      await db.insertInto("rfq_final_sellers").values({ rfq_id: rfq.id, seller_id: sellerOrg.id }).execute();
      if (!lostJob) await writeOutbox(db, "rfq.close", { rfqId: rfq.id }, { availableAt: deadline });
      const closed = await waitFor(async () => {
        const row = await statusOf(rfq.id);
        return row.status === "closed" ? row : null;
      }, 15_000, "the final round to close");
      expect(closed.closed_at!.getTime()).toBeGreaterThanOrEqual(deadline.getTime());
      expect(closed.chain_verified_at).toBeInstanceOf(Date);
      await waitFor(async () => (await closedMails(rfq.buyerId)) === 1, 5_000, "the buyer's e-mail");
    }
  });
});
