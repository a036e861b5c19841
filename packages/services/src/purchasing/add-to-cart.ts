import { z } from "zod";
import { withTransaction } from "@souk/db";
import { validationError } from "@souk/domain";
import { assertStillPermitted } from "../authorization";
import type { ActorDeps } from "../deps";
import { formIdOf, parseInput } from "../input";
import { addToCartLines, assertBuyer, cartOf, cartQuantities, priceLines, PURCHASING_LIMITS, quantityField, type LineWarning } from "./shared";

export const addToCartSchema = z.object({
  listingId: z.unknown(),
  quantity: quantityField("cart.quantity_invalid"),
});
export type AddToCartInput = z.input<typeof addToCartSchema>;

export interface AddToCartResult {
  listingId: string;
  /** The line's quantity in the cart now (what was there plus what was added). */
  quantity: number;
  /** above_stock: added, but the checkout refuses it until the seller has the stock. */
  warnings: LineWarning[];
}

/**
 * Adds a quantity of a listing to the actor's cart (to the quantity already there). The listing
 * must be one the buyer may see (else `listingId`: cart.listing_unknown, the same for an unknown
 * one: it is a form field, not the page's URL); the resulting quantity must
 * reach the listing's minimum order quantity (`quantity`: cart.below_minimum) and stay within the
 * limit; more stock than the seller has is only a warning. Nothing is written on any error.
 */
export async function addToCart(deps: ActorDeps, input: unknown): Promise<AddToCartResult> {
  const { actor } = deps;
  assertBuyer(actor, "create:order:org");
  const data = parseInput(addToCartSchema, input);
  const listingId = formIdOf(data.listingId, "listingId", "cart.listing_unknown");
  return withTransaction(deps.db, async (trx) => {
    await assertStillPermitted(trx, actor, "create:order:org");
    const cartId = await cartOf(trx, actor, { lock: true });
    const already = (await cartQuantities(trx, cartId)).get(listingId) ?? 0;
    const quantity = already + data.quantity;
    if (quantity > PURCHASING_LIMITS.maxQuantity) throw validationError({ quantity: ["cart.quantity_too_large"] });
    const line = (await priceLines(trx, actor.organizationId, [{ listingId, quantity }])).get(listingId);
    if (!line) throw validationError({ listingId: ["cart.listing_unknown"] });
    if (line.warnings.includes("below_minimum")) throw validationError({ quantity: ["cart.below_minimum"] });
    await addToCartLines(trx, cartId, actor.organizationId, [{ listingId, quantity: data.quantity }], "quantity");
    return { listingId, quantity, warnings: line.warnings };
  });
}
