import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createTestDatabase } from "@souk/testing";
import { LISTING_STATUSES } from "@souk/domain";
import { isMessageKey, translate, visibleNavigation } from "@souk/ui";
import { call, ORIGIN, request, type Failure, type RouteResult } from "@souk/ui/testing";
import { afterAll, describe, expect, it } from "vitest";

// The app reads its environment once, at import: point it at this file's database and a scratch
// storage directory first.
const testDb = await createTestDatabase();
const storageDir = await mkdtemp(path.join(tmpdir(), "souk-seller-catalogue-"));
process.env.DATABASE_URL = testDb.url;
process.env.STORAGE_DIR = storageDir;
process.env.PUBLIC_URL = "http://localhost";
process.env.NODE_ENV = "test";

const { closeServices, services } = await import("./services.server");
const { signUp, runCatalogueImport, CATALOGUE_IMPORT_LIMITS, LISTING_IMAGE_LIMITS } = await import("@souk/services");
const listingsRoute = await import("./routes/listings._index");
const newListingRoute = await import("./routes/listings.new");
const listingRoute = await import("./routes/listings.$listingId");
const imageRoute = await import("./routes/listings.$listingId_.images.$imageId");
const exportRoute = await import("./routes/listings[.csv]");
const templateRoute = await import("./routes/listings.template[.csv]");
const importRoute = await import("./routes/listings.import");
const importRunRoute = await import("./routes/listings.imports.$importId");
const groupsRoute = await import("./routes/customer-groups._index");
const groupRoute = await import("./routes/customer-groups.$groupId");
const groupDeleteRoute = await import("./routes/customer-groups.$groupId_.delete");
const priceListsRoute = await import("./routes/price-lists._index");
const priceListRoute = await import("./routes/price-lists.$priceListId");
const priceListDeleteRoute = await import("./routes/price-lists.$priceListId_.delete");
const { IMPORT_FORMAT } = await import("./lib/catalogue.server");
const { NAVIGATION } = await import("./lib/app");

afterAll(async () => {
  await closeServices();
  await rm(storageDir, { recursive: true, force: true });
});

const { db } = testDb;
const PASSWORD = "a long enough passphrase";
let counter = 0;

type Status = "pending" | "info_requested" | "active" | "suspended" | "rejected";

/** A new seller organisation (active unless told), signed in as its owner; `as(role)` adds a member of another role. */
async function newSeller(status: Status = "active") {
  counter += 1;
  const owner = await signUp(
    { ...services, request: { app: "seller", ip: null, userAgent: null } },
    { organizationName: `Seller ${counter}`, name: "Olive Owner", email: `owner${counter}@catalogue.test`, password: PASSWORD },
  );
  await db.updateTable("organizations").set({ status }).where("id", "=", owner.organizationId).execute();
  async function as(role: "sales" | "fulfilment") {
    const other = await signUp(
      { ...services, request: { app: "seller", ip: null, userAgent: null } },
      { organizationName: "Elsewhere", name: `${role} person`, email: `${role}${counter}@catalogue.test`, password: PASSWORD },
    );
    await db.insertInto("memberships").values({ organization_id: owner.organizationId, user_id: other.userId, role }).execute();
    await db.updateTable("sessions").set({ active_organization_id: owner.organizationId }).where("user_id", "=", other.userId).execute();
    return `souk_seller_session=${other.token}`;
  }
  return { ...owner, cookie: `souk_seller_session=${owner.token}`, as };
}

/** An active buyer organisation whose founder has this e-mail. */
async function newBuyer(name: string) {
  counter += 1;
  const email = `buyer${counter}@buyer.test`;
  const buyer = await signUp({ ...services, request: { app: "buyer", ip: null, userAgent: null } }, { organizationName: name, name: "Bea Buyer", email, password: PASSWORD });
  return { id: buyer.organizationId, email, name };
}

/** A form as the browser sends it (urlencoded; checkboxes repeat their name). */
function post(pathname: string, cookie: string, fields: Record<string, string | string[]>, acceptLanguage = "en"): Request {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) for (const v of Array.isArray(value) ? value : [value]) body.append(name, v);
  const r = request(pathname, { method: "POST", cookie, acceptLanguage });
  return new Request(r.url, { method: "POST", headers: r.headers, body });
}

/** A multipart form with one file, as the browser builds it. */
function upload(pathname: string, cookie: string, fields: Record<string, string>, file: { name: string; type: string; bytes: Uint8Array }): Request {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.set(name, value);
  form.set("file", new File([new Uint8Array(file.bytes)], file.name, { type: file.type }));
  return new Request(`${ORIGIN}${pathname}`, { method: "POST", headers: new Headers(request(pathname, { cookie }).headers), body: form });
}

