import { z } from "zod";
import { sql } from "kysely";
import { withTransaction } from "@souk/db";
import { validationError } from "@souk/domain";
import { recordAudit } from "../audit/record-audit";
import { assertStillPermitted } from "../authorization";
import type { ActorDeps } from "../deps";
import { parseInput } from "../input";
import { budgetTargetField, budgetTermsOf, budgetTermsShape } from "./budget-form";
import { assertRootBudgetManager, treeOf } from "./shared";

export const createBudgetSchema = z.object({ target: budgetTargetField, ...budgetTermsShape }).transform((data, ctx) => {
  const terms = budgetTermsOf(data, ctx);
  return terms === null ? z.NEVER : { target: data.target, ...terms };
});
export type CreateBudgetInput = z.input<typeof createBudgetSchema>;

/**
 * A new budget of the actor's root buyer organisation, for one organisation of its tree (the root
 * itself or a branch) or for one member of the tree who buys (admin or purchaser): an amount in a
 * currency per UTC calendar month or quarter, and what a purchase beyond it does (approval or
 * refuse). One budget per (target, currency, period): a second one is `target`: budget.duplicate.
 */
export async function createBudget(deps: ActorDeps, input: unknown): Promise<{ id: string }> {
  const { actor } = deps;
  const rootId = await assertRootBudgetManager(deps.db, actor);
  const data = parseInput(createBudgetSchema, input);
  return withTransaction(deps.db, async (trx) => {
    await assertStillPermitted(trx, actor, "manage:budgets:org");
    if (data.target.kind === "organization") {
      const { rows } = await sql<{ id: string }>`select id from organizations where id = ${data.target.id} and id in ${treeOf(rootId)}`.execute(trx);
      if (rows.length === 0) throw validationError({ target: ["budget.target_unknown"] });
    } else {
      const { rows } = await sql<{ user_id: string }>`
        select user_id from memberships where user_id = ${data.target.id} and organization_id in ${treeOf(rootId)} and role in ('admin', 'purchaser') limit 1`.execute(trx);
      if (rows.length === 0) throw validationError({ target: ["budget.target_unknown"] });
    }
    const row = await trx
      .insertInto("budgets")
      .values({
        buyer_id: rootId,
        organization_id: data.target.kind === "organization" ? data.target.id : null,
        user_id: data.target.kind === "member" ? data.target.id : null,
        currency: data.currency,
        amount_minor: data.amountMinor.toString(),
        period: data.period,
        on_exceed: data.onExceed,
        created_by: actor.userId,
      })
      // The unique index (organisation, target, currency, period) decides between concurrent twins.
      .onConflict((oc) => oc.doNothing())
      .returning("id")
      .executeTakeFirst();
    if (!row) throw validationError({ target: ["budget.duplicate"] });
    await recordAudit(trx, {
      actor,
      action: "budget.created",
      targetType: "budget",
      targetId: row.id,
      data: { target: data.target, currency: data.currency, amountMinor: data.amountMinor.toString(), period: data.period, onExceed: data.onExceed },
    });
    return { id: row.id };
  });
}
