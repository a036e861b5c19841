import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "@souk/testing";
import { call, request, sessionCookieFrom } from "@souk/ui/testing";

// The app reads its environment once, at import: point it at this file's database and storage first.
const testDb = await createTestDatabase();
const storageDir = await mkdtemp(path.join(tmpdir(), "souk-buyer-catalogue-"));
process.env.DATABASE_URL = testDb.url;
process.env.PUBLIC_URL = "http://localhost";
process.env.NODE_ENV = "test";
process.env.STORAGE_DIR = storageDir;

const { closeServices, services } = await import("./services.server");
const { createLocalDiskStorage, newStorageKey, syncListings } = await import("@souk/services");
const { NAVIGATION } = await import("./lib/app");
const signUp = await import("./routes/sign-up");
const catalogue = await import("./routes/catalogue");
const listingPage = await import("./routes/catalogue_.$listingId");
const imageRoute = await import("./routes/catalogue_.$listingId_.images.$imageId");

afterAll(async () => {
  await closeServices();
  await rm(storageDir, { recursive: true, force: true });
});

const { db } = testDb;
const PASSWORD = "a long enough passphrase";
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 1, 2, 3, 4]);

/** A buyer organisation signed up through the app: its session cookie and its id. */
async function buyer(email: string) {
  const result = await call(signUp.action, request("/sign-up", { form: { organizationName: `Buyer ${email}`, name: "Ada Buyer", email, password: PASSWORD } }));
  expect(result.status).toBe(302);
  const org = await db.selectFrom("organizations").select("id").where("name", "=", `Buyer ${email}`).executeTakeFirstOrThrow();
  return { cookie: sessionCookieFrom(result) as string, id: org.id };
}

interface Seeded {
  member: { cookie: string; id: string };
  outsider: { cookie: string; id: string };
  sellerId: string;
  categoryId: string;
  bolts: string;
  restricted: string;
  draft: string;
  imageId: string;
}
const seeded = {} as Seeded;

/**
 * One active seller with: hex bolts for everyone (volume tiers, a contract price list for the
 * member buyer, an image), a listing shown only to a customer group the member belongs to, and a
 * draft. Everything reaches the index through the real search sync.
 */
beforeAll(async () => {
  seeded.member = await buyer("member@buyer.test");
  seeded.outsider = await buyer("outsider@buyer.test");
  const seller = await db.insertInto("organizations").values({ kind: "seller", name: "Atelier Vis & Boulons", status: "active" }).returning("id").executeTakeFirstOrThrow();
  seeded.sellerId = seller.id;
  seeded.categoryId = (await db.selectFrom("categories").select("id").orderBy("slug").executeTakeFirstOrThrow()).id;

  const listing = (sku: string, title: string, extra: { visibility?: "everyone" | "groups"; status?: "published" | "draft"; minOrderQuantity?: number } = {}) => ({
    seller_id: seller.id,
    sku,
    title,
    description: "Zinc-plated, DIN 933.",
    category_id: seeded.categoryId,
    unit: "box",
    currency: "EUR",
    list_price_minor: "1250",
    min_order_quantity: extra.minOrderQuantity ?? 10,
    stock: 500,
    lead_time_days: 3,
    attributes: JSON.stringify({ thread: "M8", length: "40 mm" }),
    visibility: extra.visibility ?? "everyone",
    status: extra.status ?? "published",
  });
  const rows = await db
    .insertInto("listings")
    .values([
      listing("BOLT-M8", "Stainless hexagon bolts M8"),
      listing("SECRET-1", "Hexagon bolts, reserved grade", { visibility: "groups" }),
      listing("DRAFT-1", "Hexagon bolts draft", { status: "draft" }),
    ])
    .returning("id")
    .execute();
  [seeded.bolts, seeded.restricted, seeded.draft] = rows.map((r) => r.id) as [string, string, string];

  await db
    .insertInto("listing_price_tiers")
    .values([
      { listing_id: seeded.bolts, min_quantity: 50, unit_price_minor: "1100" },
      { listing_id: seeded.bolts, min_quantity: 200, unit_price_minor: "990" },
    ])
    .execute();
  const group = await db.insertInto("customer_groups").values({ seller_id: seller.id, name: "Key accounts" }).returning("id").executeTakeFirstOrThrow();
  await db.insertInto("customer_group_members").values({ group_id: group.id, seller_id: seller.id, buyer_id: seeded.member.id }).execute();
  await db.insertInto("listing_visibility").values({ listing_id: seeded.restricted, group_id: group.id, seller_id: seller.id }).execute();
  const contract = await db.insertInto("price_lists").values({ seller_id: seller.id, name: "Member contract", currency: "EUR" }).returning("id").executeTakeFirstOrThrow();
  await db.insertInto("price_list_entries").values({ price_list_id: contract.id, listing_id: seeded.bolts, seller_id: seller.id, min_quantity: 1, unit_price_minor: "1000" }).execute();
  await db.insertInto("price_list_assignments").values({ price_list_id: contract.id, seller_id: seller.id, buyer_id: seeded.member.id, priority: 0 }).execute();

  const key = newStorageKey(["listings", seller.id]);
  await createLocalDiskStorage(storageDir).put(key, PNG);
  const image = await db
    .insertInto("listing_images")
    .values({ listing_id: seeded.bolts, seller_id: seller.id, original_name: "bolts.png", content_type: "image/png", size_bytes: PNG.byteLength, storage_key: key })
    .returning("id")
    .executeTakeFirstOrThrow();
  seeded.imageId = image.id;

  await syncListings(services, { listingIds: rows.map((r) => r.id) });
});

