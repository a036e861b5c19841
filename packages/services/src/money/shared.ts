import { sql } from "kysely";
import type { Db } from "@souk/db";
import {
  accountKey,
  assertCan,
  DomainError,
  forbidden,
  isBalanced,
  isCurrency,
  money,
  toDecimalString,
  type AccountRef,
  type Actor,
  type Currency,
  type JournalEntryDraft,
  type JournalKind,
  type Money,
  type Permission,
} from "@souk/domain";
export { existingId } from "../input";
export { moneyOf, type MoneyView } from "../catalogue/pricing/money-view";
export { orderReference } from "../rfq/common";

/** Helpers of the money use cases (not exported from the package). */

export const MONEY_PAGE_SIZE = 25;

/** The payout's short reference, as pages, statements and e-mails show it: PAY-000042. */
export function payoutReference(number: string | number | bigint): string {
  return `PAY-${number.toString().padStart(6, "0")}`;
}

/** An operator holding `permission` (finance or admin for the money ones). */
export function assertOperatorCan(actor: Actor, permission: Permission): void {
  if (actor.organizationKind !== "operator") throw forbidden(`Missing permission ${permission}`);
  assertCan(actor, permission);
}

/** A member of a seller organisation who may read its money (owners: read:payouts:org). */
export function assertSellerMoneyReader(actor: Actor): void {
  if (actor.organizationKind !== "seller") throw forbidden("Missing permission read:payouts:org");
  assertCan(actor, "read:payouts:org");
}

/** A member of a buyer organisation who reads its orders (read:orders:org). */
export function assertBuyerOrderReader(actor: Actor): void {
  if (actor.organizationKind !== "buyer") throw forbidden("Missing permission read:orders:org");
  assertCan(actor, "read:orders:org");
}

/** A stored currency code (ledger, orders, carts, purchases) as a domain currency: a code the domain does not know is corrupt data. */
export function currencyOf(code: string): Currency {
  if (!isCurrency(code)) throw new DomainError("INVARIANT", `Unsupported stored currency: ${code}`);
  return code;
}

/** A stored bigint column (string) as Money. */
export function storedMoney(amountMinor: string | bigint, currency: string): Money {
  return money(BigInt(amountMinor), currencyOf(currency));
}

/** An exact decimal in major units ("12.50"; "1234" for JPY), for CSV and PDF cells. */
export function decimalOf(amountMinor: string | bigint, currency: string): string {
  return isCurrency(currency) ? toDecimalString(money(BigInt(amountMinor), currency)) : String(amountMinor);
}

/**
 * The ids of `accounts` in `currency`, created on first use: one INSERT ... ON CONFLICT DO NOTHING
 * for all of them, then one SELECT (the unique key treats null ids as equal). A concurrent
 * transaction creating the same account makes this INSERT wait for it, then skip; the SELECT (a
 * new statement) sees its row. The accounts are written in a fixed order (by key), so two
 * transactions creating the same accounts cannot deadlock.
 */
export async function ledgerAccountIds(db: Db, currency: Currency, accounts: readonly AccountRef[]): Promise<Map<string, string>> {
  const unique = [...new Map(accounts.map((a) => [accountKey(a), a])).entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, a]) => a);
  if (unique.length === 0) return new Map();
  await db
    .insertInto("ledger_accounts")
    .values(unique.map((a) => ({ kind: a.kind, organization_id: a.organizationId, counterparty_id: a.counterpartyId, currency })))
    .onConflict((oc) => oc.doNothing())
    .execute();
  const rows = await db
    .selectFrom("ledger_accounts")
    .select(["id", "kind", "organization_id", "counterparty_id"])
    .where("currency", "=", currency)
    .where((eb) =>
      eb.or(
        unique.map((a) =>
          eb.and([
            eb("kind", "=", a.kind),
            sql<boolean>`organization_id is not distinct from ${a.organizationId}::uuid`,
            sql<boolean>`counterparty_id is not distinct from ${a.counterpartyId}::uuid`,
          ]),
        ),
      ),
    )
    .execute();
  const ids = new Map(rows.map((r) => [accountKey({ kind: r.kind, organizationId: r.organization_id, counterpartyId: r.counterparty_id }), r.id]));
  for (const a of unique) {
    if (!ids.has(accountKey(a))) throw new DomainError("INVARIANT", `Ledger account ${accountKey(a)} ${currency} was not created`);
  }
  return ids;
}

