import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { createSession, sessionCookieName } from "@souk/auth";
import { createTestDatabase } from "@souk/testing";
import { call, ORIGIN, request, startAppProcess, type Failure } from "@souk/ui/testing";

// The app reads its environment once, at import: point it at this file's database first.
const testDb = await createTestDatabase();
const storageDir = await mkdtemp(path.join(tmpdir(), "souk-buyer-purchasing-"));
process.env.DATABASE_URL = testDb.url;
process.env.PUBLIC_URL = "http://localhost";
process.env.NODE_ENV = "test";
process.env.STORAGE_DIR = storageDir;

const { closeServices } = await import("./services.server");
const { NAVIGATION } = await import("./lib/app");
const cartPage = await import("./routes/cart");
const quickOrderPage = await import("./routes/quick-order");
const purchasesPage = await import("./routes/purchases._index");
const purchasePage = await import("./routes/purchases.$purchaseId");
const addressesPage = await import("./routes/addresses._index");
const addressPage = await import("./routes/addresses.$addressId");
const addressDeletePage = await import("./routes/addresses.$addressId_.delete");
const listsPage = await import("./routes/requisition-lists._index");
const listPage = await import("./routes/requisition-lists.$listId");
const listDeletePage = await import("./routes/requisition-lists.$listId_.delete");
const listingPage = await import("./routes/catalogue_.$listingId");
const searchPage = await import("./routes/catalogue");
const approvalPage = await import("./routes/approvals.$approvalId");

afterAll(async () => {
  await closeServices();
  await rm(storageDir, { recursive: true, force: true });
});

const { db } = testDb;
let counter = 0;

async function org(kind: "buyer" | "seller", name: string) {
  return (await db.insertInto("organizations").values({ kind, name, status: "active" }).returning("id").executeTakeFirstOrThrow()).id;
}

/** A member of `organizationId` signed in to the buyer app: its cookie. */
async function member(organizationId: string, role: string) {
  counter += 1;
  const user = await db.insertInto("users").values({ email: `${role}.${counter}@purchasing.test`, name: `${role} ${counter}`, password_hash: "x" }).returning("id").executeTakeFirstOrThrow();
  await db.insertInto("memberships").values({ organization_id: organizationId, user_id: user.id, role }).execute();
  const { token } = await createSession(db, { userId: user.id, app: "buyer", activeOrganizationId: organizationId, ip: null, userAgent: null });
  return { userId: user.id, cookie: `${sessionCookieName("buyer")}=${token}` };
}

async function listing(sellerId: string, sku: string, extra: { stock?: number; minOrderQuantity?: number; listPriceMinor?: string } = {}) {
  const category = await db.selectFrom("categories").select("id").where("slug", "=", "packaging-boxes").executeTakeFirstOrThrow();
  const row = await db
    .insertInto("listings")
    .values({
      seller_id: sellerId,
      sku,
      title: `Box ${sku}`,
      description: "Double wall.",
      category_id: category.id,
      unit: "box",
      currency: "EUR",
      list_price_minor: extra.listPriceMinor ?? "1000",
      min_order_quantity: extra.minOrderQuantity ?? 1,
      stock: extra.stock ?? 100,
      lead_time_days: 3,
      status: "published",
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

/** A POST with repeated fields (checkboxes), which `request` cannot send. */
function post(pathname: string, cookie: string, entries: [string, string][]): Request {
  const headers = new Headers({ "user-agent": "vitest", origin: ORIGIN, "x-souk-client-address": "127.0.0.1", cookie });
  return new Request(`${ORIGIN}${pathname}`, { method: "POST", headers, body: new URLSearchParams(entries) });
}

/** A multipart POST (a file upload). */
function upload(pathname: string, cookie: string, form: FormData): Request {
  const headers = new Headers({ "user-agent": "vitest", origin: ORIGIN, "x-souk-client-address": "127.0.0.1", cookie });
  return new Request(`${ORIGIN}${pathname}`, { method: "POST", headers, body: form });
}

async function count(table: "purchases" | "cart_lines" | "organization_addresses" | "orders" | "requisition_lists" | "requisition_list_items"): Promise<number> {
  const { n } = await db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<string>().as("n"))
    .executeTakeFirstOrThrow();
  return Number(n);
}

/**
 * The `name=value` of the first submit button of the form `formId` in a page: the one a browser
 * clicks when Enter is pressed in one of the form's fields (implicit submission).
 */
function enterSubmits(html: string, formId: string): string | null {
  const start = html.search(new RegExp(`<form\\b[^>]*\\bid="${formId}"`));
  if (start < 0) return null;
  const form = html.slice(start, html.indexOf("</form>", start));
  for (const [button] of form.matchAll(/<button\b[^>]*>/g)) {
    const type = /\btype="([^"]*)"/.exec(button)?.[1] ?? "submit";
    if (type !== "submit") continue;
    return `${/\bname="([^"]*)"/.exec(button)?.[1] ?? ""}=${/\bvalue="([^"]*)"/.exec(button)?.[1] ?? ""}`;
  }
  return null;
}

