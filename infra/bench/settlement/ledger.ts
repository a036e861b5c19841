import { sql, type Kysely } from "kysely";
import type { Database } from "@souk/db";

/** The ledger read back after the run: every figure that must be zero, and the totals they are judged against. */
export interface LedgerCheck {
  orders: number;
  settledOrders: number;
  settlementRows: number;
  settlementJournals: number;
  /** Orders with more than one settlement journal or settlements row. */
  duplicated: number;
  /** Settled orders missing their journal or settlements row, or the other way round. */
  mismatched: number;
  unbalancedJournals: number;
  /** Settlements whose net + commission is not the gross, or whose gross is not the order's total. */
  badSplits: number;
  /** Sum of all entries per currency (the trial balance: zero when the ledger holds). */
  trialBalance: { currency: string; debits: bigint; credits: bigint; sum: bigint }[];
  /** Receivables, payables and revenue against the settlements' gross, net and commission (all zero). */
  accountDrift: bigint;
  gross: bigint;
  commission: bigint;
}

export async function checkLedger(db: Kysely<Database>): Promise<LedgerCheck> {
  const { rows } = await sql<{
    orders: string;
    settled_orders: string;
    settlement_rows: string;
    settlement_journals: string;
    duplicated: string;
    mismatched: string;
    bad_splits: string;
    gross: string;
    commission: string;
    account_drift: string;
  }>`
    with j as (select order_id, count(*) as n from journals where kind = 'settlement' group by order_id),
         s as (select order_id, count(*) as n from settlements group by order_id),
         per_kind as (
           select a.kind, sum(e.amount_minor) as total
           from ledger_entries e join ledger_accounts a on a.id = e.account_id join journals jj on jj.id = e.journal_id
           where jj.kind = 'settlement' group by a.kind)
    select
      (select count(*) from orders) as orders,
      (select count(*) from orders where status = 'settled') as settled_orders,
      (select count(*) from settlements) as settlement_rows,
      (select count(*) from journals where kind = 'settlement') as settlement_journals,
      (select count(*) from orders o left join j on j.order_id = o.id left join s on s.order_id = o.id where coalesce(j.n, 0) > 1 or coalesce(s.n, 0) > 1) as duplicated,
      (select count(*) from orders o left join j on j.order_id = o.id left join s on s.order_id = o.id
        where (o.status = 'settled') <> (coalesce(j.n, 0) = 1 and coalesce(s.n, 0) = 1)) as mismatched,
      (select count(*) from settlements st join orders o on o.id = st.order_id
        where st.net_minor + st.commission_minor <> st.gross_minor or st.gross_minor <> o.total_minor) as bad_splits,
      (select coalesce(sum(gross_minor), 0) from settlements)::text as gross,
      (select coalesce(sum(commission_minor), 0) from settlements)::text as commission,
      (abs(coalesce((select total from per_kind where kind = 'buyer_receivable'), 0) - (select coalesce(sum(gross_minor), 0) from settlements))
       + abs(coalesce((select total from per_kind where kind = 'seller_payable'), 0) + (select coalesce(sum(net_minor), 0) from settlements))
       + abs(coalesce((select total from per_kind where kind = 'commission_revenue'), 0) + (select coalesce(sum(commission_minor), 0) from settlements)))::text as account_drift
  `.execute(db);
  const unbalanced = await sql<{ n: string }>`select count(*) as n from (select journal_id from ledger_entries group by journal_id having sum(amount_minor) <> 0) x`.execute(db);
  const trial = await sql<{ currency: string; debits: string; credits: string; total: string }>`
    select currency,
      coalesce(sum(amount_minor) filter (where amount_minor > 0), 0)::text as debits,
      coalesce(-sum(amount_minor) filter (where amount_minor < 0), 0)::text as credits,
      sum(amount_minor)::text as total
    from ledger_entries group by currency order by currency`.execute(db);
  const r = rows[0]!;
  return {
    orders: Number(r.orders),
    settledOrders: Number(r.settled_orders),
    settlementRows: Number(r.settlement_rows),
    settlementJournals: Number(r.settlement_journals),
    duplicated: Number(r.duplicated),
    mismatched: Number(r.mismatched),
    unbalancedJournals: Number(unbalanced.rows[0]!.n),
    badSplits: Number(r.bad_splits),
    trialBalance: trial.rows.map((t) => ({ currency: t.currency, debits: BigInt(t.debits), credits: BigInt(t.credits), sum: BigInt(t.total) })),
    accountDrift: BigInt(r.account_drift),
    gross: BigInt(r.gross),
    commission: BigInt(r.commission),
  };
}

/** Every must-be-zero figure is zero and every order is settled once. */
export function ledgerHolds(check: LedgerCheck): boolean {
  return (
    check.settledOrders === check.orders &&
    check.settlementRows === check.orders &&
    check.settlementJournals === check.orders &&
    check.duplicated === 0 &&
    check.mismatched === 0 &&
    check.unbalancedJournals === 0 &&
    check.badSplits === 0 &&
    check.accountDrift === 0n &&
    check.trialBalance.every((t) => t.sum === 0n)
  );
}