const flashOf = (result: RouteResult) => result.headers.getSetCookie().find((c) => c.startsWith("souk_flash="))?.split(";")[0]?.slice("souk_flash=".length) ?? null;

async function categoryId(slug = "tools-fasteners"): Promise<string> {
  return (await db.selectFrom("categories").select("id").where("slug", "=", slug).executeTakeFirstOrThrow()).id;
}

let skuCounter = 0;
async function listingFields(overrides: Record<string, string | string[]> = {}): Promise<Record<string, string | string[]>> {
  skuCounter += 1;
  return {
    intent: "save",
    sku: `BOLT-${skuCounter}`,
    title: "Hex bolt M8 x 50",
    description: "Zinc-plated steel.",
    categoryId: await categoryId(),
    unit: "box of 100",
    currency: "EUR",
    listPrice: "12.50",
    minOrderQuantity: "2",
    stock: "400",
    leadTimeDays: "3",
    tiers: "10=11.50\n50=10.90",
    attributes: "material=steel\nfinish=zinc",
    visibility: "everyone",
    ...overrides,
  };
}

/** Creates a listing through the form and returns its id. */
async function createListing(cookie: string, overrides: Record<string, string | string[]> = {}): Promise<string> {
  const result = await call(newListingRoute.action, post("/listings/new", cookie, await listingFields(overrides)));
  expect(result.status, JSON.stringify(result.data)).toBe(302);
  return (result.location ?? "").replace("/listings/", "");
}

const csvHeader = "sku,title,description,category,unit,currency,list_price,min_order_quantity,stock,lead_time_days,tiers,attributes,visibility,status";
const csvRow = (sku: string, price = "12.50") => `${sku},Hex bolt ${sku},,tools-fasteners,box,EUR,${price},1,10,2,,,everyone,`;

const countListings = async (sellerId: string) => (await db.selectFrom("listings").select("id").where("seller_id", "=", sellerId).execute()).length;

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0]);

type ListingsData = Awaited<ReturnType<typeof listingsRoute.loader>>;
type ListingData = Awaited<ReturnType<typeof listingRoute.loader>>;
type ImportPageData = Awaited<ReturnType<typeof importRoute.loader>>;
type ImportRunData = Awaited<ReturnType<typeof importRunRoute.loader>>;
type GroupData = Awaited<ReturnType<typeof groupRoute.loader>>;
type PriceListData = Awaited<ReturnType<typeof priceListRoute.loader>>;

