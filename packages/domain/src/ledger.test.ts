import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { computeCommission, type CommissionRule } from "./commission";
import { isDomainError } from "./errors";
import {
  ACCOUNT_KINDS,
  CASH_ACCOUNT,
  COMMISSION_REVENUE_ACCOUNT,
  JOURNAL_KINDS,
  PAYOUTS_IN_TRANSIT_ACCOUNT,
  accountKey,
  buyerReceivableAccount,
  isAccountKind,
  isBalanced,
  isJournalKind,
  payoutEntries,
  payoutFailedEntries,
  payoutPaidEntries,
  refundEntries,
  refundSplit,
  refundableRemaining,
  sellerPayableAccount,
  settlementEntries,
  sumByCurrency,
  trialBalance,
  type JournalEntryDraft,
  type RefundSplitInput,
} from "./ledger";
import { money, type Currency, type Money } from "./money";

const eur = (amount: bigint | number) => money(amount, "EUR");

function expectError(fn: () => unknown, code: string, fieldErrors?: Record<string, string[]>): void {
  try {
    fn();
  } catch (error) {
    expect(isDomainError(error) && error.code).toBe(code);
    if (fieldErrors) expect(isDomainError(error) && error.fieldErrors).toEqual(fieldErrors);
    return;
  }
  expect.fail(`expected a ${code} DomainError`);
}

/** The balance of one account over some entries (debit positive). */
function balanceOf(entries: readonly JournalEntryDraft[], account: ReturnType<typeof sellerPayableAccount>): bigint {
  return entries.filter((e) => accountKey(e.account) === accountKey(account)).reduce((s, e) => s + e.amount, 0n);
}

const noZeroEntries = (entries: readonly JournalEntryDraft[]) => entries.every((e) => e.amount !== 0n);

/** gross > 0 and 0 ≤ commission ≤ gross; small and huge amounts. */
const orderArb = fc
  .oneof(fc.bigInt({ min: 1n, max: 1_000n }), fc.bigInt({ min: 1n, max: 10n ** 9n }), fc.bigInt({ min: 1n, max: 2n ** 62n }))
  .chain((gross) => fc.tuple(fc.constant(gross), fc.oneof(fc.bigInt({ min: 0n, max: gross }), fc.constantFrom(0n, gross))));

describe("settlementEntries", () => {
  it("debits the buyer's receivable, credits the seller's payable net and the commission revenue", () => {
    const entries = settlementEntries({ buyerId: "b1", sellerId: "s1", gross: eur(10_000), commission: eur(275) });
    expect(entries).toEqual([
      { account: { kind: "buyer_receivable", organizationId: "b1", counterpartyId: "s1" }, amount: 10_000n, currency: "EUR" },
      { account: { kind: "seller_payable", organizationId: "s1", counterpartyId: null }, amount: -9_725n, currency: "EUR" },
      { account: { kind: "commission_revenue", organizationId: null, counterpartyId: null }, amount: -275n, currency: "EUR" },
    ]);
    expect(isBalanced(entries)).toBe(true);
  });

  it("leaves out zero-amount entries", () => {
    expect(settlementEntries({ buyerId: "b1", sellerId: "s1", gross: eur(500), commission: eur(0) }).map((e) => e.account.kind)).toEqual(["buyer_receivable", "seller_payable"]);
    expect(settlementEntries({ buyerId: "b1", sellerId: "s1", gross: eur(500), commission: eur(500) }).map((e) => e.account.kind)).toEqual(["buyer_receivable", "commission_revenue"]);
    expect(settlementEntries({ buyerId: "b1", sellerId: "s1", gross: eur(0), commission: eur(0) })).toEqual([]);
  });

  it("refuses a commission above the gross, negative amounts and mixed currencies", () => {
    const base = { buyerId: "b1", sellerId: "s1" };
    expectError(() => settlementEntries({ ...base, gross: eur(100), commission: eur(101) }), "INVARIANT");
    expectError(() => settlementEntries({ ...base, gross: eur(100), commission: eur(-1) }), "INVARIANT");
    expectError(() => settlementEntries({ ...base, gross: eur(-100), commission: eur(0) }), "INVARIANT");
    expectError(() => settlementEntries({ ...base, gross: eur(100), commission: money(1, "USD") }), "INVARIANT");
  });

  it("always balances, net + commission = gross, and no entry is zero (random orders and rules)", () => {
    const ruleArb = fc.record({
      rateBps: fc.integer({ min: 0, max: 10_000 }),
      fixedMinor: fc.bigInt({ min: 0n, max: 5_000n }),
      floorMinor: fc.bigInt({ min: 0n, max: 5_000n }),
    });
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 12n }), ruleArb, (gross, r) => {
        const rule: CommissionRule = { scope: "default", categoryId: null, sellerId: null, currency: "EUR", capMinor: null, ...r };
        const commission = computeCommission(rule, eur(gross));
        const entries = settlementEntries({ buyerId: "b1", sellerId: "s1", gross: eur(gross), commission });
        expect(isBalanced(entries)).toBe(true);
        expect(noZeroEntries(entries)).toBe(true);
        const net = -balanceOf(entries, sellerPayableAccount("s1"));
        const kept = -balanceOf(entries, COMMISSION_REVENUE_ACCOUNT);
        expect(net >= 0n).toBe(true);
        expect(net + kept).toBe(gross);
        expect(balanceOf(entries, buyerReceivableAccount("b1", "s1"))).toBe(gross);
        expect(kept).toBe(commission.amount);
      }),
      { numRuns: 1000 },
    );
  });
});

