import { sql } from "kysely";
import { afterAll, describe, expect, test } from "vitest";
import { createDb } from "@souk/db";
import { isDomainError } from "@souk/domain";
import { createPinnedClock, createTestDatabase } from "@souk/testing";
import type { ActorDeps } from "../../deps";
import { domainErrorOf } from "../../identity/test-support";
import { closeRfq } from "./close-rfq";
import { verifyRfqChain } from "./receipts";
import { saveOffer } from "./save-offer";
import { buyerOrg, insertRfq, offerForm, rfqSeller, setDeadline } from "./test-support";
import { withdrawOffer } from "./withdraw-offer";

/**
 * The deadline, decided by the database clock inside the offer's transaction (DESIGN §5.1).
 *
 * The exact edges use a database clock the test sets (@souk/testing's createPinnedClock: a second
 * pool whose clock_timestamp() reads a pinned instant, or the real clock when none is pinned). The
 * services run unchanged; only the instant they read is chosen. The concurrency tests use the real clock.
 */
const t = await createTestDatabase();
const db = t.db;
const clock = await createPinnedClock(t);
const pinnedDb = clock.db;
const pinClock = clock.pin;
// Fifty sellers at once: enough connections that they really contend for the RFQ's lock.
const crowdDb = createDb({ connectionString: t.url, max: 20, applicationName: "souk-test-crowd" });
afterAll(async () => {
  await crowdDb.destroy();
});

const on = (deps: ActorDeps, handle: typeof db): ActorDeps => ({ ...deps, db: handle });

const MINUTE = 60_000;

describe("the deadline's edge (pinned database clock)", () => {
  test("an offer at the deadline is refused; one millisecond before it is accepted and recorded before it", async () => {
    const buyer = await buyerOrg(db);
    const s = await rfqSeller(db);
    const rfq = await insertRfq(db, buyer.id);
    const deadline = new Date(Date.parse("2031-06-01T12:00:00.000Z"));
    await db.updateTable("rfqs").set({ deadline }).where("id", "=", rfq.id).execute();
    const seller = on(s.sales, pinnedDb);
    const form = offerForm(rfq, { validUntil: "2031-12-31" });
    try {
      await pinClock(new Date(deadline.getTime() - 1));
      const accepted = await saveOffer(seller, form);
      expect(accepted.receipt.recordedAt).toBe("2031-06-01T11:59:59.999Z");

      await pinClock(deadline);
      for (const call of [() => saveOffer(seller, form), () => withdrawOffer(seller, { rfqId: rfq.id })]) {
        expect((await domainErrorOf(call())).fieldErrors).toEqual({ offer: ["offer.deadline_passed"] });
      }
      await pinClock(new Date(deadline.getTime() + 1));
      expect((await domainErrorOf(saveOffer(seller, form))).fieldErrors).toEqual({ offer: ["offer.deadline_passed"] });
      // A microsecond before the deadline is still before it (PostgreSQL compares, not a rounded Date).
      await clock.pinJustBefore(deadline);
      const withdrawn = await withdrawOffer(seller, { rfqId: rfq.id });
      expect(Date.parse(withdrawn.receipt.recordedAt)).toBeLessThan(deadline.getTime());
    } finally {
      await pinClock(null);
    }
    const receipts = await db.selectFrom("offer_revisions").select(["recorded_at", "kind"]).where("rfq_id", "=", rfq.id).orderBy("sequence").execute();
    expect(receipts.map((r) => r.kind)).toEqual(["submitted", "withdrawn"]);
    for (const r of receipts) expect(r.recorded_at.getTime()).toBeLessThan(deadline.getTime());
  });

  test("anti-sniping: exactly N minutes before does not extend, strictly inside extends by N from the deadline, at most K times", async () => {
    const buyer = await buyerOrg(db);
    const s = await rfqSeller(db);
    const rfq = await insertRfq(db, buyer.id, { antiSniping: { windowMinutes: 10, maxExtensions: 2 } });
    const deadline = new Date("2031-06-01T12:00:00.000Z");
    await db.updateTable("rfqs").set({ deadline }).where("id", "=", rfq.id).execute();
    const seller = on(s.sales, pinnedDb);
    const form = offerForm(rfq, { validUntil: "2031-12-31" });
    const rfqRow = () => db.selectFrom("rfqs").select(["deadline", "extensions"]).where("id", "=", rfq.id).executeTakeFirstOrThrow();
    try {
      // Exactly N minutes before: no extension.
      await pinClock(new Date(deadline.getTime() - 10 * MINUTE));
      const exactly = await saveOffer(seller, form);
      expect(exactly.extended).toBe(false);
      expect(await rfqRow()).toEqual({ deadline, extensions: 0 });

      // One millisecond inside: pushed to deadline + N.
      await pinClock(new Date(deadline.getTime() - 10 * MINUTE + 1));
      const inside = await saveOffer(seller, form);
      const first = new Date(deadline.getTime() + 10 * MINUTE);
      expect(inside).toMatchObject({ extended: true, deadline: first.toISOString() });
      expect(await rfqRow()).toEqual({ deadline: first, extensions: 1 });

      // The old deadline has passed, the new one has not: still accepted, and inside again.
      await pinClock(new Date(first.getTime() - 1));
      const second = await saveOffer(seller, form);
      const last = new Date(first.getTime() + 10 * MINUTE);
      expect(second).toMatchObject({ extended: true, deadline: last.toISOString() });

      // K = 2 reached: inside the window, no further extension.
      await pinClock(new Date(last.getTime() - 1));
      expect((await saveOffer(seller, form)).extended).toBe(false);
      expect(await rfqRow()).toEqual({ deadline: last, extensions: 2 });

      // A withdrawal inside the window extends nothing; at the (extended) deadline nothing is accepted.
      expect((await withdrawOffer(seller, { rfqId: rfq.id })).status).toBe("withdrawn");
      await pinClock(last);
      expect((await domainErrorOf(saveOffer(seller, form))).fieldErrors).toEqual({ offer: ["offer.deadline_passed"] });
      // The close at the old deadline did nothing; at the last one it closes.
      await pinClock(new Date(first.getTime() - 1));
      expect((await closeRfq({ db: pinnedDb, publicUrls: s.sales.publicUrls }, { rfqId: rfq.id })).closed).toBe(false);
      await pinClock(last);
      expect((await closeRfq({ db: pinnedDb, publicUrls: s.sales.publicUrls }, { rfqId: rfq.id })).closed).toBe(true);
    } finally {
      await pinClock(null);
    }
    const jobs = await db.selectFrom("outbox").select(["payload", "available_at"]).where("topic", "=", "rfq.close").execute();
    expect(jobs.filter((j) => (j.payload as { rfqId: string }).rfqId === rfq.id).map((j) => new Date(j.available_at).toISOString()).sort()).toEqual([
      new Date(deadline.getTime() + 10 * MINUTE).toISOString(),
      new Date(deadline.getTime() + 20 * MINUTE).toISOString(),
    ]);
    expect(await verifyRfqChain(db, rfq.id)).toMatchObject({ ok: true, length: 5 });
  });
});