describe("the listing form", () => {
  it("creates a draft with its tiers, attributes and groups, and opens its page with the values as typed", async () => {
    const seller = await newSeller();
    const created = await call(groupsRoute.action, post("/customer-groups", seller.cookie, { intent: "create", name: "Key accounts" }));
    const groupId = (created.location ?? "").replace("/customer-groups/", "");
    const fields = await listingFields({ visibility: "groups", groupIds: [groupId] });
    const result = await call(newListingRoute.action, post("/listings/new", seller.cookie, fields));
    expect(result.status).toBe(302);
    expect(flashOf(result)).toBe("flash.sellerCatalogue.listingCreated");
    const listingId = (result.location ?? "").replace("/listings/", "");

    const page = await call(listingRoute.loader, request(`/listings/${listingId}`, { cookie: seller.cookie }), { listingId });
    const data = page.data as ListingData;
    expect(data.listing).toMatchObject({ status: "draft", availableMoves: ["publish"], blockedReason: null });
    expect(data.listing.fields).toMatchObject({ sku: fields.sku, listPrice: "12.50", tiers: "10=11.50\n50=10.90", attributes: "finish=zinc\nmaterial=steel", visibility: "groups", groupIds: [groupId] });
    expect(data.groups).toEqual([{ id: groupId, name: "Key accounts" }]);
    expect(data.categories.length).toBeGreaterThan(20);
    expect(data.imageRules).toMatchObject({ maxBytes: LISTING_IMAGE_LIMITS.maxBytes, maxPerListing: LISTING_IMAGE_LIMITS.maxPerListing });
  });

  it("refuses bad fields with their errors beside them in the reader's language, keeps what was typed, and writes nothing", async () => {
    const seller = await newSeller();
    const group = await db.insertInto("customer_groups").values({ seller_id: seller.organizationId, name: "Distributors" }).returning("id").executeTakeFirstOrThrow();
    const fields = await listingFields({ sku: "bad sku!", listPrice: "-3", tiers: "10=abc", visibility: "groups", groupIds: [group.id], title: "Typed title" });
    const outboxBefore = await db.selectFrom("outbox").select("id").execute();
    const result = await call(newListingRoute.action, post("/listings/new", seller.cookie, fields, "fr"));
    expect(result.status).toBe(422);
    const failure = result.data as Failure;
    expect(failure.fieldErrors).toEqual({
      sku: [translate("fr", "sku.invalid")],
      listPrice: [translate("fr", "listPrice.not_positive")],
      tiers: [translate("fr", "tiers.price_invalid")],
    });
    expect(failure.values).toMatchObject({ intent: "save", sku: "bad sku!", title: "Typed title", tiers: "10=abc", groupIds: group.id });
    expect(await countListings(seller.organizationId)).toBe(0);
    expect(await db.selectFrom("outbox").select("id").execute()).toEqual(outboxBefore);
  });

  it("refuses a SKU the seller already uses, and a missing category, as field errors", async () => {
    const seller = await newSeller();
    await createListing(seller.cookie, { sku: "TAKEN-1" });
    const result = await call(newListingRoute.action, post("/listings/new", seller.cookie, await listingFields({ sku: "TAKEN-1", categoryId: "" })));
    expect(result.status).toBe(422);
    expect((result.data as Failure).fieldErrors).toMatchObject({ categoryId: [translate("en", "categoryId.required")] });
    const again = await call(newListingRoute.action, post("/listings/new", seller.cookie, await listingFields({ sku: "TAKEN-1" })));
    expect((again.data as Failure).fieldErrors).toEqual({ sku: [translate("en", "sku.taken")] });
    expect(await countListings(seller.organizationId)).toBe(1);
  });

  it("saves changes, says when nothing changed, publishes and unlists", async () => {
    const seller = await newSeller();
    const listingId = await createListing(seller.cookie);
    const { listing } = (await call(listingRoute.loader, request(`/listings/${listingId}`, { cookie: seller.cookie }), { listingId })).data as ListingData;
    const same = { intent: "save", ...listing.fields, groupIds: [...listing.fields.groupIds] };

    const unchanged = await call(listingRoute.action, post(`/listings/${listingId}`, seller.cookie, same), { listingId });
    expect(flashOf(unchanged)).toBe("flash.sellerCatalogue.listingUnchanged");
    const saved = await call(listingRoute.action, post(`/listings/${listingId}`, seller.cookie, { ...same, stock: "7" }), { listingId });
    expect(saved.status).toBe(302);
    expect(flashOf(saved)).toBe("flash.sellerCatalogue.listingSaved");

    const published = await call(listingRoute.action, post(`/listings/${listingId}`, seller.cookie, { intent: "publish" }), { listingId });
    expect(flashOf(published)).toBe("flash.sellerCatalogue.listingPublished");
    const row = await db.selectFrom("listings").select(["status", "stock"]).where("id", "=", listingId).executeTakeFirstOrThrow();
    expect(row).toEqual({ status: "published", stock: 7 });

    // Publishing twice is an illegal move: the status card shows why, nothing changes.
    const twice = await call(listingRoute.action, post(`/listings/${listingId}`, seller.cookie, { intent: "publish" }), { listingId });
    expect(twice.status).toBe(409);
    expect((twice.data as Failure).values.intent).toBe("publish");

    await call(listingRoute.action, post(`/listings/${listingId}`, seller.cookie, { intent: "unlist" }), { listingId });
    expect((await db.selectFrom("listings").select("status").where("id", "=", listingId).executeTakeFirstOrThrow()).status).toBe("unlisted");
  });

  it("shows a blocked listing with the operator's reason and no move", async () => {
    const seller = await newSeller();
    const listingId = await createListing(seller.cookie);
    await db.updateTable("listings").set({ status: "blocked", blocked_reason: "Counterfeit brand name." }).where("id", "=", listingId).execute();
    const { listing } = (await call(listingRoute.loader, request(`/listings/${listingId}`, { cookie: seller.cookie }), { listingId })).data as ListingData;
    expect(listing).toMatchObject({ status: "blocked", blockedReason: "Counterfeit brand name.", availableMoves: [] });
  });
});

