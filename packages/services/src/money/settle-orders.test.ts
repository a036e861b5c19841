import { describe, expect, test } from "vitest";
import { sql } from "kysely";
import { createDb, type Db } from "@souk/db";
import { isDomainError } from "@souk/domain";
import { createTestDatabase } from "@souk/testing";
import { TEST_URLS } from "../identity/test-support";
import { closedRfq } from "../approvals/test-support";
import { settleOrder } from "./settle-order";
import { commitOutcomeUnknown, createSettlementBatcher, settleOrders, settleOverdueOrders, type SettleOrdersItem } from "./settle-orders";
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
  type OrderSpec,
} from "./test-support";

const { db, url } = await createTestDatabase();
const deps = { db, publicUrls: TEST_URLS };

await commissionRule(db, { currency: "EUR", rateBps: 1000, fixedMinor: 25, floorMinor: 50, capMinor: 500_000 });
await commissionRule(db, { currency: "JPY", rateBps: 250, fixedMinor: 30 });
await commissionRule(db, { currency: "TND", rateBps: 125, floorMinor: 2_000, capMinor: 50_000 });

/** Everything a settlement wrote for an order, without the ids and numbers that differ between two orders. */
async function settledFacts(orderId: string) {
  const o = await db.selectFrom("orders").select(["number", "status", "version", "settled_at"]).where("id", "=", orderId).executeTakeFirstOrThrow();
  const reference = `ORD-${String(o.number).padStart(6, "0")}`;
  const st = await db.selectFrom("settlements").select(["journal_id", "currency", "gross_minor", "commission_minor", "net_minor", "rule", "refunded_minor"]).where("order_id", "=", orderId).executeTakeFirst();
  const journal = st ? await db.selectFrom("journals").select(["idempotency_key", "kind", "currency", "memo"]).where("id", "=", st.journal_id).executeTakeFirstOrThrow() : null;
  const events = await db.selectFrom("order_events").select(["kind", "actor_kind", "actor_user_id", "data"]).where("order_id", "=", orderId).orderBy("id").execute();
  const scrub = (text: string) => text.replaceAll(reference, "ORD-X").replaceAll(orderId, "ORDER-ID");
  const emails = await db
    .selectFrom("outbox")
    .select("payload")
    .where("topic", "=", "notification.email")
    .where(sql<boolean>`payload->'params'->>'orderReference' = ${reference}`)
    .execute();
  const inApp = await db.selectFrom("notifications").select(["user_id", "template", "locale", "subject", "body"]).where("template", "=", "order.settled").where("body", "like", `%${reference}%`).orderBy("user_id").execute();
  return {
    status: o.status,
    version: o.version,
    settledAt: o.settled_at instanceof Date,
    settlement: st ? { ...st, journal_id: undefined } : null,
    journal: journal ? { ...journal, idempotency_key: scrub(journal.idempotency_key), memo: scrub(journal.memo) } : null,
    entries: st ? await entriesOf(db, st.journal_id) : [],
    events,
    emails: emails.map((e) => JSON.parse(scrub(JSON.stringify(e.payload))) as unknown),
    inApp: inApp.map((n) => ({ ...n, subject: scrub(n.subject), body: scrub(n.body) })),
  };
}

function statuses(results: readonly SettleOrdersItem[]): string[] {
  return results.map((r) => r.status);
}

