import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DomainError } from "./errors";
import {
  CURRENCIES,
  add,
  allocate,
  compare,
  currencyExponent,
  equals,
  format,
  isCurrency,
  isNegative,
  isPositive,
  isZero,
  money,
  multiply,
  negate,
  parseMoney,
  subtract,
  sum,
  toDecimalString,
  zero,
  type Currency,
  type Money,
} from "./money";

const currencyArb = fc.constantFrom(...(Object.keys(CURRENCIES) as Currency[]));
const amountArb = fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n });
const moneyArb = fc.tuple(amountArb, currencyArb).map(([amount, currency]) => money(amount, currency));
const moneyIn = (currency: Currency) => amountArb.map((amount) => money(amount, currency));

function expectInvariant(fn: () => unknown): void {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe("INVARIANT");
    return;
  }
  expect.fail("expected an INVARIANT DomainError");
}

describe("currencies", () => {
  it("know their ISO 4217 exponent", () => {
    expect(currencyExponent("EUR")).toBe(2);
    expect(currencyExponent("JPY")).toBe(0);
    expect(currencyExponent("TND")).toBe(3);
    expect(currencyExponent("KWD")).toBe(3);
  });

  it("are all known to Intl", () => {
    expect(Intl.supportedValuesOf("currency")).toEqual(expect.arrayContaining(Object.keys(CURRENCIES)));
  });

  it("isCurrency rejects unknown codes and inherited keys", () => {
    expect(isCurrency("EUR")).toBe(true);
    expect(isCurrency("eur")).toBe(false);
    expect(isCurrency("XXX")).toBe(false);
    expect(isCurrency("toString")).toBe(false);
    expect(isCurrency(42)).toBe(false);
  });
});

describe("money", () => {
  it("takes bigints and safe integers", () => {
    expect(money(1234, "EUR")).toEqual({ amount: 1234n, currency: "EUR" });
    expect(money(-5n, "USD").amount).toBe(-5n);
  });

  it("refuses fractions, NaN, infinities and unsafe integers", () => {
    for (const bad of [1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53]) expectInvariant(() => money(bad, "EUR"));
  });

  it("refuses an unsupported currency that slipped past the type system", () => {
    expectInvariant(() => money(1n, "XXX" as Currency));
  });

  it("is immutable", () => {
    const m = money(1n, "EUR");
    expect(Object.isFrozen(m)).toBe(true);
  });
});