describe("images of a listing", () => {
  it("uploads an image without JavaScript, serves it to its seller only, and removes it", async () => {
    const seller = await newSeller();
    const other = await newSeller();
    const listingId = await createListing(seller.cookie);
    const uploaded = await call(listingRoute.action, upload(`/listings/${listingId}`, seller.cookie, { intent: "upload-image" }, { name: "bolt.png", type: "image/png", bytes: PNG }), { listingId });
    expect(uploaded.status).toBe(302);
    expect(uploaded.location).toBe(`/listings/${listingId}#images`);
    const { listing } = (await call(listingRoute.loader, request(`/listings/${listingId}`, { cookie: seller.cookie }), { listingId })).data as ListingData;
    const [image] = listing.images;
    expect(image).toMatchObject({ originalName: "bolt.png", contentType: "image/png", sizeBytes: PNG.byteLength });
    const imageId = image?.id ?? "";

    const served = (await imageRoute.loader({ request: request(`/listings/${listingId}/images/${imageId}`, { cookie: seller.cookie }), params: { listingId, imageId }, context: {} })) as Response;
    expect(served.status).toBe(200);
    expect(served.headers.get("content-type")).toBe("image/png");
    expect(new Uint8Array(await served.arrayBuffer())).toEqual(PNG);
    expect((await call(imageRoute.loader, request(`/listings/${listingId}/images/${imageId}`, { cookie: other.cookie }), { listingId, imageId })).status).toBe(404);

    const removed = await call(listingRoute.action, post(`/listings/${listingId}`, seller.cookie, { intent: "delete-image", imageId }), { listingId });
    expect(flashOf(removed)).toBe("flash.sellerCatalogue.imageRemoved");
    expect(await db.selectFrom("listing_images").select("id").where("listing_id", "=", listingId).execute()).toEqual([]);
  });

  it("answers an image over the size limit with the file's error, having read the whole body, and stores nothing", async () => {
    const seller = await newSeller();
    const listingId = await createListing(seller.cookie);
    const bytes = new Uint8Array(LISTING_IMAGE_LIMITS.maxBytes + 1);
    bytes.set(PNG);
    const big = upload(`/listings/${listingId}`, seller.cookie, { intent: "upload-image" }, { name: "huge.png", type: "image/png", bytes });
    const result = await call(listingRoute.action, big, { listingId });
    expect(result.status).toBe(422);
    expect((result.data as Failure).fieldErrors).toEqual({ file: [translate("en", "image.too_large")] });
    expect((result.data as Failure).values.intent).toBe("upload-image");
    expect(big.bodyUsed).toBe(true);
    expect(await db.selectFrom("listing_images").select("id").where("listing_id", "=", listingId).execute()).toEqual([]);
  });
});

