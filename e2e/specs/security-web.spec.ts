import { createHash, randomBytes } from "node:crypto";
import { expect, test, type Page } from "@playwright/test";
import type pg from "pg";
import {
  APPS,
  dataUrl,
  DEMO_ACCOUNTS,
  formBody,
  formsOf,
  http,
  rawPost,
  sessionCookieOf,
  signIn,
  snapshot,
  withDatabase,
  type App,
  type FormValue,
  type PageForm,
} from "../security-support";
import { DEMO_PASSWORD, PASSWORD, runTag, uniqueEmail, URLS } from "../support";

/*
 * Issue 8, the web-level probes against the production servers: CSRF (cross-site and null-Origin
 * form posts), session fixation, sign-out invalidation, cookie flags, mass assignment, oversized
 * bodies, and sign-in throttling under a credential-stuffing burst. Each checks the database too:
 * a refused request must have changed nothing, an accepted one only what its form says.
 */

test.describe.configure({ mode: "serial" });

const FOREIGN_ORIGINS = ["http://evil.example", "null"];

/** What sign-in stores for a token (packages/auth: only the SHA-256 of the token is kept). */
function sessionId(cookie: string): string {
  return createHash("sha256").update(cookie.split("=")[1]!).digest("hex");
}

async function one<T extends pg.QueryResultRow>(db: pg.Client, text: string, args: unknown[] = []): Promise<T> {
  const rows = await db.query<T>(text, args);
  expect(rows.rows.length, text).toBeGreaterThan(0);
  return rows.rows[0]!;
}

/** The form of `path` with this intent, as its page shows it to the owner (filled in). */
async function pageForm(page: Page, app: App, cookie: string, path: string, intent: string | null): Promise<PageForm> {
  const answer = await http(app, path, { cookie });
  expect(answer.status, `GET ${path}`).toBe(200);
  const form = (await formsOf(page, `${URLS[app]}${path}`, answer.text)).find((f) => f.intent === intent && f.action.split("?")[0] === path);
  expect(form, `a ${intent} form on ${path}`).toBeTruthy();
  return form!;
}

/** The form with some of its fields changed, plus `extra` fields it does not have (a name it has is left as the page set it). */
function withFields(form: PageForm, change: Record<string, string>, extra: Record<string, string> = {}): PageForm {
  const entries: [string, FormValue][] = form.entries.map(([k, v]) => [k, k in change ? change[k]! : v]);
  const own = new Set(form.entries.map(([k]) => k));
  for (const [k, v] of Object.entries(extra)) if (!own.has(k)) entries.push([k, v]);
  return { ...form, entries };
}

let page: Page;
test.beforeAll(async ({ browser }) => {
  page = await (await browser.newContext()).newPage();
});
test.afterAll(async () => {
  await page.context().close();
});

// ————————————————————————————————————————————————————————————————————————————————————————————
// CSRF
// ————————————————————————————————————————————————————————————————————————————————————————————

