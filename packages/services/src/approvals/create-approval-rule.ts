import { z } from "zod";
import { withTransaction } from "@souk/db";
import { CURRENCIES, isCurrency, parseMoney, validationError } from "@souk/domain";
import { recordAudit } from "../audit/record-audit";
import { assertStillPermitted } from "../authorization";
import type { ActorDeps } from "../deps";
import { emptyToUndefined, normaliseDecimal, parseInput } from "../input";
import { assertRootRuleManager } from "./rule-access";
import { APPROVER_ROLES } from "./shared";

/** The largest threshold a rule takes (the column's bound: amounts stay exact as JavaScript numbers too). */
const MAX_THRESHOLD_MINOR = 9007199254740991n;

export const createApprovalRuleSchema = z
  .object({
    currency: z.preprocess(
      (v) => (typeof v === "string" ? v.trim().toUpperCase() : v),
      z.string({ error: "approvalRule.currency_required" }).min(1, { error: "approvalRule.currency_required", abort: true }).refine(isCurrency, { error: "approvalRule.currency_invalid" }),
    ),
    threshold: z.preprocess((v) => (typeof v === "string" ? v.trim() : v), z.string({ error: "approvalRule.threshold_required" }).min(1, { error: "approvalRule.threshold_required" })),
    branchId: z.preprocess(emptyToUndefined, z.string({ error: "approvalRule.branch_unknown" }).trim().toLowerCase().pipe(z.uuid({ error: "approvalRule.branch_unknown" })).optional()),
    approverRole: z.enum(APPROVER_ROLES, { error: "approvalRule.role_invalid" }),
  })
  .transform((data, ctx) => {
    const amount = isCurrency(data.currency) ? parseMoney(normaliseDecimal(data.threshold), data.currency) : null;
    if (!amount) {
      ctx.addIssue({ code: "custom", path: ["threshold"], message: "approvalRule.threshold_invalid" });
      return z.NEVER;
    }
    if (amount.amount <= 0n || amount.amount > MAX_THRESHOLD_MINOR) {
      ctx.addIssue({ code: "custom", path: ["threshold"], message: amount.amount <= 0n ? "approvalRule.threshold_not_positive" : "approvalRule.threshold_too_large" });
      return z.NEVER;
    }
    return { currency: amount.currency, thresholdMinor: amount.amount, branchId: data.branchId ?? null, approverRole: data.approverRole };
  });
export type CreateApprovalRuleInput = z.input<typeof createApprovalRuleSchema>;

/** The currencies a rule may be set in (the form's choices). */
export const APPROVAL_RULE_CURRENCIES = Object.keys(CURRENCIES) as (keyof typeof CURRENCIES)[];

/**
 * A new approval rule of the actor's (root) buyer organisation: from `threshold` in `currency`, an
 * award or order needs the approval of an `approverRole` member; for the whole organisation, or
 * for one of its branches. One rule per (branch or whole organisation, currency, threshold).
 */
export async function createApprovalRule(deps: ActorDeps, input: unknown): Promise<{ id: string }> {
  const { actor } = deps;
  const rootId = await assertRootRuleManager(deps.db, actor);
  const data = parseInput(createApprovalRuleSchema, input);
  return withTransaction(deps.db, async (trx) => {
    await assertStillPermitted(trx, actor, "manage:approval-rules:org");
    if (data.branchId) {
      const branch = await trx.selectFrom("organizations").select("id").where("id", "=", data.branchId).where("parent_id", "=", rootId).where("kind", "=", "buyer").executeTakeFirst();
      if (!branch) throw validationError({ branchId: ["approvalRule.branch_unknown"] });
    }
    const row = await trx
      .insertInto("approval_rules")
      .values({ buyer_id: rootId, branch_id: data.branchId, currency: data.currency, threshold_minor: data.thresholdMinor.toString(), approver_role: data.approverRole, created_by: actor.userId })
      // The unique index (organisation, branch, currency, threshold) decides between concurrent twins.
      .onConflict((oc) => oc.doNothing())
      .returning("id")
      .executeTakeFirst();
    if (!row) throw validationError({ threshold: ["approvalRule.duplicate"] });
    await recordAudit(trx, {
      actor,
      action: "approval_rule.created",
      targetType: "approval_rule",
      targetId: row.id,
      data: { currency: data.currency, thresholdMinor: data.thresholdMinor.toString(), branchId: data.branchId, approverRole: data.approverRole },
    });
    return { id: row.id };
  });
}
