import { sql } from "kysely";
import { z } from "zod";
import type { ActorDeps } from "../../deps";
import { parseInput } from "../../input";
import { assertPricingManager } from "../pricing/shared";

export const listCustomerGroupsSchema = z.object({});

export interface CustomerGroupRow {
  id: string;
  name: string;
  memberCount: number;
  /** Listings shown to this group (whatever their status). */
  listingCount: number;
  /** Price lists assigned to this group. */
  priceListCount: number;
}

/** The actor's seller's customer groups, by name. */
export async function listCustomerGroups(deps: ActorDeps, input: unknown = {}): Promise<CustomerGroupRow[]> {
  assertPricingManager(deps.actor);
  parseInput(listCustomerGroupsSchema, input);
  const rows = await deps.db
    .selectFrom("customer_groups as g")
    .select((eb) => [
      "g.id",
      "g.name",
      eb.selectFrom("customer_group_members as m").select(eb.fn.countAll<string>().as("n")).whereRef("m.group_id", "=", "g.id").as("memberCount"),
      eb.selectFrom("listing_visibility as lv").select(eb.fn.countAll<string>().as("n")).whereRef("lv.group_id", "=", "g.id").as("listingCount"),
      eb.selectFrom("price_list_assignments as pa").select(eb.fn.countAll<string>().as("n")).whereRef("pa.group_id", "=", "g.id").as("priceListCount"),
    ])
    .where("g.seller_id", "=", deps.actor.organizationId)
    .orderBy(sql`lower(g.name)`)
    .orderBy("g.id")
    .execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    memberCount: Number(r.memberCount),
    listingCount: Number(r.listingCount),
    priceListCount: Number(r.priceListCount),
  }));
}
