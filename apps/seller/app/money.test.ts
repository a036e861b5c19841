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
const storageDir = await mkdtemp(path.join(tmpdir(), "souk-seller-money-"));
process.env.DATABASE_URL = testDb.url;
process.env.STORAGE_DIR = storageDir;
process.env.PUBLIC_URL = "http://localhost";
process.env.NODE_ENV = "test";
// The worker's payout cycle, read by the app's env module: the money page announces the next run by it.
process.env.PAYOUT_CYCLE_DAYS = "3";

const { closeServices, services } = await import("./services.server");
const { runPayouts, settleOrder } = await import("@souk/services");
const { NAVIGATION } = await import("./lib/app");
const moneyPage = await import("./routes/money._index");
const settlementsPage = await import("./routes/money.settlements");
const payoutsPage = await import("./routes/payouts._index");
const statementPage = await import("./routes/payouts.$payoutId");
const statementCsv = await import("./routes/payouts.$payoutId_.statement[.csv]");
const statementPdf = await import("./routes/payouts.$payoutId_.statement[.pdf]");
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
  const user = await db.insertInto("users").values({ email: `${role}.${counter}@seller-money.test`, name: `${role} ${counter}`, password_hash: "x" }).returning("id").executeTakeFirstOrThrow();
  await db.insertInto("memberships").values({ organization_id: organizationId, user_id: user.id, role }).execute();
  const { token } = await createSession(db, { userId: user.id, app: "seller", activeOrganizationId: organizationId, ip: null, userAgent: null });
  return `${sessionCookieName("seller")}=${token}`;
}

/** A delivered order written straight in the tables, then settled by the settlement use case. */
async function settledOrder(buyerId: string, sellerId: string, totalMinor: bigint) {
  const row = await db
    .insertInto("orders")
    .values({ buyer_id: buyerId, seller_id: sellerId, currency: "EUR", total_minor: totalMinor, status: "delivered", delivered_at: new Date(), delivery_confirmed_by: "buyer" })
    .returning(["id", "number"])
    .executeTakeFirstOrThrow();
  await db
    .insertInto("order_lines")
    .values({ order_id: row.id, seller_id: sellerId, position: 0, description: "Box 40x30", unit: "box", quantity: 1, unit_price_minor: totalMinor, line_total_minor: totalMinor })
    .execute();
  expect(await settleOrder(services, { orderId: row.id })).toMatchObject({ status: "settled" });
  return row.id;
}

/** A payout run (as the operator's button or the schedule would start it), run at once. */
async function payoutRun() {
  const run = await db.insertInto("payout_runs").values({ trigger: "schedule" }).returning("id").executeTakeFirstOrThrow();
  await runPayouts(services, { runId: run.id });
}

// 10 % + 0.50 EUR, at least 1.00 EUR.
await db.insertInto("commission_rules").values({ scope: "default", currency: "EUR", rate_bps: 1000, fixed_minor: 50n, floor_minor: 100n }).execute();
const buyer = await org("buyer", "Zeta Foods");
const mine = await org("seller", "Cartonnerie du Rhône");
const theirs = await org("seller", "Emballages Sud");
const owner = await sellerMember(mine, "owner");
const sales = await sellerMember(mine, "sales");
const fulfilment = await sellerMember(mine, "fulfilment");
const otherOwner = await sellerMember(theirs, "owner");
const settled = await settledOrder(buyer, mine, 20_000n);
await settledOrder(buyer, theirs, 5_000n);
await payoutRun();
const myPayout = (await db.selectFrom("payouts").select("id").where("seller_id", "=", mine).executeTakeFirstOrThrow()).id;
const theirPayout = (await db.selectFrom("payouts").select("id").where("seller_id", "=", theirs).executeTakeFirstOrThrow()).id;
// Settled after the run: payable at the next one.
await settledOrder(buyer, mine, 1_000n);

