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
const negotiation = await import("./routes/rfqs.$rfqId_.negotiation");

afterAll(async () => {
  await closeServices();
});

const { db } = testDb;
let counter = 0;
const DAY = 86_400_000;

async function categoryId() {
  return (await db.selectFrom("categories").select("id").where("slug", "=", "packaging-boxes").executeTakeFirstOrThrow()).id;
}

async function clock(): Promise<Date> {
  return new Date((await db.selectNoFrom((eb) => eb.fn<Date>("clock_timestamp", []).as("now")).executeTakeFirstOrThrow()).now);
}

/** A seller organisation with members signed in to the seller app, by role: their cookies. */
async function seller(name: string) {
  const org = await db.insertInto("organizations").values({ kind: "seller", name, status: "active" }).returning("id").executeTakeFirstOrThrow();
  await db.insertInto("seller_applications").values({ organization_id: org.id, legal_name: name }).execute();
  await db.insertInto("seller_application_categories").values({ organization_id: org.id, category_id: await categoryId() }).execute();
  const cookies = {} as Record<"owner" | "sales" | "fulfilment", string>;
  for (const role of ["owner", "sales", "fulfilment"] as const) {
    counter += 1;
    const user = await db.insertInto("users").values({ email: `${role}.${counter}@seller-negotiation.test`, name: `${role} ${counter}`, password_hash: "x" }).returning("id").executeTakeFirstOrThrow();
    await db.insertInto("memberships").values({ organization_id: org.id, user_id: user.id, role }).execute();
    const { token } = await createSession(db, { userId: user.id, app: "seller", activeOrganizationId: org.id, ip: null, userAgent: null });
    cookies[role] = `${sessionCookieName("seller")}=${token}`;
  }
  return { id: org.id, ...cookies };
}

