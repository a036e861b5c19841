import { withTransaction } from "@souk/db";
import { validationError } from "@souk/domain";
import { assertStillPermitted } from "../authorization";
import type { ActorDeps } from "../deps";
import { formIdOf, parseInput } from "../input";
import { addressIdSchema, lockBook, setDefault } from "./address-book";
import { assertBuyer } from "./shared";

/**
 * Makes one of the organisation's addresses its default. The address comes from the address book's
 * form: another organisation's, or an unknown one, is `addressId`: address.unknown.
 */
export async function makeDefaultAddress(deps: ActorDeps, input: unknown): Promise<void> {
  const { actor } = deps;
  assertBuyer(actor, "create:order:org");
  const id = formIdOf(parseInput(addressIdSchema, input).addressId, "addressId", "address.unknown");
  await withTransaction(deps.db, async (trx) => {
    await assertStillPermitted(trx, actor, "create:order:org");
    const book = await lockBook(trx, actor.organizationId);
    if (!book.some((a) => a.id === id)) throw validationError({ addressId: ["address.unknown"] });
    await setDefault(trx, actor.organizationId, id);
  });
}

