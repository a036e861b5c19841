import { sql } from "kysely";
import type { Db } from "@souk/db";
import { budgetPeriodBounds, budgetRemaining, budgetVerdict, forbidden, type Actor, type BudgetOnExceed, type BudgetPeriodKind, type BudgetVerdict } from "@souk/domain";
import { moneyOf, type MoneyView } from "../catalogue/pricing/money-view";
import { assertBuyerCan, buyerOrganization } from "../approvals/shared";

/** Helpers of the budget use cases (not exported from the package). */

/** The largest amount a budget takes (the column's bound: amounts stay exact as JavaScript numbers too). */
export const MAX_BUDGET_MINOR = 9007199254740991n;

/**
 * Budgets belong to the root organisation and are set by its administrators only (manage:budgets:org
 * in the root): a branch's administrator holds the same permission in the branch but manages nothing.
 */
export async function assertRootBudgetManager(db: Db, actor: Actor): Promise<string> {
  assertBuyerCan(actor, "manage:budgets:org");
  const org = await buyerOrganization(db, actor.organizationId);
  if (!org.isRoot) throw forbidden("budget.root_only");
  return org.id;
}

/** The organisations of a root's tree (the root and its branches, however deep), as a SQL subquery. */
export function treeOf(rootId: string) {
  return sql<string>`(
    with recursive tree (id, depth) as (
      select id, 0 from organizations where id = ${rootId} and kind = 'buyer'
      union all
      select o.id, tree.depth + 1 from organizations o join tree on o.parent_id = tree.id where o.kind = 'buyer' and tree.depth < 16
    )
    select id from tree)`;
}

/** The organisations of a root's tree, root first then branches by name. */
export async function treeOrganizations(db: Db, rootId: string): Promise<{ id: string; name: string }[]> {
  const { rows } = await sql<{ id: string; name: string }>`
    select o.id, o.name from organizations o where o.id in ${treeOf(rootId)}
    order by (o.id = ${rootId}) desc, o.name, o.id`.execute(db);
  return rows;
}

/** The members of a root's tree who may buy (create orders or award RFQs): the possible targets of a member budget. */
export async function treeBuyers(db: Db, rootId: string): Promise<{ id: string; name: string; email: string }[]> {
  const { rows } = await sql<{ id: string; name: string; email: string }>`
    select distinct u.id, u.name, u.email::text as email from users u
    join memberships m on m.user_id = u.id
    where m.organization_id in ${treeOf(rootId)} and m.role in ('admin', 'purchaser')
    order by u.name, u.id`.execute(db);
  return rows;
}

export interface BudgetRow {
  id: string;
  buyer_id: string;
  organization_id: string | null;
  user_id: string | null;
  currency: string;
  amount_minor: string;
  period: BudgetPeriodKind;
  on_exceed: BudgetOnExceed;
}

/** A purchase or award being gated: it is already written (pending) and must not count against itself. */
export interface ExcludedSubject {
  kind: "award" | "purchase";
  id: string;
}

export interface BudgetFigures {
  spentMinor: bigint;
  committedMinor: bigint;
  start: Date;
  end: Date;
}

/**
 * What a budget has used in its period around `now` (the database clock):
 * - spent: orders of the period (placed_at) that were not rejected or cancelled — for an
 *   organisation, the orders of that organisation; for a member, the orders of the tree whose
 *   purchase or award the member requested;
 * - committed: purchases and awards of the period (requested then) still waiting for approval, the
 *   same way, leaving out `exclude` (the purchase being gated).
 */
export async function budgetFigures(db: Db, budget: BudgetRow, now: Date, exclude: ExcludedSubject | null = null): Promise<BudgetFigures> {
  const { start, end } = budgetPeriodBounds(budget.period, now);
  const excludedPurchase = exclude?.kind === "purchase" ? exclude.id : null;
  const excludedAward = exclude?.kind === "award" ? exclude.id : null;
  const scope = budget.organization_id
    ? {
        orders: sql`o.buyer_id = ${budget.organization_id}`,
        purchases: sql`p.buyer_id = ${budget.organization_id}`,
        awards: sql`aw.buyer_id = ${budget.organization_id}`,
      }
    : {
        orders: sql`o.buyer_id in ${treeOf(budget.buyer_id)} and (
            exists (select 1 from purchases p where p.id = o.purchase_id and p.placed_by = ${budget.user_id})
            or exists (select 1 from awards aw where aw.id = o.award_id and aw.created_by = ${budget.user_id}))`,
        purchases: sql`p.buyer_id in ${treeOf(budget.buyer_id)} and p.placed_by = ${budget.user_id}`,
        awards: sql`aw.buyer_id in ${treeOf(budget.buyer_id)} and aw.created_by = ${budget.user_id}`,
      };
  const { rows } = await sql<{ spent: string; committed_purchases: string; committed_awards: string }>`
    select
      (select coalesce(sum(o.total_minor), 0) from orders o
        where ${scope.orders} and o.currency = ${budget.currency} and o.status not in ('rejected', 'cancelled')
          and o.placed_at >= ${start} and o.placed_at < ${end})::text as spent,
      (select coalesce(sum(p.total_minor), 0) from purchases p
        where ${scope.purchases} and p.currency = ${budget.currency} and p.status = 'pending_approval'
          and p.created_at >= ${start} and p.created_at < ${end} and p.id is distinct from ${excludedPurchase}::uuid)::text as committed_purchases,
      (select coalesce(sum(aw.total_minor), 0) from awards aw
        where ${scope.awards} and aw.currency = ${budget.currency} and aw.status = 'pending_approval'
          and aw.created_at >= ${start} and aw.created_at < ${end} and aw.id is distinct from ${excludedAward}::uuid)::text as committed_awards`.execute(db);
  const row = rows[0]!;
  return { spentMinor: BigInt(row.spent), committedMinor: BigInt(row.committed_purchases) + BigInt(row.committed_awards), start, end };
}

