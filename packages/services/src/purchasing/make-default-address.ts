import { withTransaction } from "@souk/db";
import { notFound } from "@souk/domain";
import { assertStillPermitted } from "../authorization";
import type { ActorDeps } from "../deps";
import { parseInput } from "../input";
import { addressIdSchema, lockBook, setDefault } from "./address-book";
import { assertBuyer, existingId } from "./shared";

/** Makes one of the organisation's addresses its default. */
export async function makeDefaultAddress(deps: ActorDeps, input: unknown): Promise<void> {
  const { actor } = deps;
  assertBuyer(actor, "create:order:org");
  const id = existingId(parseInput(addressIdSchema, input).addressId, "Address");
  await withTransaction(deps.db, async (trx) => {
    await assertStillPermitted(trx, actor, "create:order:org");
    const book = await lockBook(trx, actor.organizationId);
    if (!book.some((a) => a.id === id)) throw notFound("Address");
    await setDefault(trx, actor.organizationId, id);
  });
}