test("a form posted from another site or an opaque (null) origin is refused on every app, and changes nothing", async () => {
  await withDatabase(async (db) => {
    // Sign-in, with credentials that would work: no session is made.
    for (const app of APPS) {
      const account = DEMO_ACCOUNTS.find((a) => a.app === app)!;
      for (const origin of [...FOREIGN_ORIGINS, URLS[APPS.find((a) => a !== app)!]]) {
        const forged = await http(app, "/sign-in", { origin, form: [["email", account.email], ["password", DEMO_PASSWORD]] });
        expect(forged.status, `${app} sign-in from ${origin}`).toBe(403);
        expect(forged.headers.getSetCookie(), `${app} sign-in from ${origin}`).toEqual([]);
      }
      // Neither Origin nor Referer (a client that hides both): refused too; a foreign Referer alone as well.
      const bare = await http(app, "/sign-in", { origin: null, form: [["email", account.email], ["password", DEMO_PASSWORD]] });
      expect(bare.status).toBe(403);
      const referred = await http(app, "/sign-in", { origin: null, headers: { referer: "http://evil.example/page" }, form: [["email", account.email], ["password", DEMO_PASSWORD]] });
      expect(referred.status).toBe(403);

      // Sign-out forged: the session lives on.
      const cookie = await signIn(app, account.email);
      for (const origin of FOREIGN_ORIGINS) {
        const forged = await http(app, "/sign-out", { cookie, origin, form: [] });
        expect(forged.status, `${app} sign-out from ${origin}`).toBe(403);
      }
      expect((await http(app, "/account", { cookie })).status, `${app}: still signed in`).toBe(200);
      expect((await db.query("select 1 from sessions where id = $1", [sessionId(cookie)])).rows.length).toBe(1);
    }

    // State-changing actions with the owner's own forms: an offer, an order move on each side, an operator decision.
    const kasbah = await signIn("seller", "sales@kasbah.test");
    const rfq = await one<{ id: string }>(db, "select r.id from rfqs r join organizations o on o.id = r.buyer_id where o.name = 'Atlas Industrie' and r.status = 'open' and r.sealing = 'sealed' and not exists (select 1 from offers f join organizations s on s.id = f.seller_id where f.rfq_id = r.id and s.name = 'Kasbah Bureau') order by r.created_at limit 1");
    const medina = await signIn("seller", "owner@medina.test");
    const order = await one<{ id: string }>(db, "select o.id from orders o join organizations s on s.id = o.seller_id where s.name = 'Médina Fournitures' and o.status = 'placed' order by o.created_at limit 1");
    const atlas = await signIn("buyer", "admin@atlas.test");
    const buyerOrder = await one<{ id: string }>(db, "select o.id from orders o join organizations b on b.id = o.buyer_id where b.name = 'Atlas Industrie' and o.status = 'placed' order by o.created_at desc limit 1");
    const moderator = await signIn("operator", "ops.moderator@souk.test");
    const listing = await one<{ id: string }>(db, "select id from listings where status = 'published' order by created_at limit 1");
    const cases: { app: App; cookie: string; path: string; intent: string | null; roots: { table: string; id: string }[] }[] = [
      { app: "seller", cookie: kasbah, path: `/rfqs/${rfq.id}`, intent: "save", roots: [{ table: "rfqs", id: rfq.id }] },
      { app: "seller", cookie: medina, path: `/orders/${order.id}`, intent: "accept", roots: [{ table: "orders", id: order.id }] },
      { app: "buyer", cookie: atlas, path: `/orders/${buyerOrder.id}`, intent: "cancel", roots: [{ table: "orders", id: buyerOrder.id }] },
      { app: "operator", cookie: moderator, path: `/listings/${listing.id}`, intent: null, roots: [{ table: "listings", id: listing.id }] },
    ];
    for (const c of cases) {
      const forms = (await formsOf(page, `${URLS[c.app]}${c.path}`, (await http(c.app, c.path, { cookie: c.cookie })).text)).filter((f) => f.action.split("?")[0] === c.path);
      const form = forms.find((f) => f.intent === c.intent) ?? forms[0];
      expect(form, `a form on ${c.path}`).toBeTruthy();
      const before = await snapshot(db, c.roots);
      for (const origin of FOREIGN_ORIGINS) {
        const forged = await http(c.app, form!.action, { cookie: c.cookie, origin, ...formBody(form!) });
        expect(forged.status, `${c.app} ${c.path} (${form!.intent}) from ${origin}`).toBe(403);
      }
      expect(await snapshot(db, c.roots), `${c.path}: nothing changed`).toBe(before);
    }
  });
});

// ————————————————————————————————————————————————————————————————————————————————————————————
// Sessions
// ————————————————————————————————————————————————————————————————————————————————————————————

