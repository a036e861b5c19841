import { describe, expect, test } from "vitest";
import { createPostgresListingIndex, listingChecksum, type ListingDocument } from "@souk/search";
import { createTestDatabase } from "@souk/testing";
import { domainErrorOf, TEST_URLS } from "../../identity/test-support";
import { buildListingDocuments } from "./build-listing-documents";
import { syncListings } from "./sync-listings";
import { syncSellerListings } from "./sync-seller-listings";
import { categoryId, customerGroup, indexRows, insertListings, sellerOrg, setListing, setSellerStatus } from "./test-support";

const { db } = await createTestDatabase();
const listingIndex = createPostgresListingIndex(db);
const deps = { db, publicUrls: TEST_URLS, listingIndex };
const everyone = { buyerGroupIds: [] as string[] };
const found = async (text: string, buyerGroupIds: string[] = []) =>
  (await listingIndex.search({ text, visibility: { buyerGroupIds } })).hits.map((h) => h.id);

describe("buildListingDocuments", () => {
  test("a published listing of an active seller becomes the port's document: listing fields only, categories with their ancestors", async () => {
    const seller = await sellerOrg(db);
    const gloves = await categoryId(db, "safety-gloves");
    const safety = await categoryId(db, "safety");
    const [id] = await insertListings(db, seller.id, [
      {
        sku: "GLV-NIT-100",
        title: "Nitrile gloves",
        description: "Powder-free, box of 100.",
        categoryId: gloves,
        listPriceMinor: "1250",
        minOrderQuantity: 10,
        stock: 0,
        leadTimeDays: 2,
        attributes: { size: "M", colour: "blue" },
      },
    ]);
    const listing = await db.selectFrom("listings").select("updated_at").where("id", "=", id!).executeTakeFirstOrThrow();

    const batch = await buildListingDocuments(db, { listingIds: [id!, id!] });
    expect(batch.listingIds).toEqual([id]);
    expect([...batch.searchableIds]).toEqual([id]);
    const { checksum, ...rest } = batch.docs[0]!;
    expect(rest).toEqual({
      id: id!,
      sellerId: seller.id,
      sellerName: seller.name,
      sku: "GLV-NIT-100",
      title: "Nitrile gloves",
      description: "Powder-free, box of 100.",
      categoryIds: [safety, gloves],
      categoryPath: { en: ["Safety and PPE", "Gloves"], fr: ["Sécurité et EPI", "Gants"] },
      unit: "piece",
      currency: "EUR",
      listPriceMinor: "1250",
      minOrderQuantity: 10,
      leadTimeDays: 2,
      inStock: false,
      visibility: "everyone",
      attributes: { size: "M", colour: "blue" },
      updatedAt: listing.updated_at.toISOString(),
    } satisfies Omit<ListingDocument, "checksum">);
    expect(checksum).toBe(listingChecksum(rest));
  });

  test("pages through the searchable listings only, by id", async () => {
    const { db: own } = await createTestDatabase();
    const seller = await sellerOrg(own);
    const suspended = await sellerOrg(own, "suspended");
    const boxes = await categoryId(own, "packaging-boxes");
    const published = await insertListings(own, seller.id, Array.from({ length: 5 }, () => ({ categoryId: boxes })));
    await insertListings(own, seller.id, [{ categoryId: boxes, status: "draft" }, { categoryId: boxes, status: "blocked" }]);
    await insertListings(own, suspended.id, [{ categoryId: boxes }]);

    const first = await buildListingDocuments(own, { afterId: null, limit: 3 });
    const second = await buildListingDocuments(own, { afterId: first.nextAfterId, limit: 3 });
    expect(first.nextAfterId).not.toBeNull();
    expect(second.nextAfterId).toBeNull();
    expect([...first.docs, ...second.docs].map((d) => d.id)).toEqual([...published].sort());
  });
});

