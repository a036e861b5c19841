import { sql } from "kysely";
import { ACCOUNT_KINDS, type AccountKind } from "@souk/domain";
import type { ActorDeps } from "../deps";
import { assertOperatorCan, moneyOf, type MoneyView } from "./shared";

export interface TrialBalanceCurrency {
  currency: string;
  /** Sum of every debit (positive entry). */
  debits: MoneyView;
  /** Sum of every credit (negative entry), as a positive amount. */
  credits: MoneyView;
  /** debits − credits: zero for a sound ledger. */
  balance: MoneyView;
  /** Balance per kind of account (every kind, zero included), in ACCOUNT_KINDS order. */
  kinds: { kind: AccountKind; balance: MoneyView; accounts: number }[];
}

export interface TrialBalanceView {
  /** Every currency balances. */
  balanced: boolean;
  currencies: TrialBalanceCurrency[];
}

/**
 * The trial balance of the whole ledger per currency (operators with read:ledger:any): debits,
 * credits, and the balance of each kind of account. Aggregated by PostgreSQL: the ledger grows with
 * every order, the page must not load it.
 */
export async function getTrialBalance(deps: ActorDeps): Promise<TrialBalanceView> {
  assertOperatorCan(deps.actor, "read:ledger:any");
  const totals = await deps.db
    .selectFrom("ledger_entries")
    .select([
      "currency",
      sql<string>`coalesce(sum(amount_minor) filter (where amount_minor > 0), 0)::text`.as("debits"),
      sql<string>`coalesce(-sum(amount_minor) filter (where amount_minor < 0), 0)::text`.as("credits"),
    ])
    .groupBy("currency")
    .orderBy("currency")
    .execute();
  const kinds = await deps.db
    .selectFrom("ledger_accounts as a")
    .leftJoin("ledger_entries as e", "e.account_id", "a.id")
    .select(["a.currency", "a.kind", sql<string>`coalesce(sum(e.amount_minor), 0)::text`.as("balance"), sql<string>`count(distinct a.id)::text`.as("accounts")])
    .groupBy(["a.currency", "a.kind"])
    .execute();
  const currencies = totals.map((t): TrialBalanceCurrency => {
    const debits = BigInt(t.debits);
    const credits = BigInt(t.credits);
    return {
      currency: t.currency,
      debits: moneyOf(debits, t.currency),
      credits: moneyOf(credits, t.currency),
      balance: moneyOf(debits - credits, t.currency),
      kinds: ACCOUNT_KINDS.map((kind) => {
        const row = kinds.find((k) => k.currency === t.currency && k.kind === kind);
        return { kind, balance: moneyOf(row?.balance ?? "0", t.currency), accounts: Number(row?.accounts ?? 0) };
      }),
    };
  });
  return { balanced: currencies.every((c) => c.balance.amountMinor === "0"), currencies };
}
