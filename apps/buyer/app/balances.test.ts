import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createSession, sessionCookieName } from "@souk/auth";
import { createTestDatabase } from "@souk/testing";
import { call, request } from "@souk/ui/testing";

// The app reads its environment once, at import: point it at this file's database first.
const testDb = await createTestDatabase();
const storageDir = await mkdtemp(path.join(tmpdir(), "souk-buyer-balances-"));
process.env.DATABASE_URL = testDb.url;
process.env.PUBLIC_URL = "http://localhost";
process.env.NODE_ENV = "test";
process.env.STORAGE_DIR = storageDir;

const { closeServices, services } = await import("./services.server");
const { settleOrder } = await import("@souk/services");
const { NAVIGATION } = await import("./lib/app");
const balancesPage = await import("./routes/balances");

afterAll(async () => {
  await closeServices();
  await rm(storageDir, { recursive: true, force: true });
});

const { db } = testDb;
let counter = 0;

async function org(kind: "buyer" | "seller", name: string) {
  return (await db.insertInto("organizations").values({ kind, name, status: "active" }).returning("id").executeTakeFirstOrThrow()).id;
}

async function member(organizationId: string, role: string, app: "buyer" | "seller" = "buyer") {
  counter += 1;
  const user = await db.insertInto("users").values({ email: `${role}.${counter}@balances.test`, name: `${role} ${counter}`, password_hash: "x" }).returning("id").executeTakeFirstOrThrow();
  await db.insertInto("memberships").values({ organization_id: organizationId, user_id: user.id, role }).execute();
  const { token } = await createSession(db, { userId: user.id, app, activeOrganizationId: organizationId, ip: null, userAgent: null });
  return `${sessionCookieName(app)}=${token}`;
}

/** A delivered order written straight in the tables, settled by the settlement use case. */
async function settledOrder(buyerId: string, sellerId: string, totalMinor: bigint, currency: string) {
  const row = await db
    .insertInto("orders")
    .values({ buyer_id: buyerId, seller_id: sellerId, currency, total_minor: totalMinor, status: "delivered", delivered_at: new Date(), delivery_confirmed_by: "buyer" })
    .returning("id")
    .executeTakeFirstOrThrow();
  await db
    .insertInto("order_lines")
    .values({ order_id: row.id, seller_id: sellerId, position: 0, description: "Crate", unit: "crate", quantity: 1, unit_price_minor: totalMinor, line_total_minor: totalMinor })
    .execute();
  expect(await settleOrder(services, { orderId: row.id })).toMatchObject({ status: "settled" });
}

describe("what the buyer organisation owes", () => {
  it("is in the navigation for those who read orders", () => {
    expect(NAVIGATION).toContainEqual({ to: "/balances", label: "moneyNav.balances", permission: "read:orders:org" });
  });

  it("shows every member what the organisation owes per seller and currency, never another buyer's debts", async () => {
    for (const currency of ["EUR", "USD"]) await db.insertInto("commission_rules").values({ scope: "default", currency, rate_bps: 500 }).execute();
    const zeta = await org("buyer", "Zeta Foods");
    const other = await org("buyer", "Hotel Lumière");
    const alpha = await org("seller", "Atelier Alpha");
    const beta = await org("seller", "Beta Emballages");
    await settledOrder(zeta, alpha, 10_000n, "EUR");
    await settledOrder(zeta, alpha, 2_500n, "EUR");
    await settledOrder(zeta, alpha, 4_000n, "USD");
    await settledOrder(zeta, beta, 700n, "EUR");
    await settledOrder(other, beta, 99_900n, "EUR");

    const viewer = await member(zeta, "viewer");
    const page = await call(balancesPage.loader, request("/balances", { cookie: viewer }));
    expect(page.status).toBe(200);
    expect(page.data).toEqual({
      balances: [
        { seller: { id: alpha, name: "Atelier Alpha" }, currency: "EUR", owed: { amountMinor: "12500", currency: "EUR" } },
        { seller: { id: alpha, name: "Atelier Alpha" }, currency: "USD", owed: { amountMinor: "4000", currency: "USD" } },
        { seller: { id: beta, name: "Beta Emballages" }, currency: "EUR", owed: { amountMinor: "700", currency: "EUR" } },
      ],
    });

    const otherAdmin = await member(other, "admin");
    expect((await call(balancesPage.loader, request("/balances", { cookie: otherAdmin }))).data).toEqual({
      balances: [{ seller: { id: beta, name: "Beta Emballages" }, currency: "EUR", owed: { amountMinor: "99900", currency: "EUR" } }],
    });

    // A buyer with no settled order owes nothing; signed out: to sign-in.
    const fresh = await member(await org("buyer", "Nouvel Acheteur"), "purchaser");
    expect((await call(balancesPage.loader, request("/balances", { cookie: fresh }))).data).toEqual({ balances: [] });
    expect((await call(balancesPage.loader, request("/balances"))).status).toBe(302);
  });
});
