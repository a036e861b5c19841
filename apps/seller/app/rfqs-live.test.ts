import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createSession, sessionCookieName } from "@souk/auth";
import { publishRfqEvent } from "@souk/services";
import { createTestDatabase } from "@souk/testing";
import { call, readEventStream, request, untilListening } from "@souk/ui/testing";

// The app reads its environment once, at import: point it at this file's database first.
const testDb = await createTestDatabase();
const storageDir = await mkdtemp(path.join(tmpdir(), "souk-seller-rfqs-live-"));
process.env.DATABASE_URL = testDb.url;
process.env.STORAGE_DIR = storageDir;
process.env.PUBLIC_URL = "http://localhost";
process.env.NODE_ENV = "test";

const { closeServices, services } = await import("./services.server");
const rfqRoute = await import("./routes/rfqs.$rfqId");
const eventsRoute = await import("./routes/rfqs.$rfqId_.events");

afterAll(async () => {
  await closeServices();
  await rm(storageDir, { recursive: true, force: true });
});

const { db } = testDb;
let counter = 0;

async function category() {
  return (await db.selectFrom("categories").select("id").where("slug", "=", "packaging-boxes").executeTakeFirstOrThrow()).id;
}

/** An active seller organisation with a `sales` member signed in to the seller app. */
async function seller(name: string) {
  counter += 1;
  const org = await db.insertInto("organizations").values({ kind: "seller", name, status: "active" }).returning("id").executeTakeFirstOrThrow();
  await db.insertInto("seller_applications").values({ organization_id: org.id, legal_name: name }).execute();
  await db.insertInto("seller_application_categories").values({ organization_id: org.id, category_id: await category() }).execute();
  const user = await db.insertInto("users").values({ email: `sales.${counter}@seller-rfqs-live.test`, name: `Sales ${counter}`, password_hash: "x" }).returning("id").executeTakeFirstOrThrow();
  await db.insertInto("memberships").values({ organization_id: org.id, user_id: user.id, role: "sales" }).execute();
  const { token } = await createSession(db, { userId: user.id, app: "seller", activeOrganizationId: org.id, ip: null, userAgent: null });
  return { id: org.id, userId: user.id, cookie: `${sessionCookieName("seller")}=${token}` };
}

