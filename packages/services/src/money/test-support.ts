import { sql } from "kysely";
import { withTransaction, type Db } from "@souk/db";
import type { ActorDeps } from "../deps";
import { actorDeps, TEST_URLS } from "../identity/test-support";
import { activeSeller, buyer, type BuyerFixture, type SellerWithMembers } from "../approvals/test-support";
import { operator } from "../vetting/test-support";
import { postRefund } from "./post-refund";
import { postSettlement } from "./settle-order";

/** Fixtures of the money tests (never exported from the package). */

export { activeSeller, buyer, operator, type BuyerFixture, type SellerWithMembers };

export interface MoneySeller extends SellerWithMembers {
  fulfilment: ActorDeps;
}

/** An active seller with owner, sales and fulfilment members, each as deps. */
export async function moneySeller(db: Db): Promise<MoneySeller> {
  const s = await activeSeller(db);
  return { ...s, fulfilment: actorDeps(db, { userId: s.fulfilmentUserId, organizationId: s.id, kind: "seller", role: "fulfilment" }) };
}

export async function categoryId(db: Db, slug: string): Promise<string> {
  return (await db.selectFrom("categories").select("id").where("slug", "=", slug).executeTakeFirstOrThrow()).id;
}

export interface RuleSpec {
  scope?: "default" | "category" | "seller";
  categoryId?: string | null;
  sellerId?: string | null;
  currency?: string;
  rateBps?: number;
  fixedMinor?: bigint | number;
  floorMinor?: bigint | number;
  capMinor?: bigint | number | null;
}

