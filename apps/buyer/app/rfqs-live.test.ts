import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createSession, sessionCookieName } from "@souk/auth";
import { publishRfqEvent } from "@souk/services";
import { createTestDatabase } from "@souk/testing";
import { call, readEventStream, request, sessionCookieFrom, untilListening } from "@souk/ui/testing";

// The app reads its environment once, at import: point it at this file's database and storage first.
const testDb = await createTestDatabase();
const storageDir = await mkdtemp(path.join(tmpdir(), "souk-buyer-rfqs-live-"));
process.env.DATABASE_URL = testDb.url;
process.env.PUBLIC_URL = "http://localhost";
process.env.NODE_ENV = "test";
process.env.STORAGE_DIR = storageDir;

const { closeServices, services } = await import("./services.server");
const signUp = await import("./routes/sign-up");
const newRfq = await import("./routes/rfqs.new");
const events = await import("./routes/rfqs.$rfqId_.events");

afterAll(async () => {
  await closeServices();
  await rm(storageDir, { recursive: true, force: true });
});

const { db } = testDb;
let counter = 0;

async function category() {
  return (await db.selectFrom("categories").select("id").where("slug", "=", "packaging-boxes").executeTakeFirstOrThrow()).id;
}

/** A buyer organisation signed up through the app (its admin signed in). */
async function buyer() {
  counter += 1;
  const email = `admin.${counter}@rfq-buyer-live.test`;
  const result = await call(signUp.action, request("/sign-up", { form: { organizationName: `Buyer live ${counter}`, name: "Ada Buyer", email, password: "a long enough passphrase" } }));
  expect(result.status).toBe(302);
  const org = await db.selectFrom("organizations").select("id").where("name", "=", `Buyer live ${counter}`).executeTakeFirstOrThrow();
  return { id: org.id, cookie: sessionCookieFrom(result) as string };
}

/** Another member of `organizationId`, signed in to the buyer app. */
async function member(organizationId: string, role: "viewer" | "purchaser") {
  counter += 1;
  const user = await db.insertInto("users").values({ email: `${role}.${counter}@rfq-buyer-live.test`, name: `${role} ${counter}`, password_hash: "x" }).returning("id").executeTakeFirstOrThrow();
  await db.insertInto("memberships").values({ organization_id: organizationId, user_id: user.id, role }).execute();
  const { token } = await createSession(db, { userId: user.id, app: "buyer", activeOrganizationId: organizationId, ip: null, userAgent: null });
  return { userId: user.id, cookie: `${sessionCookieName("buyer")}=${token}` };
}

async function seller(name: string) {
  const org = await db.insertInto("organizations").values({ kind: "seller", name, status: "active" }).returning("id").executeTakeFirstOrThrow();
  await db.insertInto("seller_applications").values({ organization_id: org.id, legal_name: name, updated_at: new Date() }).execute();
  await db.insertInto("seller_application_categories").values({ organization_id: org.id, category_id: await category() }).execute();
  return org.id;
}

/** Publishes a sealed RFQ through the new page's action. */
async function publish(cookie: string) {
  const form = {
    intent: "publish",
    title: "Kraft boxes live",
    categoryId: await category(),
    currency: "EUR",
    incoterm: "DAP",
    deliveryPlace: "Lyon",
    deadline: new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 16),
    timeZone: "UTC",
    visibility: "open",
    sealing: "sealed",
    lineRows: "1",
    "lines.0.description": "Box 40x30x20",
    "lines.0.quantity": "1000",
    "lines.0.unit": "box",
  };
  const result = await call(newRfq.action, request("/rfqs/new", { form, cookie }));
  expect(result.status, JSON.stringify(result.data)).toBe(302);
  return /^\/rfqs\/([0-9a-f-]{36})$/.exec(result.location ?? "")![1]!;
}

