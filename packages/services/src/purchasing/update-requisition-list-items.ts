import { sql } from "kysely";
import { withTransaction } from "@souk/db";
import { validationError, type FieldErrors } from "@souk/domain";
import { assertStillPermitted } from "../authorization";
import type { ActorDeps } from "../deps";
import { nulFieldErrors } from "../input";
import { assertListEditor, itemNoteField, LIST_LIMITS, listOf } from "./requisition-list-access";
import { pushError, readQuantity } from "./shared";

const ITEM_KEY = /^(quantity|note)\.([0-9a-fA-F-]{36})$/;

/**
 * Changes the quantities and notes of a list's items: the list's form sends `quantity.<listingId>`
 * and `note.<listingId>`. A bad quantity (not a whole number from 1) or a note over 500 characters
 * is the field error `items.<listingId>` and nothing changes; so is a listing that is not on the
 * list (`items.<listingId>`: requisitionList.item_unknown, removed meanwhile or never there).
 */
export async function updateRequisitionListItems(deps: ActorDeps, input: unknown): Promise<{ updated: number }> {
  const { actor } = deps;
  assertListEditor(actor);
  const raw = input && typeof input === "object" ? (input as Record<string, unknown>) : {};
  const nul = nulFieldErrors(raw) ?? {};
  const errors: FieldErrors = {};
  const changes = new Map<string, { quantity?: number; note?: string }>();
  for (const [key, value] of Object.entries(raw)) {
    const m = ITEM_KEY.exec(key);
    if (!m) continue;
    const listingId = m[2]!.toLowerCase();
    const change = changes.get(listingId) ?? {};
    changes.set(listingId, change);
    if (m[1] === "quantity") {
      const quantity = nul[key] ? null : readQuantity(value);
      if (quantity === null) pushError(errors, `items.${listingId}`, "requisitionList.quantity_invalid");
      else change.quantity = quantity;
    } else {
      const note = itemNoteField.safeParse(value);
      if (nul[key] || !note.success) pushError(errors, `items.${listingId}`, note.success ? "requisitionList.note_invalid" : (note.error.issues[0]?.message ?? "requisitionList.note_invalid"));
      else change.note = note.data;
    }
  }
  if (changes.size > LIST_LIMITS.items) throw validationError({ _form: ["requisitionList.too_many_items"] });
  return withTransaction(deps.db, async (trx) => {
    await assertStillPermitted(trx, actor, "manage:requisition-lists:org");
    const list = await listOf(trx, actor.organizationId, raw.listId, true);
    if (changes.size === 0) return { updated: 0 };
    const ids = [...changes.keys()];
    const onList = new Set((await trx.selectFrom("requisition_list_items").select("listing_id").where("list_id", "=", list.id).where("listing_id", "in", ids).execute()).map((r) => r.listing_id));
    for (const id of ids) if (!onList.has(id)) errors[`items.${id}`] = ["requisitionList.item_unknown"];
    if (Object.keys(errors).length > 0) throw validationError(errors);
    for (const [listingId, change] of changes) {
      if (change.quantity === undefined && change.note === undefined) continue;
      await trx.updateTable("requisition_list_items").set(change).where("list_id", "=", list.id).where("listing_id", "=", listingId).execute();
    }
    await trx.updateTable("requisition_lists").set({ updated_at: sql<Date>`now()` }).where("id", "=", list.id).execute();
    return { updated: changes.size };
  });
}
