import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "@souk/testing";
import { translate } from "@souk/ui";
import { call, request, sessionCookieFrom, type Failure } from "@souk/ui/testing";

// The app reads its environment once, at import: point it at this file's database and storage first.
const testDb = await createTestDatabase();
const storageDir = await mkdtemp(path.join(tmpdir(), "souk-operator-"));
process.env.DATABASE_URL = testDb.url;
process.env.PUBLIC_URL = "http://localhost";
process.env.NODE_ENV = "test";
process.env.STORAGE_DIR = storageDir;

const { closeServices, services } = await import("./services.server");
const { createOperator, createLocalDiskStorage, newStorageKey } = await import("@souk/services");
const { NAVIGATION } = await import("./lib/app");
const signIn = await import("./routes/sign-in");
const sellers = await import("./routes/sellers");
const sellerPage = await import("./routes/sellers_.$organizationId");
const documentRoute = await import("./routes/sellers_.$organizationId_.documents.$documentId");
const audit = await import("./routes/audit");
const auditCsv = await import("./routes/audit[.csv]");

afterAll(async () => {
  await closeServices();
  await rm(storageDir, { recursive: true, force: true });
});

const db = testDb.db;
const PASSWORD = "a long enough passphrase";
const cookies: Record<"admin" | "moderator" | "finance", string> = { admin: "", moderator: "", finance: "" };
const PDF = new TextEncoder().encode("%PDF-1.4\n%âãÏÓ\n1 0 obj\n<<>>\nendobj\n%%EOF\n");

async function signedIn(role: "admin" | "moderator" | "finance") {
  const email = `${role}@ops.souk.test`;
  await createOperator(services, { email, name: `${role[0]?.toUpperCase()}${role.slice(1)} Operator`, password: PASSWORD, role });
  const result = await call(signIn.action, request("/sign-in", { form: { email, password: PASSWORD } }));
  expect(result.status).toBe(302);
  return sessionCookieFrom(result) as string;
}

let counter = 0;
/** A seller with one owner and a submitted application, straight in the tables. */
async function seller(options: { status?: "pending" | "active"; country?: string; submittedAt?: string } = {}) {
  counter += 1;
  const org = await db.insertInto("organizations").values({ kind: "seller", name: `Atelier ${counter}`, status: options.status ?? "pending" }).returning("id").executeTakeFirstOrThrow();
  const owner = await db
    .insertInto("users")
    .values({ email: `owner${counter}@seller.test`, name: `Owner ${counter}`, password_hash: "x", locale: "fr" })
    .returning("id")
    .executeTakeFirstOrThrow();
  await db.insertInto("memberships").values({ organization_id: org.id, user_id: owner.id, role: "owner" }).execute();
  await db
    .insertInto("seller_applications")
    .values({
      organization_id: org.id,
      legal_name: `Atelier ${counter} SAS`,
      trading_name: `Atelier ${counter}`,
      country: options.country ?? "FR",
      contact_email: `owner${counter}@seller.test`,
      submitted_at: options.submittedAt ?? `2030-01-${String(counter).padStart(2, "0")}T09:00:00Z`,
      updated_at: new Date(),
    })
    .execute();
  return { id: org.id, ownerId: owner.id };
}

