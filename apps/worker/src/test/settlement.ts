import type { Queues } from "@souk/jobs";
import { enqueueSettlement } from "@souk/services";
import type { TestDatabase } from "@souk/testing";

// The worker may not import @souk/db or kysely (DESIGN.md §3): the test database's handle gives both.
type Db = TestDatabase["db"];

/** The database clock, plus `ms`. */
export async function dbClock(db: Db, ms = 0): Promise<Date> {
  const row = await db.selectNoFrom((eb) => eb.fn<Date>("clock_timestamp", []).as("now")).executeTakeFirstOrThrow();
  return new Date(new Date(row.now).getTime() + ms);
}

const DAY_MS = 86_400_000;

/** Fixtures of the settlement tests: a market with a default commission rule, delivered orders, and the ledger's checks. */

let counter = 0;

export interface Market {
  buyerIds: string[];
  sellerIds: string[];
}

/**
 * Buyers and sellers (active, no members: no e-mail is written) and a live default commission rule
 * for `currency` (5 % + 0.30, floor 0.50, cap 250.00), unless one exists.
 */
export async function seedMarket(db: Db, options: { buyers?: number; sellers?: number; currency?: string } = {}): Promise<Market> {
  counter += 1;
  const currency = options.currency ?? "EUR";
  const org = async (kind: "buyer" | "seller", i: number) =>
    (await db.insertInto("organizations").values({ kind, name: `Settlement ${kind} ${counter}-${i}`, status: "active" }).returning("id").executeTakeFirstOrThrow()).id;
  const buyerIds: string[] = [];
  const sellerIds: string[] = [];
  for (let i = 0; i < (options.buyers ?? 2); i += 1) buyerIds.push(await org("buyer", i));
  for (let i = 0; i < (options.sellers ?? 3); i += 1) sellerIds.push(await org("seller", i));
  await db
    .insertInto("commission_rules")
    .values({ scope: "default", currency, rate_bps: 500, fixed_minor: "30", floor_minor: "50", cap_minor: "25000" })
    .onConflict((oc) => oc.doNothing())
    .execute();
  return { buyerIds, sellerIds };
}

export interface OrderSpec {
  status?: "delivered" | "shipped";
  /** For shipped orders: how long ago they shipped. */
  shippedDaysAgo?: number;
}

/**
 * Inserts `count` orders spread over the market's buyers and sellers with totals from 1.00 to
 * 9,999.99, as the lifecycle leaves them: delivered (with the `order.settle` outbox row money's
 * enqueueSettlement writes, in the same transaction, unless `enqueue` is false) or shipped.
 */
export async function insertOrders(db: Db, market: Market, count: number, options: OrderSpec & { enqueue?: boolean; currency?: string } = {}): Promise<string[]> {
  const status = options.status ?? "delivered";
  const now = await dbClock(db);
  const ids: string[] = [];
  for (let start = 0; start < count; start += 500) {
    const size = Math.min(500, count - start);
    await db.transaction().execute(async (trx) => {
      const rows = await trx
        .insertInto("orders")
        .values(
          Array.from({ length: size }, (_, k) => {
            const i = start + k;
            return {
              buyer_id: market.buyerIds[i % market.buyerIds.length]!,
              seller_id: market.sellerIds[(i * 7) % market.sellerIds.length]!,
              status,
              currency: options.currency ?? "EUR",
              total_minor: String(100 + ((i * 7_919 + 13) % 999_900)),
              accepted_at: new Date(now.getTime() - 20 * DAY_MS),
              shipped_at: new Date(now.getTime() - (status === "shipped" ? (options.shippedDaysAgo ?? 0) : 10) * DAY_MS),
              delivered_at: status === "delivered" ? now : null,
              delivery_confirmed_by: status === "delivered" ? ("buyer" as const) : null,
              updated_at: now,
            };
          }),
        )
        .returning("id")
        .execute();
      for (const row of rows) {
        if (status === "delivered" && options.enqueue !== false) await enqueueSettlement(trx, row.id);
        ids.push(row.id);
      }
    });
  }
  return ids;
}

export async function settledCount(db: Db, orderIds?: readonly string[]): Promise<number> {
  let query = db.selectFrom("settlements").select((eb) => eb.fn.countAll<string>().as("n"));
  if (orderIds) query = query.where("order_id", "in", [...orderIds]);
  return Number((await query.executeTakeFirstOrThrow()).n);
}

