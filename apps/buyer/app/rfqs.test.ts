import { randomUUID } from "node:crypto";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "@souk/testing";
import { isMessageKey } from "@souk/ui";
import { call, ORIGIN, request, sessionCookieFrom, type Failure } from "@souk/ui/testing";

// The app reads its environment once, at import: point it at this file's database and storage first.
const testDb = await createTestDatabase();
const storageDir = await mkdtemp(path.join(tmpdir(), "souk-buyer-rfqs-"));
process.env.DATABASE_URL = testDb.url;
process.env.PUBLIC_URL = "http://localhost";
process.env.NODE_ENV = "test";
process.env.STORAGE_DIR = storageDir;

const { closeServices } = await import("./services.server");
const { NAVIGATION } = await import("./lib/app");
const signUp = await import("./routes/sign-up");
const list = await import("./routes/rfqs._index");
const newRfq = await import("./routes/rfqs.new");
const detail = await import("./routes/rfqs.$rfqId");
const edit = await import("./routes/rfqs.$rfqId_.edit");
const events = await import("./routes/rfqs.$rfqId_.events");
const attachments = await import("./routes/rfqs.$rfqId_.attachments");
const attachment = await import("./routes/rfqs.$rfqId_.attachments_.$attachmentId");
const compare = await import("./routes/rfqs.$rfqId_.compare");
const compareCsv = await import("./routes/rfqs.$rfqId_.compare[.csv]");

afterAll(async () => {
  await closeServices();
  await rm(storageDir, { recursive: true, force: true });
});

const { db } = testDb;
const PASSWORD = "a long enough passphrase";
const PDF = new Uint8Array([...new TextEncoder().encode("%PDF-1.4\n"), 1, 2, 3, 4]);

async function buyer(email: string) {
  const result = await call(signUp.action, request("/sign-up", { form: { organizationName: `Buyer ${email}`, name: "Ada Buyer", email, password: PASSWORD } }));
  expect(result.status).toBe(302);
  const org = await db.selectFrom("organizations").select("id").where("name", "=", `Buyer ${email}`).executeTakeFirstOrThrow();
  return { cookie: sessionCookieFrom(result) as string, id: org.id };
}

/** An active seller serving `categoryId` (its application's category), straight in the tables. */
async function seller(name: string, categoryId: string) {
  const org = await db.insertInto("organizations").values({ kind: "seller", name, status: "active" }).returning("id").executeTakeFirstOrThrow();
  await db.insertInto("seller_applications").values({ organization_id: org.id, legal_name: name, updated_at: new Date() }).execute();
  await db.insertInto("seller_application_categories").values({ organization_id: org.id, category_id: categoryId }).execute();
  return org.id;
}

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 16);

function form(categoryId: string, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    title: "Kraft boxes",
    categoryId,
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
    ...overrides,
  };
}

interface Seeded {
  member: { cookie: string; id: string };
  outsider: { cookie: string; id: string };
  categoryId: string;
  alpha: string;
  beta: string;
}
const seeded = {} as Seeded;

beforeAll(async () => {
  seeded.member = await buyer("member@rfq-buyer.test");
  seeded.outsider = await buyer("outsider@rfq-buyer.test");
  seeded.categoryId = (await db.selectFrom("categories").select("id").where("slug", "=", "packaging-boxes").executeTakeFirstOrThrow()).id;
  seeded.alpha = await seller("Alphacorrugated Sealed SARL", seeded.categoryId);
  seeded.beta = await seller("Betaboxworks Sealed GmbH", seeded.categoryId);
});

/** Publishes an RFQ through the new page's action and returns its id. */
async function publish(overrides: Record<string, string> = {}) {
  const result = await call(newRfq.action, request("/rfqs/new", { form: { ...form(seeded.categoryId, overrides), intent: "publish" }, cookie: seeded.member.cookie }));
  expect(result.status, JSON.stringify(result.data)).toBe(302);
  const id = /^\/rfqs\/([0-9a-f-]{36})$/.exec(result.location ?? "")?.[1];
  expect(id).toBeDefined();
  return id as string;
}

async function offer(rfqId: string, sellerId: string, unitPriceMinor: number) {
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
  return { offerId: row.id, lineId: line.id };
}