describe("syncListings", () => {
  test("indexes searchable listings; running it twice gives the same index", async () => {
    const seller = await sellerOrg(db);
    const cables = await categoryId(db, "electrical-cables");
    const ids = await insertListings(db, seller.id, [
      { title: "Armoured copper cable", categoryId: cables },
      { title: "Halogen free cable", categoryId: cables },
    ]);
    expect(await syncListings(deps, { listingIds: ids })).toEqual({ upserted: 2, removed: 0 });
    const once = await indexRows(db);
    expect(await found("armoured")).toEqual([ids[0]]);

    expect(await syncListings(deps, { listingIds: [...ids].reverse() })).toEqual({ upserted: 2, removed: 0 });
    expect(await indexRows(db)).toEqual(once);
  });

  test("removes listings that are no longer searchable: unpublished, blocked, draft, deleted, or of a suspended seller", async () => {
    const seller = await sellerOrg(db);
    const other = await sellerOrg(db);
    const lighting = await categoryId(db, "electrical-lighting");
    const [unlisted, blocked, draft, deleted, kept] = await insertListings(db, seller.id, [
      { title: "Tubeless panel light", categoryId: lighting },
      { title: "Tubeless floodlight", categoryId: lighting },
      { title: "Tubeless spotlight", categoryId: lighting },
      { title: "Tubeless downlight", categoryId: lighting },
      { title: "Tubeless batten", categoryId: lighting },
    ]);
    const [otherSellers] = await insertListings(db, other.id, [{ title: "Tubeless highbay", categoryId: lighting }]);
    const all = [unlisted!, blocked!, draft!, deleted!, kept!, otherSellers!];
    await syncListings(deps, { listingIds: all });
    expect((await found("tubeless")).sort()).toEqual([...all].sort());

    await setListing(db, unlisted!, { status: "unlisted" });
    await setListing(db, blocked!, { status: "blocked" });
    await db.updateTable("listings").set({ status: "draft" }).where("id", "=", draft!).execute();
    await db.deleteFrom("listings").where("id", "=", deleted!).execute();
    expect(await syncListings(deps, { listingIds: all })).toEqual({ upserted: 2, removed: 4 });
    expect((await found("tubeless")).sort()).toEqual([kept!, otherSellers!].sort());

    await setSellerStatus(db, seller.id, "suspended");
    expect(await syncListings(deps, { listingIds: all })).toEqual({ upserted: 1, removed: 5 });
    expect(await found("tubeless")).toEqual([otherSellers]);
  });

  test("carries group visibility into the documents: only the groups' buyers find a restricted listing", async () => {
    const seller = await sellerOrg(db);
    const vip = await customerGroup(db, seller.id, "VIP");
    const trade = await customerGroup(db, seller.id, "Trade");
    const linen = await categoryId(db, "textiles-linen");
    const [restricted, nobody, open] = await insertListings(db, seller.id, [
      { title: "Egyptian cotton sheets", categoryId: linen, groupIds: [vip, trade] },
      { title: "Egyptian cotton towels", categoryId: linen, restricted: true },
      { title: "Egyptian cotton napkins", categoryId: linen },
    ]);
    await syncListings(deps, { listingIds: [restricted!, nobody!, open!] });

    const { docs } = await buildListingDocuments(db, { listingIds: [restricted!, nobody!] });
    expect(Object.fromEntries(docs.map((d) => [d.id, d.visibility]))).toEqual({
      [restricted!]: { groups: [vip, trade].sort() },
      [nobody!]: { groups: [] },
    });
    expect(await found("egyptian")).toEqual([open]);
    expect((await found("egyptian", [vip])).sort()).toEqual([restricted!, open!].sort());
    expect((await found("egyptian", [trade, "another-sellers-group"])).sort()).toEqual([restricted!, open!].sort());

    // Dropping the listing's groups (a group deleted) makes it visible to nobody once synced.
    await db.deleteFrom("customer_groups").where("id", "in", [vip, trade]).execute();
    await syncListings(deps, { listingIds: [restricted!] });
    expect(await found("egyptian", [vip, trade])).toEqual([open]);
  });

  test("refuses a payload that is not 1 to 500 listing ids, writing nothing", async () => {
    const before = await indexRows(db);
    for (const input of [{}, { listingIds: [] }, { listingIds: ["'; drop table listings; --"] }, { listingIds: Array.from({ length: 501 }, () => crypto.randomUUID()) }]) {
      expect((await domainErrorOf(syncListings(deps, input))).code).toBe("VALIDATION");
    }
    expect(await indexRows(db)).toEqual(before);
  });
});

describe("syncSellerListings", () => {
  test("takes every listing of a suspended seller out of the index, in batches, and brings the published ones back on reinstatement", async () => {
    const seller = await sellerOrg(db);
    const neighbour = await sellerOrg(db);
    const paper = await categoryId(db, "office-paper");
    const published = await insertListings(db, seller.id, Array.from({ length: 1_203 }, (_, i) => ({ title: `Recycled copier paper ${i}`, categoryId: paper })));
    const [unlisted] = await insertListings(db, seller.id, [{ title: "Recycled copier paper unlisted", categoryId: paper, status: "unlisted" }]);
    const [neighbours] = await insertListings(db, neighbour.id, [{ title: "Recycled copier paper elsewhere", categoryId: paper }]);
    const searchTotal = async () => (await listingIndex.search({ text: "recycled copier", visibility: everyone })).total;

    expect(await syncSellerListings(deps, { sellerId: seller.id })).toEqual({ upserted: 1_203, removed: 1 });
    await syncListings(deps, { listingIds: [neighbours!] });
    expect(await searchTotal()).toBe(1_204);

    await setSellerStatus(db, seller.id, "suspended");
    expect(await syncSellerListings(deps, { sellerId: seller.id })).toEqual({ upserted: 0, removed: 1_204 });
    expect((await listingIndex.search({ text: "recycled copier", visibility: everyone })).hits.map((h) => h.id)).toEqual([neighbours]);

    await setSellerStatus(db, seller.id, "active");
    expect(await syncSellerListings(deps, { sellerId: seller.id })).toEqual({ upserted: 1_203, removed: 1 });
    expect(await searchTotal()).toBe(1_204);
    const ids = new Set(Object.keys((await listingIndex.stats()).checksums));
    expect(published.every((id) => ids.has(id))).toBe(true);
    expect(ids.has(unlisted!)).toBe(false);
  });

  test("a seller without listings, or unknown, syncs nothing; a bad id is refused", async () => {
    expect(await syncSellerListings(deps, { sellerId: crypto.randomUUID() })).toEqual({ upserted: 0, removed: 0 });
    expect((await domainErrorOf(syncSellerListings(deps, { sellerId: "s1' or '1'='1" }))).fieldErrors).toEqual({ sellerId: ["sellerId.invalid"] });
  });
});