describe("arithmetic", () => {
  const eur = (n: number) => money(n, "EUR");

  it("adds, subtracts, multiplies and negates", () => {
    expect(add(eur(150), eur(275))).toEqual(eur(425));
    expect(subtract(eur(150), eur(275))).toEqual(eur(-125));
    expect(multiply(eur(1999), 3)).toEqual(eur(5997));
    expect(multiply(eur(1999), 0n)).toEqual(eur(0));
    expect(negate(eur(5))).toEqual(eur(-5));
  });

  it("multiplies only by whole quantities", () => {
    expectInvariant(() => multiply(eur(100), 1.5));
  });

  it("compares and tests sign", () => {
    expect(compare(eur(1), eur(2))).toBe(-1);
    expect(compare(eur(2), eur(2))).toBe(0);
    expect(compare(eur(3), eur(2))).toBe(1);
    expect(equals(eur(2), eur(2))).toBe(true);
    expect(isZero(zero("EUR"))).toBe(true);
    expect(isPositive(eur(1))).toBe(true);
    expect(isNegative(eur(-1))).toBe(true);
    expect(isPositive(eur(0)) || isNegative(eur(0))).toBe(false);
  });

  it("sums an empty list to zero in the given currency", () => {
    expect(sum([], "JPY")).toEqual(zero("JPY"));
    expect(sum([eur(1), eur(2), eur(3)], "EUR")).toEqual(eur(6));
  });

  it("never mixes currencies", () => {
    const usd = money(1, "USD");
    expectInvariant(() => add(eur(1), usd));
    expectInvariant(() => subtract(eur(1), usd));
    expectInvariant(() => compare(eur(1), usd));
    expectInvariant(() => sum([eur(1), usd], "EUR"));
    expectInvariant(() => sum([eur(1)], "USD"));
  });

  it("property: subtract undoes add", () => {
    fc.assert(
      fc.property(currencyArb.chain((c) => fc.tuple(moneyIn(c), moneyIn(c))), ([a, b]) => {
        expect(subtract(add(a, b), b)).toEqual(a);
        expect(add(subtract(a, b), b)).toEqual(a);
      }),
    );
  });

  it("property: sum is associative and order-independent", () => {
    fc.assert(
      fc.property(
        currencyArb.chain((c) => fc.tuple(fc.constant(c), fc.array(moneyIn(c)), fc.array(moneyIn(c)))),
        ([currency, xs, ys]) => {
          const whole = sum([...xs, ...ys], currency);
          expect(add(sum(xs, currency), sum(ys, currency))).toEqual(whole);
          expect(sum([...ys, ...xs].reverse(), currency)).toEqual(whole);
        },
      ),
    );
  });

  it("property: any operation on two different currencies throws", () => {
    const pairArb = fc
      .tuple(moneyArb, moneyArb)
      .filter(([a, b]) => a.currency !== b.currency);
    fc.assert(
      fc.property(pairArb, ([a, b]) => {
        const ops: ((x: Money, y: Money) => unknown)[] = [add, subtract, compare, equals, (x, y) => sum([x, y], x.currency)];
        for (const op of ops) expectInvariant(() => op(a, b));
      }),
    );
  });
});

describe("allocate", () => {
  const eur = (n: number) => money(n, "EUR");
  const amounts = (ms: Money[]) => ms.map((m) => m.amount);

  it("splits evenly, giving leftover cents to the earliest parts", () => {
    expect(amounts(allocate(eur(100), [1, 1, 1]))).toEqual([34n, 33n, 33n]);
    expect(amounts(allocate(eur(5), [1, 1]))).toEqual([3n, 2n]);
  });

  it("gives leftovers to the largest remainders", () => {
    // exact shares 2.857…, 4.285…, 2.857… → the middle part has the largest remainder.
    expect(amounts(allocate(eur(10), [2, 3, 2]))).toEqual([3n, 4n, 3n]);
    expect(amounts(allocate(eur(100), [70, 20, 10]))).toEqual([70n, 20n, 10n]);
  });

  it("mirrors negative totals", () => {
    expect(amounts(allocate(eur(-100), [1, 1, 1]))).toEqual([-34n, -33n, -33n]);
  });

  it("gives nothing to zero ratios", () => {
    expect(amounts(allocate(eur(7), [0, 1, 0, 1]))).toEqual([0n, 4n, 0n, 3n]);
  });

  it("rejects empty, all-zero, negative and fractional ratios", () => {
    expectInvariant(() => allocate(eur(1), []));
    expectInvariant(() => allocate(eur(1), [0, 0n]));
    expectInvariant(() => allocate(eur(1), [1, -1]));
    expectInvariant(() => allocate(eur(1), [0.5, 0.5]));
  });

  it("property: conserves the total and stays within one minor unit of each exact share", () => {
    const ratiosArb = fc
      .array(fc.oneof(fc.bigInt({ min: 0n, max: 10n ** 12n }), fc.nat({ max: 1000 })), { minLength: 1, maxLength: 20 })
      .filter((rs) => rs.some((r) => BigInt(r) > 0n));
    fc.assert(
      fc.property(moneyArb, ratiosArb, (total, ratios) => {
        const parts = allocate(total, ratios);
        expect(parts).toHaveLength(ratios.length);
        expect(sum(parts, total.currency)).toEqual(total);
        const weights = ratios.map(BigInt);
        const weightSum = weights.reduce((s, w) => s + w, 0n);
        parts.forEach((part, i) => {
          // |part − total·w/W| < 1  ⇔  |part·W − total·w| < W, kept in integers.
          const error = part.amount * weightSum - total.amount * weights[i]!;
          expect(error < weightSum && -error < weightSum).toBe(true);
          if (weights[i] === 0n) expect(part.amount).toBe(0n);
        });
      }),
    );
  });

  it("property: is deterministic and a negative total mirrors the positive one", () => {
    fc.assert(
      fc.property(moneyArb, fc.array(fc.nat({ max: 50 }), { minLength: 1, maxLength: 8 }).filter((rs) => rs.some((r) => r > 0)), (total, ratios) => {
        expect(allocate(total, ratios)).toEqual(allocate(total, ratios));
        expect(allocate(negate(total), ratios)).toEqual(allocate(total, ratios).map(negate));
      }),
    );
  });
});

