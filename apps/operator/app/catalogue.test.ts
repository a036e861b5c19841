import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "@souk/testing";
import { translate } from "@souk/ui";
import { call, request, sessionCookieFrom, type Failure } from "@souk/ui/testing";

// The app reads its environment once, at import: point it at this file's database and storage first.
const testDb = await createTestDatabase();
const storageDir = await mkdtemp(path.join(tmpdir(), "souk-operator-catalogue-"));
process.env.DATABASE_URL = testDb.url;
process.env.PUBLIC_URL = "http://localhost";
process.env.NODE_ENV = "test";
process.env.STORAGE_DIR = storageDir;

const { closeServices, services } = await import("./services.server");
const { createOperator, createLocalDiskStorage, newStorageKey, syncListings } = await import("@souk/services");
const { NAVIGATION } = await import("./lib/app");
const signIn = await import("./routes/sign-in");
const listings = await import("./routes/listings");
const listingPage = await import("./routes/listings_.$listingId");
const imageRoute = await import("./routes/listings_.$listingId_.images.$imageId");
const searchPage = await import("./routes/search");

afterAll(async () => {
  await closeServices();
  await rm(storageDir, { recursive: true, force: true });
});

const { db } = testDb;
const PASSWORD = "a long enough passphrase";
const cookies: Record<"admin" | "moderator" | "finance", string> = { admin: "", moderator: "", finance: "" };
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);

async function signedIn(role: "admin" | "moderator" | "finance") {
  const email = `${role}@ops-catalogue.souk.test`;
  await createOperator(services, { email, name: `${role[0]?.toUpperCase()}${role.slice(1)} Operator`, password: PASSWORD, role });
  const result = await call(signIn.action, request("/sign-in", { form: { email, password: PASSWORD } }));
  expect(result.status).toBe(302);
  return sessionCookieFrom(result) as string;
}

