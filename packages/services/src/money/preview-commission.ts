import { z } from "zod";
import { computeCommission, isCurrency, parseMoney, subtract, validationError, type Currency, type FieldErrors } from "@souk/domain";
import type { ActorDeps } from "../deps";
import { normaliseDecimal, parseInput } from "../input";
import { optionalFilter } from "../list-input";
import { applicableRule } from "./commission-rules-store";
import { commissionRuleView, commissionRuleViews, type CommissionRuleView } from "./commission-rule-view";
import { assertOperatorCan, moneyOf, type MoneyView } from "./shared";

export const previewCommissionSchema = z.object({
  currency: z.preprocess((v) => (typeof v === "string" ? v.trim().toUpperCase() : v), z.string({ error: "commission.currency_invalid" }).refine(isCurrency, { error: "commission.currency_invalid" })),
  /** An order total in major units ("1234.50"). */
  amount: z.string({ error: "commission.preview_amount_invalid" }).max(40, { error: "commission.preview_amount_invalid" }),
  sellerId: optionalFilter(z.string({ error: "commission.seller_unknown" }).trim().toLowerCase().pipe(z.uuid({ error: "commission.seller_unknown" }))),
  categoryId: optionalFilter(z.string({ error: "commission.category_unknown" }).trim().toLowerCase().pipe(z.uuid({ error: "commission.category_unknown" }))),
});
export type PreviewCommissionInput = z.input<typeof previewCommissionSchema>;

export interface CommissionPreview {
  /** The rule settlement would apply (most specific live rule), or null: such an order would not settle. */
  rule: CommissionRuleView | null;
  gross: MoneyView;
  commission: MoneyView | null;
  net: MoneyView | null;
}

/**
 * What settlement would take on an order of `amount` in `currency` for a seller and category: the
 * same rule choice and maths as settleOrder, nothing written. For the operator's rule editor
 * (manage:commission:any). Errors: `currency` "commission.currency_invalid", `amount`
 * "commission.preview_amount_invalid" (not a non-negative amount with the currency's decimals),
 * `sellerId` / `categoryId` "commission.seller_unknown" / "commission.category_unknown".
 */
export async function previewCommission(deps: ActorDeps, input: unknown): Promise<CommissionPreview> {
  assertOperatorCan(deps.actor, "manage:commission:any");
  const data = parseInput(previewCommissionSchema, input);
  const currency = data.currency as Currency;
  const gross = parseMoney(normaliseDecimal(data.amount), currency);
  const errors: FieldErrors = {};
  if (gross === null || gross.amount < 0n) errors.amount = ["commission.preview_amount_invalid"];
  if (data.sellerId && !(await deps.db.selectFrom("organizations").select("id").where("id", "=", data.sellerId).where("kind", "=", "seller").executeTakeFirst())) {
    errors.sellerId = ["commission.seller_unknown"];
  }
  if (data.categoryId && !(await deps.db.selectFrom("categories").select("id").where("id", "=", data.categoryId).executeTakeFirst())) {
    errors.categoryId = ["commission.category_unknown"];
  }
  if (Object.keys(errors).length > 0 || gross === null) throw validationError(errors);

  // No seller: a seller id no rule can name, so only category and default rules compete.
  const rule = await applicableRule(deps.db, { sellerId: data.sellerId ?? "", categoryId: data.categoryId ?? null, currency });
  if (!rule) return { rule: null, gross: moneyOf(gross.amount, currency), commission: null, net: null };
  const commission = computeCommission(rule, gross);
  const view = await commissionRuleViews(deps.db).where("cr.id", "=", rule.id).executeTakeFirstOrThrow();
  return {
    rule: commissionRuleView(view),
    gross: moneyOf(gross.amount, currency),
    commission: moneyOf(commission.amount, currency),
    net: moneyOf(subtract(gross, commission).amount, currency),
  };
}
