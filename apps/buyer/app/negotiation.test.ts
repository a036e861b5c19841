import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSession, sessionCookieName } from "@souk/auth";
import { createTestDatabase } from "@souk/testing";
import { translate } from "@souk/ui";
import { call, request, type Failure, type RouteResult } from "@souk/ui/testing";

// The app reads its environment once, at import: point it at this file's database first.
const testDb = await createTestDatabase();
process.env.DATABASE_URL = testDb.url;
process.env.PUBLIC_URL = "http://localhost";
process.env.NODE_ENV = "test";

const { closeServices } = await import("./services.server");
const negotiation = await import("./routes/rfqs.$rfqId_.offers.$offerId");

afterAll(async () => {
  await closeServices();
});

const { db } = testDb;
let counter = 0;

async function categoryId() {
  return (await db.selectFrom("categories").select("id").where("slug", "=", "packaging-boxes").executeTakeFirstOrThrow()).id;
}

async function organization(kind: "buyer" | "seller", name: string) {
  const org = await db.insertInto("organizations").values({ kind, name, status: "active" }).returning("id").executeTakeFirstOrThrow();
  if (kind === "seller") {
    await db.insertInto("seller_applications").values({ organization_id: org.id, legal_name: name }).execute();
    await db.insertInto("seller_application_categories").values({ organization_id: org.id, category_id: await categoryId() }).execute();
  }
  return org.id;
}

/** A member of `organizationId` with `role`, signed in to the buyer app: its cookie. */
async function member(organizationId: string, role: "admin" | "purchaser" | "viewer") {
  counter += 1;
  const user = await db.insertInto("users").values({ email: `${role}.${counter}@buyer-negotiation.test`, name: `${role} ${counter}`, password_hash: "x" }).returning("id").executeTakeFirstOrThrow();
  await db.insertInto("memberships").values({ organization_id: organizationId, user_id: user.id, role }).execute();
  const { token } = await createSession(db, { userId: user.id, app: "buyer", activeOrganizationId: organizationId, ip: null, userAgent: null });
  return `${sessionCookieName("buyer")}=${token}`;
}