/** The first `update` event of the live board's stream, then the stream is closed. */
async function firstLiveUpdate(rfqId: string, cookie: string): Promise<{ status: number; type: string | null; data: unknown }> {
  const controller = new AbortController();
  const base = request(`/rfqs/${rfqId}/events`, { cookie });
  const response = (await events.loader({ request: new Request(base.url, { headers: base.headers, signal: controller.signal }), params: { rfqId }, context: {} })) as Response;
  if (response.status !== 200 || !response.body) return { status: response.status, type: response.headers.get("content-type"), data: null };
  const reader = response.body.getReader();
  let text = "";
  try {
    while (!/event: update\ndata: .*\n\n/.test(text)) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
  } finally {
    controller.abort();
    await reader.cancel().catch(() => undefined);
  }
  const data = /event: update\ndata: (.*)\n\n/.exec(text)?.[1];
  return { status: response.status, type: response.headers.get("content-type"), data: data ? JSON.parse(data) : null };
}

describe("buyer RFQs: writing one without JavaScript", () => {
  it("is in the navigation for buyers who may read RFQs", () => {
    expect(NAVIGATION).toContainEqual({ to: "/rfqs", label: "rfqNav.rfqs", permission: "read:rfqs:org" });
  });

  it("adds a line and finds sellers by posting the form, keeping what was typed; a refused save comes back with its errors and writes nothing", async () => {
    const cookie = seeded.member.cookie;
    const added = await call(newRfq.action, request("/rfqs/new", { form: { ...form(seeded.categoryId, { title: "Typed title" }), intent: "add-line" }, cookie }));
    expect(added.status).toBe(200);
    expect(added.data).toMatchObject({ values: { title: "Typed title", lineRows: "2", "lines.0.quantity": "1000" }, fieldErrors: {} });

    const found = await call(newRfq.action, request("/rfqs/new", { form: { ...form(seeded.categoryId), intent: "search-sellers", sellerQ: "betabox", invitedSellerIds: seeded.alpha }, cookie }));
    expect(found.data).toMatchObject({
      sellers: { matches: [{ id: seeded.beta, name: "Betaboxworks Sealed GmbH", servesCategory: true }], selected: [{ id: seeded.alpha, name: "Alphacorrugated Sealed SARL" }] },
      values: { invitedSellerIds: seeded.alpha },
    });

    const before = await db.selectFrom("rfqs").select((eb) => eb.fn.countAll<string>().as("n")).executeTakeFirstOrThrow();
    const refused = await call(
      newRfq.action,
      request("/rfqs/new", { form: { ...form(seeded.categoryId, { title: "", "lines.0.quantity": "0", deadline: inDays(-1) }), intent: "publish" }, cookie, acceptLanguage: "fr" }),
    );
    expect(refused.status).toBe(422);
    const failure = refused.data as Failure;
    expect(failure.fieldErrors).toEqual({
      title: ["Donnez un titre à la demande."],
      "lines.0.quantity": ["Saisissez une quantité entière d'au moins 1."],
      deadline: ["La date limite doit être dans le futur."],
    });
    expect(failure.values).toMatchObject({ "lines.0.description": "Box 40x30x20", intent: "publish" });
    expect(await db.selectFrom("rfqs").select((eb) => eb.fn.countAll<string>().as("n")).executeTakeFirstOrThrow()).toEqual(before);
  });

  it("publishes, shows the RFQ on its page and in the list; edits it while it has no offer; starts one from a listing", async () => {
    const id = await publish();
    const page = await call(detail.loader, request(`/rfqs/${id}`, { cookie: seeded.member.cookie }), { rfqId: id });
    expect(page.data).toMatchObject({ rfq: { id, status: "open", title: "Kraft boxes", offerCount: 0, can: { edit: true, cancel: true } } });
    const rows = await call(list.loader, request("/rfqs?status=open", { cookie: seeded.member.cookie }));
    expect((rows.data as { rfqs: { items: { id: string }[] } }).rfqs.items.map((r) => r.id)).toContain(id);

    const form0 = await call(edit.loader, request(`/rfqs/${id}/edit`, { cookie: seeded.member.cookie }), { rfqId: id });
    expect(form0.status).toBe(200);
    const saved = await call(edit.action, request(`/rfqs/${id}/edit`, { form: { ...form(seeded.categoryId, { title: "Kraft boxes, double wall" }), intent: "draft" }, cookie: seeded.member.cookie }), { rfqId: id });
    expect(saved.location).toBe(`/rfqs/${id}`);
    expect((await db.selectFrom("rfqs").select("title").where("id", "=", id).executeTakeFirstOrThrow()).title).toBe("Kraft boxes, double wall");

    const listing = await db
      .insertInto("listings")
      .values({ seller_id: seeded.alpha, sku: "BOX-1", title: "Kraft box 30x20", category_id: seeded.categoryId, unit: "box", currency: "EUR", list_price_minor: "120", status: "published" })
      .returning("id")
      .executeTakeFirstOrThrow();
    const prefilled = await call(newRfq.loader, request(`/rfqs/new?listingId=${listing.id}`, { cookie: seeded.member.cookie }));
    expect(prefilled.data).toMatchObject({ prefill: { title: "Kraft box 30x20", lines: [{ listingId: listing.id, unit: "box" }] } });
    await db.updateTable("listings").set({ status: "draft" }).where("id", "=", listing.id).execute();
    expect((await call(newRfq.loader, request(`/rfqs/new?listingId=${listing.id}`, { cookie: seeded.member.cookie }))).status).toBe(404);
  });

  it("another buyer gets the same 404 for every page, file and stream of the RFQ", async () => {
    const id = await publish();
    const cookie = seeded.outsider.cookie;
    const params = { rfqId: id };
    expect((await call(detail.loader, request(`/rfqs/${id}`, { cookie }), params)).status).toBe(404);
    expect((await call(detail.action, request(`/rfqs/${id}`, { form: { intent: "cancel", reason: "Mine" }, cookie }), params)).status).toBe(404);
    expect((await call(edit.loader, request(`/rfqs/${id}/edit`, { cookie }), params)).status).toBe(404);
    expect((await call(attachments.loader, request(`/rfqs/${id}/attachments`, { cookie }), params)).status).toBe(404);
    expect((await firstLiveUpdate(id, cookie)).status).toBe(404);
    expect((await db.selectFrom("rfqs").select("status").where("id", "=", id).executeTakeFirstOrThrow()).status).toBe("open");
  });
});

