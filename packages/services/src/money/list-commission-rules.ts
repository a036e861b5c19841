import { z } from "zod";
import { sql } from "kysely";
import { isCurrency } from "@souk/domain";
import type { ActorDeps } from "../deps";
import { parseInput } from "../input";
import { optionalFilter } from "../list-input";
import { commissionRuleView, commissionRuleViews, type CommissionRuleView } from "./commission-rule-view";
import { assertOperatorCan } from "./shared";

export const listCommissionRulesSchema = z.object({
  currency: optionalFilter(z.string({ error: "commission.filter.currency_invalid" }).trim().toUpperCase().refine(isCurrency, { error: "commission.filter.currency_invalid" })),
  /** "1" / "true": archived rules too (the history of every change). */
  archived: optionalFilter(z.enum(["0", "1", "true", "false"], { error: "commission.filter.archived_invalid" })),
});
export type ListCommissionRulesInput = z.input<typeof listCommissionRulesSchema>;

/**
 * The commission rules (operators with manage:commission:any): live ones by default, by currency,
 * then default, category, seller; with `archived` every rule ever saved, newest change first within
 * a scope. A few hundred rules at most: no pages.
 */
export async function listCommissionRules(deps: ActorDeps, input: unknown = {}): Promise<CommissionRuleView[]> {
  assertOperatorCan(deps.actor, "manage:commission:any");
  const filters = parseInput(listCommissionRulesSchema, input);
  const withArchived = filters.archived === "1" || filters.archived === "true";
  const rows = await commissionRuleViews(deps.db)
    .$if(!withArchived, (qb) => qb.where("cr.archived_at", "is", null))
    .$if(filters.currency !== undefined, (qb) => qb.where("cr.currency", "=", filters.currency!))
    .orderBy("cr.currency")
    .orderBy(sql`case cr.scope when 'default' then 0 when 'category' then 1 else 2 end`)
    .orderBy(sql`coalesce(c.name_en, s.name, '')`)
    .orderBy(sql`cr.archived_at is not null`)
    .orderBy("cr.created_at", "desc")
    .execute();
  return rows.map(commissionRuleView);
}
