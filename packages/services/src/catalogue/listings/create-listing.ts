import { withTransaction } from "@souk/db";
import { conflict } from "@souk/domain";
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
    // saveListing upserts by SKU. The check above saw no listing with this SKU, but a concurrent
    // create of the same SKU may commit between that check and saveListing's own read: saveListing
    // would then find it and update it (or leave it "unchanged"). A create never touches an
    // existing listing: anything but "created" is the SKU taken, and the throw undoes the write.
    const { id, outcome } = await saveListing(trx, { sellerId: actor.organizationId }, fields);
    if (outcome !== "created") throw conflict("sku.taken", { sku: ["sku.taken"] });
    await queueListingSync(trx, [id]);
    return { id };
  });
}
