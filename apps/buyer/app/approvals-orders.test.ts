import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createSession, sessionCookieName } from "@souk/auth";
import { createTestDatabase } from "@souk/testing";
import { call, request, type Failure } from "@souk/ui/testing";

// The app reads its environment once, at import: point it at this file's database first.
const testDb = await createTestDatabase();
const storageDir = await mkdtemp(path.join(tmpdir(), "souk-buyer-approvals-"));
process.env.DATABASE_URL = testDb.url;
process.env.PUBLIC_URL = "http://localhost";
process.env.NODE_ENV = "test";
process.env.STORAGE_DIR = storageDir;

const { closeServices } = await import("./services.server");
const { awardRfq } = await import("@souk/services");
const rulesPage = await import("./routes/approval-rules");
const deleteRulePage = await import("./routes/approval-rules_.$ruleId.delete");
const approvalsPage = await import("./routes/approvals._index");
const approvalPage = await import("./routes/approvals.$approvalId");
const ordersPage = await import("./routes/orders._index");
const orderPage = await import("./routes/orders.$orderId");

afterAll(async () => {
  await closeServices();
  await rm(storageDir, { recursive: true, force: true });
});

const { db } = testDb;
let counter = 0;

async function org(kind: "buyer" | "seller", name: string, parentId: string | null = null) {
  return (await db.insertInto("organizations").values({ kind, name, status: "active", parent_id: parentId }).returning("id").executeTakeFirstOrThrow()).id;
}

/** A member of `organizationId` signed in to the buyer app: its cookie and its actor's deps for direct service calls. */
async function member(organizationId: string, role: string) {
  counter += 1;
  const user = await db.insertInto("users").values({ email: `${role}.${counter}@approvals.test`, name: `${role} ${counter}`, password_hash: "x" }).returning("id").executeTakeFirstOrThrow();
  await db.insertInto("memberships").values({ organization_id: organizationId, user_id: user.id, role }).execute();
  const { token } = await createSession(db, { userId: user.id, app: "buyer", activeOrganizationId: organizationId, ip: null, userAgent: null });
  return { userId: user.id, cookie: `${sessionCookieName("buyer")}=${token}` };
}

const hoursFromNow = (hours: number) => new Date(Date.now() + hours * 3600 * 1000);

/** A closed RFQ of `buyerId` with one final offer of `sellerId`: 10 boxes at 25.00. */
async function closedRfq(buyerId: string, sellerId: string) {
  const category = await db.selectFrom("categories").select("id").orderBy("slug").executeTakeFirstOrThrow();
  const rfq = await db
    .insertInto("rfqs")
    .values({ buyer_id: buyerId, title: "Shipping boxes", category_id: category.id, currency: "EUR", incoterm: "DAP", delivery_place: "Lyon", deadline: hoursFromNow(-1), status: "closed" })
    .returning("id")
    .executeTakeFirstOrThrow();
  const line = await db.insertInto("rfq_lines").values({ rfq_id: rfq.id, position: 0, description: "Box 40x30", quantity: 10, unit: "box" }).returning("id").executeTakeFirstOrThrow();
  const offer = await db
    .insertInto("offers")
    .values({ rfq_id: rfq.id, seller_id: sellerId, status: "locked", currency: "EUR", lead_time_days: 3, valid_until: hoursFromNow(24 * 30), total_minor: "25000", submitted_at: hoursFromNow(-24), updated_at: hoursFromNow(-24) })
    .returning("id")
    .executeTakeFirstOrThrow();
  await db.insertInto("offer_lines").values({ offer_id: offer.id, rfq_id: rfq.id, line_id: line.id, quantity: 10, unit_price_minor: "2500" }).execute();
  return { rfqId: rfq.id, offerId: offer.id };
}

function deps(userId: string, organizationId: string, role: "admin" | "purchaser" | "approver") {
  return {
    db,
    publicUrls: { buyer: "http://localhost", seller: "http://seller.localhost", operator: "http://operator.localhost" },
    request: { app: "buyer" as const, ip: null, userAgent: null },
    session: { id: "test", userId },
    actor: { userId, organizationId, organizationKind: "buyer" as const, organizationStatus: "active" as const, role, ip: null },
  } as Parameters<typeof awardRfq>[0];
}

