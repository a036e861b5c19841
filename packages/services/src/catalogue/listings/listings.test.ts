import { describe, expect, test } from "vitest";
import { createTestDatabase } from "@souk/testing";
import { domainErrorOf } from "../../identity/test-support";
import { memberOf, operator } from "../../vetting/test-support";
import { createListing } from "./create-listing";
import { getSellerListing } from "./get-seller-listing";
import { listSellerListings } from "./list-seller-listings";
import { moveSellerListing } from "./move-seller-listing";
import { categoryIdOf, customerGroup, insertListing, listingForm, listingRow, listingRowCounts, listingSeller, nextSku, syncRowsFor } from "./test-support";
import { updateListing } from "./update-listing";

const { db } = await createTestDatabase();
const boxes = await categoryIdOf(db, "packaging-boxes");

describe("createListing / getSellerListing / updateListing", () => {
  test("a NUL character, which PostgreSQL cannot store, is a field error and writes nothing (never a 500)", async () => {
    const s = await listingSeller(db);
    const before = await listingRowCounts(db);
    expect((await domainErrorOf(createListing(s.sales, listingForm(boxes, { title: "Box\u0000" })))).fieldErrors).toEqual({ title: ["title.invalid"] });
    expect((await domainErrorOf(listSellerListings(s.sales, { q: "\u0000" })))).toMatchObject({ code: "VALIDATION", fieldErrors: { q: ["q.invalid"] } });
    expect(await listingRowCounts(db)).toEqual(before);
  });

  test("the currency of a listing in a price list cannot change (its contract prices would silently stop applying)", async () => {
    const s = await listingSeller(db);
    const form = listingForm(boxes);
    const { id } = await createListing(s.sales, form);
    const list = await db.insertInto("price_lists").values({ seller_id: s.id, name: `Contract ${nextSku()}`, currency: "EUR" }).returning("id").executeTakeFirstOrThrow();
    await db.insertInto("price_list_entries").values({ price_list_id: list.id, listing_id: id, seller_id: s.id, min_quantity: 1, unit_price_minor: "900" }).execute();
    const error = await domainErrorOf(updateListing(s.sales, { ...form, listingId: id, currency: "USD" }));
    expect(error.fieldErrors).toEqual({ currency: ["currency.locked_by_price_lists"] });
    expect((await listingRow(db, id)).currency).toBe("EUR");
    // Any other change still goes through.
    await expect(updateListing(s.sales, { ...form, listingId: id, title: "Renamed" })).resolves.toMatchObject({ outcome: "updated" });
  });

  test("a sales member creates a draft with tiers, attributes and group visibility; the edit page reads the form back; one search sync", async () => {
    const s = await listingSeller(db);
    const wholesale = await customerGroup(db, s.id, "Wholesale");
    const retail = await customerGroup(db, s.id, "Retail");
    const form = listingForm(boxes, { listPrice: "12,50", tiers: "100=10.00;10=11.5", attributes: "size=M;colour=red", visibility: "groups", groupIds: [wholesale] });

    const { id } = await createListing(s.sales, form);
    const row = await listingRow(db, id);
    expect(row).toMatchObject({ seller_id: s.id, sku: form.sku, status: "draft", version: 1, list_price_minor: "1250", min_order_quantity: 50, visibility: "groups", blocked_reason: null });
    expect(row.attributes).toEqual({ colour: "red", size: "M" });
    const tiers = await db.selectFrom("listing_price_tiers").select(["min_quantity", "unit_price_minor"]).where("listing_id", "=", id).orderBy("min_quantity").execute();
    expect(tiers).toEqual([
      { min_quantity: 10, unit_price_minor: "1150" },
      { min_quantity: 100, unit_price_minor: "1000" },
    ]);
    expect(await db.selectFrom("listing_visibility").select(["group_id", "seller_id"]).where("listing_id", "=", id).execute()).toEqual([{ group_id: wholesale, seller_id: s.id }]);
    expect(await syncRowsFor(db, id)).toBe(1);

    const detail = await getSellerListing(s.fulfilment, { listingId: id });
    expect(detail).toMatchObject({
      id,
      status: "draft",
      blockedReason: null,
      version: 1,
      images: [],
      availableMoves: ["publish"],
      sellerActive: true,
      groups: [
        { id: retail, name: "Retail" },
        { id: wholesale, name: "Wholesale" },
      ],
    });
    expect(detail.fields).toEqual({
      sku: form.sku,
      title: form.title,
      description: form.description,
      categoryId: boxes,
      unit: "box",
      currency: "EUR",
      listPrice: "12.50",
      minOrderQuantity: "50",
      stock: "10000",
      leadTimeDays: "3",
      attributes: "colour=red\nsize=M",
      tiers: "10=11.50\n100=10.00",
      visibility: "groups",
      groupIds: [wholesale],
    });
    expect(new Date(detail.createdAt).getTime()).toBeGreaterThan(0);

    // The form sent back as it was shown: nothing is written, not even a new version or a sync.
    const before = await listingRowCounts(db);
    expect(await updateListing(s.owner, { listingId: id, ...detail.fields })).toEqual({ id, outcome: "unchanged" });
    expect(await listingRowCounts(db)).toEqual(before);
    expect((await listingRow(db, id)).version).toBe(1);
  });

  test("an update writes the new fields, a new version and a search sync; the status stays", async () => {
    const s = await listingSeller(db);
    const { id } = await createListing(s.sales, listingForm(boxes));
    await moveSellerListing(s.sales, { listingId: id, move: "publish" });
    const syncs = await syncRowsFor(db, id);

    const form = { ...(await getSellerListing(s.sales, { listingId: id })).fields, title: "Corrugated box, double wall", tiers: "", stock: "0" };
    expect(await updateListing(s.sales, { listingId: id, ...form })).toEqual({ id, outcome: "updated" });
    const row = await listingRow(db, id);
    expect(row).toMatchObject({ title: "Corrugated box, double wall", stock: 0, status: "published", version: 3 });
    expect(await db.selectFrom("listing_price_tiers").select("min_quantity").where("listing_id", "=", id).execute()).toEqual([]);
    expect(await syncRowsFor(db, id)).toBe(syncs + 1);
  });

  test("invalid input: every field's error at once, and nothing is written", async () => {
    const s = await listingSeller(db);
    const before = await listingRowCounts(db);
    const error = await domainErrorOf(
      createListing(s.sales, {
        sku: "bad sku!",
        title: "",
        description: "x".repeat(5_001),
        categoryId: "not-a-category",
        unit: "",
        currency: "XYZ",
        listPrice: "-3",
        minOrderQuantity: "0",
        stock: "1.5",
        leadTimeDays: "366",
        attributes: "colour red",
        tiers: "1=2.00",
        visibility: "groups",
        groupIds: ["not-a-uuid"],
      }),
    );
    expect(error.code).toBe("VALIDATION");
    expect(error.fieldErrors).toEqual({
      sku: ["sku.invalid"],
      title: ["title.required"],
      description: ["description.too_long"],
      categoryId: ["categoryId.invalid"],
      unit: ["unit.required"],
      currency: ["currency.invalid"],
      minOrderQuantity: ["minOrderQuantity.too_small"],
      stock: ["stock.invalid"],
      leadTimeDays: ["leadTimeDays.too_large"],
      attributes: ["attributes.invalid"],
      groupIds: ["groupIds.invalid"],
    });
    // The money fields are checked too once the currency is one.
    const money = await domainErrorOf(createListing(s.sales, listingForm(boxes, { listPrice: "-3", tiers: "1=2.00" })));
    expect(money.fieldErrors).toEqual({ listPrice: ["listPrice.not_positive"], tiers: ["tiers.quantity_invalid"] });
    expect((await domainErrorOf(createListing(s.sales, {}))).fieldErrors).toMatchObject({ sku: ["sku.required"], title: ["title.required"], categoryId: ["categoryId.required"] });
    expect((await domainErrorOf(createListing(s.sales, listingForm(boxes, { visibility: "groups" })))).fieldErrors).toEqual({ groupIds: ["groupIds.required"] });
    expect(await listingRowCounts(db)).toEqual(before);
  });

  test("references the seller may not use: an unknown category, another seller's group; nothing is written", async () => {
    const s = await listingSeller(db);
    const other = await listingSeller(db);
    const theirs = await customerGroup(db, other.id);
    const before = await listingRowCounts(db);
    const error = await domainErrorOf(
      createListing(s.sales, listingForm(boxes, { categoryId: "0d2c7a35-6a3b-4f7e-8c1d-2e3f4a5b6c7d", visibility: "groups", groupIds: [theirs] })),
    );
    expect(error).toMatchObject({ code: "VALIDATION", fieldErrors: { categoryId: ["category.unknown"], groupIds: ["groupIds.unknown"] } });
    expect(await listingRowCounts(db)).toEqual(before);

    const { id } = await createListing(s.sales, listingForm(boxes));
    const original = await listingRow(db, id);
    const form = (await getSellerListing(s.sales, { listingId: id })).fields;
    const afterCreate = await listingRowCounts(db);
    for (const change of [{ visibility: "groups", groupIds: [theirs] }, { listPrice: "abc" }, { title: "" }]) {
      expect((await domainErrorOf(updateListing(s.sales, { listingId: id, ...form, ...change }))).code).toBe("VALIDATION");
    }
    expect(await listingRowCounts(db)).toEqual(afterCreate);
    expect(await listingRow(db, id)).toEqual(original);
  });

  test("a SKU is unique per seller, not across sellers", async () => {
    const a = await listingSeller(db);
    const b = await listingSeller(db);
    const sku = nextSku();
    const first = await createListing(a.sales, listingForm(boxes, { sku }));
    const before = await listingRowCounts(db);
    expect(await domainErrorOf(createListing(a.owner, listingForm(boxes, { sku, title: "Another" })))).toMatchObject({ code: "VALIDATION", fieldErrors: { sku: ["sku.taken"] } });
    expect(await listingRowCounts(db)).toEqual(before);
    expect((await listingRow(db, first.id)).title).toBe("Corrugated shipping box 40x30x20");

    const theirs = await createListing(b.sales, listingForm(boxes, { sku }));
    expect((await listingRow(db, theirs.id)).seller_id).toBe(b.id);

    const second = await createListing(a.sales, listingForm(boxes));
    const form = (await getSellerListing(a.sales, { listingId: second.id })).fields;
    expect((await domainErrorOf(updateListing(a.sales, { listingId: second.id, ...form, sku }))).fieldErrors).toEqual({ sku: ["sku.taken"] });
    // Changing the case makes another SKU; keeping one's own is no conflict.
    expect((await updateListing(a.sales, { listingId: second.id, ...form, sku: sku.toLowerCase() })).outcome).toBe("updated");
    expect((await updateListing(a.sales, { listingId: first.id, ...form, sku, title: "Renamed" })).outcome).toBe("updated");
  });

  test("creates of the same SKU at once: one listing, every other is told the SKU is taken and changes nothing", async () => {
    const s = await listingSeller(db);
    // Several rounds of several creates: a create that commits between another's SKU check and its
    // write must not let that one resolve to (or overwrite) the listing it just made.
    for (let round = 0; round < 5; round++) {
      const sku = nextSku();
      const forms = [0, 1, 2, 3].map((i) => listingForm(boxes, { sku, title: `Round ${round} create ${i}` }));
      const results = await Promise.allSettled(forms.map((form, i) => createListing(i % 2 ? s.owner : s.sales, form)));
      const winners = results.filter((r): r is PromiseFulfilledResult<{ id: string }> => r.status === "fulfilled");
      expect(winners).toHaveLength(1);
      for (const r of results) if (r.status === "rejected") expect(r.reason).toMatchObject({ fieldErrors: { sku: ["sku.taken"] } });
      const rows = await db.selectFrom("listings").select(["id", "title"]).where("seller_id", "=", s.id).where("sku", "=", sku).execute();
      expect(rows).toEqual([{ id: winners[0]!.value.id, title: forms[results.indexOf(winners[0]!)]!.title }]);
    }
  });
});

