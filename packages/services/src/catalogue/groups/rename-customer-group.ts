import { z } from "zod";
import { withTransaction } from "@souk/db";
import type { ActorDeps } from "../../deps";
import { isUniqueViolation } from "../../identity/shared";
import { parseInput } from "../../input";
import { assertPricingManager } from "../pricing/shared";
import { groupNameField, groupNameTaken, nameTaken, sellerGroup } from "./shared";

export const renameCustomerGroupSchema = z.object({ groupId: z.unknown().optional(), name: groupNameField });
export type RenameCustomerGroupInput = z.input<typeof renameCustomerGroupSchema>;

/** Renames one of the actor's seller's groups. Search documents carry group ids, not names: nothing to re-index. */
export async function renameCustomerGroup(deps: ActorDeps, input: unknown): Promise<{ id: string }> {
  assertPricingManager(deps.actor);
  const data = parseInput(renameCustomerGroupSchema, input);
  const sellerId = deps.actor.organizationId;
  try {
    return await withTransaction(deps.db, async (trx) => {
      const group = await sellerGroup(trx, sellerId, data.groupId, "update");
      if (await groupNameTaken(trx, sellerId, data.name, group.id)) throw nameTaken();
      await trx.updateTable("customer_groups").set({ name: data.name }).where("id", "=", group.id).where("seller_id", "=", sellerId).execute();
      return { id: group.id };
    });
  } catch (error) {
    // Another request took the name between our check and our update.
    if (isUniqueViolation(error)) throw nameTaken();
    throw error;
  }
}