test("sign-in never adopts a session it did not make: a planted cookie stays what it was and a new id is issued", async () => {
  await withDatabase(async (db) => {
    for (const app of APPS) {
      const [victim, planter] = DEMO_ACCOUNTS.filter((a) => a.app === app);
      const known = new Set((await db.query<{ id: string }>("select id from sessions")).rows.map((r) => r.id));
      // A token the attacker made up (well-formed), and a real session of the attacker's own.
      const madeUp = `souk_${app}_session=${Array.from(randomBytes(32), (b) => "abcdefghijklmnopqrstuvwxyz234567"[b % 32]).join("")}`;
      const planted = await signIn(app, planter!.email);
      known.add(sessionId(planted));
      for (const preset of [madeUp, planted]) {
        // The sign-in page itself does not take it up either.
        await http(app, "/sign-in", { cookie: preset });
        const answer = await http(app, "/sign-in", { cookie: preset, form: [["email", victim!.email], ["password", DEMO_PASSWORD]] });
        expect(answer.status, `${app} sign-in`).toBe(302);
        const issued = sessionCookieOf(app, answer);
        expect(issued, "a new session cookie").toBeTruthy();
        expect(issued).not.toBe(preset);
        expect(known.has(sessionId(issued!)), "an id never seen before").toBe(false);
        known.add(sessionId(issued!));
        expect((await db.query("select user_id from sessions where id = $1", [sessionId(issued!)])).rows.length).toBe(1);
      }
      // The made-up token opens nothing; the planted session is still the planter's, not upgraded to the victim.
      expect((await http(app, "/account", { cookie: madeUp })).location).toMatch(/^\/sign-in/);
      expect((await db.query("select 1 from sessions where id = $1", [sessionId(madeUp)])).rows.length).toBe(0);
      const plantedPage = await http(app, "/account", { cookie: planted });
      expect(plantedPage.status).toBe(200);
      expect(plantedPage.text).toContain(planter!.email);
      expect(plantedPage.text).not.toContain(victim!.email);
    }
  });
});

test("after sign-out the old cookie opens nothing, anywhere, and its session row is gone", async () => {
  await withDatabase(async (db) => {
    for (const app of APPS) {
      const account = DEMO_ACCOUNTS.filter((a) => a.app === app).at(-1)!;
      const cookie = await signIn(app, account.email);
      expect((await http(app, "/account", { cookie })).status).toBe(200);
      const out = await http(app, "/sign-out", { cookie, form: [] });
      expect(out.status).toBe(302);
      // The browser is told to drop the cookie.
      expect(out.headers.getSetCookie().some((c) => c.startsWith(`souk_${app}_session=;`) && /Max-Age=0/i.test(c))).toBe(true);
      expect((await db.query("select 1 from sessions where id = $1", [sessionId(cookie)])).rows.length).toBe(0);
      // Replayed: pages, their data and actions all send it to sign in.
      for (const path of ["/account", "/", "/members"]) {
        expect((await http(app, path, { cookie })).location ?? "", `${app} GET ${path}`).toMatch(/^\/sign-in/);
        const data = await http(app, dataUrl(path), { cookie });
        expect(data.status, `${app} GET ${dataUrl(path)}`).toBe(202);
        expect(data.location ?? "").toMatch(/^\/sign-in/);
      }
      const action = await http(app, "/account", { cookie, form: [["currentPassword", DEMO_PASSWORD], ["newPassword", "another long passphrase"]] });
      expect(action.location ?? "", `${app} POST /account`).toMatch(/^\/sign-in/);
    }
  });
});

test("every cookie the apps set is HttpOnly, SameSite=Lax and Path=/ (Secure over https: packages/auth cookie.test.ts)", async () => {
  for (const app of APPS) {
    const account = DEMO_ACCOUNTS.find((a) => a.app === app)!;
    const answer = await http(app, "/sign-in", { form: [["email", account.email], ["password", DEMO_PASSWORD]] });
    const cookies = answer.headers.getSetCookie();
    // The session and the welcome message (flash).
    expect(cookies.length, `${app}: ${cookies.join(" | ")}`).toBeGreaterThanOrEqual(1);
    expect(cookies.some((c) => c.startsWith(`souk_${app}_session=`))).toBe(true);
    for (const cookie of cookies) {
      const attributes = cookie.split(";").slice(1).map((a) => a.trim().toLowerCase());
      expect(attributes, cookie).toContain("httponly");
      expect(attributes.some((a) => a === "samesite=lax" || a === "samesite=strict"), cookie).toBe(true);
      expect(attributes, cookie).toContain("path=/");
      // This run's public URLs are plain-http localhost, where browsers refuse Secure cookies.
      expect(attributes, cookie).not.toContain("secure");
    }
  }
});

