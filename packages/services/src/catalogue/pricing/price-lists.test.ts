import { describe, expect, test } from "vitest";
import { sql } from "kysely";
import { createTestDatabase } from "@souk/testing";
import { domainErrorOf } from "../../identity/test-support";
import { memberOf } from "../../vetting/test-support";
import { assignPriceList } from "./assign-price-list";
import { createPriceList } from "./create-price-list";
import { deletePriceList } from "./delete-price-list";
import { getPriceList } from "./get-price-list";
import { listPriceListTargets } from "./list-price-list-targets";
import { listPriceLists } from "./list-price-lists";
import { removePriceListEntry } from "./remove-price-list-entry";
import { setPriceListEntry } from "./set-price-list-entry";
import { buyer, group, listing, seller, sellerIdOf } from "./test-support";
import { unassignPriceList } from "./unassign-price-list";
import { updatePriceList } from "./update-price-list";

const { db } = await createTestDatabase();

const TABLES = ["price_lists", "price_list_entries", "price_list_assignments"] as const;
async function snapshot() {
  const out: Record<string, unknown[]> = {};
  for (const table of TABLES) out[table] = await db.selectFrom(table).selectAll().orderBy(sql`1`).execute();
  return out;
}

const day = (iso: string) => new Date(`${iso}T00:00:00Z`);

