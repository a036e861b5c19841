import { sql } from "kysely";
import { z } from "zod";
import { withTransaction } from "@souk/db";
import type { ActorDeps } from "../../deps";
import { parseInput } from "../../input";
import { assertPricingManager, formId, integerText, PRICE_LIST_MAX_QUANTITY, sellerPriceList } from "./shared";

export const removePriceListEntrySchema = z.object({
  priceListId: z.unknown().optional(),
  listingId: formId("priceList.entry_invalid"),
  minQuantity: integerText("priceList.entry_invalid", 1, PRICE_LIST_MAX_QUANTITY, Number.NaN),
});
export type RemovePriceListEntryInput = z.input<typeof removePriceListEntrySchema>;

/** Removes one quantity break from one of the seller's price lists; removing a break that is not there changes nothing. */
export async function removePriceListEntry(deps: ActorDeps, input: unknown): Promise<{ removed: boolean }> {
  assertPricingManager(deps.actor);
  const data = parseInput(removePriceListEntrySchema, input);
  const sellerId = deps.actor.organizationId;
  return withTransaction(deps.db, async (trx) => {
    const list = await sellerPriceList(trx, sellerId, data.priceListId, "update");
    const result = await trx
      .deleteFrom("price_list_entries")
      .where("price_list_id", "=", list.id)
      .where("seller_id", "=", sellerId)
      .where("listing_id", "=", data.listingId)
      .where("min_quantity", "=", data.minQuantity)
      .executeTakeFirst();
    const removed = result.numDeletedRows > 0n;
    if (removed) await trx.updateTable("price_lists").set({ updated_at: sql<Date>`now()` }).where("id", "=", list.id).execute();
    return { removed };
  });
}
