import { z } from "zod";
import { BUDGET_ON_EXCEED, BUDGET_PERIODS, CURRENCIES, isCurrency, parseMoney, type BudgetOnExceed, type BudgetPeriodKind, type Currency } from "@souk/domain";
import { normaliseDecimal } from "../input";
import { MAX_BUDGET_MINOR } from "./shared";

/** The currencies a budget may be set in (the form's choices). */
export const BUDGET_CURRENCIES = Object.keys(CURRENCIES) as (keyof typeof CURRENCIES)[];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The budget form: its target (`org:<organisationId>` for an organisation of the tree, or
 * `user:<userId>` for a member; create only), currency, amount (a decimal in major units), period
 * (UTC calendar month or quarter) and what happens to a purchase beyond it.
 */
export const budgetTermsShape = {
  currency: z.preprocess(
    (v) => (typeof v === "string" ? v.trim().toUpperCase() : v),
    z.string({ error: "budget.currency_required" }).min(1, { error: "budget.currency_required", abort: true }).refine(isCurrency, { error: "budget.currency_invalid" }),
  ),
  amount: z.preprocess((v) => (typeof v === "string" ? v.trim() : v), z.string({ error: "budget.amount_required" }).min(1, { error: "budget.amount_required" })),
  period: z.enum(BUDGET_PERIODS, { error: "budget.period_invalid" }),
  onExceed: z.enum(BUDGET_ON_EXCEED, { error: "budget.on_exceed_invalid" }),
};

export interface BudgetTerms {
  currency: Currency;
  amountMinor: bigint;
  period: BudgetPeriodKind;
  onExceed: BudgetOnExceed;
}

/** The parsed terms, or an `amount` issue (not a decimal of the currency, not positive, too large). */
export function budgetTermsOf(data: { currency: string; amount: string; period: BudgetPeriodKind; onExceed: BudgetOnExceed }, ctx: z.RefinementCtx): BudgetTerms | null {
  const amount = isCurrency(data.currency) ? parseMoney(normaliseDecimal(data.amount), data.currency) : null;
  if (!amount) {
    ctx.addIssue({ code: "custom", path: ["amount"], message: "budget.amount_invalid" });
    return null;
  }
  if (amount.amount <= 0n || amount.amount > MAX_BUDGET_MINOR) {
    ctx.addIssue({ code: "custom", path: ["amount"], message: amount.amount <= 0n ? "budget.amount_not_positive" : "budget.amount_too_large" });
    return null;
  }
  return { currency: amount.currency, amountMinor: amount.amount, period: data.period, onExceed: data.onExceed };
}

export const budgetTargetField = z.preprocess(
  (v) => (typeof v === "string" ? v.trim().toLowerCase() : v),
  z
    .string({ error: "budget.target_required" })
    .min(1, { error: "budget.target_required", abort: true })
    .transform((value, ctx) => {
      const match = /^(org|user):(.+)$/.exec(value);
      if (!match || !UUID.test(match[2]!)) {
        ctx.addIssue({ code: "custom", message: "budget.target_unknown" });
        return z.NEVER;
      }
      return match[1] === "org" ? { kind: "organization" as const, id: match[2]! } : { kind: "member" as const, id: match[2]! };
    }),
);
