import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createSession, sessionCookieName } from "@souk/auth";
import { createTestDatabase } from "@souk/testing";
import { call, request, type Failure } from "@souk/ui/testing";

// The app reads its environment once, at import: point it at this file's database first.
const testDb = await createTestDatabase();
const storageDir = await mkdtemp(path.join(tmpdir(), "souk-operator-disputes-"));
process.env.DATABASE_URL = testDb.url;
process.env.PUBLIC_URL = "http://localhost";
process.env.NODE_ENV = "test";
process.env.STORAGE_DIR = storageDir;

const { closeServices } = await import("./services.server");
const { NAVIGATION } = await import("./lib/app");
const disputesPage = await import("./routes/disputes");
const disputePage = await import("./routes/disputes_.$disputeId");

afterAll(async () => {
  await closeServices();
  await rm(storageDir, { recursive: true, force: true });
});

const { db } = testDb;
let counter = 0;

async function org(kind: "buyer" | "seller" | "operator", name: string) {
  return (await db.insertInto("organizations").values({ kind, name, status: "active" }).returning("id").executeTakeFirstOrThrow()).id;
}

async function operatorMember(organizationId: string, role: "admin" | "moderator" | "finance") {
  counter += 1;
  const user = await db.insertInto("users").values({ email: `${role}.${counter}@ops-disputes.test`, name: `${role} ${counter}`, password_hash: "x" }).returning("id").executeTakeFirstOrThrow();
  await db.insertInto("memberships").values({ organization_id: organizationId, user_id: user.id, role }).execute();
  const { token } = await createSession(db, { userId: user.id, app: "operator", activeOrganizationId: organizationId, ip: null, userAgent: null });
  return `${sessionCookieName("operator")}=${token}`;
}

/** A delivered order of 100.00 EUR with an open dispute, straight in the tables. */
async function disputedOrder(buyerId: string, sellerId: string, reason: string) {
  const order = await db
    .insertInto("orders")
    .values({ buyer_id: buyerId, seller_id: sellerId, currency: "EUR", total_minor: "10000", status: "delivered", delivered_at: new Date(), delivery_confirmed_by: "buyer", disputed_at: new Date() })
    .returning("id")
    .executeTakeFirstOrThrow();
  await db.insertInto("order_lines").values({ order_id: order.id, seller_id: sellerId, position: 0, description: "Crates", unit: "crate", quantity: 10, unit_price_minor: "1000", line_total_minor: "10000" }).execute();
  const dispute = await db.insertInto("disputes").values({ order_id: order.id, buyer_id: buyerId, seller_id: sellerId, reason }).returning("id").executeTakeFirstOrThrow();
  return { orderId: order.id, disputeId: dispute.id };
}

