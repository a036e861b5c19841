import { afterAll, describe, expect, it } from "vitest";
import { createSession, sessionCookieName } from "@souk/auth";
import { createTestDatabase } from "@souk/testing";
import { translate } from "@souk/ui";
import { call, request, type Failure } from "@souk/ui/testing";

// The app reads its environment once, at import: point it at this file's database first.
const testDb = await createTestDatabase();
process.env.DATABASE_URL = testDb.url;
process.env.PUBLIC_URL = "http://localhost";
process.env.NODE_ENV = "test";

const { closeServices } = await import("./services.server");
const inboxRoute = await import("./routes/rfqs._index");
const rfqRoute = await import("./routes/rfqs.$rfqId");

afterAll(async () => {
  await closeServices();
});

const { db } = testDb;
let counter = 0;

const category = async () => (await db.selectFrom("categories").select("id").where("slug", "=", "packaging-boxes").executeTakeFirstOrThrow()).id;
const clock = async (ms = 0) => new Date(new Date((await db.selectNoFrom((eb) => eb.fn<Date>("clock_timestamp", []).as("now")).executeTakeFirstOrThrow()).now).getTime() + ms);

async function seller(name: string) {
  counter += 1;
  const org = await db.insertInto("organizations").values({ kind: "seller", name, status: "active" }).returning("id").executeTakeFirstOrThrow();
  await db.insertInto("seller_applications").values({ organization_id: org.id, legal_name: name }).execute();
  await db.insertInto("seller_application_categories").values({ organization_id: org.id, category_id: await category() }).execute();
  const user = await db.insertInto("users").values({ email: `sales.${counter}@final-round.test`, name: `Sales ${counter}`, password_hash: "x" }).returning("id").executeTakeFirstOrThrow();
  await db.insertInto("memberships").values({ organization_id: org.id, user_id: user.id, role: "sales" }).execute();
  const { token } = await createSession(db, { userId: user.id, app: "seller", activeOrganizationId: org.id, ip: null, userAgent: null });
  return { id: org.id, name, cookie: `${sessionCookieName("seller")}=${token}` };
}

