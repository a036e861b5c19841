import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createSession, sessionCookieName } from "@souk/auth";
import { createTestDatabase } from "@souk/testing";
import { call, ORIGIN, request, type Failure } from "@souk/ui/testing";

// The app reads its environment once, at import: point it at this file's database first.
const testDb = await createTestDatabase();
const storageDir = await mkdtemp(path.join(tmpdir(), "souk-buyer-messages-"));
process.env.DATABASE_URL = testDb.url;
process.env.PUBLIC_URL = "http://localhost";
process.env.NODE_ENV = "test";
process.env.STORAGE_DIR = storageDir;

const { closeServices } = await import("./services.server");
const root = await import("./root");
const list = await import("./routes/messages._index");
const thread = await import("./routes/messages.$conversationId");
const newMessage = await import("./routes/messages.new");
const attachment = await import("./routes/messages.$conversationId_.attachments.$attachmentId");

afterAll(async () => {
  await closeServices();
  await rm(storageDir, { recursive: true, force: true });
});

const { db } = testDb;
let counter = 0;
const PDF = new Uint8Array([...new TextEncoder().encode("%PDF-1.7\n"), 32, 32, 32, 32]);

async function org(kind: "buyer" | "seller", name: string) {
  return (await db.insertInto("organizations").values({ kind, name, status: "active" }).returning("id").executeTakeFirstOrThrow()).id;
}

async function member(organizationId: string, role: string, app: "buyer" | "seller" = "buyer") {
  counter += 1;
  const user = await db.insertInto("users").values({ email: `${role}.${counter}@buyer-messages.test`, name: `${role} ${counter}`, password_hash: "x" }).returning("id").executeTakeFirstOrThrow();
  await db.insertInto("memberships").values({ organization_id: organizationId, user_id: user.id, role }).execute();
  const { token } = await createSession(db, { userId: user.id, app, activeOrganizationId: organizationId, ip: null, userAgent: null });
  return `${sessionCookieName(app)}=${token}`;
}

async function order(buyerId: string, sellerId: string) {
  const row = await db.insertInto("orders").values({ buyer_id: buyerId, seller_id: sellerId, currency: "EUR", total_minor: "12000", lead_time_days: 5 }).returning("id").executeTakeFirstOrThrow();
  return row.id;
}

/** A thread about an order with `n` messages from the seller. */
async function threadWith(buyerId: string, sellerId: string, orderId: string, n: number) {
  const c = await db.insertInto("conversations").values({ buyer_id: buyerId, seller_id: sellerId, subject_kind: "order", subject_id: orderId }).returning("id").executeTakeFirstOrThrow();
  for (let i = 0; i < n; i += 1) await db.insertInto("conversation_messages").values({ conversation_id: c.id, author_side: "seller", body: `Seller message ${i}` }).execute();
  return c.id;
}

function multipart(path: string, cookie: string, fields: Record<string, string>, file?: File) {
  const body = new FormData();
  for (const [k, v] of Object.entries(fields)) body.set(k, v);
  if (file) body.set("file", file);
  return new Request(`${ORIGIN}${path}`, { method: "POST", headers: new Headers(request(path, { cookie }).headers), body });
}

type Layout = { badges?: Record<string, number> };