test("no redirect target taken from a request leaves the site (sign-in, sign-out, language, organisation switch)", async () => {
  // What browsers resolve to another host, in the forms that slip past a naive "starts with /" check.
  const targets = ["//evil.example", "/\\evil.example", "https://evil.example/", "/\t/evil.example", "/..//evil.example", "/a/../..//evil.example/x", "/%2e%2e//evil.example", "javascript:alert(1)"];
  const problems: string[] = [];
  const expectHome = (app: App, what: string, answer: { status: number; headers: Headers }) => {
    const location = answer.headers.get("location") ?? "";
    if (answer.status < 300 || answer.status >= 400 || new URL(location, URLS[app]).origin !== URLS[app] || location.startsWith("//") || /^[a-z]+:/i.test(location)) problems.push(`${app} ${what} → ${answer.status} ${location}`);
  };
  for (const app of APPS) {
    const account = DEMO_ACCOUNTS.find((a) => a.app === app)!;
    const cookie = await signIn(app, account.email);
    for (const target of targets) {
      expectHome(app, `POST /sign-in redirectTo=${target}`, await http(app, "/sign-in", { form: [["email", account.email], ["password", DEMO_PASSWORD], ["redirectTo", target]] }));
      expectHome(app, `GET /sign-in?redirectTo=${target} (signed in)`, await http(app, `/sign-in?redirectTo=${encodeURIComponent(target)}`, { cookie }));
      expectHome(app, `POST /language redirectTo=${target}`, await http(app, "/language", { cookie, form: [["locale", "en"], ["redirectTo", target]] }));
      const orgId = await withDatabase(async (db) => (await db.query<{ id: string }>("select m.organization_id as id from memberships m join users u on u.id = m.user_id where u.email = $1 limit 1", [account.email])).rows[0]!.id);
      expectHome(app, `POST /organizations/switch redirectTo=${target}`, await http(app, "/organizations/switch", { cookie, form: [["organizationId", orgId], ["redirectTo", target]] }));
      const leaving = await signIn(app, account.email);
      expectHome(app, `POST /sign-out redirectTo=${target}`, await http(app, "/sign-out", { cookie: leaving, form: [["redirectTo", target]] }));
    }
  }
  expect(problems).toEqual([]);
});

// ————————————————————————————————————————————————————————————————————————————————————————————
// Mass assignment: fields no form has, naming another tenant, a status, money, a role
// ————————————————————————————————————————————————————————————————————————————————————————————

