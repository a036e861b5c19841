import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createSession, sessionCookieName } from "@souk/auth";
import { createTestDatabase } from "@souk/testing";
import { call, request, type Failure } from "@souk/ui/testing";

// The app reads its environment once, at import: point it at this file's database first.
const testDb = await createTestDatabase();
const storageDir = await mkdtemp(path.join(tmpdir(), "souk-seller-lifecycle-"));
process.env.DATABASE_URL = testDb.url;
process.env.STORAGE_DIR = storageDir;
process.env.PUBLIC_URL = "http://localhost";
process.env.NODE_ENV = "test";

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

async function sellerMember(organizationId: string, role: "owner" | "sales" | "fulfilment") {
  counter += 1;
  const user = await db.insertInto("users").values({ email: `${role}.${counter}@seller-lifecycle.test`, name: `${role} ${counter}`, password_hash: "x" }).returning("id").executeTakeFirstOrThrow();
  await db.insertInto("memberships").values({ organization_id: organizationId, user_id: user.id, role }).execute();
  const { token } = await createSession(db, { userId: user.id, app: "seller", activeOrganizationId: organizationId, ip: null, userAgent: null });
  return `${sessionCookieName("seller")}=${token}`;
}

/** A placed order written straight in the tables, with the "placed" event that checkout and awards record. */
async function order(buyerId: string, sellerId: string) {
  const row = await db.insertInto("orders").values({ buyer_id: buyerId, seller_id: sellerId, currency: "EUR", total_minor: "4200", lead_time_days: 5 }).returning("id").executeTakeFirstOrThrow();
  await db.insertInto("order_lines").values({ order_id: row.id, seller_id: sellerId, position: 0, description: "Box 40x30", unit: "box", quantity: 1, unit_price_minor: "4200", line_total_minor: "4200" }).execute();
  await db.insertInto("order_events").values({ order_id: row.id, buyer_id: buyerId, seller_id: sellerId, kind: "placed", actor_kind: "buyer", data: "{}" }).execute();
  return row.id;
}

const rowOf = (id: string) => db.selectFrom("orders").select(["status", "version", "carrier", "tracking_reference", "reject_reason"]).where("id", "=", id).executeTakeFirstOrThrow();