type SearchData = { view: { hits: { id: string; yourPrice: unknown; listPrice: unknown; priceSource: string; quantityForPrice: number }[]; total: number; query: Record<string, unknown>; facets: { seller: { value: string; label: string; count: number }[] } } };
const search = async (query: string, cookie: string) => {
  const result = await call(catalogue.loader, request(`/catalogue${query}`, { cookie }));
  expect(result.status).toBe(200);
  return (result.data as SearchData).view;
};

describe("buyer catalogue: search", () => {
  it("is in the navigation for buyers who may read the catalogue", () => {
    expect(NAVIGATION).toContainEqual({ to: "/catalogue", label: "buyerCatalogue.nav", permission: "read:catalogue:org" });
  });

  it("finds a listing by a misspelt word, at the buyer's contract price, with the list price beside it", async () => {
    const view = await search("?q=hexagn%20bolts", seeded.member.cookie);
    const hit = view.hits.find((h) => h.id === seeded.bolts);
    expect(hit).toMatchObject({
      yourPrice: { amountMinor: "1000", currency: "EUR" },
      listPrice: { amountMinor: "1250", currency: "EUR" },
      priceSource: "buyer_price_list",
      quantityForPrice: 10,
    });
    expect(view.facets.seller).toContainEqual({ value: seeded.sellerId, label: "Atelier Vis & Boulons", count: view.total });
  });

  it("prices the same listing for another buyer from its own terms (the list price at the minimum order)", async () => {
    const view = await search("?q=bolts", seeded.outsider.cookie);
    expect(view.hits.find((h) => h.id === seeded.bolts)).toMatchObject({ yourPrice: { amountMinor: "1250" }, priceSource: "list_price" });
  });

  it("shows a group-only listing to the group's members only, and never a draft", async () => {
    const mine = (await search("?q=bolts", seeded.member.cookie)).hits.map((h) => h.id);
    const theirs = (await search("?q=bolts", seeded.outsider.cookie)).hits.map((h) => h.id);
    expect(mine.sort()).toEqual([seeded.bolts, seeded.restricted].sort());
    expect(theirs).toEqual([seeded.bolts]);
  });

  it("treats quotes, operators and SQL in the URL as plain values: the page answers and ignores what it cannot read", async () => {
    const view = await search(`?q=${encodeURIComponent(`bolts" OR 1=1 --`)}&category=${encodeURIComponent("' OR ''='")}&maxMoq=abc&sort=drop%20table&page=-3`, seeded.member.cookie);
    expect(view.query).toMatchObject({ sort: "relevance", page: 1 });
    expect(view.query).not.toHaveProperty("category", expect.anything());
    expect(view.query).not.toHaveProperty("maxMoq", expect.anything());
    const nothing = await search(`?q=${encodeURIComponent("zzqx wvvk")}`, seeded.member.cookie);
    expect(nothing.hits).toEqual([]);
    expect(nothing.total).toBe(0);
  });

  it("filters by seller and minimum order from the facet links' parameters", async () => {
    expect((await search(`?seller=${seeded.sellerId}&maxMoq=10`, seeded.outsider.cookie)).hits.map((h) => h.id)).toEqual([seeded.bolts]);
    expect((await search(`?maxMoq=9`, seeded.outsider.cookie)).total).toBe(0);
  });

  it("sends a signed-out visitor to sign in, coming back to the same search", async () => {
    const result = await call(catalogue.loader, request("/catalogue?q=bolts"));
    expect(result.location).toBe(`/sign-in?redirectTo=${encodeURIComponent("/catalogue?q=bolts")}`);
  });
});

describe("buyer catalogue: listing page", () => {
  const open = (listingId: string, cookie: string, query = "") => call(listingPage.loader, request(`/catalogue/${listingId}${query}`, { cookie }), { listingId });

  it("shows the listing at the buyer's price for the minimum order by default, and for a chosen quantity", async () => {
    const page = await open(seeded.bolts, seeded.outsider.cookie);
    expect(page.status).toBe(200);
    expect(page.data).toMatchObject({
      askedQuantity: null,
      listing: {
        title: "Stainless hexagon bolts M8",
        seller: { id: seeded.sellerId, name: "Atelier Vis & Boulons" },
        attributes: { thread: "M8", length: "40 mm" },
        images: [{ id: seeded.imageId }],
        price: { quantity: 10, unitPrice: { amountMinor: "1250" }, lineTotal: { amountMinor: "12500" }, source: "list_price" },
        belowMinimum: false,
        quantityError: null,
      },
    });
    const volume = await open(seeded.bolts, seeded.outsider.cookie, "?quantity=200");
    expect(volume.data).toMatchObject({ listing: { price: { quantity: 200, unitPrice: { amountMinor: "990" }, lineTotal: { amountMinor: "198000" }, source: "volume_tier" } } });
  });

  it("warns below the minimum order and reports a quantity it cannot read without failing", async () => {
    expect((await open(seeded.bolts, seeded.member.cookie, "?quantity=3")).data).toMatchObject({ listing: { price: { quantity: 3, source: "buyer_price_list" }, belowMinimum: true } });
    const bad = await open(seeded.bolts, seeded.member.cookie, "?quantity=-2");
    expect(bad.status).toBe(200);
    expect(bad.data).toMatchObject({ askedQuantity: "-2", listing: { price: { quantity: 10 }, quantityError: "buyerListing.quantity_invalid" } });
  });

  it("answers a restricted listing opened by URL by a buyer outside its group with the same 404 as a missing one", async () => {
    expect((await open(seeded.restricted, seeded.member.cookie)).status).toBe(200);
    const restricted = await open(seeded.restricted, seeded.outsider.cookie);
    const missing = await open("0b9f7c1e-3b1f-4f5e-9d7a-2a1c3e4f5a6b", seeded.outsider.cookie);
    const garbage = await open("not-a-uuid", seeded.outsider.cookie);
    expect([restricted.status, missing.status, garbage.status]).toEqual([404, 404, 404]);
    expect(restricted.data).toEqual(missing.data);
    expect((await open(seeded.draft, seeded.member.cookie)).status).toBe(404);
  });

  it("serves a visible listing's image, and the same 404 for the image of a listing the buyer may not see", async () => {
    const params = { listingId: seeded.bolts, imageId: seeded.imageId };
    const image = await imageRoute.loader({ request: request(`/catalogue/${seeded.bolts}/images/${seeded.imageId}`, { cookie: seeded.member.cookie }), params, context: {} });
    expect(image.status).toBe(200);
    expect(image.headers.get("content-type")).toBe("image/png");
    expect(new Uint8Array(await image.arrayBuffer())).toEqual(PNG);

    await db.updateTable("listings").set({ visibility: "groups" }).where("id", "=", seeded.bolts).execute();
    try {
      const hidden = await imageRoute.loader({ request: request(`/catalogue/${seeded.bolts}/images/${seeded.imageId}`, { cookie: seeded.outsider.cookie }), params, context: {} });
      expect(hidden.status).toBe(404);
      // Through another listing's URL: not found either.
      const elsewhere = await imageRoute.loader({
        request: request(`/catalogue/${seeded.restricted}/images/${seeded.imageId}`, { cookie: seeded.member.cookie }),
        params: { listingId: seeded.restricted, imageId: seeded.imageId },
        context: {},
      });
      expect(elsewhere.status).toBe(404);
    } finally {
      await db.updateTable("listings").set({ visibility: "everyone" }).where("id", "=", seeded.bolts).execute();
    }
  });
});
