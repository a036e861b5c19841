import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { createPostgresListingIndex } from "@souk/search";
import { createTestDatabase } from "@souk/testing";
import type { ActorDeps } from "../../deps";
import { domainErrorOf } from "../../identity/test-support";
import { newStorageKey } from "../../storage/document-storage";
import { createLocalDiskStorage } from "../../storage/local-disk-storage";
import { memberOf } from "../../vetting/test-support";
import { assign, buyer, categoryId, countingDb, group, indexListings, listing, priceList, seller, sellerIdOf, type ListingFixture } from "../pricing/test-support";
import { getBuyerListing } from "./get-buyer-listing";
import { readBuyerListingImage } from "./read-buyer-listing-image";
import { searchCatalogue } from "./search-catalogue";

const { db } = await createTestDatabase();
const listingIndex = createPostgresListingIndex(db);
const root = await mkdtemp(path.join(tmpdir(), "souk-buyer-images-"));
const storage = createLocalDiskStorage(root);
afterAll(() => rm(root, { recursive: true, force: true }));

const as = (actor: ActorDeps) => ({ ...actor, listingIndex, storage });

/**
 * A word no other test's listings contain, so each test searches its own listings only. Random
 * letters: words differing by a digit would match each other as misspellings.
 */
const uniqueWord = () => Array.from(randomBytes(12), (b) => String.fromCharCode(97 + (b % 26))).join("");

/** A listing written in PostgreSQL and indexed as the search-sync job would. */
async function indexed(sellerId: string, fixture: ListingFixture = {}) {
  const l = await listing(db, sellerId, fixture);
  await indexListings(db, listingIndex, [l.id]);
  return l;
}

