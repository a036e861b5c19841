import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { createSession, sessionCookieName } from "@souk/auth";
import { createTestDatabase } from "@souk/testing";
import { call, request, startAppProcess, type Failure } from "@souk/ui/testing";

// The app reads its environment once, at import: point it at this file's database first.
const testDb = await createTestDatabase();
const storageDir = await mkdtemp(path.join(tmpdir(), "souk-buyer-budgets-"));
process.env.DATABASE_URL = testDb.url;
process.env.PUBLIC_URL = "http://localhost";
process.env.NODE_ENV = "test";
process.env.STORAGE_DIR = storageDir;

const { closeServices } = await import("./services.server");
const { NAVIGATION } = await import("./lib/app");
const budgetsPage = await import("./routes/budgets._index");
const budgetPage = await import("./routes/budgets.$budgetId");
const budgetDeletePage = await import("./routes/budgets.$budgetId_.delete");
const cartPage = await import("./routes/cart");
const comparePage = await import("./routes/rfqs.$rfqId_.compare");
const approvalsPage = await import("./routes/approvals._index");
const approvalPage = await import("./routes/approvals.$approvalId");
const addressesPage = await import("./routes/addresses._index");
const listingPage = await import("./routes/catalogue_.$listingId");

afterAll(async () => {
  await closeServices();
  await rm(storageDir, { recursive: true, force: true });
});

const { db } = testDb;
let counter = 0;

async function org(kind: "buyer" | "seller", name: string, parentId: string | null = null) {
  return (await db.insertInto("organizations").values({ kind, name, status: "active", parent_id: parentId }).returning("id").executeTakeFirstOrThrow()).id;
}

/** A member of `organizationId` signed in to the buyer app: its cookie. */
async function member(organizationId: string, role: string) {
  counter += 1;
  const user = await db.insertInto("users").values({ email: `${role}.${counter}@budgets.test`, name: `${role} ${counter}`, password_hash: "x" }).returning("id").executeTakeFirstOrThrow();
  await db.insertInto("memberships").values({ organization_id: organizationId, user_id: user.id, role }).execute();
  const { token } = await createSession(db, { userId: user.id, app: "buyer", activeOrganizationId: organizationId, ip: null, userAgent: null });
  return { userId: user.id, cookie: `${sessionCookieName("buyer")}=${token}` };
}

