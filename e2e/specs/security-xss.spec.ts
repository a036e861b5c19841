import { expect, test, type Browser, type Page } from "@playwright/test";
import { formBody, formsOf, http, manifest, signIn, withDatabase, type App, type FormValue } from "../security-support";
import { budget, publishRfq, RFQ_TIME_ZONE, runTag, saveOffer, URLS } from "../support";

/*
 * Issue 8, stored XSS: a listing's title and description, an RFQ's title and description and an
 * offer's notes carrying `<script>`, `<img onerror>`, `<svg onload>` and `javascript:` payloads are
 * shown, as text, on every page that shows them in the three apps, in a real browser with
 * JavaScript: no dialog opens, no payload script runs, no element of the payload exists in the
 * DOM, and the payload's text is there to read (the pages did show it).
 */

test.use({ timezoneId: RFQ_TIME_ZONE });

function payload(marker: string): string {
  return [
    `${marker}`,
    `<script>window.__xss="${marker}";alert("${marker}")</script>`,
    `<img src=x id="${marker}-img" onerror="window.__xss='${marker}';alert('${marker}')">`,
    `"><svg id="${marker}-svg" onload="alert('${marker}')">`,
    `<a id="${marker}-a" href="javascript:alert('${marker}')">click</a>`,
    `javascript:alert('${marker}')`,
  ].join(" ");
}

/** What a page must not contain once the payload is on it, checked in the live DOM after scripts ran. */
async function injected(page: Page, marker: string): Promise<string[]> {
  return page.evaluate((m) => {
    const found: string[] = [];
    if ((window as unknown as { __xss?: string }).__xss) found.push("a payload script ran");
    for (const id of [`${m}-img`, `${m}-svg`, `${m}-a`]) if (document.getElementById(id)) found.push(`element #${id}`);
    for (const s of Array.from(document.scripts)) if (s.textContent?.includes(`window.__xss="${m}"`) && !s.textContent.includes("\\u003c")) found.push("a <script> element of the payload");
    for (const a of Array.from(document.querySelectorAll("a[href]"))) if (a.getAttribute("href")!.trim().toLowerCase().startsWith("javascript:")) found.push(`a javascript: link ${a.outerHTML.slice(0, 80)}`);
    for (const el of Array.from(document.querySelectorAll("*"))) for (const attr of Array.from(el.attributes)) if (attr.name.startsWith("on") && attr.value.includes(m)) found.push(`an ${attr.name} handler on <${el.tagName.toLowerCase()}>`);
    return found;
  }, marker);
}