/**
 * The budgets that apply to a purchase in `currency` by `organizationId` requested by `userId`: the
 * buying organisation's and the requester's (member) budgets of the root's tree, in id order. With
 * `lock`, they are locked FOR UPDATE (in id order, so two purchases never wait on each other in a cycle).
 */
export async function applicableBudgets(db: Db, input: { rootId: string; organizationId: string; userId: string; currency?: string; lock?: boolean }): Promise<BudgetRow[]> {
  let query = db
    .selectFrom("budgets")
    .select(["id", "buyer_id", "organization_id", "user_id", "currency", "amount_minor", "period", "on_exceed"])
    .where("buyer_id", "=", input.rootId)
    .where((eb) => eb.or([eb("organization_id", "=", input.organizationId), eb("user_id", "=", input.userId)]))
    .$if(input.currency !== undefined, (qb) => qb.where("currency", "=", input.currency!))
    .orderBy("id");
  if (input.lock) query = query.forUpdate();
  return query.execute();
}

export interface BudgetStatusView {
  id: string;
  scope: { kind: "organization" | "member"; id: string; name: string };
  period: BudgetPeriodKind;
  onExceed: BudgetOnExceed;
  amount: MoneyView;
  spent: MoneyView;
  committed: MoneyView;
  /** amount − spent − committed (negative when over). */
  remaining: MoneyView;
  /** The current period [start, end) in UTC. */
  periodStart: string;
  periodEnd: string;
  /** What the purchase asked about would do to this budget (null when no amount was given). */
  verdict: BudgetVerdict | null;
}

/** A budget with its figures, as pages show it. */
export async function budgetStatusOf(db: Db, budget: BudgetRow, now: Date, scopeName: string, amountMinor: bigint | null): Promise<BudgetStatusView> {
  const figures = await budgetFigures(db, budget, now);
  const usage = { amountMinor: BigInt(budget.amount_minor), spentMinor: figures.spentMinor, committedMinor: figures.committedMinor };
  return {
    id: budget.id,
    scope: budget.organization_id ? { kind: "organization", id: budget.organization_id, name: scopeName } : { kind: "member", id: budget.user_id!, name: scopeName },
    period: budget.period,
    onExceed: budget.on_exceed,
    amount: moneyOf(budget.amount_minor, budget.currency),
    spent: moneyOf(figures.spentMinor, budget.currency),
    committed: moneyOf(figures.committedMinor, budget.currency),
    remaining: moneyOf(budgetRemaining(usage), budget.currency),
    periodStart: figures.start.toISOString(),
    periodEnd: figures.end.toISOString(),
    verdict: amountMinor === null ? null : budgetVerdict({ ...usage, onExceed: budget.on_exceed }, amountMinor),
  };
}

/** The display names of budgets' scopes (organisations and members), by id. */
export async function scopeNames(db: Db, budgets: readonly Pick<BudgetRow, "organization_id" | "user_id">[]): Promise<Map<string, string>> {
  const orgIds = [...new Set(budgets.flatMap((b) => (b.organization_id ? [b.organization_id] : [])))];
  const userIds = [...new Set(budgets.flatMap((b) => (b.user_id ? [b.user_id] : [])))];
  const names = new Map<string, string>();
  if (orgIds.length > 0) for (const o of await db.selectFrom("organizations").select(["id", "name"]).where("id", "in", orgIds).execute()) names.set(o.id, o.name);
  if (userIds.length > 0) for (const u of await db.selectFrom("users").select(["id", "name"]).where("id", "in", userIds).execute()) names.set(u.id, u.name);
  return names;
}
