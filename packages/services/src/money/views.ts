import { sql } from "kysely";
import type { Db, JournalKind, LedgerAccountKind, PayoutStatus } from "@souk/db";
import { DomainError } from "@souk/domain";
import { moneyOf, orderReference, payoutReference, type MoneyView } from "./shared";

/** Read models of the ledger and payouts, shared by the operator's and the seller's reads. */

export interface PartyRef {
  id: string;
  name: string;
}

export interface LedgerAccountView {
  id: string;
  kind: LedgerAccountKind;
  /** The buyer (receivable) or the seller (payable); null for the platform's accounts. */
  organization: PartyRef | null;
  /** The seller a buyer's receivable is towards; null otherwise. */
  counterparty: PartyRef | null;
  currency: string;
  /** Debits minus credits (a seller's payable is negative when the marketplace owes it money). */
  balance: MoneyView;
}

export interface JournalEntryView {
  account: Omit<LedgerAccountView, "balance" | "currency">;
  /** Debit positive, credit negative. */
  amount: MoneyView;
}

export interface JournalView {
  id: string;
  number: string;
  idempotencyKey: string;
  kind: JournalKind;
  order: { id: string; reference: string } | null;
  payout: { id: string; reference: string } | null;
  currency: string;
  memo: string;
  postedAt: string;
  entries: JournalEntryView[];
}

export interface PayoutView {
  id: string;
  reference: string;
  seller: PartyRef;
  amount: MoneyView;
  status: PayoutStatus;
  runId: string | null;
  provider: string;
  providerReference: string | null;
  failureReason: string | null;
  createdAt: string;
  decidedAt: string | null;
  /** Journals the payout batches (settlements, refunds, an earlier failed payout's reversal). */
  itemCount: number;
}

export interface StatementLine {
  journalId: string;
  journalNumber: string;
  kind: "settlement" | "refund" | "payout_failed";
  /** The order the journal settles or refunds; null for a failed payout's reversal. */
  order: { id: string; reference: string } | null;
  /** The order's buyer; null for a failed payout's reversal. */
  buyer: PartyRef | null;
  postedAt: string;
  /** What the buyer paid (negative for a refund). */
  gross: MoneyView;
  /** What the marketplace kept (negative for the share a refund gives back). */
  commission: MoneyView;
  /** What the line adds to the payout: gross − commission. */
  net: MoneyView;
  /** The failed payout whose amount came back (payout_failed lines only). */
  failedPayout: { id: string; reference: string } | null;
}

export interface PayoutStatement {
  payout: PayoutView;
  lines: StatementLine[];
  totals: { gross: MoneyView; commission: MoneyView; net: MoneyView };
}

/** Accounts with their parties' names and balances (filter and page at the call site). */
export function accountRows(db: Db) {
  return db
    .selectFrom("ledger_accounts as a")
    .leftJoin("organizations as o", "o.id", "a.organization_id")
    .leftJoin("organizations as cp", "cp.id", "a.counterparty_id")
    .select([
      "a.id",
      "a.kind",
      "a.currency",
      "a.organization_id",
      "o.name as organization_name",
      "a.counterparty_id",
      "cp.name as counterparty_name",
      (eb) => eb.selectFrom("ledger_entries as e").select(sql<string>`coalesce(sum(e.amount_minor), 0)::text`.as("s")).whereRef("e.account_id", "=", "a.id").as("balance"),
    ]);
}

type AccountRow = {
  id: string;
  kind: LedgerAccountKind;
  currency: string;
  organization_id: string | null;
  organization_name: string | null;
  counterparty_id: string | null;
  counterparty_name: string | null;
  balance?: string | null;
};

export function accountView(r: AccountRow): LedgerAccountView {
  return {
    id: r.id,
    kind: r.kind,
    organization: r.organization_id ? { id: r.organization_id, name: r.organization_name ?? "" } : null,
    counterparty: r.counterparty_id ? { id: r.counterparty_id, name: r.counterparty_name ?? "" } : null,
    currency: r.currency,
    balance: moneyOf(r.balance ?? "0", r.currency),
  };
}