describe("settleOrders", () => {
  test("a mixed batch: each order gets settleOrder's outcome and the very rows settleOrder writes; the others are left as they are", async () => {
    const b = await buyer(db);
    const s = await moneySeller(db);
    const other = await moneySeller(db);
    // One owner reads French: the template is rendered in each owner's language.
    await db.updateTable("users").set({ locale: "fr" }).where("id", "=", other.owners[0]!.userId).execute();
    const boxes = await categoryId(db, "packaging-boxes");
    await commissionRule(db, { scope: "category", categoryId: await categoryId(db, "packaging"), currency: "EUR", rateBps: 500 });
    await commissionRule(db, { scope: "seller", sellerId: other.id, currency: "EUR", rateBps: 300, fixedMinor: 10 });
    const rfq = await closedRfq(db, b.id, { lines: [1], offers: [] });
    const film = await listing(db, s.id, "packaging-film");

    // Every kind of order that settles, twice: one settled by the batch, its twin by settleOrder.
    const specs: OrderSpec[] = [
      { buyerId: b.id, sellerId: s.id, totalMinor: 12_345 },
      { buyerId: b.id, sellerId: s.id, totalMinor: 99, categoryId: boxes },
      { buyerId: b.id, sellerId: other.id, totalMinor: 250_000, categoryId: boxes },
      { buyerId: b.id, sellerId: s.id, totalMinor: 40_000, rfqId: rfq.id },
      { buyerId: b.id, sellerId: s.id, lines: [{ totalMinor: 1_000 }, { totalMinor: 9_000, listingId: film }] },
      { buyerId: b.id, sellerId: other.id, currency: "JPY", totalMinor: 1_234 },
      { buyerId: b.id, sellerId: s.id, currency: "TND", totalMinor: 1_500 },
    ];
    const batched = [];
    const twins = [];
    for (const spec of specs) {
      batched.push((await order(db, spec)).id);
      twins.push((await order(db, spec)).id);
    }
    const earlier = (await order(db, { buyerId: b.id, sellerId: s.id })).id;
    const first = await settleOrder(deps, { orderId: earlier });
    const disputed = (await order(db, { buyerId: b.id, sellerId: s.id })).id;
    await openDispute(db, disputed);
    const cancelled = (await order(db, { buyerId: b.id, sellerId: s.id, status: "cancelled" })).id;
    const shipped = (await order(db, { buyerId: b.id, sellerId: s.id, status: "shipped" })).id;
    const noRule = (await order(db, { buyerId: b.id, sellerId: s.id, currency: "CHF" })).id;
    const unknown = "5b7e2a3c-8a4e-4f0b-9d7c-1e2f3a4b5c6d";

    const before = await moneyRowCounts(db);
    const { results } = await settleOrders(deps, { orderIds: [...batched, earlier, disputed, cancelled, shipped, noRule, unknown, "ORD-1", batched[0]!] });
    expect(statuses(results)).toEqual([
      ...batched.map(() => "settled"),
      "already_settled",
      "frozen",
      "not_delivered",
      "not_delivered",
      "no_rule",
      "not_found",
      "not_found",
      // The same order twice: settled once, then found settled.
      "already_settled",
    ]);
    expect(results[batched.length]).toEqual({ orderId: earlier, status: "already_settled", journalId: first.journalId });
    expect(results.at(-1)!.journalId).toBe(results[0]!.journalId);
    const noRuleItem = results.find((r) => r.orderId === noRule)!;
    expect(noRuleItem).toMatchObject({ journalId: null, error: { code: "CONFLICT", fieldErrors: { _form: ["commission.no_rule"] } } });
    expect(results.find((r) => r.orderId === unknown)!.error?.code).toBe("NOT_FOUND");
    // What settleOrder throws for the same orders.
    for (const [orderId, code] of [[noRule, "CONFLICT"], [unknown, "NOT_FOUND"]] as const) {
      const error = await settleOrder(deps, { orderId }).catch((e: unknown) => e);
      expect(isDomainError(error) && error.code).toBe(code);
    }

    // Only the settled ones wrote anything: a journal (3 entries, 2 for the TND order whose floor takes it all), ...
    const after = await moneyRowCounts(db);
    expect(after.journals - before.journals).toBe(batched.length);
    expect(after.settlements - before.settlements).toBe(batched.length);
    expect(after.order_events - before.order_events).toBe(batched.length);
    for (const id of [disputed, cancelled, shipped, noRule]) {
      expect(await db.selectFrom("settlements").select("order_id").where("order_id", "=", id).execute()).toEqual([]);
    }
    expect((await db.selectFrom("orders").select("status").where("id", "=", noRule).executeTakeFirstOrThrow()).status).toBe("delivered");

    // ... and exactly what settleOrder writes for the twin order.
    for (const twin of twins) expect((await settleOrder(deps, { orderId: twin })).status).toBe("settled");
    for (const [i, id] of batched.entries()) {
      const mine = await settledFacts(id);
      expect(mine.settlement, `order ${i}`).not.toBeNull();
      expect(mine, `order ${i}`).toEqual(await settledFacts(twins[i]!));
    }
    // The owners were told in their language (the French owner of the other seller in French).
    const french = await settledFacts(batched[2]!);
    expect(french.inApp).toHaveLength(1);
    expect(french.inApp[0]).toMatchObject({ user_id: other.owners[0]!.userId, locale: "fr" });
    expect(french.emails[0]).toMatchObject({ template: "order.settled", locale: "fr", params: { orderUrl: "http://seller.test/orders/ORDER-ID" } });
    expect((await settledFacts(batched[0]!)).inApp[0]!.body).toContain("Net to you: €110.85");
    expect(await ledgerProblems(db)).toEqual(NO_PROBLEMS);
  });

  test("an empty list, and only ids that do not settle: nothing written", async () => {
    expect(await settleOrders(deps, { orderIds: [] })).toEqual({ results: [] });
    const before = await moneyRowCounts(db);
    const { results } = await settleOrders(deps, { orderIds: [42, "5b7e2a3c-8a4e-4f0b-9d7c-1e2f3a4b5c6d"] });
    expect(statuses(results)).toEqual(["not_found", "not_found"]);
    expect(await moneyRowCounts(db)).toEqual(before);
  });

  test("a batch of N orders tells every owner of each order's seller, with one multi-row insert per table: N × owners e-mails and in-app notices", async () => {
    const b = await buyer(db);
    const [two, one] = [await moneySeller(db), await moneySeller(db)];
    // A second owner for the first seller (a fulfilment member is not told).
    const user = await db.insertInto("users").values({ email: `second.owner.${two.id}@example.test`, name: "Second owner", password_hash: "x", locale: "fr" }).returning("id").executeTakeFirstOrThrow();
    await db.insertInto("memberships").values({ organization_id: two.id, user_id: user.id, role: "owner" }).execute();
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) ids.push((await order(db, { buyerId: b.id, sellerId: (i < 4 ? two : one).id, totalMinor: 5_000 + i })).id);

    // Every INSERT the batch runs through this handle, by table (the journal's CTE is one raw statement).
    const inserts: string[] = [];
    const counted = db.withPlugin({
      transformQuery({ node }) {
        if (node.kind === "InsertQueryNode" && node.into) inserts.push(node.into.table.identifier.name);
        return node;
      },
      transformResult: async ({ result }) => result,
    });
    const before = await moneyRowCounts(db);
    const outboxBefore = await db.selectFrom("outbox").select((eb) => eb.fn.countAll<string>().as("n")).where("topic", "=", "notification.email").executeTakeFirstOrThrow();
    const { results } = await settleOrders({ db: counted, publicUrls: TEST_URLS }, { orderIds: ids });
    expect(statuses(results)).toEqual(ids.map(() => "settled"));

    const N = ids.length;
    const told = 4 * 2 + 3 * 1;
    const emails = await db
      .selectFrom("outbox")
      .select("payload")
      .where("topic", "=", "notification.email")
      .where(sql<boolean>`payload->>'template' = 'order.settled'`)
      .where(sql<boolean>`payload->>'organizationId' in (${two.id}, ${one.id})`)
      .execute();
    expect(emails).toHaveLength(told);
    const outboxAfter = await db.selectFrom("outbox").select((eb) => eb.fn.countAll<string>().as("n")).where("topic", "=", "notification.email").executeTakeFirstOrThrow();
    expect(Number(outboxAfter.n) - Number(outboxBefore.n)).toBe(told);
    const notices = await db.selectFrom("notifications").select(["user_id", "organization_id"]).where("template", "=", "order.settled").where("organization_id", "in", [two.id, one.id]).execute();
    expect(notices).toHaveLength(told);
    expect(notices.filter((n) => n.user_id === user.id)).toHaveLength(4);
    const after = await moneyRowCounts(db);
    expect(after.journals - before.journals).toBe(N);
    expect(inserts.filter((t) => t === "outbox")).toHaveLength(1);
    expect(inserts.filter((t) => t === "notifications")).toHaveLength(1);
  });

  test("concurrent overlapping batches and settleOrder calls, on new buyer/seller pairs: one journal per order, every account created once, the books balanced", async () => {
    const buyers = [await buyer(db), await buyer(db), await buyer(db)];
    const sellers = [await moneySeller(db), await moneySeller(db), await moneySeller(db), await moneySeller(db)];
    const ids: string[] = [];
    for (let i = 0; i < 60; i++) {
      const currency = i % 3 === 0 ? "JPY" : "EUR";
      ids.push((await order(db, { buyerId: buyers[i % 3]!.id, sellerId: sellers[i % 4]!.id, currency, totalMinor: 1_000 + i * 37 })).id);
    }
    // The orders in another order for each settler: rotated, every other one reversed.
    const shuffled = (k: number) => {
      const rotated = [...ids.slice(k), ...ids.slice(0, k)];
      return k % 2 === 0 ? rotated : rotated.reverse();
    };
    const workers = Array.from({ length: 5 }, () => createDb({ connectionString: url, max: 1 }));
    try {
      const runs = await Promise.all([
        // Four batches, each of 40 orders overlapping the others', given in their own order.
        ...[0, 1, 2, 3].map((k) => settleOrders({ db: workers[k]!, publicUrls: TEST_URLS }, { orderIds: shuffled(k * 13 + 3).slice(0, 40) }).then((r) => r.results)),
        // And every order settled alone, one after the other, beside them.
        (async () => {
          const alone: SettleOrdersItem[] = [];
          for (const orderId of shuffled(11)) alone.push(await settleOrder({ db: workers[4]!, publicUrls: TEST_URLS }, { orderId }));
          return alone;
        })(),
      ]);
      const all = runs.flat();
      for (const id of ids) {
        const mine = all.filter((r) => r.orderId === id);
        expect(mine.filter((r) => r.status === "settled"), id).toHaveLength(1);
        expect(mine.every((r) => r.status === "settled" || r.status === "already_settled")).toBe(true);
        expect(new Set(mine.map((r) => r.journalId)).size).toBe(1);
      }
    } finally {
      await Promise.all(workers.map((w) => w.destroy()));
    }
    const journals = await db.selectFrom("journals").select(["order_id"]).where("order_id", "in", ids).execute();
    expect(journals).toHaveLength(ids.length);
    expect(await db.selectFrom("order_events").select("id").where("order_id", "in", ids).execute()).toHaveLength(ids.length);
    const accounts = await db
      .selectFrom("ledger_accounts")
      .select(["kind", "organization_id", "counterparty_id", "currency"])
      .where("organization_id", "in", [...buyers, ...sellers].map((o) => o.id))
      .execute();
    // 3 buyers × 4 sellers receivables, in the currencies they traded in; one payable per seller and currency.
    expect(new Set(accounts.map((a) => JSON.stringify(a))).size).toBe(accounts.length);
    expect(accounts.filter((a) => a.kind === "seller_payable")).toHaveLength(8);
    expect(await ledgerProblems(db)).toEqual(NO_PROBLEMS);
  });
});