test("fields a form does not have (seller, buyer, organisation, status, commission, prices, role) are ignored or refused", async () => {
  await withDatabase(async (db) => {
    const org = async (name: string) => (await one<{ id: string }>(db, "select id from organizations where name = $1", [name])).id;
    const [rifId, medinaId, atlasId, borealId, kasbahId] = [await org("Rif Emballages"), await org("Médina Fournitures"), await org("Atlas Industrie"), await org("Boréal Hôtels"), await org("Kasbah Bureau")];
    const rifListing = await one<{ id: string }>(db, "select id from listings where seller_id = $1 order by created_at limit 1", [rifId]);
    const rifOffer = await one<{ id: string; rfq_id: string }>(db, "select id, rfq_id from offers where seller_id = $1 order by submitted_at limit 1", [rifId]);
    const extras = {
      sellerId: rifId,
      seller_id: rifId,
      buyerId: borealId,
      organizationId: rifId,
      status: "published",
      commissionBps: "0",
      commission_bps: "0",
      totalMinor: "1",
      unitPrice: "0.01",
      role: "admin",
      id: rifListing.id,
      version: "999",
    };
    const rifRows = () => snapshot(db, [{ table: "listings", id: rifListing.id }, { table: "offers", id: rifOffer.id }, { table: "organizations", id: rifId }]);
    const rifBefore = await rifRows();
    const run = runTag();

    // A new listing of Médina, posted with another seller, a status and a price list of its own choosing.
    const medina = await signIn("seller", "owner@medina.test");
    const sku = `MASS-${run}`;
    const create = withFields(await pageForm(page, "seller", medina, "/listings/new", "save"), { sku, title: `Mass assignment ${run}`, currency: "EUR", tiers: "", attributes: "", listPrice: "12.50", stock: "5" }, extras);
    const created = await http("seller", "/listings/new", { cookie: medina, ...formBody(create) });
    expect(created.status, created.text.slice(0, 400)).toBe(302);
    const listing = await one<{ id: string; seller_id: string; status: string; list_price_minor: string; version: number }>(db, "select id, seller_id, status, list_price_minor::text, version from listings where sku = $1", [sku]);
    expect(listing).toMatchObject({ seller_id: medinaId, status: "draft", list_price_minor: "1250", version: 1 });

    // Editing it with the same extras: still Médina's, still a draft.
    const edit = withFields(await pageForm(page, "seller", medina, `/listings/${listing.id}`, "save"), { title: `Mass assignment edited ${run}`, tiers: "", attributes: "" }, extras);
    const edited = await http("seller", `/listings/${listing.id}`, { cookie: medina, ...formBody(edit) });
    expect(edited.status, (edited.text.match(/field-error[^>]*>[^<]*/g) ?? []).join(" | ")).toBe(302);
    expect(await one(db, "select seller_id, status, title from listings where id = $1", [listing.id])).toEqual({ seller_id: medinaId, status: "draft", title: `Mass assignment edited ${run}` });

    // Kasbah's offer on an open RFQ, posted as if it were Rif's, already locked, at a total of one cent.
    const kasbah = await signIn("seller", "sales@kasbah.test");
    const rfq = await one<{ id: string }>(db, "select r.id from rfqs r where r.status = 'open' and r.sealing = 'sealed' and exists (select 1 from offers f where f.rfq_id = r.id and f.seller_id = $1) and not exists (select 1 from offers f where f.rfq_id = r.id and f.seller_id = $2) order by r.created_at limit 1", [rifId, kasbahId]);
    const offerForm = withFields(await pageForm(page, "seller", kasbah, `/rfqs/${rfq.id}`, "save"), {}, { ...extras, status: "locked", offerId: rifOffer.id, revision: "99", total_minor: "1" });
    const offered = await http("seller", `/rfqs/${rfq.id}`, { cookie: kasbah, ...formBody(offerForm) });
    expect(offered.status, offered.text.slice(0, 400)).toBe(302);
    const offer = await one<{ seller_id: string; status: string; revision: number; total_minor: string }>(db, "select seller_id, status, revision, total_minor::text from offers where rfq_id = $1 and seller_id = $2", [rfq.id, kasbahId]);
    const lines = await one<{ sum: string }>(db, "select coalesce(sum(unit_price_minor * quantity), 0)::text as sum from offer_lines l join offers f on f.id = l.offer_id where f.rfq_id = $1 and f.seller_id = $2", [rfq.id, kasbahId]);
    expect(offer).toMatchObject({ seller_id: kasbahId, status: "submitted", revision: 1 });
    expect(offer.total_minor, "the total is the lines' sum").toBe(lines.sum);
    expect(offer.total_minor).not.toBe("1");

    // An order accepted by Médina, posted as settled, with another total, buyer and seller.
    const order = await one<{ id: string; total_minor: string; buyer_id: string; currency: string }>(db, "select id, total_minor::text, buyer_id, currency from orders where seller_id = $1 and status = 'placed' order by created_at desc limit 1", [medinaId]);
    const accept = withFields(await pageForm(page, "seller", medina, `/orders/${order.id}`, "accept"), {}, { ...extras, status: "settled", currency: "USD" });
    const accepted = await http("seller", `/orders/${order.id}`, { cookie: medina, ...formBody(accept) });
    expect(accepted.status, accepted.text.slice(0, 400)).toBe(302);
    expect(await one(db, "select status, total_minor::text, buyer_id, seller_id, currency from orders where id = $1", [order.id])).toEqual({ status: "accepted", total_minor: order.total_minor, buyer_id: order.buyer_id, seller_id: medinaId, currency: order.currency });
    expect((await db.query("select 1 from journals where order_id = $1", [order.id])).rows.length, "no settlement from a field").toBe(0);

    // Members: an invitation to Atlas posted for Boréal; a role change posted with Boréal's id and a role no buyer has.
    const atlas = await signIn("buyer", "admin@atlas.test");
    const invitee = uniqueEmail("mass.invite");
    const invite = withFields(await pageForm(page, "buyer", atlas, "/members", "invite"), { email: invitee, role: "viewer" }, { ...extras, organizationId: borealId, role: "viewer" });
    const invited = await http("buyer", "/members", { cookie: atlas, ...formBody(invite) });
    expect([200, 302], invited.text.slice(0, 400)).toContain(invited.status);
    expect(await one(db, "select organization_id, role from invitations where email = $1", [invitee])).toEqual({ organization_id: atlasId, role: "viewer" });
    const change = await pageForm(page, "buyer", atlas, "/members", "change-role");
    const membershipId = change.entries.find(([k]) => k === "membershipId")![1] as string;
    const membership = await one<{ role: string; organization_id: string }>(db, "select role, organization_id from memberships where id = $1", [membershipId]);
    const foreign = await http("buyer", "/members", { cookie: atlas, ...formBody(withFields(change, { role: "owner" }, { organizationId: borealId })) });
    expect([400, 422], "a seller's role for a buyer's member").toContain(foreign.status);
    expect(await one(db, "select role, organization_id from memberships where id = $1", [membershipId])).toEqual(membership);
    for (const role of ["operator", "superadmin"]) {
      const answer = await http("buyer", "/members", { cookie: atlas, ...formBody(withFields(change, { role })) });
      expect([400, 422], `role ${role}`).toContain(answer.status);
    }
    expect(await one(db, "select role, organization_id from memberships where id = $1", [membershipId])).toEqual(membership);

    // A sign-up asking to be a seller, already active, a viewer of Atlas: a new active buyer organisation whose founder is its admin.
    const email = uniqueEmail("mass.signup");
    const signUp = await http("buyer", "/sign-up", { form: [["organizationName", `Mass Sign-up ${run}`], ["name", "Mara Mass"], ["email", email], ["password", PASSWORD], ...Object.entries({ ...extras, organizationId: atlasId, kind: "seller", status: "suspended", role: "viewer" })] });
    expect(signUp.status, signUp.text.slice(0, 400)).toBe(302);
    expect(await db.query("select o.kind, o.status, m.role, o.name from memberships m join organizations o on o.id = m.organization_id join users u on u.id = m.user_id where u.email = $1", [email]).then((r) => r.rows)).toEqual([{ kind: "buyer", status: "active", role: "admin", name: `Mass Sign-up ${run}` }]);

    expect(await rifRows(), "nothing of Rif changed").toBe(rifBefore);
  });
});

