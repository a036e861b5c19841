import type { ActorDeps } from "../deps";
import { assertBuyerOrderReader, moneyOf, type MoneyView } from "./shared";

export interface BuyerBalance {
  seller: { id: string; name: string };
  currency: string;
  /** What the buyer owes that seller for settled orders, net of refunds. */
  owed: MoneyView;
}

/** What the buyer organisation owes per seller and currency, read from its receivable accounts (read:orders:org). */
export async function getBuyerBalances(deps: ActorDeps): Promise<BuyerBalance[]> {
  assertBuyerOrderReader(deps.actor);
  const rows = await deps.db
    .selectFrom("ledger_accounts as a")
    .innerJoin("organizations as s", "s.id", "a.counterparty_id")
    .innerJoin("ledger_entries as e", "e.account_id", "a.id")
    .select(["s.id", "s.name", "a.currency", (eb) => eb.fn.sum<string>("e.amount_minor").as("owed")])
    .where("a.kind", "=", "buyer_receivable")
    .where("a.organization_id", "=", deps.actor.organizationId)
    .groupBy(["s.id", "s.name", "a.currency"])
    .orderBy("s.name")
    .orderBy("s.id")
    .orderBy("a.currency")
    .execute();
  return rows.map((r) => ({ seller: { id: r.id, name: r.name }, currency: r.currency, owed: moneyOf(String(r.owed), r.currency) }));
}
