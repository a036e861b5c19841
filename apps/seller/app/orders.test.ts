import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createSession, sessionCookieName } from "@souk/auth";
import { createTestDatabase } from "@souk/testing";
import { call, request } from "@souk/ui/testing";

// The app reads its environment once, at import: point it at this file's database first.
const testDb = await createTestDatabase();
const storageDir = await mkdtemp(path.join(tmpdir(), "souk-seller-orders-"));
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
  const user = await db.insertInto("users").values({ email: `${role}.${counter}@seller-orders.test`, name: `${role} ${counter}`, password_hash: "x" }).returning("id").executeTakeFirstOrThrow();
  await db.insertInto("memberships").values({ organization_id: organizationId, user_id: user.id, role }).execute();
  const { token } = await createSession(db, { userId: user.id, app: "seller", activeOrganizationId: organizationId, ip: null, userAgent: null });
  return `${sessionCookieName("seller")}=${token}`;
}

/** An order written straight in the tables (the award flow is tested in the services). */
async function order(buyerId: string, sellerId: string, totalMinor: string) {
  const row = await db.insertInto("orders").values({ buyer_id: buyerId, seller_id: sellerId, currency: "EUR", total_minor: totalMinor, lead_time_days: 5 }).returning("id").executeTakeFirstOrThrow();
  await db.insertInto("order_lines").values({ order_id: row.id, seller_id: sellerId, position: 0, description: "Box 40x30", unit: "box", quantity: 1, unit_price_minor: totalMinor, line_total_minor: totalMinor }).execute();
  return row.id;
}

describe("the seller's orders pages", () => {
  it("every seller role sees its own orders, never another seller's (404)", async () => {
    const buyer = await org("buyer", "Zeta Foods");
    const mine = await org("seller", "Cartonnerie du Rhône");
    const theirs = await org("seller", "Emballages Sud");
    const own = await order(buyer, mine, "4200");
    const foreign = await order(buyer, theirs, "9900");
    const fulfilment = await sellerMember(mine, "fulfilment");

    const list = await call(ordersPage.loader, request("/orders", { cookie: fulfilment }));
    expect(list.data).toMatchObject({ view: { total: 1, items: [{ id: own, counterparty: { name: "Zeta Foods" }, total: { amountMinor: "4200", currency: "EUR" }, status: "placed" }] } });
    const filtered = await call(ordersPage.loader, request("/orders?status=lost&q=zeta", { cookie: fulfilment }));
    expect(filtered.data).toMatchObject({ filterErrors: { status: [expect.any(String)] }, view: { total: 1 } });

    const detail = await call(orderPage.loader, request(`/orders/${own}`, { cookie: fulfilment }), { orderId: own });
    expect(detail.data).toMatchObject({ order: { id: own, awardNote: null, lines: [{ description: "Box 40x30", quantity: 1 }] } });
    expect((await call(orderPage.loader, request(`/orders/${foreign}`, { cookie: fulfilment }), { orderId: foreign })).status).toBe(404);
    expect((await call(orderPage.loader, request("/orders/not-an-id", { cookie: fulfilment }), { orderId: "not-an-id" })).status).toBe(404);
    // Without a session: to sign-in.
    expect((await call(ordersPage.loader, request("/orders"))).status).toBe(302);
  });
});
