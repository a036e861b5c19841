import { z } from "zod";
import type { ActorDeps } from "../deps";
import { parseInput } from "../input";
import { containsPattern, optionalFilter } from "../list-input";
import { assertOperatorCan } from "./shared";

/** At most this many sellers in the commission rule form's seller list (search by name for the others). */
export const COMMISSION_SELLERS_LIMIT = 100;

export const listCommissionSellersSchema = z.object({
  /** Part of the seller's name (any case). */
  q: optionalFilter(z.string({ error: "commission.seller_search_invalid" }).trim().max(100, { error: "commission.seller_search_invalid" })),
});
export type ListCommissionSellersInput = z.input<typeof listCommissionSellersSchema>;

export interface CommissionSellerOption {
  id: string;
  name: string;
}

export interface CommissionSellers {
  /** Active sellers whose name holds `q` (all without it), by name, at most COMMISSION_SELLERS_LIMIT. */
  sellers: CommissionSellerOption[];
  /** More sellers match than are listed: the page asks to search by name. */
  truncated: boolean;
}

/**
 * The active sellers a seller commission rule can name, by name, for the operators who manage
 * commission (manage:commission:any): only an id and a name, so a finance operator picks a seller
 * instead of typing its id. Pending, suspended and rejected sellers are left out.
 */
export async function listCommissionSellers(deps: ActorDeps, input: unknown = {}): Promise<CommissionSellers> {
  assertOperatorCan(deps.actor, "manage:commission:any");
  const { q } = parseInput(listCommissionSellersSchema, input);
  const rows = await deps.db
    .selectFrom("organizations")
    .select(["id", "name"])
    .where("kind", "=", "seller")
    .where("status", "=", "active")
    .$if(q !== undefined, (qb) => qb.where("name", "ilike", containsPattern(q!)))
    .orderBy("name")
    .orderBy("id")
    .limit(COMMISSION_SELLERS_LIMIT + 1)
    .execute();
  return { sellers: rows.slice(0, COMMISSION_SELLERS_LIMIT), truncated: rows.length > COMMISSION_SELLERS_LIMIT };
}
