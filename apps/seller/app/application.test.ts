import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createTestDatabase } from "@souk/testing";
import { translate } from "@souk/ui";
import { call, ORIGIN, request, sessionCookieFrom, type Failure } from "@souk/ui/testing";
import { afterAll, describe, expect, it } from "vitest";

// The app reads its environment once, at import: point it at this file's database and a scratch
// storage directory first.
const testDb = await createTestDatabase();
const storageDir = await mkdtemp(path.join(tmpdir(), "souk-seller-app-"));
process.env.DATABASE_URL = testDb.url;
process.env.STORAGE_DIR = storageDir;
process.env.PUBLIC_URL = "http://localhost";
process.env.NODE_ENV = "test";

const { closeServices, services } = await import("./services.server");
const { signUp, DOCUMENT_LIMITS } = await import("@souk/services");
const application = await import("./routes/application");
const download = await import("./routes/application.documents.$documentId");
const dashboard = await import("./routes/_index");
const { requireTradingSeller } = await import("./lib/trading.server");

afterAll(async () => {
  await closeServices();
  await rm(storageDir, { recursive: true, force: true });
});

const { db } = testDb;
const PASSWORD = "a long enough passphrase";
let counter = 0;

/** A new seller organisation, signed in as its owner; `as(role)` adds a member of another role. */
async function newSeller() {
  counter += 1;
  const email = `owner${counter}@seller.test`;
  const owner = await signUp({ ...services, request: { app: "seller", ip: null, userAgent: null } }, { organizationName: `Seller ${counter}`, name: "Olive Owner", email, password: PASSWORD });
  const cookie = `souk_seller_session=${owner.token}`;
  async function as(role: "sales" | "fulfilment") {
    const other = await signUp({ ...services, request: { app: "seller", ip: null, userAgent: null } }, { organizationName: "Elsewhere", name: `${role} person`, email: `${role}${counter}@seller.test`, password: PASSWORD });
    await db.insertInto("memberships").values({ organization_id: owner.organizationId, user_id: other.userId, role }).execute();
    await db.updateTable("sessions").set({ active_organization_id: owner.organizationId }).where("user_id", "=", other.userId).execute();
    return `souk_seller_session=${other.token}`;
  }
  return { ...owner, name: `Seller ${counter}`, cookie, as };
}

async function categoryIds(count: number): Promise<string[]> {
  const rows = await db.selectFrom("categories").select("id").where("parent_id", "is not", null).orderBy("slug").limit(count).execute();
  return rows.map((r) => r.id);
}

/** The details form as the browser sends it (urlencoded; the checkboxes repeat their name). */
function detailsForm(cookie: string, fields: Record<string, string | string[]>, acceptLanguage = "en"): Request {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) for (const v of Array.isArray(value) ? value : [value]) body.append(name, v);
  const r = request("/application", { method: "POST", cookie, acceptLanguage });
  return new Request(r.url, { method: "POST", headers: r.headers, body });
}

/** The upload form: a multipart body, as the browser builds it. */
function uploadForm(cookie: string, file: { name: string; type: string; bytes: Uint8Array } | null): Request {
  const form = new FormData();
  form.set("intent", "upload");
  form.set("file", file ? new File([new Uint8Array(file.bytes)], file.name, { type: file.type }) : new File([], "", { type: "application/octet-stream" }));
  const headers = new Headers(request("/application", { cookie }).headers);
  return new Request(`${ORIGIN}/application`, { method: "POST", headers, body: form });
}

const complete = (categories: string[]) => ({
  legalName: "Atlas Industrial Supplies SAS",
  tradingName: "",
  country: "FR",
  companyNumber: "FR 40 303 265 045",
  addressLine1: "12 rue des Forges",
  addressLine2: "",
  postalCode: "69007",
  city: "Lyon",
  contactName: "Olive Owner",
  contactEmail: "olive@atlas.test",
  contactPhone: "+33 4 72 00 00 00",
  description: "Tools for workshops.",
  categoryIds: categories,
});

