import { sql } from "kysely";
import { z } from "zod";
import { withTransaction } from "@souk/db";
import { validationError } from "@souk/domain";
import type { ActorDeps } from "../../deps";
import { isUniqueViolation } from "../../identity/shared";
import { parseInput } from "../../input";
import { priceListFieldsSchema } from "./price-list-input";
import { assertPricingManager, sellerPriceList } from "./shared";

export const updatePriceListSchema = z.intersection(z.object({ priceListId: z.unknown().optional() }), priceListFieldsSchema);
export type UpdatePriceListInput = z.input<typeof updatePriceListSchema>;

const nameTaken = () => validationError({ name: ["priceList.name_taken"] });

/**
 * Changes a price list's name, validity or currency. The currency can change only while the list
 * has no entries: its prices are amounts in that currency, and silently re-reading "12.00 EUR" as
 * "12.00 USD" would be a wrong contract price.
 */
export async function updatePriceList(deps: ActorDeps, input: unknown): Promise<{ id: string }> {
  assertPricingManager(deps.actor);
  const data = parseInput(updatePriceListSchema, input);
  const sellerId = deps.actor.organizationId;
  try {
    return await withTransaction(deps.db, async (trx) => {
      const list = await sellerPriceList(trx, sellerId, data.priceListId, "update");
      if (data.currency !== list.currency) {
        const entry = await trx.selectFrom("price_list_entries").select("listing_id").where("price_list_id", "=", list.id).limit(1).executeTakeFirst();
        if (entry) throw validationError({ currency: ["priceList.currency_locked"] });
      }
      const taken = await trx
        .selectFrom("price_lists")
        .select("id")
        .where("seller_id", "=", sellerId)
        .where("id", "<>", list.id)
        .where(sql`lower(name)`, "=", data.name.toLowerCase())
        .executeTakeFirst();
      if (taken) throw nameTaken();
      await trx
        .updateTable("price_lists")
        .set({
          name: data.name,
          currency: data.currency,
          valid_from: data.validFrom ?? null,
          valid_to: data.validTo ?? null,
          updated_at: sql<Date>`now()`,
        })
        .where("id", "=", list.id)
        .where("seller_id", "=", sellerId)
        .execute();
      return { id: list.id };
    });
  } catch (error) {
    // Another request took the name between our check and our update.
    if (isUniqueViolation(error)) throw nameTaken();
    throw error;
  }
}
