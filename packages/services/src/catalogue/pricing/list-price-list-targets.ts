import { sql } from "kysely";
import { z } from "zod";
import type { ActorDeps } from "../../deps";
import { parseInput } from "../../input";
import { assertPricingManager } from "./shared";

export const listPriceListTargetsSchema = z.object({});

export interface PriceListTargets {
  groups: { id: string; name: string }[];
  /** Active buyers of the seller's groups: the customers a seller knows and may give a contract. */
  buyers: { buyerId: string; name: string }[];
}

/** What a price list can be assigned to: the seller's groups, and the active buyers in them. */
export async function listPriceListTargets(deps: ActorDeps, input: unknown = {}): Promise<PriceListTargets> {
  assertPricingManager(deps.actor);
  parseInput(listPriceListTargetsSchema, input);
  const sellerId = deps.actor.organizationId;
  const [groups, buyers] = await Promise.all([
    deps.db.selectFrom("customer_groups").select(["id", "name"]).where("seller_id", "=", sellerId).orderBy(sql`lower(name)`).orderBy("id").execute(),
    deps.db
      .selectFrom("customer_group_members as m")
      .innerJoin("organizations as o", "o.id", "m.buyer_id")
      .select(["o.id as buyerId", "o.name"])
      .distinct()
      .where("m.seller_id", "=", sellerId)
      .where("o.kind", "=", "buyer")
      .where("o.status", "=", "active")
      .orderBy("o.name")
      .orderBy("o.id")
      .execute(),
  ]);
  return { groups, buyers };
}