describe("fifty sellers in the last second (real clock)", () => {
  test("nothing commits at or after the deadline; every refusal is deadline_passed; no receipt lost or duplicated", async () => {
    const buyer = await buyerOrg(db);
    const sellers = await Promise.all(Array.from({ length: 50 }, () => rfqSeller(db)));
    const rfq = await insertRfq(db, buyer.id, { deadlineInMs: 60_000, lines: [100, 20] });
    // Open the pool's connections now, not in the last second.
    await Promise.all(Array.from({ length: 20 }, () => sql`select pg_sleep(0.05)`.execute(crowdDb)));
    const deadline = await setDeadline(db, rfq.id, 1_500);
    const deadlineRow = async () => (await db.selectFrom("rfqs").select(sql<string>`deadline::text`.as("d")).where("id", "=", rfq.id).executeTakeFirstOrThrow()).d;
    const exactDeadline = await deadlineRow();

    const accepted: { sellerId: string; hash: string }[] = [];
    const refused: string[] = [];
    const unexpected: unknown[] = [];
    await Promise.all(
      sellers.map(async (s, i) => {
        const deps = on(s.sales, crowdDb);
        // Spread the first offers over the last second, then revise as fast as possible until refused.
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, deadline.getTime() - Date.now() - 1_000) + i * 10));
        for (let n = 0; n < 1_000; n += 1) {
          try {
            const result = await saveOffer(deps, offerForm(rfq, { notes: `offer ${n}` }, (2 + ((i * 7 + n) % 50) / 100).toFixed(2)));
            accepted.push({ sellerId: s.id, hash: result.receipt.hash });
          } catch (error) {
            if (isDomainError(error)) refused.push(`${error.code}:${JSON.stringify(error.fieldErrors)}`);
            else unexpected.push(error);
            return;
          }
        }
      }),
    );
    expect(unexpected).toEqual([]);
    // Enough accepted calls in the last second, from many sellers, for the test to mean something
    // (how many depends on the machine's load; the invariants below do not).
    expect(accepted.length).toBeGreaterThanOrEqual(20);
    expect(new Set(accepted.map((a) => a.sellerId)).size).toBeGreaterThanOrEqual(10);
    expect(new Set(refused)).toEqual(new Set([`CONFLICT:${JSON.stringify({ offer: ["offer.deadline_passed"] })}`]));
    expect(refused).toHaveLength(50);
    // The deadline did not move (no anti-sniping on this RFQ).
    expect(await deadlineRow()).toBe(exactDeadline);

    // Every committed receipt was recorded strictly before the deadline, compared at full precision.
    const { late } = (await sql<{ late: number }>`select count(*)::int as late from offer_revisions where rfq_id = ${rfq.id} and recorded_at >= (select deadline from rfqs where id = ${rfq.id})`.execute(db)).rows[0]!;
    expect(late).toBe(0);
    const receipts = await db.selectFrom("offer_revisions").select(["sequence", "hash", "seller_id", "offer_id", "revision"]).where("rfq_id", "=", rfq.id).orderBy("sequence").execute();
    // Exactly one receipt per accepted call, none lost, none duplicated, no gap in the sequence.
    expect(receipts.map((r) => r.sequence)).toEqual(Array.from({ length: accepted.length }, (_, i) => i + 1));
    expect(new Set(receipts.map((r) => r.hash))).toEqual(new Set(accepted.map((a) => a.hash)));
    expect(new Set(receipts.map((r) => `${r.offer_id}:${r.revision}`)).size).toBe(receipts.length);
    expect(await verifyRfqChain(db, rfq.id)).toEqual({ ok: true, length: accepted.length, head: receipts.at(-1)?.hash });
    // Each seller's offer row carries its last accepted revision.
    const offers = await db.selectFrom("offers").select(["seller_id", "revision"]).where("rfq_id", "=", rfq.id).execute();
    // (a seller whose very first call came too late has no offer at all)
    expect(offers).toHaveLength(new Set(accepted.map((a) => a.sellerId)).size);
    for (const o of offers) expect(o.revision).toBe(accepted.filter((a) => a.sellerId === o.seller_id).length);
  });

  test("the close racing the last offers: every offer accepted is in the chain the close verified, none after it", async () => {
    const buyer = await buyerOrg(db);
    const sellers = await Promise.all(Array.from({ length: 20 }, () => rfqSeller(db)));
    const rfq = await insertRfq(db, buyer.id, { deadlineInMs: 60_000 });
    const deadline = await setDeadline(db, rfq.id, 800);
    const serviceDeps = { db: crowdDb, publicUrls: sellers[0]!.sales.publicUrls };
    let accepted = 0;
    const refusals = new Set<string>();
    const closer = (async () => {
      // Hammer the close from a little before the deadline: early ones are no-ops.
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, deadline.getTime() - Date.now() - 100)));
      for (;;) {
        const result = await closeRfq(serviceDeps, { rfqId: rfq.id });
        if (result.closed) return result;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();
    await Promise.all(
      sellers.map(async (s, i) => {
        for (let n = 0; ; n += 1) {
          try {
            await saveOffer(on(s.sales, crowdDb), offerForm(rfq, {}, (3 + i / 100 + n / 1000).toFixed(3).slice(0, 4)));
            accepted += 1;
          } catch (error) {
            if (!isDomainError(error)) throw error;
            refusals.add(error.fieldErrors.offer?.[0] ?? error.code);
            return;
          }
        }
      }),
    );
    const closed = await closer;
    expect(closed.chain).toMatchObject({ ok: true, length: accepted });
    expect([...refusals].every((r) => r === "offer.deadline_passed" || r === "offer.rfq_not_open")).toBe(true);
    const rfqRow = await db.selectFrom("rfqs").selectAll().where("id", "=", rfq.id).executeTakeFirstOrThrow();
    expect(rfqRow).toMatchObject({ status: "closed", chain_length: accepted });
    expect(rfqRow.chain_verified_at).toBeInstanceOf(Date);
    const { after } = (await sql<{ after: number }>`select count(*)::int as after from offer_revisions where rfq_id = ${rfq.id} and recorded_at >= ${rfqRow.closed_at}`.execute(db)).rows[0]!;
    expect(after).toBe(0);
    expect(await db.selectFrom("offers").select("status").where("rfq_id", "=", rfq.id).where("status", "<>", "locked").execute()).toEqual([]);
  });
});
