import { z } from "zod";
import { validationError } from "@souk/domain";
import type { ActorDeps } from "../../deps";
import { formIdOf, parseInput } from "../../input";
import { assertPricingManager } from "./shared";

export const unassignPriceListSchema = z.object({ assignmentId: z.unknown().optional() });
export type UnassignPriceListInput = z.input<typeof unassignPriceListSchema>;

/**
 * Removes one assignment of one of the seller's price lists; the list itself stays. The assignment is
 * the remove button's field: another seller's, an unknown one or one removed meanwhile is
 * `assignmentId`: priceList.assignment_unknown.
 */
export async function unassignPriceList(deps: ActorDeps, input: unknown): Promise<{ id: string }> {
  assertPricingManager(deps.actor);
  const data = parseInput(unassignPriceListSchema, input);
  const id = formIdOf(data.assignmentId, "assignmentId", "priceList.assignment_unknown");
  const result = await deps.db.deleteFrom("price_list_assignments").where("id", "=", id).where("seller_id", "=", deps.actor.organizationId).executeTakeFirst();
  if (result.numDeletedRows === 0n) throw validationError({ assignmentId: ["priceList.assignment_unknown"] });
  return { id };
}