describe("operator console: disputes", () => {
  it("lists disputes for the operators who resolve them (moderators release, finance refunds too), and has Disputes in its navigation", async () => {
    expect(NAVIGATION).toContainEqual({ to: "/disputes", label: "disputes.nav", permission: "resolve:disputes:any" });
    const ops = await org("operator", "Souk Ops");
    const moderator = await operatorMember(ops, "moderator");
    const finance = await operatorMember(ops, "finance");
    const buyer = await org("buyer", "Zeta Foods");
    const seller = await org("seller", "Caisses du Sud");
    const { disputeId } = await disputedOrder(buyer, seller, "Crates arrived broken.");

    const list = await call(disputesPage.loader, request("/disputes", { cookie: moderator }));
    expect(list.data).toMatchObject({ view: { total: 1, counts: { open: 1, resolved: 0 }, items: [{ id: disputeId, buyer: { name: "Zeta Foods" }, seller: { name: "Caisses du Sud" }, status: "open" }] }, filterErrors: {} });
    const refused = await call(disputesPage.loader, request("/disputes?status=closed", { cookie: moderator }));
    expect(refused.data).toMatchObject({ filterErrors: { status: [expect.any(String)] }, view: { total: 1 } });
    // A moderator does not read the ledger (no link to the order's money) and may only release: no refund is offered, and one sent anyway is a 403 that changes nothing.
    expect((await call(disputePage.loader, request(`/disputes/${disputeId}`, { cookie: moderator }), { disputeId })).data).toMatchObject({ dispute: { canReadLedger: false, canResolve: true, mayRefund: false } });
    const forged = await call(disputePage.action, request(`/disputes/${disputeId}`, { cookie: moderator, form: { resolution: "full_refund", note: "Refund it all." } }), { disputeId });
    expect(forged.status).toBe(403);
    expect(await db.selectFrom("disputes").select("status").where("id", "=", disputeId).executeTakeFirstOrThrow()).toEqual({ status: "open" });
    // Finance reads disputes and may refund.
    expect((await call(disputesPage.loader, request("/disputes", { cookie: finance }))).data).toMatchObject({ view: { total: 1 } });
    expect((await call(disputePage.loader, request(`/disputes/${disputeId}`, { cookie: finance }), { disputeId })).data).toMatchObject({ dispute: { canReadLedger: true, canResolve: true, mayRefund: true } });
    expect((await call(disputePage.loader, request("/disputes/nope", { cookie: moderator }), { disputeId: "nope" })).status).toBe(404);
  });

  it("resolves a dispute with a partial refund (422 for a missing note or amount, nothing changed), then it reads as resolved", async () => {
    await db.insertInto("commission_rules").values({ scope: "default", currency: "EUR", rate_bps: 1000 }).execute();
    const ops = await org("operator", "Souk Ops 2");
    const admin = await operatorMember(ops, "admin");
    const buyer = await org("buyer", "Omega Retail");
    const seller = await org("seller", "Palettes & Co");
    const { orderId, disputeId } = await disputedOrder(buyer, seller, "Two crates missing.");

    const detail = await call(disputePage.loader, request(`/disputes/${disputeId}`, { cookie: admin }), { disputeId });
    expect(detail.data).toMatchObject({ dispute: { id: disputeId, canResolve: true, canReadLedger: true, settled: false, refundable: { amountMinor: "10000", currency: "EUR" }, order: { id: orderId, lines: [{ description: "Crates" }] } } });

    const noNote = await call(disputePage.action, request(`/disputes/${disputeId}`, { cookie: admin, form: { resolution: "partial_refund", amount: "", note: "" } }), { disputeId });
    expect(noNote.status).toBe(422);
    expect((noNote.data as Failure).fieldErrors).toEqual({ note: ["Explain the decision: both sides read it."], amount: ["Enter the amount to refund."] });
    const tooMuch = await call(disputePage.action, request(`/disputes/${disputeId}`, { cookie: admin, acceptLanguage: "fr", form: { resolution: "partial_refund", amount: "150", note: "Deux caisses" } }), { disputeId });
    expect((tooMuch.data as Failure).fieldErrors.amount).toEqual(["Plus que ce qu'il reste à rembourser sur cette commande."]);
    expect((tooMuch.data as Failure).values.amount).toBe("150");
    expect(await db.selectFrom("disputes").select("status").where("id", "=", disputeId).executeTakeFirstOrThrow()).toEqual({ status: "open" });
    expect(await db.selectFrom("journals").select("id").execute()).toEqual([]);

    const resolved = await call(disputePage.action, request(`/disputes/${disputeId}`, { cookie: admin, form: { resolution: "partial_refund", amount: "20.00", note: "Two of ten crates were missing." } }), { disputeId });
    expect(resolved).toMatchObject({ status: 302, location: `/disputes/${disputeId}` });
    const after = await call(disputePage.loader, request(`/disputes/${disputeId}`, { cookie: admin }), { disputeId });
    expect(after.data).toMatchObject({ dispute: { status: "resolved", resolution: "partial_refund", refund: { amountMinor: "2000" }, canResolve: false, settled: true, refundable: { amountMinor: "8000" } } });
    expect((await db.selectFrom("orders").select("status").where("id", "=", orderId).executeTakeFirstOrThrow()).status).toBe("settled");
    const again = await call(disputePage.action, request(`/disputes/${disputeId}`, { cookie: admin, form: { resolution: "release", note: "Again" } }), { disputeId });
    expect(again.status).toBe(409);
  });
});
