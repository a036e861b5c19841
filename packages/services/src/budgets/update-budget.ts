import { z } from "zod";
import { sql } from "kysely";
import { withTransaction } from "@souk/db";
import { notFound, validationError } from "@souk/domain";
import { recordAudit } from "../audit/record-audit";
import { assertStillPermitted } from "../authorization";
import type { ActorDeps } from "../deps";
import { existingId, parseInput } from "../input";
import { isUniqueViolation } from "../approvals/shared";
import { budgetTermsOf, budgetTermsShape } from "./budget-form";
import { assertRootBudgetManager } from "./shared";

export const updateBudgetSchema = z.object({ budgetId: z.unknown(), ...budgetTermsShape }).transform((data, ctx) => {
  const terms = budgetTermsOf(data, ctx);
  return terms === null ? z.NEVER : { budgetId: data.budgetId, ...terms };
});
export type UpdateBudgetInput = z.input<typeof updateBudgetSchema>;

/**
 * Changes a budget's currency, amount, period or what a purchase beyond it does (its target stays:
 * a budget for someone else is a new budget). The row is locked like the purchase gate locks it, so
 * a change waits for purchases being checked against the old terms and the next ones see the new.
 * Another organisation's budget is NOT_FOUND; a twin of another budget is `period`: budget.duplicate.
 */
export async function updateBudget(deps: ActorDeps, input: unknown): Promise<{ id: string }> {
  const { actor } = deps;
  const rootId = await assertRootBudgetManager(deps.db, actor);
  const data = parseInput(updateBudgetSchema, input);
  const budgetId = existingId(data.budgetId, "Budget");
  try {
    return await withTransaction(deps.db, async (trx) => {
      await assertStillPermitted(trx, actor, "manage:budgets:org");
      const before = await trx.selectFrom("budgets").selectAll().where("id", "=", budgetId).where("buyer_id", "=", rootId).forUpdate().executeTakeFirst();
      if (!before) throw notFound("Budget");
      await trx
        .updateTable("budgets")
        .set({ currency: data.currency, amount_minor: data.amountMinor.toString(), period: data.period, on_exceed: data.onExceed, updated_at: sql<Date>`now()` })
        .where("id", "=", before.id)
        .execute();
      await recordAudit(trx, {
        actor,
        action: "budget.updated",
        targetType: "budget",
        targetId: before.id,
        data: {
          before: { currency: before.currency, amountMinor: before.amount_minor, period: before.period, onExceed: before.on_exceed },
          after: { currency: data.currency, amountMinor: data.amountMinor.toString(), period: data.period, onExceed: data.onExceed },
        },
      });
      return { id: before.id };
    });
  } catch (error) {
    if (isUniqueViolation(error, "budgets_scope_key")) throw validationError({ period: ["budget.duplicate"] });
    throw error;
  }
}