describe("price lists of a seller", () => {
  test("create, list, set entries, assign to a buyer and a group, read back, unassign, remove an entry, delete", async () => {
    const owner = await seller(db);
    const s = sellerIdOf(owner);
    const b = await buyer(db);
    const g = await group(db, s, [], "Hotels");
    const box = await listing(db, s, { sku: "BOX-1", title: "Box" });
    const tape = await listing(db, s, { sku: "TAPE-1", title: "Tape" });

    const { id } = await createPriceList(owner, { name: " Contract 2026 ", currency: "eur", validFrom: "2026-01-01", validTo: "2027-01-01" });
    await setPriceListEntry(owner, { priceListId: id, sku: "TAPE-1", minQuantity: "", unitPrice: "2,50" });
    await setPriceListEntry(owner, { priceListId: id, sku: " BOX-1 ", minQuantity: "100", unitPrice: "9.00" });
    await setPriceListEntry(owner, { priceListId: id, sku: "BOX-1", minQuantity: "1", unitPrice: "10" });
    // The same break again replaces its price.
    expect(await setPriceListEntry(owner, { priceListId: id, sku: "BOX-1", minQuantity: "100", unitPrice: "8.75" })).toEqual({
      priceListId: id,
      listingId: box.id,
      minQuantity: 100,
      unitPrice: { amountMinor: "875", currency: "EUR" },
    });
    const toBuyer = await assignPriceList(owner, { priceListId: id, buyerId: b.actor.organizationId, groupId: "", priority: "5" });
    expect(toBuyer.created).toBe(true);
    // Assigning again changes only the priority.
    expect(await assignPriceList(owner, { priceListId: id, buyerId: b.actor.organizationId, priority: "7" })).toEqual({ id: toBuyer.id, created: false });
    const toGroup = await assignPriceList(owner, { priceListId: id, groupId: g, priority: "" });

    const detail = await getPriceList(owner, { priceListId: id });
    expect(detail).toMatchObject({ id, name: "Contract 2026", currency: "EUR", validFrom: "2026-01-01", validTo: "2027-01-01" });
    expect(detail.entries).toEqual([
      { listingId: box.id, sku: "BOX-1", title: "Box", minQuantity: 1, unitPrice: { amountMinor: "1000", currency: "EUR" }, currencyMismatch: false },
      { listingId: box.id, sku: "BOX-1", title: "Box", minQuantity: 100, unitPrice: { amountMinor: "875", currency: "EUR" }, currencyMismatch: false },
      { listingId: tape.id, sku: "TAPE-1", title: "Tape", minQuantity: 1, unitPrice: { amountMinor: "250", currency: "EUR" }, currencyMismatch: false },
    ]);
    const buyerName = (await db.selectFrom("organizations").select("name").where("id", "=", b.actor.organizationId).executeTakeFirstOrThrow()).name;
    expect(detail.assignments).toEqual([
      { id: toBuyer.id, priority: 7, target: { kind: "buyer", buyerId: b.actor.organizationId, name: buyerName } },
      { id: toGroup.id, priority: 0, target: { kind: "group", groupId: g, name: "Hotels" } },
    ]);
    const [row] = await listPriceLists(owner, {});
    expect(row).toMatchObject({ id, name: "Contract 2026", currency: "EUR", listingCount: 2, assignmentCount: 2 });

    await unassignPriceList(owner, { assignmentId: toGroup.id });
    expect(await removePriceListEntry(owner, { priceListId: id, listingId: box.id, minQuantity: "100" })).toEqual({ removed: true });
    expect(await removePriceListEntry(owner, { priceListId: id, listingId: box.id, minQuantity: "100" })).toEqual({ removed: false });
    const after = await getPriceList(owner, { priceListId: id });
    expect(after.entries.map((e) => [e.sku, e.minQuantity])).toEqual([["BOX-1", 1], ["TAPE-1", 1]]);
    expect(after.assignments.map((a) => a.id)).toEqual([toBuyer.id]);

    await deletePriceList(owner, { priceListId: id });
    expect(await listPriceLists(owner, {})).toEqual([]);
    expect(await db.selectFrom("price_list_entries").select("listing_id").where("price_list_id", "=", id).execute()).toEqual([]);
  });

  test("the list's state today by the database clock, and an update of name and validity", async () => {
    const owner = await seller(db);
    const { id: current } = await createPriceList(owner, { name: "A current", currency: "EUR" });
    const { id: upcoming } = await createPriceList(owner, { name: "B upcoming", currency: "EUR", validFrom: "2999-01-01" });
    const { id: expired } = await createPriceList(owner, { name: "C expired", currency: "EUR", validFrom: "2001-01-01", validTo: "2002-01-01" });
    expect((await listPriceLists(owner, {})).map((p) => [p.id, p.state])).toEqual([
      [current, "current"],
      [upcoming, "upcoming"],
      [expired, "expired"],
    ]);
    await updatePriceList(owner, { priceListId: expired, name: "C renewed", currency: "EUR", validFrom: "2001-01-01", validTo: "" });
    const row = await db.selectFrom("price_lists").select(["name", "valid_from", "valid_to"]).where("id", "=", expired).executeTakeFirstOrThrow();
    expect(row).toEqual({ name: "C renewed", valid_from: day("2001-01-01"), valid_to: null });
  });

  test("the currency can change only while the list has no prices", async () => {
    const owner = await seller(db);
    await listing(db, sellerIdOf(owner), { sku: "USD-1", currency: "USD" });
    const { id } = await createPriceList(owner, { name: "Export", currency: "EUR" });
    await updatePriceList(owner, { priceListId: id, name: "Export", currency: "USD" });
    await setPriceListEntry(owner, { priceListId: id, sku: "USD-1", unitPrice: "3.00" });
    const before = await snapshot();
    const error = await domainErrorOf(updatePriceList(owner, { priceListId: id, name: "Export", currency: "EUR" }));
    expect(error.fieldErrors).toEqual({ currency: ["priceList.currency_locked"] });
    expect(await snapshot()).toEqual(before);
  });
});

