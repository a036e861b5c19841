import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createSession, sessionCookieName } from "@souk/auth";
import { createTestDatabase } from "@souk/testing";
import { call, request, type Failure } from "@souk/ui/testing";

// The app reads its environment once, at import: point it at this file's database first.
const testDb = await createTestDatabase();
const storageDir = await mkdtemp(path.join(tmpdir(), "souk-buyer-orders-"));
process.env.DATABASE_URL = testDb.url;
process.env.PUBLIC_URL = "http://localhost";
process.env.NODE_ENV = "test";
process.env.STORAGE_DIR = storageDir;

const { closeServices } = await import("./services.server");
const ordersPage = await import("./routes/orders._index");
const orderPage = await import("./routes/orders.$orderId");

afterAll(async () => {
  await closeServices();
  await rm(storageDir, { recursive: true, force: true });
});

const { db } = testDb;
let counter = 0;

async function org(kind: "buyer" | "seller", name: string) {
  return (await db.insertInto("organizations").values({ kind, name, status: "active" }).returning("id").executeTakeFirstOrThrow()).id;
}

async function member(organizationId: string, role: "admin" | "purchaser" | "approver" | "viewer") {
  counter += 1;
  const user = await db.insertInto("users").values({ email: `${role}.${counter}@buyer-orders.test`, name: `${role} ${counter}`, password_hash: "x" }).returning("id").executeTakeFirstOrThrow();
  await db.insertInto("memberships").values({ organization_id: organizationId, user_id: user.id, role }).execute();
  const { token } = await createSession(db, { userId: user.id, app: "buyer", activeOrganizationId: organizationId, ip: null, userAgent: null });
  return `${sessionCookieName("buyer")}=${token}`;
}