const ADDRESS = { label: "Main warehouse", recipient: "Dock 1", line1: "4 quai Perrache", line2: "", postalCode: "69002", city: "Lyon", country: "FR" };

describe("buying from the catalogue (no JavaScript)", () => {
  it("navigation: cart and quick order for buyers who buy, lists for every member, purchases and addresses for readers", () => {
    const byPath = Object.fromEntries(NAVIGATION.map((item) => [item.to, item.permission]));
    expect(byPath).toMatchObject({
      "/cart": "create:order:org",
      "/quick-order": "create:order:org",
      "/requisition-lists": "read:catalogue:org",
      "/purchases": "read:orders:org",
      "/addresses": "read:orders:org",
    });
  });

  it("the address book: add (a bad field is a 422 that keeps what was typed and writes nothing), edit, make default, delete; another buyer's address is a 404 (a 422 in the make-default form's field)", async () => {
    const buyer = await org("buyer", "Atlas Foods");
    const other = await org("buyer", "Zeta Foods");
    const purchaser = await member(buyer, "purchaser");
    const viewer = await member(buyer, "viewer");
    const stranger = await member(other, "admin");

    const refused = await call(addressesPage.action, request("/addresses", { cookie: purchaser.cookie, form: { intent: "create", ...ADDRESS, country: "France" }, acceptLanguage: "fr" }));
    expect(refused.status).toBe(422);
    expect((refused.data as Failure).fieldErrors.country).toEqual(["Saisissez un code pays à deux lettres, comme FR, MA ou DE."]);
    expect((refused.data as Failure).values.line1).toBe("4 quai Perrache");
    expect(await count("organization_addresses")).toBe(0);

    expect(await call(addressesPage.action, request("/addresses", { cookie: purchaser.cookie, form: { intent: "create", ...ADDRESS } }))).toMatchObject({ status: 302, location: "/addresses" });
    expect(await call(addressesPage.action, request("/addresses", { cookie: purchaser.cookie, form: { intent: "create", ...ADDRESS, label: "Office" } }))).toMatchObject({ status: 302 });
    const page = await call(addressesPage.loader, request("/addresses", { cookie: viewer.cookie }));
    const items = (page.data as { book: { canManage: boolean; items: { id: string; label: string; isDefault: boolean }[] } }).book;
    expect(items.canManage).toBe(false);
    expect(items.items.map((a) => [a.label, a.isDefault])).toEqual([
      ["Main warehouse", true],
      ["Office", false],
    ]);
    const office = items.items[1]!.id;
    expect((await call(addressesPage.action, request("/addresses", { cookie: viewer.cookie, form: { intent: "create", ...ADDRESS } }))).status).toBe(403);

    expect(await call(addressesPage.action, request("/addresses", { cookie: purchaser.cookie, form: { intent: "makeDefault", addressId: office } }))).toMatchObject({ status: 302 });
    expect(await call(addressPage.action, request(`/addresses/${office}`, { cookie: purchaser.cookie, form: { ...ADDRESS, label: "Head office" } }), { addressId: office })).toMatchObject({ status: 302, location: "/addresses" });
    // Still the default: an address stops being it only when another one becomes it.
    expect(await db.selectFrom("organization_addresses").select(["label", "is_default"]).where("id", "=", office).executeTakeFirstOrThrow()).toEqual({ label: "Head office", is_default: true });

    // Another buyer: every page and form of this address is a 404, and nothing changes.
    expect((await call(addressPage.loader, request(`/addresses/${office}`, { cookie: stranger.cookie }), { addressId: office })).status).toBe(404);
    expect((await call(addressPage.action, request(`/addresses/${office}`, { cookie: stranger.cookie, form: { ...ADDRESS, label: "Mine" } }), { addressId: office })).status).toBe(404);
    expect((await call(addressDeletePage.action, request(`/addresses/${office}/delete`, { cookie: stranger.cookie, form: {} }), { addressId: office })).status).toBe(404);
    // "Make default" carries the address in a form field: a field error there, as for an unknown id.
    await call(addressesPage.action, request("/addresses", { cookie: stranger.cookie, form: { intent: "create", ...ADDRESS } }));
    const foreignDefault = await call(addressesPage.action, request("/addresses", { cookie: stranger.cookie, form: { intent: "makeDefault", addressId: office } }));
    expect(foreignDefault.status).toBe(422);
    expect((foreignDefault.data as Failure).fieldErrors.addressId).toEqual(["This address is not in your address book (any more). Pick one from the list."]);
    await db.deleteFrom("organization_addresses").where("organization_id", "=", other).execute();
    expect(await count("organization_addresses")).toBe(2);

    expect((await call(addressDeletePage.loader, request(`/addresses/${office}/delete`, { cookie: purchaser.cookie }), { addressId: office })).data).toMatchObject({ address: { id: office } });
    expect(await call(addressDeletePage.action, request(`/addresses/${office}/delete`, { cookie: purchaser.cookie, form: {} }), { addressId: office })).toMatchObject({ status: 302, location: "/addresses" });
    expect(await count("organization_addresses")).toBe(1);
  });

  it("from the listing page to the cart to a placed purchase: one order per seller, the orders linked from the purchase", async () => {
    const buyer = await org("buyer", "Kappa Industries");
    const alpha = await org("seller", "Cartonnerie Alpha");
    const beta = await org("seller", "Emballages Beta");
    const purchaser = await member(buyer, "purchaser");
    const viewer = await member(buyer, "viewer");
    const boxes = await listing(alpha, "KA-1", { minOrderQuantity: 10 });
    const crates = await listing(beta, "KB-1", { stock: 3, listPriceMinor: "5000" });
    await call(addressesPage.action, request("/addresses", { cookie: purchaser.cookie, form: { intent: "create", ...ADDRESS } }));

    const page = await call(listingPage.loader, request(`/catalogue/${boxes}`, { cookie: purchaser.cookie }), { listingId: boxes });
    expect(page.data).toMatchObject({ purchasing: { canBuy: true, canEditLists: true, lists: [] } });
    expect((await call(listingPage.loader, request(`/catalogue/${boxes}`, { cookie: viewer.cookie }), { listingId: boxes })).data).toMatchObject({ purchasing: { canBuy: false, canEditLists: false } });

    const below = await call(listingPage.action, request(`/catalogue/${boxes}`, { cookie: purchaser.cookie, form: { intent: "addToCart", listingId: boxes, quantity: "5", returnTo: `/catalogue/${boxes}` } }), { listingId: boxes });
    expect(below.status).toBe(422);
    expect((below.data as Failure).fieldErrors.quantity).toEqual(["This is less than the seller's minimum order quantity."]);
    expect(await count("cart_lines")).toBe(0);
    const added = await call(listingPage.action, request(`/catalogue/${boxes}`, { cookie: purchaser.cookie, form: { intent: "addToCart", listingId: boxes, quantity: "12", returnTo: `/catalogue/${boxes}?quantity=12` } }), { listingId: boxes });
    expect(added).toMatchObject({ status: 302, location: `/catalogue/${boxes}?quantity=12` });
    // An open redirect is refused: back to the catalogue instead.
    const evil = await call(listingPage.action, request(`/catalogue/${crates}`, { cookie: purchaser.cookie, form: { intent: "addToCart", listingId: crates, quantity: "2", returnTo: "//evil.test" } }), { listingId: crates });
    expect(evil).toMatchObject({ status: 302, location: "/catalogue" });
    expect((await call(listingPage.action, request(`/catalogue/${boxes}`, { cookie: viewer.cookie, form: { intent: "addToCart", listingId: boxes, quantity: "12" } }), { listingId: boxes })).status).toBe(403);
    // From a search result: back to the same search; a listing of another buyer's group or none at all is a field error (422).
    expect(await call(searchPage.action, request("/catalogue?q=box&page=2", { cookie: purchaser.cookie, form: { intent: "addToCart", listingId: crates, quantity: "1", returnTo: "/catalogue?q=box&page=2" } }))).toMatchObject({ status: 302, location: "/catalogue?q=box&page=2" });
    const unknown = await call(searchPage.action, request("/catalogue", { cookie: purchaser.cookie, form: { intent: "addToCart", listingId: "00000000-0000-4000-8000-000000000000", quantity: "1" } }));
    expect(unknown.status).toBe(422);
    expect((unknown.data as Failure).fieldErrors.listingId).toEqual(["This product cannot be ordered (it is unknown or not offered to you)."]);

    const cart = await call(cartPage.loader, request("/cart", { cookie: purchaser.cookie }));
    expect(cart.data).toMatchObject({ cart: { lineCount: 2, groups: [{ currency: "EUR", total: { amountMinor: "27000" } }] }, addresses: [{ label: "Main warehouse", isDefault: true }] });
    const addressId = (cart.data as { addresses: { id: string }[] }).addresses[0]!.id;

    const bad = await call(cartPage.action, request("/cart", { cookie: purchaser.cookie, form: { intent: "update", [`quantity.${boxes}`]: "0", [`quantity.${crates}`]: "2" } }));
    expect(bad.status).toBe(422);
    expect((bad.data as Failure).fieldErrors[`lines.${boxes}`]).toEqual(["Enter a whole quantity of at least 1."]);
    expect(await call(cartPage.action, request("/cart", { cookie: purchaser.cookie, form: { intent: "update", [`quantity.${crates}`]: "4" } }))).toMatchObject({ status: 302, location: "/cart" });
    // Four crates but three in stock: the checkout refuses that line and writes nothing.
    const short = await call(cartPage.action, request("/cart", { cookie: purchaser.cookie, form: { intent: "checkout", currency: "EUR", poNumber: "PO-1", addressId } }));
    expect(short.status).toBe(422);
    expect((short.data as Failure).fieldErrors[`lines.${crates}`]).toEqual(["The seller does not have that much in stock."]);
    expect((short.data as Failure).values).toMatchObject({ intent: "checkout", currency: "EUR", poNumber: "PO-1" });
    expect(await count("purchases")).toBe(0);
    await call(cartPage.action, request("/cart", { cookie: purchaser.cookie, form: { intent: "update", [`quantity.${crates}`]: "3" } }));

    const placed = await call(cartPage.action, request("/cart", { cookie: purchaser.cookie, form: { intent: "checkout", currency: "EUR", poNumber: "PO-1", addressId } }));
    expect(placed.status).toBe(302);
    const purchaseId = placed.location!.replace("/purchases/", "");
    const detail = await call(purchasePage.loader, request(placed.location!, { cookie: viewer.cookie }), { purchaseId });
    const purchase = (detail.data as { purchase: { status: string; poNumber: string; sellers: { seller: { name: string }; order: { id: string } | null }[] } }).purchase;
    expect(purchase).toMatchObject({ status: "placed", poNumber: "PO-1" });
    expect(purchase.sellers.map((s) => [s.seller.name, s.order !== null])).toEqual([
      ["Cartonnerie Alpha", true],
      ["Emballages Beta", true],
    ]);
    const list = await call(purchasesPage.loader, request("/purchases?status=nope", { cookie: viewer.cookie }));
    expect(list.data).toMatchObject({ filterErrors: { status: [expect.any(String)] }, view: { total: 1, items: [{ id: purchaseId, status: "placed" }] } });
    expect((await call(cartPage.loader, request("/cart", { cookie: purchaser.cookie }))).data).toMatchObject({ cart: { lineCount: 0 } });

    const stranger = await member(await org("buyer", "Other buyer"), "admin");
    expect((await call(purchasePage.loader, request(placed.location!, { cookie: stranger.cookie }), { purchaseId })).status).toBe(404);
    expect((await call(cartPage.loader, request("/cart", { cookie: viewer.cookie }))).status).toBe(403);
  });

  it("above an approval rule the purchase waits; the approver sees it on the approval page; the requester takes it back into the cart", async () => {
    const buyer = await org("buyer", "Lambda Retail");
    const seller = await org("seller", "Boîtes Lambda");
    const purchaser = await member(buyer, "purchaser");
    const approver = await member(buyer, "approver");
    await db.insertInto("approval_rules").values({ buyer_id: buyer, currency: "EUR", threshold_minor: "100", approver_role: "approver" }).execute();
    const boxes = await listing(seller, "LB-1");
    await call(addressesPage.action, request("/addresses", { cookie: purchaser.cookie, form: { intent: "create", ...ADDRESS } }));
    const addressId = (await db.selectFrom("organization_addresses").select("id").where("organization_id", "=", buyer).executeTakeFirstOrThrow()).id;
    await call(listingPage.action, request(`/catalogue/${boxes}`, { cookie: purchaser.cookie, form: { intent: "addToCart", listingId: boxes, quantity: "2", returnTo: "/cart" } }), { listingId: boxes });
    const orders = await count("orders");

    const waiting = await call(cartPage.action, request("/cart", { cookie: purchaser.cookie, form: { intent: "checkout", currency: "EUR", addressId } }));
    expect(waiting.status).toBe(302);
    const purchaseId = waiting.location!.replace("/purchases/", "");
    expect(await count("orders")).toBe(orders);
    const approval = await db.selectFrom("approvals").select("id").where("subject_id", "=", purchaseId).executeTakeFirstOrThrow();
    const approvalView = await call(approvalPage.loader, request(`/approvals/${approval.id}`, { cookie: approver.cookie }), { approvalId: approval.id });
    expect(approvalView.data).toMatchObject({ approval: { subjectKind: "purchase", canDecide: true, purchase: { id: purchaseId, status: "pending_approval" } } });

    const mine = await call(purchasePage.loader, request(waiting.location!, { cookie: purchaser.cookie }), { purchaseId });
    expect(mine.data).toMatchObject({ purchase: { status: "pending_approval", canWithdraw: true } });
    expect((await call(purchasePage.action, request(waiting.location!, { cookie: approver.cookie, form: { intent: "withdraw" } }), { purchaseId })).status).toBe(403);
    expect(await call(purchasePage.action, request(waiting.location!, { cookie: purchaser.cookie, form: { intent: "withdraw" } }), { purchaseId })).toMatchObject({ status: 302, location: "/cart" });
    expect((await call(cartPage.loader, request("/cart", { cookie: purchaser.cookie }))).data).toMatchObject({ cart: { lineCount: 1 } });
    // Withdrawn: the approver's approval is a 409 that says why.
    const late = await call(approvalPage.action, request(`/approvals/${approval.id}`, { cookie: approver.cookie, form: { decision: "approve" } }), { approvalId: approval.id });
    expect(late.status).toBe(409);
    expect((late.data as Failure).formError).toBe("The requester withdrew this purchase: there is nothing left to decide.");
    const closed = await call(approvalPage.loader, request(`/approvals/${approval.id}`, { cookie: approver.cookie }), { approvalId: approval.id });
    expect(closed.data).toMatchObject({ approval: { status: "withdrawn", decidedBy: null, comment: "", canDecide: false } });
  });

  it("quick order: pasted lines and a CSV file; each line reported; an empty order is a 422", async () => {
    const buyer = await org("buyer", "Mu Hotels");
    const seller = await org("seller", "Linge Mu");
    const purchaser = await member(buyer, "purchaser");
    const towels = await listing(seller, "QT-1");
    const sheets = await listing(seller, "QT-2", { minOrderQuantity: 50 });
    const form = new FormData();
    form.set("text", "QT-1, 10\nQT-2; 5\nNOPE, 1");
    form.set("file", new File(["sku,quantity\nQT-2,60\n"], "order.csv", { type: "text/csv" }));
    const result = await call(quickOrderPage.action, upload("/quick-order", purchaser.cookie, form));
    expect(result.status).toBe(200);
    const report = (result.data as { report: { addedLines: number; refusedLines: number; lines: { source: string; line: number; status: string }[] } }).report;
    expect(report).toMatchObject({ addedLines: 3, refusedLines: 1 });
    expect(report.lines.map((l) => [l.source, l.line, l.status])).toEqual([
      ["text", 1, "added"],
      ["text", 2, "added"],
      ["text", 3, "refused"],
      ["file", 2, "added"],
    ]);
    const lines = await db.selectFrom("cart_lines").select(["listing_id", "quantity"]).where("buyer_id", "=", buyer).orderBy("quantity").execute();
    expect(lines).toEqual([
      { listing_id: towels, quantity: 10 },
      { listing_id: sheets, quantity: 65 },
    ]);
    const empty = await call(quickOrderPage.action, request("/quick-order", { cookie: purchaser.cookie, form: { text: "  " } }));
    expect(empty.status).toBe(422);
    expect((empty.data as Failure).fieldErrors.text).toEqual(["Type or paste at least one line, or choose a file."]);
    const viewer = await member(buyer, "viewer");
    expect((await call(quickOrderPage.loader, request("/quick-order", { cookie: viewer.cookie }))).status).toBe(403);
  });

  it("requisition lists: created, filled from the listing page, ticked items ordered into the cart, turned into a draft RFQ; viewers read only; other buyers get 404", async () => {
    const buyer = await org("buyer", "Nu Labs");
    const seller = await org("seller", "Verrerie Nu");
    const purchaser = await member(buyer, "purchaser");
    const viewer = await member(buyer, "viewer");
    const stranger = await member(await org("buyer", "Xi Labs"), "admin");
    const flasks = await listing(seller, "NU-1");
    const tubes = await listing(seller, "NU-2");

    const taken = await call(listsPage.action, request("/requisition-lists", { cookie: purchaser.cookie, form: { intent: "create", name: "" } }));
    expect(taken.status).toBe(422);
    const created = await call(listsPage.action, request("/requisition-lists", { cookie: purchaser.cookie, form: { intent: "create", name: "Lab consumables" } }));
    expect(created.status).toBe(302);
    const listId = created.location!.replace("/requisition-lists/", "");
    expect((await call(listsPage.action, request("/requisition-lists", { cookie: viewer.cookie, form: { intent: "create", name: "Mine" } }))).status).toBe(403);

    for (const listingId of [flasks, tubes]) {
      const added = await call(listingPage.action, request(`/catalogue/${listingId}`, { cookie: purchaser.cookie, form: { intent: "addToList", listId, listingId, quantity: "4", returnTo: `/catalogue/${listingId}` } }), { listingId });
      expect(added).toMatchObject({ status: 302, location: `/catalogue/${listingId}` });
    }
    const view = await call(listPage.loader, request(`/requisition-lists/${listId}`, { cookie: viewer.cookie }), { listId });
    expect(view.data).toMatchObject({ list: { name: "Lab consumables", canEdit: false, canOrder: false, items: [{ listingId: flasks, quantity: 4 }, { listingId: tubes, quantity: 4 }] } });
    expect((await call(listPage.loader, request(`/requisition-lists/${listId}`, { cookie: stranger.cookie }), { listId })).status).toBe(404);
    expect((await call(listPage.action, post(`/requisition-lists/${listId}`, stranger.cookie, [["intent", "orderAll"]]), { listId })).status).toBe(404);
    expect((await call(listPage.action, post(`/requisition-lists/${listId}`, viewer.cookie, [["intent", "updateItems"], [`quantity.${flasks}`, "9"]]), { listId })).status).toBe(403);

    const badQuantity = await call(listPage.action, post(`/requisition-lists/${listId}`, purchaser.cookie, [["intent", "updateItems"], [`quantity.${flasks}`, "-1"], ["listingIds", tubes]]), { listId });
    expect(badQuantity.status).toBe(422);
    expect((badQuantity.data as Failure).fieldErrors[`items.${flasks}`]).toEqual(["Enter a whole quantity of at least 1."]);
    expect((badQuantity.data as Failure).values.listingIds).toBe(tubes);
    const nothing = await call(listPage.action, post(`/requisition-lists/${listId}`, purchaser.cookie, [["intent", "orderSelected"]]), { listId });
    expect((nothing.data as Failure).fieldErrors.listingIds).toEqual(["Tick the items first."]);

    const ordered = await call(listPage.action, post(`/requisition-lists/${listId}`, purchaser.cookie, [["intent", "orderSelected"], ["listingIds", flasks], ["listingIds", tubes]]), { listId });
    expect(ordered).toMatchObject({ status: 302, location: "/cart" });
    expect(await db.selectFrom("cart_lines").select(["listing_id", "quantity"]).where("buyer_id", "=", buyer).orderBy("listing_id").execute()).toHaveLength(2);

    const rfq = await call(listPage.action, post(`/requisition-lists/${listId}`, purchaser.cookie, [["intent", "rfqAll"]]), { listId });
    expect(rfq.status).toBe(302);
    expect(rfq.location).toMatch(/^\/rfqs\/[0-9a-f-]{36}\/edit$/);
    const rfqId = rfq.location!.split("/")[2]!;
    expect(await db.selectFrom("rfq_lines").select("listing_id").where("rfq_id", "=", rfqId).orderBy("position").execute()).toEqual([{ listing_id: flasks }, { listing_id: tubes }]);

    expect(await call(listPage.action, post(`/requisition-lists/${listId}`, purchaser.cookie, [["intent", `removeItem:${tubes}`]]), { listId })).toMatchObject({ status: 302 });
    expect(await count("requisition_list_items")).toBe(1);
    expect(await call(listDeletePage.action, request(`/requisition-lists/${listId}/delete`, { cookie: purchaser.cookie, form: {} }), { listId })).toMatchObject({ status: 302, location: "/requisition-lists" });
    expect(await count("requisition_lists")).toBe(0);
  });
});

