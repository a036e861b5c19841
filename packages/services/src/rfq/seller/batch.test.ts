import { sql } from "kysely";
import { describe, expect, test } from "vitest";
import { withTransaction } from "@souk/db";
import { isDomainError } from "@souk/domain";
import { createTestDatabase } from "@souk/testing";
import { writeOffersLocked } from "./offer-batch";
import { verifyRfqChain } from "./receipts";
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
    expect(oa).toMatchObject({ ok: true, result: { status: "submitted", revision: 1, receipt: { sequence: 2 } } });
    expect(ob).toMatchObject({ ok: true, result: { status: "revised", revision: 2, receipt: { sequence: 3 } } });
    expect(oc?.ok).toBe(false);
    expect(oc && !oc.ok && isDomainError(oc.error) && oc.error.code).toBe("NOT_FOUND");
    expect(oa?.ok && ob?.ok && ob.result.receipt.previousHash === oa.result.receipt.hash).toBe(true);
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
});