/** An RFQ of `buyerId` (two lines: 100 and 20 boxes) with one offer per seller at `price` minor units a box, straight in the tables. */
async function rfqWithOffers(buyerId: string, sellers: string[], options: { status?: "open" | "closed"; sealing?: "sealed" | "open" } = {}) {
  counter += 1;
  const status = options.status ?? "closed";
  const now = new Date((await db.selectNoFrom((eb) => eb.fn<Date>("clock_timestamp", []).as("now")).executeTakeFirstOrThrow()).now);
  const rfq = await db
    .insertInto("rfqs")
    .values({
      buyer_id: buyerId,
      title: `Kraft boxes ${counter}`,
      category_id: await categoryId(),
      currency: "EUR",
      incoterm: "DAP",
      delivery_place: "Lyon",
      deadline: new Date(now.getTime() + (status === "closed" ? -60_000 : 86_400_000)),
      sealing: options.sealing ?? "sealed",
      status,
      published_at: now,
      closed_at: status === "closed" ? now : null,
      updated_at: now,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const lines: string[] = [];
  for (const [position, quantity] of [100, 20].entries()) {
    lines.push((await db.insertInto("rfq_lines").values({ rfq_id: rfq.id, position, description: `Box ${position + 1}`, quantity, unit: "box" }).returning("id").executeTakeFirstOrThrow()).id);
  }
  const offers: string[] = [];
  for (const sellerId of sellers) {
    const offer = await db
      .insertInto("offers")
      .values({
        rfq_id: rfq.id,
        seller_id: sellerId,
        status: status === "closed" ? "locked" : "submitted",
        currency: "EUR",
        lead_time_days: 7,
        valid_until: new Date(Date.now() + 60 * 86_400_000),
        total_minor: String(1000 * 120),
        submitted_at: new Date(),
        updated_at: new Date(),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    for (const [i, lineId] of lines.entries()) {
      await db.insertInto("offer_lines").values({ offer_id: offer.id, rfq_id: rfq.id, line_id: lineId, quantity: i === 0 ? 100 : 20, unit_price_minor: "1000" }).execute();
    }
    offers.push(offer.id);
  }
  return { id: rfq.id, lines, offers };
}

const page = (rfqId: string, offerId: string, cookie: string) => call(negotiation.loader, request(`/rfqs/${rfqId}/offers/${offerId}`, { cookie }), { rfqId, offerId });
const post = (rfqId: string, offerId: string, cookie: string, form: Record<string, string>, acceptLanguage = "en") =>
  call(negotiation.action, request(`/rfqs/${rfqId}/offers/${offerId}`, { cookie, form, acceptLanguage }), { rfqId, offerId });
const flashOf = (result: RouteResult) => result.headers.getSetCookie().find((c) => c.startsWith("souk_flash="))?.split(";")[0]?.slice("souk_flash=".length) ?? null;

function counterFields(rfq: { lines: string[] }, extra: Record<string, string> = {}): Record<string, string> {
  const respondBy = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 16);
  return {
    intent: "counter",
    "lines.0.lineId": rfq.lines[0]!,
    "lines.0.targetUnitPrice": "9.50",
    "lines.0.targetQuantity": "",
    "lines.1.lineId": rfq.lines[1]!,
    "lines.1.targetUnitPrice": "",
    "lines.1.targetQuantity": "",
    respondBy,
    timeZone: "UTC",
    message: "Your price on line 1 is above the others.",
    ...extra,
  };
}

const seeded = {} as { buyer: string; admin: string; viewer: string; outsider: string; sellerA: string; sellerB: string };

beforeAll(async () => {
  seeded.buyer = await organization("buyer", "Acme Purchasing");
  seeded.admin = await member(seeded.buyer, "admin");
  seeded.viewer = await member(seeded.buyer, "viewer");
  const other = await organization("buyer", "Other Buyer");
  seeded.outsider = await member(other, "admin");
  seeded.sellerA = await organization("seller", "Alpha Cartons");
  seeded.sellerB = await organization("seller", "Beta Boxes");
});

describe("the buyer's negotiation page", () => {
  it("shows the offer and the timeline; sends a counter without changing the offer; refuses bad input and a second pending counter", async () => {
    const rfq = await rfqWithOffers(seeded.buyer, [seeded.sellerA, seeded.sellerB]);
    const offerId = rfq.offers[0]!;
    const shown = await page(rfq.id, offerId, seeded.admin);
    expect(shown.status).toBe(200);
    const view = (shown.data as { view: { seller: { name: string }; canCounter: boolean; offer: { revision: number } } }).view;
    expect(view.seller.name).toBe("Alpha Cartons");
    expect(view.canCounter).toBe(true);

    // Bad input: the form again with its messages, in the reader's language, and what was typed.
    const bad = await post(rfq.id, offerId, seeded.admin, counterFields(rfq, { "lines.0.targetUnitPrice": "abc" }), "fr");
    expect(bad.status).toBe(422);
    const failure = bad.data as Failure;
    expect(failure.fieldErrors["lines.0.targetUnitPrice"]).toEqual([translate("fr", "counter.price_invalid")]);
    expect(failure.values["lines.0.targetUnitPrice"]).toBe("abc");
    expect(await db.selectFrom("offer_counters").select("id").execute()).toEqual([]);

    const sent = await post(rfq.id, offerId, seeded.admin, counterFields(rfq));
    expect(sent.status).toBe(302);
    expect(sent.location).toBe(`/rfqs/${rfq.id}/offers/${offerId}#timeline`);
    expect(flashOf(sent)).toBe("flash.negotiation.sent");
    const counters = await db.selectFrom("offer_counters").select(["offer_id", "status", "round", "message"]).execute();
    expect(counters).toEqual([{ offer_id: offerId, status: "pending", round: 1, message: "Your price on line 1 is above the others." }]);
    // Consent: the offer's price has not moved.
    expect((await db.selectFrom("offer_lines").select("unit_price_minor").where("offer_id", "=", offerId).execute()).map((l) => l.unit_price_minor)).toEqual(["1000", "1000"]);

    const again = await post(rfq.id, offerId, seeded.admin, counterFields(rfq));
    expect(again.status).toBe(409);
    expect((again.data as Failure).formError).toBe(translate("en", "counter.pending_exists"));

    const after = (await page(rfq.id, offerId, seeded.admin)).data as { view: { canCounter: boolean; counterBlockedBy: string; timeline: { kind: string }[] } };
    expect(after.view.canCounter).toBe(false);
    expect(after.view.counterBlockedBy).toBe("counter.pending_exists");
    expect(after.view.timeline.map((e) => e.kind)).toEqual(["counter"]);
  });

  it("is NOT_FOUND for another buyer, another RFQ's offer and a sealed RFQ still open; FORBIDDEN to counter for a viewer", async () => {
    const rfq = await rfqWithOffers(seeded.buyer, [seeded.sellerA]);
    const other = await rfqWithOffers(seeded.buyer, [seeded.sellerB]);
    const sealed = await rfqWithOffers(seeded.buyer, [seeded.sellerA], { status: "open", sealing: "sealed" });
    const before = await db.selectFrom("offer_counters").select("id").execute();

    expect((await page(rfq.id, rfq.offers[0]!, seeded.outsider)).status).toBe(404);
    expect((await post(rfq.id, rfq.offers[0]!, seeded.outsider, counterFields(rfq))).status).toBe(404);
    expect((await page(rfq.id, other.offers[0]!, seeded.admin)).status).toBe(404);
    expect((await post(rfq.id, other.offers[0]!, seeded.admin, counterFields(rfq))).status).toBe(404);
    expect((await page(sealed.id, sealed.offers[0]!, seeded.admin)).status).toBe(404);
    expect((await post(sealed.id, sealed.offers[0]!, seeded.admin, counterFields(sealed))).status).toBe(404);
    expect((await page(rfq.id, "not-an-id", seeded.admin)).status).toBe(404);

    // A viewer reads the page, but the counter form is not for it.
    const read = await page(rfq.id, rfq.offers[0]!, seeded.viewer);
    expect(read.status).toBe(200);
    expect((read.data as { view: { canCounter: boolean } }).view.canCounter).toBe(false);
    expect((await post(rfq.id, rfq.offers[0]!, seeded.viewer, counterFields(rfq))).status).toBe(403);
    // No session: sent to sign in.
    expect((await page(rfq.id, rfq.offers[0]!, "")).status).toBe(302);

    expect(await db.selectFrom("offer_counters").select("id").execute()).toEqual(before);
  });

  it("an open RFQ with open bidding takes a counter on a live offer", async () => {
    const live = await rfqWithOffers(seeded.buyer, [seeded.sellerA], { status: "open", sealing: "open" });
    const sent = await post(live.id, live.offers[0]!, seeded.admin, counterFields(live, { "lines.0.targetUnitPrice": "", "lines.1.targetQuantity": "10" }));
    expect(sent.status).toBe(302);
    const lines = await db.selectFrom("offer_counter_lines as l").innerJoin("offer_counters as c", "c.id", "l.counter_id").select(["l.target_quantity", "l.target_unit_price_minor"]).where("c.offer_id", "=", live.offers[0]!).execute();
    expect(lines).toEqual([{ target_quantity: 10, target_unit_price_minor: null }]);
  });
});