async function imageOf(sellerId: string, listingId: string, bytes = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3])): Promise<string> {
  const key = newStorageKey(["listings", listingId]);
  await storage.put(key, bytes);
  const row = await db
    .insertInto("listing_images")
    .values({ listing_id: listingId, seller_id: sellerId, original_name: "box.png", content_type: "image/png", size_bytes: bytes.length, storage_key: key })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

describe("searchCatalogue", () => {
  test("finds the listings, each at the buyer's own price for its minimum order quantity", async () => {
    const s = sellerIdOf(await seller(db, { name: "Cartons du Rhône" }));
    const word = uniqueWord();
    const withContract = await buyer(db);
    const other = await buyer(db);
    const l = await indexed(s, { title: `Box ${word}`, listPriceMinor: 1_200, minOrderQuantity: 10, tiers: [[10, 1_100]] });
    const contract = await priceList(db, s, { entries: [[l.id, 1, 950]] });
    await assign(db, s, contract.id, { buyerId: withContract.actor.organizationId });

    const mine = await searchCatalogue(as(withContract), { q: word });
    expect(mine.total).toBe(1);
    expect(mine.hits).toEqual([
      expect.objectContaining({
        id: l.id,
        title: `Box ${word}`,
        sellerId: s,
        minOrderQuantity: 10,
        quantityForPrice: 10,
        listPrice: { amountMinor: "1200", currency: "EUR" },
        yourPrice: { amountMinor: "950", currency: "EUR" },
        priceSource: "buyer_price_list",
        categoryPath: { en: ["Packaging", "Boxes and cartons"], fr: ["Emballage", "Boîtes et cartons"] },
      }),
    ]);
    expect(mine.hits[0]?.sellerName).toMatch(/^seller /);
    const theirs = await searchCatalogue(as(other), { q: word });
    expect(theirs.hits[0]).toMatchObject({ yourPrice: { amountMinor: "1100", currency: "EUR" }, priceSource: "volume_tier" });
  });

  test("facets come with their labels; filters narrow the hits", async () => {
    const s = sellerIdOf(await seller(db));
    const word = uniqueWord();
    const b = await buyer(db);
    await indexed(s, { title: `Crate ${word}`, listPriceMinor: 500, category: "packaging-boxes" });
    await indexed(s, { title: `Film ${word}`, listPriceMinor: 20_000, category: "packaging-film", stock: 0 });

    const all = await searchCatalogue(as(b), { q: word });
    expect(all.total).toBe(2);
    const packaging = await categoryId(db, "packaging");
    expect(all.facets.category).toEqual(
      expect.arrayContaining([
        { value: packaging, label: { en: "Packaging", fr: "Emballage" }, count: 2 },
        { value: await categoryId(db, "packaging-film"), label: { en: "Films and wraps", fr: "Films et sacs" }, count: 1 },
      ]),
    );
    const sellerName = (await db.selectFrom("organizations").select("name").where("id", "=", s).executeTakeFirstOrThrow()).name;
    expect(all.facets.seller).toEqual([{ value: s, label: sellerName, count: 2 }]);
    expect(all.facets.priceBand).toEqual(expect.arrayContaining([{ value: "under-10", count: 1 }, { value: "100-500", count: 1 }]));
    expect(all.facets.inStock).toEqual(expect.arrayContaining([{ value: "true", count: 1 }, { value: "false", count: 1 }]));

    const filtered = await searchCatalogue(as(b), { q: word, category: await categoryId(db, "packaging-film"), inStock: "" });
    expect(filtered.hits.map((h) => h.title)).toEqual([`Film ${word}`]);
    const inStock = await searchCatalogue(as(b), { q: word, inStock: "1", priceBand: "under-10", sort: "price_desc" });
    expect(inStock.hits.map((h) => h.title)).toEqual([`Crate ${word}`]);
    expect(inStock.query).toMatchObject({ q: word, inStock: true, priceBand: "under-10", sort: "price_desc", page: 1 });
  });

  test("filter values with quotes, operators and SQL fragments are plain values: the search answers normally", async () => {
    const s = sellerIdOf(await seller(db));
    const word = uniqueWord();
    const b = await buyer(db);
    await indexed(s, { title: `Pallet ${word}` });
    const hostile = [
      `"${word}" OR 1=1 --`,
      `${word}' ; drop table listings; --`,
      `${word} & !x | y:* <-> (z)`,
      `\\${word}\u0000`,
      "' or ''='",
      "*",
      "x".repeat(5_000),
    ];
    for (const q of hostile) await expect(searchCatalogue(as(b), { q })).resolves.toMatchObject({ page: 1 });
    const weird = await searchCatalogue(as(b), {
      q: `${word}"`,
      category: "' or 1=1 --",
      seller: `${s}' or '1'='1`,
      priceBand: "under-10' or price_band <> '",
      maxMoq: "1; delete from listings",
      maxLeadTime: "-1",
      inStock: "true' --",
      sort: "price_asc; drop table x",
      page: "0x10",
    });
    expect(weird.hits.map((h) => h.title)).toEqual([`Pallet ${word}`]);
    expect(weird.query).toEqual({ q: `${word}"`, category: undefined, seller: undefined, priceBand: undefined, maxMoq: undefined, maxLeadTime: undefined, inStock: undefined, sort: "relevance", page: 1 });
    // Arrays (a repeated parameter) and non-strings are ignored too.
    await expect(searchCatalogue(as(b), { q: [word, "x"], category: { $ne: null }, page: 99_999 })).resolves.toBeDefined();
    expect((await searchCatalogue(as(b), { q: "x".repeat(500) })).query.q).toHaveLength(200);
    expect(await db.selectFrom("listings").select("id").where("seller_id", "=", s).execute()).toHaveLength(1);
  });

  test("a page of 20 hits costs the same number of statements as a page of 4 (no N+1)", async () => {
    const b = await buyer(db);
    const word = uniqueWord();
    for (let k = 0; k < 4; k += 1) {
      const s = sellerIdOf(await seller(db));
      const g = await group(db, s, [b.actor.organizationId]);
      const ids = [];
      for (let i = 0; i < 6; i += 1) ids.push((await listing(db, s, { title: `Bin ${word}`, tiers: [[5, 900]], groupIds: i % 2 ? [g] : undefined })).id);
      await indexListings(db, listingIndex, ids);
      const list = await priceList(db, s, { entries: ids.map((id): [string, number, number] => [id, 1, 700]) });
      await assign(db, s, list.id, { groupId: g });
    }
    const page = countingDb(db);
    const full = await searchCatalogue({ ...as(b), db: page.db }, { q: word });
    expect(full.hits).toHaveLength(20);
    expect(full.hits.every((h) => h.priceSource === "group_price_list")).toBe(true);
    const last = countingDb(db);
    const second = await searchCatalogue({ ...as(b), db: last.db }, { q: word, page: "2" });
    expect(second.hits).toHaveLength(4);
    expect(page.count()).toBe(last.count());
  });
});

describe("a listing shown to customer groups only", () => {
  test("is found, opened and its images read by a member; for everyone else it does not exist (search, page, image, direct URL)", async () => {
    const s = sellerIdOf(await seller(db));
    const word = uniqueWord();
    const member = await buyer(db);
    const outsider = await buyer(db);
    // The outsider belongs to another group of the same seller: that does not open this listing.
    await group(db, s, [outsider.actor.organizationId]);
    const g = await group(db, s, [member.actor.organizationId]);
    const restricted = await indexed(s, { title: `Secret ${word}`, groupIds: [g] });
    const imageId = await imageOf(s, restricted.id);

    expect((await searchCatalogue(as(member), { q: word })).hits.map((h) => h.id)).toEqual([restricted.id]);
    await expect(getBuyerListing(as(member), { listingId: restricted.id })).resolves.toMatchObject({ id: restricted.id, images: [{ id: imageId, contentType: "image/png" }] });
    expect((await readBuyerListingImage(as(member), { listingId: restricted.id, imageId })).bytes).toEqual(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]));

    const search = await searchCatalogue(as(outsider), { q: word });
    expect(search).toMatchObject({ hits: [], total: 0 });
    expect(search.facets.seller).toEqual([]);
    const missing = await domainErrorOf(getBuyerListing(as(outsider), { listingId: "00000000-0000-4000-8000-000000000000" }));
    const hidden = await domainErrorOf(getBuyerListing(as(outsider), { listingId: restricted.id }));
    expect(hidden).toMatchObject({ code: "NOT_FOUND", message: missing.message, fieldErrors: {} });
    const image = await domainErrorOf(readBuyerListingImage(as(outsider), { listingId: restricted.id, imageId }));
    expect(image).toMatchObject({ code: "NOT_FOUND", message: missing.message });
  });

  test("stays invisible to others when the index is stale: PostgreSQL decides, in search, page and image", async () => {
    const s = sellerIdOf(await seller(db));
    const word = uniqueWord();
    const member = await buyer(db);
    const outsider = await buyer(db);
    const g = await group(db, s, [member.actor.organizationId]);
    const open = await indexed(s, { title: `Open ${word}` });
    const restricted = await indexed(s, { title: `Later restricted ${word}` });
    const unlisted = await indexed(s, { title: `Later unlisted ${word}` });
    const imageId = await imageOf(s, restricted.id);

    // Changed in PostgreSQL; the search-sync job has not run yet, so the index still says "everyone, published".
    await db.updateTable("listings").set({ visibility: "groups" }).where("id", "=", restricted.id).execute();
    await db.insertInto("listing_visibility").values({ listing_id: restricted.id, group_id: g, seller_id: s }).execute();
    await db.updateTable("listings").set({ status: "unlisted" }).where("id", "=", unlisted.id).execute();

    const outside = await searchCatalogue(as(outsider), { q: word });
    expect(outside.hits.map((h) => h.id)).toEqual([open.id]);
    expect(outside.total).toBe(1);
    expect((await domainErrorOf(getBuyerListing(as(outsider), { listingId: restricted.id }))).code).toBe("NOT_FOUND");
    expect((await domainErrorOf(readBuyerListingImage(as(outsider), { listingId: restricted.id, imageId }))).code).toBe("NOT_FOUND");
    expect((await domainErrorOf(getBuyerListing(as(member), { listingId: unlisted.id }))).code).toBe("NOT_FOUND");
    expect((await searchCatalogue(as(member), { q: word })).hits.map((h) => h.id).sort()).toEqual([open.id, restricted.id].sort());

    // The seller is suspended: its listings leave every buyer's view at once, whatever the index says.
    await db.updateTable("organizations").set({ status: "suspended" }).where("id", "=", s).execute();
    expect((await searchCatalogue(as(member), { q: word })).hits).toEqual([]);
    expect((await domainErrorOf(getBuyerListing(as(member), { listingId: open.id }))).code).toBe("NOT_FOUND");
  });

  test("a buyer removed from the group loses it at once", async () => {
    const s = sellerIdOf(await seller(db));
    const word = uniqueWord();
    const member = await buyer(db);
    const g = await group(db, s, [member.actor.organizationId]);
    const restricted = await indexed(s, { title: `Members ${word}`, groupIds: [g] });
    expect((await searchCatalogue(as(member), { q: word })).hits).toHaveLength(1);
    await db.deleteFrom("customer_group_members").where("group_id", "=", g).execute();
    expect((await searchCatalogue(as(member), { q: word })).hits).toEqual([]);
    expect((await domainErrorOf(getBuyerListing(as(member), { listingId: restricted.id }))).code).toBe("NOT_FOUND");
  });
});