describe("createSettlementBatcher", () => {
  test("jobs arriving together are settled in batches, each with its own order's outcome; a duplicate job finds its order settled", async () => {
    const b = await buyer(db);
    const s = await moneySeller(db);
    const ids: string[] = [];
    for (let i = 0; i < 25; i++) ids.push((await order(db, { buyerId: b.id, sellerId: s.id, totalMinor: 5_000 + i })).id);
    const noRule = (await order(db, { buyerId: b.id, sellerId: s.id, currency: "CHF" })).id;
    const cancelled = (await order(db, { buyerId: b.id, sellerId: s.id, status: "cancelled" })).id;
    const reports: { orders: number; mode: string }[] = [];
    const batcher = createSettlementBatcher(deps, { maxBatch: 10, onBatch: (r) => reports.push(r) });

    const jobs = [...ids, ids[3]!, noRule, cancelled].map((orderId) => batcher.settle(orderId).then((result) => ({ ok: true as const, result }), (error: unknown) => ({ ok: false as const, error })));
    const outcomes = await Promise.all(jobs);
    for (const [i, id] of ids.entries()) {
      const outcome = outcomes[i]!;
      expect(outcome.ok && outcome.result.orderId).toBe(id);
    }
    const forThird = outcomes.filter((o, i) => i === 3 || i === ids.length).map((o) => (o.ok ? o.result.status : "error"));
    expect(forThird.sort()).toEqual(["already_settled", "settled"]);
    const refused = outcomes[ids.length + 1]!;
    expect(!refused.ok && isDomainError(refused.error) && refused.error.fieldErrors).toEqual({ _form: ["commission.no_rule"] });
    expect(outcomes[ids.length + 2]).toEqual({ ok: true, result: { orderId: cancelled, status: "not_delivered", journalId: null } });
    // The first job ran at once, alone; the others waited and went in batches of at most 10.
    expect(reports[0]).toMatchObject({ orders: 1, mode: "alone" });
    expect(reports.slice(1).every((r) => r.mode === "batch" && r.orders <= 10)).toBe(true);
    expect(reports.reduce((sum, r) => sum + r.orders, 0)).toBe(ids.length + 3);
    expect(await db.selectFrom("journals").select("id").where("order_id", "in", ids).execute()).toHaveLength(ids.length);
    expect(await ledgerProblems(db)).toEqual(NO_PROBLEMS);
  });

  test("a batch that fails as a whole before its commit (one order's database error): each order runs again alone, and only that order fails", async () => {
    const b = await buyer(db);
    const s = await moneySeller(db);
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) ids.push((await order(db, { buyerId: b.id, sellerId: s.id, totalMinor: 7_000 + i })).id);
    const poisoned = ids[4]!;
    // A database refusal no domain rule foresees, for one order only.
    await sql
      .raw(
        `create function refuse_poisoned() returns trigger language plpgsql as $$ begin
           if new.order_id = '${poisoned}' then raise exception 'poisoned order' using errcode = 'P0001'; end if; return new; end $$;
         create trigger refuse_poisoned before insert on order_events for each row execute function refuse_poisoned()`,
      )
      .execute(db);
    try {
      const reports: { orders: number; mode: string }[] = [];
      const batcher = createSettlementBatcher(deps, { onBatch: (r) => reports.push(r) });
      const settled = (await order(db, { buyerId: b.id, sellerId: s.id })).id;
      // A first job alone keeps the batcher busy while the others queue up behind it.
      const outcomes = await Promise.all([settled, ...ids].map((orderId) => batcher.settle(orderId).then((r) => r.status, (error: unknown) => (error instanceof Error ? error.message : String(error)))));
      expect(outcomes).toEqual(["settled", "settled", "settled", "settled", "settled", "poisoned order", "settled"]);
      expect(reports.map((r) => [r.orders, r.mode])).toEqual([
        [1, "alone"],
        [6, "retried_alone"],
      ]);
      expect(await db.selectFrom("settlements").select("order_id").where("order_id", "in", ids).execute()).toHaveLength(5);
    } finally {
      await sql.raw(`drop trigger refuse_poisoned on order_events; drop function refuse_poisoned()`).execute(db);
    }
    expect(await ledgerProblems(db)).toEqual(NO_PROBLEMS);
  });

  test("a COMMIT that failed without the server's answer may have committed: never run again alone (decision 0010); one the server refused did not", () => {
    const lost = Object.assign(new Error("Connection terminated unexpectedly"), {});
    expect(commitOutcomeUnknown(lost)).toBe(true);
    expect(commitOutcomeUnknown(Object.assign(new Error("terminating connection due to administrator command"), { code: "57P01" }))).toBe(true);
    expect(commitOutcomeUnknown(Object.assign(new Error("connection failure"), { code: "08006" }))).toBe(true);
    expect(commitOutcomeUnknown(Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" }))).toBe(true);
    expect(commitOutcomeUnknown(Object.assign(new Error("could not serialize access"), { code: "40001" }))).toBe(false);
    expect(commitOutcomeUnknown(Object.assign(new Error("journal does not balance"), { code: "23514" }))).toBe(false);
  });
});

describe("settleOverdueOrders", () => {
  async function deliveredAgo(db: Db, orderId: string, minutes: number) {
    await db
      .updateTable("orders")
      .set({ delivered_at: sql<Date>`now() - make_interval(mins => ${minutes})` })
      .where("id", "=", orderId)
      .execute();
  }

  test("settles the delivered orders nobody settled N minutes after delivery (a lost job), and leaves the recent, the disputed and those without a rule", async () => {
    // Orders of earlier tests are settled already, or have no rule (CHF) or are not delivered.
    const b = await buyer(db);
    const s = await moneySeller(db);
    const lost = [(await order(db, { buyerId: b.id, sellerId: s.id })).id, (await order(db, { buyerId: b.id, sellerId: s.id, currency: "JPY", totalMinor: 800 })).id];
    const recent = (await order(db, { buyerId: b.id, sellerId: s.id })).id;
    const disputed = (await order(db, { buyerId: b.id, sellerId: s.id })).id;
    await openDispute(db, disputed);
    const withoutRule = (await order(db, { buyerId: b.id, sellerId: s.id, currency: "USD" })).id;
    const settledAlready = (await order(db, { buyerId: b.id, sellerId: s.id })).id;
    await settleOrder(deps, { orderId: settledAlready });
    for (const id of [...lost, disputed, withoutRule, settledAlready]) await deliveredAgo(db, id, 90);
    await deliveredAgo(db, recent, 10);
    // Orders of the earlier tests left delivered and unsettled (CHF, no rule) are old enough too.
    await db.updateTable("orders").set({ delivered_at: sql<Date>`now() - interval '1 day'` }).where("currency", "=", "CHF").where("status", "=", "delivered").execute();
    const chf = (await db.selectFrom("orders").select("id").where("currency", "=", "CHF").where("status", "=", "delivered").execute()).map((o) => o.id);

    const swept = await settleOverdueOrders(deps, { olderThanMinutes: 60 });
    expect(swept.orderIds.sort()).toEqual([...lost].sort());
    expect(swept.unsettled.map((u) => [u.orderId, u.status]).sort()).toEqual([withoutRule, ...chf].map((id) => [id, "no_rule"]).sort());
    expect(await db.selectFrom("orders").select(["id", "status"]).where("id", "in", [recent, disputed, withoutRule]).orderBy("id").execute()).toEqual(
      [recent, disputed, withoutRule].sort().map((id) => ({ id, status: "delivered" })),
    );
    // The settle job, when it comes after all, finds the order settled.
    expect((await settleOrder(deps, { orderId: lost[0]! })).status).toBe("already_settled");
    // Once the rule exists, the next sweep settles the rest; a sweep with nothing to do does nothing.
    await commissionRule(db, { currency: "USD", rateBps: 500 });
    expect((await settleOverdueOrders(deps, { olderThanMinutes: 60 })).orderIds).toEqual([withoutRule]);
    const before = await moneyRowCounts(db);
    expect((await settleOverdueOrders(deps, { olderThanMinutes: 60, limit: 5 })).orderIds).toEqual([]);
    expect(await moneyRowCounts(db)).toEqual(before);
    expect(await ledgerProblems(db)).toEqual(NO_PROBLEMS);
  });

  test("refuses a negative age or limit", async () => {
    for (const input of [{ olderThanMinutes: -1 }, { olderThanMinutes: 5, limit: 0 }]) {
      await expect(settleOverdueOrders(deps, input)).rejects.toMatchObject({ code: "VALIDATION" });
    }
  });
});
