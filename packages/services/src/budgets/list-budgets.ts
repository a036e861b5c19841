import type { ActorDeps } from "../deps";
import { dbNow } from "../clock";
import { BUDGET_CURRENCIES } from "./budget-form";
import { assertBuyerCan, buyerOrganization } from "../approvals/shared";
import { budgetStatusOf, scopeNames, treeBuyers, treeOrganizations, type BudgetRow, type BudgetStatusView } from "./shared";

export interface BudgetsView {
  organizationName: string;
  /** Only the root organisation's administrators change budgets; a branch's administrator reads those that apply in its branch. */
  canManage: boolean;
  /** Budgets with their figures for the current UTC period: organisations first, then members. */
  budgets: BudgetStatusView[];
  /** What a budget may be set for: the organisations of the tree and the members who buy. */
  organizations: { id: string; name: string }[];
  members: { id: string; name: string; email: string }[];
  currencies: readonly string[];
}

/**
 * The budgets of the actor's root buyer organisation, each with what it has spent and committed in
 * its current period by the database clock. The root's administrators (manage:budgets:org in the
 * root) see them all, with the organisations and members a budget may be set for; a branch's
 * administrator reads, without changing anything, the budgets that apply in its branch (the
 * branch's own and its members'). Anyone else is FORBIDDEN.
 */
export async function listBudgets(deps: ActorDeps, _input: unknown = {}): Promise<BudgetsView> {
  const { actor, db } = deps;
  assertBuyerCan(actor, "manage:budgets:org");
  const org = await buyerOrganization(db, actor.organizationId);
  const rows = (await db
    .selectFrom("budgets")
    .select(["id", "buyer_id", "organization_id", "user_id", "currency", "amount_minor", "period", "on_exceed"])
    .where("buyer_id", "=", org.rootId)
    .$if(!org.isRoot, (qb) =>
      qb.where((eb) => eb.or([eb("organization_id", "=", org.id), eb("user_id", "in", eb.selectFrom("memberships").select("user_id").where("organization_id", "=", org.id))])),
    )
    .execute()) as BudgetRow[];
  const names = await scopeNames(db, rows);
  const now = await dbNow(db);
  const budgets: BudgetStatusView[] = [];
  for (const row of rows) budgets.push(await budgetStatusOf(db, row, now, names.get(row.organization_id ?? row.user_id!) ?? "", null));
  budgets.sort(
    (a, b) =>
      (a.scope.kind === b.scope.kind ? 0 : a.scope.kind === "organization" ? -1 : 1) ||
      a.scope.name.localeCompare(b.scope.name) ||
      a.amount.currency.localeCompare(b.amount.currency) ||
      a.period.localeCompare(b.period) ||
      a.id.localeCompare(b.id),
  );
  return {
    organizationName: org.name,
    canManage: org.isRoot,
    budgets,
    organizations: org.isRoot ? await treeOrganizations(db, org.rootId) : [],
    members: org.isRoot ? await treeBuyers(db, org.rootId) : [],
    currencies: BUDGET_CURRENCIES,
  };
}
