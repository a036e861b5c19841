import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { createSession, sessionCookieName } from "@souk/auth";
import { createTestDatabase } from "@souk/testing";
import { call, request, startAppProcess } from "@souk/ui/testing";

// The app reads its environment once, at import: point it at this file's database first.
const testDb = await createTestDatabase();
const storageDir = await mkdtemp(path.join(tmpdir(), "souk-operator-rfqs-"));
process.env.DATABASE_URL = testDb.url;
process.env.PUBLIC_URL = "http://localhost";
process.env.NODE_ENV = "test";
process.env.STORAGE_DIR = storageDir;

const { closeServices } = await import("./services.server");
const { NAVIGATION } = await import("./lib/app");
const listPage = await import("./routes/rfqs");
const rfqPage = await import("./routes/rfqs_.$rfqId");
const disputePage = await import("./routes/disputes_.$disputeId");
const orderMoneyPage = await import("./routes/ledger_.orders.$orderId");

afterAll(async () => {
  await closeServices();
  await rm(storageDir, { recursive: true, force: true });
});

const { db } = testDb;
let counter = 0;

async function org(kind: "buyer" | "seller" | "operator", name: string) {
  return (await db.insertInto("organizations").values({ kind, name, status: "active" }).returning("id").executeTakeFirstOrThrow()).id;
}

/** A member of `organizationId` with a session of the operator app whose active organisation is that one. */
async function member(organizationId: string, role: string) {
  counter += 1;
  const user = await db.insertInto("users").values({ email: `${role}.${counter}@ops-rfqs.test`, name: `${role} ${counter}`, password_hash: "x" }).returning("id").executeTakeFirstOrThrow();
  await db.insertInto("memberships").values({ organization_id: organizationId, user_id: user.id, role }).execute();
  const { token } = await createSession(db, { userId: user.id, app: "operator", activeOrganizationId: organizationId, ip: null, userAgent: null });
  return { cookie: `${sessionCookieName("operator")}=${token}`, userId: user.id };
}

/** A published sealed RFQ, its deadline a day ahead, with one offer at 8642.97 EUR a box (straight in the tables). */
async function sealedRfq(buyerId: string, sellerId: string, status: "open" | "draft" = "open") {
  const category = await db.selectFrom("categories").select("id").where("slug", "=", "packaging-boxes").executeTakeFirstOrThrow();
  const rfq = await db
    .insertInto("rfqs")
    .values({
      buyer_id: buyerId,
      title: "Double-wall boxes",
      category_id: category.id,
      currency: "EUR",
      incoterm: "DAP",
      delivery_place: "Lyon",
      deadline: new Date(Date.now() + 86_400_000),
      sealing: "sealed",
      status,
      published_at: status === "draft" ? null : new Date(),
      updated_at: new Date(),
    })
    .returning(["id", "number"])
    .executeTakeFirstOrThrow();
  const line = await db.insertInto("rfq_lines").values({ rfq_id: rfq.id, position: 0, description: "Box 40x30", quantity: 100, unit: "box" }).returning("id").executeTakeFirstOrThrow();
  const offer = await db
    .insertInto("offers")
    .values({ rfq_id: rfq.id, seller_id: sellerId, status: "submitted", currency: "EUR", lead_time_days: 5, valid_until: new Date(Date.now() + 30 * 86_400_000), total_minor: "86429700", submitted_at: new Date(), updated_at: new Date() })
    .returning("id")
    .executeTakeFirstOrThrow();
  await db.insertInto("offer_lines").values({ offer_id: offer.id, rfq_id: rfq.id, line_id: line.id, quantity: 100, unit_price_minor: "864297" }).execute();
  return { id: rfq.id, reference: `RFQ-${String(rfq.number).padStart(6, "0")}` };
}

