import { z } from "zod";
import { withTransaction } from "@souk/db";
import { validationError } from "@souk/domain";
import type { ActorDeps } from "../../deps";
import { parseInput } from "../../input";
import { assertPricingManager, formId, isActiveBuyer } from "../pricing/shared";
import { sellerGroup } from "./shared";

export const addCustomerGroupMemberSchema = z.object({ groupId: z.unknown().optional(), buyerId: formId("customerGroup.buyer_invalid") });
export type AddCustomerGroupMemberInput = z.input<typeof addCustomerGroupMemberSchema>;

/**
 * Adds an active buyer organisation to one of the actor's seller's groups; adding a member twice
 * changes nothing. Search documents carry group ids, not members, so nothing is re-indexed: the
 * buyer's searches pick the group up from its memberships at query time.
 */
export async function addCustomerGroupMember(deps: ActorDeps, input: unknown): Promise<{ groupId: string; buyerId: string; added: boolean }> {
  assertPricingManager(deps.actor);
  const data = parseInput(addCustomerGroupMemberSchema, input);
  const sellerId = deps.actor.organizationId;
  return withTransaction(deps.db, async (trx) => {
    // Shared lock: a concurrent delete of the group waits for this insert instead of racing its foreign key.
    const group = await sellerGroup(trx, sellerId, data.groupId, "share");
    if (!(await isActiveBuyer(trx, data.buyerId))) throw validationError({ buyerId: ["customerGroup.buyer_unknown"] });
    const row = await trx
      .insertInto("customer_group_members")
      .values({ group_id: group.id, seller_id: sellerId, buyer_id: data.buyerId })
      .onConflict((oc) => oc.columns(["group_id", "buyer_id"]).doNothing())
      .returning("buyer_id")
      .executeTakeFirst();
    return { groupId: group.id, buyerId: data.buyerId, added: row !== undefined };
  });
}