describe("getBuyerListing", () => {
  test("details, tiers, seller, the buyer's price for a quantity and its own price table", async () => {
    const s = sellerIdOf(await seller(db, { name: "Médina Fournitures" }));
    const b = await buyer(db);
    const l = await listing(db, s, { title: "Archive box", listPriceMinor: 1_000, minOrderQuantity: 5, tiers: [[10, 900], [100, 800]], stock: 0, leadTimeDays: 4 });
    await db.updateTable("listings").set({ attributes: JSON.stringify({ colour: "kraft" }) }).where("id", "=", l.id).execute();
    const g = await group(db, s, [b.actor.organizationId]);
    const contract = await priceList(db, s, { entries: [[l.id, 50, 700]] });
    await assign(db, s, contract.id, { groupId: g }, 3);

    const detail = await getBuyerListing(as(b), { listingId: l.id.toUpperCase() });
    expect(detail).toMatchObject({
      id: l.id,
      title: "Archive box",
      category: { path: { en: ["Packaging", "Boxes and cartons"], fr: ["Emballage", "Boîtes et cartons"] } },
      attributes: { colour: "kraft" },
      minOrderQuantity: 5,
      stock: 0,
      inStock: false,
      leadTimeDays: 4,
      listPrice: { amountMinor: "1000", currency: "EUR" },
      tiers: [
        { minQuantity: 10, unitPrice: { amountMinor: "900", currency: "EUR" } },
        { minQuantity: 100, unitPrice: { amountMinor: "800", currency: "EUR" } },
      ],
      seller: { id: s },
      price: { quantity: 5, unitPrice: { amountMinor: "1000", currency: "EUR" }, lineTotal: { amountMinor: "5000", currency: "EUR" }, source: "list_price", sourceMinQuantity: 1 },
      belowMinimum: false,
      quantityError: null,
      priceBreaks: [
        { fromQuantity: 5, unitPrice: { amountMinor: "1000", currency: "EUR" }, source: "list_price" },
        { fromQuantity: 10, unitPrice: { amountMinor: "900", currency: "EUR" }, source: "volume_tier" },
        { fromQuantity: 50, unitPrice: { amountMinor: "700", currency: "EUR" }, source: "group_price_list" },
      ],
    });

    expect((await getBuyerListing(as(b), { listingId: l.id, quantity: "120" })).price).toMatchObject({
      quantity: 120,
      unitPrice: { amountMinor: "700" },
      lineTotal: { amountMinor: "84000" },
      source: "group_price_list",
      sourceMinQuantity: 50,
    });
    expect(await getBuyerListing(as(b), { listingId: l.id, quantity: "2" })).toMatchObject({ belowMinimum: true, price: { quantity: 2 } });
    for (const quantity of ["0", "-4", "1.5", "abc", "1e3", "' or 1=1"]) {
      expect(await getBuyerListing(as(b), { listingId: l.id, quantity }), quantity).toMatchObject({ quantityError: "buyerListing.quantity_invalid", price: { quantity: 5 } });
    }
  });

  test("draft, unlisted, blocked and unknown listings are NOT_FOUND", async () => {
    const s = sellerIdOf(await seller(db));
    const b = await buyer(db);
    for (const status of ["draft", "unlisted", "blocked"] as const) {
      const l = await listing(db, s, { status });
      expect((await domainErrorOf(getBuyerListing(as(b), { listingId: l.id }))).code).toBe("NOT_FOUND");
    }
    for (const listingId of ["nope", "' or 1=1 --", undefined]) {
      expect((await domainErrorOf(getBuyerListing(as(b), { listingId }))).code).toBe("NOT_FOUND");
    }
  });

  test("an image of another listing is NOT_FOUND through this listing's URL", async () => {
    const s = sellerIdOf(await seller(db));
    const b = await buyer(db);
    const a = await listing(db, s);
    const other = await listing(db, s);
    const imageId = await imageOf(s, other.id);
    expect((await domainErrorOf(readBuyerListingImage(as(b), { listingId: a.id, imageId }))).code).toBe("NOT_FOUND");
    expect((await readBuyerListingImage(as(b), { listingId: other.id, imageId })).fileName).toBe("box.png");
  });
});

describe("permissions", () => {
  test.each([
    ["a seller owner", () => memberOf(db, "seller", "owner")],
    ["an operator admin", () => memberOf(db, "operator", "admin")],
  ])("%s gets no buyer's view (FORBIDDEN)", async (_who, make) => {
    const actor = await make();
    const l = await listing(db, sellerIdOf(await seller(db)));
    for (const attempt of [
      () => searchCatalogue(as(actor), {}),
      () => getBuyerListing(as(actor), { listingId: l.id }),
      () => readBuyerListingImage(as(actor), { listingId: l.id, imageId: l.id }),
    ]) {
      expect((await domainErrorOf(attempt())).code).toBe("FORBIDDEN");
    }
  });

  test("every buyer role may read the catalogue", async () => {
    const l = await listing(db, sellerIdOf(await seller(db)));
    for (const role of ["admin", "purchaser", "approver", "viewer"] as const) {
      await expect(getBuyerListing(as(await memberOf(db, "buyer", role)), { listingId: l.id })).resolves.toMatchObject({ id: l.id });
    }
  });
});
