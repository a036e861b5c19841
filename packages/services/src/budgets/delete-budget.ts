import { z } from "zod";
import { withTransaction } from "@souk/db";
import { notFound } from "@souk/domain";
import { recordAudit } from "../audit/record-audit";
import { assertStillPermitted } from "../authorization";
import type { ActorDeps } from "../deps";
import { existingId, parseInput } from "../input";
import { assertRootBudgetManager } from "./shared";

export const deleteBudgetSchema = z.object({ budgetId: z.unknown() });
export type DeleteBudgetInput = z.input<typeof deleteBudgetSchema>;

/**
 * Deletes one of the organisation's budgets. Approvals it caused keep waiting (their budget link
 * becomes empty); new purchases are no longer checked against it. Another organisation's: NOT_FOUND.
 */
export async function deleteBudget(deps: ActorDeps, input: unknown): Promise<{ id: string }> {
  const { actor } = deps;
  const rootId = await assertRootBudgetManager(deps.db, actor);
  const budgetId = existingId(parseInput(deleteBudgetSchema, input).budgetId, "Budget");
  return withTransaction(deps.db, async (trx) => {
    await assertStillPermitted(trx, actor, "manage:budgets:org");
    const budget = await trx
      .deleteFrom("budgets")
      .where("id", "=", budgetId)
      .where("buyer_id", "=", rootId)
      .returning(["id", "organization_id", "user_id", "currency", "amount_minor", "period", "on_exceed"])
      .executeTakeFirst();
    if (!budget) throw notFound("Budget");
    await recordAudit(trx, {
      actor,
      action: "budget.deleted",
      targetType: "budget",
      targetId: budget.id,
      data: { organizationId: budget.organization_id, userId: budget.user_id, currency: budget.currency, amountMinor: budget.amount_minor, period: budget.period, onExceed: budget.on_exceed },
    });
    return { id: budget.id };
  });
}
