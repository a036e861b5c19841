import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  COMMISSION_SCOPES,
  MAX_COMMISSION_RATE_BPS,
  computeCommission,
  divideRoundHalfUp,
  isCommissionScope,
  parseCommissionRuleForm,
  pickCommissionRule,
  validateCommissionRule,
  type CommissionRule,
  type CommissionRuleForm,
  type CommissionRuleInput,
} from "./commission";
import { isDomainError } from "./errors";
import { CURRENCIES, money, type Currency } from "./money";

function expectInvariant(fn: () => unknown): void {
  try {
    fn();
  } catch (error) {
    expect(isDomainError(error) && error.code).toBe("INVARIANT");
    return;
  }
  expect.fail("expected an INVARIANT DomainError");
}

const rule = (over: Partial<CommissionRule> = {}): CommissionRule => ({
  scope: "default",
  categoryId: null,
  sellerId: null,
  currency: "EUR",
  rateBps: 0,
  fixedMinor: 0n,
  floorMinor: 0n,
  capMinor: null,
  ...over,
});

const eur = (amount: bigint | number) => money(amount, "EUR");

/** The formula, written independently: rounding by comparing twice the remainder with the divisor. */
function reference(r: CommissionRule, total: bigint): bigint {
  const exact = total * BigInt(r.rateBps);
  const q = exact / 10_000n;
  const pct = (exact % 10_000n) * 2n >= 10_000n ? q + 1n : q;
  const raw = pct + r.fixedMinor;
  const capped = r.capMinor === null ? raw : raw < r.capMinor ? raw : r.capMinor;
  const floored = capped > r.floorMinor ? capped : r.floorMinor;
  return floored < total ? floored : total;
}

/** Valid rules: cap null or ≥ floor. */
const ruleArb = fc
  .record({
    rateBps: fc.integer({ min: 0, max: MAX_COMMISSION_RATE_BPS }),
    fixedMinor: fc.bigInt({ min: 0n, max: 10_000n }),
    floorMinor: fc.bigInt({ min: 0n, max: 10_000n }),
    capExtra: fc.option(fc.bigInt({ min: 0n, max: 100_000n })),
  })
  .map(({ capExtra, ...r }) => rule({ ...r, capMinor: capExtra === null ? null : r.floorMinor + capExtra }));
const totalArb = fc.oneof(fc.bigInt({ min: 0n, max: 50_000n }), fc.bigInt({ min: 0n, max: 10n ** 15n }));

describe("divideRoundHalfUp", () => {
  it("rounds to the nearest, halves away from zero", () => {
    expect(divideRoundHalfUp(3085n, 100n)).toBe(31n); // 30.85
    expect(divideRoundHalfUp(3050n, 100n)).toBe(31n); // 30.5 → up
    expect(divideRoundHalfUp(3049n, 100n)).toBe(30n);
    expect(divideRoundHalfUp(3000n, 100n)).toBe(30n);
    expect(divideRoundHalfUp(0n, 7n)).toBe(0n);
    expect(divideRoundHalfUp(-3050n, 100n)).toBe(-31n); // mirror image
    expect(divideRoundHalfUp(-3049n, 100n)).toBe(-30n);
    expectInvariant(() => divideRoundHalfUp(1n, 0n));
    expectInvariant(() => divideRoundHalfUp(1n, -2n));
  });

  it("is within half a unit of the exact quotient, and a tie goes away from zero", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 24n), max: 10n ** 24n }), fc.bigInt({ min: 1n, max: 10n ** 12n }), (n, d) => {
        const q = divideRoundHalfUp(n, d);
        const error = 2n * (q * d - n); // twice the rounding error, in units of 1/d
        expect(error <= d && error >= -d).toBe(true);
        if (error === d || error === -d) expect(error).toBe(n > 0n ? d : -d);
      }),
      { numRuns: 1000 },
    );
  });
});