describe("tenant isolation and roles", () => {
  test("seller B can neither read, list, update nor move seller A's listing: NOT_FOUND, and A's listing is untouched", async () => {
    const a = await listingSeller(db);
    const b = await listingSeller(db);
    const { id } = await createListing(a.sales, listingForm(boxes));
    const original = await listingRow(db, id);
    const form = (await getSellerListing(a.sales, { listingId: id })).fields;
    const before = await listingRowCounts(db);

    expect((await domainErrorOf(getSellerListing(b.owner, { listingId: id }))).code).toBe("NOT_FOUND");
    expect((await domainErrorOf(updateListing(b.owner, { listingId: id, ...form, title: "Hijacked" }))).code).toBe("NOT_FOUND");
    // Even with invalid fields, the listing is not theirs before the fields are wrong.
    expect((await domainErrorOf(updateListing(b.owner, { listingId: id, title: "" }))).code).toBe("NOT_FOUND");
    for (const move of ["publish", "unlist"]) expect((await domainErrorOf(moveSellerListing(b.owner, { listingId: id, move }))).code).toBe("NOT_FOUND");
    expect((await listSellerListings(b.owner, {})).items.map((i) => i.id)).not.toContain(id);
    expect((await listSellerListings(b.owner, { q: form.sku })).total).toBe(0);

    for (const listingId of ["not-an-id", undefined, "0d2c7a35-6a3b-4f7e-8c1d-2e3f4a5b6c7d"]) {
      expect((await domainErrorOf(getSellerListing(a.owner, { listingId }))).code).toBe("NOT_FOUND");
      expect((await domainErrorOf(updateListing(a.owner, { listingId, ...form }))).code).toBe("NOT_FOUND");
    }
    expect(await listingRowCounts(db)).toEqual(before);
    expect(await listingRow(db, id)).toEqual(original);
  });

  test.each([
    ["buyer admin", () => memberOf(db, "buyer", "admin")],
    ["operator admin", () => operator(db, "admin")],
    ["moderator", () => operator(db, "moderator")],
  ])("a %s is refused every seller listing use case (FORBIDDEN), and nothing is written", async (_who, makeActor) => {
    const actor = await makeActor();
    const s = await listingSeller(db);
    const id = await insertListing(db, s.id, boxes);
    const before = await listingRowCounts(db);
    const calls = [
      listSellerListings(actor, {}),
      getSellerListing(actor, { listingId: id }),
      createListing(actor, listingForm(boxes)),
      updateListing(actor, { listingId: id, ...listingForm(boxes) }),
      moveSellerListing(actor, { listingId: id, move: "publish" }),
    ];
    for (const call of calls) expect((await domainErrorOf(call)).code).toBe("FORBIDDEN");
    expect(await listingRowCounts(db)).toEqual(before);
  });

  test("a fulfilment member reads the listings but cannot change them", async () => {
    const s = await listingSeller(db);
    const id = await insertListing(db, s.id, boxes);
    expect((await listSellerListings(s.fulfilment, {})).total).toBe(1);
    expect((await getSellerListing(s.fulfilment, { listingId: id })).id).toBe(id);
    const before = await listingRowCounts(db);
    for (const call of [
      createListing(s.fulfilment, listingForm(boxes)),
      updateListing(s.fulfilment, { listingId: id, ...listingForm(boxes) }),
      moveSellerListing(s.fulfilment, { listingId: id, move: "publish" }),
    ]) {
      expect((await domainErrorOf(call)).code).toBe("FORBIDDEN");
    }
    expect(await listingRowCounts(db)).toEqual(before);
  });

  test("a sales member moved to fulfilment while the request was on its way is refused under the lock", async () => {
    const s = await listingSeller(db);
    await db.updateTable("memberships").set({ role: "fulfilment" }).where("organization_id", "=", s.id).where("user_id", "=", s.salesUserId).execute();
    const before = await listingRowCounts(db);
    expect((await domainErrorOf(createListing(s.sales, listingForm(boxes)))).code).toBe("FORBIDDEN");
    expect(await listingRowCounts(db)).toEqual(before);
  });
});

