import { notFound } from "@souk/domain";
import type { ActorDeps } from "../deps";
import { parseInput } from "../input";
import { addressIdSchema, addressOf, type AddressView } from "./address-book";
import { assertBuyer, existingId } from "./shared";

/** One address of the organisation (the edit page); another organisation's is NOT_FOUND. */
export async function getAddress(deps: ActorDeps, input: unknown): Promise<AddressView> {
  const { actor, db } = deps;
  assertBuyer(actor, "create:order:org");
  const id = existingId(parseInput(addressIdSchema, input).addressId, "Address");
  const address = await addressOf(db, actor.organizationId, id);
  if (!address) throw notFound("Address");
  return address;
}

