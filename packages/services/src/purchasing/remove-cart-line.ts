import { z } from "zod";
import { sql } from "kysely";
import { withTransaction } from "@souk/db";
import { notFound } from "@souk/domain";
import type { ActorDeps } from "../deps";
import { parseInput } from "../input";
import { assertBuyer, existingCartOf, listingIdOf } from "./shared";

export const removeCartLineSchema = z.object({ listingId: z.unknown() });

/** Removes a line of the actor's own cart; a listing not in it (another buyer's line, none) is NOT_FOUND. */
export async function removeCartLine(deps: ActorDeps, input: unknown): Promise<void> {
  const { actor } = deps;
  assertBuyer(actor, "create:order:org");
  const listingId = listingIdOf(parseInput(removeCartLineSchema, input).listingId);
  await withTransaction(deps.db, async (trx) => {
    const cartId = await existingCartOf(trx, actor);
    if (!cartId) throw notFound("CartLine");
    const deleted = await trx.deleteFrom("cart_lines").where("cart_id", "=", cartId).where("buyer_id", "=", actor.organizationId).where("listing_id", "=", listingId).executeTakeFirst();
    if (deleted.numDeletedRows !== 1n) throw notFound("CartLine");
    await trx.updateTable("carts").set({ updated_at: sql<Date>`now()` }).where("id", "=", cartId).execute();
  });
}
