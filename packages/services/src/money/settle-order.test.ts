import { describe, expect, test } from "vitest";
import { createDb } from "@souk/db";
import { createTestDatabase } from "@souk/testing";
import { domainErrorOf, TEST_URLS } from "../identity/test-support";
import { closedRfq, notified } from "../approvals/test-support";
import { enqueueSettlement } from "./enqueue-settlement";
import { settleOrder } from "./settle-order";
import {
  buyer,
  categoryId,
  commissionRule,
  entriesOf,
  ledgerProblems,
  listing,
  moneyRowCounts,
  moneySeller,
  NO_PROBLEMS,
  openDispute,
  order,
} from "./test-support";

const { db, url } = await createTestDatabase();
const deps = { db, publicUrls: TEST_URLS };

await commissionRule(db, { currency: "EUR", rateBps: 1000 });
await commissionRule(db, { currency: "JPY", rateBps: 250, fixedMinor: 30 });
await commissionRule(db, { currency: "TND", rateBps: 125, floorMinor: 2_000, capMinor: 50_000 });

describe("settleOrder", () => {
  test("posts one balanced journal, a settlement with the rule frozen, the order settled with its timeline event, and tells the seller's owners", async () => {
    const b = await buyer(db);
    const s = await moneySeller(db);
    const o = await order(db, { buyerId: b.id, sellerId: s.id, totalMinor: 12_345 });

    const result = await settleOrder(deps, { orderId: o.id });
    expect(result).toEqual({ orderId: o.id, status: "settled", journalId: expect.any(String) });

    const journal = await db.selectFrom("journals").selectAll().where("id", "=", result.journalId!).executeTakeFirstOrThrow();
    expect(journal).toMatchObject({ idempotency_key: `settlement:${o.id}`, kind: "settlement", order_id: o.id, currency: "EUR" });
    // 10 % of 123.45 = 12.345 → 12.35 (half up); the seller gets the rest.
    expect(await entriesOf(db, journal.id)).toEqual([
      ["buyer_receivable", b.id, 12_345n],
      ["seller_payable", s.id, -11_110n],
      ["commission_revenue", null, -1_235n],
    ]);
    const settlement = await db.selectFrom("settlements").selectAll().where("order_id", "=", o.id).executeTakeFirstOrThrow();
    expect(settlement).toMatchObject({ buyer_id: b.id, seller_id: s.id, journal_id: journal.id, gross_minor: "12345", commission_minor: "1235", net_minor: "11110", refunded_minor: "0" });
    expect(settlement.rule).toEqual({
      id: expect.any(String),
      scope: "default",
      categoryId: null,
      sellerId: null,
      currency: "EUR",
      rateBps: 1000,
      fixedMinor: "0",
      floorMinor: "0",
      capMinor: null,
    });
    const settledOrder = await db.selectFrom("orders").select(["status", "settled_at", "version"]).where("id", "=", o.id).executeTakeFirstOrThrow();
    expect(settledOrder.status).toBe("settled");
    expect(settledOrder.settled_at).toBeInstanceOf(Date);
    expect(settledOrder.version).toBe(2);
    expect(await db.selectFrom("order_events").select(["kind", "actor_kind", "actor_user_id", "data"]).where("order_id", "=", o.id).execute()).toEqual([
      { kind: "settled", actor_kind: "system", actor_user_id: null, data: { gross: "12345", commission: "1235", net: "11110" } },
    ]);
    const told = await notified(db, "order.settled");
    expect(told.filter((n) => n.organizationId === s.id).map((n) => n.userId)).toEqual([s.owners[0]!.userId]);
    expect(told.find((n) => n.organizationId === s.id)!.body).toContain("€111.10");
    expect(await ledgerProblems(db)).toEqual(NO_PROBLEMS);
  });

  test("delivery queues the settle job through the outbox", async () => {
    const b = await buyer(db);
    const s = await moneySeller(db);
    const o = await order(db, { buyerId: b.id, sellerId: s.id });
    await enqueueSettlement(db, o.id);
    const rows = await db.selectFrom("outbox").select(["topic", "payload"]).where("topic", "=", "order.settle").execute();
    expect(rows).toContainEqual({ topic: "order.settle", payload: { orderId: o.id } });
  });

  test("run twice (a retry) or by a duplicate job: one journal; the second run says already_settled", async () => {
    const b = await buyer(db);
    const s = await moneySeller(db);
    const o = await order(db, { buyerId: b.id, sellerId: s.id, totalMinor: 5_000 });
    const first = await settleOrder(deps, { orderId: o.id });
    const before = await moneyRowCounts(db);
    const second = await settleOrder(deps, { orderId: o.id });
    expect(second).toEqual({ orderId: o.id, status: "already_settled", journalId: first.journalId });
    expect(await moneyRowCounts(db)).toEqual(before);
    expect(await db.selectFrom("journals").select("id").where("order_id", "=", o.id).execute()).toHaveLength(1);
  });

  test("five workers at once, each on its own connection: exactly one journal, the others find it settled", async () => {
    const b = await buyer(db);
    const s = await moneySeller(db);
    const o = await order(db, { buyerId: b.id, sellerId: s.id, totalMinor: 99_999 });
    const workers = Array.from({ length: 5 }, () => createDb({ connectionString: url, max: 1 }));
    try {
      const results = await Promise.all(workers.map((w) => settleOrder({ db: w, publicUrls: TEST_URLS }, { orderId: o.id })));
      expect(results.map((r) => r.status).sort()).toEqual(["already_settled", "already_settled", "already_settled", "already_settled", "settled"]);
      expect(new Set(results.map((r) => r.journalId)).size).toBe(1);
    } finally {
      await Promise.all(workers.map((w) => w.destroy()));
    }
    expect(await db.selectFrom("journals").select("id").where("order_id", "=", o.id).execute()).toHaveLength(1);
    expect(await db.selectFrom("order_events").select("id").where("order_id", "=", o.id).execute()).toHaveLength(1);
    expect(await ledgerProblems(db)).toEqual(NO_PROBLEMS);
  });

  test("many orders of one seller and one buyer settled at once share their accounts, created once", async () => {
    const b = await buyer(db);
    const s = await moneySeller(db);
    const orders = await Promise.all(Array.from({ length: 6 }, (_, i) => order(db, { buyerId: b.id, sellerId: s.id, currency: "JPY", totalMinor: 1_000 + i })));
    const workers = Array.from({ length: 3 }, () => createDb({ connectionString: url, max: 2 }));
    try {
      const results = await Promise.all(orders.map((o, i) => settleOrder({ db: workers[i % 3]!, publicUrls: TEST_URLS }, { orderId: o.id })));
      expect(results.every((r) => r.status === "settled")).toBe(true);
    } finally {
      await Promise.all(workers.map((w) => w.destroy()));
    }
    const accounts = await db.selectFrom("ledger_accounts").select("kind").where("currency", "=", "JPY").where((eb) => eb.or([eb("organization_id", "=", s.id), eb("organization_id", "is", null)])).execute();
    expect(accounts.map((a) => a.kind).sort()).toEqual(["commission_revenue", "seller_payable"]);
    expect(await ledgerProblems(db)).toEqual(NO_PROBLEMS);
  });

  test("an open dispute freezes settlement; an order not delivered is not settled; nothing is written", async () => {
    const b = await buyer(db);
    const s = await moneySeller(db);
    const disputed = await order(db, { buyerId: b.id, sellerId: s.id });
    await openDispute(db, disputed.id);
    const before = await moneyRowCounts(db);
    expect(await settleOrder(deps, { orderId: disputed.id })).toEqual({ orderId: disputed.id, status: "frozen", journalId: null });
    for (const status of ["placed", "accepted", "shipped", "cancelled"] as const) {
      const o = await order(db, { buyerId: b.id, sellerId: s.id, status });
      expect(await settleOrder(deps, { orderId: o.id })).toEqual({ orderId: o.id, status: "not_delivered", journalId: null });
    }
    expect(await moneyRowCounts(db)).toEqual(before);
    expect((await db.selectFrom("orders").select("status").where("id", "=", disputed.id).executeTakeFirstOrThrow()).status).toBe("delivered");
  });

  test("an unknown or malformed order id is NOT_FOUND (the job is not retried)", async () => {
    for (const orderId of ["5b7e2a3c-8a4e-4f0b-9d7c-1e2f3a4b5c6d", "ORD-1", "", 42]) {
      expect((await domainErrorOf(settleOrder(deps, { orderId }))).code).toBe("NOT_FOUND");
    }
  });

  test("no commission rule for the currency: CONFLICT commission.no_rule, nothing written, the order stays delivered", async () => {
    const b = await buyer(db);
    const s = await moneySeller(db);
    const o = await order(db, { buyerId: b.id, sellerId: s.id, currency: "USD" });
    const before = await moneyRowCounts(db);
    const error = await domainErrorOf(settleOrder(deps, { orderId: o.id }));
    expect(error.code).toBe("CONFLICT");
    expect(error.fieldErrors).toEqual({ _form: ["commission.no_rule"] });
    expect(await moneyRowCounts(db)).toEqual(before);
    // Once an operator adds the rule, the retried job settles it.
    await commissionRule(db, { currency: "USD", rateBps: 500 });
    expect((await settleOrder(deps, { orderId: o.id })).status).toBe("settled");
  });

  test("the most specific rule wins: seller, then the nearest category up the tree, then the default; only in the order's currency", async () => {
    const b = await buyer(db);
    const s = await moneySeller(db);
    const other = await moneySeller(db);
    const boxes = await categoryId(db, "packaging-boxes");
    const packaging = await categoryId(db, "packaging");
    const film = await categoryId(db, "packaging-film");
    const parentRule = await commissionRule(db, { scope: "category", categoryId: packaging, currency: "EUR", rateBps: 500 });
    const leafRule = await commissionRule(db, { scope: "category", categoryId: boxes, currency: "EUR", rateBps: 300 });
    const sellerRule = await commissionRule(db, { scope: "seller", sellerId: s.id, currency: "EUR", rateBps: 100 });
    await commissionRule(db, { scope: "seller", sellerId: other.id, currency: "JPY", rateBps: 9_000 });

    const ruleOf = async (spec: Parameters<typeof order>[1]) => {
      const o = await order(db, spec);
      await settleOrder(deps, { orderId: o.id });
      const st = await db.selectFrom("settlements").select(["rule", "commission_minor"]).where("order_id", "=", o.id).executeTakeFirstOrThrow();
      return [(st.rule as { id: string }).id, st.commission_minor];
    };
    // The seller's own rule beats any category.
    expect(await ruleOf({ buyerId: b.id, sellerId: s.id, totalMinor: 10_000, categoryId: boxes })).toEqual([sellerRule, "100"]);
    // Another seller (whose only own rule is in JPY): the leaf category, then its parent.
    expect(await ruleOf({ buyerId: b.id, sellerId: other.id, totalMinor: 10_000, categoryId: boxes })).toEqual([leafRule, "300"]);
    expect(await ruleOf({ buyerId: b.id, sellerId: other.id, totalMinor: 10_000, categoryId: film })).toEqual([parentRule, "500"]);
    // Out of the packaging tree: the default.
    expect((await ruleOf({ buyerId: b.id, sellerId: other.id, totalMinor: 10_000, categoryId: await categoryId(db, "tools-hand") }))[1]).toBe("1000");
    // An RFQ order goes by the RFQ's category (packaging-boxes in the fixture).
    const rfq = await closedRfq(db, b.id, { lines: [1], offers: [] });
    expect(await ruleOf({ buyerId: b.id, sellerId: other.id, totalMinor: 10_000, rfqId: rfq.id })).toEqual([leafRule, "300"]);
    // A catalogue order without a category goes by its largest line's listing.
    const filmListing = await listing(db, other.id, "packaging-film");
    const toolListing = await listing(db, other.id, "tools-hand");
    expect(
      await ruleOf({ buyerId: b.id, sellerId: other.id, lines: [{ totalMinor: 2_000, listingId: toolListing }, { totalMinor: 8_000, listingId: filmListing }] }),
    ).toEqual([parentRule, "500"]);
    expect(await ledgerProblems(db)).toEqual(NO_PROBLEMS);
  });

  test("fees, floors and caps per currency (JPY has no decimals, TND three); a commission above the total is capped at it", async () => {
    const b = await buyer(db);
    const s = await moneySeller(db);
    const settle = async (currency: string, totalMinor: number) => {
      const o = await order(db, { buyerId: b.id, sellerId: s.id, currency, totalMinor });
      await settleOrder(deps, { orderId: o.id });
      const st = await db.selectFrom("settlements").select(["gross_minor", "commission_minor", "net_minor"]).where("order_id", "=", o.id).executeTakeFirstOrThrow();
      return [st.gross_minor, st.commission_minor, st.net_minor];
    };
    // JPY: 2.5 % of ¥1,234 = 30.85 → 31, + ¥30 fee.
    expect(await settle("JPY", 1_234)).toEqual(["1234", "61", "1173"]);
    // TND: 1.25 % of 100.000 = 1.250 → floor 2.000; of 10 000.000 = 125.000 → cap 50.000.
    expect(await settle("TND", 100_000)).toEqual(["100000", "2000", "98000"]);
    expect(await settle("TND", 10_000_000)).toEqual(["10000000", "50000", "9950000"]);
    // A floor above the total: the marketplace keeps the whole total, the seller's net is zero
    // (the journal then has no seller line).
    expect(await settle("TND", 1_500)).toEqual(["1500", "1500", "0"]);
    expect(await ledgerProblems(db)).toEqual(NO_PROBLEMS);
  });

  test("a rule changed after settlement leaves the frozen snapshot as it was", async () => {
    const b = await buyer(db);
    const s = await moneySeller(db);
    const ruleId = await commissionRule(db, { scope: "seller", sellerId: s.id, currency: "EUR", rateBps: 700 });
    const o = await order(db, { buyerId: b.id, sellerId: s.id, totalMinor: 1_000 });
    await settleOrder(deps, { orderId: o.id });
    await db.updateTable("commission_rules").set({ rate_bps: 100 }).where("id", "=", ruleId).execute();
    const st = await db.selectFrom("settlements").select(["rule", "commission_minor"]).where("order_id", "=", o.id).executeTakeFirstOrThrow();
    expect(st).toMatchObject({ commission_minor: "70", rule: { id: ruleId, rateBps: 700 } });
  });
});