/** An order written straight in the tables, in `status`, with the "placed" event checkout and awards record (the moves themselves are tested in the services). */
async function order(buyerId: string, sellerId: string, status: "placed" | "accepted" | "shipped" = "placed", poNumber = "") {
  const row = await db
    .insertInto("orders")
    .values({
      buyer_id: buyerId,
      seller_id: sellerId,
      currency: "EUR",
      total_minor: "12000",
      lead_time_days: 5,
      status,
      po_number: poNumber,
      accepted_at: status === "placed" ? null : new Date(),
      shipped_at: status === "shipped" ? new Date() : null,
      carrier: status === "shipped" ? "DHL" : null,
      tracking_reference: status === "shipped" ? "JD-1" : null,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await db.insertInto("order_lines").values({ order_id: row.id, seller_id: sellerId, position: 0, description: "Pallet wrap", unit: "roll", quantity: 12, unit_price_minor: "1000", line_total_minor: "12000" }).execute();
  await db.insertInto("order_events").values({ order_id: row.id, buyer_id: buyerId, seller_id: sellerId, kind: "placed", actor_kind: "buyer", data: "{}" }).execute();
  return row.id;
}

const statusOf = async (id: string) => (await db.selectFrom("orders").select(["status", "version"]).where("id", "=", id).executeTakeFirstOrThrow());
type OrderData = { order: { id: string; status: string; version: number; moves: string[]; timeline: { kind: string }[] } };

describe("the buyer's order pages (no JavaScript)", () => {
  it("shows the moves each member may make; cancels with a reason (422 first, nothing changed), a stale page gets 409; a viewer gets 403", async () => {
    const buyer = await org("buyer", "Zeta Foods");
    const seller = await org("seller", "Cartonnerie du Rhône");
    const purchaser = await member(buyer, "purchaser");
    const viewer = await member(buyer, "viewer");
    const id = await order(buyer, seller);

    const page = await call(orderPage.loader, request(`/orders/${id}`, { cookie: purchaser }), { orderId: id });
    expect(page.data).toMatchObject({ order: { id, status: "placed", version: 1, moves: ["cancel"], timeline: [{ kind: "placed" }] }, disputeDays: 14 });
    // The order's money, as the buyer may read it: the total and refunds, never the commission or the seller's net.
    expect(page.data).toMatchObject({ order: { money: { orderId: id, gross: { amountMinor: "12000", currency: "EUR" }, settled: false, commission: null, net: null, rule: null, payout: null, refunded: { amountMinor: "0" }, refunds: [] } } });
    expect((await call(orderPage.loader, request(`/orders/${id}`, { cookie: viewer }), { orderId: id })).data).toMatchObject({ order: { moves: [] } });

    const noReason = await call(orderPage.action, request(`/orders/${id}`, { cookie: purchaser, form: { intent: "cancel", version: "1", reason: "" } }), { orderId: id });
    expect(noReason.status).toBe(422);
    expect((noReason.data as Failure).fieldErrors.reason).toEqual(["Say why: the other side reads it."]);
    expect((noReason.data as Failure).values.intent).toBe("cancel");
    expect(await statusOf(id)).toEqual({ status: "placed", version: 1 });

    const french = await call(orderPage.action, request(`/orders/${id}`, { cookie: purchaser, acceptLanguage: "fr", form: { intent: "cancel", reason: "x".repeat(2001) } }), { orderId: id });
    expect((french.data as Failure).fieldErrors.reason).toEqual(["2 000 caractères au plus."]);

    expect((await call(orderPage.action, request(`/orders/${id}`, { cookie: viewer, form: { intent: "cancel", reason: "No" } }), { orderId: id })).status).toBe(403);
    expect((await call(orderPage.action, request(`/orders/${id}`, { cookie: purchaser, form: { intent: "ship", reason: "No" } }), { orderId: id })).status).toBe(422);

    await db.updateTable("orders").set({ version: 2 }).where("id", "=", id).execute();
    const stale = await call(orderPage.action, request(`/orders/${id}`, { cookie: purchaser, form: { intent: "cancel", version: "1", reason: "Ordered twice." } }), { orderId: id });
    expect(stale.status).toBe(409);
    expect((stale.data as Failure).formError).toBe("This order changed since you opened the page. Check it again, then retry.");

    const cancelled = await call(orderPage.action, request(`/orders/${id}`, { cookie: purchaser, form: { intent: "cancel", version: "2", reason: "Ordered twice." } }), { orderId: id });
    expect(cancelled).toMatchObject({ status: 302, location: `/orders/${id}` });
    expect(await statusOf(id)).toEqual({ status: "cancelled", version: 3 });
    const after = (await call(orderPage.loader, request(`/orders/${id}`, { cookie: purchaser }), { orderId: id })).data as OrderData;
    expect(after.order.timeline.map((e) => e.kind)).toEqual(["placed", "cancelled"]);
    // Too late now: 409 with the domain's reason, shown at the top of the page.
    const again = await call(orderPage.action, request(`/orders/${id}`, { cookie: purchaser, form: { intent: "cancel", reason: "Again" } }), { orderId: id });
    expect(again.status).toBe(409);
    expect((again.data as Failure).formError).toMatch(/not possible at this stage/);
  });

  it("confirms a delivery, then opens a dispute (reason required); asks to cancel an accepted order", async () => {
    const buyer = await org("buyer", "Omega Retail");
    const seller = await org("seller", "Emballages Sud");
    const admin = await member(buyer, "admin");
    const shipped = await order(buyer, seller, "shipped");
    expect(((await call(orderPage.loader, request(`/orders/${shipped}`, { cookie: admin }), { orderId: shipped })).data as OrderData).order.moves).toEqual(["confirm_delivery"]);
    expect(await call(orderPage.action, request(`/orders/${shipped}`, { cookie: admin, form: { intent: "confirm_delivery" } }), { orderId: shipped })).toMatchObject({ status: 302 });
    expect((await statusOf(shipped)).status).toBe("delivered");
    const settle = await db.selectFrom("outbox").select("payload").where("topic", "=", "order.settle").execute();
    expect(settle.map((r) => r.payload)).toEqual([{ orderId: shipped }]);

    const noReason = await call(orderPage.action, request(`/orders/${shipped}`, { cookie: admin, form: { intent: "open_dispute", reason: " " } }), { orderId: shipped });
    expect(noReason.status).toBe(422);
    expect((noReason.data as Failure).fieldErrors.reason).toEqual(["Say what is wrong with the delivery."]);
    expect(await call(orderPage.action, request(`/orders/${shipped}`, { cookie: admin, form: { intent: "open_dispute", reason: "Two rolls torn." } }), { orderId: shipped })).toMatchObject({ status: 302 });
    expect((await call(orderPage.loader, request(`/orders/${shipped}`, { cookie: admin }), { orderId: shipped })).data).toMatchObject({ order: { dispute: { status: "open", reason: "Two rolls torn." }, disputeStatus: "open", moves: [] } });

    const accepted = await order(buyer, seller, "accepted");
    expect(await call(orderPage.action, request(`/orders/${accepted}`, { cookie: admin, form: { intent: "request_cancellation", reason: "Budget cut." } }), { orderId: accepted })).toMatchObject({ status: 302 });
    expect((await call(orderPage.loader, request(`/orders/${accepted}`, { cookie: admin }), { orderId: accepted })).data).toMatchObject({ order: { cancellation: { requestedBy: "buyer", reason: "Budget cut." }, moves: [] } });
  });

  it("a buyer never sees nor moves another buyer's order (404); the list filters by status, seller, dates and PO number", async () => {
    const buyer = await org("buyer", "Atlas Industrie");
    const other = await org("buyer", "Other Buyer");
    const sellerA = await org("seller", "Alpha Packaging");
    const sellerB = await org("seller", "Beta Boxes");
    const admin = await member(buyer, "admin");
    const otherAdmin = await member(other, "admin");
    const mine = await order(buyer, sellerA, "placed", "PO-991");
    const mineB = await order(buyer, sellerB, "accepted");
    const theirs = await order(other, sellerA);

    const list = await call(ordersPage.loader, request("/orders", { cookie: admin }));
    expect(list.data).toMatchObject({ view: { total: 2, counterparties: [{ id: sellerA, name: "Alpha Packaging" }, { id: sellerB, name: "Beta Boxes" }] } });
    expect((await call(ordersPage.loader, request(`/orders?counterparty=${sellerB}`, { cookie: admin }))).data).toMatchObject({ view: { total: 1, items: [{ id: mineB }] } });
    expect((await call(ordersPage.loader, request("/orders?q=po-991", { cookie: admin }))).data).toMatchObject({ view: { total: 1, items: [{ id: mine, poNumber: "PO-991" }] } });
    expect((await call(ordersPage.loader, request("/orders?status=accepted", { cookie: admin }))).data).toMatchObject({ view: { total: 1, items: [{ id: mineB }] } });
    const badDates = await call(ordersPage.loader, request("/orders?from=2030-13-01&to=2030-01-01", { cookie: admin }));
    expect(badDates.data).toMatchObject({ filterErrors: { from: [expect.any(String)] }, view: { total: 2 } });
    const today = new Date().toISOString().slice(0, 10);
    expect((await call(ordersPage.loader, request(`/orders?from=${today}&to=${today}`, { cookie: admin }))).data).toMatchObject({ view: { total: 2 } });
    expect((await call(ordersPage.loader, request("/orders?to=2001-01-01", { cookie: admin }))).data).toMatchObject({ view: { total: 0 } });

    expect((await call(ordersPage.loader, request("/orders", { cookie: otherAdmin }))).data).toMatchObject({ view: { total: 1, items: [{ id: theirs }] } });
    expect((await call(orderPage.loader, request(`/orders/${mine}`, { cookie: otherAdmin }), { orderId: mine })).status).toBe(404);
    expect((await call(orderPage.action, request(`/orders/${mine}`, { cookie: otherAdmin, form: { intent: "cancel", reason: "Mine now" } }), { orderId: mine })).status).toBe(404);
    expect(await statusOf(mine)).toEqual({ status: "placed", version: 1 });
    // Without a session: to sign-in.
    expect((await call(orderPage.action, request(`/orders/${mine}`, { form: { intent: "cancel", reason: "x" } }), { orderId: mine })).status).toBe(302);
  });
});
