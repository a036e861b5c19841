import { describe, expect, test } from "vitest";
import { createTestDatabase } from "@souk/testing";
import { addToCart } from "./add-to-cart";
import { deleteAddress } from "./delete-address";
import { getAddress } from "./get-address";
import { getCart } from "./get-cart";
import { listAddresses } from "./list-addresses";
import { makeDefaultAddress } from "./make-default-address";
import { removeCartLine } from "./remove-cart-line";
import { saveAddress } from "./save-address";
import { updateCart } from "./update-cart";
import { activeSeller, address, assign, buyer, cartLines, countingDb, domainErrorOf, group, listing, priceList, purchasingCounts } from "./test-support";

const { db } = await createTestDatabase();
const UNKNOWN = "00000000-0000-4000-8000-000000000000";

describe("the address book", () => {
  test("the first address is the default; another can become it; the list shows the default first; deleting the default passes it on", async () => {
    const b = await buyer(db);
    const first = await address(b.purchaser, { label: "Zeta depot" });
    const second = await address(b.admin, { label: "Alpha office", country: "ma", line2: "Bureau 12" });
    let book = await listAddresses(b.viewer);
    expect(book.canManage).toBe(false);
    expect(book.items.map((a) => [a.id, a.isDefault])).toEqual([
      [first, true],
      [second, false],
    ]);
    expect(book.items[1]).toMatchObject({ label: "Alpha office", country: "MA", line2: "Bureau 12" });
    await makeDefaultAddress(b.purchaser, { addressId: second });
    book = await listAddresses(b.purchaser);
    expect(book.canManage).toBe(true);
    expect(book.items.map((a) => [a.id, a.isDefault])).toEqual([
      [second, true],
      [first, false],
    ]);
    // Saving with makeDefault moves the default too.
    await saveAddress(b.purchaser, { addressId: first, label: "Zeta depot", recipient: "Gate 2", line1: "1 rue A", postalCode: "69002", city: "Lyon", country: "FR", makeDefault: "on" });
    expect(await getAddress(b.purchaser, { addressId: first })).toMatchObject({ recipient: "Gate 2", line1: "1 rue A", isDefault: true });
    await deleteAddress(b.purchaser, { addressId: first });
    expect((await listAddresses(b.purchaser)).items.map((a) => [a.id, a.isDefault])).toEqual([[second, true]]);
  });

  test("bad fields are field errors and nothing is written", async () => {
    const b = await buyer(db);
    const before = await purchasingCounts(db);
    const error = await domainErrorOf(saveAddress(b.purchaser, { label: " ", recipient: "x".repeat(201), line1: "", postalCode: "1".repeat(21), city: "Lyon", country: "XX" }));
    expect(error.code).toBe("VALIDATION");
    expect(error.fieldErrors).toEqual({
      label: ["address.label_required"],
      recipient: ["address.recipient_too_long"],
      line1: ["address.line1_required"],
      postalCode: ["address.postal_code_too_long"],
      country: ["address.country_invalid"],
    });
    expect((await domainErrorOf(saveAddress(b.purchaser, { label: "A", recipient: "B", line1: "C", postalCode: "1", city: "D", country: "F\u0000" }))).fieldErrors).toEqual({ country: ["country.invalid"] });
    expect(await purchasingCounts(db)).toEqual(before);
  });

  test("another organisation's address in the URL is NOT_FOUND, in a form field the same field error as an unknown one; it stays as it was; viewers and approvers cannot change the book", async () => {
    const mine = await buyer(db);
    const theirs = await buyer(db);
    const theirAddress = await address(theirs.purchaser);
    const before = await purchasingCounts(db);
    for (const attempt of [
      () => getAddress(mine.purchaser, { addressId: theirAddress }),
      () => saveAddress(mine.purchaser, { addressId: theirAddress, label: "Mine now", recipient: "x", line1: "x", postalCode: "1", city: "x", country: "FR" }),
      () => deleteAddress(mine.admin, { addressId: theirAddress }),
      () => deleteAddress(mine.admin, { addressId: "not-an-id" }),
    ]) {
      expect((await domainErrorOf(attempt())).code).toBe("NOT_FOUND");
    }
    // "Make default" posts the address in a form field: 422 on that field, whether it is another
    // organisation's, unknown or not an id at all (the same words: nothing tells them apart).
    await address(mine.purchaser);
    for (const addressId of [theirAddress, UNKNOWN, "not-an-id"]) {
      expect(await domainErrorOf(makeDefaultAddress(mine.admin, { addressId }))).toMatchObject({ code: "VALIDATION", fieldErrors: { addressId: ["address.unknown"] } });
    }
    await db.deleteFrom("organization_addresses").where("organization_id", "=", mine.id).execute();
    expect(await purchasingCounts(db)).toEqual(before);
    expect((await getAddress(theirs.purchaser, { addressId: theirAddress })).label).toBe("Main warehouse");
    for (const who of [mine.viewer, mine.approver]) {
      expect((await domainErrorOf(address(who))).code).toBe("FORBIDDEN");
    }
    expect((await listAddresses(mine.approver)).items).toEqual([]);
  });

  test("at most 50 addresses", async () => {
    const b = await buyer(db);
    await db
      .insertInto("organization_addresses")
      .values(Array.from({ length: 50 }, (_, i) => ({ organization_id: b.id, label: `A${i}`, recipient: "r", line1: "l", postal_code: "1", city: "c", country: "FR" })))
      .execute();
    expect((await domainErrorOf(address(b.purchaser))).fieldErrors).toEqual({ _form: ["address.too_many"] });
  });
});