describe("the purchasing pages render through the real server (server.ts), in both languages", () => {
  it("cart, checkout, quick order, purchases, the approval of a purchase, addresses and requisition lists answer 200 with their content", async () => {
    const buyer = await org("buyer", "Omicron Render");
    const seller = await org("seller", "Render Seller");
    const purchaser = await member(buyer, "purchaser");
    const approver = await member(buyer, "approver");
    await db.insertInto("approval_rules").values({ buyer_id: buyer, currency: "EUR", threshold_minor: "5000", approver_role: "approver" }).execute();
    const boxes = await listing(seller, "RR-1", { minOrderQuantity: 5, stock: 4 });
    const tape = await listing(seller, "RR-2");
    await call(addressesPage.action, request("/addresses", { cookie: purchaser.cookie, form: { intent: "create", ...ADDRESS } }));
    const addressId = (await db.selectFrom("organization_addresses").select("id").where("organization_id", "=", buyer).executeTakeFirstOrThrow()).id;
    await call(listingPage.action, request(`/catalogue/${tape}`, { cookie: purchaser.cookie, form: { intent: "addToCart", listingId: tape, quantity: "10" } }), { listingId: tape });
    const waiting = await call(cartPage.action, request("/cart", { cookie: purchaser.cookie, form: { intent: "checkout", currency: "EUR", addressId, poNumber: "PO-R" } }));
    const purchaseId = waiting.location!.replace("/purchases/", "");
    const approvalId = (await db.selectFrom("approvals").select("id").where("subject_id", "=", purchaseId).executeTakeFirstOrThrow()).id;
    // A cart with a warning (more than the stock) for the cart page.
    await call(listingPage.action, request(`/catalogue/${boxes}`, { cookie: purchaser.cookie, form: { intent: "addToCart", listingId: boxes, quantity: "5" } }), { listingId: boxes });
    const created = await call(listsPage.action, request("/requisition-lists", { cookie: purchaser.cookie, form: { intent: "create", name: "Render list" } }));
    const listId = created.location!.replace("/requisition-lists/", "");
    await call(listingPage.action, request(`/catalogue/${boxes}`, { cookie: purchaser.cookie, form: { intent: "addToList", listId, listingId: boxes, quantity: "5" } }), { listingId: boxes });

    const server = await startAppProcess(fileURLToPath(new URL("..", import.meta.url)), { ...process.env, DATABASE_URL: testDb.url, STORAGE_DIR: storageDir });
    try {
      const page = async (pathname: string, cookie: string, language = "en") => {
        const response = await fetch(`${server.url}${pathname}`, { redirect: "manual", headers: { cookie, "accept-language": language } });
        const html = await response.text();
        expect(response.status, `${pathname}\n${server.output().slice(-2000)}`).toBe(200);
        return html;
      };
      const cartHtml = await page("/cart", purchaser.cookie);
      expect(cartHtml).toContain("Only 4 box in stock");
      // Enter in a quantity updates the cart; it never clicks a line's "Remove" (which comes first on the page).
      expect(cartHtml).toContain(`value="remove:${boxes}"`);
      expect(enterSubmits(cartHtml, "cart-lines")).toBe("intent=update");
      expect(await page("/cart", purchaser.cookie, "fr")).toContain("Valider les lignes en EUR");
      expect(await page("/quick-order", purchaser.cookie)).toContain("SKU, quantity");
      expect(await page("/purchases", purchaser.cookie)).toContain("Waiting for approval");
      const detail = await page(`/purchases/${purchaseId}`, purchaser.cookie);
      expect(detail).toContain("PO-R");
      expect(detail).toContain("Change it (back to my cart)");
      // The approval of a purchase shows what is bought: its PO number and its lines (SKU, quantity, unit price), linked to the purchase.
      const approvalHtml = await page(`/approvals/${approvalId}`, approver.cookie);
      expect(approvalHtml).toContain("Render Seller");
      expect(approvalHtml).toContain("PO-R");
      expect(approvalHtml).toContain("RR-2");
      expect(approvalHtml).toContain("10 box");
      expect(approvalHtml).toContain(`href="/purchases/${purchaseId}"`);
      // In a purchase's own words, not an award's.
      expect(approvalHtml).toMatch(/placed purchase PUR-\d{6} for/);
      expect(approvalHtml).toContain("Rejecting tells the requester; nothing was reserved.");
      expect(approvalHtml).not.toContain("award again");
      expect(approvalHtml).not.toMatch(/awarded PUR-/);
      const approvalFr = await page(`/approvals/${approvalId}`, approver.cookie, "fr");
      expect(approvalFr).toMatch(/a passé l(&#x27;|&#39;|')achat PUR-\d{6} pour/);
      expect(approvalFr).toContain("Rejeter prévient le demandeur ; rien n");
      expect(approvalFr).not.toContain("attribuer à nouveau");
      expect(await page("/addresses", purchaser.cookie, "fr")).toContain("Adresses de livraison");
      expect(await page(`/addresses/${addressId}`, purchaser.cookie)).toContain("4 quai Perrache");
      expect(await page(`/addresses/${addressId}/delete`, purchaser.cookie)).toContain("Delete the address");
      expect(await page("/requisition-lists", purchaser.cookie)).toContain("Render list");
      const listHtml = await page(`/requisition-lists/${listId}`, purchaser.cookie);
      expect(listHtml).toContain("Order the selected items");
      // Enter in a quantity or a note saves the items, never removes the first one.
      expect(listHtml).toContain(`value="removeItem:${boxes}"`);
      expect(enterSubmits(listHtml, "requisition-list-items")).toBe("intent=updateItems");
      expect(await page(`/requisition-lists/${listId}/delete`, purchaser.cookie)).toContain("Delete the list Render list?");
      const listingHtml = await page(`/catalogue/${boxes}`, purchaser.cookie);
      expect(listingHtml).toContain("Add to cart");
      expect(listingHtml).toContain("Add to list");
      expect(await page("/catalogue", purchaser.cookie)).toContain("Catalogue");

      // Withdrawn by its requester: the approval says so, in the reader's language, and names no decider.
      expect(await call(purchasePage.action, request(`/purchases/${purchaseId}`, { cookie: purchaser.cookie, form: { intent: "withdraw" } }), { purchaseId })).toMatchObject({ status: 302, location: "/cart" });
      const withdrawnHtml = await page(`/approvals/${approvalId}`, approver.cookie);
      expect(withdrawnHtml).toContain("Withdrawn by the requester on");
      expect(withdrawnHtml).not.toContain("Rejected by");
      expect(withdrawnHtml).not.toContain("withdrawn by the requester");
      expect(withdrawnHtml).not.toContain("Your decision");
      const withdrawnFr = await page(`/approvals/${approvalId}`, approver.cookie, "fr");
      expect(withdrawnFr).toContain("Retirée par le demandeur le");
      expect(withdrawnFr).not.toContain("Rejetée par");
      const approvalsHtml = await page("/approvals?status=withdrawn", approver.cookie);
      expect(approvalsHtml).toContain(`href="/approvals/${approvalId}"`);
      expect(approvalsHtml).toContain("Withdrawn by the requester");
      expect(await page("/approvals?status=withdrawn", approver.cookie, "fr")).toContain("Retirée par le demandeur");
      expect(await page(`/purchases/${purchaseId}`, purchaser.cookie, "fr")).toContain("Le demandeur a retiré l");
    } finally {
      await server.stop();
    }
  }, 120_000);
});