describe("refundSplit", () => {
  const split = (over: Partial<RefundSplitInput>) =>
    refundSplit({ gross: eur(10_000), commission: eur(333), refundedSoFar: eur(0), commissionRefundedSoFar: eur(0), refund: eur(5_000), ...over });

  it("rounds the cumulative commission share half up", () => {
    // 333 × 5 000 / 10 000 = 166.5 → 167; then the rest: 333 − 167 = 166.
    expect(split({})).toEqual({ commission: eur(167), net: eur(4_833) });
    expect(split({ refundedSoFar: eur(5_000), commissionRefundedSoFar: eur(167) })).toEqual({ commission: eur(166), net: eur(4_834) });
    // 333 × 1 / 10 000 = 0.0333 → 0: a tiny refund may take no commission back.
    expect(split({ refund: eur(1) })).toEqual({ commission: eur(0), net: eur(1) });
    // 333 × 16 / 10 000 = 0.5328 → 1.
    expect(split({ refund: eur(16) })).toEqual({ commission: eur(1), net: eur(15) });
    expect(split({ refund: eur(10_000) })).toEqual({ commission: eur(333), net: eur(9_667) });
  });

  it("three thirds give back exactly the commission", () => {
    const gross = eur(100);
    const commission = eur(10);
    let refunded = 0n;
    let commissionBack = 0n;
    const shares: bigint[] = [];
    for (const part of [33n, 33n, 34n]) {
      const s = refundSplit({ gross, commission, refundedSoFar: eur(refunded), commissionRefundedSoFar: eur(commissionBack), refund: eur(part) });
      shares.push(s.commission.amount);
      refunded += part;
      commissionBack += s.commission.amount;
    }
    expect(shares).toEqual([3n, 4n, 3n]); // 3.3 → 3; 6.6 → 7; 10
    expect(commissionBack).toBe(10n);
  });

  it("refuses a refund of zero or less, or above what is left, on the field amount", () => {
    expectError(() => split({ refund: eur(0) }), "VALIDATION", { amount: ["refund.amount_invalid"] });
    expectError(() => split({ refund: eur(-5) }), "VALIDATION", { amount: ["refund.amount_invalid"] });
    expectError(() => split({ refund: eur(10_001) }), "VALIDATION", { amount: ["refund.above_remaining"] });
    expectError(() => split({ refundedSoFar: eur(5_000), commissionRefundedSoFar: eur(167), refund: eur(5_001) }), "VALIDATION", { amount: ["refund.above_remaining"] });
    expectError(() => split({ refundedSoFar: eur(10_000), commissionRefundedSoFar: eur(333), refund: eur(1) }), "VALIDATION", { amount: ["refund.above_remaining"] });
    expectError(() => refundSplit({ gross: eur(0), commission: eur(0), refundedSoFar: eur(0), commissionRefundedSoFar: eur(0), refund: eur(1) }), "VALIDATION", {
      amount: ["refund.above_remaining"],
    });
  });

  it("refuses inconsistent stored amounts", () => {
    expectError(() => split({ commission: eur(10_001) }), "INVARIANT");
    expectError(() => split({ refundedSoFar: eur(10_001) }), "INVARIANT");
    expectError(() => split({ refundedSoFar: eur(5_000), commissionRefundedSoFar: eur(166) }), "INVARIANT");
    expectError(() => split({ commissionRefundedSoFar: eur(1) }), "INVARIANT");
    expectError(() => split({ refund: money(10, "USD") }), "INVARIANT");
    expectError(() => split({ commission: money(10, "USD") }), "INVARIANT");
  });

  /** Random orders with a random sequence of partial refunds adding up to the whole gross. */
  const refundsArb = orderArb.chain(([gross, commission]) =>
    fc
      .array(fc.bigInt({ min: 1n, max: gross }), { minLength: 1, maxLength: 12 })
      .map((cuts) => {
        // Turn cut points into parts that sum exactly to gross.
        const points = [...new Set([0n, ...cuts.map((c) => c % gross), gross])].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
        return points.slice(1).map((p, i) => p - points[i]!);
      })
      .map((parts) => ({ gross, commission, parts })),
  );

  function runRefunds(gross: bigint, commission: bigint, parts: readonly bigint[]) {
    let refunded = 0n;
    let commissionBack = 0n;
    let netBack = 0n;
    const shares: { refund: bigint; commission: bigint; net: bigint }[] = [];
    for (const part of parts) {
      const s = refundSplit({ gross: eur(gross), commission: eur(commission), refundedSoFar: eur(refunded), commissionRefundedSoFar: eur(commissionBack), refund: eur(part) });
      shares.push({ refund: part, commission: s.commission.amount, net: s.net.amount });
      refunded += part;
      commissionBack += s.commission.amount;
      netBack += s.net.amount;
    }
    return { refunded, commissionBack, netBack, shares };
  }

  it("partial refunds summing to the gross give back exactly the commission and exactly the net", () => {
    fc.assert(
      fc.property(refundsArb, ({ gross, commission, parts }) => {
        const { refunded, commissionBack, netBack, shares } = runRefunds(gross, commission, parts);
        expect(refunded).toBe(gross);
        expect(commissionBack).toBe(commission);
        expect(netBack).toBe(gross - commission);
        for (const s of shares) {
          expect(s.commission >= 0n && s.commission <= s.refund).toBe(true);
          expect(s.commission + s.net).toBe(s.refund);
        }
        // And nothing more may be refunded.
        expectError(
          () => refundSplit({ gross: eur(gross), commission: eur(commission), refundedSoFar: eur(gross), commissionRefundedSoFar: eur(commission), refund: eur(1) }),
          "VALIDATION",
          { amount: ["refund.above_remaining"] },
        );
      }),
      { numRuns: 1000 },
    );
  });

  it("any prefix of refunds gives back what one refund of their sum would", () => {
    fc.assert(
      fc.property(refundsArb, fc.nat(), ({ gross, commission, parts }, cut) => {
        const prefix = parts.slice(0, (cut % parts.length) + 1);
        const { refunded, commissionBack } = runRefunds(gross, commission, prefix);
        const once = refundSplit({ gross: eur(gross), commission: eur(commission), refundedSoFar: eur(0), commissionRefundedSoFar: eur(0), refund: eur(refunded) });
        expect(once.commission.amount).toBe(commissionBack);
      }),
      { numRuns: 500 },
    );
  });

  it("every single split is within 0 ≤ commission share ≤ refund and within half a unit of the exact share", () => {
    fc.assert(
      fc.property(orderArb, fc.bigInt({ min: 0n, max: 2n ** 62n }), fc.bigInt({ min: 1n, max: 2n ** 62n }), ([gross, commission], soFarRaw, refundRaw) => {
        const soFar = soFarRaw % (gross + 1n);
        const left = gross - soFar;
        fc.pre(left > 0n);
        const refund = (refundRaw % left) + 1n;
        const before = runRefunds(gross, commission, soFar > 0n ? [soFar] : []).commissionBack;
        const s = refundSplit({ gross: eur(gross), commission: eur(commission), refundedSoFar: eur(soFar), commissionRefundedSoFar: eur(before), refund: eur(refund) });
        expect(s.commission.amount >= 0n && s.commission.amount <= refund).toBe(true);
        expect(s.net.amount >= 0n).toBe(true);
        expect(s.commission.amount + s.net.amount).toBe(refund);
        // Cumulative after this refund is within half a minor unit of commission × refunded / gross.
        const after = before + s.commission.amount;
        const twiceError = 2n * (after * gross - commission * (soFar + refund));
        expect(twiceError <= gross && twiceError >= -gross).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it("refundableRemaining is gross minus what was refunded", () => {
    expect(refundableRemaining(eur(10_000), eur(2_500))).toEqual(eur(7_500));
    expectError(() => refundableRemaining(eur(10_000), eur(10_001)), "INVARIANT");
  });
});

describe("refund and payout entries", () => {
  it("a refund mirrors the settlement for its split", () => {
    const entries = refundEntries({ buyerId: "b1", sellerId: "s1", refund: eur(5_000), commission: eur(167) });
    expect(entries).toEqual([
      { account: buyerReceivableAccount("b1", "s1"), amount: -5_000n, currency: "EUR" },
      { account: sellerPayableAccount("s1"), amount: 4_833n, currency: "EUR" },
      { account: COMMISSION_REVENUE_ACCOUNT, amount: 167n, currency: "EUR" },
    ]);
    expect(isBalanced(entries)).toBe(true);
    expect(refundEntries({ buyerId: "b1", sellerId: "s1", refund: eur(1), commission: eur(0) })).toHaveLength(2);
    expectError(() => refundEntries({ buyerId: "b1", sellerId: "s1", refund: eur(0), commission: eur(0) }), "INVARIANT");
    expectError(() => refundEntries({ buyerId: "b1", sellerId: "s1", refund: eur(5), commission: eur(6) }), "INVARIANT");
  });

  it("a full refund, in any number of parts, brings every account of the order back to zero", () => {
    fc.assert(
      fc.property(orderArb, fc.array(fc.nat(), { maxLength: 6 }), ([gross, commission], cuts) => {
        const points = [...new Set([0n, ...cuts.map((c) => BigInt(c) % gross), gross])].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
        const parts = points.slice(1).map((p, i) => p - points[i]!);
        const all = [...settlementEntries({ buyerId: "b1", sellerId: "s1", gross: eur(gross), commission: eur(commission) })];
        let refunded = 0n;
        let commissionBack = 0n;
        for (const part of parts) {
          const s = refundSplit({ gross: eur(gross), commission: eur(commission), refundedSoFar: eur(refunded), commissionRefundedSoFar: eur(commissionBack), refund: eur(part) });
          const journal = refundEntries({ buyerId: "b1", sellerId: "s1", refund: eur(part), commission: s.commission });
          expect(isBalanced(journal)).toBe(true);
          expect(noZeroEntries(journal)).toBe(true);
          all.push(...journal);
          refunded += part;
          commissionBack += s.commission.amount;
        }
        const [tb] = trialBalance(all);
        expect(tb!.balance).toBe(0n);
        expect(tb!.accounts.every((a) => a.balance === 0n)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it("payout, paid and failed move the seller's money through the transit account", () => {
    const payout = payoutEntries("s1", eur(9_725));
    expect(payout).toEqual([
      { account: sellerPayableAccount("s1"), amount: 9_725n, currency: "EUR" },
      { account: PAYOUTS_IN_TRANSIT_ACCOUNT, amount: -9_725n, currency: "EUR" },
    ]);
    expect(payoutPaidEntries(eur(9_725))).toEqual([
      { account: PAYOUTS_IN_TRANSIT_ACCOUNT, amount: 9_725n, currency: "EUR" },
      { account: CASH_ACCOUNT, amount: -9_725n, currency: "EUR" },
    ]);
    expect(payoutFailedEntries("s1", eur(9_725))).toEqual([
      { account: PAYOUTS_IN_TRANSIT_ACCOUNT, amount: 9_725n, currency: "EUR" },
      { account: sellerPayableAccount("s1"), amount: -9_725n, currency: "EUR" },
    ]);
    for (const bad of [eur(0), eur(-1)]) {
      expectError(() => payoutEntries("s1", bad), "INVARIANT");
      expectError(() => payoutPaidEntries(bad), "INVARIANT");
      expectError(() => payoutFailedEntries("s1", bad), "INVARIANT");
    }
    // A failed payout gives the seller its balance back; a paid one empties transit into cash.
    const settle = settlementEntries({ buyerId: "b1", sellerId: "s1", gross: eur(10_000), commission: eur(275) });
    const failed = [...settle, ...payout, ...payoutFailedEntries("s1", eur(9_725))];
    expect(balanceOf(failed, sellerPayableAccount("s1"))).toBe(-9_725n);
    expect(balanceOf(failed, PAYOUTS_IN_TRANSIT_ACCOUNT)).toBe(0n);
    const paid = [...settle, ...payout, ...payoutPaidEntries(eur(9_725))];
    expect(balanceOf(paid, sellerPayableAccount("s1"))).toBe(0n);
    expect(balanceOf(paid, CASH_ACCOUNT)).toBe(-9_725n);
  });
});

describe("balances", () => {
  it("sumByCurrency and isBalanced look at each currency on its own", () => {
    const a = settlementEntries({ buyerId: "b1", sellerId: "s1", gross: eur(100), commission: eur(5) });
    const b = settlementEntries({ buyerId: "b1", sellerId: "s1", gross: money(700, "JPY"), commission: money(7, "JPY") });
    expect(isBalanced([])).toBe(true);
    expect(sumByCurrency([])).toEqual([]);
    expect(isBalanced([...a, ...b])).toBe(true);
    expect(sumByCurrency([...b, ...a])).toEqual([money(0, "EUR"), money(0, "JPY")]);
    // +5 EUR and −5 USD add up to zero as numbers but not as money.
    const crossed: JournalEntryDraft[] = [
      { account: CASH_ACCOUNT, amount: 5n, currency: "EUR" },
      { account: CASH_ACCOUNT, amount: -5n, currency: "USD" },
    ];
    expect(isBalanced(crossed)).toBe(false);
    expect(sumByCurrency(crossed)).toEqual([money(5, "EUR"), money(-5, "USD")]);
    expect(isBalanced(a.slice(0, 2))).toBe(false);
  });

  it("trialBalance sums per currency and per account, sorted", () => {
    const entries = [
      ...settlementEntries({ buyerId: "b2", sellerId: "s1", gross: eur(1_000), commission: eur(50) }),
      ...settlementEntries({ buyerId: "b1", sellerId: "s1", gross: eur(500), commission: eur(25) }),
      ...settlementEntries({ buyerId: "b1", sellerId: "s2", gross: money(300, "CHF"), commission: money(0, "CHF") }),
      ...payoutEntries("s1", eur(1_000)),
    ];
    const tb = trialBalance(entries);
    expect(tb.map((t) => t.currency)).toEqual(["CHF", "EUR"]);
    const eurTb = tb[1]!;
    expect(eurTb).toMatchObject({ debits: 2_500n, credits: 2_500n, balance: 0n });
    expect(eurTb.accounts).toEqual([
      { account: buyerReceivableAccount("b1", "s1"), balance: 500n },
      { account: buyerReceivableAccount("b2", "s1"), balance: 1_000n },
      { account: sellerPayableAccount("s1"), balance: -425n },
      { account: COMMISSION_REVENUE_ACCOUNT, balance: -75n },
      { account: PAYOUTS_IN_TRANSIT_ACCOUNT, balance: -1_000n },
    ]);
    expect(tb[0]).toMatchObject({ debits: 300n, credits: 300n, balance: 0n });
    expect(trialBalance([])).toEqual([]);
    expect(trialBalance([{ account: CASH_ACCOUNT, amount: 3n, currency: "EUR" }])[0]).toMatchObject({ balance: 3n });
  });

  it("the whole ledger stays balanced after any sequence of operations (model test)", () => {
    type Op =
      | { kind: "settle"; buyer: number; seller: number; gross: bigint; rate: number; currency: Currency }
      | { kind: "refund"; order: number; amount: bigint }
      | { kind: "payout"; seller: number; currency: Currency; outcome: "pending" | "paid" | "failed" };
    const currencyArb = fc.constantFrom<Currency>("EUR", "JPY", "KWD");
    const opArb: fc.Arbitrary<Op> = fc.oneof(
      fc.record({ kind: fc.constant("settle" as const), buyer: fc.nat(2), seller: fc.nat(2), gross: fc.bigInt({ min: 0n, max: 10n ** 8n }), rate: fc.integer({ min: 0, max: 10_000 }), currency: currencyArb }),
      fc.record({ kind: fc.constant("refund" as const), order: fc.nat(), amount: fc.bigInt({ min: -5n, max: 10n ** 8n }) }),
      fc.record({ kind: fc.constant("payout" as const), seller: fc.nat(2), currency: currencyArb, outcome: fc.constantFrom("pending" as const, "paid" as const, "failed" as const) }),
    );
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 40 }), (ops) => {
        const ledger: JournalEntryDraft[] = [];
        const orders: { buyer: string; seller: string; gross: Money; commission: Money; refunded: bigint; commissionRefunded: bigint }[] = [];
        const sellerOwed = new Map<string, bigint>();
        const owe = (seller: string, currency: Currency, delta: bigint) => {
          const key = JSON.stringify([seller, currency]);
          sellerOwed.set(key, (sellerOwed.get(key) ?? 0n) + delta);
        };
        const post = (journal: JournalEntryDraft[]) => {
          expect(isBalanced(journal)).toBe(true);
          expect(noZeroEntries(journal)).toBe(true);
          ledger.push(...journal);
        };
        for (const op of ops) {
          if (op.kind === "settle") {
            const rule: CommissionRule = { scope: "default", categoryId: null, sellerId: null, currency: op.currency, rateBps: op.rate, fixedMinor: 10n, floorMinor: 0n, capMinor: null };
            const gross = money(op.gross, op.currency);
            const commission = computeCommission(rule, gross);
            const o = { buyer: `b${op.buyer}`, seller: `s${op.seller}`, gross, commission, refunded: 0n, commissionRefunded: 0n };
            orders.push(o);
            post(settlementEntries({ buyerId: o.buyer, sellerId: o.seller, gross, commission }));
            owe(o.seller, op.currency, gross.amount - commission.amount);
          } else if (op.kind === "refund" && orders.length > 0) {
            const o = orders[op.order % orders.length]!;
            const c = o.gross.currency;
            try {
              const s = refundSplit({ gross: o.gross, commission: o.commission, refundedSoFar: money(o.refunded, c), commissionRefundedSoFar: money(o.commissionRefunded, c), refund: money(op.amount, c) });
              post(refundEntries({ buyerId: o.buyer, sellerId: o.seller, refund: money(op.amount, c), commission: s.commission }));
              o.refunded += op.amount;
              o.commissionRefunded += s.commission.amount;
              owe(o.seller, c, -s.net.amount);
            } catch (error) {
              // Bad refunds are refused with a field error and post nothing.
              expect(isDomainError(error) && error.code).toBe("VALIDATION");
              expect(op.amount <= 0n || o.refunded + op.amount > o.gross.amount).toBe(true);
            }
          } else if (op.kind === "payout") {
            const payable = -balanceOf(
              ledger.filter((e) => e.currency === op.currency),
              sellerPayableAccount(`s${op.seller}`),
            );
            if (payable > 0n) {
              const amount = money(payable, op.currency);
              post(payoutEntries(`s${op.seller}`, amount));
              owe(`s${op.seller}`, op.currency, -payable);
              if (op.outcome === "paid") post(payoutPaidEntries(amount));
              if (op.outcome === "failed") {
                post(payoutFailedEntries(`s${op.seller}`, amount));
                owe(`s${op.seller}`, op.currency, payable);
              }
            }
          }
          for (const t of trialBalance(ledger)) expect(t.balance).toBe(0n);
          for (const o of orders) expect(o.commissionRefunded <= o.commission.amount && o.refunded <= o.gross.amount).toBe(true);
        }
        // The marketplace keeps the commissions it did not give back, per currency.
        for (const currency of ["EUR", "JPY", "KWD"] as const) {
          const kept = orders.filter((o) => o.gross.currency === currency).reduce((t, o) => t + o.commission.amount - o.commissionRefunded, 0n);
          expect(-balanceOf(ledger.filter((e) => e.currency === currency), COMMISSION_REVENUE_ACCOUNT)).toBe(kept);
        }
        // Each seller's balance is what the model says: nets settled − nets refunded − paid out.
        // (A refund after a payout may leave it below zero: the seller then owes the marketplace.)
        for (const [key, owed] of sellerOwed) {
          const [seller, currency] = JSON.parse(key) as [string, Currency];
          expect(-balanceOf(ledger.filter((e) => e.currency === currency), sellerPayableAccount(seller))).toBe(owed);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("knows its account and journal kinds", () => {
    expect(ACCOUNT_KINDS.every(isAccountKind)).toBe(true);
    expect(JOURNAL_KINDS.every(isJournalKind)).toBe(true);
    expect(isAccountKind("toString")).toBe(false);
    expect(isJournalKind("refunds")).toBe(false);
    expect(accountKey(sellerPayableAccount("s1"))).not.toBe(accountKey(buyerReceivableAccount("s1", "s1")));
  });
});