describe("computeCommission", () => {
  it("rounds the percentage half up, once, then adds the fixed fee", () => {
    expect(computeCommission(rule({ rateBps: 250 }), eur(1234))).toEqual(eur(31)); // 30.85
    expect(computeCommission(rule({ rateBps: 250 }), eur(1220))).toEqual(eur(31)); // 30.5
    expect(computeCommission(rule({ rateBps: 250 }), eur(1219))).toEqual(eur(30)); // 30.475
    expect(computeCommission(rule({ rateBps: 250, fixedMinor: 30n }), eur(1234))).toEqual(eur(61));
    expect(computeCommission(rule({ rateBps: 1 }), eur(4999))).toEqual(eur(0)); // 0.4999
    expect(computeCommission(rule({ rateBps: 1 }), eur(5000))).toEqual(eur(1)); // 0.5
  });

  it("applies the cap, then the floor, then never more than the total", () => {
    const r = rule({ rateBps: 1000, fixedMinor: 0n, floorMinor: 200n, capMinor: 5_000n });
    expect(computeCommission(r, eur(100_000))).toEqual(eur(5_000)); // 10 000 capped
    expect(computeCommission(r, eur(10_000))).toEqual(eur(1_000));
    expect(computeCommission(r, eur(1_000))).toEqual(eur(200)); // 100 → floor
    expect(computeCommission(r, eur(150))).toEqual(eur(150)); // the floor is above the total
    expect(computeCommission(r, eur(0))).toEqual(eur(0));
    expect(computeCommission(rule({ rateBps: 10_000, fixedMinor: 99n }), eur(500))).toEqual(eur(500));
  });

  it("works in currencies without minor units and with three", () => {
    expect(computeCommission(rule({ currency: "JPY", rateBps: 333 }), money(1500, "JPY"))).toEqual(money(50, "JPY")); // 49.95
    expect(computeCommission(rule({ currency: "KWD", rateBps: 50 }), money(12_345, "KWD"))).toEqual(money(62, "KWD")); // 61.725
  });

  it("refuses a total in another currency, a negative total and an invalid rule", () => {
    expectInvariant(() => computeCommission(rule(), money(100, "USD")));
    expectInvariant(() => computeCommission(rule(), eur(-1)));
    expectInvariant(() => computeCommission(rule({ rateBps: 10_001 }), eur(100)));
    expectInvariant(() => computeCommission(rule({ floorMinor: 10n, capMinor: 9n }), eur(100)));
    expectInvariant(() => computeCommission(rule({ fixedMinor: -1n }), eur(100)));
  });

  it("matches the formula; never above the total or the cap; never below the floor unless the total is", () => {
    fc.assert(
      fc.property(ruleArb, totalArb, (r, total) => {
        const c = computeCommission(r, eur(total)).amount;
        expect(c).toBe(reference(r, total));
        expect(c >= 0n).toBe(true);
        expect(c <= total).toBe(true); // the seller's net is never negative
        if (r.capMinor !== null) expect(c <= r.capMinor).toBe(true);
        if (total >= r.floorMinor) expect(c >= r.floorMinor).toBe(true);
        else expect(c).toBe(total);
      }),
      { numRuns: 2000 },
    );
  });

  it("never decreases when the total grows", () => {
    fc.assert(
      fc.property(ruleArb, totalArb, fc.bigInt({ min: 0n, max: 10n ** 6n }), (r, total, more) => {
        expect(computeCommission(r, eur(total)).amount <= computeCommission(r, eur(total + more)).amount).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});

describe("pickCommissionRule", () => {
  const target = { sellerId: "s1", categoryPath: ["leaf", "mid", "root"], currency: "EUR" as Currency };
  const def = rule({ rateBps: 100 });
  const root = rule({ scope: "category", categoryId: "root", rateBps: 200 });
  const mid = rule({ scope: "category", categoryId: "mid", rateBps: 300 });
  const seller = rule({ scope: "seller", sellerId: "s1", rateBps: 400 });

  it("seller beats category beats default, whatever the order of the list", () => {
    const all = [def, root, mid, seller];
    for (const list of [all, [...all].reverse()]) {
      expect(pickCommissionRule(list, target)).toBe(seller);
      expect(pickCommissionRule(list.filter((r) => r !== seller), target)).toBe(mid);
      expect(pickCommissionRule(list.filter((r) => r !== seller && r !== mid), target)).toBe(root);
      expect(pickCommissionRule([def], target)).toBe(def);
    }
  });

  it("the nearest category wins, not the first in the list", () => {
    const leaf = rule({ scope: "category", categoryId: "leaf", rateBps: 500 });
    expect(pickCommissionRule([root, mid, leaf], target)).toBe(leaf);
    expect(pickCommissionRule([root, mid], { ...target, categoryPath: ["other", "root"] })).toBe(root);
    expect(pickCommissionRule([root, mid, def], { ...target, categoryPath: [] })).toBe(def);
  });

  it("ignores other currencies, other sellers and categories off the path; null when nothing applies", () => {
    const usdSeller = rule({ scope: "seller", sellerId: "s1", currency: "USD" });
    const otherSeller = rule({ scope: "seller", sellerId: "s2" });
    const offPath = rule({ scope: "category", categoryId: "elsewhere" });
    const usdDefault = rule({ currency: "USD" });
    expect(pickCommissionRule([usdSeller, otherSeller, offPath, def], target)).toBe(def);
    expect(pickCommissionRule([usdSeller, otherSeller, offPath, usdDefault], target)).toBeNull();
    expect(pickCommissionRule([], target)).toBeNull();
    expect(pickCommissionRule([usdDefault], { ...target, currency: "USD" })).toBe(usdDefault);
  });

  it("returns the caller's own object (with its id) so it can be frozen on the settlement", () => {
    const row = { ...seller, id: "rule-7" };
    expect(pickCommissionRule([{ ...def, id: "rule-1" }, row], target)?.id).toBe("rule-7");
  });

  it("refuses two live rules for the same target", () => {
    expectInvariant(() => pickCommissionRule([seller, { ...seller }], target));
    expectInvariant(() => pickCommissionRule([mid, { ...mid }], target));
    expectInvariant(() => pickCommissionRule([def, { ...def }], target));
    // Duplicates that a more specific rule shadows are not looked at.
    expect(pickCommissionRule([seller, def, { ...def }], target)).toBe(seller);
  });

  it("always picks the most specific applicable rule (random rule sets)", () => {
    const categories = ["c0", "c1", "c2", "c3"];
    const ruleSpec = fc.record({
      kind: fc.constantFrom("default", "seller", "category"),
      seller: fc.constantFrom("s1", "s2"),
      category: fc.constantFrom(...categories),
      currency: fc.constantFrom<Currency>("EUR", "USD"),
    });
    fc.assert(
      fc.property(fc.uniqueArray(ruleSpec, { selector: (s) => (s.kind === "default" ? `d${s.currency}` : s.kind === "seller" ? `s${s.seller}${s.currency}` : `c${s.category}${s.currency}`) }), fc.shuffledSubarray(categories), (specs, path) => {
        const rules = specs.map((s) =>
          rule({
            scope: s.kind as CommissionRule["scope"],
            sellerId: s.kind === "seller" ? s.seller : null,
            categoryId: s.kind === "category" ? s.category : null,
            currency: s.currency,
          }),
        );
        const t = { sellerId: "s1", categoryPath: path, currency: "EUR" as Currency };
        const rank = (r: CommissionRule): number => {
          if (r.currency !== "EUR") return -1;
          if (r.scope === "seller") return r.sellerId === "s1" ? 1000 : -1;
          if (r.scope === "category") return path.includes(r.categoryId!) ? 500 - path.indexOf(r.categoryId!) : -1;
          return 0;
        };
        const best = [...rules].sort((a, b) => rank(b) - rank(a))[0];
        const expected = best && rank(best) >= 0 ? best : null;
        expect(pickCommissionRule(rules, t)).toBe(expected);
      }),
      { numRuns: 500 },
    );
  });
});

describe("validateCommissionRule", () => {
  const input = (over: Partial<CommissionRuleInput> = {}): CommissionRuleInput => ({ ...rule(), ...over });

  it("accepts sound rules of every scope", () => {
    expect(validateCommissionRule(input({ rateBps: 250, fixedMinor: 30n, floorMinor: 100n, capMinor: 100n }))).toEqual({});
    expect(validateCommissionRule(input({ rateBps: 10_000, capMinor: null }))).toEqual({});
    expect(validateCommissionRule(input({ scope: "category", categoryId: "c1" }))).toEqual({});
    expect(validateCommissionRule(input({ scope: "seller", sellerId: "s1" }))).toEqual({});
  });

  it.each([-1, 10_001, 2.5, Number.NaN, Number.POSITIVE_INFINITY])("refuses the rate %s", (rateBps) => {
    expect(validateCommissionRule(input({ rateBps }))).toEqual({ rateBps: ["commission.rate_invalid"] });
  });

  it("refuses negative, non-bigint and oversized amounts", () => {
    expect(validateCommissionRule(input({ fixedMinor: -1n, floorMinor: -5n, capMinor: -3n }))).toEqual({
      fixedMinor: ["commission.amount_negative"],
      floorMinor: ["commission.amount_negative"],
      capMinor: ["commission.amount_negative"],
    });
    expect(validateCommissionRule(input({ fixedMinor: 12 as unknown as bigint }))).toEqual({ fixedMinor: ["commission.amount_invalid"] });
    expect(validateCommissionRule(input({ capMinor: 2n ** 63n }))).toEqual({ capMinor: ["commission.amount_too_large"] });
    expect(validateCommissionRule(input({ capMinor: 2n ** 63n - 1n }))).toEqual({});
  });

  it("refuses a floor above the cap on both fields; a cap equal to the floor is fine", () => {
    expect(validateCommissionRule(input({ floorMinor: 500n, capMinor: 499n }))).toEqual({
      floorMinor: ["commission.floor_above_cap"],
      capMinor: ["commission.floor_above_cap"],
    });
    expect(validateCommissionRule(input({ floorMinor: 500n, capMinor: 500n }))).toEqual({});
    expect(validateCommissionRule(input({ floorMinor: 500n, capMinor: null }))).toEqual({});
    // A negative cap is reported as negative, not also as below the floor.
    expect(validateCommissionRule(input({ floorMinor: 5n, capMinor: -1n }))).toEqual({ capMinor: ["commission.amount_negative"] });
  });

  it("checks scope, category and seller together", () => {
    expect(validateCommissionRule(input({ scope: "category", categoryId: null }))).toEqual({ categoryId: ["commission.category_required"] });
    expect(validateCommissionRule(input({ scope: "category", categoryId: "  " }))).toEqual({ categoryId: ["commission.category_required"] });
    expect(validateCommissionRule(input({ scope: "seller", sellerId: null }))).toEqual({ sellerId: ["commission.seller_required"] });
    expect(validateCommissionRule(input({ scope: "default", categoryId: "c1", sellerId: "s1" }))).toEqual({
      categoryId: ["commission.category_not_allowed"],
      sellerId: ["commission.seller_not_allowed"],
    });
    expect(validateCommissionRule(input({ scope: "seller", sellerId: "s1", categoryId: "c1" }))).toEqual({ categoryId: ["commission.category_not_allowed"] });
    expect(validateCommissionRule(input({ scope: "category", categoryId: "c1", sellerId: "s1" }))).toEqual({ sellerId: ["commission.seller_not_allowed"] });
    expect(validateCommissionRule(input({ scope: "global" }))).toEqual({ scope: ["commission.scope_invalid"] });
    expect(validateCommissionRule(input({ currency: "XXX" }))).toEqual({ currency: ["commission.currency_invalid"] });
  });

  it("knows its scopes", () => {
    expect(COMMISSION_SCOPES.every(isCommissionScope)).toBe(true);
    expect(isCommissionScope("toString")).toBe(false);
  });
});

describe("parseCommissionRuleForm", () => {
  const form = (over: Partial<CommissionRuleForm> = {}): CommissionRuleForm => ({
    scope: "default",
    categoryId: null,
    sellerId: null,
    currency: "EUR",
    ratePercent: "2.5",
    fixed: "0.30",
    floor: "1",
    cap: "",
    ...over,
  });

  it("turns percent into basis points and major units into minor units", () => {
    expect(parseCommissionRuleForm(form())).toEqual({
      ok: true,
      rule: { scope: "default", categoryId: null, sellerId: null, currency: "EUR", rateBps: 250, fixedMinor: 30n, floorMinor: 100n, capMinor: null },
    });
    const r = (ratePercent: string) => {
      const result = parseCommissionRuleForm(form({ ratePercent }));
      return result.ok ? result.rule.rateBps : result.fieldErrors;
    };
    expect(r("0")).toBe(0);
    expect(r("0.01")).toBe(1);
    expect(r("12.34")).toBe(1234);
    expect(r("100")).toBe(10_000);
    expect(r(" 7.1 ")).toBe(710);
    for (const bad of ["100.01", "101", "2.555", "-1", "1,5", "", "1e2", ".5"]) expect(r(bad)).toEqual({ ratePercent: ["commission.rate_invalid"] });
  });

  it("refuses amounts with more decimals than the currency, and keys errors by the form's fields", () => {
    expect(parseCommissionRuleForm(form({ fixed: "0.305" }))).toEqual({ ok: false, fieldErrors: { fixed: ["commission.amount_invalid"] } });
    expect(parseCommissionRuleForm(form({ currency: "JPY", fixed: "30", floor: "1.5" }))).toEqual({ ok: false, fieldErrors: { floor: ["commission.amount_invalid"] } });
    expect(parseCommissionRuleForm(form({ currency: "KWD", fixed: "0.305", floor: "1.000", cap: "2.5" }))).toMatchObject({ ok: true, rule: { fixedMinor: 305n, floorMinor: 1000n, capMinor: 2500n } });
    expect(parseCommissionRuleForm(form({ fixed: "-1" }))).toEqual({ ok: false, fieldErrors: { fixed: ["commission.amount_negative"] } });
    expect(parseCommissionRuleForm(form({ floor: "5", cap: "4.99" }))).toEqual({
      ok: false,
      fieldErrors: { floor: ["commission.floor_above_cap"], cap: ["commission.floor_above_cap"] },
    });
    // A cap that does not parse is reported once, without a floor/cap comparison against a placeholder.
    expect(parseCommissionRuleForm(form({ floor: "5", cap: "abc" }))).toEqual({ ok: false, fieldErrors: { cap: ["commission.amount_invalid"] } });
    expect(parseCommissionRuleForm(form({ currency: "XXX" }))).toEqual({ ok: false, fieldErrors: { currency: ["commission.currency_invalid"] } });
  });

  it("trims ids and treats blank ones as absent", () => {
    expect(parseCommissionRuleForm(form({ scope: "seller", sellerId: "  s1 ", categoryId: "" }))).toMatchObject({ ok: true, rule: { sellerId: "s1", categoryId: null } });
    expect(parseCommissionRuleForm(form({ scope: "category", categoryId: " " }))).toEqual({ ok: false, fieldErrors: { categoryId: ["commission.category_required"] } });
  });

  it("every parsed rule is valid and computes (random forms)", () => {
    const currencies = Object.keys(CURRENCIES) as Currency[];
    const decimal = fc.tuple(fc.nat({ max: 100_000 }), fc.option(fc.stringMatching(/^\d{1,4}$/))).map(([w, f]) => (f === null ? String(w) : `${w}.${f}`));
    fc.assert(
      fc.property(fc.constantFrom(...currencies), decimal, decimal, decimal, fc.option(decimal), (currency, ratePercent, fixed, floor, cap) => {
        const result = parseCommissionRuleForm(form({ currency, ratePercent, fixed, floor, cap: cap ?? "" }));
        if (!result.ok) {
          expect(Object.keys(result.fieldErrors).length).toBeGreaterThan(0);
          return;
        }
        expect(validateCommissionRule(result.rule)).toEqual({});
        const c = computeCommission(result.rule, money(123_456, currency));
        expect(c.amount <= 123_456n).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
