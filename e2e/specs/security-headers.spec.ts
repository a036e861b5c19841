import { expect, test, type Page } from "@playwright/test";
import { APPS, http, rawPost, signIn, withDatabase, type App, type HttpAnswer } from "../security-support";
import { RFQ_TIME_ZONE, URLS } from "../support";

/*
 * Issue 8, security headers on every app, on pages, error pages (404, the CSRF refusal, 413),
 * static assets and downloads; and the Content Security Policy without 'unsafe-inline' scripts
 * (a nonce per response on Remix's inline scripts), checked in the browser: the main pages of each
 * app hydrate, navigate on the client, and keep the RFQ's live view (EventSource) open, with no
 * violation reported.
 */

test.use({ timezoneId: RFQ_TIME_ZONE });

/** A CSP header as directive → sources. */
function policy(header: string | null): Map<string, string[]> {
  return new Map((header ?? "").split(";").map((d) => d.trim().split(/\s+/)).filter((d) => d[0]).map(([name, ...values]) => [name!.toLowerCase(), values]));
}

/** The headers every answer carries, whoever made it. */
function expectHardened(answer: HttpAnswer, what: string) {
  const h = answer.headers;
  expect(policy(h.get("content-security-policy")).get("frame-ancestors"), `${what}: frame-ancestors`).toEqual(["'none'"]);
  expect(h.get("x-frame-options"), what).toBe("DENY");
  expect(h.get("x-content-type-options"), what).toBe("nosniff");
  expect(h.get("referrer-policy"), what).toBe("same-origin");
  // Plain http on localhost in this run: HSTS only over https (packages/ui/src/server/security.test.ts).
  expect(h.get("strict-transport-security"), what).toBeNull();
  expect(h.get("x-powered-by"), what).toBeNull();
}

/** A page's policy: scripts only from this origin or with this response's nonce, which every inline script carries. */
function expectPagePolicy(answer: HttpAnswer, what: string) {
  const csp = policy(answer.headers.get("content-security-policy"));
  const scripts = csp.get("script-src") ?? csp.get("default-src") ?? [];
  expect(scripts, `${what}: script-src`).not.toContain("'unsafe-inline'");
  expect(scripts, `${what}: script-src`).not.toContain("'unsafe-eval'");
  expect(scripts.filter((s) => s !== "'self'" && !s.startsWith("'nonce-")), `${what}: script-src`).toEqual([]);
  expect(csp.get("default-src"), what).toEqual(["'self'"]);
  expect(csp.get("object-src"), what).toEqual(["'none'"]);
  expect(csp.get("base-uri"), what).toEqual(["'self'"]);
  const nonce = scripts.find((s) => s.startsWith("'nonce-"))?.slice(7, -1);
  expect(nonce, `${what}: a nonce`).toMatch(/^[A-Za-z0-9+/=]{16,}$/);
  const tags = [...answer.text.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
  expect(tags.length, `${what}: the page has scripts`).toBeGreaterThan(0);
  for (const tag of tags) expect(tag, `${what}: every script carries the nonce`).toContain(`nonce="${nonce}"`);
  return nonce!;
}

test("every app hardens its pages, error pages, assets and downloads", async () => {
  const signedIn: Record<App, string> = {
    buyer: await signIn("buyer", "purchaser@boreal.test"),
    seller: await signIn("seller", "owner@medina.test"),
    operator: await signIn("operator", "ops.admin@souk.test"),
  };
  const closedRfq = await withDatabase(async (db) =>
    (await db.query<{ id: string }>("select r.id from rfqs r join organizations o on o.id = r.buyer_id where o.name = 'Boréal Hôtels' and r.status = 'closed' limit 1")).rows[0]!.id,
  );
  const downloads: Record<App, string> = { buyer: `/rfqs/${closedRfq}/compare.csv`, seller: "/listings.csv", operator: "/audit.csv" };
  const nonces = new Set<string>();
  for (const app of APPS) {
    const cookie = signedIn[app];
    for (const [path, who] of [["/sign-in", null], ["/", cookie]] as const) {
      const page = await http(app, path, { cookie: who });
      expect(page.status, `${app} ${path}`).toBe(200);
      expectHardened(page, `${app} ${path}`);
      nonces.add(expectPagePolicy(page, `${app} ${path}`));
      expect(page.headers.get("cache-control")).toBe("no-store");
    }
    const missing = await http(app, "/no-such-page/at-all", { cookie });
    expect(missing.status).toBe(404);
    expectHardened(missing, `${app} 404`);
    nonces.add(expectPagePolicy(missing, `${app} 404`));

    const home = await http(app, "/sign-in");
    for (const asset of [...new Set([...home.text.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]!))].slice(0, 3).concat("/favicon.svg")) {
      const answer = await http(app, asset);
      expect(answer.status, `${app} ${asset}`).toBe(200);
      expectHardened(answer, `${app} ${asset}`);
    }

    const file = await http(app, downloads[app], { cookie });
    expect(file.status, `${app} ${downloads[app]}`).toBe(200);
    expectHardened(file, `${app} ${downloads[app]}`);
    // A download is never rendered as a page of the site: sandboxed, loads nothing.
    expect(policy(file.headers.get("content-security-policy")).get("default-src")).toEqual(["'none'"]);
    expect(policy(file.headers.get("content-security-policy")).has("sandbox")).toBe(true);
    expect(file.headers.get("content-disposition")).toMatch(/^attachment;/);

    // The refusals made before Remix: a cross-site post, a body too large.
    const forged = await http(app, "/sign-in", { origin: "http://evil.example", form: [["email", "a@b.c"], ["password", "x"]] });
    expect(forged.status).toBe(403);
    expectHardened(forged, `${app} CSRF refusal`);
    const large = await rawPost(app, "/sign-in", { body: "x=", contentType: "application/x-www-form-urlencoded", declaredLength: 5 * 1024 * 1024 });
    expect(large.status).toBe(413);
    expect(large.headers["x-content-type-options"]).toBe("nosniff");
    expect(String(large.headers["content-security-policy"])).toContain("frame-ancestors 'none'");
  }
  // A nonce per response, never reused.
  expect(nonces.size).toBe(APPS.length * 3);
});

