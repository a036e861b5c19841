/**
 * Double-entry ledger maths: the entries each kind of journal posts, refund splits and balances.
 * Nothing here touches the database: services turn these drafts into `ledger_entries` rows of one
 * journal (whose deferred trigger refuses any journal that does not sum to zero).
 *
 * SIGNS. An entry's amount is in minor units, debit positive, credit negative. The accounts:
 * - buyer_receivable  (organization = buyer, counterparty = seller): what the buyer owes for that
 *   seller's orders; an asset, normally a debit balance.
 * - seller_payable    (organization = seller): what the marketplace owes the seller; a liability,
 *   normally a credit balance (the seller's balance is minus its balance here).
 * - commission_revenue, payouts_in_transit, cash (the platform's: both ids null).
 *
 * JOURNALS.
 *   settlement:     Dr buyer_receivable gross; Cr seller_payable net; Cr commission_revenue commission
 *   refund:         the mirror image for the refunded amount and its commission share (refundSplit)
 *   payout:         Dr seller_payable amount; Cr payouts_in_transit amount
 *   payout_paid:    Dr payouts_in_transit amount; Cr cash amount
 *   payout_failed:  Dr payouts_in_transit amount; Cr seller_payable amount (the money is the
 *                   seller's again and goes out with a later payout)
 * Zero-amount entries are left out (ledger_entries refuses them), so a journal may have two lines.
 *
 * REFUND ROUNDING (the cumulative proportional rule). With G the order's gross, C its commission,
 * S what was refunded before and r this refund:
 *
 *   commissionRefundedAfter = roundHalfUp(C × (S + r) / G)
 *   this refund's commission share = commissionRefundedAfter − commissionRefundedSoFar
 *   this refund's net share        = r − commission share
 *
 * Rounding the running total rather than each refund means the shares never drift: any sequence
 * of partial refunds gives back exactly what one refund of their sum would, and refunds adding up
 * to G give back exactly C of commission and exactly G − C of net. Each share is between 0 and r
 * because C ≤ G. `commissionRefundedSoFar` must be what this rule gave for S (it is, when every
 * refund went through here): anything else is corrupt data → INVARIANT.
 */
import { divideRoundHalfUp } from "./commission";
import { DomainError, validationError } from "./errors";
import { money, subtract, type Currency, type Money } from "./money";

export const ACCOUNT_KINDS = ["buyer_receivable", "seller_payable", "commission_revenue", "payouts_in_transit", "cash"] as const;
export type AccountKind = (typeof ACCOUNT_KINDS)[number];

export const JOURNAL_KINDS = ["settlement", "refund", "payout", "payout_paid", "payout_failed"] as const;
export type JournalKind = (typeof JOURNAL_KINDS)[number];

/** An account, without its currency (the journal's). */
export interface AccountRef {
  readonly kind: AccountKind;
  readonly organizationId: string | null;
  readonly counterpartyId: string | null;
}

export interface JournalEntryDraft {
  readonly account: AccountRef;
  /** Minor units: debit positive, credit negative, never zero. */
  readonly amount: bigint;
  /** Always the journal's currency. */
  readonly currency: Currency;
}

export function isAccountKind(value: unknown): value is AccountKind {
  return typeof value === "string" && (ACCOUNT_KINDS as readonly string[]).includes(value);
}

export function isJournalKind(value: unknown): value is JournalKind {
  return typeof value === "string" && (JOURNAL_KINDS as readonly string[]).includes(value);
}

export function buyerReceivableAccount(buyerId: string, sellerId: string): AccountRef {
  return { kind: "buyer_receivable", organizationId: buyerId, counterpartyId: sellerId };
}

export function sellerPayableAccount(sellerId: string): AccountRef {
  return { kind: "seller_payable", organizationId: sellerId, counterpartyId: null };
}

export const COMMISSION_REVENUE_ACCOUNT: AccountRef = Object.freeze({ kind: "commission_revenue", organizationId: null, counterpartyId: null });
export const PAYOUTS_IN_TRANSIT_ACCOUNT: AccountRef = Object.freeze({ kind: "payouts_in_transit", organizationId: null, counterpartyId: null });
export const CASH_ACCOUNT: AccountRef = Object.freeze({ kind: "cash", organizationId: null, counterpartyId: null });

/** A stable string for an account, for maps and sorting (same account ⇔ same key). */
export function accountKey(account: AccountRef): string {
  return JSON.stringify([account.kind, account.organizationId, account.counterpartyId]);
}

function entries(currency: Currency, lines: readonly (readonly [AccountRef, bigint])[]): JournalEntryDraft[] {
  return lines.filter(([, amount]) => amount !== 0n).map(([account, amount]) => ({ account, amount, currency }));
}

