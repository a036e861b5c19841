/**
 * Money as an integer number of minor units (bigint) plus an ISO 4217 currency.
 *
 * No floats anywhere: amounts are stored, added and split as bigints, and formatting hands Intl an
 * exact decimal string rather than a number. Every binary operation refuses to mix currencies,
 * because a silent EUR + USD is a ledger bug that no later check can undo.
 */
import { DomainError } from "./errors";

/**
 * Supported currencies and their ISO 4217 minor-unit exponent. The exponent is ours, not CLDR's:
 * Intl sometimes shows fewer digits than ISO 4217 defines, and amounts must round-trip exactly.
 */
export const CURRENCIES = {
  AED: 2,
  AUD: 2,
  BHD: 3,
  CAD: 2,
  CHF: 2,
  CNY: 2,
  CZK: 2,
  DKK: 2,
  DZD: 2,
  EGP: 2,
  EUR: 2,
  GBP: 2,
  HKD: 2,
  HUF: 2,
  INR: 2,
  JOD: 3,
  JPY: 0,
  KRW: 0,
  KWD: 3,
  MAD: 2,
  MXN: 2,
  NOK: 2,
  NZD: 2,
  OMR: 3,
  PLN: 2,
  QAR: 2,
  RON: 2,
  SAR: 2,
  SEK: 2,
  SGD: 2,
  TND: 3,
  TRY: 2,
  USD: 2,
  XAF: 0,
  XOF: 0,
  ZAR: 2,
} as const satisfies Record<string, 0 | 2 | 3>;

export type Currency = keyof typeof CURRENCIES;

export interface Money {
  readonly amount: bigint;
  readonly currency: Currency;
}

export type MoneyLocale = "en" | "fr";

/** PostgreSQL `bigint`'s largest value: an amount must fit the column it will be stored in. */
export const INT8_MAX = 2n ** 63n - 1n;

export function isCurrency(value: unknown): value is Currency {
  return typeof value === "string" && Object.hasOwn(CURRENCIES, value);
}

export function currencyExponent(currency: Currency): number {
  return CURRENCIES[assertCurrency(currency)];
}

function assertCurrency(currency: Currency): Currency {
  // Currencies also arrive from the database and JSON, where the type system cannot vouch for them.
  if (!isCurrency(currency)) throw new DomainError("INVARIANT", `Unsupported currency: ${String(currency)}`);
  return currency;
}

function toInteger(value: bigint | number, what: string): bigint {
  if (typeof value === "bigint") return value;
  // Beyond 2^53 a number has already lost precision, so accepting it would hide the loss.
  if (!Number.isSafeInteger(value)) throw new DomainError("INVARIANT", `${what} must be a safe integer, got ${value}`);
  return BigInt(value);
}

/** Builds an amount in minor units: `money(1234, "EUR")` is €12.34. */
export function money(amount: bigint | number, currency: Currency): Money {
  return Object.freeze({ amount: toInteger(amount, "Amount"), currency: assertCurrency(currency) });
}

export function zero(currency: Currency): Money {
  return money(0n, currency);
}

function sameCurrency(a: Money, b: Money): Currency {
  if (a.currency !== b.currency) {
    throw new DomainError("INVARIANT", `Currency mismatch: ${a.currency} and ${b.currency}`);
  }
  return a.currency;
}

export function add(a: Money, b: Money): Money {
  return money(a.amount + b.amount, sameCurrency(a, b));
}

export function subtract(a: Money, b: Money): Money {
  return money(a.amount - b.amount, sameCurrency(a, b));
}

export function multiply(m: Money, quantity: bigint | number): Money {
  return money(m.amount * toInteger(quantity, "Quantity"), m.currency);
}

export function negate(m: Money): Money {
  return money(-m.amount, m.currency);
}

export function isZero(m: Money): boolean {
  return m.amount === 0n;
}

export function isPositive(m: Money): boolean {
  return m.amount > 0n;
}

export function isNegative(m: Money): boolean {
  return m.amount < 0n;
}

export function compare(a: Money, b: Money): -1 | 0 | 1 {
  sameCurrency(a, b);
  return a.amount < b.amount ? -1 : a.amount > b.amount ? 1 : 0;
}