describe("the seller's order pages (no JavaScript)", () => {
  it("fulfilment accepts and ships (422 with both field errors first); sales reads but cannot move (403)", async () => {
    const buyer = await org("buyer", "Zeta Foods");
    const seller = await org("seller", "Cartonnerie du Rhône");
    const fulfilment = await sellerMember(seller, "fulfilment");
    const sales = await sellerMember(seller, "sales");
    const id = await order(buyer, seller);

    expect((await call(orderPage.loader, request(`/orders/${id}`, { cookie: fulfilment }), { orderId: id })).data).toMatchObject({ order: { moves: ["accept", "reject", "request_cancellation"], version: 1 } });
    expect((await call(orderPage.loader, request(`/orders/${id}`, { cookie: sales }), { orderId: id })).data).toMatchObject({ order: { moves: [] } });
    expect((await call(orderPage.action, request(`/orders/${id}`, { cookie: sales, form: { intent: "accept" } }), { orderId: id })).status).toBe(403);

    const accepted = await call(orderPage.action, request(`/orders/${id}`, { cookie: fulfilment, form: { intent: "accept", version: "1" } }), { orderId: id });
    expect(accepted).toMatchObject({ status: 302, location: `/orders/${id}` });
    const missing = await call(orderPage.action, request(`/orders/${id}`, { cookie: fulfilment, form: { intent: "ship", version: "2", carrier: "", trackingReference: "" }, acceptLanguage: "fr" }), { orderId: id });
    expect(missing.status).toBe(422);
    expect((missing.data as Failure).fieldErrors).toEqual({ carrier: ["Indiquez le transporteur."], trackingReference: ["Indiquez la référence de suivi."] });
    expect(await rowOf(id)).toMatchObject({ status: "accepted", version: 2, carrier: null });
    const shipped = await call(orderPage.action, request(`/orders/${id}`, { cookie: fulfilment, form: { intent: "ship", version: "2", carrier: "Geodis", trackingReference: "GD-77" } }), { orderId: id });
    expect(shipped.status).toBe(302);
    expect(await rowOf(id)).toMatchObject({ status: "shipped", version: 3, carrier: "Geodis", tracking_reference: "GD-77" });
    const page = await call(orderPage.loader, request(`/orders/${id}`, { cookie: sales }), { orderId: id });
    expect(page.data).toMatchObject({ order: { carrier: "Geodis", trackingReference: "GD-77", timeline: [{ kind: "placed" }, { kind: "accepted" }, { kind: "shipped" }] } });
    // The buyer confirms delivery, not the seller.
    expect((await call(orderPage.action, request(`/orders/${id}`, { cookie: fulfilment, form: { intent: "confirm_delivery" } }), { orderId: id })).status).toBe(422);
  });

  it("rejects with a reason; answers a buyer's cancellation request", async () => {
    const buyer = await org("buyer", "Omega Retail");
    const seller = await org("seller", "Emballages Sud");
    const owner = await sellerMember(seller, "owner");
    const id = await order(buyer, seller);
    const noReason = await call(orderPage.action, request(`/orders/${id}`, { cookie: owner, form: { intent: "reject", reason: "" } }), { orderId: id });
    expect(noReason.status).toBe(422);
    expect((noReason.data as Failure).fieldErrors.reason).toEqual(["Say why: the other side reads it."]);
    expect(await call(orderPage.action, request(`/orders/${id}`, { cookie: owner, form: { intent: "reject", reason: "Discontinued." } }), { orderId: id })).toMatchObject({ status: 302 });
    expect(await rowOf(id)).toMatchObject({ status: "rejected", reject_reason: "Discontinued." });

    const asked = await order(buyer, seller);
    await db.updateTable("orders").set({ status: "accepted", accepted_at: new Date(), cancellation_requested_by: "buyer", cancellation_requested_at: new Date(), cancellation_reason: "Budget cut." }).where("id", "=", asked).execute();
    expect((await call(orderPage.loader, request(`/orders/${asked}`, { cookie: owner }), { orderId: asked })).data).toMatchObject({ order: { moves: ["consent_cancellation", "decline_cancellation"], cancellation: { requestedBy: "buyer" } } });
    const blocked = await call(orderPage.action, request(`/orders/${asked}`, { cookie: owner, form: { intent: "ship", carrier: "DHL", trackingReference: "1" } }), { orderId: asked });
    expect(blocked.status).toBe(409);
    expect((blocked.data as Failure).formError).toBe("A cancellation request is waiting for an answer: answer it first.");
    expect(await call(orderPage.action, request(`/orders/${asked}`, { cookie: owner, form: { intent: "decline_cancellation", note: "Already packed." } }), { orderId: asked })).toMatchObject({ status: 302 });
    expect(await rowOf(asked)).toMatchObject({ status: "accepted" });
    expect((await call(orderPage.loader, request(`/orders/${asked}`, { cookie: owner }), { orderId: asked })).data).toMatchObject({ order: { cancellation: null, moves: ["ship", "request_cancellation"] } });
  });

  it("a seller never sees nor moves another seller's order (404); the list filters by buyer", async () => {
    const buyerA = await org("buyer", "Buyer A");
    const buyerB = await org("buyer", "Buyer B");
    const mine = await org("seller", "Mine SARL");
    const theirs = await org("seller", "Theirs GmbH");
    const owner = await sellerMember(mine, "owner");
    const a = await order(buyerA, mine);
    const b = await order(buyerB, mine);
    const foreign = await order(buyerA, theirs);

    expect((await call(ordersPage.loader, request("/orders", { cookie: owner }))).data).toMatchObject({ view: { total: 2, counterparties: [{ id: buyerA }, { id: buyerB }] } });
    expect((await call(ordersPage.loader, request(`/orders?counterparty=${buyerB}`, { cookie: owner }))).data).toMatchObject({ view: { total: 1, items: [{ id: b }] } });
    expect((await call(ordersPage.loader, request(`/orders?counterparty=${buyerA}&status=placed`, { cookie: owner }))).data).toMatchObject({ view: { total: 1, items: [{ id: a }] } });
    expect((await call(orderPage.loader, request(`/orders/${foreign}`, { cookie: owner }), { orderId: foreign })).status).toBe(404);
    for (const intent of ["accept", "reject", "ship"]) {
      expect((await call(orderPage.action, request(`/orders/${foreign}`, { cookie: owner, form: { intent, reason: "x", carrier: "x", trackingReference: "x" } }), { orderId: foreign })).status).toBe(404);
    }
    expect(await rowOf(foreign)).toMatchObject({ status: "placed", version: 1 });
  });
});
