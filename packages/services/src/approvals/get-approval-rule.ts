import { z } from "zod";
import { notFound } from "@souk/domain";
import type { ActorDeps } from "../deps";
import { parseInput } from "../input";
import type { ApprovalRuleView } from "./list-approval-rules";
import { assertRootRuleManager } from "./rule-access";
import { existingId, moneyOf } from "./shared";

export const getApprovalRuleSchema = z.object({ ruleId: z.unknown() });

/** One rule of the actor's (root) organisation, for the confirmation page of its deletion. */
export async function getApprovalRule(deps: ActorDeps, input: unknown): Promise<ApprovalRuleView> {
  const rootId = await assertRootRuleManager(deps.db, deps.actor);
  const ruleId = existingId(parseInput(getApprovalRuleSchema, input).ruleId, "ApprovalRule");
  const r = await deps.db
    .selectFrom("approval_rules as r")
    .leftJoin("organizations as b", "b.id", "r.branch_id")
    .select(["r.id", "r.currency", "r.threshold_minor", "r.branch_id", "b.name as branch_name", "r.approver_role", "r.created_at"])
    .where("r.id", "=", ruleId)
    .where("r.buyer_id", "=", rootId)
    .executeTakeFirst();
  if (!r) throw notFound("ApprovalRule");
  return {
    id: r.id,
    threshold: moneyOf(r.threshold_minor, r.currency),
    branch: r.branch_id ? { id: r.branch_id, name: r.branch_name ?? "" } : null,
    approverRole: r.approver_role,
    createdAt: r.created_at.toISOString(),
  };
}
