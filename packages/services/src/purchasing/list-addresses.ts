import { sql } from "kysely";
import { can } from "@souk/domain";
import type { ActorDeps } from "../deps";
import { ADDRESS_COLUMNS, addressViewOf, type AddressBookView } from "./address-book";
import { assertBuyer, PURCHASING_LIMITS } from "./shared";

/** The organisation's addresses: the default first, then by label. */
export async function listAddresses(deps: ActorDeps, _input: unknown = {}): Promise<AddressBookView> {
  const { actor, db } = deps;
  assertBuyer(actor, "read:orders:org");
  const rows = await db
    .selectFrom("organization_addresses")
    .select(ADDRESS_COLUMNS)
    .where("organization_id", "=", actor.organizationId)
    .orderBy("is_default", "desc")
    .orderBy(sql`lower(label)`)
    .orderBy("created_at")
    .execute();
  return { items: rows.map(addressViewOf), canManage: can(actor.organizationKind, actor.role, "create:order:org"), max: PURCHASING_LIMITS.addresses };
}

