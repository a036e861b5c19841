import { z } from "zod";
import { notFound } from "@souk/domain";
import type { ActorDeps } from "../../deps";
import { parseInput } from "../../input";
import { assertPricingManager, existingId } from "./shared";

export const deletePriceListSchema = z.object({ priceListId: z.unknown().optional() });
export type DeletePriceListInput = z.input<typeof deletePriceListSchema>;

/** Deletes one of the actor's seller's price lists with its entries and assignments; its buyers fall back to the next source of the price rule. */
export async function deletePriceList(deps: ActorDeps, input: unknown): Promise<{ id: string }> {
  assertPricingManager(deps.actor);
  const data = parseInput(deletePriceListSchema, input);
  const id = existingId(data.priceListId, "PriceList");
  const result = await deps.db.deleteFrom("price_lists").where("id", "=", id).where("seller_id", "=", deps.actor.organizationId).executeTakeFirst();
  if (result.numDeletedRows === 0n) throw notFound("PriceList");
  return { id };
}
