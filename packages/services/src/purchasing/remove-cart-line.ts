import { z } from "zod";
import { sql } from "kysely";
import { withTransaction } from "@souk/db";
import { validationError } from "@souk/domain";
import type { ActorDeps } from "../deps";
import { formIdOf, parseInput } from "../input";
import { assertBuyer, existingCartOf } from "./shared";

export const removeCartLineSchema = z.object({ listingId: z.unknown() });

/** Removes a line of the actor's own cart; a listing not in it (another buyer's line, none, one removed meanwhile) is `listingId`: cart.line_unknown. */
export async function removeCartLine(deps: ActorDeps, input: unknown): Promise<void> {
  const { actor } = deps;
  assertBuyer(actor, "create:order:org");
  const listingId = formIdOf(parseInput(removeCartLineSchema, input).listingId, "listingId", "cart.line_unknown");
  await withTransaction(deps.db, async (trx) => {
    const cartId = await existingCartOf(trx, actor);
    if (!cartId) throw validationError({ listingId: ["cart.line_unknown"] });
    const deleted = await trx.deleteFrom("cart_lines").where("cart_id", "=", cartId).where("buyer_id", "=", actor.organizationId).where("listing_id", "=", listingId).executeTakeFirst();
    if (deleted.numDeletedRows !== 1n) throw validationError({ listingId: ["cart.line_unknown"] });
    await trx.updateTable("carts").set({ updated_at: sql<Date>`now()` }).where("id", "=", cartId).execute();
  });
}