// ————————————————————————————————————————————————————————————————————————————————————————————
// Bodies too large
// ————————————————————————————————————————————————————————————————————————————————————————————

test("a body declared larger than the limit is refused with 413 before it is read, on every app", async () => {
  for (const app of APPS) {
    const account = DEMO_ACCOUNTS.find((a) => a.app === app)!;
    const start = `email=${encodeURIComponent(account.email)}&password=${DEMO_PASSWORD}&padding=`;
    // A form: 1 MiB at most. Declared 2 MiB, only the first bytes sent.
    const form = await rawPost(app, "/sign-in", { body: start, contentType: "application/x-www-form-urlencoded", declaredLength: 2 * 1024 * 1024 });
    expect(form.status, `${app} form`).toBe(413);
    expect(form.headers["set-cookie"]).toBeUndefined();
    // An upload: 32 MiB at most.
    const upload = await rawPost(app, "/sign-in", { body: "--x\r\n", contentType: "multipart/form-data; boundary=x", declaredLength: 40 * 1024 * 1024 });
    expect(upload.status, `${app} upload`).toBe(413);
    // Sent in full, just over the form limit: the same.
    const whole = await rawPost(app, "/sign-in", { body: start + "a".repeat(1024 * 1024), contentType: "application/x-www-form-urlencoded" });
    expect(whole.status, `${app} whole body`).toBe(413);
    expect(whole.headers["set-cookie"]).toBeUndefined();
    // And the same sign-in at its normal size goes through (the limit is what refused it).
    const normal = await rawPost(app, "/sign-in", { body: `${start}a`, contentType: "application/x-www-form-urlencoded" });
    expect(normal.status, `${app} normal`).toBe(302);
  }
});

// ————————————————————————————————————————————————————————————————————————————————————————————
// Sign-in throttling (packages/auth/src/throttle.ts: 5 failures per account, 20 per client address,
// per 15 minutes, counted before the password is checked). The bursts come from other loopback
// addresses than the one every spec signs in from, and their counters are removed afterwards.
// ————————————————————————————————————————————————————————————————————————————————————————————

/** Tries a sign-in from `address`; true when it opened a session. */
async function tryFrom(address: string, email: string, password: string): Promise<boolean> {
  const answer = await rawPost("buyer", "/sign-in", { body: new URLSearchParams({ email, password }).toString(), contentType: "application/x-www-form-urlencoded", localAddress: address });
  expect([302, 400, 401, 422], `sign-in of ${email} from ${address}: ${answer.status}`).toContain(answer.status);
  return answer.status === 302 && String(answer.headers["set-cookie"] ?? "").includes("souk_buyer_session=");
}

