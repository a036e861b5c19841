/**
 * Commission rules: what the marketplace keeps from an order total when the order settles.
 *
 * PICKING A RULE. Rules are per currency; the most specific live rule of the order's currency wins:
 * a rule for the order's seller, else a rule for the nearest category of the order's category path
 * (the leaf first, then its parents), else the default rule; no rule at all → null (the caller
 * decides: settlement refuses to run without one).
 *
 * COMPUTING IT. With T the order total (minor units, T ≥ 0):
 *
 *   percentage = roundHalfUp(T × rateBps / 10 000)
 *   commission = min(T, max(floor, min(cap ?? ∞, percentage + fixed)))
 *
 * Rounding: the percentage alone is rounded, once, to the nearest minor unit, halves up (away from
 * zero; T ≥ 0 so this is also "towards +∞"): 1 234 minor units at 250 bps = 30.85 → 31. Exact
 * bigint arithmetic, no float ever. The cap applies before the floor, so the floor wins over a cap
 * below it (validation refuses such a rule anyway), and the order total wins over everything: the
 * commission never exceeds the total, so the seller's net (total − commission) is never negative.
 */
import { DomainError, type FieldErrors } from "./errors";
import { INT8_MAX, isCurrency, money, parseMoney, type Currency, type Money } from "./money";

export const COMMISSION_SCOPES = ["default", "category", "seller"] as const;
export type CommissionScope = (typeof COMMISSION_SCOPES)[number];

/** 10 000 basis points = 100 %. */
export const MAX_COMMISSION_RATE_BPS = 10_000;

export interface CommissionRule {
  readonly scope: CommissionScope;
  /** Set for (and only for) a `category` rule. */
  readonly categoryId: string | null;
  /** Set for (and only for) a `seller` rule. */
  readonly sellerId: string | null;
  readonly currency: Currency;
  /** Integer in 0..10 000. */
  readonly rateBps: number;
  /** A fixed fee added to the percentage, minor units ≥ 0. */
  readonly fixedMinor: bigint;
  /** The least commission (unless the order total is less), minor units ≥ 0. */
  readonly floorMinor: bigint;
  /** The most commission, minor units ≥ floor; null = no cap. */
  readonly capMinor: bigint | null;
}

export interface CommissionTarget {
  readonly sellerId: string;
  /** The order's category and its ancestors, the leaf first. May be empty. */
  readonly categoryPath: readonly string[];
  readonly currency: Currency;
}

export function isCommissionScope(value: unknown): value is CommissionScope {
  return typeof value === "string" && (COMMISSION_SCOPES as readonly string[]).includes(value);
}

/**
 * `dividend / divisor` rounded to the nearest integer, halves away from zero (so "half up" for
 * the non-negative amounts of commissions and refunds). `divisor` must be positive.
 */
export function divideRoundHalfUp(dividend: bigint, divisor: bigint): bigint {
  if (divisor <= 0n) throw new DomainError("INVARIANT", "divideRoundHalfUp needs a positive divisor");
  const magnitude = dividend < 0n ? -dividend : dividend;
  const rounded = (2n * magnitude + divisor) / (2n * divisor);
  return dividend < 0n ? -rounded : rounded;
}

/**
 * The rule that applies (see PICKING A RULE), the very object passed in so the caller can freeze
 * its own row (id included) onto the settlement. `rules` are the live (not archived) rules; two
 * live rules for the same scope, target and currency are corrupt data → INVARIANT.
 */
export function pickCommissionRule<R extends CommissionRule>(rules: readonly R[], target: CommissionTarget): R | null {
  const sameCurrency = rules.filter((r) => r.currency === target.currency);
  const only = (candidates: R[], what: string): R | null => {
    if (candidates.length > 1) throw new DomainError("INVARIANT", `Several live ${what} commission rules in ${target.currency}`);
    return candidates[0] ?? null;
  };
  const bySeller = only(
    sameCurrency.filter((r) => r.scope === "seller" && r.sellerId === target.sellerId),
    `seller ${target.sellerId}`,
  );
  if (bySeller) return bySeller;
  for (const categoryId of target.categoryPath) {
    const byCategory = only(
      sameCurrency.filter((r) => r.scope === "category" && r.categoryId === categoryId),
      `category ${categoryId}`,
    );
    if (byCategory) return byCategory;
  }
  return only(
    sameCurrency.filter((r) => r.scope === "default"),
    "default",
  );
}

