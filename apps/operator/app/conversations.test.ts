import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createSession, sessionCookieName } from "@souk/auth";
import { createTestDatabase } from "@souk/testing";
import { call, request } from "@souk/ui/testing";

// The app reads its environment once, at import: point it at this file's database first.
const testDb = await createTestDatabase();
const storageDir = await mkdtemp(path.join(tmpdir(), "souk-operator-conversations-"));
process.env.DATABASE_URL = testDb.url;
process.env.PUBLIC_URL = "http://localhost";
process.env.NODE_ENV = "test";
process.env.STORAGE_DIR = storageDir;

const { closeServices } = await import("./services.server");
const { NAVIGATION } = await import("./lib/app");
const listPage = await import("./routes/conversations._index");
const threadPage = await import("./routes/conversations.$conversationId");
const orderThread = await import("./routes/conversations.orders.$orderId");
const attachment = await import("./routes/conversations.$conversationId_.attachments.$attachmentId");
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
  const user = await db.insertInto("users").values({ email: `${role}.${counter}@ops-conversations.test`, name: `${role} ${counter}`, password_hash: "x" }).returning("id").executeTakeFirstOrThrow();
  await db.insertInto("memberships").values({ organization_id: organizationId, user_id: user.id, role }).execute();
  const { token } = await createSession(db, { userId: user.id, app: "operator", activeOrganizationId: organizationId, ip: null, userAgent: null });
  return { cookie: `${sessionCookieName("operator")}=${token}`, userId: user.id };
}

/** An order between the two with a thread of one message each way; disputed when asked. */
async function orderWithThread(buyerId: string, sellerId: string, disputed: boolean) {
  const order = await db.insertInto("orders").values({ buyer_id: buyerId, seller_id: sellerId, currency: "EUR", total_minor: "10000", status: "delivered", delivered_at: new Date(), disputed_at: disputed ? new Date() : null }).returning("id").executeTakeFirstOrThrow();
  await db.insertInto("order_lines").values({ order_id: order.id, seller_id: sellerId, position: 0, description: "Crates", unit: "crate", quantity: 10, unit_price_minor: "1000", line_total_minor: "10000" }).execute();
  const dispute = disputed ? await db.insertInto("disputes").values({ order_id: order.id, buyer_id: buyerId, seller_id: sellerId, reason: "Broken" }).returning("id").executeTakeFirstOrThrow() : null;
  const c = await db.insertInto("conversations").values({ buyer_id: buyerId, seller_id: sellerId, subject_kind: "order", subject_id: order.id }).returning("id").executeTakeFirstOrThrow();
  const m = await db.insertInto("conversation_messages").values({ conversation_id: c.id, author_side: "buyer", body: "Two crates were broken." }).returning("id").executeTakeFirstOrThrow();
  await db.insertInto("conversation_messages").values({ conversation_id: c.id, author_side: "seller", body: "Send photos please." }).execute();
  const file = await db.insertInto("conversation_attachments").values({ conversation_id: c.id, message_id: m.id, original_name: "photo.pdf", content_type: "application/pdf", size_bytes: 4, sha256: "x", storage_key: `conversations/${buyerId}/${crypto.randomUUID().replaceAll("-", "")}` }).returning("id").executeTakeFirstOrThrow();
  return { orderId: order.id, disputeId: dispute?.id ?? null, conversationId: c.id, fileId: file.id };
}

const audits = () => db.selectFrom("audit_log").select(["action", "target_id", "actor_user_id"]).where("action", "=", "conversation.read").orderBy("id").execute();

describe("operator console: conversations", () => {
  it("a moderator lists and reads the disputed order's thread (audited, linked from the dispute); finance and admin get 403; any other thread is a 404", async () => {
    expect(NAVIGATION).toContainEqual({ to: "/conversations", label: "conversationsNav.moderation", permission: "read:conversations:any" });
    const ops = await org("operator", "Souk Ops");
    const moderator = await operatorMember(ops, "moderator");
    const buyer = await org("buyer", "Zeta Foods");
    const seller = await org("seller", "Caisses du Sud");
    const disputed = await orderWithThread(buyer, seller, true);
    const quiet = await orderWithThread(buyer, seller, false);

    const list = await call(listPage.loader, request("/conversations", { cookie: moderator.cookie }));
    expect(list.data).toMatchObject({ list: { total: 1, items: [{ id: disputed.conversationId, buyer: { name: "Zeta Foods" }, seller: { name: "Caisses du Sud" }, dispute: { status: "open" }, reportCount: 0 }] } });
    expect(await audits()).toEqual([]);

    // The dispute page links to the order's thread, which redirects to the (audited) reading.
    expect((await call(disputePage.loader, request(`/disputes/${disputed.disputeId}`, { cookie: moderator.cookie }), { disputeId: disputed.disputeId! })).data).toMatchObject({ orderThread: `/conversations/orders/${disputed.orderId}` });
    expect(await call(orderThread.loader, request(`/conversations/orders/${disputed.orderId}`, { cookie: moderator.cookie }), { orderId: disputed.orderId })).toMatchObject({ status: 302, location: `/conversations/${disputed.conversationId}` });
    const read = await call(threadPage.loader, request(`/conversations/${disputed.conversationId}`, { cookie: moderator.cookie }), { conversationId: disputed.conversationId });
    expect((read.data as { conversation: { messages: { body: string }[] } }).conversation.messages.map((m) => m.body)).toEqual(["Two crates were broken.", "Send photos please."]);
    expect(await audits()).toEqual([{ action: "conversation.read", target_id: disputed.conversationId, actor_user_id: moderator.userId }]);

    // A thread no dispute or report involves does not exist for the moderator; nothing is audited.
    expect((await call(threadPage.loader, request(`/conversations/${quiet.conversationId}`, { cookie: moderator.cookie }), { conversationId: quiet.conversationId })).status).toBe(404);
    expect((await call(orderThread.loader, request(`/conversations/orders/${quiet.orderId}`, { cookie: moderator.cookie }), { orderId: quiet.orderId })).status).toBe(404);
    const quietFile = (await attachment.loader({ request: request(`/conversations/${quiet.conversationId}/attachments/${quiet.fileId}`, { cookie: moderator.cookie }), params: { conversationId: quiet.conversationId, attachmentId: quiet.fileId }, context: {} })) as Response;
    expect(quietFile.status).toBe(404);
    expect(await audits()).toHaveLength(1);

    for (const role of ["finance", "admin"] as const) {
      const other = await operatorMember(ops, role);
      expect((await call(listPage.loader, request("/conversations", { cookie: other.cookie }))).status).toBe(403);
      expect((await call(threadPage.loader, request(`/conversations/${disputed.conversationId}`, { cookie: other.cookie }), { conversationId: disputed.conversationId })).status).toBe(403);
      const file = await call(attachment.loader, request(`/conversations/${disputed.conversationId}/attachments/${disputed.fileId}`, { cookie: other.cookie }), { conversationId: disputed.conversationId, attachmentId: disputed.fileId });
      expect(file.status).toBe(403);
    }
    // Finance resolves disputes but gets no link to the thread.
    const finance = await operatorMember(ops, "finance");
    expect((await call(disputePage.loader, request(`/disputes/${disputed.disputeId}`, { cookie: finance.cookie }), { disputeId: disputed.disputeId! })).data).toMatchObject({ orderThread: null });
    expect(await audits()).toHaveLength(1);
  });
});