describe("buyer RFQs: sealed until the deadline", () => {
  it("no page, loader data, stream or export the buyer can request shows a price or a seller name of any offer before the close", async () => {
    const id = await publish();
    await offer(id, seeded.alpha, 98_765);
    await offer(id, seeded.beta, 87_654);
    const secrets = ["Alphacorrugated", "Betaboxworks", seeded.alpha, seeded.beta, "98765", "987.65", "87654", "876.54"];
    const cookie = seeded.member.cookie;
    const params = { rfqId: id };
    const responses: unknown[] = [];
    const page = await call(detail.loader, request(`/rfqs/${id}`, { cookie }), params);
    expect(page.data).toMatchObject({ rfq: { offerCount: 2, offers: null, offersVisible: false } });
    responses.push(page.data);
    responses.push((await call(list.loader, request("/rfqs", { cookie }))).data);
    responses.push((await call(attachments.loader, request(`/rfqs/${id}/attachments`, { cookie }), params)).data);
    const live = await firstLiveUpdate(id, cookie);
    expect(live.type).toBe("text/event-stream; charset=utf-8");
    expect(live.data).toMatchObject({ id, offerCount: 2, offers: null });
    responses.push(live.data);
    const matrix = await call(compare.loader, request(`/rfqs/${id}/compare`, { cookie }), params);
    expect(matrix.status).toBe(409);
    responses.push(matrix.data);
    const csv = (await compareCsv.loader({ request: request(`/rfqs/${id}/compare.csv`, { cookie }), params, context: {} })) as Response;
    expect(csv.status).toBe(409);
    responses.push(await csv.text());
    // An award attempt (with an offer id guessed at random) is refused without a word about the offers.
    const award = await call(compare.action, request(`/rfqs/${id}/compare`, { form: { mode: "whole", offerId: randomUUID() }, cookie }), params);
    expect(award.status).toBeGreaterThanOrEqual(400);
    responses.push(award.data);
    for (const response of responses) {
      const text = JSON.stringify(response);
      expect(secrets.filter((s) => text.includes(s)), text.slice(0, 300)).toEqual([]);
    }
  });
});