/** The commission on `total` by `rule` (see COMPUTING IT), in the total's currency. */
export function computeCommission(rule: CommissionRule, total: Money): Money {
  if (rule.currency !== total.currency) {
    throw new DomainError("INVARIANT", `A ${rule.currency} commission rule applied to a ${total.currency} total`);
  }
  if (total.amount < 0n) throw new DomainError("INVARIANT", "Commission on a negative total");
  const errors = validateCommissionRule(rule);
  if (Object.keys(errors).length > 0) throw new DomainError("INVARIANT", `Invalid commission rule: ${JSON.stringify(errors)}`);

  const percentage = divideRoundHalfUp(total.amount * BigInt(rule.rateBps), BigInt(MAX_COMMISSION_RATE_BPS));
  let commission = percentage + rule.fixedMinor;
  if (rule.capMinor !== null && commission > rule.capMinor) commission = rule.capMinor;
  if (commission < rule.floorMinor) commission = rule.floorMinor;
  if (commission > total.amount) commission = total.amount;
  return money(commission, total.currency);
}

/** A commission rule as it arrives to be saved (types not yet trusted: it may come from JSON). */
export interface CommissionRuleInput {
  readonly scope: string;
  readonly categoryId: string | null;
  readonly sellerId: string | null;
  readonly currency: string;
  readonly rateBps: number;
  readonly fixedMinor: bigint;
  readonly floorMinor: bigint;
  readonly capMinor: bigint | null;
}

/**
 * Field errors for a rule, `{}` when valid; the field names are the rule's:
 * - `scope`: "commission.scope_invalid";
 * - `categoryId`: "commission.category_required" (category rule without one),
 *   "commission.category_not_allowed" (a default or seller rule with one);
 * - `sellerId`: "commission.seller_required", "commission.seller_not_allowed" (likewise);
 * - `currency`: "commission.currency_invalid";
 * - `rateBps`: "commission.rate_invalid" (not an integer in 0..10 000);
 * - `fixedMinor` / `floorMinor` / `capMinor`: "commission.amount_invalid" (not a bigint),
 *   "commission.amount_negative", "commission.amount_too_large" (beyond a PostgreSQL bigint);
 * - a cap below the floor: "commission.floor_above_cap" on both `floorMinor` and `capMinor`.
 */
export function validateCommissionRule(input: CommissionRuleInput): FieldErrors {
  const errors: FieldErrors = {};
  const push = (field: string, key: string) => (errors[field] ??= []).push(key);
  const present = (id: string | null) => typeof id === "string" && id.trim() !== "";

  if (!isCommissionScope(input.scope)) push("scope", "commission.scope_invalid");
  else {
    if (input.scope === "category" && !present(input.categoryId)) push("categoryId", "commission.category_required");
    if (input.scope !== "category" && input.categoryId !== null) push("categoryId", "commission.category_not_allowed");
    if (input.scope === "seller" && !present(input.sellerId)) push("sellerId", "commission.seller_required");
    if (input.scope !== "seller" && input.sellerId !== null) push("sellerId", "commission.seller_not_allowed");
  }
  if (!isCurrency(input.currency)) push("currency", "commission.currency_invalid");
  if (!Number.isSafeInteger(input.rateBps) || input.rateBps < 0 || input.rateBps > MAX_COMMISSION_RATE_BPS) {
    push("rateBps", "commission.rate_invalid");
  }

  const amountOk = (field: "fixedMinor" | "floorMinor" | "capMinor", value: unknown): boolean => {
    if (typeof value !== "bigint") push(field, "commission.amount_invalid");
    else if (value < 0n) push(field, "commission.amount_negative");
    else if (value > INT8_MAX) push(field, "commission.amount_too_large");
    else return true;
    return false;
  };
  amountOk("fixedMinor", input.fixedMinor);
  const floorOk = amountOk("floorMinor", input.floorMinor);
  const capOk = input.capMinor === null || amountOk("capMinor", input.capMinor);
  if (floorOk && capOk && input.capMinor !== null && input.capMinor < input.floorMinor) {
    push("floorMinor", "commission.floor_above_cap");
    push("capMinor", "commission.floor_above_cap");
  }
  return errors;
}

