import { readdirSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createSession, sessionCookieName } from "@souk/auth";
import { createTestDatabase } from "@souk/testing";
import { isMessageKey, translate } from "@souk/ui";
import { call, ORIGIN, request, type Failure, type RouteResult } from "@souk/ui/testing";

// The app reads its environment once, at import: point it at this file's database first.
const testDb = await createTestDatabase();
const storageDir = await mkdtemp(path.join(tmpdir(), "souk-seller-rfqs-"));
process.env.DATABASE_URL = testDb.url;
process.env.STORAGE_DIR = storageDir;
process.env.PUBLIC_URL = "http://localhost";
process.env.NODE_ENV = "test";

const { closeServices } = await import("./services.server");
const inboxRoute = await import("./routes/rfqs._index");
const rfqRoute = await import("./routes/rfqs.$rfqId");
const eventsRoute = await import("./routes/rfqs.$rfqId_.events");
const receiptsRoute = await import("./routes/rfqs.$rfqId_.receipts[.json]");
const filesRoute = await import("./routes/rfqs.$rfqId_.offer-attachments");
const fileRoute = await import("./routes/rfqs.$rfqId_.offer-attachments_.$attachmentId");
const rfqFileRoute = await import("./routes/rfqs.$rfqId_.attachments.$attachmentId");

afterAll(async () => {
  await closeServices();
  await rm(storageDir, { recursive: true, force: true });
});

const { db } = testDb;
let counter = 0;

async function category(slug = "packaging-boxes") {
  return (await db.selectFrom("categories").select("id").where("slug", "=", slug).executeTakeFirstOrThrow()).id;
}

/** A seller organisation serving `slug`, with a member of `role` signed in to the seller app. */
async function seller(name: string, options: { status?: "active" | "pending" | "suspended"; slug?: string; role?: "owner" | "sales" | "fulfilment" } = {}) {
  counter += 1;
  const org = await db.insertInto("organizations").values({ kind: "seller", name, status: options.status ?? "active" }).returning("id").executeTakeFirstOrThrow();
  await db.insertInto("seller_applications").values({ organization_id: org.id, legal_name: name }).execute();
  await db.insertInto("seller_application_categories").values({ organization_id: org.id, category_id: await category(options.slug) }).execute();
  const role = options.role ?? "sales";
  const user = await db.insertInto("users").values({ email: `${role}.${counter}@seller-rfqs.test`, name: `${role} ${counter}`, password_hash: "x" }).returning("id").executeTakeFirstOrThrow();
  await db.insertInto("memberships").values({ organization_id: org.id, user_id: user.id, role }).execute();
  const { token } = await createSession(db, { userId: user.id, app: "seller", activeOrganizationId: org.id, ip: null, userAgent: null });
  return { id: org.id, name, cookie: `${sessionCookieName("seller")}=${token}` };
}

/** An open RFQ of a buyer, with two lines and a document, closing in `ms` (database clock). */
async function openRfq(options: { sealing?: "sealed" | "open"; ms?: number } = {}) {
  counter += 1;
  const buyer = await db.insertInto("organizations").values({ kind: "buyer", name: `Buyer ${counter}`, status: "active" }).returning("id").executeTakeFirstOrThrow();
  const now = (await db.selectNoFrom((eb) => eb.fn<Date>("clock_timestamp", []).as("now")).executeTakeFirstOrThrow()).now;
  const rfq = await db
    .insertInto("rfqs")
    .values({
      buyer_id: buyer.id,
      title: `Printed cartons ${counter}`,
      category_id: await category(),
      currency: "EUR",
      incoterm: "DAP",
      delivery_place: "Lyon",
      deadline: new Date(new Date(now).getTime() + (options.ms ?? 86_400_000)),
      sealing: options.sealing ?? "sealed",
      status: "open",
      published_at: now,
      updated_at: now,
    })
    .returning(["id", "number"])
    .executeTakeFirstOrThrow();
  const lines = [];
  for (const [position, quantity] of [100, 20].entries()) {
    lines.push(
      (await db.insertInto("rfq_lines").values({ rfq_id: rfq.id, position, description: `Line ${position + 1}`, quantity, unit: "box" }).returning("id").executeTakeFirstOrThrow()).id,
    );
  }
  return { id: rfq.id, buyerId: buyer.id, lines };
}