describe("buyer RFQs: files, questions, cancelling", () => {
  it("uploads a file by a multipart form, serves it to its buyer only, refuses a type by its bytes", async () => {
    const id = await publish();
    const post = (file: File) => {
      const body = new FormData();
      body.set("intent", "upload");
      body.set("file", file);
      const base = request(`/rfqs/${id}/attachments`, { cookie: seeded.member.cookie });
      const headers = new Headers(base.headers);
      return call(attachments.action, new Request(`${ORIGIN}/rfqs/${id}/attachments`, { method: "POST", headers, body }), { rfqId: id });
    };
    const uploaded = await post(new File([PDF], "drawing.pdf", { type: "application/pdf" }));
    expect(uploaded.location).toBe(`/rfqs/${id}/attachments`);
    const refused = await post(new File([new Uint8Array([0x4d, 0x5a, 0, 0])], "tool.pdf"));
    expect(refused.status).toBe(422);
    expect((refused.data as Failure).fieldErrors).toEqual({ file: ["Only PDF, PNG, JPEG and WebP files are accepted."] });

    const row = await db.selectFrom("rfq_attachments").select("id").where("rfq_id", "=", id).executeTakeFirstOrThrow();
    const params = { rfqId: id, attachmentId: row.id };
    const file = await attachment.loader({ request: request(`/rfqs/${id}/attachments/${row.id}`, { cookie: seeded.member.cookie }), params, context: {} });
    expect(file.status).toBe(200);
    expect(file.headers.get("content-disposition")).toContain("drawing.pdf");
    expect(new Uint8Array(await file.arrayBuffer())).toEqual(PDF);
    const theirs = await attachment.loader({ request: request(`/rfqs/${id}/attachments/${row.id}`, { cookie: seeded.outsider.cookie }), params, context: {} });
    expect(theirs.status).toBe(404);
  });

  it("answers a question to every participant, refuses a cancellation without a reason, cancels with one", async () => {
    const id = await publish();
    const question = await db.insertInto("rfq_questions").values({ rfq_id: id, seller_id: seeded.alpha, question: "Recycled board?" }).returning("id").executeTakeFirstOrThrow();
    const cookie = seeded.member.cookie;
    const answered = await call(detail.action, request(`/rfqs/${id}`, { form: { intent: "answer", questionId: question.id, answer: "Yes.", visibility: "public" }, cookie }), { rfqId: id });
    expect(answered.location).toBe(`/rfqs/${id}#question-${question.id}`);
    expect(await db.selectFrom("rfq_questions").select(["answer", "answer_visibility"]).where("id", "=", question.id).executeTakeFirstOrThrow()).toEqual({ answer: "Yes.", answer_visibility: "public" });

    const refused = await call(detail.action, request(`/rfqs/${id}`, { form: { intent: "cancel", reason: " " }, cookie }), { rfqId: id });
    expect(refused.status).toBe(422);
    expect((refused.data as Failure).fieldErrors).toEqual({ reason: ["Give a reason: the sellers will read it."] });
    const cancelled = await call(detail.action, request(`/rfqs/${id}`, { form: { intent: "cancel", reason: "Budget cut." }, cookie }), { rfqId: id });
    expect(cancelled.status).toBe(302);
    expect((await db.selectFrom("rfqs").select("status").where("id", "=", id).executeTakeFirstOrThrow()).status).toBe("cancelled");
  });
});

