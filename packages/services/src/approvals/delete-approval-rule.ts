import { z } from "zod";
import { withTransaction } from "@souk/db";
import { notFound } from "@souk/domain";
import { recordAudit } from "../audit/record-audit";
import { assertStillPermitted } from "../authorization";
import type { ActorDeps } from "../deps";
import { parseInput } from "../input";
import { assertRootRuleManager } from "./rule-access";
import { existingId } from "./shared";

export const deleteApprovalRuleSchema = z.object({ ruleId: z.unknown() });
export type DeleteApprovalRuleInput = z.input<typeof deleteApprovalRuleSchema>;

/**
 * Deletes one of the organisation's rules. Purchases that already wait for an approval keep
 * waiting (their approval remembers the threshold and role it was asked with); new ones no longer
 * meet this rule.
 */
export async function deleteApprovalRule(deps: ActorDeps, input: unknown): Promise<{ id: string }> {
  const { actor } = deps;
  const rootId = await assertRootRuleManager(deps.db, actor);
  const ruleId = existingId(parseInput(deleteApprovalRuleSchema, input).ruleId, "ApprovalRule");
  return withTransaction(deps.db, async (trx) => {
    await assertStillPermitted(trx, actor, "manage:approval-rules:org");
    const rule = await trx
      .deleteFrom("approval_rules")
      .where("id", "=", ruleId)
      .where("buyer_id", "=", rootId)
      .returning(["id", "currency", "threshold_minor", "branch_id", "approver_role"])
      .executeTakeFirst();
    if (!rule) throw notFound("ApprovalRule");
    await recordAudit(trx, {
      actor,
      action: "approval_rule.deleted",
      targetType: "approval_rule",
      targetId: rule.id,
      data: { currency: rule.currency, thresholdMinor: rule.threshold_minor, branchId: rule.branch_id, approverRole: rule.approver_role },
    });
    return { id: rule.id };
  });
}
