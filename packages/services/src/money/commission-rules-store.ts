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
  const rows = await db
    .selectFrom("commission_rules")
    .select(["id", "scope", "category_id", "seller_id", "currency", "rate_bps", "fixed_minor", "floor_minor", "cap_minor"])
    .where("currency", "=", currency)
    .where("archived_at", "is", null)
    .execute();
  return rows.map(storedRule);
}

/** A category and its ancestors, the leaf first (empty for no category). */
export async function categoryPath(db: Db, categoryId: string | null): Promise<string[]> {
  if (!categoryId) return [];
  const result = await sql<{ id: string }>`
    with recursive up (id, parent_id, depth) as (
      select id, parent_id, 0 from categories where id = ${categoryId}
      union all
      select c.id, c.parent_id, up.depth + 1 from categories c join up on c.id = up.parent_id where up.depth < 16
    )
    select id from up order by depth`.execute(db);
  return result.rows.map((r) => r.id);
}

/**
 * The category an order's commission goes by: the order's own (catalogue orders), else its RFQ's,
 * else the category of the listing of its largest line (by line total, then position).
 */
export async function orderCategoryId(db: Db, order: { id: string; category_id: string | null; rfq_id: string | null }): Promise<string | null> {
  if (order.category_id) return order.category_id;
  if (order.rfq_id) {
    const rfq = await db.selectFrom("rfqs").select("category_id").where("id", "=", order.rfq_id).executeTakeFirst();
    if (rfq?.category_id) return rfq.category_id;
  }
  const line = await db
    .selectFrom("order_lines as ol")
    .innerJoin("listings as l", "l.id", "ol.listing_id")
    .select("l.category_id")
    .where("ol.order_id", "=", order.id)
    .orderBy("ol.line_total_minor", "desc")
    .orderBy("ol.position")
    .limit(1)
    .executeTakeFirst();
  return line?.category_id ?? null;
}

/** The rule that applies to a seller and category in a currency (most specific wins), or null. */
export async function applicableRule(db: Db, target: { sellerId: string; categoryId: string | null; currency: Currency }): Promise<StoredCommissionRule | null> {
  const rules = await liveCommissionRules(db, target.currency);
  const path = await categoryPath(db, target.categoryId);
  return pickCommissionRule(rules, { sellerId: target.sellerId, categoryPath: path, currency: target.currency });
}
