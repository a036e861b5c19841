import { sql } from "kysely";
import { z } from "zod";
import type { ActorDeps } from "../../deps";
import { parseInput } from "../../input";
import { assertPricingManager } from "../pricing/shared";
import { sellerGroup } from "./shared";

export const getCustomerGroupSchema = z.object({ groupId: z.unknown().optional() });
export type GetCustomerGroupInput = z.input<typeof getCustomerGroupSchema>;

export interface CustomerGroupMemberView {
  buyerId: string;
  name: string;
  /** A member whose organisation is no longer active keeps its place but sees nothing of this seller's until it is active again. */
  active: boolean;
}

export interface CustomerGroupDetail {
  id: string;
  name: string;
  members: CustomerGroupMemberView[];
}

/** One of the actor's seller's groups with its member buyers, by name. Another seller's group is NOT_FOUND. */
export async function getCustomerGroup(deps: ActorDeps, input: unknown): Promise<CustomerGroupDetail> {
  assertPricingManager(deps.actor);
  const data = parseInput(getCustomerGroupSchema, input);
  const sellerId = deps.actor.organizationId;
  const group = await sellerGroup(deps.db, sellerId, data.groupId);
  const members = await deps.db
    .selectFrom("customer_group_members as m")
    .innerJoin("organizations as o", "o.id", "m.buyer_id")
    .select(["m.buyer_id as buyerId", "o.name", "o.status"])
    .where("m.group_id", "=", group.id)
    .where("m.seller_id", "=", sellerId)
    .orderBy(sql`lower(o.name)`)
    .orderBy("m.buyer_id")
    .execute();
  return {
    id: group.id,
    name: group.name,
    members: members.map((m) => ({ buyerId: m.buyerId, name: m.name, active: m.status === "active" })),
  };
}
