import { z } from "zod";
import { budgetVerdict, combineBudgetVerdicts, forbidden, INT8_MAX, isCurrency, can, type BudgetVerdict } from "@souk/domain";
import { buyerOrganization } from "../approvals/shared";
import { dbNow } from "../clock";
import type { ActorDeps } from "../deps";
import { parseInput } from "../input";
import { applicableBudgets, budgetStatusOf, scopeNames, type BudgetStatusView } from "./shared";

/** A prospective purchase's total in minor units: an integer string (a safe integer or a bigint is taken as one). */
const toAmountText = (v: unknown) => (v === undefined || v === null || v === "" ? undefined : typeof v === "bigint" || (typeof v === "number" && Number.isSafeInteger(v)) ? v.toString() : v);
const amountText = z
  .string({ error: "budget.amount_invalid" })
  .regex(/^\d{1,19}$/, { error: "budget.amount_invalid" })
  .transform((s) => BigInt(s))
  .refine((n) => n <= INT8_MAX, { error: "budget.amount_invalid" });

export const getBudgetStatusSchema = z.object({
  currency: z.preprocess((v) => (typeof v === "string" && v.trim() !== "" ? v.trim().toUpperCase() : undefined), z.string().refine(isCurrency, { error: "budget.currency_invalid" }).optional()),
  /** The prospective purchase's total in minor units (an integer string), if known. */
  amountMinor: z.preprocess(toAmountText, amountText.optional()),
  /**
   * Several prospective totals (a comparison's offers, each awarded whole): one verdict each, from
   * one reading of the budgets, where a call per amount would read them again for every one.
   */
  amountsMinor: z.array(z.preprocess(toAmountText, amountText), { error: "budget.amount_invalid" }).max(1_000, { error: "budget.amount_invalid" }).optional(),
});
export type GetBudgetStatusInput = z.input<typeof getBudgetStatusSchema>;

export interface BudgetStatus {
  /** The budgets that apply to the actor's purchases here (its organisation's and its own), in `currency` when given. */
  budgets: BudgetStatusView[];
  /** With an amount: what a purchase of it would do overall (any refusal refuses, else any excess needs approval). */
  verdict: BudgetVerdict | null;
  /** The same for each of `amountsMinor`, in their order (empty without them). */
  verdicts: BudgetVerdict[];
}

/**
 * Before a purchase or an award: the budgets that would apply to one made by the actor now (its
 * organisation's budget and its own member budget), with their amount, spent, committed and
 * remaining figures for the current UTC period, and, given an amount, what that purchase would do.
 * With `amountsMinor`, the verdict of each amount too, from the same figures (one reading of the
 * budgets for a whole comparison). For the members who buy (create:order:org or award:rfq:org).
 * The figures are a preview: the purchase itself checks again under the budgets' row locks.
 */
export async function getBudgetStatus(deps: ActorDeps, input: unknown = {}): Promise<BudgetStatus> {
  const { actor, db } = deps;
  if (actor.organizationKind !== "buyer" || (!can(actor.organizationKind, actor.role, "create:order:org") && !can(actor.organizationKind, actor.role, "award:rfq:org"))) {
    throw forbidden("Missing permission create:order:org");
  }
  const data = parseInput(getBudgetStatusSchema, input);
  const org = await buyerOrganization(db, actor.organizationId);
  const rows = await applicableBudgets(db, { rootId: org.rootId, organizationId: org.id, userId: actor.userId, ...(data.currency ? { currency: data.currency } : {}) });
  const names = await scopeNames(db, rows);
  const now = await dbNow(db);
  const budgets: BudgetStatusView[] = [];
  for (const row of rows) budgets.push(await budgetStatusOf(db, row, now, names.get(row.organization_id ?? row.user_id!) ?? "", data.amountMinor ?? null));
  budgets.sort((a, b) => (a.scope.kind === b.scope.kind ? 0 : a.scope.kind === "organization" ? -1 : 1) || a.amount.currency.localeCompare(b.amount.currency) || a.period.localeCompare(b.period));
  const verdictOf = (amountMinor: bigint) =>
    combineBudgetVerdicts(
      budgets.map((b) =>
        budgetVerdict({ amountMinor: BigInt(b.amount.amountMinor), spentMinor: BigInt(b.spent.amountMinor), committedMinor: BigInt(b.committed.amountMinor), onExceed: b.onExceed }, amountMinor),
      ),
    );
  return {
    budgets,
    verdict: data.amountMinor === undefined ? null : combineBudgetVerdicts(budgets.map((b) => b.verdict!)),
    verdicts: (data.amountsMinor ?? []).map(verdictOf),
  };
}
