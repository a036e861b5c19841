import { sql } from "kysely";
import { describe, expect, test } from "vitest";
import { withTransaction } from "@souk/db";
import { isDomainError } from "@souk/domain";
import { createTestDatabase } from "@souk/testing";
import { batchFailureRetriesAlone, writeOffersLocked } from "./offer-batch";
import { verifyRfqChain } from "./receipts";
import { StaleOfferState } from "./stale-offer-state";
import { prepareOfferJob, saveOffer } from "./save-offer";
import { buyerOrg, insertRfq, offerForm, rfqSeller } from "./test-support";

const { db } = await createTestDatabase();

/** Several sellers' writes under one hold of the RFQ's lock, as the coalescing writer runs them. */
describe("offers written together under one hold of the RFQ's lock", () => {
  test("each is checked on its own: a seller suspended since its read is refused, the others recorded in one unbroken chain", async () => {
    const buyer = await buyerOrg(db);
    const [a, b, c] = [await rfqSeller(db), await rfqSeller(db), await rfqSeller(db)];
    const rfq = await insertRfq(db, buyer.id);
    await saveOffer(b.sales, offerForm(rfq, {}, "2.00"));
    const jobs = [await prepareOfferJob(a.sales, offerForm(rfq, {}, "1.50")), await prepareOfferJob(b.sales, offerForm(rfq, {}, "1.90")), await prepareOfferJob(c.sales, offerForm(rfq, {}, "1.70"))];
    await db.updateTable("organizations").set({ status: "suspended" }).where("id", "=", c.id).execute();

    const outcomes = await withTransaction(db, (trx) => writeOffersLocked(trx, rfq.id, jobs));
    const [oa, ob, oc] = jobs.map((j) => outcomes.get(j));
    expect(oa).toMatchObject({ ok: true, result: { status: "submitted", revision: 1, receipt: { revision: 1 } } });
    expect(ob).toMatchObject({ ok: true, result: { status: "revised", revision: 2, receipt: { revision: 2 } } });
    expect(oc?.ok).toBe(false);
    expect(oc && !oc.ok && isDomainError(oc.error) && oc.error.code).toBe("NOT_FOUND");
    const chain = await db.selectFrom("offer_revisions").select(["sequence", "hash", "previous_hash", "recorded_at"]).where("rfq_id", "=", rfq.id).orderBy("sequence").execute();
    expect(chain.map((r) => r.hash)).toEqual([chain[0]!.hash, oa?.ok && oa.result.receipt.hash, ob?.ok && ob.result.receipt.hash]);
    expect(chain[2]!.previous_hash).toBe(chain[1]!.hash);
    // Written together, each at its own reading of the clock, never out of chain order.
    expect(chain[2]!.recorded_at.getTime()).toBeGreaterThanOrEqual(chain[1]!.recorded_at.getTime());
    expect(await verifyRfqChain(db, rfq.id)).toMatchObject({ ok: true, length: 3 });
    expect(await db.selectFrom("offers").select("seller_id").where("rfq_id", "=", rfq.id).where("seller_id", "=", c.id).execute()).toEqual([]);
  });

  test("anti-sniping in order: the first extends, the next is checked against the new deadline (validity included)", async () => {
    const buyer = await buyerOrg(db);
    const [a, b, c] = [await rfqSeller(db), await rfqSeller(db), await rfqSeller(db)];
    const rfq = await insertRfq(db, buyer.id, { deadlineInMs: 2 * 60_000, antiSniping: { windowMinutes: 10, maxExtensions: 3 } });
    // Valid until a minute after the current deadline: enough now, not once the deadline is pushed by ten.
    const shortValidity = new Date(rfq.deadline.getTime() + 60_000).toISOString();
    const jobs = [
      await prepareOfferJob(a.sales, offerForm(rfq, {}, "1.50")),
      await prepareOfferJob(b.sales, offerForm(rfq, { validUntil: shortValidity }, "1.40")),
      await prepareOfferJob(c.sales, offerForm(rfq, {}, "1.30")),
    ];
    const outcomes = await withTransaction(db, (trx) => writeOffersLocked(trx, rfq.id, jobs));
    const [oa, ob, oc] = jobs.map((j) => outcomes.get(j));
    expect(oa).toMatchObject({ ok: true, result: { extended: true } });
    expect(ob?.ok === false && isDomainError(ob.error) && ob.error.fieldErrors).toEqual({ validUntil: ["offer.validity_before_deadline"] });
    // Twelve minutes left after the extension: outside the window, no second extension.
    expect(oc).toMatchObject({ ok: true, result: { extended: false } });
    const row = await db.selectFrom("rfqs").select(["extensions", "deadline"]).where("id", "=", rfq.id).executeTakeFirstOrThrow();
    expect(row.extensions).toBe(1);
    expect(oa?.ok && oc?.ok && [oa.result.deadline, oc.result.deadline]).toEqual([row.deadline!.toISOString(), row.deadline!.toISOString()]);
    expect(await verifyRfqChain(db, rfq.id)).toMatchObject({ ok: true, length: 2 });
  });

  test("a write whose offer changed while it waited writes nothing (the batch is refused as stale and each write runs again on its own)", async () => {
    const buyer = await buyerOrg(db);
    const [a, b] = [await rfqSeller(db), await rfqSeller(db)];
    const rfq = await insertRfq(db, buyer.id);
    await saveOffer(a.sales, offerForm(rfq, {}, "2.00"));
    const jobs = [await prepareOfferJob(a.sales, offerForm(rfq, {}, "1.90")), await prepareOfferJob(b.sales, offerForm(rfq, {}, "1.80"))];
    // Another transaction revises A's offer and holds the RFQ's lock while the batch asks for it:
    // the batch's read of A's offer is from before that commit.
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    let locked: () => void = () => undefined;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    const other = db.transaction().execute(async (trx) => {
      await trx.selectFrom("rfqs").select("id").where("id", "=", rfq.id).forNoKeyUpdate().execute();
      await trx.updateTable("offers").set({ revision: sql<number>`revision + 1`, status: "revised" }).where("rfq_id", "=", rfq.id).where("seller_id", "=", a.id).execute();
      locked();
      await held;
    });
    await isLocked;
    const batch = withTransaction(db, (trx) => writeOffersLocked(trx, rfq.id, jobs));
    await new Promise((resolve) => setTimeout(resolve, 100));
    release();
    await other;
    await expect(batch).rejects.toMatchObject({ name: "StaleOfferState" });
    expect(await verifyRfqChain(db, rfq.id)).toMatchObject({ ok: true, length: 1 });
    expect(await db.selectFrom("offers").select("seller_id").where("rfq_id", "=", rfq.id).where("seller_id", "=", b.id).execute()).toEqual([]);
  });

  test("only failures known to come before the commit run the writes again one by one", () => {
    expect(batchFailureRetriesAlone(new StaleOfferState("changed"))).toBe(true);
    for (const code of ["40001", "40P01", "23505"]) expect(batchFailureRetriesAlone(Object.assign(new Error("x"), { code }))).toBe(true);
    // A lost connection, a failed COMMIT, anything unknown: the batch may have been committed.
    for (const code of ["08006", "08003", "57P01", "XX000", "23514", undefined]) expect(batchFailureRetriesAlone(Object.assign(new Error("x"), { code }))).toBe(false);
    expect(batchFailureRetriesAlone(new Error("Connection terminated unexpectedly"))).toBe(false);
    expect(batchFailureRetriesAlone(null)).toBe(false);
  });

  test("a batch that fails at its commit is not written again: each of its writers gets the error", async () => {
    const buyer = await buyerOrg(db);
    const [a, b, c] = [await rfqSeller(db), await rfqSeller(db), await rfqSeller(db)];
    const rfq = await insertRfq(db, buyer.id);
    // At the commit of the first transaction that writes several receipts: a failure as a lost
    // connection would give, after which the writers cannot know whether it was committed.
    await sql`create sequence batch_commit_fails`.execute(db);
    await sql`create function fail_batch_commit() returns trigger language plpgsql as $$
      begin
        if (select count(*) from offer_revisions where rfq_id = new.rfq_id and xmin = pg_current_xact_id()::xid) > 1
           and nextval('batch_commit_fails') = 1 then
          raise exception 'connection lost at commit' using errcode = '08006';
        end if;
        return null;
      end $$`.execute(db);
    await sql`create constraint trigger fail_batch_commit after insert on offer_revisions deferrable initially deferred for each row execute function fail_batch_commit()`.execute(db);
    try {
      // A's write runs alone and waits for the RFQ's lock, held here; B and C queue behind it and go together.
      let release: () => void = () => undefined;
      const held = new Promise<void>((resolve) => (release = resolve));
      let locked: () => void = () => undefined;
      const isLocked = new Promise<void>((resolve) => (locked = resolve));
      const holder = db.transaction().execute(async (trx) => {
        await trx.selectFrom("rfqs").select("id").where("id", "=", rfq.id).forNoKeyUpdate().execute();
        locked();
        await held;
      });
      await isLocked;
      const first = saveOffer(a.sales, offerForm(rfq, {}, "1.50"));
      await new Promise((resolve) => setTimeout(resolve, 200));
      const together = [saveOffer(b.sales, offerForm(rfq, {}, "1.40")), saveOffer(c.sales, offerForm(rfq, {}, "1.30"))].map((p) =>
        p.then(
          () => "written",
          (e: { code?: string }) => e.code,
        ),
      );
      await new Promise((resolve) => setTimeout(resolve, 200));
      release();
      await holder;
      expect((await first).status).toBe("submitted");
      expect(await Promise.all(together)).toEqual(["08006", "08006"]);
      expect(await verifyRfqChain(db, rfq.id)).toMatchObject({ ok: true, length: 1 });
    } finally {
      await sql`drop trigger fail_batch_commit on offer_revisions`.execute(db);
      await sql`drop function fail_batch_commit()`.execute(db);
      await sql`drop sequence batch_commit_fails`.execute(db);
    }
  });
});