/** An open RFQ with two lines, closing in a day. */
async function openRfq(sealing: "sealed" | "open") {
  counter += 1;
  const buyer = await db.insertInto("organizations").values({ kind: "buyer", name: `Buyer ${counter}`, status: "active" }).returning("id").executeTakeFirstOrThrow();
  const now = (await db.selectNoFrom((eb) => eb.fn<Date>("clock_timestamp", []).as("now")).executeTakeFirstOrThrow()).now;
  const rfq = await db
    .insertInto("rfqs")
    .values({
      buyer_id: buyer.id,
      title: `Live cartons ${counter}`,
      category_id: await category(),
      currency: "EUR",
      incoterm: "DAP",
      delivery_place: "Lyon",
      deadline: new Date(new Date(now).getTime() + 86_400_000),
      sealing,
      status: "open",
      published_at: now,
      updated_at: now,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const lines = [];
  for (const [position, quantity] of [100, 20].entries()) {
    lines.push((await db.insertInto("rfq_lines").values({ rfq_id: rfq.id, position, description: `Line ${position + 1}`, quantity, unit: "box" }).returning("id").executeTakeFirstOrThrow()).id);
  }
  return { id: rfq.id, lines };
}

async function act(rfq: { id: string }, cookie: string, form: Record<string, string>) {
  const result = await call(rfqRoute.action, request(`/rfqs/${rfq.id}`, { method: "POST", cookie, form }), { rfqId: rfq.id });
  expect(result.status, JSON.stringify(result.data)).toBe(302);
}

const offerFields = (rfq: { lines: string[] }, price: string): Record<string, string> => ({
  intent: "save",
  currency: "EUR",
  "lines.0.lineId": rfq.lines[0]!,
  "lines.0.unitPrice": price,
  "lines.0.quantity": "100",
  "lines.1.lineId": rfq.lines[1]!,
  "lines.1.unitPrice": price,
  "lines.1.quantity": "20",
  leadTimeDays: "12",
  validUntil: "2099-06-30",
  notes: "",
});

/** Connects to the RFQ's stream and collects its frames (`update`, `end`) as they come. */
async function watch(rfqId: string, cookie: string) {
  const controller = new AbortController();
  const base = request(`/rfqs/${rfqId}/events`, { cookie });
  const response = (await eventsRoute.loader({ request: new Request(base, { signal: controller.signal }), params: { rfqId }, context: {} })) as Response;
  expect(response.status).toBe(200);
  return readEventStream(response, controller);
}

/** Waits until the app's LISTEN connection hears events (the first stream opens it). */
function listening() {
  return untilListening(services.rfqEvents.subscribe, (probe) => publishRfqEvent(db, probe, "status"));
}

/** The buyer moves the deadline an hour later and the RFQ's channel says so. */
async function extendDeadline(rfqId: string) {
  const { deadline } = await db.selectFrom("rfqs").select("deadline").where("id", "=", rfqId).executeTakeFirstOrThrow();
  await db
    .updateTable("rfqs")
    .set({ deadline: new Date(new Date(deadline as Date).getTime() + 3_600_000) })
    .where("id", "=", rfqId)
    .execute();
  await publishRfqEvent(db, rfqId, "deadline");
}

/** Long enough for a frame that would come (the stream coalesces within 100 ms). */
const QUIET_MS = 600;

describe("the seller's RFQ live stream", () => {
  it("on a sealed RFQ, a competitor's submission, revision, withdrawal and question send no frame at all", async () => {
    const a = await seller("Alpha Live Sealed");
    const b = await seller("Beta Live Sealed");
    const rfq = await openRfq("sealed");
    await act(rfq, a.cookie, offerFields(rfq, "2.00"));

    const stream = await watch(rfq.id, a.cookie);
    expect(await stream.frameCount(1)).toBe(1);
    await listening();

    await act(rfq, b.cookie, offerFields(rfq, "1.50"));
    await act(rfq, b.cookie, offerFields(rfq, "1.40"));
    await act(rfq, b.cookie, { intent: "withdraw" });
    await act(rfq, b.cookie, { intent: "ask", question: "Is print included?" });
    expect(await stream.frameCount(2, QUIET_MS)).toBe(1);

    // The stream was listening all along: a change A sees (the deadline moved) is sent.
    await extendDeadline(rfq.id);
    expect(await stream.frameCount(2)).toBe(2);
    expect(stream.frames.map((f) => f.event)).toEqual(["update", "update"]);
    expect((stream.frames[1]!.data.rfq as { deadline: string }).deadline).not.toBe((stream.frames[0]!.data.rfq as { deadline: string }).deadline);
    stream.close();
  });

  it("on open bidding, a frame when a competitor's offer moves the seller's rank, none when it does not", async () => {
    const a = await seller("Alpha Live Open");
    const b = await seller("Beta Live Open");
    const rfq = await openRfq("open");
    await act(rfq, a.cookie, offerFields(rfq, "2.00"));

    const stream = await watch(rfq.id, a.cookie);
    expect(await stream.frameCount(1)).toBe(1);
    expect(stream.frames[0]!.data.ranks).toEqual([
      { lineId: rfq.lines[0], rank: 1 },
      { lineId: rfq.lines[1], rank: 1 },
    ]);
    await listening();

    // B undercuts A: A's rank changes, A hears it.
    await act(rfq, b.cookie, offerFields(rfq, "1.50"));
    expect(await stream.frameCount(2)).toBe(2);
    expect(stream.frames[1]!.data.ranks).toEqual([
      { lineId: rfq.lines[0], rank: 2 },
      { lineId: rfq.lines[1], rank: 2 },
    ]);
    // B lowers further: A is still second, nothing to send.
    await act(rfq, b.cookie, offerFields(rfq, "1.40"));
    expect(await stream.frameCount(3, QUIET_MS)).toBe(2);
    // B withdraws: A is first again.
    await act(rfq, b.cookie, { intent: "withdraw" });
    expect(await stream.frameCount(3)).toBe(3);
    expect(stream.frames[2]!.data.ranks).toEqual([
      { lineId: rfq.lines[0], rank: 1 },
      { lineId: rfq.lines[1], rank: 1 },
    ]);
    stream.close();
  });

  it("ends, and sends nothing more, once the member is removed from the organisation or the seller is suspended", async () => {
    const removed = await seller("Alpha Live Removed");
    const suspended = await seller("Beta Live Suspended");
    const rfq = await openRfq("sealed");
    await act(rfq, removed.cookie, offerFields(rfq, "2.00"));
    const removedStream = await watch(rfq.id, removed.cookie);
    const suspendedStream = await watch(rfq.id, suspended.cookie);
    expect(await removedStream.frameCount(1)).toBe(1);
    expect(await suspendedStream.frameCount(1)).toBe(1);
    await listening();

    await db.deleteFrom("memberships").where("user_id", "=", removed.userId).execute();
    await db.updateTable("organizations").set({ status: "suspended" }).where("id", "=", suspended.id).execute();
    // The buyer changes something both would see.
    await extendDeadline(rfq.id);

    for (const stream of [removedStream, suspendedStream]) {
      expect(await stream.frameCount(2)).toBe(2);
      expect(stream.frames.map((f) => f.event)).toEqual(["update", "end"]);
      const start = Date.now();
      while (!stream.done && Date.now() - start < 2_000) await new Promise((r) => setTimeout(r, 10));
      expect(stream.done).toBe(true);
    }
  });
});