/** Opens `path` and records every CSP violation the page reports, by event and in the console. */
async function visit(page: Page, app: App, path: string, violations: string[]) {
  const response = await page.goto(`${URLS[app]}${path}`);
  expect(response?.status(), `${app} ${path}`).toBeLessThan(400);
  // Hydrated: Remix's router runs, so the inline scripts and the modules were allowed.
  await page.waitForFunction(() => Boolean((window as unknown as { __remixRouter?: unknown }).__remixRouter));
  await page.waitForLoadState("load");
  const seen = await page.evaluate(() => (window as unknown as { __violations: string[] }).__violations.splice(0));
  for (const v of seen) violations.push(`${app} ${path}: ${v}`);
}

// One test per app, each with the whole budget: some twenty pages in one test outran it on a busy CI machine.
const accounts: Record<App, string> = { buyer: "purchaser@atlas.test", seller: "owner@kasbah.test", operator: "ops.admin@souk.test" };
const pagesOf: Record<App, (openRfq: string) => string[]> = {
  buyer: (rfq) => ["/", "/catalogue", "/catalogue?q=papier", `/rfqs/${rfq}`, "/rfqs", "/orders", "/cart", "/messages"],
  seller: (rfq) => ["/", "/rfqs", `/rfqs/${rfq}`, "/orders", "/money", "/messages"],
  operator: () => ["/", "/sellers", "/listings", "/ledger", "/jobs", "/audit"],
};

for (const app of APPS) {
  test(`the ${app} app's main pages run under the policy: hydration, client navigation and the live RFQ view, no violation`, async ({ browser }) => {
    const atlasOpenRfq = await withDatabase(
      async (db) => (await db.query<{ id: string }>("select r.id from rfqs r join organizations o on o.id = r.buyer_id where o.name = 'Atlas Industrie' and r.status = 'open' order by r.created_at limit 1")).rows[0]!.id,
    );
    const violations: string[] = [];
    const context = await browser.newContext({ locale: "en-GB", timezoneId: RFQ_TIME_ZONE });
    await context.addInitScript(() => {
      const w = window as unknown as { __violations: string[] };
      w.__violations = [];
      document.addEventListener("securitypolicyviolation", (e) => w.__violations.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} (${e.sourceFile}:${e.lineNumber})`));
    });
    const page = await context.newPage();
    const consoleReports: string[] = [];
    page.on("console", (message) => {
      if (/Refused to|Content Security Policy/i.test(message.text())) consoleReports.push(`${app} console: ${message.text()}`);
    });
    // Through the sign-in form (its script-enhanced submit), then the pages.
    await visit(page, app, "/sign-in", violations);
    await page.getByLabel("E-mail").fill(accounts[app]);
    await page.getByLabel("Password").fill("souk-demo-2026");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(`${URLS[app]}/`);
    for (const path of pagesOf[app](atlasOpenRfq)) {
      await visit(page, app, path, violations);
      // The RFQ's live view: its EventSource connects and its first update arrives ("Live").
      if (path.startsWith("/rfqs/")) await expect(page.getByRole("status").filter({ hasText: /^Live$/ }), `${app}: the live view connected`).toBeVisible();
    }
    // A client-side navigation: the route's module and data come through fetch (connect-src, script-src 'self').
    await page.goto(`${URLS[app]}/`);
    await page.waitForFunction(() => Boolean((window as unknown as { __remixRouter?: unknown }).__remixRouter));
    const before = page.url();
    await page.locator("nav a[href]:not([href='/'])").first().click();
    await expect(page).not.toHaveURL(before);
    await page.waitForLoadState("load");
    const navigated = await page.evaluate(() => (window as unknown as { __violations: string[] }).__violations.splice(0));
    violations.push(...navigated.map((v) => `${app} client navigation: ${v}`));
    violations.push(...consoleReports.splice(0));
    // The control: an inline script without the nonce (what an injection would add) does not run, and is reported.
    const control = await page.evaluate(async () => {
      const w = window as unknown as { __violations: string[]; __injected?: boolean };
      const script = document.createElement("script");
      script.textContent = "window.__injected = true";
      document.body.appendChild(script);
      await new Promise((resolve) => setTimeout(resolve, 200));
      return { ran: Boolean(w.__injected), reported: w.__violations.splice(0) };
    });
    expect(control.ran, `${app}: an inline script without the nonce ran`).toBe(false);
    expect(control.reported.join(" "), `${app}: the blocked script was reported`).toContain("script-src");
    await expect.poll(() => consoleReports.length, { message: `${app}: the console reported it too` }).toBeGreaterThan(0);
    await context.close();
    expect(violations).toEqual([]);
  });
}