describe("operator console: RFQs", () => {
  it("every operator role lists and reads RFQs (sealed: the count, no price; each reading audited); a session without an operator organisation gets 403; a draft or unknown id 404", async () => {
    expect(NAVIGATION).toContainEqual({ to: "/rfqs", label: "rfqOperator.nav", permission: "read:rfqs:any" });
    const ops = await org("operator", "Souk Ops");
    const buyer = await org("buyer", "Zeta Foods");
    const seller = await org("seller", "Caisses du Sud");
    const rfq = await sealedRfq(buyer, seller);
    const draft = await sealedRfq(buyer, seller, "draft");

    for (const role of ["admin", "moderator", "finance"] as const) {
      const { cookie, userId } = await member(ops, role);
      const list = await call(listPage.loader, request(`/rfqs?buyerId=${buyer}`, { cookie }));
      expect(list.status).toBe(200);
      expect(list.data).toMatchObject({ view: { total: 1, items: [{ id: rfq.id, reference: rfq.reference, buyer: { name: "Zeta Foods" }, offerCount: 1 }] }, filterErrors: {} });
      const page = await call(rfqPage.loader, request(`/rfqs/${rfq.id}`, { cookie }), { rfqId: rfq.id });
      expect(page.status).toBe(200);
      expect(page.data).toMatchObject({ rfq: { id: rfq.id, status: "open", offerCount: 1, offersVisible: false, offers: null } });
      for (const body of [list.data, page.data]) {
        const text = JSON.stringify(body);
        for (const secret of ["864297", "8642.97", "86429700", "Caisses du Sud", seller]) expect(text).not.toContain(secret);
      }
      const audited = await db.selectFrom("audit_log").select(["actor_user_id", "organization_id"]).where("action", "=", "rfq.read").where("actor_user_id", "=", userId).execute();
      expect(audited).toEqual([{ actor_user_id: userId, organization_id: buyer }]);
      expect((await call(rfqPage.loader, request(`/rfqs/${draft.id}`, { cookie }), { rfqId: draft.id })).status).toBe(404);
      expect((await call(rfqPage.loader, request("/rfqs/5b7e2a3c-8a4e-4f0b-9d7c-1e2f3a4b5c6d", { cookie }), { rfqId: "5b7e2a3c-8a4e-4f0b-9d7c-1e2f3a4b5c6d" })).status).toBe(404);
    }

    // A bad filter is shown with its message; the list is still there.
    const { cookie } = await member(ops, "finance");
    const filtered = await call(listPage.loader, request("/rfqs?from=2031-02-30&status=draft", { cookie }));
    expect(filtered.status).toBe(200);
    expect(Object.keys((filtered.data as { filterErrors: Record<string, string[]> }).filterErrors).sort()).toEqual(["from", "status"]);

    // A buyer's member signed in to the operator app has no operator organisation: 403, nothing audited.
    const outsider = await member(buyer, "admin");
    expect((await call(listPage.loader, request("/rfqs", { cookie: outsider.cookie }))).status).toBe(403);
    expect((await call(rfqPage.loader, request(`/rfqs/${rfq.id}`, { cookie: outsider.cookie }), { rfqId: rfq.id })).status).toBe(403);
    expect(await db.selectFrom("audit_log").select("id").where("action", "=", "rfq.read").where("actor_user_id", "=", outsider.userId).execute()).toEqual([]);
    // Signed out: to the sign-in page.
    expect((await call(listPage.loader, request("/rfqs"))).status).toBe(302);
  });

  it("an order that came from an award links to its RFQ from its dispute page and its money page; a catalogue order does not", async () => {
    const ops = await org("operator", "Souk Ops 2");
    const finance = await member(ops, "finance");
    const buyer = await org("buyer", "Kappa Foods");
    const seller = await org("seller", "Emballages Nord");
    const rfq = await sealedRfq(buyer, seller);
    const orderOf = async (rfqId: string | null) => {
      const order = await db
        .insertInto("orders")
        .values({ buyer_id: buyer, seller_id: seller, rfq_id: rfqId, currency: "EUR", total_minor: "10000", status: "delivered", delivered_at: new Date(), disputed_at: new Date() })
        .returning("id")
        .executeTakeFirstOrThrow();
      await db.insertInto("order_lines").values({ order_id: order.id, seller_id: seller, position: 0, description: "Boxes", unit: "box", quantity: 10, unit_price_minor: "1000", line_total_minor: "10000" }).execute();
      const dispute = await db.insertInto("disputes").values({ order_id: order.id, buyer_id: buyer, seller_id: seller, reason: "Crushed" }).returning("id").executeTakeFirstOrThrow();
      return { orderId: order.id, disputeId: dispute.id };
    };
    const awarded = await orderOf(rfq.id);
    const catalogue = await orderOf(null);

    const dispute = await call(disputePage.loader, request(`/disputes/${awarded.disputeId}`, { cookie: finance.cookie }), { disputeId: awarded.disputeId });
    expect(dispute.data).toMatchObject({ rfq: { id: rfq.id, reference: rfq.reference, title: "Double-wall boxes" } });
    const money = await call(orderMoneyPage.loader, request(`/ledger/orders/${awarded.orderId}`, { cookie: finance.cookie }), { orderId: awarded.orderId });
    expect(money.data).toMatchObject({ money: { rfq: { id: rfq.id, reference: rfq.reference } } });
    expect((await call(disputePage.loader, request(`/disputes/${catalogue.disputeId}`, { cookie: finance.cookie }), { disputeId: catalogue.disputeId })).data).toMatchObject({ rfq: null });
    expect((await call(orderMoneyPage.loader, request(`/ledger/orders/${catalogue.orderId}`, { cookie: finance.cookie }), { orderId: catalogue.orderId })).data).toMatchObject({ money: { rfq: null } });
  });

  it("the pages render: the list with its filters, a sealed RFQ without any price, a closed one with its offers per seller; the dispute page links to the RFQ", async () => {
    const ops = await org("operator", "Souk Ops 3");
    const moderator = await member(ops, "moderator");
    const buyer = await org("buyer", "Omega Foods");
    const seller = await org("seller", "Cartons Ouest");
    const sealed = await sealedRfq(buyer, seller);
    const closed = await sealedRfq(buyer, seller);
    await db.updateTable("rfqs").set({ status: "closed", deadline: new Date(Date.now() - 60_000), closed_at: new Date() }).where("id", "=", closed.id).execute();
    await db.updateTable("offers").set({ status: "locked" }).where("rfq_id", "=", closed.id).execute();
    const order = await db.insertInto("orders").values({ buyer_id: buyer, seller_id: seller, rfq_id: closed.id, currency: "EUR", total_minor: "10000", status: "delivered", delivered_at: new Date(), disputed_at: new Date() }).returning("id").executeTakeFirstOrThrow();
    const dispute = await db.insertInto("disputes").values({ order_id: order.id, buyer_id: buyer, seller_id: seller, reason: "Crushed" }).returning("id").executeTakeFirstOrThrow();

    const server = await startAppProcess(fileURLToPath(new URL("..", import.meta.url)), { ...process.env, DATABASE_URL: testDb.url, STORAGE_DIR: storageDir });
    try {
      const page = async (pathname: string) => {
        const response = await fetch(`${server.url}${pathname}`, { redirect: "manual", headers: { cookie: moderator.cookie, "accept-language": "en" } });
        const html = await response.text();
        expect(response.status, `${pathname}\n${server.output().slice(-2000)}`).toBe(200);
        return html;
      };
      const list = await page(`/rfqs?buyerId=${buyer}`);
      expect(list).toContain(`href="/rfqs/${sealed.id}"`);
      expect(list).toContain(`<option value="${buyer}"`);
      expect(list).toContain('href="/rfqs"');
      const sealedHtml = await page(`/rfqs/${sealed.id}`);
      expect(sealedHtml).toContain("1 offer received.");
      expect(sealedHtml).toContain("Sealed bidding");
      for (const secret of ["8,642.97", "8642.97", "Cartons Ouest"]) expect(sealedHtml).not.toContain(secret);
      const closedHtml = await page(`/rfqs/${closed.id}`);
      expect(closedHtml).toContain("Cartons Ouest");
      expect(closedHtml).toContain("€8,642.97");
      expect(await page(`/disputes/${dispute.id}`)).toContain(`href="/rfqs/${closed.id}"`);
    } finally {
      await server.stop();
    }
  }, 120_000);
});