describe("the cart", () => {
  test("lines at the buyer's own contract price, grouped by currency then seller, totals exact beyond 2^53", async () => {
    const b = await buyer(db);
    const alpha = await activeSeller(db);
    const beta = await activeSeller(db);
    const boxes = await listing(db, alpha.id, { listPriceMinor: 1_200, minOrderQuantity: 10, stock: 500 });
    const tape = await listing(db, alpha.id, { listPriceMinor: 350 });
    const pallets = await listing(db, beta.id, { listPriceMinor: 999_999_999_999n, stock: 1_000_000 });
    const dollars = await listing(db, beta.id, { currency: "USD", listPriceMinor: 5_00 });
    const contract = await priceList(db, alpha.id, { entries: [[boxes.id, 1, 950]] });
    await assign(db, alpha.id, contract.id, { buyerId: b.id });

    await addToCart(b.purchaser, { listingId: boxes.id, quantity: "10" });
    expect(await addToCart(b.purchaser, { listingId: boxes.id, quantity: "5" })).toEqual({ listingId: boxes.id, quantity: 15, warnings: [] });
    await addToCart(b.purchaser, { listingId: tape.id, quantity: 3 });
    await addToCart(b.purchaser, { listingId: pallets.id, quantity: "90000" });
    await addToCart(b.purchaser, { listingId: dollars.id, quantity: "2" });

    const cart = await getCart(b.purchaser);
    expect(cart.lineCount).toBe(4);
    expect(cart.groups.map((g) => g.currency)).toEqual(["EUR", "USD"]);
    const eur = cart.groups[0]!;
    // 15 × 9.50 + 3 × 3.50 + 90 000 × 9 999 999 999.99 — far beyond what a float holds exactly.
    const expected = 15n * 950n + 3n * 350n + 90_000n * 999_999_999_999n;
    expect(eur.total).toEqual({ amountMinor: expected.toString(), currency: "EUR" });
    expect(Number.isSafeInteger(Number(eur.total.amountMinor))).toBe(false);
    const bySeller = Object.fromEntries(eur.sellers.map((s) => [s.seller.id, s]));
    expect(bySeller[alpha.id]!.lines.map((l) => [l.listingId, l.quantity, l.unitPrice.amountMinor, l.priceSource])).toEqual([
      [boxes.id, 15, "950", "buyer_price_list"],
      [tape.id, 3, "350", "list_price"],
    ]);
    expect(bySeller[alpha.id]!.subtotal.amountMinor).toBe(String(15 * 950 + 3 * 350));
    expect(cart.groups[1]).toMatchObject({ currency: "USD", total: { amountMinor: "1000", currency: "USD" }, lineCount: 1 });

    // Another member of the same buyer has a cart of their own.
    expect((await getCart(b.admin)).lineCount).toBe(0);
  });

  test("warnings: under the minimum, more than the stock; a listing the buyer can no longer see is only 'unavailable'", async () => {
    const b = await buyer(db);
    const s = await activeSeller(db);
    const boxes = await listing(db, s.id, { minOrderQuantity: 10, stock: 12 });
    const film = await listing(db, s.id, { stock: 100 });
    await addToCart(b.purchaser, { listingId: boxes.id, quantity: "12" });
    await addToCart(b.purchaser, { listingId: film.id, quantity: "1" });
    await updateCart(b.purchaser, { [`quantity.${boxes.id}`]: "5" });
    await db.updateTable("listings").set({ stock: 4 }).where("id", "=", boxes.id).execute();
    let cart = await getCart(b.purchaser);
    expect(cart.groups[0]!.hasWarnings).toBe(true);
    expect(cart.groups[0]!.sellers[0]!.lines.find((l) => l.listingId === boxes.id)!.warnings).toEqual(["below_minimum", "above_stock"]);
    await db.updateTable("listings").set({ status: "unlisted" }).where("id", "=", film.id).execute();
    cart = await getCart(b.purchaser);
    expect(cart.unavailable).toEqual([{ listingId: film.id, quantity: 1 }]);
    expect(cart.groups[0]!.lineCount).toBe(1);
    await removeCartLine(b.purchaser, { listingId: film.id });
    expect((await getCart(b.purchaser)).unavailable).toEqual([]);
  });

  test("adding: a listing the buyer may not see is the same field error as an unknown one (a form field, not the URL); bad quantities and the minimum are field errors; nothing is written", async () => {
    const b = await buyer(db);
    const s = await activeSeller(db);
    const insiders = await buyer(db);
    const g = await group(db, s.id, [insiders.id]);
    const restricted = await listing(db, s.id, { groupIds: [g] });
    const draft = await listing(db, s.id, { status: "draft" });
    const boxes = await listing(db, s.id, { minOrderQuantity: 10 });
    const before = await purchasingCounts(db);
    const missing = await domainErrorOf(addToCart(b.purchaser, { listingId: UNKNOWN, quantity: "10" }));
    expect(missing).toMatchObject({ code: "VALIDATION", fieldErrors: { listingId: ["cart.listing_unknown"] } });
    for (const listingId of [restricted.id, draft.id, "nope", undefined]) {
      expect(await domainErrorOf(addToCart(b.purchaser, { listingId, quantity: "10" }))).toMatchObject({ code: "VALIDATION", message: missing.message, fieldErrors: missing.fieldErrors });
    }
    for (const quantity of ["0", "-1", "1.5", "abc", "1e3", "", " ", 0, -2, 2.5, "99999999999", null, ["10"]]) {
      const error = await domainErrorOf(addToCart(b.purchaser, { listingId: boxes.id, quantity }));
      expect(error.fieldErrors, String(quantity)).toEqual({ quantity: ["cart.quantity_invalid"] });
    }
    expect((await domainErrorOf(addToCart(b.purchaser, { listingId: boxes.id, quantity: "9" }))).fieldErrors).toEqual({ quantity: ["cart.below_minimum"] });
    expect(await purchasingCounts(db)).toEqual(before);
    // The insider sees it, and may buy it.
    await expect(addToCart(insiders.purchaser, { listingId: restricted.id, quantity: "1" })).resolves.toMatchObject({ quantity: 1 });
  });

  test("updating and removing: bad quantities are field errors per line and change nothing; so is another buyer's or member's line (cart.line_unknown)", async () => {
    const b = await buyer(db);
    const other = await buyer(db);
    const s = await activeSeller(db);
    const boxes = await listing(db, s.id);
    const tape = await listing(db, s.id);
    await addToCart(b.purchaser, { listingId: boxes.id, quantity: "4" });
    await addToCart(b.purchaser, { listingId: tape.id, quantity: "2" });
    await addToCart(other.purchaser, { listingId: boxes.id, quantity: "7" });
    const foreign = await listing(db, s.id);
    const before = await purchasingCounts(db);

    const bad = await domainErrorOf(updateCart(b.purchaser, { [`quantity.${boxes.id}`]: "0", [`quantity.${tape.id}`]: "-3" }));
    expect(bad.fieldErrors).toEqual({ [`lines.${boxes.id}`]: ["cart.quantity_invalid"], [`lines.${tape.id}`]: ["cart.quantity_invalid"] });
    expect((await domainErrorOf(updateCart(b.purchaser, { [`quantity.${boxes.id}`]: "6", [`quantity.${tape.id}`]: "1.5" }))).fieldErrors).toEqual({ [`lines.${tape.id}`]: ["cart.quantity_invalid"] });
    expect(await cartLines(db, b.purchaser)).toEqual({ [boxes.id]: 4, [tape.id]: 2 });

    // A listing in someone else's cart only is no line of this cart.
    await addToCart(other.purchaser, { listingId: foreign.id, quantity: "1" });
    expect(await domainErrorOf(updateCart(b.purchaser, { [`quantity.${foreign.id}`]: "3", [`quantity.${boxes.id}`]: "5" }))).toMatchObject({ code: "VALIDATION", fieldErrors: { [`lines.${foreign.id}`]: ["cart.line_unknown"] } });
    expect(await cartLines(db, b.purchaser)).toEqual({ [boxes.id]: 4, [tape.id]: 2 });
    for (const [who, listingId] of [[b.purchaser, foreign.id], [b.admin, boxes.id], [b.purchaser, UNKNOWN], [b.purchaser, "nope"]] as const) {
      expect(await domainErrorOf(removeCartLine(who, { listingId }))).toMatchObject({ code: "VALIDATION", fieldErrors: { listingId: ["cart.line_unknown"] } });
    }
    expect(await cartLines(db, other.purchaser)).toEqual({ [boxes.id]: 7, [foreign.id]: 1 });
    const after = await purchasingCounts(db);
    expect({ ...after, cart_lines: before.cart_lines }).toEqual(before);

    expect(await updateCart(b.purchaser, { [`quantity.${boxes.id}`]: "9", [`quantity.${tape.id}`]: " 3 ", ignored: "x" })).toEqual({ updated: 2 });
    await removeCartLine(b.purchaser, { listingId: tape.id });
    expect(await cartLines(db, b.purchaser)).toEqual({ [boxes.id]: 9 });
  });

  test("at most 100 lines; viewers and approvers have no cart", async () => {
    const b = await buyer(db);
    const s = await activeSeller(db);
    const full = await buyer(db);
    const cart = await db.insertInto("carts").values({ buyer_id: full.id, user_id: full.purchaser.actor.userId }).returning("id").executeTakeFirstOrThrow();
    const ids: string[] = [];
    for (let i = 0; i < 101; i += 1) ids.push((await listing(db, s.id)).id);
    await db
      .insertInto("cart_lines")
      .values(ids.slice(0, 100).map((listingId) => ({ cart_id: cart.id, buyer_id: full.id, listing_id: listingId, quantity: 1 })))
      .execute();
    const before = await purchasingCounts(db);
    expect((await domainErrorOf(addToCart(full.purchaser, { listingId: ids[100], quantity: "1" }))).fieldErrors).toEqual({ quantity: ["cart.too_many_lines"] });
    expect(await purchasingCounts(db)).toEqual(before);
    // Adding to a line already there is fine.
    await addToCart(full.purchaser, { listingId: ids[0], quantity: "1" });
    for (const who of [b.viewer, b.approver]) {
      expect((await domainErrorOf(addToCart(who, { listingId: ids[0], quantity: "1" }))).code).toBe("FORBIDDEN");
      expect((await domainErrorOf(getCart(who))).code).toBe("FORBIDDEN");
    }
  });

  test("the cart page costs the same number of statements for 2 lines as for 12 (the page-level pricing loader)", async () => {
    const small = await buyer(db);
    const large = await buyer(db);
    const sellers = [await activeSeller(db), await activeSeller(db), await activeSeller(db)];
    for (const [index, s] of sellers.entries()) {
      const lines = [];
      for (let i = 0; i < 4; i += 1) lines.push(await listing(db, s.id, { tiers: [[5, 800]] }));
      const list = await priceList(db, s.id, { entries: lines.map((l): [string, number, number] => [l.id, 1, 700]) });
      await assign(db, s.id, list.id, { buyerId: large.id });
      await assign(db, s.id, list.id, { buyerId: small.id });
      for (const l of lines) await addToCart(large.purchaser, { listingId: l.id, quantity: "6" });
      if (index === 0) for (const l of lines.slice(0, 2)) await addToCart(small.purchaser, { listingId: l.id, quantity: "6" });
    }
    const a = countingDb(db);
    expect((await getCart({ ...small.purchaser, db: a.db })).lineCount).toBe(2);
    const b = countingDb(db);
    const cart = await getCart({ ...large.purchaser, db: b.db });
    expect(cart.lineCount).toBe(12);
    expect(cart.groups[0]!.sellers.flatMap((s) => s.lines).every((l) => l.unitPrice.amountMinor === "700")).toBe(true);
    expect(b.count()).toBe(a.count());
  });
});
