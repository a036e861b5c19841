import type { Db } from "@souk/db";
import { moneyOf, type MoneyView } from "./shared";
import type { CommissionRule } from "@souk/domain";

/** A commission rule as the operator's pages show it. */
export interface CommissionRuleView {
  id: string;
  scope: CommissionRule["scope"];
  category: { id: string; slug: string; nameEn: string; nameFr: string } | null;
  seller: { id: string; name: string } | null;
  currency: string;
  /** Basis points: 250 = 2.5 %. */
  rateBps: number;
  fixed: MoneyView;
  floor: MoneyView;
  /** null: no cap. */
  cap: MoneyView | null;
  createdAt: string;
  updatedAt: string;
  /** null: live. */
  archivedAt: string | null;
}

/** The rules (with their category and seller names), filtered by the caller. */
export function commissionRuleViews(db: Db) {
  return db
    .selectFrom("commission_rules as cr")
    .leftJoin("categories as c", "c.id", "cr.category_id")
    .leftJoin("organizations as s", "s.id", "cr.seller_id")
    .select([
      "cr.id",
      "cr.scope",
      "cr.currency",
      "cr.rate_bps",
      "cr.fixed_minor",
      "cr.floor_minor",
      "cr.cap_minor",
      "cr.created_at",
      "cr.updated_at",
      "cr.archived_at",
      "c.id as category_id",
      "c.slug as category_slug",
      "c.name_en as category_name_en",
      "c.name_fr as category_name_fr",
      "s.id as seller_id",
      "s.name as seller_name",
    ]);
}

export function commissionRuleView(r: {
  id: string;
  scope: CommissionRule["scope"];
  currency: string;
  rate_bps: number;
  fixed_minor: string;
  floor_minor: string;
  cap_minor: string | null;
  created_at: Date;
  updated_at: Date;
  archived_at: Date | null;
  category_id: string | null;
  category_slug: string | null;
  category_name_en: string | null;
  category_name_fr: string | null;
  seller_id: string | null;
  seller_name: string | null;
}): CommissionRuleView {
  return {
    id: r.id,
    scope: r.scope,
    category: r.category_id ? { id: r.category_id, slug: r.category_slug ?? "", nameEn: r.category_name_en ?? "", nameFr: r.category_name_fr ?? "" } : null,
    seller: r.seller_id ? { id: r.seller_id, name: r.seller_name ?? "" } : null,
    currency: r.currency,
    rateBps: r.rate_bps,
    fixed: moneyOf(r.fixed_minor, r.currency),
    floor: moneyOf(r.floor_minor, r.currency),
    cap: r.cap_minor === null ? null : moneyOf(r.cap_minor, r.currency),
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    archivedAt: r.archived_at?.toISOString() ?? null,
  };
}