let counter = 0;
/** An active seller with one owner and a published listing, straight in the tables. */
async function sellerWithListing(title: string) {
  counter += 1;
  const seller = await db.insertInto("organizations").values({ kind: "seller", name: `Fournisseur ${counter}`, status: "active" }).returning("id").executeTakeFirstOrThrow();
  const owner = await db
    .insertInto("users")
    .values({ email: `owner${counter}@catalogue-seller.test`, name: `Owner ${counter}`, password_hash: "x", locale: "fr" })
    .returning("id")
    .executeTakeFirstOrThrow();
  await db.insertInto("memberships").values({ organization_id: seller.id, user_id: owner.id, role: "owner" }).execute();
  const category = await db.selectFrom("categories").select("id").orderBy("slug").executeTakeFirstOrThrow();
  const listing = await db
    .insertInto("listings")
    .values({
      seller_id: seller.id,
      sku: `SKU-${counter}`,
      title,
      category_id: category.id,
      unit: "piece",
      currency: "EUR",
      list_price_minor: "4200",
      min_order_quantity: 5,
      stock: 12,
      lead_time_days: 4,
      attributes: JSON.stringify({ colour: "red" }),
      status: "published",
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await db.insertInto("listing_price_tiers").values({ listing_id: listing.id, min_quantity: 20, unit_price_minor: "3900" }).execute();
  return { sellerId: seller.id, listingId: listing.id };
}

const listingRow = (id: string) => db.selectFrom("listings").select(["status", "blocked_reason", "version"]).where("id", "=", id).executeTakeFirstOrThrow();
const auditCount = async (targetId: string) =>
  Number((await db.selectFrom("audit_log").select(db.fn.countAll<string>().as("n")).where("target_id", "=", targetId).executeTakeFirstOrThrow()).n);

beforeAll(async () => {
  cookies.admin = await signedIn("admin");
  cookies.moderator = await signedIn("moderator");
  cookies.finance = await signedIn("finance");
});

describe("operator console: listing moderation", () => {
  it("has Listings and Search index in its navigation, each behind its permission", () => {
    expect(NAVIGATION).toContainEqual({ to: "/listings", label: "operatorCatalogue.nav.listings", permission: "moderate:listings:any" });
    expect(NAVIGATION).toContainEqual({ to: "/search", label: "operatorCatalogue.nav.search", permission: "manage:search:any" });
  });

  it("lists every seller's listings with text and seller filters, and keeps the page up when a filter is refused", async () => {
    const a = await sellerWithListing("Cordless drill 18V");
    const b = await sellerWithListing("Safety gloves, nitrile");
    const all = await call(listings.loader, request("/listings", { cookie: cookies.moderator }));
    expect(all.status).toBe(200);
    type Data = { view: { items: { id: string; sellerName: string }[]; counts: Record<string, number> }; filters: Record<string, string>; filterErrors: Record<string, string[]> };
    const ids = (all.data as Data).view.items.map((i) => i.id);
    expect(ids).toEqual(expect.arrayContaining([a.listingId, b.listingId]));

    const drill = await call(listings.loader, request("/listings?q=drill", { cookie: cookies.moderator }));
    expect((drill.data as Data).view.items.map((i) => i.id)).toEqual([a.listingId]);
    const bySeller = await call(listings.loader, request(`/listings?sellerId=${b.sellerId}`, { cookie: cookies.admin }));
    expect((bySeller.data as Data).view.items.map((i) => i.id)).toEqual([b.listingId]);

    const refused = await call(listings.loader, request("/listings?status=gone&q=drill", { cookie: cookies.moderator, acceptLanguage: "fr" }));
    expect(refused.status).toBe(200);
    expect((refused.data as Data).filterErrors).toEqual({ status: [translate("fr", "listing.filter.status_invalid")] });
    expect((refused.data as Data).view.items.map((i) => i.id)).toEqual([a.listingId]);
  });

  it("refuses to block without a reason: the form comes back with the error beside the field, and nothing changes", async () => {
    const { listingId } = await sellerWithListing("Angle grinder");
    const before = await listingRow(listingId);
    const outboxBefore = Number((await db.selectFrom("outbox").select(db.fn.countAll<string>().as("n")).executeTakeFirstOrThrow()).n);
    const result = await call(listingPage.action, request(`/listings/${listingId}`, { cookie: cookies.moderator, form: { move: "block", reason: "   " } }), { listingId });
    expect(result.status).toBe(422);
    const failure = result.data as Failure;
    expect(failure.fieldErrors).toEqual({ reason: [translate("en", "listing.reason_required")] });
    expect(failure.values.move).toBe("block");
    expect(await listingRow(listingId)).toEqual(before);
    expect(await auditCount(listingId)).toBe(0);
    expect(Number((await db.selectFrom("outbox").select(db.fn.countAll<string>().as("n")).executeTakeFirstOrThrow()).n)).toBe(outboxBefore);
  });

  it("blocks with a reason, shows it on the page, then unblocks; the listing in the URL is the one moved", async () => {
    const { listingId, sellerId } = await sellerWithListing("Counterfeit headphones");
    const bystander = await sellerWithListing("Genuine headphones");
    const url = `/listings/${listingId}`;
    const blocked = await call(
      listingPage.action,
      request(url, { cookie: cookies.moderator, form: { move: "block", reason: "Counterfeit brand.", listingId: bystander.listingId } }),
      { listingId },
    );
    expect(blocked.status).toBe(302);
    expect(blocked.location).toBe(url);
    expect(blocked.headers.getSetCookie().join("\n")).toContain("souk_flash=operatorCatalogue.flash.listingBlocked");
    expect(await listingRow(listingId)).toMatchObject({ status: "blocked", blocked_reason: "Counterfeit brand." });
    expect((await listingRow(bystander.listingId)).status).toBe("published");

    const page = await call(listingPage.loader, request(url, { cookie: cookies.admin }), { listingId });
    expect(page.data).toMatchObject({
      listing: { status: "blocked", blockedReason: "Counterfeit brand.", availableMoves: ["unblock"], seller: { id: sellerId }, tiers: "20=39.00", attributes: "colour=red" },
    });

    // The same move again (a second tab): the status changed meanwhile, a message says so.
    const again = await call(listingPage.action, request(url, { cookie: cookies.moderator, form: { move: "block", reason: "Twice." } }), { listingId });
    expect(again.status).toBe(409);
    expect((again.data as Failure).fieldErrors.move).toEqual([translate("en", "listing.illegal_transition")]);

    const unblocked = await call(listingPage.action, request(url, { cookie: cookies.admin, form: { move: "unblock" } }), { listingId });
    expect(unblocked.headers.getSetCookie().join("\n")).toContain("souk_flash=operatorCatalogue.flash.listingUnblocked");
    expect(await listingRow(listingId)).toMatchObject({ status: "unlisted", blocked_reason: null });
  });

  it("shows a listing's images to moderators; an unknown listing is a 404", async () => {
    const { listingId, sellerId } = await sellerWithListing("Workbench");
    const key = newStorageKey(["listings", sellerId]);
    await createLocalDiskStorage(storageDir).put(key, PNG);
    const image = await db
      .insertInto("listing_images")
      .values({ listing_id: listingId, seller_id: sellerId, original_name: "bench.png", content_type: "image/png", size_bytes: PNG.byteLength, storage_key: key })
      .returning("id")
      .executeTakeFirstOrThrow();
    const response = await imageRoute.loader({ request: request(`/listings/${listingId}/images/${image.id}`, { cookie: cookies.moderator }), params: { listingId, imageId: image.id }, context: {} });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("image/png");
    const other = await sellerWithListing("Other");
    const elsewhere = await imageRoute.loader({
      request: request(`/listings/${other.listingId}/images/${image.id}`, { cookie: cookies.moderator }),
      params: { listingId: other.listingId, imageId: image.id },
      context: {},
    });
    expect(elsewhere.status).toBe(404);
    expect((await call(listingPage.loader, request("/listings/nope", { cookie: cookies.moderator }), { listingId: "nope" })).status).toBe(404);
  });

  it("closes listings and the search index to finance operators (403), before reading any form", async () => {
    const { listingId } = await sellerWithListing("Ladder");
    expect((await call(listings.loader, request("/listings", { cookie: cookies.finance }))).status).toBe(403);
    expect((await call(listingPage.loader, request(`/listings/${listingId}`, { cookie: cookies.finance }), { listingId })).status).toBe(403);
    expect((await call(listingPage.action, request(`/listings/${listingId}`, { cookie: cookies.finance, form: { move: "block", reason: "No." } }), { listingId })).status).toBe(403);
    expect((await call(searchPage.loader, request("/search", { cookie: cookies.finance }))).status).toBe(403);
    expect((await call(searchPage.action, request("/search", { cookie: cookies.finance, form: { kind: "reindex" } }))).status).toBe(403);
    expect((await listingRow(listingId)).status).toBe("published");
    expect(await db.selectFrom("search_index_runs").select("id").execute()).toEqual([]);
    expect((await call(listings.loader, request("/listings?q=x"))).location).toBe(`/sign-in?redirectTo=${encodeURIComponent("/listings?q=x")}`);
  });
});

describe("operator console: search index", () => {
  it("shows PostgreSQL against the index, in sync once the listings are synced", async () => {
    type Health = { health: { engine: string; searchableListings: number; indexedDocuments: number | null; inSync: boolean; lastRuns: unknown[] } };
    const drifting = await call(searchPage.loader, request("/search", { cookie: cookies.moderator }));
    expect(drifting.status).toBe(200);
    const searchable = await db.selectFrom("listings").select("id").where("status", "=", "published").execute();
    expect((drifting.data as Health).health).toMatchObject({ engine: "postgres", searchableListings: searchable.length, indexedDocuments: 0, inSync: false });

    await syncListings(services, { listingIds: searchable.map((r) => r.id) });
    const synced = await call(searchPage.loader, request("/search", { cookie: cookies.moderator }));
    expect((synced.data as Health).health).toMatchObject({ searchableListings: searchable.length, indexedDocuments: searchable.length, inSync: true });
  });

  it("queues a reconciliation with a flash, and refuses a second run while one is queued with a clear message", async () => {
    const queued = await call(searchPage.action, request("/search", { cookie: cookies.moderator, form: { kind: "reconcile" } }));
    expect(queued.status).toBe(302);
    expect(queued.location).toBe("/search");
    expect(queued.headers.getSetCookie().join("\n")).toContain("souk_flash=operatorCatalogue.flash.reconcileQueued");
    const runs = await db.selectFrom("search_index_runs").select(["kind", "status"]).execute();
    expect(runs).toEqual([{ kind: "reconcile", status: "queued" }]);

    const refused = await call(searchPage.action, request("/search", { cookie: cookies.admin, form: { kind: "reindex" }, acceptLanguage: "fr" }));
    expect(refused.status).toBe(409);
    expect((refused.data as Failure).fieldErrors.kind).toEqual([translate("fr", "search.run_in_progress")]);
    expect(await db.selectFrom("search_index_runs").select("id").execute()).toHaveLength(1);

    const page = await call(searchPage.loader, request("/search", { cookie: cookies.admin }));
    expect(page.data).toMatchObject({ health: { lastRuns: [{ kind: "reconcile", status: "queued", requestedBy: { name: "Moderator Operator" } }] } });
  });

  it("refuses a run kind it does not know, with the message beside the buttons", async () => {
    const result = await call(searchPage.action, request("/search", { cookie: cookies.admin, form: { kind: "drop" } }));
    expect(result.status).toBe(422);
    expect((result.data as Failure).fieldErrors.kind).toEqual([translate("en", "search.kind_invalid")]);
  });
});
