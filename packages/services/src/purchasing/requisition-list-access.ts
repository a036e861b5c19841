import { z } from "zod";
import type { Db } from "@souk/db";
import { can, notFound, validationError, type Actor, type DomainError } from "@souk/domain";
import { formIdOf } from "../input";
import { assertBuyer, PURCHASING_LIMITS } from "./shared";

/**
 * Requisition lists are shared within the buyer organisation: every member reads them, members
 * with manage:requisition-lists:org (admins, purchasers) change them, those who may buy order from
 * them, those who may write RFQs turn them into one. Another organisation's list is NOT_FOUND.
 */
export function assertListReader(actor: Actor): void {
  assertBuyer(actor, "read:catalogue:org");
}

export function assertListEditor(actor: Actor): void {
  assertBuyer(actor, "manage:requisition-lists:org");
}

export function listAbilities(actor: Actor) {
  const buyer = actor.organizationKind === "buyer";
  return {
    canEdit: buyer && can(actor.organizationKind, actor.role, "manage:requisition-lists:org"),
    canOrder: buyer && can(actor.organizationKind, actor.role, "create:order:org"),
    canRequestQuote: buyer && can(actor.organizationKind, actor.role, "create:rfq:org"),
  };
}

export const listNameField = z.preprocess(
  (v) => (typeof v === "string" ? v.trim().replace(/\s+/g, " ") : v === undefined || v === null ? "" : v),
  z.string({ error: "requisitionList.name_invalid" }).min(1, { error: "requisitionList.name_required", abort: true }).max(100, { error: "requisitionList.name_too_long" }),
);

export const listDescriptionField = z.preprocess(
  (v) => (typeof v === "string" ? v.trim() : v === undefined || v === null ? "" : v),
  z.string({ error: "requisitionList.description_invalid" }).max(1000, { error: "requisitionList.description_too_long" }),
);

export const itemNoteField = z.preprocess(
  (v) => (typeof v === "string" ? v.trim() : v === undefined || v === null ? "" : v),
  z.string({ error: "requisitionList.note_invalid" }).max(500, { error: "requisitionList.note_too_long" }),
);

/**
 * The organisation's list `listId`, locked for the transaction when asked. An unknown id, or
 * another organisation's, is NOT_FOUND (the list of the URL), or `missing()` when given (a list
 * chosen in a form field).
 */
export async function listOf(db: Db, buyerId: string, listIdInput: unknown, lock = false, missing: () => DomainError = () => notFound("RequisitionList")) {
  const parsed = z.uuid().safeParse(typeof listIdInput === "string" ? listIdInput.trim().toLowerCase() : listIdInput);
  if (!parsed.success) throw missing();
  const id = parsed.data;
  let query = db.selectFrom("requisition_lists").selectAll().where("id", "=", id).where("buyer_id", "=", buyerId);
  if (lock) query = query.forUpdate();
  const list = await query.executeTakeFirst();
  if (!list) throw missing();
  return list;
}

/** Whether another list of the organisation has this name (names are unique, whatever their case). */
export async function nameTaken(db: Db, buyerId: string, name: string, exceptId: string | null): Promise<boolean> {
  let query = db.selectFrom("requisition_lists").select("id").where("buyer_id", "=", buyerId).where((eb) => eb(eb.fn("lower", ["name"]), "=", name.toLowerCase()));
  if (exceptId) query = query.where("id", "<>", exceptId);
  return (await query.executeTakeFirst()) !== undefined;
}

export const LIST_LIMITS = { lists: PURCHASING_LIMITS.requisitionLists, items: PURCHASING_LIMITS.requisitionListItems } as const;

/** The listing ids a form selected (checkboxes `listingIds`, one or many), lower-cased; duplicates dropped. Anything but an id is `listingIds`: requisitionList.item_unknown. */
export function selectedIds(value: unknown): string[] {
  const list = value === undefined || value === null || value === "" ? [] : Array.isArray(value) ? value : [value];
  return [...new Set(list.filter((v): v is string => typeof v === "string" && v.trim() !== "").map((v) => formIdOf(v, "listingIds", "requisitionList.item_unknown")))];
}

/**
 * The items a list's action is about: all of them (`scope` "all"), or those ticked (`listingIds`).
 * An empty list, or nothing ticked, is a field error; so is a ticked listing that is not on the
 * list (`listingIds`: requisitionList.item_unknown, removed meanwhile, or never there).
 */
export async function chosenItems(db: Db, listId: string, input: { scope?: unknown; listingIds?: unknown }): Promise<{ listing_id: string; quantity: number }[]> {
  const items = await db.selectFrom("requisition_list_items").select(["listing_id", "quantity"]).where("list_id", "=", listId).orderBy("added_at").orderBy("listing_id").execute();
  if (input.scope === "all") {
    if (items.length === 0) throw validationError({ _form: ["requisitionList.empty"] });
    return items;
  }
  const ids = selectedIds(input.listingIds);
  if (ids.length === 0) throw validationError({ listingIds: ["requisitionList.nothing_selected"] });
  const chosen = items.filter((i) => ids.includes(i.listing_id));
  if (chosen.length !== ids.length) throw validationError({ listingIds: ["requisitionList.item_unknown"] });
  return chosen;
}
