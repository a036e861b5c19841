import { sql } from "kysely";
import { z } from "zod";
import type { Db } from "@souk/db";
import { isCommissionScope, pickCommissionRule, DomainError, type CommissionRule, type Currency } from "@souk/domain";
import { currencyOf } from "./shared";

/** Reading commission rules and choosing one (settlement and the operator's preview share it). */

export interface StoredCommissionRule extends CommissionRule {
  readonly id: string;
}

/** The rule as frozen onto a settlement (settlements.rule): amounts as decimal strings of minor units. */
export interface CommissionRuleSnapshot {
  id: string;
  scope: CommissionRule["scope"];
  categoryId: string | null;
  sellerId: string | null;
  currency: string;
  rateBps: number;
  fixedMinor: string;
  floorMinor: string;
  capMinor: string | null;
}

const snapshotSchema = z.object({
  id: z.string(),
  scope: z.enum(["default", "category", "seller"]),
  categoryId: z.string().nullable(),
  sellerId: z.string().nullable(),
  currency: z.string(),
  rateBps: z.number().int(),
  fixedMinor: z.string().regex(/^\d+$/),
  floorMinor: z.string().regex(/^\d+$/),
  capMinor: z.string().regex(/^\d+$/).nullable(),
});

/** A settlement's frozen rule (settlements.rule, jsonb) as read back; anything else is corrupt data. */
export function ruleSnapshotOf(value: unknown): CommissionRuleSnapshot {
  const parsed = snapshotSchema.safeParse(typeof value === "string" ? JSON.parse(value) : value);
  if (!parsed.success) throw new DomainError("INVARIANT", "A settlement's frozen commission rule is not readable");
  return parsed.data;
}

type RuleRow = {
  id: string;
  scope: string;
  category_id: string | null;
  seller_id: string | null;
  currency: string;
  rate_bps: number;
  fixed_minor: string;
  floor_minor: string;
  cap_minor: string | null;
};

export function storedRule(row: RuleRow): StoredCommissionRule {
  if (!isCommissionScope(row.scope)) throw new DomainError("INVARIANT", `Commission rule ${row.id} has scope ${row.scope}`);
  return {
    id: row.id,
    scope: row.scope,
    categoryId: row.category_id,
    sellerId: row.seller_id,
    currency: currencyOf(row.currency),
    rateBps: row.rate_bps,
    fixedMinor: BigInt(row.fixed_minor),
    floorMinor: BigInt(row.floor_minor),
    capMinor: row.cap_minor === null ? null : BigInt(row.cap_minor),
  };
}

export function ruleSnapshot(rule: StoredCommissionRule): CommissionRuleSnapshot {
  return {
    id: rule.id,
    scope: rule.scope,
    categoryId: rule.categoryId,
    sellerId: rule.sellerId,
    currency: rule.currency,
    rateBps: rule.rateBps,
    fixedMinor: rule.fixedMinor.toString(),
    floorMinor: rule.floorMinor.toString(),
    capMinor: rule.capMinor === null ? null : rule.capMinor.toString(),
  };
}

/** The live (not archived) rules of a currency. */
export async function liveCommissionRules(db: Db, currency: Currency): Promise<StoredCommissionRule[]> {
  return (await liveCommissionRulesByCurrency(db, [currency])).get(currency) ?? [];
}

/** The live rules of each of `currencies`, in one statement (a batch of settlements loads them once). */
export async function liveCommissionRulesByCurrency(db: Db, currencies: readonly Currency[]): Promise<Map<Currency, StoredCommissionRule[]>> {
  const byCurrency = new Map<Currency, StoredCommissionRule[]>([...new Set(currencies)].map((c) => [c, []]));
  if (byCurrency.size === 0) return byCurrency;
  const rows = await db
    .selectFrom("commission_rules")
    .select(["id", "scope", "category_id", "seller_id", "currency", "rate_bps", "fixed_minor", "floor_minor", "cap_minor"])
    .where("currency", "in", [...byCurrency.keys()])
    .where("archived_at", "is", null)
    .execute();
  for (const row of rows) {
    const rule = storedRule(row);
    byCurrency.get(rule.currency)?.push(rule);
  }
  return byCurrency;
}