export function equals(a: Money, b: Money): boolean {
  return compare(a, b) === 0;
}

/** Sums a list that must be entirely in `currency`; the currency is explicit so `[]` has a total. */
export function sum(list: Iterable<Money>, currency: Currency): Money {
  let total = zero(currency);
  for (const m of list) total = add(total, m);
  return total;
}

/**
 * Splits `total` over parts in proportion to `ratios` without losing or creating a minor unit
 * (largest-remainder method). Each part is within one minor unit of its exact share; a zero ratio
 * always gets zero. Ties go to the earlier part, so the result is deterministic. A negative total
 * is split as the mirror image of the positive one, so refunds reverse charges part for part.
 */
export function allocate(total: Money, ratios: readonly (bigint | number)[]): Money[] {
  const weights = ratios.map((r) => toInteger(r, "Ratio"));
  if (weights.some((w) => w < 0n)) throw new DomainError("INVARIANT", "Allocation ratios must not be negative");
  const weightSum = weights.reduce((s, w) => s + w, 0n);
  if (weightSum === 0n) throw new DomainError("INVARIANT", "Allocation needs at least one positive ratio");

  const sign = total.amount < 0n ? -1n : 1n;
  const units = total.amount * sign;
  const shares = weights.map((w) => (units * w) / weightSum);
  let leftover = units - shares.reduce((s, x) => s + x, 0n);

  // leftover < number of parts with a non-zero remainder, so zero-ratio parts never receive one.
  const byRemainder = weights
    .map((w, index) => ({ index, remainder: (units * w) % weightSum }))
    .sort((a, b) => (a.remainder === b.remainder ? a.index - b.index : a.remainder > b.remainder ? -1 : 1));
  for (const { index } of byRemainder) {
    if (leftover === 0n) break;
    shares[index]! += 1n;
    leftover -= 1n;
  }
  return shares.map((share) => money(share * sign, total.currency));
}

/** Exact decimal form in major units with the currency's full exponent: "-12.30", "1234" (JPY). */
export function toDecimalString(m: Money): string {
  const exponent = currencyExponent(m.currency);
  const digits = (m.amount < 0n ? -m.amount : m.amount).toString();
  const sign = m.amount < 0n ? "-" : "";
  if (exponent === 0) return sign + digits;
  const padded = digits.padStart(exponent + 1, "0");
  return `${sign}${padded.slice(0, -exponent)}.${padded.slice(-exponent)}`;
}

const DECIMAL = /^([+-]?)(\d+)(?:\.(\d+))?$/;

/**
 * Parses untrusted decimal input ("12.34", "-5", "0.5") exactly. Returns null rather than
 * throwing, so callers can attach their own field-level message key: anything but plain digits
 * with an optional sign and "." (no spaces, thousands separators or exponents), more decimals than
 * the currency has, or an amount outside PostgreSQL's bigint range is rejected.
 */
export function parseMoney(input: string, currency: Currency): Money | null {
  const exponent = currencyExponent(currency);
  const match = DECIMAL.exec(input);
  if (!match) return null;
  const [, sign, whole = "", fraction = ""] = match;
  if (fraction.length > exponent) return null;
  // Bounds the BigInt conversion below for absurdly long input.
  if (whole.replace(/^0+/, "").length > 19) return null;
  const magnitude = BigInt(whole + fraction.padEnd(exponent, "0"));
  if (magnitude > INT8_MAX) return null;
  return money(sign === "-" ? -magnitude : magnitude, currency);
}

const formatters = new Map<string, Intl.NumberFormat>();

/** Locale-aware display, e.g. "€1,234.56" (en) or "1 234,56 €" (fr, with the spaces Intl emits). */
export function format(m: Money, locale: MoneyLocale): string {
  const key = `${locale}:${m.currency}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    const digits = currencyExponent(m.currency);
    formatter = new Intl.NumberFormat(locale, {
      style: "currency",
      currency: m.currency,
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    });
    formatters.set(key, formatter);
  }
  // A decimal string keeps amounts beyond 2^53 exact; Intl would round a number.
  return formatter.format(toDecimalString(m) as Intl.StringNumericLiteral);
}