export interface JournalDraft {
  /** Unique in the whole ledger: a second journal with the same key is refused by the database. */
  idempotencyKey: string;
  kind: JournalKind;
  orderId?: string | null;
  payoutId?: string | null;
  currency: Currency;
  memo?: string;
  postedBy?: string | null;
  /** From the domain's journal builders (settlementEntries, refundEntries, payoutEntries...). */
  entries: readonly JournalEntryDraft[];
}

export interface PostedJournal {
  id: string;
  number: string;
}

/**
 * Writes one journal and its entries. The entries are checked here (balanced, at least two, all in
 * the journal's currency) so a bug fails before the database's deferred trigger would refuse the
 * commit; the trigger stays the last word.
 */
export async function postJournal(db: Db, draft: JournalDraft): Promise<PostedJournal> {
  if (draft.entries.length < 2 || !isBalanced(draft.entries) || draft.entries.some((e) => e.currency !== draft.currency || e.amount === 0n)) {
    throw new DomainError("INVARIANT", `Journal ${draft.idempotencyKey} does not balance`);
  }
  const journal = await db
    .insertInto("journals")
    .values({
      idempotency_key: draft.idempotencyKey,
      kind: draft.kind,
      order_id: draft.orderId ?? null,
      payout_id: draft.payoutId ?? null,
      currency: draft.currency,
      memo: draft.memo ?? "",
      posted_by: draft.postedBy ?? null,
    })
    .returning(["id", "number"])
    .executeTakeFirstOrThrow();
  const accounts = await ledgerAccountIds(
    db,
    draft.currency,
    draft.entries.map((e) => e.account),
  );
  await db
    .insertInto("ledger_entries")
    .values(
      draft.entries.map((e) => ({
        journal_id: journal.id,
        account_id: accounts.get(accountKey(e.account))!,
        currency: draft.currency,
        amount_minor: e.amount,
      })),
    )
    .execute();
  return { id: journal.id, number: journal.number };
}

/**
 * Serialises everything that batches or releases one seller's payable (payout runs, held/released
 * payouts): a transaction-scoped advisory lock on the seller. Two payout runs at once take turns per
 * seller; the second finds the first's journals already in a payout.
 */
export async function lockSellerPayouts(db: Db, sellerId: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext(${`souk:payouts:${sellerId}`}))`.execute(db);
}

/**
 * The journals that moved a seller's payable and that no payout holds yet, with what each owes the
 * seller (its payable credit as a positive amount; a refund is negative). Payout journals themselves
 * are the batching, never batched. `disputed`: the journal's order is under an open dispute (a
 * payout run leaves it for later; the balance shows it as frozen).
 */
export async function unbatchedSellerJournals(
  db: Db,
  sellerId: string,
): Promise<{ journalId: string; currency: string; owedMinor: bigint; disputed: boolean; postedAt: Date }[]> {
  const rows = await db
    .selectFrom("ledger_entries as e")
    .innerJoin("ledger_accounts as a", "a.id", "e.account_id")
    .innerJoin("journals as j", "j.id", "e.journal_id")
    .where("a.kind", "=", "seller_payable")
    .where("a.organization_id", "=", sellerId)
    .where("j.kind", "<>", "payout")
    .where((eb) => eb.not(eb.exists(eb.selectFrom("payout_items as pi").select("pi.journal_id").whereRef("pi.journal_id", "=", "j.id"))))
    .select([
      "j.id",
      "j.currency",
      "j.posted_at",
      "j.number",
      sql<string>`sum(e.amount_minor)`.as("payable"),
      sql<boolean>`exists (select 1 from disputes d where d.order_id = j.order_id and d.status = 'open')`.as("disputed"),
    ])
    .groupBy(["j.id", "j.currency", "j.posted_at", "j.number"])
    .orderBy("j.number")
    .execute();
  return rows.map((r) => ({ journalId: r.id, currency: r.currency, owedMinor: -BigInt(r.payable), disputed: r.disputed, postedAt: r.posted_at }));
}

/** The 24-hour day count of a payout cycle (configuration): what a run is scheduled by. */
export const DEFAULT_PAYOUT_CYCLE_DAYS = 10;
