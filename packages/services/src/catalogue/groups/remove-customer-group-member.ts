import { z } from "zod";
import type { ActorDeps } from "../../deps";
import { parseInput } from "../../input";
import { assertPricingManager, formId } from "../pricing/shared";
import { sellerGroup } from "./shared";

export const removeCustomerGroupMemberSchema = z.object({ groupId: z.unknown().optional(), buyerId: formId("customerGroup.buyer_invalid") });
export type RemoveCustomerGroupMemberInput = z.input<typeof removeCustomerGroupMemberSchema>;

/**
 * Removes a buyer from one of the actor's seller's groups (removing a non-member changes nothing).
 * From then on the buyer no longer sees the listings shown only to this group, nor gets its price
 * lists: both are judged per request from the memberships, so nothing is re-indexed.
 */
export async function removeCustomerGroupMember(deps: ActorDeps, input: unknown): Promise<{ groupId: string; buyerId: string; removed: boolean }> {
  assertPricingManager(deps.actor);
  const data = parseInput(removeCustomerGroupMemberSchema, input);
  const sellerId = deps.actor.organizationId;
  const group = await sellerGroup(deps.db, sellerId, data.groupId);
  const result = await deps.db
    .deleteFrom("customer_group_members")
    .where("group_id", "=", group.id)
    .where("seller_id", "=", sellerId)
    .where("buyer_id", "=", data.buyerId)
    .executeTakeFirst();
  return { groupId: group.id, buyerId: data.buyerId, removed: result.numDeletedRows > 0n };
}
