import { z } from "zod";
import { withTransaction } from "@souk/db";
import type { ActorDeps } from "../../deps";
import { parseInput } from "../../input";
import { queueListingSync } from "../sync";
import { assertPricingManager } from "../pricing/shared";
import { sellerGroup } from "./shared";

export const deleteCustomerGroupSchema = z.object({ groupId: z.unknown().optional() });
export type DeleteCustomerGroupInput = z.input<typeof deleteCustomerGroupSchema>;

/**
 * Deletes one of the actor's seller's groups with its memberships, its price-list assignments and
 * its place in listings' visibility (all by cascade). A listing that was shown to this group only
 * keeps its visibility "groups" and is then seen by nobody: widening it to everyone must be the
 * seller's explicit choice. The listings that were shown to the group are re-indexed, since their
 * search documents name the group.
 */
export async function deleteCustomerGroup(deps: ActorDeps, input: unknown): Promise<{ id: string; affectedListings: number }> {
  assertPricingManager(deps.actor);
  const data = parseInput(deleteCustomerGroupSchema, input);
  const sellerId = deps.actor.organizationId;
  return withTransaction(deps.db, async (trx) => {
    const group = await sellerGroup(trx, sellerId, data.groupId, "update");
    const shown = await trx.selectFrom("listing_visibility").select("listing_id").where("group_id", "=", group.id).where("seller_id", "=", sellerId).execute();
    await trx.deleteFrom("customer_groups").where("id", "=", group.id).where("seller_id", "=", sellerId).execute();
    const listingIds = shown.map((r) => r.listing_id);
    await queueListingSync(trx, listingIds);
    return { id: group.id, affectedListings: listingIds.length };
  });
}