/** A category and its ancestors, the leaf first (empty for no category). */
export async function categoryPath(db: Db, categoryId: string | null): Promise<string[]> {
  if (!categoryId) return [];
  return (await categoryPaths(db, [categoryId])).get(categoryId) ?? [];
}

/** The path (the category and its ancestors, the leaf first) of each of `categoryIds`, in one statement. */
export async function categoryPaths(db: Db, categoryIds: readonly string[]): Promise<Map<string, string[]>> {
  const unique = [...new Set(categoryIds)];
  const paths = new Map<string, string[]>(unique.map((id) => [id, []]));
  if (unique.length === 0) return paths;
  const result = await sql<{ start_id: string; id: string }>`
    with recursive up (start_id, id, parent_id, depth) as (
      select id, id, parent_id, 0 from categories where id = any(${unique}::uuid[])
      union all
      select up.start_id, c.id, c.parent_id, up.depth + 1 from categories c join up on c.id = up.parent_id where up.depth < 16
    )
    select start_id, id from up order by start_id, depth`.execute(db);
  for (const row of result.rows) paths.get(row.start_id)?.push(row.id);
  return paths;
}

type CategorisedOrder = { id: string; category_id: string | null; rfq_id: string | null };

/**
 * The category an order's commission goes by: the order's own (catalogue orders), else its RFQ's,
 * else the category of the listing of its largest line (by line total, then position).
 */
export async function orderCategoryId(db: Db, order: CategorisedOrder): Promise<string | null> {
  return (await orderCategoryIds(db, [order])).get(order.id) ?? null;
}

/** orderCategoryId of many orders: one statement for those without a category of their own, none otherwise. */
export async function orderCategoryIds(db: Db, orders: readonly CategorisedOrder[]): Promise<Map<string, string | null>> {
  const categories = new Map<string, string | null>(orders.map((o) => [o.id, o.category_id]));
  const others = orders.filter((o) => !o.category_id);
  if (others.length === 0) return categories;
  const result = await sql<{ id: string; category_id: string | null }>`
    select o.id, coalesce(
      (select r.category_id from rfqs r where r.id = o.rfq_id),
      (select l.category_id from order_lines ol join listings l on l.id = ol.listing_id
        where ol.order_id = o.id order by ol.line_total_minor desc, ol.position limit 1)
    ) as category_id
    from unnest(${others.map((o) => o.id)}::uuid[], ${others.map((o) => o.rfq_id)}::uuid[]) as o(id, rfq_id)`.execute(db);
  for (const row of result.rows) categories.set(row.id, row.category_id);
  return categories;
}

/** Whom and what a commission rule is chosen for. */
export interface CommissionTargetRef {
  sellerId: string;
  categoryId: string | null;
  currency: Currency;
}

/**
 * Everything choosing the rule of each of `targets` needs (the live rules of their currencies,
 * their categories' paths), read once, in at most two statements; the returned function then
 * picks each target's rule (the domain's pickCommissionRule: most specific wins), or null.
 */
export async function loadCommissionRules(db: Db, targets: readonly CommissionTargetRef[]): Promise<(target: CommissionTargetRef) => StoredCommissionRule | null> {
  const rules = await liveCommissionRulesByCurrency(
    db,
    targets.map((t) => t.currency),
  );
  const paths = await categoryPaths(
    db,
    targets.flatMap((t) => (t.categoryId ? [t.categoryId] : [])),
  );
  return (target) =>
    pickCommissionRule(rules.get(target.currency) ?? [], {
      sellerId: target.sellerId,
      categoryPath: target.categoryId ? (paths.get(target.categoryId) ?? []) : [],
      currency: target.currency,
    });
}

/** The rule that applies to a seller and category in a currency (most specific wins), or null. */
export async function applicableRule(db: Db, target: CommissionTargetRef): Promise<StoredCommissionRule | null> {
  return (await loadCommissionRules(db, [target]))(target);
}
