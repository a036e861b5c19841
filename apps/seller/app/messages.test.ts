import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createSession, sessionCookieName } from "@souk/auth";
import { createTestDatabase } from "@souk/testing";
import { call, ORIGIN, request, type Failure } from "@souk/ui/testing";

// The app reads its environment once, at import: point it at this file's database first.
const testDb = await createTestDatabase();
const storageDir = await mkdtemp(path.join(tmpdir(), "souk-seller-messages-"));
process.env.DATABASE_URL = testDb.url;
process.env.STORAGE_DIR = storageDir;
process.env.PUBLIC_URL = "http://localhost";
process.env.NODE_ENV = "test";

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
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);

async function org(kind: "buyer" | "seller", name: string) {
  return (await db.insertInto("organizations").values({ kind, name, status: "active" }).returning("id").executeTakeFirstOrThrow()).id;
}

async function sellerMember(organizationId: string, role: "owner" | "sales" | "fulfilment") {
  counter += 1;
  const user = await db.insertInto("users").values({ email: `${role}.${counter}@seller-messages.test`, name: `${role} ${counter}`, password_hash: "x" }).returning("id").executeTakeFirstOrThrow();
  await db.insertInto("memberships").values({ organization_id: organizationId, user_id: user.id, role }).execute();
  const { token } = await createSession(db, { userId: user.id, app: "seller", activeOrganizationId: organizationId, ip: null, userAgent: null });
  return `${sessionCookieName("seller")}=${token}`;
}

async function invitedRfq(buyerId: string, sellerId: string) {
  const category = await db.selectFrom("categories").select("id").where("slug", "=", "packaging-boxes").executeTakeFirstOrThrow();
  const rfq = await db
    .insertInto("rfqs")
    .values({ buyer_id: buyerId, title: "Corrugated boxes", category_id: category.id, currency: "EUR", incoterm: "DAP", delivery_place: "Lyon", deadline: new Date(Date.now() + 86_400_000), status: "open", visibility: "invited", published_at: new Date() })
    .returning("id")
    .executeTakeFirstOrThrow();
  await db.insertInto("rfq_invitations").values({ rfq_id: rfq.id, seller_id: sellerId }).execute();
  return rfq.id;
}

function multipart(path: string, cookie: string, fields: Record<string, string>, file?: File) {
  const body = new FormData();
  for (const [k, v] of Object.entries(fields)) body.set(k, v);
  if (file) body.set("file", file);
  return new Request(`${ORIGIN}${path}`, { method: "POST", headers: new Headers(request(path, { cookie }).headers), body });
}

describe("the seller's messages (no JavaScript)", () => {
  it("asks the buyer about an RFQ it was invited to, with an image; the buyer's answer shows in the badge; another seller gets 404", async () => {
    const buyer = await org("buyer", "Zeta Foods");
    const seller = await org("seller", "Cartonnerie du Rhône");
    const sales = await sellerMember(seller, "sales");
    const fulfilment = await sellerMember(seller, "fulfilment");
    const rfqId = await invitedRfq(buyer, seller);

    expect((await call(newMessage.loader, request(`/messages/new?subjectKind=rfq&subjectId=${rfqId}`, { cookie: sales }))).data).toMatchObject({ start: { subject: { kind: "rfq", counterpartyName: "Zeta Foods" } } });
    const badFile = await call(newMessage.action, multipart("/messages/new", sales, { subjectKind: "rfq", subjectId: rfqId, body: "See photo" }, new File([new Uint8Array([1, 2, 3])], "photo.png")));
    expect(badFile.status).toBe(422);
    expect((badFile.data as Failure).fieldErrors.file).toEqual(["Attach a PDF, PNG, JPEG or WebP file."]);
    const sent = await call(newMessage.action, multipart("/messages/new", sales, { subjectKind: "rfq", subjectId: rfqId, body: "See photo" }, new File([PNG], "photo.png", { type: "image/png" })));
    expect(sent.status).toBe(302);
    const conversationId = sent.location!.split("/").pop()!;

    const c = await db.selectFrom("conversations").select(["buyer_id", "seller_id", "subject_kind"]).where("id", "=", conversationId).executeTakeFirstOrThrow();
    expect(c).toEqual({ buyer_id: buyer, seller_id: seller, subject_kind: "rfq" });
    await db.insertInto("conversation_messages").values({ conversation_id: conversationId, author_side: "buyer", body: "Yes, loose is fine." }).execute();
    const badge = async (cookie: string) => ((await call(root.loader, request("/", { cookie }))).data as { badges?: Record<string, number> }).badges?.messages;
    expect(await badge(sales)).toBe(1);
    // Its own side's messages are never unread, whoever wrote them.
    expect(await badge(fulfilment)).toBe(1);
    expect((await call(list.loader, request("/messages", { cookie: fulfilment }))).data).toMatchObject({ list: { items: [{ id: conversationId, unread: 1 }] } });

    // Fulfilment members write too (every seller role may).
    expect(await call(thread.action, multipart(`/messages/${conversationId}`, fulfilment, { intent: "send", body: "Noted." }), { conversationId })).toMatchObject({ status: 302 });

    const rival = await sellerMember(await org("seller", "Rival Boxes"), "owner");
    expect((await call(thread.loader, request(`/messages/${conversationId}`, { cookie: rival }), { conversationId })).status).toBe(404);
    expect((await call(thread.action, multipart(`/messages/${conversationId}`, rival, { intent: "report", reason: "spam" }), { conversationId })).status).toBe(404);
    // An RFQ it was not invited to: the same 404 as one that does not exist.
    expect((await call(newMessage.loader, request(`/messages/new?subjectKind=rfq&subjectId=${rfqId}`, { cookie: rival }))).status).toBe(404);
    const fileId = (await db.selectFrom("conversation_attachments").select("id").where("conversation_id", "=", conversationId).executeTakeFirstOrThrow()).id;
    const theirs = (await attachment.loader({ request: request(`/messages/${conversationId}/attachments/${fileId}`, { cookie: rival }), params: { conversationId, attachmentId: fileId }, context: {} })) as Response;
    expect(theirs.status).toBe(404);
    const mine = (await attachment.loader({ request: request(`/messages/${conversationId}/attachments/${fileId}`, { cookie: fulfilment }), params: { conversationId, attachmentId: fileId }, context: {} })) as Response;
    expect(mine.status).toBe(200);
    expect(mine.headers.get("content-type")).toBe("image/png");
  });
});