/** A closed RFQ (lines of 100 and 20 boxes) with a locked offer per seller at 10.00 a box, straight in the tables. */
async function closedRfq(buyerId: string, sellers: string[]) {
  counter += 1;
  const now = await clock();
  const rfq = await db
    .insertInto("rfqs")
    .values({
      buyer_id: buyerId,
      title: `Cartons ${counter}`,
      category_id: await categoryId(),
      currency: "EUR",
      incoterm: "DAP",
      delivery_place: "Lyon",
      deadline: new Date(now.getTime() - 60_000),
      sealing: "sealed",
      status: "closed",
      published_at: now,
      closed_at: now,
      updated_at: now,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const lines: string[] = [];
  for (const [position, quantity] of [100, 20].entries()) {
    lines.push((await db.insertInto("rfq_lines").values({ rfq_id: rfq.id, position, description: `Carton ${position + 1}`, quantity, unit: "box" }).returning("id").executeTakeFirstOrThrow()).id);
  }
  const offers: string[] = [];
  for (const sellerId of sellers) {
    const offer = await db
      .insertInto("offers")
      .values({ rfq_id: rfq.id, seller_id: sellerId, status: "locked", currency: "EUR", lead_time_days: 7, valid_until: new Date(now.getTime() + 60 * DAY), total_minor: "120000", submitted_at: now, updated_at: now })
      .returning("id")
      .executeTakeFirstOrThrow();
    for (const [i, lineId] of lines.entries()) await db.insertInto("offer_lines").values({ offer_id: offer.id, rfq_id: rfq.id, line_id: lineId, quantity: i === 0 ? 100 : 20, unit_price_minor: "1000" }).execute();
    offers.push(offer.id);
  }
  return { id: rfq.id, lines, offers, buyerId };
}

/** A counter of the buyer on `offerId`: line 1 at 9.00, answer within `respondInMs` of the database clock (negative: already lapsed). */
async function counterOn(rfq: { id: string; lines: string[]; buyerId: string }, offerId: string, sellerId: string, respondInMs = DAY) {
  const now = await clock();
  const round = ((await db.selectFrom("offer_counters").select("round").where("offer_id", "=", offerId).orderBy("round", "desc").executeTakeFirst())?.round ?? 0) + 1;
  const created = new Date(Math.min(now.getTime(), now.getTime() + respondInMs) - 60_000);
  const row = await db
    .insertInto("offer_counters")
    .values({ rfq_id: rfq.id, offer_id: offerId, seller_id: sellerId, buyer_id: rfq.buyerId, round, message: "Better on line 1?", respond_by: new Date(now.getTime() + respondInMs), offer_revision: 1, created_at: created })
    .returning("id")
    .executeTakeFirstOrThrow();
  await db.insertInto("offer_counter_lines").values({ counter_id: row.id, rfq_id: rfq.id, line_id: rfq.lines[0]!, previous_unit_price_minor: "1000", previous_quantity: 100, target_unit_price_minor: "900", target_quantity: null }).execute();
  return row.id;
}

const page = (rfqId: string, cookie: string) => call(negotiation.loader, request(`/rfqs/${rfqId}/negotiation`, { cookie }), { rfqId });
const post = (rfqId: string, cookie: string, form: Record<string, string>, acceptLanguage = "en") => call(negotiation.action, request(`/rfqs/${rfqId}/negotiation`, { cookie, form, acceptLanguage }), { rfqId });
const flashOf = (result: RouteResult) => result.headers.getSetCookie().find((c) => c.startsWith("souk_flash="))?.split(";")[0]?.slice("souk_flash=".length) ?? null;
const linesOf = async (offerId: string) => (await db.selectFrom("offer_lines").select(["unit_price_minor", "quantity"]).where("offer_id", "=", offerId).orderBy("quantity", "desc").execute()).map((l) => [l.unit_price_minor, l.quantity]);

const seeded = {} as { buyer: string; a: Awaited<ReturnType<typeof seller>>; b: Awaited<ReturnType<typeof seller>> };

beforeAll(async () => {
  seeded.buyer = (await db.insertInto("organizations").values({ kind: "buyer", name: "Acme Purchasing", status: "active" }).returning("id").executeTakeFirstOrThrow()).id;
  seeded.a = await seller("Alpha Cartons");
  seeded.b = await seller("Beta Boxes");
});

describe("the seller's negotiation page", () => {
  it("shows its own counters only; answers are the seller's consent; another seller's counter id is a field error (422), like an unknown one", async () => {
    const rfq = await closedRfq(seeded.buyer, [seeded.a.id, seeded.b.id]);
    const [offerA, offerB] = rfq.offers as [string, string];
    const counterId = await counterOn(rfq, offerA, seeded.a.id);

    const mine = await page(rfq.id, seeded.a.sales);
    expect(mine.status).toBe(200);
    const view = (mine.data as { view: { counters: { id: string; status: string }[]; canAnswer: boolean } }).view;
    expect(view.counters.map((c) => [c.id, c.status])).toEqual([[counterId, "pending"]]);
    expect(view.canAnswer).toBe(true);
    const theirs = await page(rfq.id, seeded.b.sales);
    expect(theirs.status).toBe(200);
    expect((theirs.data as { view: { counters: unknown[] } }).view.counters).toEqual([]);
    expect(JSON.stringify(theirs.data)).not.toContain(counterId);
    expect(JSON.stringify(theirs.data)).not.toContain(offerA);

    // Seller B posts an answer with A's counter id (form tampering): the same field error as an
    // unknown counter (a form field, not the URL), nothing of A's counter in it, and nothing moves.
    for (const intent of ["accept", "decline", "revise"]) {
      const tampered = await post(rfq.id, seeded.b.owner, { intent, counterId, reason: "No.", "lines.0.lineId": rfq.lines[0]!, "lines.0.unitPrice": "1", "lines.0.quantity": "100" });
      const unknown = await post(rfq.id, seeded.b.owner, { intent, counterId: "5b7e2a3c-8a4e-4f0b-9d7c-1e2f3a4b5c6d", reason: "No.", "lines.0.lineId": rfq.lines[0]!, "lines.0.unitPrice": "1", "lines.0.quantity": "100" });
      expect(tampered.status).toBe(422);
      expect((tampered.data as { fieldErrors: Record<string, string[]> }).fieldErrors).toEqual({ counterId: ["This counter-proposal is not one of yours (or no longer exists)."] });
      expect((unknown.data as { fieldErrors: unknown }).fieldErrors).toEqual((tampered.data as { fieldErrors: unknown }).fieldErrors);
    }
    expect(await linesOf(offerA)).toEqual([["1000", 100], ["1000", 20]]);
    expect(await linesOf(offerB)).toEqual([["1000", 100], ["1000", 20]]);
    expect(await db.selectFrom("offer_counters").select("status").where("id", "=", counterId).executeTakeFirstOrThrow()).toEqual({ status: "pending" });

    // Fulfilment members read, but may not answer.
    expect((await post(rfq.id, seeded.a.fulfilment, { intent: "accept", counterId })).status).toBe(403);

    // A decline needs its reason (in the reader's language).
    const noReason = await post(rfq.id, seeded.a.sales, { intent: "decline", counterId, reason: "" }, "fr");
    expect(noReason.status).toBe(422);
    expect((noReason.data as Failure).fieldErrors.reason).toEqual([translate("fr", "counter.reason_required")]);

    const accepted = await post(rfq.id, seeded.a.sales, { intent: "accept", counterId });
    expect(accepted.status).toBe(302);
    expect(accepted.location).toBe(`/rfqs/${rfq.id}/negotiation#timeline`);
    expect(flashOf(accepted)).toBe("flash.negotiation.accepted");
    expect(await linesOf(offerA)).toEqual([["900", 100], ["1000", 20]]);
    expect(await linesOf(offerB)).toEqual([["1000", 100], ["1000", 20]]);
    const after = (await page(rfq.id, seeded.a.sales)).data as { view: { offer: { revision: number; status: string }; timeline: { kind: string }[] } };
    expect(after.view.offer).toMatchObject({ revision: 2, status: "locked" });
    expect(after.view.timeline.map((e) => e.kind)).toEqual(["counter", "receipt"]);
  });

  it("refuses an answer after the deadline (409, nothing changes) and takes a revision with field errors when wrong", async () => {
    const rfq = await closedRfq(seeded.buyer, [seeded.a.id]);
    const offerId = rfq.offers[0]!;
    const lapsed = await counterOn(rfq, offerId, seeded.a.id, -1_000);
    const late = await post(rfq.id, seeded.a.owner, { intent: "accept", counterId: lapsed });
    expect(late.status).toBe(409);
    expect((late.data as Failure).formError).toBe(translate("en", "counter.expired"));
    expect(await linesOf(offerId)).toEqual([["1000", 100], ["1000", 20]]);
    expect((await page(rfq.id, seeded.a.owner)).data).toMatchObject({ view: { counters: [{ id: lapsed, status: "expired" }] } });

    // The buyer's next counter marks the lapsed one expired first (as sendCounter does under its lock).
    await db.updateTable("offer_counters").set({ status: "expired" }).where("id", "=", lapsed).execute();
    const live = await counterOn(rfq, offerId, seeded.a.id);
    const fields = (price0: string, quantity1: string) => ({
      intent: "revise",
      counterId: live,
      "lines.0.lineId": rfq.lines[0]!,
      "lines.0.unitPrice": price0,
      "lines.0.quantity": "100",
      "lines.1.lineId": rfq.lines[1]!,
      "lines.1.unitPrice": "10.00",
      "lines.1.quantity": quantity1,
    });
    const wrong = await post(rfq.id, seeded.a.owner, fields("9.50", "25"));
    expect(wrong.status).toBe(422);
    expect((wrong.data as Failure).fieldErrors["lines.1.quantity"]).toEqual([translate("en", "offer.quantity_exceeds_asked")]);
    const revised = await post(rfq.id, seeded.a.owner, fields("9,50", "20"));
    expect(revised.status).toBe(302);
    expect(flashOf(revised)).toBe("flash.negotiation.revised");
    expect(await linesOf(offerId)).toEqual([["950", 100], ["1000", 20]]);
    expect(await db.selectFrom("offer_counters").select(["status", "answer_revision"]).where("id", "=", live).executeTakeFirstOrThrow()).toEqual({ status: "revised", answer_revision: 2 });
  });

  it("is NOT_FOUND for an RFQ the seller may not see", async () => {
    const other = await seller("Gamma Packaging Elsewhere");
    await db.deleteFrom("seller_application_categories").where("organization_id", "=", other.id).execute();
    const rfq = await closedRfq(seeded.buyer, [seeded.a.id]);
    expect((await page(rfq.id, other.sales)).status).toBe(404);
    expect((await post(rfq.id, other.sales, { intent: "accept", counterId: await counterOn(rfq, rfq.offers[0]!, seeded.a.id) })).status).toBe(404);
    expect((await page("not-an-id", seeded.a.sales)).status).toBe(404);
  });
});
