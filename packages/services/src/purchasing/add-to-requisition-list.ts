import { z } from "zod";
import { sql } from "kysely";
import { withTransaction } from "@souk/db";
import { validationError } from "@souk/domain";
import { canBuyerSeeListing } from "../catalogue/pricing/visibility";
import { assertStillPermitted } from "../authorization";
import type { ActorDeps } from "../deps";
import { emptyToUndefined, formIdOf, parseInput } from "../input";
import { insertRequisitionList } from "./create-requisition-list";
import { assertListEditor, itemNoteField, LIST_LIMITS, listNameField, listOf } from "./requisition-list-access";
import { PURCHASING_LIMITS, quantityField } from "./shared";

/** `listId` "new" (or empty) with `newListName`: the item goes to a new list of that name. */
export const NEW_LIST = "new";

export const addToRequisitionListSchema = z.object({
  listId: z.unknown().optional(),
  newListName: z.unknown().optional(),
  listingId: z.unknown(),
  quantity: quantityField("requisitionList.quantity_invalid"),
  note: itemNoteField,
});
export type AddToRequisitionListInput = z.input<typeof addToRequisitionListSchema>;

/**
 * Adds a listing the buyer may see (else `listingId`: requisitionList.listing_unknown, the same
 * for an unknown one) to one of the organisation's requisition lists (another organisation's, or
 * an unknown one, is `listId`: requisitionList.list_unknown),
 * or to a new one named `newListName` — from the listing's page or the search results. A listing
 * already on the list gets the quantity added (and the note replaced when one is given). At most
 * LIST_LIMITS.items items per list. Nothing is written on any error.
 */
export async function addToRequisitionList(deps: ActorDeps, input: unknown): Promise<{ listId: string; quantity: number }> {
  const { actor } = deps;
  assertListEditor(actor);
  const data = parseInput(addToRequisitionListSchema, input);
  const listingId = formIdOf(data.listingId, "listingId", "requisitionList.listing_unknown");
  const rawListId = emptyToUndefined(data.listId);
  const createNew = rawListId === undefined || rawListId === NEW_LIST;
  let newName: string | null = null;
  if (createNew) {
    const name = listNameField.safeParse(data.newListName);
    if (!name.success) throw validationError({ newListName: [name.error.issues[0]?.message ?? "requisitionList.name_required"] });
    newName = name.data;
  }
  return withTransaction(deps.db, async (trx) => {
    await assertStillPermitted(trx, actor, "manage:requisition-lists:org");
    if (!(await canBuyerSeeListing(trx, actor.organizationId, listingId))) throw validationError({ listingId: ["requisitionList.listing_unknown"] });
    const listId = newName !== null ? await insertRequisitionList(trx, actor, { name: newName, description: "" }, "newListName") : (await listOf(trx, actor.organizationId, rawListId, true, () => validationError({ listId: ["requisitionList.list_unknown"] }))).id;
    const existing = await trx.selectFrom("requisition_list_items").select(["listing_id", "quantity"]).where("list_id", "=", listId).execute();
    const current = existing.find((i) => i.listing_id === listingId);
    if (!current && existing.length >= LIST_LIMITS.items) throw validationError({ _form: ["requisitionList.too_many_items"] });
    const quantity = (current?.quantity ?? 0) + data.quantity;
    if (quantity > PURCHASING_LIMITS.maxQuantity) throw validationError({ quantity: ["requisitionList.quantity_too_large"] });
    await trx
      .insertInto("requisition_list_items")
      .values({ list_id: listId, buyer_id: actor.organizationId, listing_id: listingId, quantity: data.quantity, note: data.note, added_by: actor.userId })
      .onConflict((oc) =>
        oc.columns(["list_id", "listing_id"]).doUpdateSet({
          quantity: sql<number>`requisition_list_items.quantity + excluded.quantity`,
          note: sql<string>`case when excluded.note = '' then requisition_list_items.note else excluded.note end`,
        }),
      )
      .execute();
    await trx.updateTable("requisition_lists").set({ updated_at: sql<Date>`now()` }).where("id", "=", listId).execute();
    return { listId, quantity };
  });
}
