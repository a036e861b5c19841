import type { ActorDeps } from "../deps";
import { assertBuyerCan, buyerOrganization, moneyOf, type ApproverRole, type MoneyView } from "./shared";

export interface ApprovalRuleView {
  id: string;
  threshold: MoneyView;
  /** null: the whole organisation (every branch without rules of its own in that currency). */
  branch: { id: string; name: string } | null;
  approverRole: ApproverRole;
  createdAt: string;
}

export interface ApprovalRulesView {
  organizationName: string;
  /** Only the root organisation's administrators change rules; a branch administrator reads the ones that apply to it. */
  canManage: boolean;
  rules: ApprovalRuleView[];
  /** The branches a rule may be narrowed to (root only). */
  branches: { id: string; name: string }[];
}

/**
 * The approval rules of the actor's buyer organisation, by currency then threshold. The root's
 * administrators see them all with the branches to choose from; a branch's administrator sees the
 * rules that may apply to it (the organisation-wide ones and its own) and cannot change them.
 */
export async function listApprovalRules(deps: ActorDeps, _input: unknown = {}): Promise<ApprovalRulesView> {
  const { actor, db } = deps;
  assertBuyerCan(actor, "manage:approval-rules:org");
  const org = await buyerOrganization(db, actor.organizationId);
  const rows = await db
    .selectFrom("approval_rules as r")
    .leftJoin("organizations as b", "b.id", "r.branch_id")
    .select(["r.id", "r.currency", "r.threshold_minor", "r.branch_id", "b.name as branch_name", "r.approver_role", "r.created_at"])
    .where("r.buyer_id", "=", org.rootId)
    .$if(!org.isRoot, (qb) => qb.where((eb) => eb.or([eb("r.branch_id", "is", null), eb("r.branch_id", "=", org.id)])))
    .orderBy("r.currency")
    .orderBy((eb) => eb.fn.coalesce("b.name", eb.val("")))
    .orderBy("r.threshold_minor")
    .execute();
  const branches = org.isRoot
    ? await db.selectFrom("organizations").select(["id", "name"]).where("parent_id", "=", org.id).where("kind", "=", "buyer").orderBy("name").orderBy("id").execute()
    : [];
  return {
    organizationName: org.name,
    canManage: org.isRoot,
    rules: rows.map((r) => ({
      id: r.id,
      threshold: moneyOf(r.threshold_minor, r.currency),
      branch: r.branch_id ? { id: r.branch_id, name: r.branch_name ?? "" } : null,
      approverRole: r.approver_role,
      createdAt: r.created_at.toISOString(),
    })),
    branches,
  };
}