describe("bad input is a field error and writes nothing", () => {
  test("price list fields: name, currency, dates and their order", async () => {
    const owner = await seller(db);
    await createPriceList(owner, { name: "Taken", currency: "EUR" });
    const before = await snapshot();
    const cases: [Record<string, unknown>, Record<string, string[]>][] = [
      [{ name: "", currency: "" }, { name: ["priceList.name_required"], currency: ["priceList.currency_required"] }],
      [{ name: "x".repeat(101), currency: "EURO" }, { name: ["priceList.name_too_long"], currency: ["priceList.currency_invalid"] }],
      [{ name: "OK", currency: "XXX" }, { currency: ["priceList.currency_invalid"] }],
      [{ name: "OK", currency: "EUR", validFrom: "2026-02-30" }, { validFrom: ["priceList.date_invalid"] }],
      [{ name: "OK", currency: "EUR", validFrom: "01/02/2026", validTo: "2026-13-01" }, { validFrom: ["priceList.date_invalid"], validTo: ["priceList.date_invalid"] }],
      [{ name: "OK", currency: "EUR", validFrom: "2026-03-01", validTo: "2026-03-01" }, { validTo: ["priceList.range_invalid"] }],
      [{ name: "OK", currency: "EUR", validFrom: "2026-03-01", validTo: "2026-02-01" }, { validTo: ["priceList.range_invalid"] }],
      [{ name: "'; drop table price_lists; --", currency: "EUR", validFrom: "' or 1=1" }, { validFrom: ["priceList.date_invalid"] }],
      [{ name: "TAKEN", currency: "EUR" }, { name: ["priceList.name_taken"] }],
    ];
    for (const [input, fieldErrors] of cases) {
      const error = await domainErrorOf(createPriceList(owner, input));
      expect(error, JSON.stringify(input)).toMatchObject({ code: "VALIDATION", fieldErrors });
    }
    expect(await snapshot()).toEqual(before);
  });

  test("entries: unknown SKU, another seller's SKU, prices that are not positive or not money, bad quantities, currency mismatch — all at once", async () => {
    const owner = await seller(db);
    const s = sellerIdOf(owner);
    await listing(db, s, { sku: "EUR-1", currency: "EUR" });
    await listing(db, s, { sku: "USD-1", currency: "USD" });
    await listing(db, s, { sku: "JPY-1", currency: "JPY" });
    await listing(db, sellerIdOf(await seller(db)), { sku: "THEIRS-1", currency: "EUR" });
    const { id: priceListId } = await createPriceList(owner, { name: "Main", currency: "EUR" });
    const { id: yen } = await createPriceList(owner, { name: "Yen", currency: "JPY" });
    const before = await snapshot();

    const cases: [Record<string, unknown>, Record<string, string[]>][] = [
      [{ sku: "NOPE", unitPrice: "1.00" }, { sku: ["priceList.sku_unknown"] }],
      [{ sku: "THEIRS-1", unitPrice: "1.00" }, { sku: ["priceList.sku_unknown"] }],
      [{ sku: "", unitPrice: "" }, { sku: ["priceList.sku_required"], unitPrice: ["priceList.price_required"] }],
      [{ sku: "EUR-1", unitPrice: "0" }, { unitPrice: ["priceList.price_not_positive"] }],
      [{ sku: "EUR-1", unitPrice: "0.00" }, { unitPrice: ["priceList.price_not_positive"] }],
      [{ sku: "EUR-1", unitPrice: "-5.00" }, { unitPrice: ["priceList.price_not_positive"] }],
      [{ sku: "EUR-1", unitPrice: "1.234" }, { unitPrice: ["priceList.price_invalid"] }],
      [{ sku: "EUR-1", unitPrice: "1e3" }, { unitPrice: ["priceList.price_invalid"] }],
      [{ sku: "EUR-1", unitPrice: "12 €" }, { unitPrice: ["priceList.price_invalid"] }],
      [{ sku: "EUR-1", unitPrice: 12.5 }, { unitPrice: ["priceList.price_invalid"] }],
      [{ sku: "EUR-1", unitPrice: "99999999999999.00" }, { unitPrice: ["priceList.price_too_large"] }],
      [{ sku: "EUR-1", unitPrice: "1.00", minQuantity: "0" }, { minQuantity: ["priceList.min_quantity_invalid"] }],
      [{ sku: "EUR-1", unitPrice: "1.00", minQuantity: "-3" }, { minQuantity: ["priceList.min_quantity_invalid"] }],
      [{ sku: "EUR-1", unitPrice: "1.00", minQuantity: "1.5" }, { minQuantity: ["priceList.min_quantity_invalid"] }],
      [{ sku: "EUR-1", unitPrice: "1.00", minQuantity: "10; delete" }, { minQuantity: ["priceList.min_quantity_invalid"] }],
      [{ sku: "USD-1", unitPrice: "1.00" }, { unitPrice: ["priceList.currency_mismatch"] }],
      [{ sku: "NOPE", unitPrice: "-1", minQuantity: "x" }, { sku: ["priceList.sku_unknown"], unitPrice: ["priceList.price_not_positive"], minQuantity: ["priceList.min_quantity_invalid"] }],
    ];
    for (const [input, fieldErrors] of cases) {
      const error = await domainErrorOf(setPriceListEntry(owner, { priceListId, ...input }));
      expect(error, JSON.stringify(input)).toMatchObject({ code: "VALIDATION", fieldErrors });
    }
    // The price is read in the list's currency: yen have no decimals.
    expect((await domainErrorOf(setPriceListEntry(owner, { priceListId: yen, sku: "JPY-1", unitPrice: "100.50" }))).fieldErrors).toEqual({
      unitPrice: ["priceList.price_invalid"],
    });
    expect(await snapshot()).toEqual(before);
    await expect(setPriceListEntry(owner, { priceListId: yen, sku: "JPY-1", unitPrice: "100" })).resolves.toMatchObject({ unitPrice: { amountMinor: "100", currency: "JPY" } });
  });

  test("at most 20 breaks per listing in one list", async () => {
    const owner = await seller(db);
    await listing(db, sellerIdOf(owner), { sku: "MANY" });
    const { id: priceListId } = await createPriceList(owner, { name: "Breaks", currency: "EUR" });
    for (let q = 1; q <= 20; q += 1) await setPriceListEntry(owner, { priceListId, sku: "MANY", minQuantity: String(q), unitPrice: "1.00" });
    expect((await domainErrorOf(setPriceListEntry(owner, { priceListId, sku: "MANY", minQuantity: "21", unitPrice: "1.00" }))).fieldErrors).toEqual({
      minQuantity: ["priceList.too_many_breaks"],
    });
    // Changing an existing break is still allowed.
    await expect(setPriceListEntry(owner, { priceListId, sku: "MANY", minQuantity: "20", unitPrice: "0.90" })).resolves.toBeDefined();
  });

  test("assignments: a target is required (one, not both), the buyer must be an active buyer, the group the seller's, the priority in range", async () => {
    const owner = await seller(db);
    const s = sellerIdOf(owner);
    const { id: priceListId } = await createPriceList(owner, { name: "Assign", currency: "EUR" });
    const b = (await buyer(db)).actor.organizationId;
    const g = await group(db, s);
    const suspendedBuyer = (await buyer(db, { status: "suspended" })).actor.organizationId;
    const theirGroup = await group(db, sellerIdOf(await seller(db)), [b]);
    const before = await snapshot();
    const cases: [Record<string, unknown>, Record<string, string[]>][] = [
      [{}, { target: ["priceList.target_required"] }],
      [{ buyerId: "", groupId: "" }, { target: ["priceList.target_required"] }],
      [{ buyerId: b, groupId: g }, { target: ["priceList.target_required"] }],
      [{ buyerId: suspendedBuyer }, { buyerId: ["priceList.buyer_unknown"] }],
      [{ buyerId: s }, { buyerId: ["priceList.buyer_unknown"] }],
      [{ buyerId: "robert'); drop table students;--" }, { buyerId: ["priceList.buyer_unknown"] }],
      [{ groupId: theirGroup }, { groupId: ["priceList.group_unknown"] }],
      [{ groupId: b, priority: "1001" }, { priority: ["priceList.priority_invalid"] }],
      [{ groupId: g, priority: "1.5" }, { priority: ["priceList.priority_invalid"] }],
      [{ groupId: g, priority: "high" }, { priority: ["priceList.priority_invalid"] }],
    ];
    for (const [input, fieldErrors] of cases) {
      const error = await domainErrorOf(assignPriceList(owner, { priceListId, ...input }));
      expect(error, JSON.stringify(input)).toMatchObject({ code: "VALIDATION", fieldErrors });
    }
    expect(await snapshot()).toEqual(before);
    await expect(assignPriceList(owner, { priceListId, groupId: g, priority: "-1000" })).resolves.toMatchObject({ created: true });
  });
});

