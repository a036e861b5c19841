import { z } from "zod";
import { withTransaction } from "@souk/db";
import { validationError, type FieldErrors } from "@souk/domain";
import { assertStillPermitted } from "../authorization";
import type { ActorDeps } from "../deps";
import { parseInput } from "../input";
import { chosenItems, listOf } from "./requisition-list-access";
import { addToCartLines, assertBuyer, cartOf, cartQuantities, priceLines, pushError, PURCHASING_LIMITS } from "./shared";

export const orderRequisitionListSchema = z.object({
  listId: z.unknown(),
  /** "all": every item; otherwise the ticked `listingIds`. */
  scope: z.unknown().optional(),
  listingIds: z.unknown().optional(),
});
export type OrderRequisitionListInput = z.input<typeof orderRequisitionListSchema>;

/**
 * Puts all or some items of a requisition list into the actor's cart (added to what is there), to
 * check them out from the cart. Every chosen item must still be available to the buyer and reach
 * the listing's minimum order quantity with what the cart holds; each problem is the field error
 * `items.<listingId>` and nothing is added. More than the stock is only the cart's warning.
 */
export async function orderRequisitionList(deps: ActorDeps, input: unknown): Promise<{ added: number }> {
  const { actor } = deps;
  assertBuyer(actor, "create:order:org");
  const data = parseInput(orderRequisitionListSchema, input);
  return withTransaction(deps.db, async (trx) => {
    await assertStillPermitted(trx, actor, "create:order:org");
    const list = await listOf(trx, actor.organizationId, data.listId, true);
    const items = await chosenItems(trx, list.id, data);
    const cartId = await cartOf(trx, actor, { lock: true });
    const inCart = await cartQuantities(trx, cartId);
    const wanted = items.map((i) => ({ listingId: i.listing_id, quantity: (inCart.get(i.listing_id) ?? 0) + i.quantity }));
    const priced = await priceLines(trx, actor.organizationId, wanted);
    const errors: FieldErrors = {};
    for (const w of wanted) {
      const line = priced.get(w.listingId);
      if (!line) pushError(errors, `items.${w.listingId}`, "requisitionList.item_unavailable");
      else if (w.quantity > PURCHASING_LIMITS.maxQuantity) pushError(errors, `items.${w.listingId}`, "requisitionList.quantity_too_large");
      else if (line.warnings.includes("below_minimum")) pushError(errors, `items.${w.listingId}`, "requisitionList.below_minimum");
    }
    if (Object.keys(errors).length > 0) throw validationError(errors);
    await addToCartLines(trx, cartId, actor.organizationId, items.map((i) => ({ listingId: i.listing_id, quantity: i.quantity })), "_form");
    return { added: items.length };
  });
}
