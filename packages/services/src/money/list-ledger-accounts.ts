import { sql } from "kysely";
import { z } from "zod";
import { ACCOUNT_KINDS, isCurrency } from "@souk/domain";
import type { ActorDeps } from "../deps";
import { parseInput } from "../input";
import { offsetOf, optionalFilter, pageField, type Page } from "../list-input";
import { accountRows, accountView, type LedgerAccountView } from "./views";
import { assertOperatorCan, MONEY_PAGE_SIZE } from "./shared";

export const listLedgerAccountsSchema = z.object({
  kind: optionalFilter(z.enum(ACCOUNT_KINDS, { error: "ledger.filter.kind_invalid" })),
  currency: optionalFilter(z.string({ error: "ledger.filter.currency_invalid" }).trim().toUpperCase().refine(isCurrency, { error: "ledger.filter.currency_invalid" })),
  /** The buyer or seller an account belongs to. */
  organizationId: optionalFilter(z.string({ error: "ledger.filter.organization_invalid" }).trim().toLowerCase().pipe(z.uuid({ error: "ledger.filter.organization_invalid" }))),
  page: pageField("ledger.filter.page_invalid"),
});
export type ListLedgerAccountsInput = z.input<typeof listLedgerAccountsSchema>;

/** The ledger's accounts with their balances (operators with read:ledger:any), by kind, currency, then party. */
export async function listLedgerAccounts(deps: ActorDeps, input: unknown = {}): Promise<Page<LedgerAccountView>> {
  assertOperatorCan(deps.actor, "read:ledger:any");
  const filters = parseInput(listLedgerAccountsSchema, input);
  const base = deps.db
    .selectFrom("ledger_accounts as a")
    .$if(filters.kind !== undefined, (qb) => qb.where("a.kind", "=", filters.kind!))
    .$if(filters.currency !== undefined, (qb) => qb.where("a.currency", "=", filters.currency!))
    .$if(filters.organizationId !== undefined, (qb) => qb.where((eb) => eb.or([eb("a.organization_id", "=", filters.organizationId!), eb("a.counterparty_id", "=", filters.organizationId!)])));
  const { n } = await base.select(sql<string>`count(*)`.as("n")).executeTakeFirstOrThrow();
  const rows = await accountRows(deps.db)
    .$if(filters.kind !== undefined, (qb) => qb.where("a.kind", "=", filters.kind!))
    .$if(filters.currency !== undefined, (qb) => qb.where("a.currency", "=", filters.currency!))
    .$if(filters.organizationId !== undefined, (qb) => qb.where((eb) => eb.or([eb("a.organization_id", "=", filters.organizationId!), eb("a.counterparty_id", "=", filters.organizationId!)])))
    .orderBy(sql`array_position(array['buyer_receivable','seller_payable','commission_revenue','payouts_in_transit','cash'], a.kind)`)
    .orderBy("a.currency")
    .orderBy(sql`coalesce(o.name, '')`)
    .orderBy(sql`coalesce(cp.name, '')`)
    .orderBy("a.id")
    .limit(MONEY_PAGE_SIZE)
    .offset(offsetOf(filters.page, MONEY_PAGE_SIZE))
    .execute();
  return { items: rows.map(accountView), page: filters.page, pageSize: MONEY_PAGE_SIZE, total: Number(n) };
}
