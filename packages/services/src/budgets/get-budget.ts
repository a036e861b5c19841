import { z } from "zod";
import { notFound } from "@souk/domain";
import { dbNow } from "../clock";
import type { ActorDeps } from "../deps";
import { existingId, parseInput } from "../input";
import { BUDGET_CURRENCIES } from "./budget-form";
import { assertRootBudgetManager, budgetStatusOf, scopeNames, type BudgetRow, type BudgetStatusView } from "./shared";

export const getBudgetSchema = z.object({ budgetId: z.unknown() });

/** One budget of the actor's root organisation with its current figures (edit and delete pages); another's is NOT_FOUND. */
export async function getBudget(deps: ActorDeps, input: unknown): Promise<{ budget: BudgetStatusView; currencies: readonly string[] }> {
  const { actor, db } = deps;
  const rootId = await assertRootBudgetManager(db, actor);
  const budgetId = existingId(parseInput(getBudgetSchema, input).budgetId, "Budget");
  const row = (await db
    .selectFrom("budgets")
    .select(["id", "buyer_id", "organization_id", "user_id", "currency", "amount_minor", "period", "on_exceed"])
    .where("id", "=", budgetId)
    .where("buyer_id", "=", rootId)
    .executeTakeFirst()) as BudgetRow | undefined;
  if (!row) throw notFound("Budget");
  const names = await scopeNames(db, [row]);
  return { budget: await budgetStatusOf(db, row, await dbNow(db), names.get(row.organization_id ?? row.user_id!) ?? "", null), currencies: BUDGET_CURRENCIES };
}