describe("decimal strings", () => {
  it("renders the full exponent", () => {
    expect(toDecimalString(money(1234, "EUR"))).toBe("12.34");
    expect(toDecimalString(money(-5, "EUR"))).toBe("-0.05");
    expect(toDecimalString(money(0, "EUR"))).toBe("0.00");
    expect(toDecimalString(money(1234, "JPY"))).toBe("1234");
    expect(toDecimalString(money(1, "KWD"))).toBe("0.001");
  });

  it("parses exact decimals", () => {
    expect(parseMoney("12.34", "EUR")).toEqual(money(1234, "EUR"));
    expect(parseMoney("12.3", "EUR")).toEqual(money(1230, "EUR"));
    expect(parseMoney("12", "EUR")).toEqual(money(1200, "EUR"));
    expect(parseMoney("-0.05", "EUR")).toEqual(money(-5, "EUR"));
    expect(parseMoney("+7", "JPY")).toEqual(money(7, "JPY"));
    expect(parseMoney("1.234", "TND")).toEqual(money(1234, "TND"));
    expect(parseMoney("9223372036854775.807", "KWD")?.amount).toBe(2n ** 63n - 1n);
  });

  it("returns null for garbage, excess precision and out-of-range amounts", () => {
    const bad = ["", " 1", "1 ", "1,50", "1.", ".5", "1e3", "0x10", "1_000", "1.234", "--1", "abc", "12.34€", "Infinity", "9".repeat(400)];
    for (const input of bad) expect(parseMoney(input, "EUR"), input).toBeNull();
    expect(parseMoney("1.5", "JPY")).toBeNull();
    expect(parseMoney("92233720368547758.08", "EUR")).toBeNull();
    expect(parseMoney("-92233720368547758.08", "EUR")).toBeNull();
  });

  it("property: parseMoney inverts toDecimalString", () => {
    fc.assert(
      fc.property(currencyArb, fc.bigInt({ min: -(2n ** 63n) + 1n, max: 2n ** 63n - 1n }), (currency, amount) => {
        const m = money(amount, currency);
        expect(parseMoney(toDecimalString(m), currency)).toEqual(m);
      }),
    );
  });
});

describe("format", () => {
  it("formats English and French", () => {
    expect(format(money(123456, "EUR"), "en")).toBe("€1,234.56");
    // French groups with U+202F (narrow no-break space) and puts U+00A0 before the symbol.
    expect(format(money(123456, "EUR"), "fr")).toBe("1\u202f234,56\u00a0€");
    expect(format(money(-5, "USD"), "en")).toBe("-$0.05");
  });

  it("uses the currency's exponent", () => {
    expect(format(money(1234, "JPY"), "en")).toBe("¥1,234");
    expect(format(money(1234, "KWD"), "en")).toBe("KWD\u00a01.234");
    expect(format(money(1234, "TND"), "fr")).toBe("1,234\u00a0TND");
  });

  it("stays exact beyond 2^53", () => {
    expect(format(money(2n ** 63n - 1n, "EUR"), "en")).toBe("€92,233,720,368,547,758.07");
  });
});