describe("listSellerListings", () => {
  test("the seller's listings, newest change first, with counts per status, text and status filters, and pages", async () => {
    const s = await listingSeller(db);
    const other = await listingSeller(db);
    await insertListing(db, other.id, boxes, { title: "Pallet wrap 100% recycled" });
    const ids: string[] = [];
    for (let i = 0; i < 27; i += 1) ids.push(await insertListing(db, s.id, boxes, { title: `Box ${i}`, status: i < 3 ? "published" : "draft" }));
    const special = await insertListing(db, s.id, boxes, { title: "Pallet wrap 100% recycled", sku: "WRAP_100", status: "blocked" });

    const first = await listSellerListings(s.sales, {});
    expect(first).toMatchObject({ page: 1, pageSize: 25, total: 28, counts: { draft: 24, published: 3, unlisted: 0, blocked: 1 } });
    expect(first.items).toHaveLength(25);
    expect(first.items[0]).toEqual({
      id: special,
      sku: "WRAP_100",
      title: "Pallet wrap 100% recycled",
      status: "blocked",
      categoryName: { en: expect.any(String), fr: expect.any(String) },
      listPrice: { amountMinor: "1500", currency: "EUR" },
      stock: 0,
      minOrderQuantity: 1,
      leadTimeDays: 0,
      visibility: "everyone",
      updatedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    expect((await listSellerListings(s.sales, { page: "2" })).items).toHaveLength(3);

    const published = await listSellerListings(s.sales, { status: "published" });
    expect(published.total).toBe(3);
    expect(published.items.map((i) => i.id).sort()).toEqual(ids.slice(0, 3).sort());

    // Wildcards in the text are plain characters.
    expect((await listSellerListings(s.sales, { q: "100%" })).items.map((i) => i.id)).toEqual([special]);
    expect((await listSellerListings(s.sales, { q: "wrap_1" })).items.map((i) => i.id)).toEqual([special]);
    expect((await listSellerListings(s.sales, { q: "_" })).items.map((i) => i.id)).toEqual([special]);
    const search = await listSellerListings(s.sales, { q: "box 1", status: "" });
    expect(search.counts).toEqual({ draft: 10, published: 1, unlisted: 0, blocked: 0 });

    const error = await domainErrorOf(listSellerListings(s.sales, { status: "deleted", page: "0", q: "x".repeat(201) }));
    expect(error.fieldErrors).toEqual({ status: ["listing.filter.status_invalid"], page: ["listing.filter.page_invalid"], q: ["listing.filter.query_too_long"] });
  });
});
