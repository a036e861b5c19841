import { sql } from "kysely";
import { withTransaction } from "@souk/db";
import { notFound, validationError } from "@souk/domain";
import { assertStillPermitted } from "../authorization";
import type { ActorDeps } from "../deps";
import { emptyToUndefined, parseInput } from "../input";
import { lockBook, saveAddressSchema, setDefault } from "./address-book";
import { assertBuyer, existingId, PURCHASING_LIMITS } from "./shared";

/**
 * Adds an address (no `addressId`) or changes one of the organisation's. Every field problem is a
 * field error and nothing is written; the first address becomes the default, and `makeDefault`
 * makes this one the default.
 */
export async function saveAddress(deps: ActorDeps, input: unknown): Promise<{ addressId: string }> {
  const { actor } = deps;
  assertBuyer(actor, "create:order:org");
  const data = parseInput(saveAddressSchema, input);
  const rawId = emptyToUndefined(data.addressId);
  const addressId = rawId === undefined ? null : existingId(rawId, "Address");
  const values = { label: data.label, recipient: data.recipient, line1: data.line1, line2: data.line2, postal_code: data.postalCode, city: data.city, country: data.country };
  return withTransaction(deps.db, async (trx) => {
    await assertStillPermitted(trx, actor, "create:order:org");
    const book = await lockBook(trx, actor.organizationId);
    let id: string;
    if (addressId) {
      if (!book.some((a) => a.id === addressId)) throw notFound("Address");
      await trx.updateTable("organization_addresses").set({ ...values, updated_at: sql<Date>`now()` }).where("id", "=", addressId).where("organization_id", "=", actor.organizationId).execute();
      id = addressId;
    } else {
      if (book.length >= PURCHASING_LIMITS.addresses) throw validationError({ _form: ["address.too_many"] });
      const row = await trx
        .insertInto("organization_addresses")
        .values({ ...values, organization_id: actor.organizationId, is_default: book.length === 0 })
        .returning("id")
        .executeTakeFirstOrThrow();
      id = row.id;
    }
    if (data.makeDefault) await setDefault(trx, actor.organizationId, id);
    return { addressId: id };
  });
}

