import type { z } from "zod";
import { validationError } from "@souk/domain";
import type { ActorDeps } from "../../deps";
import { parseInput } from "../../input";
import { priceListFieldsSchema } from "./price-list-input";
import { assertPricingManager } from "./shared";

export const createPriceListSchema = priceListFieldsSchema;
export type CreatePriceListInput = z.input<typeof createPriceListSchema>;

/** A new, empty price list of the actor's seller; it prices nothing until it has entries and is assigned. */
export async function createPriceList(deps: ActorDeps, input: unknown): Promise<{ id: string }> {
  assertPricingManager(deps.actor);
  const data = parseInput(createPriceListSchema, input);
  // The unique index (seller, lower(name)) decides, so two concurrent creations cannot both win.
  const row = await deps.db
    .insertInto("price_lists")
    .values({
      seller_id: deps.actor.organizationId,
      name: data.name,
      currency: data.currency,
      valid_from: data.validFrom ?? null,
      valid_to: data.validTo ?? null,
    })
    .onConflict((oc) => oc.doNothing())
    .returning("id")
    .executeTakeFirst();
  if (!row) throw validationError({ name: ["priceList.name_taken"] });
  return { id: row.id };
}