function sameCurrency(a: Money, b: Money, what: string): Currency {
  if (a.currency !== b.currency) throw new DomainError("INVARIANT", `${what}: currency mismatch ${a.currency} / ${b.currency}`);
  return a.currency;
}

/** 0 ≤ part ≤ whole, same currency; else INVARIANT (the callers computed them, users did not). */
function assertPart(whole: Money, part: Money, what: string): Currency {
  const currency = sameCurrency(whole, part, what);
  if (whole.amount < 0n || part.amount < 0n || part.amount > whole.amount) {
    throw new DomainError("INVARIANT", `${what}: expected 0 ≤ ${part.amount} ≤ ${whole.amount}`);
  }
  return currency;
}

function assertPositive(amount: Money, what: string): void {
  if (amount.amount <= 0n) throw new DomainError("INVARIANT", `${what} must be positive, got ${amount.amount}`);
}

export interface SettlementInput {
  readonly buyerId: string;
  readonly sellerId: string;
  /** The order total. */
  readonly gross: Money;
  /** computeCommission(rule, gross): 0 ≤ commission ≤ gross. */
  readonly commission: Money;
}

/** Dr buyer receivable gross; Cr seller payable gross − commission; Cr commission revenue commission. */
export function settlementEntries(input: SettlementInput): JournalEntryDraft[] {
  const currency = assertPart(input.gross, input.commission, "settlement");
  const net = subtract(input.gross, input.commission).amount;
  return entries(currency, [
    [buyerReceivableAccount(input.buyerId, input.sellerId), input.gross.amount],
    [sellerPayableAccount(input.sellerId), -net],
    [COMMISSION_REVENUE_ACCOUNT, -input.commission.amount],
  ]);
}

export interface RefundInput {
  readonly buyerId: string;
  readonly sellerId: string;
  /** The amount refunded to the buyer (> 0). */
  readonly refund: Money;
  /** This refund's commission share (refundSplit): 0 ≤ commission ≤ refund. */
  readonly commission: Money;
}

/** Cr buyer receivable refund; Dr seller payable refund − commission; Dr commission revenue commission. */
export function refundEntries(input: RefundInput): JournalEntryDraft[] {
  assertPositive(input.refund, "A refund");
  const currency = assertPart(input.refund, input.commission, "refund");
  const net = subtract(input.refund, input.commission).amount;
  return entries(currency, [
    [buyerReceivableAccount(input.buyerId, input.sellerId), -input.refund.amount],
    [sellerPayableAccount(input.sellerId), net],
    [COMMISSION_REVENUE_ACCOUNT, input.commission.amount],
  ]);
}

/** Dr seller payable; Cr payouts in transit (amount > 0). */
export function payoutEntries(sellerId: string, amount: Money): JournalEntryDraft[] {
  assertPositive(amount, "A payout");
  return entries(amount.currency, [
    [sellerPayableAccount(sellerId), amount.amount],
    [PAYOUTS_IN_TRANSIT_ACCOUNT, -amount.amount],
  ]);
}

/** The payout reached the seller: Dr payouts in transit; Cr cash (amount > 0). */
export function payoutPaidEntries(amount: Money): JournalEntryDraft[] {
  assertPositive(amount, "A payout");
  return entries(amount.currency, [
    [PAYOUTS_IN_TRANSIT_ACCOUNT, amount.amount],
    [CASH_ACCOUNT, -amount.amount],
  ]);
}

/** The payout failed: Dr payouts in transit; Cr seller payable (amount > 0): the reverse of payoutEntries. */
export function payoutFailedEntries(sellerId: string, amount: Money): JournalEntryDraft[] {
  assertPositive(amount, "A payout");
  return entries(amount.currency, [
    [PAYOUTS_IN_TRANSIT_ACCOUNT, amount.amount],
    [sellerPayableAccount(sellerId), -amount.amount],
  ]);
}

/** The sum of the entries per currency, sorted by currency code; currencies with no entry are absent. */
export function sumByCurrency(list: readonly Pick<JournalEntryDraft, "amount" | "currency">[]): Money[] {
  const sums = new Map<Currency, bigint>();
  for (const e of list) sums.set(e.currency, (sums.get(e.currency) ?? 0n) + e.amount);
  return [...sums]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([currency, amount]) => money(amount, currency));
}

/** Every currency sums to zero (an empty list is balanced). */
export function isBalanced(list: readonly Pick<JournalEntryDraft, "amount" | "currency">[]): boolean {
  return sumByCurrency(list).every((m) => m.amount === 0n);
}

export interface AccountBalance {
  readonly account: AccountRef;
  /** Debits minus credits. */
  readonly balance: bigint;
}