async function listing(sellerId: string, sku: string) {
  const category = await db.selectFrom("categories").select("id").where("slug", "=", "packaging-boxes").executeTakeFirstOrThrow();
  const row = await db
    .insertInto("listings")
    .values({ seller_id: sellerId, sku, title: `Box ${sku}`, description: "Double wall.", category_id: category.id, unit: "box", currency: "EUR", list_price_minor: "1000", min_order_quantity: 1, stock: 1000, lead_time_days: 3, status: "published" })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

/** A closed RFQ of `buyerId` with one final offer of `sellerId`: 10 boxes at 25.00 (250.00). */
async function closedRfq(buyerId: string, sellerId: string) {
  const category = await db.selectFrom("categories").select("id").orderBy("slug").executeTakeFirstOrThrow();
  const hours = (h: number) => new Date(Date.now() + h * 3600 * 1000);
  const rfq = await db
    .insertInto("rfqs")
    .values({ buyer_id: buyerId, title: "Shipping boxes", category_id: category.id, currency: "EUR", incoterm: "DAP", delivery_place: "Lyon", deadline: hours(-1), status: "closed" })
    .returning("id")
    .executeTakeFirstOrThrow();
  const line = await db.insertInto("rfq_lines").values({ rfq_id: rfq.id, position: 0, description: "Box 40x30", quantity: 10, unit: "box" }).returning("id").executeTakeFirstOrThrow();
  const offer = await db
    .insertInto("offers")
    .values({ rfq_id: rfq.id, seller_id: sellerId, status: "locked", currency: "EUR", lead_time_days: 3, valid_until: hours(24 * 30), total_minor: "25000", submitted_at: hours(-24), updated_at: hours(-24) })
    .returning("id")
    .executeTakeFirstOrThrow();
  await db.insertInto("offer_lines").values({ offer_id: offer.id, rfq_id: rfq.id, line_id: line.id, quantity: 10, unit_price_minor: "2500" }).execute();
  return { rfqId: rfq.id, offerId: offer.id };
}

const ADDRESS = { label: "Main warehouse", recipient: "Dock 1", line1: "4 quai Perrache", line2: "", postalCode: "69002", city: "Lyon", country: "FR" };

describe("budgets (no JavaScript)", () => {
  it("navigation: budgets for those who manage them", () => {
    expect(NAVIGATION.find((item) => item.to === "/budgets")?.permission).toBe("manage:budgets:org");
  });

  it("the root admin adds a budget (422 in French first), edits it, deletes it through its confirmation page; branch admins, purchasers and other buyers cannot", async () => {
    const root = await org("buyer", "Atlas Industrie");
    const branch = await org("buyer", "Atlas — Lyon", root);
    const admin = await member(root, "admin");
    const buyerInBranch = await member(branch, "purchaser");
    const page = await call(budgetsPage.loader, request("/budgets", { cookie: admin.cookie }));
    expect(page.data).toMatchObject({ view: { budgets: [], organizations: [{ id: root, name: "Atlas Industrie" }, { id: branch, name: "Atlas — Lyon" }] } });
    expect((page.data as { view: { members: { id: string }[] } }).view.members.map((m) => m.id).sort()).toEqual([admin.userId, buyerInBranch.userId].sort());

    const refused = await call(budgetsPage.action, request("/budgets", { cookie: admin.cookie, form: { target: `org:${branch}`, currency: "EUR", amount: "10.999", period: "month", onExceed: "refuse" }, acceptLanguage: "fr" }));
    expect(refused.status).toBe(422);
    expect((refused.data as Failure).fieldErrors.amount?.[0]).toMatch(/décimales/);
    expect((refused.data as Failure).values.amount).toBe("10.999");
    expect(await db.selectFrom("budgets").select("id").execute()).toEqual([]);

    const created = await call(budgetsPage.action, request("/budgets", { cookie: admin.cookie, form: { target: `org:${branch}`, currency: "EUR", amount: "1500", period: "month", onExceed: "refuse" } }));
    expect(created).toMatchObject({ status: 302, location: "/budgets" });
    const { id } = await db.selectFrom("budgets").select("id").executeTakeFirstOrThrow();
    const twin = await call(budgetsPage.action, request("/budgets", { cookie: admin.cookie, form: { target: `org:${branch}`, currency: "EUR", amount: "9", period: "month", onExceed: "approval" } }));
    expect(twin.status).toBe(422);
    expect((twin.data as Failure).fieldErrors.target).toEqual(["There is already a budget for this organisation or member in this currency and period: change that one instead."]);

    expect((await call(budgetPage.loader, request(`/budgets/${id}`, { cookie: admin.cookie }), { budgetId: id })).data).toMatchObject({ budget: { id, amount: { amountMinor: "150000" }, scope: { kind: "organization", id: branch } } });
    const badEdit = await call(budgetPage.action, request(`/budgets/${id}`, { cookie: admin.cookie, form: { currency: "EUR", amount: "0", period: "month", onExceed: "refuse" } }), { budgetId: id });
    expect(badEdit.status).toBe(422);
    expect((badEdit.data as Failure).fieldErrors.amount).toEqual(["The amount must be more than zero."]);
    expect(await call(budgetPage.action, request(`/budgets/${id}`, { cookie: admin.cookie, form: { currency: "EUR", amount: "2000", period: "quarter", onExceed: "approval", budgetId: "tampered" } }), { budgetId: id })).toMatchObject({ status: 302, location: "/budgets" });
    expect(await db.selectFrom("budgets").select(["amount_minor", "period", "on_exceed"]).where("id", "=", id).executeTakeFirstOrThrow()).toEqual({ amount_minor: "200000", period: "quarter", on_exceed: "approval" });

    // Refused to everyone but the root's administrators; another buyer's budget does not exist for it.
    const branchAdmin = await member(branch, "admin");
    // A branch administrator reads the budgets that apply in its branch, and changes nothing.
    expect((await call(budgetsPage.loader, request("/budgets", { cookie: branchAdmin.cookie }))).data).toMatchObject({ view: { canManage: false, budgets: [{ id }] } });
    expect((await call(budgetPage.loader, request(`/budgets/${id}`, { cookie: branchAdmin.cookie }), { budgetId: id })).status).toBe(403);
    expect((await call(budgetsPage.action, request("/budgets", { cookie: branchAdmin.cookie, form: { target: `org:${branch}`, currency: "EUR", amount: "1", period: "month", onExceed: "refuse" } }))).status).toBe(403);
    expect((await call(budgetsPage.loader, request("/budgets", { cookie: buyerInBranch.cookie }))).status).toBe(403);
    const stranger = await member(await org("buyer", "Zeta Foods"), "admin");
    expect((await call(budgetPage.loader, request(`/budgets/${id}`, { cookie: stranger.cookie }), { budgetId: id })).status).toBe(404);
    expect((await call(budgetPage.action, request(`/budgets/${id}`, { cookie: stranger.cookie, form: { currency: "EUR", amount: "1", period: "month", onExceed: "refuse" } }), { budgetId: id })).status).toBe(404);
    expect((await call(budgetDeletePage.action, request(`/budgets/${id}/delete`, { cookie: stranger.cookie, form: {} }), { budgetId: id })).status).toBe(404);
    const strangerTarget = await call(budgetsPage.action, request("/budgets", { cookie: stranger.cookie, form: { target: `org:${branch}`, currency: "EUR", amount: "1", period: "month", onExceed: "refuse" } }));
    expect(strangerTarget.status).toBe(422);
    expect(await db.selectFrom("budgets").select("amount_minor").execute()).toEqual([{ amount_minor: "200000" }]);

    expect((await call(budgetDeletePage.loader, request(`/budgets/${id}/delete`, { cookie: admin.cookie }), { budgetId: id })).data).toMatchObject({ budget: { id } });
    expect(await call(budgetDeletePage.action, request(`/budgets/${id}/delete`, { cookie: admin.cookie, form: {} }), { budgetId: id })).toMatchObject({ status: 302, location: "/budgets" });
    expect(await db.selectFrom("budgets").select("id").execute()).toEqual([]);
  });

  it("the cart shows the budgets before checkout; a checkout beyond a refusing budget is a 409 that keeps the cart; the award form shows them too", async () => {
    const buyer = await org("buyer", "Omega Supplies");
    const seller = await org("seller", "Cartonnerie du Rhône");
    const admin = await member(buyer, "admin");
    const purchaser = await member(buyer, "purchaser");
    const boxes = await listing(seller, "BG-1");
    await call(budgetsPage.action, request("/budgets", { cookie: admin.cookie, form: { target: `org:${buyer}`, currency: "EUR", amount: "150", period: "month", onExceed: "refuse" } }));
    await call(addressesPage.action, request("/addresses", { cookie: purchaser.cookie, form: { intent: "create", ...ADDRESS } }));
    const addressId = (await db.selectFrom("organization_addresses").select("id").where("organization_id", "=", buyer).executeTakeFirstOrThrow()).id;
    await call(listingPage.action, request(`/catalogue/${boxes}`, { cookie: purchaser.cookie, form: { intent: "addToCart", listingId: boxes, quantity: "20" } }), { listingId: boxes });

    const cart = await call(cartPage.loader, request("/cart", { cookie: purchaser.cookie }));
    // Per checkout, the budget service's own verdicts for its total (the page renders them, computes none).
    expect(cart.data).toMatchObject({
      cart: { groups: [{ currency: "EUR", total: { amountMinor: "20000" } }] },
      budgets: { EUR: { verdict: "refuse", budgets: [{ amount: { amountMinor: "15000" }, spent: { amountMinor: "0" }, committed: { amountMinor: "0" }, remaining: { amountMinor: "15000" }, onExceed: "refuse", verdict: "refuse" }] } },
    });

    const refused = await call(cartPage.action, request("/cart", { cookie: purchaser.cookie, form: { intent: "checkout", currency: "EUR", addressId } }));
    expect(refused.status).toBe(409);
    expect((refused.data as Failure).formError).toBe("This goes beyond a budget that refuses it: lower the amount, or ask an administrator to raise the budget.");
    expect(await db.selectFrom("purchases").select("id").where("buyer_id", "=", buyer).execute()).toEqual([]);
    expect(await db.selectFrom("cart_lines").select("quantity").where("buyer_id", "=", buyer).execute()).toEqual([{ quantity: 20 }]);

    const { rfqId, offerId } = await closedRfq(buyer, seller);
    const compare = await call(comparePage.loader, request(`/rfqs/${rfqId}/compare`, { cookie: purchaser.cookie }), { rfqId });
    expect(compare.data).toMatchObject({ budgets: [{ remaining: { amountMinor: "15000" } }], offerBudgetVerdicts: { [offerId]: "refuse" } });
    // The comparison's own refusal comes first: another buyer's RFQ is a 404 (not a budget answer).
    const stranger = await member(await org("buyer", "Stranger Buyer"), "purchaser");
    expect((await call(comparePage.loader, request(`/rfqs/${rfqId}/compare`, { cookie: stranger.cookie }), { rfqId })).status).toBe(404);
  });

  it("two-level chain through the pages: level 1 approved, level 2 for another member only; pages render the budgets, the status and the levels", async () => {
    const buyer = await org("buyer", "Sigma Render");
    const seller = await org("seller", "Render Seller");
    const admin = await member(buyer, "admin");
    const purchaser = await member(buyer, "purchaser");
    const lead = await member(buyer, "approver");
    const secondLead = await member(buyer, "approver");
    await db.insertInto("approval_rules").values({ buyer_id: buyer, currency: "EUR", threshold_minor: "100", approver_role: "approver" }).execute();
    await db.insertInto("approval_rules").values({ buyer_id: buyer, currency: "EUR", threshold_minor: "200", approver_role: "approver" }).execute();
    await call(budgetsPage.action, request("/budgets", { cookie: admin.cookie, form: { target: `user:${purchaser.userId}`, currency: "EUR", amount: "100", period: "month", onExceed: "approval" } }));
    const { rfqId, offerId } = await closedRfq(buyer, seller);
    const awarded = await call(comparePage.action, request(`/rfqs/${rfqId}/compare`, { cookie: purchaser.cookie, form: { mode: "whole", offerId } }), { rfqId });
    expect(awarded.status).toBe(302);

    const list = await call(approvalsPage.loader, request("/approvals", { cookie: lead.cookie }));
    const [first] = (list.data as { view: { items: { id: string; level: number; levels: number; reason: string }[] } }).view.items;
    expect(first).toMatchObject({ level: 1, levels: 2, reason: "budget" });
    const decided = await call(approvalPage.action, request(`/approvals/${first!.id}`, { cookie: lead.cookie, form: { decision: "approve" } }), { approvalId: first!.id });
    expect(decided).toMatchObject({ status: 302, location: `/approvals/${first!.id}` });
    const second = (await db.selectFrom("approvals").select("id").where("level", "=", 2).where("buyer_id", "=", buyer).executeTakeFirstOrThrow()).id;
    expect((await call(approvalPage.loader, request(`/approvals/${second}`, { cookie: lead.cookie }), { approvalId: second })).data).toMatchObject({ approval: { canDecide: false, blocker: "approval.decided_first_level" } });
    expect((await call(approvalPage.action, request(`/approvals/${second}`, { cookie: lead.cookie, form: { decision: "approve" } }), { approvalId: second })).status).toBe(403);

    const server = await startAppProcess(fileURLToPath(new URL("..", import.meta.url)), { ...process.env, DATABASE_URL: testDb.url, STORAGE_DIR: storageDir });
    try {
      const page = async (pathname: string, cookie: string, language = "en") => {
        const response = await fetch(`${server.url}${pathname}`, { redirect: "manual", headers: { cookie, "accept-language": language } });
        const html = await response.text();
        expect(response.status, `${pathname}\n${server.output().slice(-2000)}`).toBe(200);
        return html;
      };
      const budgetsHtml = await page("/budgets", admin.cookie);
      expect(budgetsHtml).toContain("Month (UTC)");
      expect(budgetsHtml).toContain("Add the budget");
      expect(await page("/budgets", admin.cookie, "fr")).toContain("Mois (UTC)");
      const budgetId = (await db.selectFrom("budgets").select("id").where("buyer_id", "=", buyer).executeTakeFirstOrThrow()).id;
      expect(await page(`/budgets/${budgetId}`, admin.cookie)).toContain("Save the budget");
      expect(await page(`/budgets/${budgetId}/delete`, admin.cookie)).toContain("Delete the budget");
      // The waiting award counts as committed (250.00 of a 100.00 budget).
      const level2Html = await page(`/approvals/${second}`, secondLead.cookie);
      expect(level2Html).toContain("Level 2 of 2");
      expect(level2Html).toContain("Over budget");
      expect(level2Html).toContain("Approval chain");
      expect(await page(`/approvals/${second}`, lead.cookie)).toContain("You approved the first level: another member decides the second.");
      expect(await page("/approvals", secondLead.cookie, "fr")).toContain("Niveau 2 sur 2");
      const listingId = await listing(seller, "BG-R");
      await call(listingPage.action, request(`/catalogue/${listingId}`, { cookie: purchaser.cookie, form: { intent: "addToCart", listingId, quantity: "1" } }), { listingId });
      const other = await closedRfq(buyer, seller);
      const compareHtml = await page(`/rfqs/${other.rfqId}/compare`, purchaser.cookie);
      expect(compareHtml).toContain("Awarding a whole offer");
      expect(compareHtml).toContain("Render Seller, whole offer");
      const cartHtml = await page("/cart", purchaser.cookie);
      expect(cartHtml).toContain("Budgets that apply");
      expect(cartHtml).toContain("Needs approval");
    } finally {
      await server.stop();
    }
  }, 120_000);
});