/** A sealed RFQ in its best-and-final round (as openFinalRound leaves it), with final offers of `sellers`, `shortlist` on the shortlist. */
async function finalRoundRfq(sellers: string[], shortlist: string[]) {
  counter += 1;
  const buyer = await db.insertInto("organizations").values({ kind: "buyer", name: `Buyer ${counter}`, status: "active" }).returning("id").executeTakeFirstOrThrow();
  const first = await clock(-3_600_000);
  const rfq = await db
    .insertInto("rfqs")
    .values({
      buyer_id: buyer.id,
      title: `Printed cartons ${counter}`,
      category_id: await category(),
      currency: "EUR",
      incoterm: "DAP",
      delivery_place: "Lyon",
      deadline: await clock(86_400_000),
      sealing: "sealed",
      status: "final_round",
      published_at: first,
      closed_at: first,
      first_deadline: first,
      first_extensions: 0,
      first_chain_length: 0,
      final_opened_at: await clock(),
      updated_at: first,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const lines: string[] = [];
  for (const [position, quantity] of [100, 20].entries()) {
    lines.push((await db.insertInto("rfq_lines").values({ rfq_id: rfq.id, position, description: `Line ${position + 1}`, quantity, unit: "box" }).returning("id").executeTakeFirstOrThrow()).id);
  }
  for (const sellerId of sellers) {
    const offer = await db
      .insertInto("offers")
      .values({ rfq_id: rfq.id, seller_id: sellerId, status: "locked", currency: "EUR", lead_time_days: 9, valid_until: new Date("2099-01-01"), total_minor: String(150 * 120), submitted_at: first, updated_at: first })
      .returning("id")
      .executeTakeFirstOrThrow();
    for (const [i, lineId] of lines.entries()) await db.insertInto("offer_lines").values({ offer_id: offer.id, rfq_id: rfq.id, line_id: lineId, quantity: i === 0 ? 100 : 20, unit_price_minor: "150" }).execute();
  }
  for (const sellerId of shortlist) await db.insertInto("rfq_final_sellers").values({ rfq_id: rfq.id, seller_id: sellerId }).execute();
  return { id: rfq.id, lines };
}

const post = (pathname: string, cookie: string, fields: Record<string, string>, acceptLanguage = "en") => request(pathname, { method: "POST", cookie, form: fields, acceptLanguage });

const offerFields = (lines: string[], price: string): Record<string, string> => ({
  intent: "save",
  currency: "EUR",
  "lines.0.lineId": lines[0]!,
  "lines.0.unitPrice": price,
  "lines.0.quantity": "100",
  "lines.1.lineId": lines[1]!,
  "lines.1.unitPrice": price,
  "lines.1.quantity": "20",
  leadTimeDays: "9",
  validUntil: "2099-06-30",
  notes: "",
});

type PageData = Awaited<ReturnType<typeof rfqRoute.loader>>;
type InboxData = Awaited<ReturnType<typeof inboxRoute.loader>>;

describe("a best-and-final round on the seller's pages", () => {
  it("a shortlisted seller finds it in its inbox, sees it open with the round's wording, revises its offer, and cannot withdraw it", async () => {
    const shortlisted = await seller("Cartonnerie Shortlisted");
    const rfq = await finalRoundRfq([shortlisted.id], [shortlisted.id]);
    const page = `/rfqs/${rfq.id}`;
    const inbox = (await call(inboxRoute.loader, request("/rfqs", { cookie: shortlisted.cookie }))).data as InboxData;
    expect(inbox.inbox.items.find((r) => r.id === rfq.id)).toMatchObject({ finalRound: true, myOffer: { status: "locked" } });

    const shown = (await call(rfqRoute.loader, request(page, { cookie: shortlisted.cookie }), { rfqId: rfq.id })).data as PageData;
    expect(shown.view.rfq.status).toBe("open");
    expect(shown.view.finalRound).not.toBeNull();
    expect(shown.view.moves).toMatchObject({ revise: true, withdraw: false, submit: false, ask: false });

    const revised = await call(rfqRoute.action, post(page, shortlisted.cookie, offerFields(rfq.lines, "1.40")), { rfqId: rfq.id });
    expect(revised.status).toBe(302);
    expect((await db.selectFrom("offers").select(["status", "total_minor"]).where("rfq_id", "=", rfq.id).executeTakeFirstOrThrow())).toEqual({ status: "revised", total_minor: String(140 * 120) });

    const withdraw = await call(rfqRoute.action, post(page, shortlisted.cookie, { intent: "withdraw" }, "fr"), { rfqId: rfq.id });
    expect(withdraw.status).toBe(409);
    expect(JSON.stringify(withdraw.data)).toContain(translate("fr", "offer.final_round_no_withdraw"));
    expect((await db.selectFrom("offers").select("status").where("rfq_id", "=", rfq.id).executeTakeFirstOrThrow()).status).toBe("revised");
  });

  it("a seller off the shortlist sees a closed RFQ with nothing of the round, and its form post is refused as on a closed RFQ", async () => {
    const [kept, left] = [await seller("Cartonnerie Kept"), await seller("Cartonnerie Left")];
    const rfq = await finalRoundRfq([kept.id, left.id], [kept.id]);
    const page = `/rfqs/${rfq.id}`;
    const inbox = (await call(inboxRoute.loader, request("/rfqs", { cookie: left.cookie }))).data as InboxData;
    expect(inbox.inbox.items.find((r) => r.id === rfq.id)).toBeUndefined();
    const shown = (await call(rfqRoute.loader, request(page, { cookie: left.cookie }), { rfqId: rfq.id })).data as PageData;
    expect(shown.view.rfq.status).toBe("closed");
    expect(shown.view.finalRound).toBeNull();
    expect(shown.view.rfq.deadline).toBe((await db.selectFrom("rfqs").select("first_deadline").where("id", "=", rfq.id).executeTakeFirstOrThrow()).first_deadline?.toISOString());
    expect(shown.view.moves).toEqual({ ask: false, submit: false, revise: false, withdraw: false, attach: false });
    const refused = await call(rfqRoute.action, post(page, left.cookie, offerFields(rfq.lines, "0.50")), { rfqId: rfq.id });
    expect(refused.status).toBe(409);
    expect(JSON.stringify((refused.data as Failure))).toContain(translate("en", "offer.rfq_not_open"));
    expect(await db.selectFrom("offer_revisions").select("id").where("rfq_id", "=", rfq.id).execute()).toEqual([]);
  });
});