export interface TrialBalance {
  readonly currency: Currency;
  /** Sum of the positive entries. */
  readonly debits: bigint;
  /** Sum of the negative entries, as a positive number. */
  readonly credits: bigint;
  /** debits − credits: zero for a sound ledger. */
  readonly balance: bigint;
  /** Each account's balance, zero balances included, sorted by kind (ACCOUNT_KINDS order) then ids. */
  readonly accounts: readonly AccountBalance[];
}

/** The trial balance per currency (sorted by currency code) of any set of entries. */
export function trialBalance(list: readonly JournalEntryDraft[]): TrialBalance[] {
  const byCurrency = new Map<Currency, { debits: bigint; credits: bigint; accounts: Map<string, { account: AccountRef; balance: bigint }> }>();
  for (const e of list) {
    let t = byCurrency.get(e.currency);
    if (!t) byCurrency.set(e.currency, (t = { debits: 0n, credits: 0n, accounts: new Map() }));
    if (e.amount > 0n) t.debits += e.amount;
    else t.credits -= e.amount;
    const key = accountKey(e.account);
    const a = t.accounts.get(key) ?? { account: e.account, balance: 0n };
    a.balance += e.amount;
    t.accounts.set(key, a);
  }
  const compareNullable = (a: string | null, b: string | null) => (a === b ? 0 : a === null ? -1 : b === null ? 1 : a < b ? -1 : 1);
  return [...byCurrency]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([currency, t]) => ({
      currency,
      debits: t.debits,
      credits: t.credits,
      balance: t.debits - t.credits,
      accounts: [...t.accounts.values()].sort(
        (x, y) =>
          ACCOUNT_KINDS.indexOf(x.account.kind) - ACCOUNT_KINDS.indexOf(y.account.kind) ||
          compareNullable(x.account.organizationId, y.account.organizationId) ||
          compareNullable(x.account.counterpartyId, y.account.counterpartyId),
      ),
    }));
}

export interface RefundSplitInput {
  /** The settled order total. */
  readonly gross: Money;
  /** The commission settled on it. */
  readonly commission: Money;
  /** Refunded before this refund. */
  readonly refundedSoFar: Money;
  /** Commission given back by those refunds. */
  readonly commissionRefundedSoFar: Money;
  /** This refund. */
  readonly refund: Money;
}

export interface RefundSplit {
  /** This refund's commission share: given back by the marketplace. */
  readonly commission: Money;
  /** This refund's net share: taken back from the seller. commission + net = refund. */
  readonly net: Money;
}

function cumulativeCommission(gross: bigint, commission: bigint, refunded: bigint): bigint {
  return gross === 0n ? 0n : divideRoundHalfUp(commission * refunded, gross);
}

/**
 * Splits a refund into its commission and net shares by the cumulative proportional rule (REFUND
 * ROUNDING above). Bad input from the user → VALIDATION on field `amount`: "refund.amount_invalid"
 * (refund ≤ 0), "refund.above_remaining" (refundedSoFar + refund > gross). Inconsistent stored
 * amounts (currencies, commission > gross, refunded so far beyond gross or not matching the rule)
 * → INVARIANT.
 */
export function refundSplit(input: RefundSplitInput): RefundSplit {
  const { gross, commission, refundedSoFar, commissionRefundedSoFar, refund } = input;
  const currency = assertPart(gross, commission, "refund split: commission");
  assertPart(gross, refundedSoFar, "refund split: refunded so far");
  sameCurrency(gross, commissionRefundedSoFar, "refund split: commission refunded so far");
  sameCurrency(gross, refund, "refund split: refund");
  const before = cumulativeCommission(gross.amount, commission.amount, refundedSoFar.amount);
  if (commissionRefundedSoFar.amount !== before) {
    throw new DomainError("INVARIANT", `Commission refunded so far is ${commissionRefundedSoFar.amount}, the rule gives ${before}`);
  }

  if (refund.amount <= 0n) throw validationError({ amount: ["refund.amount_invalid"] });
  if (refundedSoFar.amount + refund.amount > gross.amount) throw validationError({ amount: ["refund.above_remaining"] });

  const after = cumulativeCommission(gross.amount, commission.amount, refundedSoFar.amount + refund.amount);
  const commissionShare = after - before;
  return { commission: money(commissionShare, currency), net: money(refund.amount - commissionShare, currency) };
}

/** What may still be refunded on an order: gross − refundedSoFar. */
export function refundableRemaining(gross: Money, refundedSoFar: Money): Money {
  assertPart(gross, refundedSoFar, "refundable remaining");
  return subtract(gross, refundedSoFar);
}