export interface LedgerReport {
  orders: number;
  /** Orders with status settled. */
  settledOrders: number;
  settlementRows: number;
  settlementJournals: number;
  /** Orders with more than one settlement journal, or more than one settlements row. */
  duplicated: number;
  /** Orders whose status (settled or not) disagrees with having exactly one journal and one settlements row. */
  mismatched: number;
  /** Journals whose entries do not sum to zero. */
  unbalancedJournals: number;
  /** Settlements where net + commission ≠ gross, or gross ≠ the order's total. */
  badSplits: number;
  /** Sum of every entry of the ledger, per currency (all zero when the trial balance holds). */
  trialBalance: Record<string, string>;
}

/** Reads the ledger back: the given orders' settlements (all orders when omitted), the whole ledger's balances. */
export async function ledgerReport(db: Db, orderIds?: readonly string[]): Promise<LedgerReport> {
  let orderQuery = db.selectFrom("orders").select(["id", "status", "total_minor"]);
  if (orderIds) orderQuery = orderQuery.where("id", "in", [...orderIds]);
  const orders = await orderQuery.execute();
  const journals = await db.selectFrom("journals").select("order_id").where("kind", "=", "settlement").where("order_id", "is not", null).execute();
  const settlements = await db.selectFrom("settlements").select(["order_id", "gross_minor", "net_minor", "commission_minor"]).execute();
  const journalCount = new Map<string, number>();
  for (const j of journals) journalCount.set(j.order_id!, (journalCount.get(j.order_id!) ?? 0) + 1);
  const settlementsOf = new Map<string, typeof settlements>();
  for (const st of settlements) settlementsOf.set(st.order_id, [...(settlementsOf.get(st.order_id) ?? []), st]);

  const report: LedgerReport = { orders: orders.length, settledOrders: 0, settlementRows: 0, settlementJournals: 0, duplicated: 0, mismatched: 0, unbalancedJournals: 0, badSplits: 0, trialBalance: {} };
  for (const order of orders) {
    const j = journalCount.get(order.id) ?? 0;
    const rows = settlementsOf.get(order.id) ?? [];
    if (order.status === "settled") report.settledOrders += 1;
    report.settlementJournals += j;
    report.settlementRows += rows.length;
    if (j > 1 || rows.length > 1) report.duplicated += 1;
    if ((order.status === "settled") !== (j === 1 && rows.length === 1)) report.mismatched += 1;
    for (const st of rows) {
      if (BigInt(st.net_minor) + BigInt(st.commission_minor) !== BigInt(st.gross_minor) || BigInt(st.gross_minor) !== BigInt(order.total_minor)) report.badSplits += 1;
    }
  }
  const unbalanced = await db
    .selectFrom("ledger_entries")
    .select("journal_id")
    .groupBy("journal_id")
    .having((eb) => eb.fn.sum("amount_minor"), "<>", 0)
    .execute();
  report.unbalancedJournals = unbalanced.length;
  const trial = await db
    .selectFrom("ledger_entries")
    .select((eb) => ["currency", eb.fn.sum<string>("amount_minor").as("total")])
    .groupBy("currency")
    .orderBy("currency")
    .execute();
  report.trialBalance = Object.fromEntries(trial.map((t) => [t.currency, String(t.total)]));
  return report;
}

/** What a correct ledger looks like after `n` orders were all settled. */
export function allSettledOnce(n: number): Partial<LedgerReport> {
  return { orders: n, settledOrders: n, settlementRows: n, settlementJournals: n, duplicated: 0, mismatched: 0, unbalancedJournals: 0, badSplits: 0 };
}

export function zeroTrialBalance(report: LedgerReport): boolean {
  return Object.values(report.trialBalance).every((total) => BigInt(total) === 0n);
}

export interface SettlementQueueCounts {
  waiting: number;
  active: number;
  delayed: number;
  completed: number;
  failed: number;
  /** Nothing waiting, running or delayed. */
  idle: boolean;
}

export async function settlementQueueCounts(queues: Queues): Promise<SettlementQueueCounts> {
  const c = await queues.byName.settlement.getJobCounts("waiting", "prioritized", "active", "delayed", "completed", "failed");
  const n = (key: string) => c[key] ?? 0;
  const counts = { waiting: n("waiting") + n("prioritized"), active: n("active"), delayed: n("delayed"), completed: n("completed"), failed: n("failed") };
  return { ...counts, idle: counts.waiting + counts.active + counts.delayed === 0 };
}