/** Journals with their entries, in the order of `journalIds`. */
export async function journalViews(db: Db, journalIds: readonly string[]): Promise<JournalView[]> {
  if (journalIds.length === 0) return [];
  const journals = await db
    .selectFrom("journals as j")
    .leftJoin("orders as o", "o.id", "j.order_id")
    .leftJoin("payouts as p", "p.id", "j.payout_id")
    .select(["j.id", "j.number", "j.idempotency_key", "j.kind", "j.order_id", "o.number as order_number", "j.payout_id", "p.number as payout_number", "j.currency", "j.memo", "j.posted_at"])
    .where("j.id", "in", [...journalIds])
    .execute();
  const entries = await db
    .selectFrom("ledger_entries as e")
    .innerJoin("ledger_accounts as a", "a.id", "e.account_id")
    .leftJoin("organizations as o", "o.id", "a.organization_id")
    .leftJoin("organizations as cp", "cp.id", "a.counterparty_id")
    .select(["e.journal_id", "e.amount_minor", "e.currency", "a.id", "a.kind", "a.organization_id", "o.name as organization_name", "a.counterparty_id", "cp.name as counterparty_name"])
    .where("e.journal_id", "in", [...journalIds])
    .orderBy("e.id")
    .execute();
  const byJournal = new Map<string, JournalEntryView[]>();
  for (const e of entries) {
    const { balance: _balance, currency: _currency, ...account } = accountView({ ...e, balance: "0" });
    byJournal.set(e.journal_id, [...(byJournal.get(e.journal_id) ?? []), { account, amount: moneyOf(e.amount_minor, e.currency) }]);
  }
  const byId = new Map(
    journals.map((j) => [
      j.id,
      {
        id: j.id,
        number: j.number,
        idempotencyKey: j.idempotency_key,
        kind: j.kind,
        order: j.order_id && j.order_number ? { id: j.order_id, reference: orderReference(j.order_number) } : null,
        payout: j.payout_id && j.payout_number ? { id: j.payout_id, reference: payoutReference(j.payout_number) } : null,
        currency: j.currency,
        memo: j.memo,
        postedAt: j.posted_at.toISOString(),
        entries: byJournal.get(j.id) ?? [],
      } satisfies JournalView,
    ]),
  );
  return journalIds.map((id) => byId.get(id)).filter((j): j is JournalView => j !== undefined);
}

/** Payouts with their seller and item count (filter and page at the call site). */
export function payoutRows(db: Db) {
  return db
    .selectFrom("payouts as p")
    .innerJoin("organizations as s", "s.id", "p.seller_id")
    .select([
      "p.id",
      "p.number",
      "p.seller_id",
      "s.name as seller_name",
      "p.currency",
      "p.amount_minor",
      "p.status",
      "p.run_id",
      "p.provider",
      "p.provider_reference",
      "p.failure_reason",
      "p.created_at",
      "p.decided_at",
      (eb) => eb.selectFrom("payout_items as pi").select(sql<string>`count(*)::text`.as("n")).whereRef("pi.payout_id", "=", "p.id").as("item_count"),
    ]);
}

export function payoutView(r: {
  id: string;
  number: string;
  seller_id: string;
  seller_name: string;
  currency: string;
  amount_minor: string;
  status: PayoutStatus;
  run_id: string | null;
  provider: string;
  provider_reference: string | null;
  failure_reason: string | null;
  created_at: Date;
  decided_at: Date | null;
  item_count: string | null;
}): PayoutView {
  return {
    id: r.id,
    reference: payoutReference(r.number),
    seller: { id: r.seller_id, name: r.seller_name },
    amount: moneyOf(r.amount_minor, r.currency),
    status: r.status,
    runId: r.run_id,
    provider: r.provider,
    providerReference: r.provider_reference,
    failureReason: r.failure_reason,
    createdAt: r.created_at.toISOString(),
    decidedAt: r.decided_at?.toISOString() ?? null,
    itemCount: Number(r.item_count ?? 0),
  };
}