describe("the buyer's messages (no JavaScript)", () => {
  it("starts a thread from an order, sends a file, shows the unread badge, and a viewer reads without writing", async () => {
    const buyer = await org("buyer", "Zeta Foods");
    const seller = await org("seller", "Cartonnerie du Rhône");
    const purchaser = await member(buyer, "purchaser");
    const viewer = await member(buyer, "viewer");
    const orderId = await order(buyer, seller);

    const start = await call(newMessage.loader, request(`/messages/new?subjectKind=order&subjectId=${orderId}`, { cookie: purchaser }));
    expect(start.data).toMatchObject({ start: { subject: { kind: "order", counterpartyName: "Cartonnerie du Rhône" } } });
    const empty = await call(newMessage.action, multipart("/messages/new", purchaser, { subjectKind: "order", subjectId: orderId, body: " " }));
    expect(empty.status).toBe(422);
    expect((empty.data as Failure).fieldErrors.body).toEqual(["Write a message."]);
    const sent = await call(newMessage.action, multipart("/messages/new", purchaser, { subjectKind: "order", subjectId: orderId, body: "Drawing attached." }, new File([PDF], "drawing.pdf", { type: "application/pdf" })));
    expect(sent.status).toBe(302);
    const conversationId = sent.location!.split("/").pop()!;
    // The link of the order page now goes straight to the thread.
    expect(await call(newMessage.loader, request(`/messages/new?subjectKind=order&subjectId=${orderId}`, { cookie: purchaser }))).toMatchObject({ status: 302, location: `/messages/${conversationId}` });

    const page = await call(thread.loader, request(`/messages/${conversationId}`, { cookie: viewer }), { conversationId });
    const view = (page.data as { conversation: { canWrite: boolean; messages: { body: string; attachments: { id: string }[] }[] } }).conversation;
    expect(view.canWrite).toBe(false);
    expect(view.messages.map((m) => m.body)).toEqual(["Drawing attached."]);
    const fileId = view.messages[0]!.attachments[0]!.id;
    const file = (await attachment.loader({ request: request(`/messages/${conversationId}/attachments/${fileId}`, { cookie: viewer }), params: { conversationId, attachmentId: fileId }, context: {} })) as Response;
    expect(file.status).toBe(200);
    expect(new Uint8Array(await file.arrayBuffer())).toEqual(PDF);
    expect((await call(thread.action, multipart(`/messages/${conversationId}`, viewer, { intent: "send", body: "Hi" }), { conversationId })).status).toBe(403);

    // The seller answers twice: the badge says 2 for the purchaser until it opens the thread.
    await db.insertInto("conversation_messages").values([{ conversation_id: conversationId, author_side: "seller", body: "Thanks" }, { conversation_id: conversationId, author_side: "seller", body: "Shipping Monday" }]).execute();
    const badge = async (cookie: string) => ((await call(root.loader, request("/", { cookie }))).data as Layout).badges?.messages;
    expect(await badge(purchaser)).toBe(2);
    const listed = await call(list.loader, request("/messages", { cookie: purchaser }));
    expect(listed.data).toMatchObject({ list: { items: [{ id: conversationId, unread: 2, counterparty: { name: "Cartonnerie du Rhône" } }], unreadTotal: 2 } });
    await call(thread.loader, request(`/messages/${conversationId}`, { cookie: purchaser }), { conversationId });
    expect(await badge(purchaser)).toBe(0);
    expect(await badge(viewer)).toBe(2);

    const reply = await call(thread.action, multipart(`/messages/${conversationId}`, purchaser, { intent: "send", body: "Monday is fine." }), { conversationId });
    expect(reply).toMatchObject({ status: 302, location: `/messages/${conversationId}` });
    const report = await call(thread.action, multipart(`/messages/${conversationId}`, purchaser, { intent: "report", reason: "" }), { conversationId });
    expect((report.data as Failure).fieldErrors.reason).toEqual(["Say what is wrong with this conversation."]);
  });

  it("another organisation's member gets 404 by URL, by a tampered form and for a file; nothing is written", async () => {
    const buyer = await org("buyer", "Atlas Industrie");
    const seller = await org("seller", "Alpha Packaging");
    const orderId = await order(buyer, seller);
    const conversationId = await threadWith(buyer, seller, orderId, 1);
    await member(buyer, "admin");
    const other = await org("buyer", "Other Buyer");
    const outsider = await member(other, "admin");
    const before = await db.selectFrom("conversation_messages").select((eb) => eb.fn.countAll<string>().as("n")).executeTakeFirstOrThrow();

    expect((await call(thread.loader, request(`/messages/${conversationId}`, { cookie: outsider }), { conversationId })).status).toBe(404);
    expect((await call(thread.action, multipart(`/messages/${conversationId}`, outsider, { intent: "send", body: "Hello" }, new File([PDF], "x.pdf")), { conversationId })).status).toBe(404);
    // A thread id in a hidden field is never read: the new-message form only takes a subject, and another buyer's order is a 404.
    expect((await call(newMessage.action, multipart("/messages/new", outsider, { subjectKind: "order", subjectId: orderId, body: "x", conversationId }))).status).toBe(404);
    expect((await call(newMessage.loader, request(`/messages/new?subjectKind=order&subjectId=${orderId}`, { cookie: outsider }))).status).toBe(404);
    const file = await db.insertInto("conversation_attachments").values({ conversation_id: conversationId, message_id: (await db.selectFrom("conversation_messages").select("id").where("conversation_id", "=", conversationId).executeTakeFirstOrThrow()).id, original_name: "a.pdf", content_type: "application/pdf", size_bytes: 4, sha256: "x", storage_key: `conversations/test/${"a".repeat(32)}` }).returning("id").executeTakeFirstOrThrow();
    const download = (await attachment.loader({ request: request(`/messages/${conversationId}/attachments/${file.id}`, { cookie: outsider }), params: { conversationId, attachmentId: file.id }, context: {} })) as Response;
    expect(download.status).toBe(404);
    expect((await call(list.loader, request("/messages", { cookie: outsider }))).data).toMatchObject({ list: { items: [], unreadTotal: 0 } });
    const after = await db.selectFrom("conversation_messages").select((eb) => eb.fn.countAll<string>().as("n")).executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
    // An organisation without threads: the badge counts nothing.
    expect(((await call(root.loader, request("/", { cookie: outsider }))).data as Layout).badges).toEqual({ messages: 0 });
  });
});