describe("the listings list and its export", () => {
  it("lists the seller's own listings with counts per status, filters by text and status, and ignores a bad filter with its message", async () => {
    const seller = await newSeller();
    const other = await newSeller();
    const bolt = await createListing(seller.cookie, { title: "Hex bolt M10" });
    await createListing(seller.cookie, { title: "Washer M10" });
    await createListing(other.cookie, { title: "Hex bolt of another seller" });
    await call(listingRoute.action, post(`/listings/${bolt}`, seller.cookie, { intent: "publish" }), { listingId: bolt });

    const all = (await call(listingsRoute.loader, request("/listings", { cookie: seller.cookie }))).data as ListingsData;
    expect(all.listings.items.map((i) => i.title).sort()).toEqual(["Hex bolt M10", "Washer M10"]);
    expect(all.listings.counts).toMatchObject({ draft: 1, published: 1, unlisted: 0, blocked: 0 });

    const published = (await call(listingsRoute.loader, request("/listings?status=published&q=bolt", { cookie: seller.cookie }))).data as ListingsData;
    expect(published.listings.items.map((i) => i.id)).toEqual([bolt]);
    expect(published.listings.items[0]?.listPrice).toEqual({ amountMinor: "1250", currency: "EUR" });

    const bad = (await call(listingsRoute.loader, request("/listings?status=everything", { cookie: seller.cookie }))).data as ListingsData;
    expect(bad.listings.total).toBe(2);
    expect(Object.keys(bad.filterErrors)).toEqual(["status"]);
  });

  it("exports the seller's listings as a CSV download in the import's columns, and offers a template", async () => {
    const seller = await newSeller();
    await createListing(seller.cookie, { sku: "EXPORT-ME" });
    const response = (await exportRoute.loader({ request: request("/listings.csv", { cookie: seller.cookie }), params: {}, context: {} })) as Response;
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8; header=present");
    expect(response.headers.get("content-disposition")).toMatch(/^attachment; filename="listings-/);
    const csv = await response.text();
    expect(csv.split("\r\n")[0]?.replace("\uFEFF", "")).toBe("sku,title,description,category,unit,currency,list_price,min_order_quantity,stock,lead_time_days,tiers,attributes,visibility,status");
    expect(csv).toContain("EXPORT-ME");

    const template = (await templateRoute.loader({ request: request("/listings/template.csv", { cookie: seller.cookie }), params: {}, context: {} })) as Response;
    const lines = (await template.text()).replace("\uFEFF", "").trim().split("\r\n");
    expect(lines[0]).toBe(csv.split("\r\n")[0]?.replace("\uFEFF", ""));
    expect(lines[1]).toContain("tools-fasteners");
  });
});

describe("who may open the catalogue pages", () => {
  it("sends a seller that is not active to its application, and writes nothing", async () => {
    for (const status of ["pending", "info_requested", "rejected", "suspended"] as const) {
      const seller = await newSeller(status);
      const refusals = [
        await call(listingsRoute.loader, request("/listings", { cookie: seller.cookie })),
        await call(newListingRoute.action, post("/listings/new", seller.cookie, await listingFields())),
        await call(importRoute.action, upload("/listings/import", seller.cookie, { intent: "import" }, { name: "a.csv", type: "text/csv", bytes: new TextEncoder().encode("sku,title\nA,B\n") })),
        await call(groupsRoute.action, post("/customer-groups", seller.cookie, { intent: "create", name: "Mine" })),
        await call(priceListsRoute.loader, request("/price-lists", { cookie: seller.cookie })),
      ];
      for (const refused of refusals) {
        expect(refused.status, status).toBe(302);
        expect(refused.location).toBe("/application");
        expect(flashOf(refused)).toBe("flash.sellerNotTrading");
      }
      expect(await countListings(seller.organizationId)).toBe(0);
      expect(await db.selectFrom("customer_groups").select("id").where("seller_id", "=", seller.organizationId).execute()).toEqual([]);
      expect(await db.selectFrom("catalogue_imports").select("id").where("seller_id", "=", seller.organizationId).execute()).toEqual([]);
    }
  });

  it("forbids members whose role does not manage the catalogue", async () => {
    const seller = await newSeller();
    const fulfilment = await seller.as("fulfilment");
    expect((await call(listingsRoute.loader, request("/listings", { cookie: fulfilment }))).status).toBe(403);
    expect((await call(newListingRoute.action, post("/listings/new", fulfilment, await listingFields()))).status).toBe(403);
    expect((await call(priceListsRoute.loader, request("/price-lists", { cookie: fulfilment }))).status).toBe(403);
    expect(await countListings(seller.organizationId)).toBe(0);
    // Sales people manage listings and price lists.
    const sales = await seller.as("sales");
    expect((await call(listingsRoute.loader, request("/listings", { cookie: sales }))).status).toBe(200);
    expect((await call(groupsRoute.loader, request("/customer-groups", { cookie: sales }))).status).toBe(200);
  });

  it("answers 404 for another seller's listing, import, group and price list, and changes none of them", async () => {
    const mine = await newSeller();
    const theirs = await newSeller();
    const listingId = await createListing(theirs.cookie);
    const groupId = ((await call(groupsRoute.action, post("/customer-groups", theirs.cookie, { intent: "create", name: "Theirs" }))).location ?? "").split("/").pop() ?? "";
    const priceListId = ((await call(priceListsRoute.action, post("/price-lists", theirs.cookie, { intent: "create", name: "Theirs", currency: "EUR" }))).location ?? "").split("/").pop() ?? "";
    const importId = ((await call(importRoute.action, upload("/listings/import", theirs.cookie, { intent: "import" }, { name: "c.csv", type: "text/csv", bytes: new TextEncoder().encode(`${csvHeader}\n${csvRow("T-1")}\n`) }))).location ?? "").split("/").pop() ?? "";

    for (const id of [listingId, "0d2c7a35-6a3b-4f7e-8c1d-2e3f4a5b6c7d", "not-an-id"]) {
      expect((await call(listingRoute.loader, request(`/listings/${id}`, { cookie: mine.cookie }), { listingId: id })).status, id).toBe(404);
    }
    const fields = await listingFields({ title: "Hijacked" });
    expect((await call(listingRoute.action, post(`/listings/${listingId}`, mine.cookie, fields), { listingId })).status).toBe(404);
    expect((await call(listingRoute.action, post(`/listings/${listingId}`, mine.cookie, { intent: "publish" }), { listingId })).status).toBe(404);
    expect((await call(importRunRoute.loader, request(`/listings/imports/${importId}`, { cookie: mine.cookie }), { importId })).status).toBe(404);
    expect((await call(groupRoute.loader, request(`/customer-groups/${groupId}`, { cookie: mine.cookie }), { groupId })).status).toBe(404);
    expect((await call(groupDeleteRoute.action, post(`/customer-groups/${groupId}/delete`, mine.cookie, {}), { groupId })).status).toBe(404);
    expect((await call(priceListRoute.loader, request(`/price-lists/${priceListId}`, { cookie: mine.cookie }), { priceListId })).status).toBe(404);
    expect((await call(priceListDeleteRoute.action, post(`/price-lists/${priceListId}/delete`, mine.cookie, {}), { priceListId })).status).toBe(404);

    expect(await db.selectFrom("listings").select(["title", "status"]).where("id", "=", listingId).executeTakeFirstOrThrow()).toEqual({ title: "Hex bolt M8 x 50", status: "draft" });
    expect(await db.selectFrom("customer_groups").select("id").where("id", "=", groupId).execute()).toHaveLength(1);
    expect(await db.selectFrom("price_lists").select("id").where("id", "=", priceListId).execute()).toHaveLength(1);
  });
});

describe("the CSV import", () => {
  it("starts an import from an upload: the file is stored, queued for the job, and its page follows it", async () => {
    const seller = await newSeller();
    const csv = new TextEncoder().encode(`${csvHeader}\r\n${csvRow("IMP-1")}\r\n${csvRow("IMP-2", "-4")}\r\n${csvRow("IMP-3")}\r\n`);
    const started = await call(importRoute.action, upload("/listings/import", seller.cookie, { intent: "import" }, { name: "catalogue.csv", type: "text/csv", bytes: csv }));
    expect(started.status).toBe(302);
    expect(flashOf(started)).toBe("flash.sellerCatalogue.importStarted");
    const importId = (started.location ?? "").replace("/listings/imports/", "");
    const row = await db.selectFrom("catalogue_imports").select(["seller_id", "status", "file_name"]).where("id", "=", importId).executeTakeFirstOrThrow();
    expect(row).toEqual({ seller_id: seller.organizationId, status: "queued", file_name: "catalogue.csv" });
    const job = await db.selectFrom("outbox").select("payload").where("topic", "=", "catalogue.import").execute();
    expect(job.map((j) => j.payload)).toContainEqual(expect.objectContaining({ importId }));

    // Queued: the page shows it waiting, and the list of recent imports has it.
    const queued = (await call(importRunRoute.loader, request(`/listings/imports/${importId}`, { cookie: seller.cookie }), { importId })).data as ImportRunData;
    expect(queued.run).toMatchObject({ status: "queued", processedRows: 0, fileName: "catalogue.csv" });
    const page = (await call(importRoute.loader, request("/listings/import", { cookie: seller.cookie }))).data as ImportPageData;
    expect(page.imports.items.map((i) => i.id)).toEqual([importId]);
    expect(page.format.maxBytes).toBe(CATALOGUE_IMPORT_LIMITS.maxBytes);

    // The job runs (the worker's part): the page then shows the counts and the refused row.
    await runCatalogueImport(services, { importId });
    const done = (await call(importRunRoute.loader, request(`/listings/imports/${importId}`, { cookie: seller.cookie }), { importId })).data as ImportRunData;
    expect(done.run).toMatchObject({ status: "succeeded", totalRows: 3, processedRows: 3, createdCount: 2, updatedCount: 0, unchangedCount: 0, errorCount: 1, errorsTruncated: false });
    expect(done.run.errors).toEqual([{ line: 3, column: "list_price", reason: "listPrice.not_positive" }]);
    expect(await countListings(seller.organizationId)).toBe(2);
  });

  it.each([
    ["a file that is not CSV", { name: "photo.csv", type: "text/csv", bytes: PNG }, "file.not_csv"],
    ["an empty file", { name: "empty.csv", type: "text/csv", bytes: new Uint8Array() }, "file.empty"],
    ["no file at all", { name: "", type: "application/octet-stream", bytes: new Uint8Array() }, "file.required"],
    ["a header without rows", { name: "header.csv", type: "text/csv", bytes: new TextEncoder().encode(`${csvHeader}\n`) }, "file.no_rows"],
  ])("refuses %s with the file's error, storing nothing", async (_label, file, key) => {
    const seller = await newSeller();
    const result = await call(importRoute.action, upload("/listings/import", seller.cookie, { intent: "import" }, file));
    expect(result.status).toBe(422);
    expect((result.data as Failure).fieldErrors).toEqual({ file: [translate("en", key as "file.not_csv")] });
    expect(await db.selectFrom("catalogue_imports").select("id").where("seller_id", "=", seller.organizationId).execute()).toEqual([]);
  });

  it("answers a file over the limit with file.too_large, having read the whole body", async () => {
    const seller = await newSeller();
    const bytes = new Uint8Array(CATALOGUE_IMPORT_LIMITS.maxBytes + 1).fill(0x41);
    bytes.set(new TextEncoder().encode(`${csvHeader}\n`));
    const big = upload("/listings/import", seller.cookie, { intent: "import" }, { name: "big.csv", type: "text/csv", bytes });
    const result = await call(importRoute.action, big);
    expect(result.status).toBe(422);
    expect((result.data as Failure).fieldErrors).toEqual({ file: [translate("en", "file.too_large")] });
    expect(big.bodyUsed).toBe(true);
    expect(await db.selectFrom("catalogue_imports").select("id").where("seller_id", "=", seller.organizationId).execute()).toEqual([]);
  });
});

describe("customer groups", () => {
  it("creates a group, finds a buyer by a contact's e-mail, adds and removes it, renames and deletes the group", async () => {
    const seller = await newSeller();
    const buyer = await newBuyer("Atelier Durand");
    const created = await call(groupsRoute.action, post("/customer-groups", seller.cookie, { intent: "create", name: "Key accounts" }));
    expect(flashOf(created)).toBe("flash.sellerCatalogue.groupCreated");
    const groupId = (created.location ?? "").replace("/customer-groups/", "");

    const duplicate = await call(groupsRoute.action, post("/customer-groups", seller.cookie, { intent: "create", name: "key accounts" }));
    expect(duplicate.status).toBe(422);
    expect((duplicate.data as Failure).fieldErrors).toEqual({ name: [translate("en", "customerGroup.name_taken")] });

    const found = (await call(groupRoute.loader, request(`/customer-groups/${groupId}?email=${encodeURIComponent(buyer.email.toUpperCase())}`, { cookie: seller.cookie }), { groupId })).data as GroupData;
    expect(found.search).toEqual({ email: buyer.email.toUpperCase(), buyers: [{ buyerId: buyer.id, name: "Atelier Durand" }], errors: [] });
    const badEmail = (await call(groupRoute.loader, request(`/customer-groups/${groupId}?email=nobody@`, { cookie: seller.cookie }), { groupId })).data as GroupData;
    expect(badEmail.search).toEqual({ email: "nobody@", buyers: null, errors: [translate("en", "email.invalid")] });

    const added = await call(groupRoute.action, post(`/customer-groups/${groupId}`, seller.cookie, { intent: "add-member", buyerId: buyer.id }), { groupId });
    expect(flashOf(added)).toBe("flash.sellerCatalogue.memberAdded");
    const withMember = (await call(groupRoute.loader, request(`/customer-groups/${groupId}`, { cookie: seller.cookie }), { groupId })).data as GroupData;
    expect(withMember.group.members).toEqual([{ buyerId: buyer.id, name: "Atelier Durand", active: true }]);

    const renamed = await call(groupRoute.action, post(`/customer-groups/${groupId}`, seller.cookie, { intent: "rename", name: "Top accounts" }), { groupId });
    expect(flashOf(renamed)).toBe("flash.sellerCatalogue.groupRenamed");
    await call(groupRoute.action, post(`/customer-groups/${groupId}`, seller.cookie, { intent: "remove-member", buyerId: buyer.id }), { groupId });
    expect(((await call(groupRoute.loader, request(`/customer-groups/${groupId}`, { cookie: seller.cookie }), { groupId })).data as GroupData).group).toMatchObject({ name: "Top accounts", members: [] });

    const confirm = await call(groupDeleteRoute.loader, request(`/customer-groups/${groupId}/delete`, { cookie: seller.cookie }), { groupId });
    expect(confirm.data).toMatchObject({ group: { id: groupId, name: "Top accounts", memberCount: 0 } });
    const deleted = await call(groupDeleteRoute.action, post(`/customer-groups/${groupId}/delete`, seller.cookie, {}), { groupId });
    expect(deleted.location).toBe("/customer-groups");
    expect(await db.selectFrom("customer_groups").select("id").where("id", "=", groupId).execute()).toEqual([]);
  });
});

describe("price lists", () => {
  it("creates a list, sets and removes prices by SKU, assigns it to a group and to a grouped buyer, and deletes it", async () => {
    const seller = await newSeller();
    const buyer = await newBuyer("Garage Martin");
    await createListing(seller.cookie, { sku: "PL-BOLT" });
    const groupId = ((await call(groupsRoute.action, post("/customer-groups", seller.cookie, { intent: "create", name: "Garages" }))).location ?? "").split("/").pop() ?? "";
    await call(groupRoute.action, post(`/customer-groups/${groupId}`, seller.cookie, { intent: "add-member", buyerId: buyer.id }), { groupId });

    const badDates = await call(priceListsRoute.action, post("/price-lists", seller.cookie, { intent: "create", name: "2025", currency: "EUR", validFrom: "2025-06-01", validTo: "2025-01-01" }));
    expect(badDates.status).toBe(422);
    expect((badDates.data as Failure).fieldErrors).toEqual({ validTo: [translate("en", "priceList.range_invalid")] });

    const created = await call(priceListsRoute.action, post("/price-lists", seller.cookie, { intent: "create", name: "Garages 2025", currency: "EUR", validFrom: "2025-01-01", validTo: "" }));
    expect(flashOf(created)).toBe("flash.sellerCatalogue.priceListCreated");
    const priceListId = (created.location ?? "").replace("/price-lists/", "");
    const target = `/price-lists/${priceListId}`;
    const act = (fields: Record<string, string>) => call(priceListRoute.action, post(target, seller.cookie, fields), { priceListId });

    expect(flashOf(await act({ intent: "set-entry", sku: "PL-BOLT", minQuantity: "10", unitPrice: "9,90" }))).toBe("flash.sellerCatalogue.entrySaved");
    const unknownSku = await act({ intent: "set-entry", sku: "NOPE", minQuantity: "1", unitPrice: "1.00" });
    expect(unknownSku.status).toBe(422);
    expect((unknownSku.data as Failure).values).toMatchObject({ intent: "set-entry", sku: "NOPE" });
    expect(flashOf(await act({ intent: "assign-group", groupId, priority: "5" }))).toBe("flash.sellerCatalogue.priceListAssigned");

    const page = (await call(priceListRoute.loader, request(target, { cookie: seller.cookie }), { priceListId })).data as PriceListData;
    expect(page.priceList).toMatchObject({ name: "Garages 2025", currency: "EUR", validFrom: "2025-01-01", validTo: null });
    expect(page.priceList.entries).toMatchObject([{ sku: "PL-BOLT", minQuantity: 10, unitPrice: { amountMinor: "990", currency: "EUR" } }]);
    expect(page.groups).toEqual([{ id: groupId, name: "Garages" }]);
    expect(page.buyers).toEqual([{ buyerId: buyer.id, name: "Garage Martin" }]);

    expect(flashOf(await act({ intent: "assign-buyer", buyerId: buyer.id, priority: "0" }))).toBe("flash.sellerCatalogue.priceListAssigned");
    const noTarget = await act({ intent: "assign-group", groupId: "", priority: "0" });
    expect(noTarget.status).toBe(422);
    const assigned = ((await call(priceListRoute.loader, request(target, { cookie: seller.cookie }), { priceListId })).data as PriceListData).priceList.assignments;
    expect(assigned.map((a) => a.target.kind).sort()).toEqual(["buyer", "group"]);

    for (const a of assigned) await act({ intent: "unassign", assignmentId: a.id });
    const [entry] = page.priceList.entries;
    expect(flashOf(await act({ intent: "remove-entry", listingId: entry?.listingId ?? "", minQuantity: "10" }))).toBe("flash.sellerCatalogue.entryRemoved");
    expect(flashOf(await act({ intent: "update", name: "Garages 2026", currency: "EUR", validFrom: "", validTo: "" }))).toBe("flash.sellerCatalogue.priceListSaved");
    const emptied = ((await call(priceListRoute.loader, request(target, { cookie: seller.cookie }), { priceListId })).data as PriceListData).priceList;
    expect(emptied).toMatchObject({ name: "Garages 2026", validFrom: null, entries: [], assignments: [] });

    const deleted = await call(priceListDeleteRoute.action, post(`${target}/delete`, seller.cookie, {}), { priceListId });
    expect(flashOf(deleted)).toBe("flash.sellerCatalogue.priceListDeleted");
    expect(await db.selectFrom("price_lists").select("id").where("id", "=", priceListId).execute()).toEqual([]);
  });
});

describe("the pages' texts and navigation", () => {
  it("name every status, column and state the services can return, in both languages", () => {
    const keys = [
      ...LISTING_STATUSES.flatMap((s) => [`sellerListings.status.${s}`, `sellerListings.statusHelp.${s}`]),
      ...IMPORT_FORMAT.columns.map((c) => `sellerImports.column.${c}`),
      ...["queued", "running", "succeeded", "failed"].map((s) => `sellerImports.status.${s}`),
      ...["current", "upcoming", "expired"].map((s) => `sellerPriceLists.state.${s}`),
    ];
    expect(keys.filter((k) => !isMessageKey(k))).toEqual([]);
  });

  it("shows the catalogue entries to the roles that manage it", () => {
    const entries = (role: string) => visibleNavigation("seller", NAVIGATION, [{ id: "s", name: "S", status: "active", role }], "s").map((i) => i.to);
    expect(entries("owner")).toEqual(expect.arrayContaining(["/listings", "/customer-groups", "/price-lists"]));
    expect(entries("sales")).toEqual(expect.arrayContaining(["/listings", "/customer-groups", "/price-lists"]));
    expect(entries("fulfilment")).not.toEqual(expect.arrayContaining(["/listings"]));
    expect(entries("fulfilment")).not.toContain("/price-lists");
  });
});