describe("tenant isolation and permissions", () => {
  test("another seller's price list or assignment is NOT_FOUND for every use case and is left untouched", async () => {
    const mine = await seller(db);
    const theirs = await seller(db);
    await listing(db, sellerIdOf(mine), { sku: "MINE-1" });
    const theirListing = await listing(db, sellerIdOf(theirs), { sku: "THEIRS-2" });
    const { id: foreign } = await createPriceList(theirs, { name: "Secret contract", currency: "EUR" });
    await setPriceListEntry(theirs, { priceListId: foreign, sku: "THEIRS-2", unitPrice: "1.00" });
    const { id: assignmentId } = await assignPriceList(theirs, { priceListId: foreign, buyerId: (await buyer(db)).actor.organizationId });
    const before = await snapshot();

    const attempts: (() => Promise<unknown>)[] = [
      () => getPriceList(mine, { priceListId: foreign }),
      () => updatePriceList(mine, { priceListId: foreign, name: "Mine", currency: "EUR" }),
      () => deletePriceList(mine, { priceListId: foreign }),
      () => setPriceListEntry(mine, { priceListId: foreign, sku: "MINE-1", unitPrice: "1.00" }),
      () => removePriceListEntry(mine, { priceListId: foreign, listingId: theirListing.id, minQuantity: "1" }),
      () => assignPriceList(mine, { priceListId: foreign, buyerId: (mine.actor.organizationId as string) }),
      () => getPriceList(mine, { priceListId: "1 or 1=1" }),
      () => getPriceList(mine, {}),
    ];
    for (const attempt of attempts) expect((await domainErrorOf(attempt())).code).toBe("NOT_FOUND");
    // The assignment is the remove button's field: another seller's is the same field error as an unknown one.
    for (const id of [assignmentId, "5b7e2a3c-8a4e-4f0b-9d7c-1e2f3a4b5c6d", "1 or 1=1"]) {
      expect(await domainErrorOf(unassignPriceList(mine, { assignmentId: id }))).toMatchObject({ code: "VALIDATION", fieldErrors: { assignmentId: ["priceList.assignment_unknown"] } });
    }
    expect(await snapshot()).toEqual(before);
    expect(await listPriceLists(mine, {})).toEqual([]);
  });

  test.each([
    ["a buyer admin", () => memberOf(db, "buyer", "admin")],
    ["a seller's fulfilment member", () => memberOf(db, "seller", "fulfilment")],
    ["an operator admin", () => memberOf(db, "operator", "admin")],
  ])("%s is FORBIDDEN", async (_who, make) => {
    const actor = await make();
    for (const attempt of [
      () => listPriceLists(actor, {}),
      () => createPriceList(actor, { name: "X", currency: "EUR" }),
      () => setPriceListEntry(actor, { priceListId: "00000000-0000-4000-8000-000000000000", sku: "A", unitPrice: "1" }),
      () => assignPriceList(actor, { priceListId: "00000000-0000-4000-8000-000000000000", buyerId: actor.actor.organizationId }),
    ]) {
      expect((await domainErrorOf(attempt())).code).toBe("FORBIDDEN");
    }
  });
});

describe("price list targets", () => {
  test("the seller's own groups and the active buyers in them; nothing of another seller's groups", async () => {
    const owner = await seller(db);
    const other = await seller(db);
    const inGroup = await buyer(db);
    const suspended = await buyer(db, { status: "suspended" });
    const elsewhere = await buyer(db);
    const g = await group(db, sellerIdOf(owner), [inGroup.actor.organizationId, suspended.actor.organizationId], "Zeta hotels");
    const empty = await group(db, sellerIdOf(owner), [], "alpha");
    await group(db, sellerIdOf(other), [elsewhere.actor.organizationId], "Other's group");

    const targets = await listPriceListTargets(owner, {});
    expect(targets.groups).toEqual([
      { id: empty, name: "alpha" },
      { id: g, name: "Zeta hotels" },
    ]);
    expect(targets.buyers.map((b) => b.buyerId)).toEqual([inGroup.actor.organizationId]);
    await expect(listPriceListTargets(inGroup, {})).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});
