import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "@souk/testing";
import { call, request, sessionCookieFrom, type Failure } from "@souk/ui/testing";

// The app reads its environment once, at import: point it at this file's database first.
const testDb = await createTestDatabase();
process.env.DATABASE_URL = testDb.url;
process.env.PUBLIC_URL = "http://localhost";
process.env.NODE_ENV = "test";

const { closeServices } = await import("./services.server");
const signUp = await import("./routes/sign-up");
const newRfq = await import("./routes/rfqs.new");
const detail = await import("./routes/rfqs.$rfqId");
const finalRound = await import("./routes/rfqs.$rfqId_.final-round");
const compare = await import("./routes/rfqs.$rfqId_.compare");

afterAll(async () => {
  await closeServices();
});

const { db } = testDb;
const PASSWORD = "a long enough passphrase";

async function buyer(email: string) {
  const result = await call(signUp.action, request("/sign-up", { form: { organizationName: `Buyer ${email}`, name: "Ada Buyer", email, password: PASSWORD } }));
  expect(result.status).toBe(302);
  const org = await db.selectFrom("organizations").select("id").where("name", "=", `Buyer ${email}`).executeTakeFirstOrThrow();
  return { cookie: sessionCookieFrom(result) as string, id: org.id };
}

async function seller(name: string, categoryId: string) {
  const org = await db.insertInto("organizations").values({ kind: "seller", name, status: "active" }).returning("id").executeTakeFirstOrThrow();
  await db.insertInto("seller_applications").values({ organization_id: org.id, legal_name: name, updated_at: new Date() }).execute();
  await db.insertInto("seller_application_categories").values({ organization_id: org.id, category_id: categoryId }).execute();
  return org.id;
}

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 16);

/** A POST with repeated fields (the shortlist's checkboxes), as a browser sends it without JavaScript. */
function post(path: string, fields: [string, string][], cookie: string, acceptLanguage?: string): Request {
  const base = request(path, { cookie, ...(acceptLanguage ? { acceptLanguage } : {}) });
  return new Request(base.url, { method: "POST", headers: base.headers, body: new URLSearchParams(fields) });
}

const seeded = {} as { member: { cookie: string; id: string }; outsider: { cookie: string; id: string }; categoryId: string; alpha: string; beta: string; gamma: string };

beforeAll(async () => {
  seeded.member = await buyer("member@final-round.test");
  seeded.outsider = await buyer("outsider@final-round.test");
  seeded.categoryId = (await db.selectFrom("categories").select("id").where("slug", "=", "packaging-boxes").executeTakeFirstOrThrow()).id;
  seeded.alpha = await seller("Alphacorrugated Final SARL", seeded.categoryId);
  seeded.beta = await seller("Betaboxworks Final GmbH", seeded.categoryId);
  seeded.gamma = await seller("Gammacartons Final BV", seeded.categoryId);
});

/** A sealed RFQ published through its page, three offers, closed as the closing job leaves it. */
async function closedRfq(): Promise<string> {
  const form = {
    title: "Kraft boxes",
    categoryId: seeded.categoryId,
    currency: "EUR",
    incoterm: "DAP",
    deliveryPlace: "Lyon",
    deadline: inDays(2),
    timeZone: "UTC",
    visibility: "open",
    sealing: "sealed",
    lineRows: "1",
    "lines.0.description": "Box 40x30x20",
    "lines.0.quantity": "1000",
    "lines.0.unit": "box",
    intent: "publish",
  };
  const published = await call(newRfq.action, request("/rfqs/new", { form, cookie: seeded.member.cookie }));
  const id = /^\/rfqs\/([0-9a-f-]{36})$/.exec(published.location ?? "")?.[1] as string;
  const line = await db.selectFrom("rfq_lines").select(["id", "quantity"]).where("rfq_id", "=", id).executeTakeFirstOrThrow();
  for (const [sellerId, price] of [[seeded.alpha, 111], [seeded.beta, 122], [seeded.gamma, 133]] as const) {
    const offer = await db
      .insertInto("offers")
      .values({ rfq_id: id, seller_id: sellerId, status: "locked", currency: "EUR", lead_time_days: 7, valid_until: new Date(Date.now() + 30 * 86_400_000), total_minor: String(line.quantity * price), submitted_at: new Date(), updated_at: new Date() })
      .returning("id")
      .executeTakeFirstOrThrow();
    await db.insertInto("offer_lines").values({ offer_id: offer.id, rfq_id: id, line_id: line.id, quantity: line.quantity, unit_price_minor: String(price) }).execute();
  }
  await db.updateTable("rfqs").set({ status: "closed", deadline: new Date(Date.now() - 60_000), closed_at: new Date() }).where("id", "=", id).execute();
  return id;
}