async function document(sellerId: string, name: string) {
  const key = newStorageKey(["sellers", sellerId]);
  await createLocalDiskStorage(storageDir).put(key, PDF);
  const row = await db
    .insertInto("seller_documents")
    .values({ organization_id: sellerId, original_name: name, content_type: "application/pdf", size_bytes: PDF.byteLength, sha256: "0".repeat(64), storage_key: key })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

const statusOf = async (id: string) => (await db.selectFrom("organizations").select("status").where("id", "=", id).executeTakeFirstOrThrow()).status;

beforeAll(async () => {
  cookies.admin = await signedIn("admin");
  cookies.moderator = await signedIn("moderator");
  cookies.finance = await signedIn("finance");
});

describe("operator console: seller review", () => {
  it("has Sellers and Audit log in its navigation", () => {
    expect(NAVIGATION.map((n) => n.to)).toEqual(expect.arrayContaining(["/sellers", "/audit"]));
  });

  it("lists the queue from the URL's filters, oldest first, and keeps the page up when a filter is refused", async () => {
    const fr = await seller({ country: "FR" });
    const de = await seller({ country: "DE" });
    const all = await call(sellers.loader, request("/sellers", { cookie: cookies.moderator }));
    expect(all.status).toBe(200);
    const data = all.data as { queue: { items: { organizationId: string }[]; counts: Record<string, number> }; filterErrors: object };
    expect(data.queue.items.map((i) => i.organizationId).slice(-2)).toEqual([fr.id, de.id]);
    expect(data.filterErrors).toEqual({});

    const germany = await call(sellers.loader, request("/sellers?country=DE&status=pending", { cookie: cookies.moderator }));
    expect((germany.data as typeof data).queue.items.map((i) => i.organizationId)).toEqual([de.id]);

    const refused = await call(sellers.loader, request("/sellers?country=Germany&submittedFrom=2030-13-01", { cookie: cookies.moderator, acceptLanguage: "fr" }));
    expect(refused.status).toBe(200);
    const refusedData = refused.data as typeof data & { filters: Record<string, string>; filterErrors: Record<string, string[]> };
    expect(refusedData.filterErrors).toEqual({ country: [translate("fr", "review.filter.country_invalid")], submittedFrom: [translate("fr", "review.filter.date_invalid")] });
    expect(refusedData.filters).toEqual({ country: "Germany", submittedFrom: "2030-13-01" });
    expect(refusedData.queue.items.length).toBe(data.queue.items.length);
  });

  it("shows a seller with its documents; a reviewer downloads one as an attachment that no cache keeps", async () => {
    const s = await seller();
    const documentId = await document(s.id, 'Kbis "2030"; société.pdf');
    const page = await call(sellerPage.loader, request(`/sellers/${s.id}`, { cookie: cookies.moderator }), { organizationId: s.id });
    expect(page.data).toMatchObject({
      review: { organization: { id: s.id, status: "pending" }, documents: [{ id: documentId, originalName: 'Kbis "2030"; société.pdf' }], availableDecisions: ["approve", "reject", "request_info"] },
    });

    const download = await call(documentRoute.loader, request(`/sellers/${s.id}/documents/${documentId}`, { cookie: cookies.moderator }), { organizationId: s.id, documentId });
    expect(download.status).toBe(200);
    expect(download.headers.get("content-type")).toBe("application/pdf");
    expect(download.headers.get("content-disposition")).toBe(`attachment; filename="Kbis _2030__ societe.pdf"; filename*=UTF-8''Kbis%20%222030%22%3B%20soci%C3%A9t%C3%A9.pdf`);
    expect(download.headers.get("x-content-type-options")).toBe("nosniff");
    expect(download.headers.get("cache-control")).toBe("private, no-store");
    expect(download.headers.get("content-length")).toBe(String(PDF.byteLength));

    // Another seller's document through this seller's URL, or an unknown one: 404.
    const other = await seller();
    const theirs = await document(other.id, "theirs.pdf");
    for (const params of [{ organizationId: s.id, documentId: theirs }, { organizationId: s.id, documentId: "nope" }]) {
      expect((await call(documentRoute.loader, request(`/sellers/${params.organizationId}/documents/${params.documentId}`, { cookie: cookies.admin }), params)).status).toBe(404);
    }
    expect((await call(sellerPage.loader, request("/sellers/nope", { cookie: cookies.admin }), { organizationId: "nope" })).status).toBe(404);
  });

  it("returns the decision form with the message when the question is missing, then asks it and confirms with a flash", async () => {
    const s = await seller();
    const url = `/sellers/${s.id}`;
    const missing = await call(sellerPage.action, request(url, { cookie: cookies.moderator, form: { decision: "request_info", message: "  " } }), { organizationId: s.id });
    expect(missing.status).toBe(422);
    expect((missing.data as Failure).fieldErrors).toEqual({ message: [translate("en", "decision.question_required")] });
    expect((missing.data as Failure).values.decision).toBe("request_info");
    expect(await statusOf(s.id)).toBe("pending");

    // A seller id slipped into the form does not redirect the decision to another seller.
    const bystander = await seller();
    const asked = await call(
      sellerPage.action,
      request(url, { cookie: cookies.moderator, form: { decision: "request_info", message: "Which VAT number?", organizationId: bystander.id } }),
      { organizationId: s.id },
    );
    expect(asked.status).toBe(302);
    expect(asked.location).toBe(url);
    expect(asked.headers.getSetCookie().join("\n")).toContain("souk_flash=flash.sellerInfoRequested");
    expect(await statusOf(s.id)).toBe("info_requested");
    expect(await statusOf(bystander.id)).toBe("pending");

    const illegal = await call(sellerPage.action, request(url, { cookie: cookies.admin, form: { decision: "approve" } }), { organizationId: s.id });
    expect(illegal.status).toBe(409);
    expect((illegal.data as Failure).fieldErrors.decision).toEqual([translate("en", "seller.illegal_transition")]);
  });

  it("suspends an active seller and reinstates it", async () => {
    const s = await seller({ status: "active" });
    const url = `/sellers/${s.id}`;
    const suspended = await call(sellerPage.action, request(url, { cookie: cookies.admin, form: { decision: "suspend", message: "Counterfeits." } }), { organizationId: s.id });
    expect(suspended.headers.getSetCookie().join("\n")).toContain("souk_flash=flash.sellerSuspended");
    expect(await statusOf(s.id)).toBe("suspended");
    const page = await call(sellerPage.loader, request(url, { cookie: cookies.admin }), { organizationId: s.id });
    expect(page.data).toMatchObject({ review: { availableDecisions: ["reinstate"], history: [{ move: "suspend", message: "Counterfeits.", actor: { name: "Admin Operator" } }] } });
    await call(sellerPage.action, request(url, { cookie: cookies.admin, form: { decision: "reinstate" } }), { organizationId: s.id });
    expect(await statusOf(s.id)).toBe("active");
  });

  it("closes every seller page to finance operators (403), before reading the form", async () => {
    const s = await seller();
    const documentId = await document(s.id, "k.pdf");
    expect((await call(sellers.loader, request("/sellers", { cookie: cookies.finance }))).status).toBe(403);
    expect((await call(sellerPage.loader, request(`/sellers/${s.id}`, { cookie: cookies.finance }), { organizationId: s.id })).status).toBe(403);
    expect((await call(sellerPage.action, request(`/sellers/${s.id}`, { cookie: cookies.finance, form: { decision: "approve" } }), { organizationId: s.id })).status).toBe(403);
    expect((await call(documentRoute.loader, request(`/sellers/${s.id}/documents/${documentId}`, { cookie: cookies.finance }), { organizationId: s.id, documentId })).status).toBe(403);
    expect(await statusOf(s.id)).toBe("pending");
    // Signed out: to the sign-in page, coming back here afterwards.
    expect((await call(sellers.loader, request("/sellers?status=pending"))).location).toBe(`/sign-in?redirectTo=${encodeURIComponent("/sellers?status=pending")}`);
  });
});

describe("operator console: audit log", () => {
  it("lists the log with filters for every operator role, finance included", async () => {
    const s = await seller({ status: "active" });
    await call(sellerPage.action, request(`/sellers/${s.id}`, { cookie: cookies.moderator, form: { decision: "suspend", message: "Fraud, \"confirmed\"" } }), { organizationId: s.id });
    const result = await call(audit.loader, request(`/audit?organizationId=${s.id}&action=seller.*`, { cookie: cookies.finance }));
    expect(result.status).toBe(200);
    expect(result.data).toMatchObject({
      view: { total: 1, items: [{ action: "seller.suspended", reason: 'Fraud, "confirmed"', actor: { name: "Moderator Operator" } }], organization: { id: s.id } },
      filterErrors: {},
      exportLimit: 50_000,
    });
    const refused = await call(audit.loader, request("/audit?actor=bob", { cookie: cookies.finance }));
    expect((refused.data as { filterErrors: object }).filterErrors).toEqual({ actor: [translate("en", "audit.filter.actor_invalid")] });
  });

  it("exports the same filters as a CSV attachment", async () => {
    const s = await seller({ status: "active" });
    await call(sellerPage.action, request(`/sellers/${s.id}`, { cookie: cookies.admin, form: { decision: "suspend", message: "=1+1, then \"more\"\nline" } }), { organizationId: s.id });
    const result = await call(auditCsv.loader, request(`/audit.csv?organizationId=${s.id}&action=seller.suspended`, { cookie: cookies.moderator }));
    expect(result.status).toBe(200);
    expect(result.headers.get("content-type")).toBe("text/csv; charset=utf-8; header=present");
    expect(result.headers.get("content-disposition")).toMatch(/^attachment; filename="souk-audit-log-\d{4}-\d{2}-\d{2}\.csv"/);
    expect(result.headers.get("x-content-type-options")).toBe("nosniff");
    expect(result.headers.get("cache-control")).toBe("private, no-store");
    const response = await auditCsv.loader({ request: request(`/audit.csv?organizationId=${s.id}&action=seller.suspended`, { cookie: cookies.moderator }), params: {}, context: {} });
    const bytes = new Uint8Array(await response.arrayBuffer());
    // UTF-8 with its byte order mark, for spreadsheet programs.
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes);
    expect(text.startsWith("\uFEFFoccurred_at,action,")).toBe(true);
    const lines = text.split("\r\n");
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain(`,"'=1+1, then ""more""\nline",`);
    expect((await call(auditCsv.loader, request("/audit.csv"))).status).toBe(302);
    // A filter the page would refuse: the reason as text, not a file nor a server error.
    const invalid = await auditCsv.loader({ request: request("/audit.csv?from=2030-13-01", { cookie: cookies.moderator, acceptLanguage: "fr" }), params: {}, context: {} });
    expect(invalid.status).toBe(422);
    expect(invalid.headers.get("content-disposition")).toBeNull();
    expect(await invalid.text()).toBe(translate("fr", "audit.filter.date_invalid"));
  });
});
