import { withTransaction } from "@souk/db";
import type { ActorDeps } from "../../deps";
import { listingFieldsSchema, parseListingFields, type ListingFieldsInput } from "../listing-input";
import { saveListing } from "../save-listing";
import { queueListingSync } from "../sync";
import { assertReferences, assertSellerListingsCan, listingValidationError, lockSellerForListings } from "./shared";

export { listingFieldsSchema as createListingSchema };
export type CreateListingInput = ListingFieldsInput;

/**
 * A new listing of the actor's seller organisation, as a draft (publishing is a move of its own).
 * Every problem of the form is reported at once — the fields' own, an unknown category or group,
 * a SKU the seller already uses — and nothing is written unless there is none.
 */
export async function createListing(deps: ActorDeps, input: unknown): Promise<{ id: string }> {
  const { actor } = deps;
  assertSellerListingsCan(actor, "manage:listings:org");
  const parsed = parseListingFields(input);
  if (!parsed.ok) throw listingValidationError(parsed.errors);
  const fields = parsed.fields;

  return withTransaction(deps.db, async (trx) => {
    await lockSellerForListings(trx, actor);
    await assertReferences(trx, actor.organizationId, fields, null);
    // saveListing upserts by SKU; the check above made sure this is a new SKU (a concurrent
    // create of the same SKU loses on the unique key with sku.taken).
    const { id } = await saveListing(trx, { sellerId: actor.organizationId }, fields);
    await queueListingSync(trx, [id]);
    return { id };
  });
}
