import { withTransaction } from "@souk/db";
import { notFound } from "@souk/domain";
import { assertStillPermitted } from "../authorization";
import type { ActorDeps } from "../deps";
import { parseInput } from "../input";
import { addressIdSchema, lockBook, setDefault } from "./address-book";
import { assertBuyer, existingId } from "./shared";

/**
 * Deletes one of the organisation's addresses. Purchases and orders keep their own copy of it.
 * When it was the default, the oldest remaining address becomes the default.
 */
export async function deleteAddress(deps: ActorDeps, input: unknown): Promise<void> {
  const { actor } = deps;
  assertBuyer(actor, "create:order:org");
  const id = existingId(parseInput(addressIdSchema, input).addressId, "Address");
  await withTransaction(deps.db, async (trx) => {
    await assertStillPermitted(trx, actor, "create:order:org");
    const book = await lockBook(trx, actor.organizationId);
    const target = book.find((a) => a.id === id);
    if (!target) throw notFound("Address");
    await trx.deleteFrom("organization_addresses").where("id", "=", id).where("organization_id", "=", actor.organizationId).execute();
    if (target.is_default) {
      const next = await trx.selectFrom("organization_addresses").select("id").where("organization_id", "=", actor.organizationId).orderBy("created_at").orderBy("id").executeTakeFirst();
      if (next) await setDefault(trx, actor.organizationId, next.id);
    }
  });
}