/** A seller's offer written straight in the tables, announced as the services do. */
async function submit(rfqId: string, sellerId: string, unitPriceMinor: number) {
  const line = await db.selectFrom("rfq_lines").select(["id", "quantity"]).where("rfq_id", "=", rfqId).orderBy("position").executeTakeFirstOrThrow();
  const row = await db
    .insertInto("offers")
    .values({
      rfq_id: rfqId,
      seller_id: sellerId,
      status: "submitted",
      currency: "EUR",
      lead_time_days: 7,
      valid_until: new Date(Date.now() + 30 * 86_400_000),
      total_minor: String(line.quantity * unitPriceMinor),
      submitted_at: new Date(),
      updated_at: new Date(),
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await db.insertInto("offer_lines").values({ offer_id: row.id, rfq_id: rfqId, line_id: line.id, quantity: line.quantity, unit_price_minor: String(unitPriceMinor) }).execute();
  await publishRfqEvent(db, rfqId, "offer");
  return row.id;
}

/** A revision: new prices and times on the offer and (as offer writes did) on the RFQ. */
async function revise(rfqId: string, offerId: string, unitPriceMinor: number) {
  const now = new Date();
  await db.updateTable("offer_lines").set({ unit_price_minor: String(unitPriceMinor) }).where("offer_id", "=", offerId).execute();
  await db
    .updateTable("offers")
    .set((eb) => ({ status: "revised", revision: eb("revision", "+", 1), total_minor: String(1000 * unitPriceMinor), updated_at: now }))
    .where("id", "=", offerId)
    .execute();
  await db.updateTable("rfqs").set({ updated_at: now }).where("id", "=", rfqId).execute();
  await publishRfqEvent(db, rfqId, "offer");
}

/** Connects to the RFQ's live board and collects its frames (`update`, `end`) as they come. */
async function watch(rfqId: string, cookie: string) {
  const controller = new AbortController();
  const base = request(`/rfqs/${rfqId}/events`, { cookie });
  const response = (await events.loader({ request: new Request(base.url, { headers: base.headers, signal: controller.signal }), params: { rfqId }, context: {} })) as Response;
  expect(response.status).toBe(200);
  return readEventStream(response, controller);
}

/** Waits until the app's LISTEN connection hears events (the first stream opens it). */
function listening() {
  return untilListening(services.rfqEvents.subscribe, (probe) => publishRfqEvent(db, probe, "status"));
}

/** Long enough for a frame that would come (the stream coalesces within 100 ms). */
const QUIET_MS = 600;

describe("the buyer's RFQ live board", () => {
  it("on a sealed RFQ, a frame when the number of live offers changes, none on a revision", async () => {
    const b = await buyer();
    const rfqId = await publish(b.cookie);
    const alpha = await seller("Alpha Live Board");
    const beta = await seller("Beta Live Board");

    const stream = await watch(rfqId, b.cookie);
    expect(await stream.frameCount(1)).toBe(1);
    expect(stream.frames[0]!.data).toMatchObject({ offerCount: 0, offers: null });
    await listening();

    const offer = await submit(rfqId, alpha, 150);
    expect(await stream.frameCount(2)).toBe(2);
    expect(stream.frames[1]!.data).toMatchObject({ offerCount: 1, offers: null });

    await revise(rfqId, offer, 140);
    await revise(rfqId, offer, 130);
    expect(await stream.frameCount(3, QUIET_MS)).toBe(2);

    await submit(rfqId, beta, 160);
    expect(await stream.frameCount(3)).toBe(3);
    expect(stream.frames[2]!.data).toMatchObject({ offerCount: 2, offers: null });
    for (const frame of stream.frames) expect(JSON.stringify(frame.data)).not.toMatch(/Alpha Live|Beta Live|"13000"|"130"/);
    stream.close();
  });

  it("ends, and sends nothing more, once the member is removed from the organisation", async () => {
    const b = await buyer();
    const rfqId = await publish(b.cookie);
    const viewer = await member(b.id, "viewer");
    const alpha = await seller("Alpha Live Removed");

    const stream = await watch(rfqId, viewer.cookie);
    const kept = await watch(rfqId, b.cookie);
    expect(await stream.frameCount(1)).toBe(1);
    expect(await kept.frameCount(1)).toBe(1);
    await listening();

    await db.deleteFrom("memberships").where("user_id", "=", viewer.userId).execute();
    await submit(rfqId, alpha, 150);
    expect(await stream.frameCount(2)).toBe(2);
    expect(stream.frames.map((f) => f.event)).toEqual(["update", "end"]);
    const start = Date.now();
    while (!stream.done && Date.now() - start < 2_000) await new Promise((r) => setTimeout(r, 10));
    expect(stream.done).toBe(true);
    // The admin still member goes on.
    expect(await kept.frameCount(2)).toBe(2);
    expect(kept.frames[1]).toMatchObject({ event: "update", data: { offerCount: 1 } });
    kept.close();
  });
});
