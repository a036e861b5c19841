import { describe, expect, test } from "vitest";
import { createTestDatabase } from "@souk/testing";
import { addToRequisitionList } from "./add-to-requisition-list";
import { createRequisitionList } from "./create-requisition-list";
import { deleteRequisitionList } from "./delete-requisition-list";
import { getRequisitionList } from "./get-requisition-list";
import { listRequisitionLists } from "./list-requisition-lists";
import { orderRequisitionList } from "./order-requisition-list";
import { removeRequisitionListItem } from "./remove-requisition-list-item";
import { requisitionListToRfq } from "./requisition-list-to-rfq";
import { updateRequisitionList } from "./update-requisition-list";
import { updateRequisitionListItems } from "./update-requisition-list-items";
import { activeSeller, address, buyer, cartLines, domainErrorOf, group, listing, purchasingCounts } from "./test-support";

const { db } = await createTestDatabase();

describe("requisition lists", () => {
  test("named (unique per organisation whatever the case), shared: members who manage lists edit, viewers read, other buyers see nothing", async () => {
    const b = await buyer(db);
    const other = await buyer(db);
    const { listId } = await createRequisitionList(b.purchaser, { name: "  Monthly   office supplies ", description: "Every first Monday." });
    expect((await domainErrorOf(createRequisitionList(b.admin, { name: "MONTHLY OFFICE SUPPLIES" }))).fieldErrors).toEqual({ name: ["requisitionList.name_taken"] });
    // Another organisation may use the same name.
    await createRequisitionList(other.purchaser, { name: "Monthly office supplies" });
    const { listId: second } = await createRequisitionList(b.admin, { name: "Cleaning" });
    expect((await domainErrorOf(updateRequisitionList(b.admin, { listId: second, name: "monthly office supplies" }))).fieldErrors).toEqual({ name: ["requisitionList.name_taken"] });
    await updateRequisitionList(b.admin, { listId: second, name: "Cleaning products", description: "" });

    const lists = await listRequisitionLists(b.viewer);
    expect(lists.canEdit).toBe(false);
    expect(lists.items.map((l) => [l.name, l.itemCount])).toEqual([
      ["Cleaning products", 0],
      ["Monthly office supplies", 0],
    ]);
    expect((await listRequisitionLists(other.viewer)).items.map((l) => l.id)).not.toContain(listId);

    const before = await purchasingCounts(db);
    for (const attempt of [
      () => getRequisitionList(other.viewer, { listId }),
      () => updateRequisitionList(other.admin, { listId, name: "Mine" }),
      () => deleteRequisitionList(other.admin, { listId }),
      () => updateRequisitionListItems(other.admin, { listId }),
      () => orderRequisitionList(other.purchaser, { listId, scope: "all" }),
      () => requisitionListToRfq(other.purchaser, { listId, scope: "all" }),
    ]) {
      expect((await domainErrorOf(attempt())).code).toBe("NOT_FOUND");
    }
    for (const attempt of [() => createRequisitionList(b.viewer, { name: "Mine" }), () => updateRequisitionList(b.approver, { listId, name: "x" }), () => deleteRequisitionList(b.viewer, { listId })]) {
      expect((await domainErrorOf(attempt())).code).toBe("FORBIDDEN");
    }
    for (const [input, errors] of [
      [{ name: "" }, { name: ["requisitionList.name_required"] }],
      [{ name: "x".repeat(101) }, { name: ["requisitionList.name_too_long"] }],
      [{ name: "Ok", description: "d".repeat(1001) }, { description: ["requisitionList.description_too_long"] }],
    ] as const) {
      expect((await domainErrorOf(createRequisitionList(b.purchaser, input))).fieldErrors).toEqual(errors);
    }
    expect(await purchasingCounts(db)).toEqual(before);

    await deleteRequisitionList(b.admin, { listId: second });
    expect((await listRequisitionLists(b.purchaser)).items.map((l) => l.id)).toEqual([listId]);
  });

  test("items: added from a listing or a search (to a list or a new one), quantities and notes changed, removed; bad input changes nothing", async () => {
    const b = await buyer(db);
    const other = await buyer(db);
    const s = await activeSeller(db);
    const outsiders = await buyer(db);
    const g = await group(db, s.id, [outsiders.id]);
    const hidden = await listing(db, s.id, { groupIds: [g] });
    const boxes = await listing(db, s.id, { listPriceMinor: 1_000, minOrderQuantity: 5 });
    const tape = await listing(db, s.id, { listPriceMinor: 300 });
    const { listId } = await addToRequisitionList(b.purchaser, { listId: "new", newListName: "Warehouse", listingId: boxes.id, quantity: "10", note: "Brown ones" });
    await addToRequisitionList(b.admin, { listId, listingId: boxes.id, quantity: "5", note: "" });
    await addToRequisitionList(b.admin, { listId, listingId: tape.id, quantity: "2" });

    let list = await getRequisitionList(b.viewer, { listId });
    expect(list).toMatchObject({ name: "Warehouse", canEdit: false, canOrder: false, canRequestQuote: false, totals: [{ amountMinor: "15600", currency: "EUR" }] });
    expect(list.items.map((i) => [i.listingId, i.quantity, i.note, i.line?.lineTotal.amountMinor])).toEqual([
      [boxes.id, 15, "Brown ones", "15000"],
      [tape.id, 2, "", "600"],
    ]);

    const before = await purchasingCounts(db);
    // The listing and the list are form fields: a hidden listing, another organisation's list, an
    // unknown id or no id at all is a field error (the same for each: nothing tells them apart).
    for (const listingId of [hidden.id, "00000000-0000-4000-8000-000000000000", "nope"]) {
      expect(await domainErrorOf(addToRequisitionList(b.purchaser, { listId, listingId, quantity: "1" }))).toMatchObject({ code: "VALIDATION", fieldErrors: { listingId: ["requisitionList.listing_unknown"] } });
    }
    const { listId: theirs } = await createRequisitionList(other.admin, { name: "Theirs" });
    for (const [who, chosen] of [[other.purchaser, listId], [b.purchaser, theirs], [b.purchaser, "00000000-0000-4000-8000-000000000000"], [b.purchaser, "nope"]] as const) {
      expect(await domainErrorOf(addToRequisitionList(who, { listId: chosen, listingId: tape.id, quantity: "1" }))).toMatchObject({ code: "VALIDATION", fieldErrors: { listId: ["requisitionList.list_unknown"] } });
    }
    await deleteRequisitionList(other.admin, { listId: theirs });
    expect((await domainErrorOf(addToRequisitionList(b.purchaser, { listId, listingId: tape.id, quantity: "0" }))).fieldErrors).toEqual({ quantity: ["requisitionList.quantity_invalid"] });
    expect((await domainErrorOf(addToRequisitionList(b.purchaser, { listId: "new", newListName: "warehouse", listingId: tape.id, quantity: "1" }))).fieldErrors).toEqual({ newListName: ["requisitionList.name_taken"] });
    expect((await domainErrorOf(addToRequisitionList(b.purchaser, { listId: "", newListName: "", listingId: tape.id, quantity: "1" }))).fieldErrors).toEqual({ newListName: ["requisitionList.name_required"] });
    const bad = await domainErrorOf(updateRequisitionListItems(b.purchaser, { listId, [`quantity.${boxes.id}`]: "-1", [`note.${tape.id}`]: "n".repeat(501), [`quantity.${tape.id}`]: "3" }));
    expect(bad.fieldErrors).toEqual({ [`items.${boxes.id}`]: ["requisitionList.quantity_invalid"], [`items.${tape.id}`]: ["requisitionList.note_too_long"] });
    // An item that is not on the list (removed meanwhile, never there) is a field error of its row.
    expect(await domainErrorOf(updateRequisitionListItems(b.purchaser, { listId, [`quantity.${hidden.id}`]: "3", [`quantity.${tape.id}`]: "3" }))).toMatchObject({ code: "VALIDATION", fieldErrors: { [`items.${hidden.id}`]: ["requisitionList.item_unknown"] } });
    for (const listingId of [hidden.id, "nope"]) {
      expect(await domainErrorOf(removeRequisitionListItem(b.purchaser, { listId, listingId }))).toMatchObject({ code: "VALIDATION", fieldErrors: { listingId: ["requisitionList.item_unknown"] } });
    }
    expect(await purchasingCounts(db)).toEqual(before);

    await updateRequisitionListItems(b.purchaser, { listId, [`quantity.${boxes.id}`]: "20", [`note.${boxes.id}`]: "Any colour", [`quantity.${tape.id}`]: "4" });
    await removeRequisitionListItem(b.admin, { listId, listingId: tape.id });
    list = await getRequisitionList(b.purchaser, { listId });
    expect(list).toMatchObject({ canEdit: true, canOrder: true, canRequestQuote: true });
    expect(list.items.map((i) => [i.listingId, i.quantity, i.note])).toEqual([[boxes.id, 20, "Any colour"]]);
    // A listing that became invisible stays on the list, shown as unavailable.
    await db.updateTable("listings").set({ status: "unlisted" }).where("id", "=", boxes.id).execute();
    expect((await getRequisitionList(b.purchaser, { listId })).items[0]).toMatchObject({ listingId: boxes.id, line: null });
  });

  test("order all or some lines: into the cart (then checkout); an unavailable or too small item refuses the order and changes nothing", async () => {
    const b = await buyer(db);
    const s = await activeSeller(db);
    const boxes = await listing(db, s.id, { minOrderQuantity: 10 });
    const tape = await listing(db, s.id);
    const film = await listing(db, s.id);
    const { listId } = await createRequisitionList(b.purchaser, { name: "Shop floor" });
    await addToRequisitionList(b.purchaser, { listId, listingId: boxes.id, quantity: "10" });
    await addToRequisitionList(b.purchaser, { listId, listingId: tape.id, quantity: "3" });
    await addToRequisitionList(b.purchaser, { listId, listingId: film.id, quantity: "1" });

    expect(await orderRequisitionList(b.purchaser, { listId, listingIds: [tape.id, film.id] })).toEqual({ added: 2 });
    expect(await cartLines(db, b.purchaser)).toEqual({ [tape.id]: 3, [film.id]: 1 });
    expect(await orderRequisitionList(b.purchaser, { listId, scope: "all" })).toEqual({ added: 3 });
    expect(await cartLines(db, b.purchaser)).toEqual({ [boxes.id]: 10, [tape.id]: 6, [film.id]: 2 });

    // The seller raised its minimum and unlisted the film: the admin's order is refused item by item.
    await db.updateTable("listings").set({ min_order_quantity: 50 }).where("id", "=", boxes.id).execute();
    await db.updateTable("listings").set({ status: "unlisted" }).where("id", "=", film.id).execute();
    const before = await purchasingCounts(db);
    const refused = await domainErrorOf(orderRequisitionList(b.admin, { listId, scope: "all" }));
    expect(refused.fieldErrors).toEqual({ [`items.${boxes.id}`]: ["requisitionList.below_minimum"], [`items.${film.id}`]: ["requisitionList.item_unavailable"] });
    expect((await domainErrorOf(orderRequisitionList(b.admin, { listId }))).fieldErrors).toEqual({ listingIds: ["requisitionList.nothing_selected"] });
    for (const ticked of ["00000000-0000-4000-8000-000000000000", "nope"]) {
      expect(await domainErrorOf(orderRequisitionList(b.admin, { listId, listingIds: [tape.id, ticked] }))).toMatchObject({ code: "VALIDATION", fieldErrors: { listingIds: ["requisitionList.item_unknown"] } });
    }
    expect((await domainErrorOf(orderRequisitionList(b.viewer, { listId, scope: "all" }))).code).toBe("FORBIDDEN");
    expect(await purchasingCounts(db)).toEqual(before);
  });

  test("turned into a draft RFQ: one line per item, linked to its listing, delivered to the default address", async () => {
    const b = await buyer(db);
    const s = await activeSeller(db);
    await address(b.purchaser, { line1: "9 rue de la Gare", postalCode: "13001", city: "Marseille" });
    const boxes = await listing(db, s.id, { title: "Kraft box 40x30" });
    const film = await listing(db, s.id, { title: "Stretch film", category: "packaging-film" });
    const other = await listing(db, s.id, { title: "Pallet", currency: "USD" });
    const { listId } = await createRequisitionList(b.purchaser, { name: "Quarterly packaging", description: "For the Q3 tender." });
    await addToRequisitionList(b.purchaser, { listId, listingId: boxes.id, quantity: "400" });
    await addToRequisitionList(b.purchaser, { listId, listingId: film.id, quantity: "30" });
    await addToRequisitionList(b.purchaser, { listId, listingId: other.id, quantity: "2" });

    const { rfqId } = await requisitionListToRfq(b.purchaser, { listId, listingIds: [boxes.id, film.id] });
    const rfq = await db.selectFrom("rfqs").selectAll().where("id", "=", rfqId).executeTakeFirstOrThrow();
    expect(rfq).toMatchObject({ buyer_id: b.id, status: "draft", title: "Quarterly packaging", description: "For the Q3 tender.", currency: "EUR", incoterm: "DAP", delivery_place: "9 rue de la Gare, 13001 Marseille, FR" });
    const lines = await db.selectFrom("rfq_lines").select(["description", "quantity", "unit", "listing_id"]).where("rfq_id", "=", rfqId).orderBy("position").execute();
    expect(lines).toEqual([
      { description: "Kraft box 40x30", quantity: 400, unit: "piece", listing_id: boxes.id },
      { description: "Stretch film", quantity: 30, unit: "piece", listing_id: film.id },
    ]);

    await db.updateTable("listings").set({ status: "blocked", blocked_reason: "x" }).where("id", "=", film.id).execute();
    const before = await purchasingCounts(db);
    expect((await domainErrorOf(requisitionListToRfq(b.purchaser, { listId, scope: "all" }))).fieldErrors).toEqual({ [`items.${film.id}`]: ["requisitionList.item_unavailable"] });
    expect((await domainErrorOf(requisitionListToRfq(b.approver, { listId, scope: "all" }))).code).toBe("FORBIDDEN");
    expect(await purchasingCounts(db)).toEqual(before);
  });
});