function post(pathname: string, cookie: string, fields: Record<string, string>, acceptLanguage = "en"): Request {
  return request(pathname, { method: "POST", cookie, form: fields, acceptLanguage });
}

function upload(pathname: string, cookie: string, fields: Record<string, string>, file: { name: string; bytes: Uint8Array }): Request {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.set(name, value);
  form.set("file", new File([new Uint8Array(file.bytes)], file.name, { type: "application/pdf" }));
  return new Request(`${ORIGIN}${pathname}`, { method: "POST", headers: new Headers(request(pathname, { cookie }).headers), body: form });
}

const flashOf = (result: RouteResult) => result.headers.getSetCookie().find((c) => c.startsWith("souk_flash="))?.split(";")[0]?.slice("souk_flash=".length) ?? null;

function offerFields(rfq: { lines: string[] }, price: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
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
    ...extra,
  };
}

type PageData = Awaited<ReturnType<typeof rfqRoute.loader>>;
type InboxData = Awaited<ReturnType<typeof inboxRoute.loader>>;

/** Reads a server-sent events response until its first `update`, then hangs up. */
async function firstUpdate(rfqId: string, cookie: string): Promise<{ status: number; type: string | null; update: unknown }> {
  const controller = new AbortController();
  const base = request(`/rfqs/${rfqId}/events`, { cookie });
  const response = (await eventsRoute.loader({ request: new Request(base, { signal: controller.signal }), params: { rfqId }, context: {} })) as Response;
  const reader = response.body!.getReader();
  let text = "";
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
      const match = /event: update\ndata: (.*)\n\n/.exec(text);
      if (match) return { status: response.status, type: response.headers.get("content-type"), update: JSON.parse(match[1]!) };
    }
  } finally {
    controller.abort();
    await reader.cancel().catch(() => undefined);
  }
  throw new Error(`no update in ${text}`);
}

