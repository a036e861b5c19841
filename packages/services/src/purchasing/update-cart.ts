import { sql } from "kysely";
import { withTransaction } from "@souk/db";
import { validationError, type FieldErrors } from "@souk/domain";
import { assertStillPermitted } from "../authorization";
import type { ActorDeps } from "../deps";
import { nulFieldErrors } from "../input";
import { assertBuyer, cartOf, pushError, PURCHASING_LIMITS, readQuantity } from "./shared";

const QUANTITY_KEY = /^quantity\.([0-9a-fA-F-]{36})$/;

/**
 * Changes the quantities of the actor's cart lines: the cart form sends `quantity.<listingId>` per
 * line. Every quantity must be a whole number from 1 (remove a line with removeCartLine); each bad
 * one is the field error `lines.<listingId>` and nothing changes. So is a listing that is not in
 * the actor's own cart (another member's, another buyer's, none, one removed meanwhile):
 * `lines.<listingId>`: cart.line_unknown. A quantity below the
 * minimum or above the stock is kept and shown with its warning: the checkout refuses it.
 */
export async function updateCart(deps: ActorDeps, input: unknown): Promise<{ updated: number }> {
  const { actor } = deps;
  assertBuyer(actor, "create:order:org");
  const raw = input && typeof input === "object" ? (input as Record<string, unknown>) : {};
  const nul = nulFieldErrors(raw);
  const errors: FieldErrors = {};
  const quantities = new Map<string, number>();
  for (const [key, value] of Object.entries(raw)) {
    const m = QUANTITY_KEY.exec(key);
    if (!m) continue;
    const listingId = m[1]!.toLowerCase();
    const quantity = nul?.[key] ? null : readQuantity(value);
    if (quantity === null) pushError(errors, `lines.${listingId}`, "cart.quantity_invalid");
    else quantities.set(listingId, quantity);
  }
  if (quantities.size + Object.keys(errors).length > PURCHASING_LIMITS.cartLines) throw validationError({ _form: ["cart.too_many_lines"] });
  return withTransaction(deps.db, async (trx) => {
    await assertStillPermitted(trx, actor, "create:order:org");
    const cartId = await cartOf(trx, actor, { lock: true });
    const ids = [...quantities.keys(), ...Object.keys(errors).map((f) => f.slice("lines.".length))];
    if (ids.length === 0) return { updated: 0 };
    const mine = new Set((await trx.selectFrom("cart_lines").select("listing_id").where("cart_id", "=", cartId).where("listing_id", "in", ids).execute()).map((r) => r.listing_id));
    for (const id of ids) if (!mine.has(id)) errors[`lines.${id}`] = ["cart.line_unknown"];
    if (Object.keys(errors).length > 0) throw validationError(errors);
    for (const [listingId, quantity] of quantities) {
      await trx.updateTable("cart_lines").set({ quantity }).where("cart_id", "=", cartId).where("listing_id", "=", listingId).execute();
    }
    await trx.updateTable("carts").set({ updated_at: sql<Date>`now()` }).where("id", "=", cartId).execute();
    return { updated: quantities.size };
  });
}