/** The operator's form as typed: amounts in major units ("2.50"), the rate in percent ("2.5"). */
export interface CommissionRuleForm {
  readonly scope: string;
  readonly categoryId: string | null;
  readonly sellerId: string | null;
  readonly currency: string;
  /** Percent with at most 2 decimals: "2.5" = 250 bps. */
  readonly ratePercent: string;
  readonly fixed: string;
  readonly floor: string;
  /** "" (or blank) = no cap. */
  readonly cap: string;
}

export type CommissionRuleFormResult = { readonly ok: true; readonly rule: CommissionRule } | { readonly ok: false; readonly fieldErrors: FieldErrors };

const PERCENT = /^(\d{1,3})(?:\.(\d{1,2}))?$/;
const FORM_FIELD: Record<string, string> = { rateBps: "ratePercent", fixedMinor: "fixed", floorMinor: "floor", capMinor: "cap" };

/**
 * Parses the form into a rule, then validates it. Errors are keyed by the FORM's field names
 * (`ratePercent`, `fixed`, `floor`, `cap`, and `scope`, `categoryId`, `sellerId`, `currency`) with
 * the keys of `validateCommissionRule`, plus: "commission.rate_invalid" for a rate that is not a
 * plain percent with at most 2 decimals, "commission.amount_invalid" for an amount that is not a
 * plain decimal or has more decimals than the currency (parseMoney's rules). Blank ids count as null.
 */
export function parseCommissionRuleForm(form: CommissionRuleForm): CommissionRuleFormResult {
  const errors: FieldErrors = {};
  const push = (field: string, key: string) => (errors[field] ??= []).push(key);
  const currency = isCurrency(form.currency) ? form.currency : null;
  const blankToNull = (id: string | null) => (id === null || id.trim() === "" ? null : id.trim());

  const rate = PERCENT.exec(form.ratePercent.trim());
  const rateBps = rate ? Number(rate[1]) * 100 + Number((rate[2] ?? "").padEnd(2, "0")) : null;
  if (rateBps === null) push("ratePercent", "commission.rate_invalid");

  const amount = (field: "fixed" | "floor" | "cap", raw: string): bigint | null => {
    if (currency === null) return 0n; // reported on `currency`; the exponent is unknown
    const parsed = parseMoney(raw.trim(), currency);
    if (parsed === null) push(field, "commission.amount_invalid");
    return parsed?.amount ?? null;
  };
  const fixedMinor = amount("fixed", form.fixed);
  const floorMinor = amount("floor", form.floor);
  const capMinor = form.cap.trim() === "" ? null : amount("cap", form.cap);

  const candidate = {
    scope: form.scope,
    categoryId: blankToNull(form.categoryId),
    sellerId: blankToNull(form.sellerId),
    currency: form.currency,
    rateBps: rateBps ?? 0,
    fixedMinor: fixedMinor ?? 0n,
    floorMinor: floorMinor ?? 0n,
    capMinor: form.cap.trim() === "" ? null : (capMinor ?? 0n),
  };
  // A field that did not parse already has its error; its placeholder value must not add more
  // (nor make the floor/cap comparison, which needs both amounts).
  const unparsed = new Set(Object.keys(errors));
  const boundsUnparsed = unparsed.has("floor") || unparsed.has("cap");
  for (const [field, keys] of Object.entries(validateCommissionRule(candidate))) {
    const formField = FORM_FIELD[field] ?? field;
    if (unparsed.has(formField)) continue;
    for (const key of keys) if (!(key === "commission.floor_above_cap" && boundsUnparsed)) push(formField, key);
  }
  if (Object.keys(errors).length > 0) return { ok: false, fieldErrors: errors };
  return { ok: true, rule: candidate as CommissionRule };
}