/**
 * The statement of a payout: one line per journal it batches (a settlement: the order's gross,
 * commission and net; a refund: the same, negative; a failed payout's reversal: its amount back),
 * oldest first, and the totals. The lines' nets add up to the payout's amount, or the ledger is
 * corrupt (INVARIANT).
 */
export async function payoutStatement(db: Db, payout: PayoutView): Promise<PayoutStatement> {
  const rows = await db
    .selectFrom("payout_items as pi")
    .innerJoin("journals as j", "j.id", "pi.journal_id")
    .leftJoin("orders as o", "o.id", "j.order_id")
    .leftJoin("organizations as b", "b.id", "o.buyer_id")
    .leftJoin("settlements as st", "st.journal_id", "j.id")
    .leftJoin("refunds as rf", "rf.journal_id", "j.id")
    .leftJoin("payouts as fp", (join) => join.onRef("fp.id", "=", "j.payout_id").on("j.kind", "=", "payout_failed"))
    .select([
      "j.id",
      "j.number",
      "j.kind",
      "j.posted_at",
      "j.order_id",
      "o.number as order_number",
      "b.id as buyer_id",
      "b.name as buyer_name",
      "pi.amount_minor as item_minor",
      "st.gross_minor",
      "st.commission_minor",
      "rf.amount_minor as refund_minor",
      "rf.commission_minor as refund_commission_minor",
      "fp.id as failed_payout_id",
      "fp.number as failed_payout_number",
    ])
    .where("pi.payout_id", "=", payout.id)
    .orderBy("j.number")
    .execute();
  const currency = payout.amount.currency;
  let gross = 0n;
  let commission = 0n;
  let net = 0n;
  const lines = rows.map((r): StatementLine => {
    let lineGross: bigint;
    let lineCommission: bigint;
    if (r.kind === "settlement" && r.gross_minor !== null && r.commission_minor !== null) {
      lineGross = BigInt(r.gross_minor);
      lineCommission = BigInt(r.commission_minor);
    } else if (r.kind === "refund" && r.refund_minor !== null && r.refund_commission_minor !== null) {
      lineGross = -BigInt(r.refund_minor);
      lineCommission = -BigInt(r.refund_commission_minor);
    } else if (r.kind === "payout_failed") {
      lineGross = BigInt(r.item_minor);
      lineCommission = 0n;
    } else {
      throw new DomainError("INVARIANT", `Payout ${payout.id} batches journal ${r.id} of kind ${r.kind} without its record`);
    }
    const lineNet = lineGross - lineCommission;
    if (lineNet !== BigInt(r.item_minor)) throw new DomainError("INVARIANT", `Payout ${payout.id}: journal ${r.id} nets ${lineNet}, its item says ${r.item_minor}`);
    gross += lineGross;
    commission += lineCommission;
    net += lineNet;
    return {
      journalId: r.id,
      journalNumber: r.number,
      kind: r.kind as StatementLine["kind"],
      order: r.order_id && r.order_number ? { id: r.order_id, reference: orderReference(r.order_number) } : null,
      buyer: r.buyer_id ? { id: r.buyer_id, name: r.buyer_name ?? "" } : null,
      postedAt: r.posted_at.toISOString(),
      gross: moneyOf(lineGross, currency),
      commission: moneyOf(lineCommission, currency),
      net: moneyOf(lineNet, currency),
      failedPayout: r.failed_payout_id && r.failed_payout_number ? { id: r.failed_payout_id, reference: payoutReference(r.failed_payout_number) } : null,
    };
  });
  if (net !== BigInt(payout.amount.amountMinor)) throw new DomainError("INVARIANT", `Payout ${payout.id} of ${payout.amount.amountMinor} batches ${net}`);
  return { payout, lines, totals: { gross: moneyOf(gross, currency), commission: moneyOf(commission, currency), net: moneyOf(net, currency) } };
}