describe("the seller's RFQ pages", () => {
  it("the inbox lists what the seller may answer, with its offer badge; filters come from the URL", async () => {
    const s = await seller("Cartonnerie Inbox");
    const rfq = await openRfq();
    const page = await call(inboxRoute.loader, request("/rfqs", { cookie: s.cookie }));
    const data = page.data as InboxData;
    expect(data.inbox.items.map((i) => i.id)).toContain(rfq.id);
    expect(data.categories.length).toBeGreaterThan(5);
    const bad = await call(inboxRoute.loader, request("/rfqs?sort=price", { cookie: s.cookie }));
    expect((bad.data as InboxData).filterErrors).toEqual({ sort: [translate("en", "rfqInbox.filter.sort_invalid")] });
    // A seller that is not active is sent to its application page.
    const pending = await seller("Pending Cartons", { status: "pending" });
    const refused = await call(inboxRoute.loader, request("/rfqs", { cookie: pending.cookie }));
    expect([refused.status, refused.location]).toEqual([302, "/application"]);
  });

  it("submit (receipt shown), bad input (422, errors beside the fields, nothing written), revise, withdraw with its confirmation", async () => {
    const s = await seller("Cartonnerie Offer");
    const rfq = await openRfq();
    const page = `/rfqs/${rfq.id}`;

    const submitted = await call(rfqRoute.action, post(page, s.cookie, offerFields(rfq, "1.20")), { rfqId: rfq.id });
    expect(submitted.status).toBe(302);
    expect(submitted.location).toMatch(new RegExp(`^${page}\\?receipt=1#receipt$`));
    expect(flashOf(submitted)).toBe("flash.rfqOffer.submitted");
    const shown = (await call(rfqRoute.loader, request(`${page}?receipt=1`, { cookie: s.cookie }), { rfqId: rfq.id })).data as PageData;
    expect(shown.receiptRevision).toBe(1);
    // While the RFQ is open, no place in the chain: it would count the competitors' writes.
    expect(shown.view.receipts[0]).toMatchObject({ revision: 1, kind: "submitted" });
    expect(shown.view.receipts[0]).not.toHaveProperty("sequence");
    expect(shown.view.receipts[0]).not.toHaveProperty("previousHash");
    expect(shown.eventsUrl).toBe(`/rfqs/${rfq.id}/events`);

    const before = await db.selectFrom("offer_revisions").select("id").execute();
    const refused = await call(rfqRoute.action, post(page, s.cookie, offerFields(rfq, "1.234", { "lines.1.quantity": "21", validUntil: "2001-01-01" }), "fr"), { rfqId: rfq.id });
    expect(refused.status).toBe(422);
    expect((refused.data as Failure).fieldErrors).toEqual({
      "lines.0.unitPrice": [translate("fr", "offer.price_invalid")],
      "lines.1.unitPrice": [translate("fr", "offer.price_invalid")],
      "lines.1.quantity": [translate("fr", "offer.quantity_exceeds_asked")],
      validUntil: [translate("fr", "offer.validity_before_deadline")],
    });
    expect((refused.data as Failure).values).toMatchObject({ "lines.0.unitPrice": "1.234" });
    expect(await db.selectFrom("offer_revisions").select("id").execute()).toEqual(before);

    // The RFQ is the one in the URL: an rfqId in the form changes nothing.
    const other = await openRfq();
    const revised = await call(rfqRoute.action, post(page, s.cookie, offerFields(rfq, "1.10", { rfqId: other.id })), { rfqId: rfq.id });
    expect(flashOf(revised)).toBe("flash.rfqOffer.revised");
    expect(await db.selectFrom("offers").select("rfq_id").where("seller_id", "=", s.id).execute()).toEqual([{ rfq_id: rfq.id }]);

    const confirm = (await call(rfqRoute.loader, request(`${page}?confirm=withdraw`, { cookie: s.cookie }), { rfqId: rfq.id })).data as PageData;
    expect(confirm.confirmWithdraw).toBe(true);
    const withdrawn = await call(rfqRoute.action, post(page, s.cookie, { intent: "withdraw" }), { rfqId: rfq.id });
    // Keyed on the revision withdrawn (the second), not on the receipt's place in the chain.
    expect(withdrawn.location).toBe(`${page}?receipt=2#receipt`);
    expect(flashOf(withdrawn)).toBe("flash.rfqOffer.withdrawn");

    // A read-only member may look but not act.
    const reader = await seller("Cartonnerie Offer readers", { role: "fulfilment" });
    expect((await call(rfqRoute.action, post(page, reader.cookie, offerFields(rfq, "1.00")), { rfqId: rfq.id })).status).toBe(403);
  });

  it("after the deadline the form is refused with the deadline's message (409), and a question too", async () => {
    const s = await seller("Cartonnerie Late");
    const rfq = await openRfq({ ms: 200 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const late = await call(rfqRoute.action, post(`/rfqs/${rfq.id}`, s.cookie, offerFields(rfq, "1.00")), { rfqId: rfq.id });
    expect(late.status).toBe(409);
    expect((late.data as Failure).fieldErrors).toEqual({ offer: [translate("en", "offer.deadline_passed")] });
    const question = await call(rfqRoute.action, post(`/rfqs/${rfq.id}`, s.cookie, { intent: "ask", question: "Still open?" }), { rfqId: rfq.id });
    expect(question.status).toBe(409);
  });

  it("questions go through the page's action", async () => {
    const s = await seller("Cartonnerie Questions");
    const rfq = await openRfq();
    const empty = await call(rfqRoute.action, post(`/rfqs/${rfq.id}`, s.cookie, { intent: "ask", question: " " }), { rfqId: rfq.id });
    expect((empty.data as Failure).fieldErrors).toEqual({ question: [translate("en", "question.required")] });
    const asked = await call(rfqRoute.action, post(`/rfqs/${rfq.id}`, s.cookie, { intent: "ask", question: "Which print colours?" }), { rfqId: rfq.id });
    expect([asked.location, flashOf(asked)]).toEqual([`/rfqs/${rfq.id}#questions`, "flash.rfqOffer.questionSent"]);
  });

  it("a competitor never sees an offer of a sealed RFQ: not on the page, the live stream, the receipts file, nor a file's URL", async () => {
    const a = await seller("Alpha Cartons Secret");
    const b = await seller("Beta Boxes");
    const rfq = await openRfq({ sealing: "sealed" });
    await call(rfqRoute.action, post(`/rfqs/${rfq.id}`, a.cookie, offerFields(rfq, "9876.54", { notes: "Alpha's confidential terms" })), { rfqId: rfq.id });
    const uploaded = await call(filesRoute.action, upload(`/rfqs/${rfq.id}/offer-attachments`, a.cookie, { intent: "upload" }, { name: "alpha-quote.pdf", bytes: new TextEncoder().encode("%PDF-1.7 alpha") }), { rfqId: rfq.id });
    expect([uploaded.status, flashOf(uploaded)]).toEqual([302, "flash.rfqOffer.fileUploaded"]);
    const file = await db.selectFrom("offer_attachments").select("id").where("seller_id", "=", a.id).executeTakeFirstOrThrow();

    const responses: string[] = [];
    responses.push(JSON.stringify((await call(rfqRoute.loader, request(`/rfqs/${rfq.id}`, { cookie: b.cookie }), { rfqId: rfq.id })).data));
    responses.push(JSON.stringify((await call(inboxRoute.loader, request("/rfqs", { cookie: b.cookie }))).data));
    const stream = await firstUpdate(rfq.id, b.cookie);
    expect(stream.type).toMatch(/^text\/event-stream/);
    responses.push(JSON.stringify(stream.update));
    const receipts = await call(receiptsRoute.loader, request(`/rfqs/${rfq.id}/receipts.json`, { cookie: b.cookie }), { rfqId: rfq.id });
    expect(receipts.status).toBe(200);
    const downloaded = (await receiptsRoute.loader({ request: request(`/rfqs/${rfq.id}/receipts.json`, { cookie: b.cookie }), params: { rfqId: rfq.id }, context: {} })) as Response;
    responses.push(await downloaded.text());
    const foreignFile = (await fileRoute.loader({ request: request(`/rfqs/${rfq.id}/offer-attachments/${file.id}`, { cookie: b.cookie }), params: { rfqId: rfq.id, attachmentId: file.id }, context: {} })) as Response;
    expect(foreignFile.status).toBe(404);
    responses.push(await foreignFile.text());
    for (const text of responses) {
      // Prices no id, hash or timestamp can hold by chance (a short one such as 3.33 once matched a timestamp's seconds).
      for (const leak of ["9876.54", "987654", "Alpha", "alpha-quote", a.id]) expect(text, leak).not.toContain(leak);
    }

    // The owner gets its own file, its own receipts.
    const own = (await fileRoute.loader({ request: request(`/rfqs/${rfq.id}/offer-attachments/${file.id}`, { cookie: a.cookie }), params: { rfqId: rfq.id, attachmentId: file.id }, context: {} })) as Response;
    expect([own.status, own.headers.get("content-disposition")]).toEqual([200, `attachment; filename="alpha-quote.pdf"; filename*=UTF-8''alpha-quote.pdf`]);
    const mine = (await receiptsRoute.loader({ request: request(`/rfqs/${rfq.id}/receipts.json`, { cookie: a.cookie }), params: { rfqId: rfq.id }, context: {} })) as Response;
    expect(mine.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect((JSON.parse(await mine.text()) as { receipts: unknown[] }).receipts).toHaveLength(1);
    // The live stream of the owner carries its own offer.
    expect((await firstUpdate(rfq.id, a.cookie)).update).toMatchObject({ offer: { status: "submitted", total: { amountMinor: String(987654 * 120) } } });
  });

  it("files: a refused upload comes back on the files page with its error (422); RFQ documents follow the RFQ's visibility", async () => {
    const s = await seller("Cartonnerie Files");
    const outsider = await seller("Film Only", { slug: "packaging-film" });
    const rfq = await openRfq();
    const noOffer = await call(filesRoute.action, upload(`/rfqs/${rfq.id}/offer-attachments`, s.cookie, { intent: "upload" }, { name: "a.pdf", bytes: new TextEncoder().encode("%PDF-1.7") }), { rfqId: rfq.id });
    expect(noOffer.status).toBe(422);
    expect((noOffer.data as Failure).fieldErrors).toEqual({ file: [translate("en", "offerAttachment.no_offer")] });
    await call(rfqRoute.action, post(`/rfqs/${rfq.id}`, s.cookie, offerFields(rfq, "2.00")), { rfqId: rfq.id });
    const wrongType = await call(filesRoute.action, upload(`/rfqs/${rfq.id}/offer-attachments`, s.cookie, { intent: "upload" }, { name: "a.pdf", bytes: new TextEncoder().encode("<html>") }), { rfqId: rfq.id });
    expect((wrongType.data as Failure).fieldErrors).toEqual({ file: [translate("en", "offerAttachment.type_not_allowed")] });
    const page = await call(filesRoute.loader, request(`/rfqs/${rfq.id}/offer-attachments`, { cookie: s.cookie }), { rfqId: rfq.id });
    expect(page.data).toMatchObject({ rules: { maxPerOffer: 5 }, view: { rfq: { id: rfq.id } } });

    // The buyer's document: for a seller that may see the RFQ, not for another.
    const doc = await db
      .insertInto("rfq_attachments")
      .values({ rfq_id: rfq.id, original_name: "drawing.pdf", content_type: "application/pdf", size_bytes: 8, sha256: "x", storage_key: `rfqs/${rfq.id.replaceAll("-", "")}/missing` })
      .returning("id")
      .executeTakeFirstOrThrow();
    const forOutsider = (await rfqFileRoute.loader({ request: request(`/rfqs/${rfq.id}/attachments/${doc.id}`, { cookie: outsider.cookie }), params: { rfqId: rfq.id, attachmentId: doc.id }, context: {} })) as Response;
    expect(forOutsider.status).toBe(404);
    // Another seller's RFQ page: not found either.
    const pageForOutsider = await call(rfqRoute.loader, request(`/rfqs/${rfq.id}`, { cookie: outsider.cookie }), { rfqId: rfq.id });
    expect(pageForOutsider.status).toBe(404);
  });

  it("every message key the seller's RFQ services and the offer rules can produce is translated", () => {
    const services = fileURLToPath(new URL("../../../packages/services/src/rfq/seller/", import.meta.url));
    const sources = [
      ...readdirSync(services)
        .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts") && f !== "test-support.ts")
        .map((f) => readFileSync(`${services}${f}`, "utf8")),
      readFileSync(fileURLToPath(new URL("../../../packages/domain/src/offer.ts", import.meta.url)), "utf8"),
    ];
    const keys = new Set<string>();
    for (const source of sources) {
      for (const m of source.matchAll(/["`]((?:offer|question|offerAttachment|rfqInbox|notes)\.[a-z_.]+)["`]/g)) keys.add(m[1] as string);
    }
    expect(keys.size).toBeGreaterThan(25);
    expect([...keys].filter((k) => !isMessageKey(k))).toEqual([]);
  });
});