describe("the buyer's best-and-final round page", () => {
  it("shows the sellers with a final offer; refuses a bad form with its errors, writing nothing; opens the round and goes back to the RFQ", async () => {
    const id = await closedRfq();
    const { cookie } = seeded.member;
    const page = await call(detail.loader, request(`/rfqs/${id}`, { cookie }), { rfqId: id });
    expect(page.data).toMatchObject({ rfq: { status: "closed", can: { finalRound: true }, finalRound: null } });

    const form = await call(finalRound.loader, request(`/rfqs/${id}/final-round`, { cookie }), { rfqId: id });
    expect(form.status).toBe(200);
    const offers = (form.data as { rfq: { offers: { seller: { id: string }; status: string }[] } }).rfq.offers;
    expect(offers.map((o) => o.seller.id).sort()).toEqual([seeded.alpha, seeded.beta, seeded.gamma].sort());

    const refused = await call(finalRound.action, post(`/rfqs/${id}/final-round`, [["deadline", inDays(-1)], ["timeZone", "UTC"]], cookie, "fr"), { rfqId: id });
    expect(refused.status).toBe(422);
    expect((refused.data as Failure).fieldErrors).toEqual({ sellerIds: ["Choisissez au moins un vendeur."], deadline: ["La date limite doit être dans le futur."] });
    const late = await call(finalRound.action, post(`/rfqs/${id}/final-round`, [["sellerId", seeded.alpha], ["deadline", inDays(-1)], ["timeZone", "UTC"]], cookie), { rfqId: id });
    expect((late.data as Failure).fieldErrors).toEqual({ deadline: ["The deadline must be in the future."] });
    expect((late.data as Failure).values).toMatchObject({ sellerId: seeded.alpha });
    // A tampered checkbox value: reported on the shortlist the page shows, not as zod's `sellerId.1`.
    const tampered = await call(finalRound.action, post(`/rfqs/${id}/final-round`, [["sellerId", seeded.alpha], ["sellerId", "not-a-uuid"], ["deadline", inDays(1)], ["timeZone", "UTC"]], cookie), { rfqId: id });
    expect(tampered.status).toBe(422);
    expect(Object.keys((tampered.data as Failure).fieldErrors)).toEqual(["sellerIds"]);
    expect((await db.selectFrom("rfqs").select("status").where("id", "=", id).executeTakeFirstOrThrow()).status).toBe("closed");

    const opened = await call(
      finalRound.action,
      post(`/rfqs/${id}/final-round`, [["sellerId", seeded.alpha], ["sellerId", seeded.beta], ["deadline", inDays(1)], ["timeZone", "UTC"]], cookie),
      { rfqId: id },
    );
    expect(opened.status).toBe(302);
    expect(opened.location).toBe(`/rfqs/${id}#final-round`);
    const row = await db.selectFrom("rfqs").select(["status", "first_deadline", "deadline"]).where("id", "=", id).executeTakeFirstOrThrow();
    expect(row.status).toBe("final_round");
    const shortlist = await db.selectFrom("rfq_final_sellers").select("seller_id").where("rfq_id", "=", id).execute();
    expect(shortlist.map((s) => s.seller_id).sort()).toEqual([seeded.alpha, seeded.beta].sort());

    // The RFQ's page: the round and its shortlist, nothing of the offers while it runs sealed; no comparison.
    const during = await call(detail.loader, request(`/rfqs/${id}`, { cookie }), { rfqId: id });
    expect(during.data).toMatchObject({ rfq: { status: "final_round", offers: null, offersVisible: false, receipts: null, can: { finalRound: false, compare: false } } });
    expect((during.data as { rfq: { finalRound: { sellers: { id: string }[] } } }).rfq.finalRound.sellers.map((s) => s.id).sort()).toEqual([seeded.alpha, seeded.beta].sort());
    expect(JSON.stringify(during.data)).not.toMatch(/"(unitPriceMinor|amountMinor)":"111(000)?"/);
    expect((await call(compare.loader, request(`/rfqs/${id}/compare`, { cookie }), { rfqId: id })).status).toBe(409);

    // Once per RFQ: the form says so, a second post is refused.
    const again = await call(finalRound.action, post(`/rfqs/${id}/final-round`, [["sellerId", seeded.gamma], ["deadline", inDays(1)], ["timeZone", "UTC"]], cookie), { rfqId: id });
    expect(again.status).toBe(409);
    expect(await db.selectFrom("rfq_final_sellers").select("seller_id").where("rfq_id", "=", id).execute()).toHaveLength(2);
  });

  it("another buyer's RFQ does not exist for it; signed out goes to sign-in", async () => {
    const id = await closedRfq();
    expect((await call(finalRound.loader, request(`/rfqs/${id}/final-round`, { cookie: seeded.outsider.cookie }), { rfqId: id })).status).toBe(404);
    const tampered = await call(
      finalRound.action,
      post(`/rfqs/${id}/final-round`, [["sellerId", seeded.alpha], ["deadline", inDays(1)], ["timeZone", "UTC"]], seeded.outsider.cookie),
      { rfqId: id },
    );
    expect(tampered.status).toBe(404);
    expect((await db.selectFrom("rfqs").select("status").where("id", "=", id).executeTakeFirstOrThrow()).status).toBe("closed");
    const anonymous = await call(finalRound.loader, request(`/rfqs/${id}/final-round`), { rfqId: id });
    expect(anonymous.status).toBe(302);
  });
});