async function failureReasons(db: pg.Client, address: string, since: Date): Promise<Record<string, number>> {
  const rows = await db.query<{ reason: string; n: string }>(
    "select data->>'reason' as reason, count(*)::text as n from audit_log where action = 'auth.sign_in_failed' and ip like $1 and occurred_at >= $2 group by 1",
    [`%${address}`, since],
  );
  return Object.fromEntries(rows.rows.map((r) => [r.reason, Number(r.n)]));
}

async function newBuyer(): Promise<string> {
  const email = uniqueEmail("throttle");
  const answer = await http("buyer", "/sign-up", { form: [["organizationName", `Throttle ${runTag()}`], ["name", "Tess Throttle"], ["email", email], ["password", PASSWORD]] });
  expect(answer.status).toBe(302);
  return email;
}

test("a credential-stuffing burst from one client is cut off at the address limit, and even the right password then waits", async () => {
  const address = "127.0.0.2";
  const since = new Date(Date.now() - 1000);
  const real = await newBuyer();
  await withDatabase(async (db) => {
    try {
      // 50 at once, each a different account (most unknown, a few real ones of this run), wrong passwords.
      const targets = [...Array.from({ length: 45 }, (_, i) => `stuffed.${i}.${runTag().toLowerCase()}@example.com`), ...(await Promise.all(Array.from({ length: 5 }, () => newBuyer())))];
      const opened = await Promise.all(targets.map((email) => tryFrom(address, email, "a wrong password, guessed")));
      expect(opened.filter(Boolean)).toEqual([]);
      const reasons = await failureReasons(db, address, since);
      const checked = (reasons.unknown_email ?? 0) + (reasons.wrong_password ?? 0);
      expect(checked, `passwords checked: ${JSON.stringify(reasons)}`).toBeLessThanOrEqual(20);
      expect(reasons.throttled ?? 0, JSON.stringify(reasons)).toBeGreaterThanOrEqual(30);
      // The right password of an untouched account, from that client: refused while the address is locked...
      expect(await tryFrom(address, real, PASSWORD), "the right password from the locked client").toBe(false);
      // ...and from another client it works: the lock is the address's, the account was never guessed at.
      expect(await tryFrom("127.0.0.3", real, PASSWORD)).toBe(true);
    } finally {
      await db.query("delete from sign_in_throttle where key like $1 or key like $2", [`address:%${address}`, "address:%127.0.0.3"]);
    }
  });
});

test("many guesses at one account are cut off at the account limit: its real password is refused until the lock ends, from any client", async () => {
  const since = new Date(Date.now() - 1000);
  const victim = await newBuyer();
  await withDatabase(async (db) => {
    try {
      // 30 guesses at once from one client, then more from others.
      const first = await Promise.all(Array.from({ length: 30 }, (_, i) => tryFrom("127.0.0.4", victim, `guess number ${i} of many`)));
      const more = await Promise.all(Array.from({ length: 10 }, (_, i) => tryFrom(`127.0.0.${5 + (i % 3)}`, victim, `another guess ${i} of many`)));
      expect([...first, ...more].filter(Boolean)).toEqual([]);
      const verified = (await db.query<{ n: string }>("select count(*)::text as n from audit_log where action = 'auth.sign_in_failed' and data->>'email' = $1 and data->>'reason' = 'wrong_password' and occurred_at >= $2", [victim, since])).rows[0]!.n;
      expect(Number(verified), "passwords actually checked for the account").toBeLessThanOrEqual(5);
      // Even the right password, even from a fresh client: the account is locked.
      expect(await tryFrom("127.0.0.9", victim, PASSWORD)).toBe(false);
      const lock = await one<{ locked: boolean }>(db, "select locked_until > now() + interval '10 minutes' as locked from sign_in_throttle where key = $1", [`account:${victim}`]);
      expect(lock.locked, "locked for the policy's 15 minutes").toBe(true);
    } finally {
      await db.query("delete from sign_in_throttle where key like 'address:%127.0.0._'");
    }
  });
});