async function session(browser: Browser, app: App, email: string): Promise<{ page: Page; dialogs: string[] }> {
  const context = await browser.newContext({ locale: "en-GB", timezoneId: RFQ_TIME_ZONE });
  const page = await context.newPage();
  const dialogs: string[] = [];
  page.on("dialog", (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  // Signed in over HTTP, the session cookie handed to the browser (faster than the form, which other specs test).
  const [name, value] = (await signIn(app, email)).split("=") as [string, string];
  await context.addCookies([{ name, value, domain: "localhost", path: "/", httpOnly: true, sameSite: "Lax" }]);
  return { page, dialogs };
}

test("listing, RFQ and offer texts carrying script payloads are shown as text on every page of every app", async ({ browser }) => {
  test.setTimeout(budget(120_000));
  const run = runTag();
  const marker = `xss${run.toLowerCase()}`;
  const evil = payload(marker);

  // Médina publishes a listing whose title and description are payloads (through its own form).
  const medinaCookie = await signIn("seller", "owner@medina.test");
  const formPage = await (await browser.newContext()).newPage();
  const newListing = await http("seller", "/listings/new", { cookie: medinaCookie });
  const form = (await formsOf(formPage, `${URLS.seller}/listings/new`, newListing.text)).find((f) => f.intent === "save")!;
  const sku = `XSS-${run}`;
  const values: Record<string, string> = { sku, title: `Listing ${marker} <img src=x id="${marker}-img" onerror="alert('${marker}')"><script>alert("${marker}")</script>`, description: evil, currency: "EUR", tiers: "", attributes: "", listPrice: "9.99", stock: "50", unit: "piece" };
  const created = await http("seller", "/listings/new", { cookie: medinaCookie, ...formBody({ ...form, entries: form.entries.map(([k, v]) => [k, k in values ? values[k]! : v] as [string, FormValue]) }) });
  expect(created.status, created.text.slice(0, 300)).toBe(302);
  const listingId = await withDatabase(async (db) => (await db.query<{ id: string }>("select id from listings where sku = $1", [sku])).rows[0]!.id);
  const publish = (await formsOf(formPage, `${URLS.seller}/listings/${listingId}`, (await http("seller", `/listings/${listingId}`, { cookie: medinaCookie })).text)).find((f) => f.intent === "publish")!;
  expect((await http("seller", `/listings/${listingId}`, { cookie: medinaCookie, ...formBody(publish) })).status).toBe(302);
  await formPage.context().close();

  // Atlas publishes an open-bidding RFQ whose title and description are payloads; Rif offers with payload notes.
  const buyer = await session(browser, "buyer", "purchaser@atlas.test");
  const rfqTitle = `RFQ ${marker} <img src=x onerror=alert(1)> <script>alert(2)</script>`;
  const rfq = await publishRfq(buyer.page, {
    title: rfqTitle,
    description: evil,
    category: "Boxes and cartons",
    deliveryPlace: `Dock ${marker} <svg onload=alert(3)>`,
    lines: [{ description: `Line ${marker} <img src=x onerror=alert(4)>`, quantity: 4, unit: "piece" }],
    secondsAhead: 3600,
    sealing: "open",
  });
  const rif = await session(browser, "seller", "sales@rif.test");
  await rif.page.goto(`${URLS.seller}/rfqs/${rfq.id}`);
  await saveOffer(rif.page, { lines: [{ price: "3.21", quantity: 4 }], leadTimeDays: 3, notes: evil });
  const offerId = await withDatabase(async (db) => (await db.query<{ id: string }>("select f.id from offers f join organizations o on o.id = f.seller_id where f.rfq_id = $1 and o.name = 'Rif Emballages'", [rfq.id])).rows[0]!.id);

  const medina = await session(browser, "seller", "owner@medina.test");
  const moderator = await session(browser, "operator", "ops.moderator@souk.test");
  const boreal = await session(browser, "buyer", "purchaser@boreal.test");

  // Every page that shows these texts; the operator's RFQ pages, when the app has them, too.
  const operatorRfqPages = manifest("operator")
    .filter((r) => r.page && r.loader && r.params.every((p) => p === "rfqId") && r.path.startsWith("/rfqs"))
    .map((r) => r.path.replace(":rfqId", rfq.id));
  const visits: { who: { page: Page; dialogs: string[] }; name: string; path: string; app: App }[] = [
    { who: boreal, name: "Boréal", app: "buyer", path: `/catalogue?q=${encodeURIComponent(marker)}` },
    { who: boreal, name: "Boréal", app: "buyer", path: `/catalogue/${listingId}` },
    { who: buyer, name: "Atlas", app: "buyer", path: "/rfqs" },
    { who: buyer, name: "Atlas", app: "buyer", path: `/rfqs/${rfq.id}` },
    { who: buyer, name: "Atlas", app: "buyer", path: `/rfqs/${rfq.id}/offers/${offerId}` },
    { who: medina, name: "Médina", app: "seller", path: `/listings?q=${encodeURIComponent(marker)}` },
    { who: medina, name: "Médina", app: "seller", path: `/listings/${listingId}` },
    { who: rif, name: "Rif", app: "seller", path: "/rfqs" },
    { who: rif, name: "Rif", app: "seller", path: `/rfqs/${rfq.id}` },
    { who: rif, name: "Rif", app: "seller", path: `/rfqs/${rfq.id}/negotiation` },
    { who: moderator, name: "moderator", app: "operator", path: `/listings?q=${encodeURIComponent(marker)}` },
    { who: moderator, name: "moderator", app: "operator", path: `/listings/${listingId}` },
    ...operatorRfqPages.map((path) => ({ who: moderator, name: "moderator", app: "operator" as const, path })),
  ];
  // The search index is fed by the worker: wait until the buyer's search finds the listing.
  await expect(async () => {
    await boreal.page.goto(`${URLS.buyer}/catalogue?q=${encodeURIComponent(marker)}`);
    await expect(boreal.page.getByText(`Listing ${marker}`).first()).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 20_000 });

  const problems: string[] = [];
  let shown = 0;
  for (const visit of visits) {
    const response = await visit.who.page.goto(`${URLS[visit.app]}${visit.path}`);
    expect(response?.status(), `${visit.name} ${visit.path}`).toBeLessThan(400);
    // Hydrated (Remix's router is up): the page's own scripts ran, and so would an injected one have.
    await visit.who.page.waitForFunction(() => Boolean((window as unknown as { __remixRouter?: unknown }).__remixRouter));
    // Every image (an injected one would have failed and fired its onerror by then) has loaded or failed.
    await visit.who.page.waitForLoadState("load");
    for (const found of await injected(visit.who.page, marker)) problems.push(`${visit.name} ${visit.path}: ${found}`);
    if ((await visit.who.page.content()).includes(marker)) shown += 1;
    else problems.push(`${visit.name} ${visit.path}: the payload's text is not on the page (the check would prove nothing)`);
    // The text is shown as text: the browser renders the angle brackets.
    if (!(await visit.who.page.locator("body").innerText()).includes("<img src=x")) problems.push(`${visit.name} ${visit.path}: the payload is not shown as text`);
  }
  for (const who of [buyer, rif, medina, moderator, boreal]) for (const message of who.dialogs) problems.push(`a dialog opened: ${message}`);
  test.info().annotations.push({ type: "probes", description: `${visits.length} pages in 3 apps, ${shown} showing the payload` });
  expect(problems).toEqual([]);
  for (const who of [buyer, rif, medina, moderator, boreal]) await who.page.context().close();
});