describe("the seller's money pages", () => {
  it("are in the navigation for owners only (read:payouts:org)", () => {
    expect(NAVIGATION).toContainEqual({ to: "/money", label: "moneyNav.money", permission: "read:payouts:org" });
  });

  it("show the owner its balance, settled orders with gross / commission / net, payouts and a payout's statement", async () => {
    const money = await call(moneyPage.loader, request("/money", { cookie: owner }));
    expect(money.status).toBe(200);
    // 1,000 settled after the run: 1,000 − (100 + 50) = 850 payable; 20,000 − 2,050 = 17,950 in the pending payout.
    expect(money.data).toMatchObject({
      balance: {
        held: false,
        nextPayoutAt: expect.any(String),
        currencies: [{ currency: "EUR", payable: { amountMinor: "850" }, frozen: { amountMinor: "0" }, available: { amountMinor: "850" }, inPayouts: { amountMinor: "17950" } }],
      },
    });
    // The next run: the last one + PAYOUT_CYCLE_DAYS (3 here), as the worker's schedule counts it.
    const lastRun = await db.selectFrom("payout_runs").select((eb) => eb.fn.max("started_at").as("at")).executeTakeFirstOrThrow();
    expect((money.data as { balance: { nextPayoutAt: string } }).balance.nextPayoutAt).toBe(new Date(new Date(lastRun.at).getTime() + 3 * 86_400_000).toISOString());

    const settlements = await call(settlementsPage.loader, request("/money/settlements", { cookie: owner }));
    expect(settlements.data).toMatchObject({ view: { total: 2 } });
    const rows = (settlements.data as { view: { items: { order: { id: string }; gross: { amountMinor: string }; commission: { amountMinor: string }; net: { amountMinor: string }; refunded: { amountMinor: string }; payout: { id: string } | null }[] } }).view.items;
    expect(rows.find((r) => r.order.id === settled)).toMatchObject({
      gross: { amountMinor: "20000" },
      commission: { amountMinor: "2050" },
      net: { amountMinor: "17950" },
      refunded: { amountMinor: "0" },
      payout: { id: myPayout },
      // The rule as frozen at settlement.
      rule: { scope: "default", currency: "EUR", rateBps: 1000, fixedMinor: "50", floorMinor: "100", capMinor: null },
    });

    // The order's own page carries its money: one service call (getSellerOrder) gives the order and its settlement.
    const order = await call(orderPage.loader, request(`/orders/${settled}`, { cookie: owner }), { orderId: settled });
    expect(order.data).toMatchObject({
      order: { id: settled, money: { settled: true, gross: { amountMinor: "20000" }, commission: { amountMinor: "2050" }, net: { amountMinor: "17950" }, rule: { rateBps: 1000 }, payout: { id: myPayout }, refunds: [] } },
    });
    // Sales members read the order, not the seller's money: the total only.
    const forSales = await call(orderPage.loader, request(`/orders/${settled}`, { cookie: sales }), { orderId: settled });
    expect(forSales.data).toMatchObject({ order: { money: { gross: { amountMinor: "20000" }, commission: null, net: null, rule: null, payout: null } } });

    const payouts = await call(payoutsPage.loader, request("/payouts", { cookie: owner }));
    expect(payouts.data).toMatchObject({ view: { total: 1, items: [{ id: myPayout, status: "pending", amount: { amountMinor: "17950", currency: "EUR" } }] } });

    const statement = await call(statementPage.loader, request(`/payouts/${myPayout}`, { cookie: owner }), { payoutId: myPayout });
    expect(statement.data).toMatchObject({
      statement: { payout: { id: myPayout }, lines: [{ kind: "settlement", order: { id: settled }, gross: { amountMinor: "20000" }, commission: { amountMinor: "2050" }, net: { amountMinor: "17950" } }], totals: { net: { amountMinor: "17950" } } },
    });
  });

  it("downloads the statement as CSV (UTF-8, in the seller's language) and as PDF", async () => {
    const csv = await call(statementCsv.loader, request(`/payouts/${myPayout}/statement.csv`, { cookie: owner, acceptLanguage: "fr" }), { payoutId: myPayout });
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toMatch(/^text\/csv; charset=utf-8/);
    expect(csv.headers.get("content-disposition")).toMatch(/^attachment; filename=".+\.csv"/);
    const csvResponse = await statementCsv.loader({ request: request(`/payouts/${myPayout}/statement.csv`, { cookie: owner, acceptLanguage: "fr" }), params: { payoutId: myPayout }, context: {} });
    const text = await csvResponse.text();
    expect(text).toContain("Écriture,Type,Commande");
    expect(text).toContain("Règlement");
    expect(text).toContain("179.50");

    const pdfResponse = await statementPdf.loader({ request: request(`/payouts/${myPayout}/statement.pdf`, { cookie: owner }), params: { payoutId: myPayout }, context: {} });
    expect(pdfResponse.status).toBe(200);
    expect(pdfResponse.headers.get("content-type")).toBe("application/pdf");
    expect(pdfResponse.headers.get("content-disposition")).toMatch(/^attachment; filename=".+\.pdf"/);
    const bytes = new Uint8Array(await pdfResponse.arrayBuffer());
    expect(new TextDecoder().decode(bytes.slice(0, 5))).toBe("%PDF-");
  });

  it("are closed to sales and fulfilment members (403), and another seller's statement is not found (404)", async () => {
    for (const cookie of [sales, fulfilment]) {
      expect((await call(moneyPage.loader, request("/money", { cookie }))).status).toBe(403);
      expect((await call(settlementsPage.loader, request("/money/settlements", { cookie }))).status).toBe(403);
      expect((await call(payoutsPage.loader, request("/payouts", { cookie }))).status).toBe(403);
      expect((await call(statementPage.loader, request(`/payouts/${myPayout}`, { cookie }), { payoutId: myPayout })).status).toBe(403);
      expect((await call(statementCsv.loader, request(`/payouts/${myPayout}/statement.csv`, { cookie }), { payoutId: myPayout })).status).toBe(403);
      expect((await call(statementPdf.loader, request(`/payouts/${myPayout}/statement.pdf`, { cookie }), { payoutId: myPayout })).status).toBe(403);
    }

    // The other seller's payout, by its id: not found, as a page and as files (no content leaks).
    expect((await call(statementPage.loader, request(`/payouts/${theirPayout}`, { cookie: owner }), { payoutId: theirPayout })).status).toBe(404);
    const foreignCsv = await statementCsv.loader({ request: request(`/payouts/${theirPayout}/statement.csv`, { cookie: owner }), params: { payoutId: theirPayout }, context: {} });
    expect(foreignCsv.status).toBe(404);
    expect(foreignCsv.headers.get("content-type")).toMatch(/^text\/plain/);
    expect(await foreignCsv.text()).not.toContain("Emballages");
    const foreignPdf = await statementPdf.loader({ request: request(`/payouts/${theirPayout}/statement.pdf`, { cookie: owner }), params: { payoutId: theirPayout }, context: {} });
    expect(foreignPdf.status).toBe(404);
    expect((await call(statementPage.loader, request("/payouts/not-an-id", { cookie: owner }), { payoutId: "not-an-id" })).status).toBe(404);

    // And the other seller sees only its own money.
    const theirList = await call(payoutsPage.loader, request("/payouts", { cookie: otherOwner }));
    expect(theirList.data).toMatchObject({ view: { total: 1, items: [{ id: theirPayout }] } });
    const theirSettlements = await call(settlementsPage.loader, request("/money/settlements", { cookie: otherOwner }));
    expect(theirSettlements.data).toMatchObject({ view: { total: 1 } });
    // Signed out: to sign-in.
    expect((await call(moneyPage.loader, request("/money"))).status).toBe(302);
  });

  it("tells a suspended seller that its payouts are held, and still shows its statements", async () => {
    await db.updateTable("organizations").set({ status: "suspended" }).where("id", "=", theirs).execute();
    const money = await call(moneyPage.loader, request("/money", { cookie: otherOwner }));
    expect(money.data).toMatchObject({ balance: { held: true, nextPayoutAt: null } });
    expect((await call(statementPage.loader, request(`/payouts/${theirPayout}`, { cookie: otherOwner }), { payoutId: theirPayout })).status).toBe(200);
  });

  it("render through the real server (server.ts): the rule applied under each commission, and the order page's money", async () => {
    const server = await startAppProcess(fileURLToPath(new URL("..", import.meta.url)), { ...process.env, DATABASE_URL: testDb.url, STORAGE_DIR: storageDir });
    try {
      const page = async (pathname: string, language = "en") => {
        const response = await fetch(`${server.url}${pathname}`, { redirect: "manual", headers: { cookie: owner, "accept-language": language } });
        const html = await response.text();
        expect(response.status, `${pathname}\n${server.output().slice(-2000)}`).toBe(200);
        return html;
      };
      // "10 % + €0.50, at least €1.00": the rule frozen onto each settlement, under its commission.
      const settlements = await page("/money/settlements");
      expect(settlements).toMatch(/10 % \+ €0\.50, at least €1\.00/);
      expect(await page("/money/settlements", "fr")).toMatch(/10 % \+ 0,50\s€, au moins 1,00\s€/);
      const order = await page(`/orders/${settled}`);
      expect(order).toContain("Marketplace commission");
      expect(order).toContain("€20.50");
      expect(order).toMatch(/Rule applied: 10 % \+ €0\.50, at least €1\.00/);
      expect(order).toContain("€179.50");
      expect(order).toContain(`href="/payouts/${myPayout}"`);
    } finally {
      await server.stop();
    }
  }, 120_000);
});