/** A live commission rule written straight in the table (a default EUR 10 % rule unless told otherwise). */
export async function commissionRule(db: Db, spec: RuleSpec = {}): Promise<string> {
  const row = await db
    .insertInto("commission_rules")
    .values({
      scope: spec.scope ?? "default",
      category_id: spec.categoryId ?? null,
      seller_id: spec.sellerId ?? null,
      currency: spec.currency ?? "EUR",
      rate_bps: spec.rateBps ?? 1000,
      fixed_minor: BigInt(spec.fixedMinor ?? 0),
      floor_minor: BigInt(spec.floorMinor ?? 0),
      cap_minor: spec.capMinor === undefined || spec.capMinor === null ? null : BigInt(spec.capMinor),
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

export interface OrderSpec {
  buyerId: string;
  sellerId: string;
  currency?: string;
  /** The order total; one line of that amount unless `lines` is given. */
  totalMinor?: bigint | number;
  /** Line totals (the order total is their sum), each with an optional listing. */
  lines?: { totalMinor: bigint | number; listingId?: string | null }[];
  status?: "placed" | "accepted" | "shipped" | "delivered" | "cancelled";
  categoryId?: string | null;
  rfqId?: string | null;
}

/**
 * An order written straight in the tables (orders + order_lines), delivered unless told otherwise:
 * the order lifecycle use cases are another context's.
 */
export async function order(db: Db, spec: OrderSpec): Promise<{ id: string; number: string }> {
  const lines = spec.lines ?? [{ totalMinor: spec.totalMinor ?? 10_000 }];
  const total = lines.reduce((s, l) => s + BigInt(l.totalMinor), 0n);
  const status = spec.status ?? "delivered";
  const row = await db
    .insertInto("orders")
    .values({
      buyer_id: spec.buyerId,
      seller_id: spec.sellerId,
      currency: spec.currency ?? "EUR",
      total_minor: total,
      status,
      category_id: spec.categoryId ?? null,
      rfq_id: spec.rfqId ?? null,
      delivered_at: status === "delivered" ? sql<Date>`now()` : null,
      delivery_confirmed_by: status === "delivered" ? "buyer" : null,
    })
    .returning(["id", "number"])
    .executeTakeFirstOrThrow();
  for (const [position, line] of lines.entries()) {
    await db
      .insertInto("order_lines")
      .values({
        order_id: row.id,
        seller_id: spec.sellerId,
        position,
        listing_id: line.listingId ?? null,
        description: `Line ${position + 1}`,
        unit: "box",
        quantity: 1,
        unit_price_minor: BigInt(line.totalMinor),
        line_total_minor: BigInt(line.totalMinor),
      })
      .execute();
  }
  return row;
}

/** A listing of the seller in a category, for orders whose category comes from their lines. */
export async function listing(db: Db, sellerId: string, categorySlug: string): Promise<string> {
  const row = await db
    .insertInto("listings")
    .values({
      seller_id: sellerId,
      sku: `SKU-${Math.random().toString(36).slice(2, 10)}`,
      title: "Listing",
      category_id: await categoryId(db, categorySlug),
      unit: "box",
      currency: "EUR",
      list_price_minor: 100n,
      attributes: "{}",
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

/** An open dispute on an order, written straight in the table. */
export async function openDispute(db: Db, orderId: string): Promise<string> {
  const o = await db.selectFrom("orders").select(["buyer_id", "seller_id"]).where("id", "=", orderId).executeTakeFirstOrThrow();
  const row = await db
    .insertInto("disputes")
    .values({ order_id: orderId, buyer_id: o.buyer_id, seller_id: o.seller_id, reason: "Damaged goods" })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

/**
 * What the orders context's resolveDispute does with money, in one transaction: the dispute is
 * resolved, the order settled if it was frozen before settling, then the refund (if any) posted.
 */
export async function resolveDispute(db: Db, disputeId: string, resolution: "release" | "partial_refund" | "full_refund", refundMinor = 0n): Promise<void> {
  await withTransaction(db, async (trx) => {
    const dispute = await trx.selectFrom("disputes").select(["id", "order_id"]).where("id", "=", disputeId).forUpdate().executeTakeFirstOrThrow();
    await trx
      .updateTable("disputes")
      .set({ status: "resolved", resolution, refund_minor: refundMinor, resolved_at: sql<Date>`now()` })
      .where("id", "=", dispute.id)
      .execute();
    await postSettlement(trx, dispute.order_id, { publicUrls: TEST_URLS });
    if (resolution === "release") return;
    let amount = refundMinor;
    if (resolution === "full_refund") {
      const s = await trx.selectFrom("settlements").select(["gross_minor", "refunded_minor"]).where("order_id", "=", dispute.order_id).executeTakeFirstOrThrow();
      amount = BigInt(s.gross_minor) - BigInt(s.refunded_minor);
    }
    if (amount > 0n) await postRefund(trx, { orderId: dispute.order_id, disputeId: dispute.id, amountMinor: amount, actorUserId: null });
  });
}

/** A payout run row, as schedulePayoutRun or requestPayoutRun would write it (without the job). */
export async function payoutRun(db: Db): Promise<string> {
  return (await db.insertInto("payout_runs").values({ trigger: "operator" }).returning("id").executeTakeFirstOrThrow()).id;
}

export interface LedgerProblems {
  /** Journals whose entries do not sum to zero in their currency (or carry another currency). */
  unbalancedJournals: string[];
  /** Currencies whose whole ledger does not sum to zero. */
  unbalancedCurrencies: string[];
  /** Orders with more than one settlement journal. */
  doubleSettlements: string[];
  /** Settlements whose net + commission ≠ gross, or whose gross ≠ the order total. */
  badSettlements: string[];
  /** Settlements whose journal does not post exactly gross / net / commission. */
  settlementJournalMismatches: string[];
}

/** Everything "Must hold" says about the books, read straight from the tables. */
export async function ledgerProblems(db: Db): Promise<LedgerProblems> {
  const unbalanced = await sql<{ id: string }>`
    select j.id from journals j left join ledger_entries e on e.journal_id = j.id
    group by j.id having coalesce(sum(e.amount_minor), 0) <> 0 or count(e.id) < 2 or bool_or(e.currency <> j.currency)`.execute(db);
  const currencies = await sql<{ currency: string }>`select currency from ledger_entries group by currency having sum(amount_minor) <> 0`.execute(db);
  const doubles = await sql<{ order_id: string }>`select order_id from journals where kind = 'settlement' group by order_id having count(*) > 1`.execute(db);
  const bad = await sql<{ order_id: string }>`
    select s.order_id from settlements s join orders o on o.id = s.order_id
    where s.net_minor + s.commission_minor <> s.gross_minor or s.gross_minor <> o.total_minor or s.currency <> o.currency`.execute(db);
  const mismatches = await sql<{ order_id: string }>`
    select s.order_id from settlements s
    where (select coalesce(sum(e.amount_minor), 0) from ledger_entries e join ledger_accounts a on a.id = e.account_id
            where e.journal_id = s.journal_id and a.kind = 'buyer_receivable') <> s.gross_minor
       or (select coalesce(-sum(e.amount_minor), 0) from ledger_entries e join ledger_accounts a on a.id = e.account_id
            where e.journal_id = s.journal_id and a.kind = 'seller_payable') <> s.net_minor
       or (select coalesce(-sum(e.amount_minor), 0) from ledger_entries e join ledger_accounts a on a.id = e.account_id
            where e.journal_id = s.journal_id and a.kind = 'commission_revenue') <> s.commission_minor`.execute(db);
  return {
    unbalancedJournals: unbalanced.rows.map((r) => r.id),
    unbalancedCurrencies: currencies.rows.map((r) => r.currency),
    doubleSettlements: doubles.rows.map((r) => r.order_id),
    badSettlements: bad.rows.map((r) => r.order_id),
    settlementJournalMismatches: mismatches.rows.map((r) => r.order_id),
  };
}

export const NO_PROBLEMS: LedgerProblems = { unbalancedJournals: [], unbalancedCurrencies: [], doubleSettlements: [], badSettlements: [], settlementJournalMismatches: [] };

/** What the ledger says the marketplace owes a seller per currency (minus its payable balance). */
export async function sellerPayable(db: Db, sellerId: string): Promise<Record<string, bigint>> {
  const rows = await db
    .selectFrom("ledger_entries as e")
    .innerJoin("ledger_accounts as a", "a.id", "e.account_id")
    .select(["a.currency", (eb) => eb.fn.sum<string>("e.amount_minor").as("balance")])
    .where("a.kind", "=", "seller_payable")
    .where("a.organization_id", "=", sellerId)
    .groupBy("a.currency")
    .execute();
  return Object.fromEntries(rows.map((r) => [r.currency, -BigInt(r.balance)]).filter(([, v]) => v !== 0n));
}

const COUNTED = ["journals", "ledger_entries", "ledger_accounts", "settlements", "refunds", "payouts", "payout_items", "payout_runs", "commission_rules", "order_events", "audit_log", "outbox", "notifications"] as const;
export type MoneyCounts = Record<(typeof COUNTED)[number], number>;

/** Row counts of every table a money use case writes, to show a refused one wrote nothing. */
export async function moneyRowCounts(db: Db): Promise<MoneyCounts> {
  const counts = {} as MoneyCounts;
  for (const table of COUNTED) {
    const { n } = await db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<string>().as("n"))
      .executeTakeFirstOrThrow();
    counts[table] = Number(n);
  }
  return counts;
}

/** The entries of a journal as [account kind, organization id, amount] (debit positive). */
export async function entriesOf(db: Db, journalId: string): Promise<[string, string | null, bigint][]> {
  const rows = await db
    .selectFrom("ledger_entries as e")
    .innerJoin("ledger_accounts as a", "a.id", "e.account_id")
    .select(["a.kind", "a.organization_id", "e.amount_minor"])
    .where("e.journal_id", "=", journalId)
    .orderBy("e.id")
    .execute();
  return rows.map((r) => [r.kind, r.organization_id, BigInt(r.amount_minor)]);
}
