import type { z } from "zod";
import { withTransaction } from "@souk/db";
import type { ActorDeps } from "../../deps";
import { listingFieldsSchema, parseListingFields } from "../listing-input";
import { saveListing, type SaveListingOutcome } from "../save-listing";
import { queueListingSync } from "../sync";
import { assertReferences, assertSellerListingsCan, idRef, listingRefSchema, listingValidationError, lockSellerForListings, lockSellerListing, parseRefs } from "./shared";

export const updateListingSchema = listingFieldsSchema.extend({ listingId: idRef });
export type UpdateListingInput = z.input<typeof updateListingSchema>;

/**
 * Replaces the fields of one of the seller's listings (its status is left alone: a published
 * listing stays published, a blocked one blocked). Another seller's listing is NOT_FOUND, whatever
 * the fields. When nothing differs, nothing is written at all — no new version, no search sync —
 * and the outcome says "unchanged".
 */
export async function updateListing(deps: ActorDeps, input: unknown): Promise<{ id: string; outcome: SaveListingOutcome }> {
  const { actor } = deps;
  assertSellerListingsCan(actor, "manage:listings:org");
  const { listingId } = parseRefs(listingRefSchema, input, "Listing");
  const parsed = parseListingFields(input);

  return withTransaction(deps.db, async (trx) => {
    await lockSellerForListings(trx, actor);
    await lockSellerListing(trx, actor.organizationId, listingId);
    if (!parsed.ok) throw listingValidationError(parsed.errors);
    await assertReferences(trx, actor.organizationId, parsed.fields, listingId);
    const result = await saveListing(trx, { sellerId: actor.organizationId, listingId }, parsed.fields);
    if (result.outcome !== "unchanged") await queueListingSync(trx, [result.id]);
    return result;
  });
}
