import { z } from "zod";
import { sql } from "kysely";
import { withTransaction } from "@souk/db";
import { validationError } from "@souk/domain";
import { assertStillPermitted } from "../authorization";
import type { ActorDeps } from "../deps";
import { formIdOf, parseInput } from "../input";
import { assertListEditor, listOf } from "./requisition-list-access";

export const removeRequisitionListItemSchema = z.object({ listId: z.unknown(), listingId: z.unknown() });

/** Removes an item from a list of the organisation (the list of the URL); an item that is not on it is `listingId`: requisitionList.item_unknown. */
export async function removeRequisitionListItem(deps: ActorDeps, input: unknown): Promise<void> {
  const { actor } = deps;
  assertListEditor(actor);
  const data = parseInput(removeRequisitionListItemSchema, input);
  const listingId = formIdOf(data.listingId, "listingId", "requisitionList.item_unknown");
  await withTransaction(deps.db, async (trx) => {
    await assertStillPermitted(trx, actor, "manage:requisition-lists:org");
    const list = await listOf(trx, actor.organizationId, data.listId, true);
    const deleted = await trx.deleteFrom("requisition_list_items").where("list_id", "=", list.id).where("buyer_id", "=", actor.organizationId).where("listing_id", "=", listingId).executeTakeFirst();
    if (deleted.numDeletedRows !== 1n) throw validationError({ listingId: ["requisitionList.item_unknown"] });
    await trx.updateTable("requisition_lists").set({ updated_at: sql<Date>`now()` }).where("id", "=", list.id).execute();
  });
}