describe("buyer RFQs: comparison and award once closed", () => {
  it("shows the matrix with the buyer's weights, exports it, and awards per line", async () => {
    const id = await publish();
    const a = await offer(id, seeded.alpha, 120);
    const b = await offer(id, seeded.beta, 110);
    await db.updateTable("rfqs").set({ status: "closed", closed_at: new Date(), deadline: new Date(Date.now() - 60_000) }).where("id", "=", id).execute();
    await db.updateTable("offers").set({ status: "locked" }).where("rfq_id", "=", id).execute();
    const cookie = seeded.member.cookie;
    const params = { rfqId: id };

    const matrix = await call(compare.loader, request(`/rfqs/${id}/compare?price=100&leadTime=0&trackRecord=0`, { cookie }), params);
    expect(matrix.status).toBe(200);
    const view = matrix.data as { comparison: { offers: { id: string; score: { total: number } }[]; lines: { cells: ({ best: boolean } | null)[] }[]; weights: unknown } };
    expect(view.comparison.weights).toEqual({ price: 100, leadTime: 0, trackRecord: 0 });
    expect(view.comparison.offers.map((o) => o.id)).toEqual([b.offerId, a.offerId]);
    expect(view.comparison.lines[0]?.cells.map((c) => c?.best)).toEqual([true, false]);
    const bad = await call(compare.loader, request(`/rfqs/${id}/compare?price=-5`, { cookie }), params);
    expect(bad.data).toMatchObject({ weightErrors: { price: ["Enter a whole number from 0."] }, comparison: { weights: { price: 60 } } });

    const csv = (await compareCsv.loader({ request: request(`/rfqs/${id}/compare.csv`, { cookie, acceptLanguage: "fr" }), params, context: {} })) as Response;
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toContain("text/csv");
    const text = await csv.text();
    expect(text.replace(/^\uFEFF/, "").split("\r\n")[0]).toMatch(/^Référence,Ligne,/);
    expect(text).toContain("Betaboxworks Sealed GmbH");

    const awarded = await call(
      compare.action,
      request(`/rfqs/${id}/compare`, { form: { intent: "award", mode: "lines", [`qty.${a.lineId}.${a.offerId}`]: "400", [`qty.${b.lineId}.${b.offerId}`]: "600", note: "Split for resilience" }, cookie }),
      params,
    );
    expect(awarded.status, JSON.stringify(awarded.data)).toBe(302);
    expect(awarded.location).toBe(`/rfqs/${id}#award`);
    const page = await call(detail.loader, request(`/rfqs/${id}`, { cookie }), params);
    expect(page.data).toMatchObject({ rfq: { award: { note: "Split for resilience", lines: [{ quantity: 400 }, { quantity: 600 }] } } });
  });
});

describe("buyer RFQs: messages", () => {
  it("translates every message key the buyer's RFQ services and the RFQ and scoring rules can produce, in both languages", async () => {
    const services = path.resolve(import.meta.dirname, "../../../packages/services/src/rfq/buyer");
    const domain = path.resolve(import.meta.dirname, "../../../packages/domain/src");
    const files = [
      ...(await readdir(services)).filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts") && f !== "test-support.ts").map((f) => path.join(services, f)),
      path.join(domain, "rfq-status.ts"),
      path.join(domain, "scoring.ts"),
    ];
    // Names of e-mail templates, of the closing job and of an audit action, not messages.
    const notMessages = new Set(["rfq.invited", "rfq.cancelled", "rfq.answered", "rfq.close", "rfq.final_round_invited", "rfq.final_round_opened"]);
    const keys = new Set<string>();
    for (const file of files) {
      const source = await readFile(file, "utf8");
      for (const m of source.matchAll(/["`]((?:rfq|rfqAttachment|scoring)\.[a-z_]+(?:\.[a-z_]+)*)["`]/g)) if (!notMessages.has(m[1] as string)) keys.add(m[1] as string);
      // Keys built by the form's helpers from a field's name.
      for (const m of source.matchAll(/\brequiredText\("(\w+)"/g)) for (const suffix of ["required", "invalid", "too_long"]) keys.add(`rfq.${m[1]}_${suffix}`);
      for (const m of source.matchAll(/\bchoice\("(\w+)"/g)) for (const suffix of ["required", "invalid"]) keys.add(`rfq.${m[1]}_${suffix}`);
    }
    expect(keys.size).toBeGreaterThan(60);
    expect([...keys].filter((k) => !isMessageKey(k))).toEqual([]);
  });
});
