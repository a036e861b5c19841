import { sql } from "kysely";
import { describe, expect, test } from "vitest";
import { createTestDatabase } from "@souk/testing";
import { TEST_URLS } from "../../identity/test-support";
import { closeDueRfqs, closeRfq } from "./close-rfq";
import { exportOfferReceipts } from "./export-offer-receipts";
import { getSellerRfq } from "./get-seller-rfq";
import { receiptHash, verifyRfqChain } from "./receipts";
import { saveOffer } from "./save-offer";
import { buyerOrg, insertRfq, offerForm, rfqSeller, setDeadline } from "./test-support";
import { withdrawOffer } from "./withdraw-offer";

const { db } = await createTestDatabase();
const deps = { db, publicUrls: TEST_URLS };

async function emailsTo(organizationId: string) {
  const rows = await db.selectFrom("outbox").select("payload").where("topic", "=", "notification.email").execute();
  return rows.map((r) => r.payload as { template: string; organizationId: string; params: Record<string, string> }).filter((p) => p.organizationId === organizationId);
}

describe("closing an RFQ", () => {
  test("at the deadline: closed, live offers locked, chain verified; buyer and every participating seller told; twice is harmless", async () => {
    const buyer = await buyerOrg(db);
    const a = await rfqSeller(db);
    const b = await rfqSeller(db);
    const c = await rfqSeller(db);
    const rfq = await insertRfq(db, buyer.id);
    await saveOffer(a.sales, offerForm(rfq, {}, "1.10"));
    await saveOffer(b.sales, offerForm(rfq, {}, "1.20"));
    await saveOffer(b.sales, offerForm(rfq, {}, "1.15"));
    await saveOffer(c.sales, offerForm(rfq, {}, "1.30"));
    await withdrawOffer(c.sales, { rfqId: rfq.id });

    // Not due yet: nothing happens.
    expect(await closeRfq(deps, { rfqId: rfq.id })).toEqual({ rfqId: rfq.id, closed: false, offers: 0, chain: null });
    expect((await db.selectFrom("rfqs").select("status").where("id", "=", rfq.id).executeTakeFirstOrThrow()).status).toBe("open");

    await setDeadline(db, rfq.id, -1);
    const closed = await closeRfq(deps, { rfqId: rfq.id });
    expect(closed).toMatchObject({ closed: true, offers: 2, chain: { ok: true, length: 5 } });
    const row = await db.selectFrom("rfqs").selectAll().where("id", "=", rfq.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: "closed", chain_length: 5 });
    expect(row.closed_at).toBeInstanceOf(Date);
    expect(row.chain_verified_at).toBeInstanceOf(Date);
    expect(row.closed_at!.getTime()).toBeGreaterThanOrEqual(row.deadline!.getTime());
    const offers = await db.selectFrom("offers").select(["seller_id", "status"]).where("rfq_id", "=", rfq.id).execute();
    expect(new Map(offers.map((o) => [o.seller_id, o.status]))).toEqual(new Map([[a.id, "locked"], [b.id, "locked"], [c.id, "withdrawn"]]));

    const buyerMails = await emailsTo(buyer.id);
    expect(buyerMails.map((m) => m.template).sort()).toEqual(["rfq.closed.buyer", "rfq.closed.buyer"]);
    expect(buyerMails[0]?.params).toMatchObject({ offerCount: "2", chainHead: row.chain_head, rfqUrl: `${TEST_URLS.buyer}/rfqs/${rfq.id}` });
    for (const s of [a, b]) expect((await emailsTo(s.id)).map((m) => [m.template, m.params.offerFinal, m.params.chainHead])).toEqual([
      ["rfq.closed.seller", "yes", row.chain_head],
      ["rfq.closed.seller", "yes", row.chain_head],
    ]);
    expect((await emailsTo(c.id)).map((m) => m.params.offerFinal)).toEqual(["no", "no"]);
    // Nobody's e-mail names another seller or carries anything but these params (no price, no total).
    for (const org of [buyer.id, a.id, b.id, c.id]) {
      const text = JSON.stringify(await emailsTo(org));
      for (const s of [a, b, c]) if (s.id !== org) expect(text).not.toContain(s.name);
      for (const mail of await emailsTo(org)) {
        expect(Object.keys(mail.params).sort()).toEqual(
          org === buyer.id ? ["chainHead", "name", "offerCount", "rfqNumber", "rfqTitle", "rfqUrl"] : ["chainHead", "name", "offerFinal", "rfqNumber", "rfqTitle", "rfqUrl"],
        );
      }
    }

    // The head is shown to every participant after the close.
    const view = await getSellerRfq(a.sales, { rfqId: rfq.id });
    expect(view.chain).toEqual({ head: row.chain_head, length: 5, verifiedAt: row.chain_verified_at!.toISOString() });
    expect(view.moves).toEqual({ ask: false, submit: false, revise: false, withdraw: false, attach: false });
    expect(view.offer?.status).toBe("locked");
    const exported = JSON.parse((await exportOfferReceipts(a.sales, { rfqId: rfq.id })).json) as { chain: { head: string }; receipts: { hash: string; previousHash: string | null; content: string; recordedAt: string }[] };
    expect(exported.chain.head).toBe(row.chain_head);
    for (const r of exported.receipts) expect(receiptHash(r.previousHash, r.content, new Date(r.recordedAt))).toBe(r.hash);

    // A second close, the job's retry, the sweep: nothing more.
    const mailsBefore = (await db.selectFrom("outbox").select("id").execute()).length;
    expect(await closeRfq(deps, { rfqId: rfq.id })).toMatchObject({ closed: false });
    expect((await closeDueRfqs(deps)).closed).toBe(0);
    expect((await db.selectFrom("outbox").select("id").execute()).length).toBe(mailsBefore);
    expect(await db.selectFrom("rfqs").select(["status", "closed_at"]).where("id", "=", rfq.id).executeTakeFirstOrThrow()).toEqual({ status: "closed", closed_at: row.closed_at });
  });

  test("an RFQ with no offer closes too, and the buyer hears that none came", async () => {
    const buyer = await buyerOrg(db);
    const rfq = await insertRfq(db, buyer.id, { deadlineInMs: -10 });
    expect(await closeRfq(deps, { rfqId: rfq.id })).toEqual({ rfqId: rfq.id, closed: true, offers: 0, chain: { ok: true, length: 0, head: null } });
    expect((await emailsTo(buyer.id))[0]?.params).toMatchObject({ offerCount: "0" });
    expect((await emailsTo(buyer.id))[0]?.params.chainHead).toBeUndefined();
  });

  test("the sweep closes every due open RFQ and nothing else; an unknown id is a no-op", async () => {
    const buyer = await buyerOrg(db);
    const due = [await insertRfq(db, buyer.id, { deadlineInMs: -1_000 }), await insertRfq(db, buyer.id, { deadlineInMs: -5 })];
    const notDue = await insertRfq(db, buyer.id, { deadlineInMs: 60_000 });
    const draft = await insertRfq(db, buyer.id, { status: "draft", deadlineInMs: -1_000 });
    const cancelled = await insertRfq(db, buyer.id, { status: "cancelled", deadlineInMs: -1_000 });
    const result = await closeDueRfqs(deps);
    expect(result.failed).toEqual([]);
    expect(result.closed).toBeGreaterThanOrEqual(2);
    const statuses = await db.selectFrom("rfqs").select(["id", "status"]).where("id", "in", [...due.map((r) => r.id), notDue.id, draft.id, cancelled.id]).execute();
    expect(new Map(statuses.map((s) => [s.id, s.status]))).toEqual(
      new Map([
        [due[0]!.id, "closed"],
        [due[1]!.id, "closed"],
        [notDue.id, "open"],
        [draft.id, "draft"],
        [cancelled.id, "cancelled"],
      ]),
    );
    expect(await closeRfq(deps, { rfqId: "7d1c1d8e-2b1a-4c3d-9e8f-0a1b2c3d4e5f" })).toMatchObject({ closed: false });
  });

  test("a sweep skips an RFQ another transaction holds, and takes it on its next pass", async () => {
    const buyer = await buyerOrg(db);
    const rfq = await insertRfq(db, buyer.id, { deadlineInMs: -1 });
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => (release = resolve));
    let locked: () => void = () => undefined;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    const holder = db.transaction().execute(async (trx) => {
      await trx.selectFrom("rfqs").select("id").where("id", "=", rfq.id).forNoKeyUpdate().execute();
      locked();
      await released;
    });
    await isLocked;
    await closeDueRfqs(deps);
    expect((await db.selectFrom("rfqs").select("status").where("id", "=", rfq.id).executeTakeFirstOrThrow()).status).toBe("open");
    release();
    await holder;
    await closeDueRfqs(deps);
    expect((await db.selectFrom("rfqs").select("status").where("id", "=", rfq.id).executeTakeFirstOrThrow()).status).toBe("closed");
  });

  test("a tampered receipt is found: the chain does not verify, the RFQ still closes, without a verification date, with an audit row", async () => {
    const buyer = await buyerOrg(db);
    const a = await rfqSeller(db);
    const b = await rfqSeller(db);
    const rfq = await insertRfq(db, buyer.id);
    await saveOffer(a.sales, offerForm(rfq, {}, "2.00"));
    await saveOffer(b.sales, offerForm(rfq, {}, "2.10"));
    await saveOffer(a.sales, offerForm(rfq, {}, "1.90"));
    expect(await verifyRfqChain(db, rfq.id)).toMatchObject({ ok: true, length: 3 });

    // The table refuses updates: the test switches its guard off, as an intruder with full access would.
    await expect(sql`update offer_revisions set content = replace(content, '"unitPriceMinor":"200"', '"unitPriceMinor":"150"') where rfq_id = ${rfq.id} and sequence = 1`.execute(db)).rejects.toThrow(/append-only/);
    await sql`alter table offer_revisions disable trigger offer_revisions_append_only`.execute(db);
    try {
      await sql`update offer_revisions set content = replace(content, '"unitPriceMinor":"200"', '"unitPriceMinor":"150"') where rfq_id = ${rfq.id} and sequence = 1`.execute(db);
    } finally {
      await sql`alter table offer_revisions enable trigger offer_revisions_append_only`.execute(db);
    }
    expect(await verifyRfqChain(db, rfq.id)).toMatchObject({ ok: false, length: 3, brokenAt: 1 });

    await setDeadline(db, rfq.id, -1);
    const closed = await closeRfq(deps, { rfqId: rfq.id });
    expect(closed).toMatchObject({ closed: true, offers: 2, chain: { ok: false, brokenAt: 1 } });
    const row = await db.selectFrom("rfqs").select(["status", "chain_verified_at"]).where("id", "=", rfq.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ status: "closed", chain_verified_at: null });
    const audit = await db.selectFrom("audit_log").select(["action", "target_id", "organization_id", "data"]).where("action", "=", "rfq.chain_broken").execute();
    expect(audit).toEqual([{ action: "rfq.chain_broken", target_id: rfq.id, organization_id: buyer.id, data: expect.objectContaining({ brokenAt: 1, receipts: 3 }) }]);
    // The participants are not handed a head that did not verify.
    expect((await emailsTo(a.id)).every((m) => m.params.chainHead === undefined)).toBe(true);
  });

  test("other ways a chain breaks: a receipt removed, a head that disagrees, a forged link", async () => {
    const buyer = await buyerOrg(db);
    const a = await rfqSeller(db);
    const rfq = await insertRfq(db, buyer.id);
    await saveOffer(a.sales, offerForm(rfq, {}, "2.00"));
    await saveOffer(a.sales, offerForm(rfq, {}, "1.90"));
    await saveOffer(a.sales, offerForm(rfq, {}, "1.80"));
    await sql`alter table offer_revisions disable trigger offer_revisions_append_only`.execute(db);
    try {
      // Re-hashing a changed receipt consistently still breaks the next link.
      const first = await db.selectFrom("offer_revisions").selectAll().where("rfq_id", "=", rfq.id).where("sequence", "=", 1).executeTakeFirstOrThrow();
      const forged = first.content.replace('"notes":"Delivered on pallets."', '"notes":"Forged."');
      await db.updateTable("offer_revisions").set({ content: forged, hash: receiptHash(null, forged, first.recorded_at) }).where("id", "=", first.id).execute();
      expect(await verifyRfqChain(db, rfq.id)).toMatchObject({ ok: false, brokenAt: 2 });
      await db.updateTable("offer_revisions").set({ content: first.content, hash: first.hash }).where("id", "=", first.id).execute();
      expect(await verifyRfqChain(db, rfq.id)).toMatchObject({ ok: true });

      await db.updateTable("rfqs").set({ chain_head: "0".repeat(64) }).where("id", "=", rfq.id).execute();
      expect(await verifyRfqChain(db, rfq.id)).toMatchObject({ ok: false, brokenAt: 4 });
      await db.deleteFrom("offer_revisions").where("rfq_id", "=", rfq.id).where("sequence", "=", 2).execute();
      expect(await verifyRfqChain(db, rfq.id)).toMatchObject({ ok: false, brokenAt: 2 });
    } finally {
      await sql`alter table offer_revisions enable trigger offer_revisions_append_only`.execute(db);
    }
  });
});