const PDF = new TextEncoder().encode("%PDF-1.7\n1 0 obj << >> endobj\n%%EOF\n");

async function storedFiles(): Promise<string[]> {
  const entries = await readdir(storageDir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

const countDocuments = async (organizationId: string) => (await db.selectFrom("seller_documents").select("id").where("organization_id", "=", organizationId).execute()).length;

type PageData = Awaited<ReturnType<typeof application.loader>>;

describe("/application", () => {
  it("shows a new seller its prefilled draft, the category tree and the document rules", async () => {
    const seller = await newSeller();
    const page = await call(application.loader, request("/application", { cookie: seller.cookie }));
    expect(page.status).toBe(200);
    const data = page.data as PageData;
    expect(data.application).toMatchObject({ status: "pending", canEdit: true, application: { legalName: seller.name, contactName: "Olive Owner", submittedAt: null } });
    expect(data.categories.length).toBeGreaterThan(20);
    expect(data.rules).toMatchObject({ maxBytes: DOCUMENT_LIMITS.maxBytes, maxPerApplication: DOCUMENT_LIMITS.maxPerApplication });
  });

  it("saves a draft and comes back with a flash message", async () => {
    const seller = await newSeller();
    const [first] = await categoryIds(1);
    const result = await call(application.action, detailsForm(seller.cookie, { intent: "save", legalName: "Atlas SAS", country: "DE", companyNumber: "de 123 456 789", categoryIds: [first ?? ""] }));
    expect(result.status).toBe(302);
    expect(result.location).toBe("/application");
    expect(result.headers.getSetCookie().some((c) => c.startsWith("souk_flash=flash.applicationSaved"))).toBe(true);
    const data = (await call(application.loader, request("/application", { cookie: seller.cookie }))).data as PageData;
    expect(data.application.application).toMatchObject({ legalName: "Atlas SAS", companyNumber: "DE123456789", categoryIds: [first] });
  });

  it("shows field errors in the reader's language, keeps every typed value and checked box, and writes nothing", async () => {
    const seller = await newSeller();
    const ids = await categoryIds(2);
    const fields = { intent: "save", legalName: "Atlas", country: "FR", companyNumber: "FR123", contactEmail: "olive@", categoryIds: ids };
    const result = await call(application.action, detailsForm(seller.cookie, fields, "fr"));
    expect(result.status).toBe(422);
    const failure = result.data as Failure;
    expect(failure.fieldErrors).toEqual({ companyNumber: [translate("fr", "company.number.invalid")], contactEmail: [translate("fr", "application.contact_email.invalid")] });
    expect(failure.values).toMatchObject({ intent: "save", legalName: "Atlas", companyNumber: "FR123", contactEmail: "olive@", categoryIds: ids.join(",") });
    expect(await db.selectFrom("seller_applications").select("organization_id").where("organization_id", "=", seller.organizationId).executeTakeFirst()).toBeUndefined();
  });

  it("submits: every missing field at once, then the whole application, which is then locked", async () => {
    const seller = await newSeller();
    const missing = await call(application.action, detailsForm(seller.cookie, { intent: "submit", legalName: "Atlas" }));
    expect(missing.status).toBe(422);
    expect(Object.keys((missing.data as Failure).fieldErrors)).toEqual(expect.arrayContaining(["country", "companyNumber", "addressLine1", "categoryIds", "description"]));

    const submitted = await call(application.action, detailsForm(seller.cookie, { intent: "submit", ...complete(await categoryIds(2)) }));
    expect(submitted.status).toBe(302);
    expect(submitted.headers.getSetCookie().some((c) => c.startsWith("souk_flash=flash.applicationSubmitted"))).toBe(true);
    const data = (await call(application.loader, request("/application", { cookie: seller.cookie }))).data as PageData;
    expect(data.application).toMatchObject({ status: "pending", canEdit: false, history: [{ move: "submit" }] });

    const again = await call(application.action, detailsForm(seller.cookie, { intent: "save", legalName: "Changed" }));
    expect(again.status).toBe(409);
    expect((again.data as Failure).formError).toBe(translate("en", "application.locked"));
  });

  it("is read-only for sales and fulfilment members: the action is forbidden", async () => {
    const seller = await newSeller();
    for (const role of ["sales", "fulfilment"] as const) {
      const cookie = await seller.as(role);
      const page = await call(application.loader, request("/application", { cookie }));
      expect((page.data as PageData).application.canEdit).toBe(false);
      expect((await call(application.action, detailsForm(cookie, { intent: "save", legalName: "Mine now" }))).status).toBe(403);
      expect((await call(application.action, uploadForm(cookie, { name: "a.pdf", type: "application/pdf", bytes: PDF }))).status).toBe(403);
    }
  });

  it("refuses an unknown intent as a form error", async () => {
    const seller = await newSeller();
    const result = await call(application.action, detailsForm(seller.cookie, { intent: "approve" }));
    expect(result.status).toBe(422);
    expect((result.data as Failure).formError).toBe(translate("en", "form.invalid"));
  });
});

describe("documents on /application", () => {
  it("uploads a PDF, lists it, downloads it with safe headers, and removes it", async () => {
    const seller = await newSeller();
    const uploaded = await call(application.action, uploadForm(seller.cookie, { name: "Kbis extrait été.pdf", type: "application/pdf", bytes: PDF }));
    expect(uploaded.status).toBe(302);
    const data = (await call(application.loader, request("/application", { cookie: seller.cookie }))).data as PageData;
    const [document] = data.application.documents;
    expect(document).toMatchObject({ originalName: "Kbis extrait été.pdf", contentType: "application/pdf", sizeBytes: PDF.byteLength });

    const response = (await download.loader({ request: request(`/application/documents/${document?.id}`, { cookie: seller.cookie }), params: { documentId: document?.id }, context: {} })) as Response;
    expect(response.status).toBe(200);
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(PDF);
    expect(Object.fromEntries(response.headers)).toMatchObject({
      "content-type": "application/pdf",
      "content-disposition": `attachment; filename="Kbis extrait ete.pdf"; filename*=UTF-8''Kbis%20extrait%20%C3%A9t%C3%A9.pdf`,
      "x-content-type-options": "nosniff",
      "cache-control": "private, no-store",
    });

    const removed = await call(application.action, detailsForm(seller.cookie, { intent: "remove-document", documentId: document?.id ?? "" }));
    expect(removed.status).toBe(302);
    expect(await countDocuments(seller.organizationId)).toBe(0);
  });

  it.each([
    ["an executable renamed .pdf", { name: "invoice.pdf", type: "application/pdf", bytes: new TextEncoder().encode("MZ\x90\0 This program cannot be run in DOS mode") }, "document.type_not_allowed"],
    ["plain text", { name: "notes.txt", type: "text/plain", bytes: new TextEncoder().encode("hello") }, "document.type_not_allowed"],
    ["no file at all", null, "document.required"],
  ])("refuses %s with the file's field error, storing nothing", async (_label, file, key) => {
    const seller = await newSeller();
    const before = await storedFiles();
    const result = await call(application.action, uploadForm(seller.cookie, file));
    expect(result.status).toBe(422);
    expect((result.data as Failure).fieldErrors).toEqual({ file: [translate("en", key as "document.required")] });
    expect((result.data as Failure).values.intent).toBe("upload");
    expect(await storedFiles()).toEqual(before);
    expect(await countDocuments(seller.organizationId)).toBe(0);
  });

  it("answers an upload over the size limit with the field error (not a 500), having read the whole body", async () => {
    const seller = await newSeller();
    const bytes = new Uint8Array(DOCUMENT_LIMITS.maxBytes + 1);
    bytes.set(PDF);
    const upload = uploadForm(seller.cookie, { name: "huge.pdf", type: "application/pdf", bytes });
    const before = await storedFiles();
    const result = await call(application.action, upload);
    expect(result.status).toBe(422);
    expect((result.data as Failure).fieldErrors).toEqual({ file: [translate("en", "document.too_large")] });
    expect(upload.bodyUsed).toBe(true);
    expect(await storedFiles()).toEqual(before);
    expect(await countDocuments(seller.organizationId)).toBe(0);
    // The message's figure is the real limit.
    expect(translate("en", "document.too_large")).toContain(`${DOCUMENT_LIMITS.maxBytes / 1024 / 1024} MB`);
    expect(translate("fr", "document.too_large")).toContain(`${DOCUMENT_LIMITS.maxBytes / 1024 / 1024} Mo`);
  });

  it("never serves another seller's document: 404, as for one that does not exist", async () => {
    const mine = await newSeller();
    const theirs = await newSeller();
    await call(application.action, uploadForm(theirs.cookie, { name: "secret.pdf", type: "application/pdf", bytes: PDF }));
    const [document] = ((await call(application.loader, request("/application", { cookie: theirs.cookie }))).data as PageData).application.documents;
    for (const documentId of [document?.id ?? "", "0d2c7a35-6a3b-4f7e-8c1d-2e3f4a5b6c7d", "..%2F..%2Fetc%2Fpasswd"]) {
      const result = await call(download.loader, request(`/application/documents/${documentId}`, { cookie: mine.cookie }), { documentId });
      expect(result.status, documentId).toBe(404);
    }
    // Nor remove it: the delete button's field, so the same field error as an unknown document.
    const removal = await call(application.action, detailsForm(mine.cookie, { intent: "remove-document", documentId: document?.id ?? "" }));
    expect(removal.status).toBe(422);
    expect((removal.data as Failure).fieldErrors).toEqual({ documentId: [translate("en", "document.unknown")] });
    expect(await countDocuments(theirs.organizationId)).toBe(1);
    // Signed out: to sign-in, not the file.
    expect((await call(download.loader, request(`/application/documents/${document?.id}`), { documentId: document?.id ?? "" })).status).toBe(302);
  });
});

describe("the dashboard and the trading guard", () => {
  it("the dashboard says where the seller stands and links to the next step", async () => {
    const seller = await newSeller();
    const home = await call(dashboard.loader, request("/", { cookie: seller.cookie }));
    expect(home.data).toMatchObject({ seller: { status: "pending", canEdit: true, application: { submittedAt: null } }, memberCount: 1 });
  });

  it("requireTradingSeller lets only an active seller through; the others go to their application", async () => {
    const seller = await newSeller();
    const guard = ({ request: r }: { request: Request }) => requireTradingSeller(r, "manage:listings:org");
    for (const status of ["pending", "info_requested", "rejected", "suspended"] as const) {
      await db.updateTable("organizations").set({ status }).where("id", "=", seller.organizationId).execute();
      const refused = await call(guard, request("/listings", { cookie: seller.cookie }));
      expect(refused.status, status).toBe(302);
      expect(refused.location).toBe("/application");
      expect(refused.headers.getSetCookie().some((c) => c.startsWith("souk_flash=flash.sellerNotTrading"))).toBe(true);
    }
    await db.updateTable("organizations").set({ status: "active" }).where("id", "=", seller.organizationId).execute();
    const allowed = await call(guard, request("/listings", { cookie: seller.cookie }));
    expect(allowed.status).toBe(200);
    expect(allowed.data).toMatchObject({ actor: { organizationStatus: "active", role: "owner" } });
    // The permission still counts: fulfilment does not manage listings.
    expect((await call(guard, request("/listings", { cookie: await seller.as("fulfilment") }))).status).toBe(403);
    // Signed out: to sign-in first.
    expect((await call(guard, request("/listings"))).location).toMatch(/^\/sign-in/);
    expect(sessionCookieFrom(allowed)).toBeNull();
  });
});