describe("approval rules, approvals and orders pages (no JavaScript)", () => {
  it("the root admin adds a rule (422 with field errors first), deletes it through its confirmation page; a branch admin cannot", async () => {
    const root = await org("buyer", "Atlas Industrie");
    const branch = await org("buyer", "Atlas — Lyon", root);
    const admin = await member(root, "admin");
    const page = await call(rulesPage.loader, request("/approval-rules", { cookie: admin.cookie }));
    expect(page.data).toMatchObject({ view: { canManage: true, rules: [], branches: [{ id: branch, name: "Atlas — Lyon" }] } });

    const refused = await call(rulesPage.action, request("/approval-rules", { cookie: admin.cookie, form: { currency: "EUR", threshold: "10.999", branchId: "", approverRole: "approver" }, acceptLanguage: "fr" }));
    expect(refused.status).toBe(422);
    expect((refused.data as Failure).fieldErrors.threshold?.[0]).toMatch(/décimales/);
    expect((refused.data as Failure).values.threshold).toBe("10.999");
    expect(await db.selectFrom("approval_rules").select("id").execute()).toEqual([]);

    const created = await call(rulesPage.action, request("/approval-rules", { cookie: admin.cookie, form: { currency: "EUR", threshold: "5000", branchId: branch, approverRole: "admin" } }));
    expect(created).toMatchObject({ status: 302, location: "/approval-rules" });
    const { id } = await db.selectFrom("approval_rules").select("id").executeTakeFirstOrThrow();

    const branchAdmin = await member(branch, "admin");
    expect((await call(rulesPage.loader, request("/approval-rules", { cookie: branchAdmin.cookie }))).data).toMatchObject({ view: { canManage: false } });
    expect((await call(rulesPage.action, request("/approval-rules", { cookie: branchAdmin.cookie, form: { currency: "EUR", threshold: "1", approverRole: "admin" } }))).status).toBe(403);
    expect((await call(deleteRulePage.action, request(`/approval-rules/${id}/delete`, { cookie: branchAdmin.cookie, form: {} }), { ruleId: id })).status).toBe(403);
    const purchaser = await member(root, "purchaser");
    expect((await call(rulesPage.loader, request("/approval-rules", { cookie: purchaser.cookie }))).status).toBe(403);

    const confirm = await call(deleteRulePage.loader, request(`/approval-rules/${id}/delete`, { cookie: admin.cookie }), { ruleId: id });
    expect(confirm.data).toMatchObject({ rule: { id, threshold: { amountMinor: "500000", currency: "EUR" }, branch: { id: branch } } });
    expect((await call(deleteRulePage.loader, request("/approval-rules/nope/delete", { cookie: admin.cookie }), { ruleId: "nope" })).status).toBe(404);
    const deleted = await call(deleteRulePage.action, request(`/approval-rules/${id}/delete`, { cookie: admin.cookie, form: {} }), { ruleId: id });
    expect(deleted).toMatchObject({ status: 302, location: "/approval-rules" });
    expect(await db.selectFrom("approval_rules").select("id").execute()).toEqual([]);
  });

  it("an approver rejects (comment required: 422), the buyer awards again, the approver approves; orders show; other buyers get 404", async () => {
    const buyer = await org("buyer", "Zeta Foods");
    const seller = await org("seller", "Cartonnerie du Rhône");
    const purchaser = await member(buyer, "purchaser");
    const approver = await member(buyer, "approver");
    await db.insertInto("approval_rules").values({ buyer_id: buyer, currency: "EUR", threshold_minor: "100", approver_role: "approver" }).execute();
    const { rfqId, offerId } = await closedRfq(buyer, seller);
    const first = await awardRfq(deps(purchaser.userId, buyer, "purchaser"), { rfqId, mode: "whole", offerId, note: "Only one seller." });
    expect(first.status).toBe("pending_approval");

    const list = await call(approvalsPage.loader, request("/approvals", { cookie: approver.cookie }));
    const items = (list.data as { view: { items: { id: string; canDecide: boolean }[] } }).view.items;
    expect(items).toHaveLength(1);
    expect(items[0]!.canDecide).toBe(true);
    const approvalId = items[0]!.id;
    const filtered = await call(approvalsPage.loader, request("/approvals?status=bogus", { cookie: approver.cookie }));
    expect(filtered.data).toMatchObject({ filterErrors: { status: [expect.any(String)] }, view: { total: 1 } });

    const detail = await call(approvalPage.loader, request(`/approvals/${approvalId}`, { cookie: approver.cookie }), { approvalId });
    expect(detail.data).toMatchObject({ approval: { canDecide: true, award: { note: "Only one seller.", total: { amountMinor: "25000" }, sellers: [{ name: "Cartonnerie du Rhône" }] } } });
    // The requester sees it, cannot decide it.
    expect((await call(approvalPage.loader, request(`/approvals/${approvalId}`, { cookie: purchaser.cookie }), { approvalId })).data).toMatchObject({ approval: { canDecide: false, blocker: "approval.own_request" } });
    expect((await call(approvalPage.action, request(`/approvals/${approvalId}`, { cookie: purchaser.cookie, form: { decision: "approve" } }), { approvalId })).status).toBe(403);

    const noComment = await call(approvalPage.action, request(`/approvals/${approvalId}`, { cookie: approver.cookie, form: { decision: "reject", comment: "" } }), { approvalId });
    expect(noComment.status).toBe(422);
    expect((noComment.data as Failure).fieldErrors.comment).toEqual(["Say why you reject it: the requester reads it."]);
    const rejected = await call(approvalPage.action, request(`/approvals/${approvalId}`, { cookie: approver.cookie, form: { decision: "reject", comment: "Ask for a second quote." } }), { approvalId });
    expect(rejected).toMatchObject({ status: 302, location: `/approvals/${approvalId}` });
    const again = await call(approvalPage.action, request(`/approvals/${approvalId}`, { cookie: approver.cookie, form: { decision: "approve" } }), { approvalId });
    expect(again.status).toBe(409);

    const second = await awardRfq(deps(purchaser.userId, buyer, "purchaser"), { rfqId, mode: "whole", offerId });
    const secondApproval = (await db.selectFrom("approvals").select("id").where("subject_id", "=", second.awardId).executeTakeFirstOrThrow()).id;
    const approved = await call(approvalPage.action, request(`/approvals/${secondApproval}`, { cookie: approver.cookie, form: { decision: "approve", comment: "" } }), { approvalId: secondApproval });
    expect(approved.status).toBe(302);

    const orders = await call(ordersPage.loader, request("/orders", { cookie: purchaser.cookie }));
    const orderItems = (orders.data as { view: { items: { id: string; counterparty: { name: string }; total: { amountMinor: string } }[] } }).view.items;
    expect(orderItems).toMatchObject([{ counterparty: { name: "Cartonnerie du Rhône" }, total: { amountMinor: "25000" } }]);
    const orderId = orderItems[0]!.id;
    expect((await call(orderPage.loader, request(`/orders/${orderId}`, { cookie: purchaser.cookie }), { orderId })).data).toMatchObject({ order: { id: orderId, lines: [{ quantity: 10 }] } });

    // Another buyer: the same ids do not exist for it.
    const other = await org("buyer", "Other Buyer");
    const otherApprover = await member(other, "approver");
    const otherAdmin = await member(other, "admin");
    expect((await call(approvalPage.loader, request(`/approvals/${secondApproval}`, { cookie: otherApprover.cookie }), { approvalId: secondApproval })).status).toBe(404);
    expect((await call(approvalPage.action, request(`/approvals/${approvalId}`, { cookie: otherApprover.cookie, form: { decision: "approve" } }), { approvalId })).status).toBe(404);
    expect((await call(orderPage.loader, request(`/orders/${orderId}`, { cookie: otherAdmin.cookie }), { orderId })).status).toBe(404);
    expect((await call(ordersPage.loader, request("/orders", { cookie: otherAdmin.cookie }))).data).toMatchObject({ view: { total: 0 } });
  });
});
