import { sql } from "kysely";
import { z } from "zod";
import { withTransaction } from "@souk/db";
import { DomainError, validationError } from "@souk/domain";
import { recordAudit } from "../audit/record-audit";
import { assertStillPermitted } from "../authorization";
import type { ActorDeps } from "../deps";
import { formIdOf, parseInput } from "../input";
import { assertOperatorCan } from "./shared";

export const archiveCommissionRuleSchema = z.object({ ruleId: z.unknown() });
export type ArchiveCommissionRuleInput = z.input<typeof archiveCommissionRuleSchema>;

/**
 * Retires a live commission rule (kept for history: past settlements froze it). Orders then go by
 * the next most specific rule; an order whose currency is left without any rule does not settle
 * (commission.no_rule) until one is added. Already archived → CONFLICT "commission.rule_archived";
 * an unknown rule (the archive button's field) → `ruleId`: commission.rule_unknown.
 */
export async function archiveCommissionRule(deps: ActorDeps, input: unknown): Promise<{ ruleId: string }> {
  const { actor } = deps;
  assertOperatorCan(actor, "manage:commission:any");
  const ruleId = formIdOf(parseInput(archiveCommissionRuleSchema, input).ruleId, "ruleId", "commission.rule_unknown");
  return withTransaction(deps.db, async (trx) => {
    await assertStillPermitted(trx, actor, "manage:commission:any");
    const rule = await trx.selectFrom("commission_rules").select(["id", "scope", "category_id", "seller_id", "currency", "archived_at"]).where("id", "=", ruleId).forUpdate().executeTakeFirst();
    if (!rule) throw validationError({ ruleId: ["commission.rule_unknown"] });
    if (rule.archived_at !== null) throw new DomainError("CONFLICT", "commission.rule_archived", { _form: ["commission.rule_archived"] });
    await trx.updateTable("commission_rules").set({ archived_at: sql<Date>`now()`, updated_at: sql<Date>`now()` }).where("id", "=", rule.id).execute();
    await recordAudit(trx, {
      actor,
      ...(rule.seller_id ? { organizationId: rule.seller_id } : {}),
      action: "commission_rule.archived",
      targetType: "commission_rule",
      targetId: rule.id,
      data: { scope: rule.scope, categoryId: rule.category_id, sellerId: rule.seller_id, currency: rule.currency },
    });
    return { ruleId: rule.id };
  });
}
