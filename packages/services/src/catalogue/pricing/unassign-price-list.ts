import { z } from "zod";
import { notFound } from "@souk/domain";
import type { ActorDeps } from "../../deps";
import { parseInput } from "../../input";
import { assertPricingManager, existingId } from "./shared";

export const unassignPriceListSchema = z.object({ assignmentId: z.unknown().optional() });
export type UnassignPriceListInput = z.input<typeof unassignPriceListSchema>;

/** Removes one assignment of one of the seller's price lists; the list itself stays. */
export async function unassignPriceList(deps: ActorDeps, input: unknown): Promise<{ id: string }> {
  assertPricingManager(deps.actor);
  const data = parseInput(unassignPriceListSchema, input);
  const id = existingId(data.assignmentId, "PriceListAssignment");
  const result = await deps.db.deleteFrom("price_list_assignments").where("id", "=", id).where("seller_id", "=", deps.actor.organizationId).executeTakeFirst();
  if (result.numDeletedRows === 0n) throw notFound("PriceListAssignment");
  return { id };
}
