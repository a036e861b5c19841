import { expect, test, type Browser, type Page } from "@playwright/test";
import pg from "pg";
import { askQuestion, budget, E2E_DATABASE_URL, openFromInbox, publishRfq, RFQ_TIME_ZONE, runTag, saveOffer, signInDemo, URLS } from "../support";
import { amountNotations, tokenPattern } from "../security-support";

/*
 * Issue 5, "Must hold" 2: before a sealed RFQ closes, no one but the offering seller learns
 * anything of an offer. Rif and Sud offer on a sealed RFQ of Atlas Industrie, with prices and notes
 * found nowhere else (Rif also attaches a file and revises). While it is open, the buyer (its
 * purchaser and its admin) and every competing seller (Sud for Rif's offer, Rif for Sud's, and
 * Kasbah, which did not offer) request every response they can: pages, their loader data (`.data`
 * and `?_data=`), the live event streams, CSV and JSON exports, the RFQ's and the offers' files,
 * searches for the prices, approvals and orders, error pages from guessed and borrowed ids, and a
 * premature award naming Rif's offer. None may hold a price of another's offer (in any notation),
 * its seller's name, its notes or its file. The e-mails sent meanwhile (no page shows them: read
 * from the database) are held to the same rule. Once the deadline passes, the buyer does see
 * everything, through the same scan: the test fails if the scan cannot see a price.
 */

test.use({ timezoneId: RFQ_TIME_ZONE });

/**
 * Enough for the offers and every request below (about 25 s on a quiet 2-core machine), with room to
 * spare on a slow one; a budget, so doubled under CI, where a starved run once took three times as long.
 */
const DEADLINE_SECONDS = 75;

interface Secret {
  /** What is leaked, for the report. */
  label: string;
  pattern: RegExp;
}

/** Every way an amount can be written (amountNotations), each as a whole-token pattern. */
function amountSecrets(label: string, minor: bigint): Secret[] {
  return amountNotations(minor).map((form) => ({ label: `${label} written ${form}`, pattern: tokenPattern(form) }));
}

function minor(decimal: string): bigint {
  const [integer, cents = ""] = decimal.split(".");
  return BigInt(`${integer}${cents.padEnd(2, "0")}`);
}

interface OfferPlan {
  seller: string;
  people: string[];
  lines: { price: string; quantity: number }[];
  revisedLines?: { price: string; quantity: number }[];
  notes: string;
  file?: string;
}

/** Everything of an offer another party must not learn: its prices and totals (each revision), its seller, its notes, its file. */
function secretsOf(offer: OfferPlan): Secret[] {
  const secrets: Secret[] = [];
  for (const [revision, lines] of [offer.lines, offer.revisedLines ?? []].entries()) {
    let total = 0n;
    for (const [i, line] of lines.entries()) {
      const unit = minor(line.price);
      total += unit * BigInt(line.quantity);
      secrets.push(...amountSecrets(`${offer.seller}'s unit price of line ${i + 1} (revision ${revision + 1})`, unit));
      secrets.push(...amountSecrets(`${offer.seller}'s line ${i + 1} total (revision ${revision + 1})`, unit * BigInt(line.quantity)));
    }
    if (lines.length > 0) secrets.push(...amountSecrets(`${offer.seller}'s offer total (revision ${revision + 1})`, total));
  }
  for (const name of [offer.seller, ...offer.people]) secrets.push({ label: `the name ${name}`, pattern: new RegExp(name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"), "iu") });
  secrets.push({ label: `${offer.seller}'s notes`, pattern: new RegExp(offer.notes.split(" ")[0]!, "iu") });
  if (offer.file) secrets.push({ label: `${offer.seller}'s file`, pattern: new RegExp(offer.file, "iu") });
  return secrets;
}

/** Spaces of every kind as plain spaces (French groups thousands with U+202F or U+00A0). */
function normalise(text: string): string {
  return text.replace(/[\u00a0\u2007\u202f\u2009]/g, " ");
}

interface Leak {
  who: string;
  request: string;
  secret: string;
}

/** A small but well-formed PDF, with a comment line carrying `note` (so a leaked file is recognisable). */
function pdf(note: string): Buffer {
  const objects = ["<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>", "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << >> >>"];
  let body = `%PDF-1.4\n% ${note}\n`;
  const offsets: number[] = [];
  objects.forEach((object, i) => {
    offsets.push(Buffer.byteLength(body));
    body += `${i + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = Buffer.byteLength(body);
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  body += offsets.map((offset) => `${String(offset).padStart(10, "0")} 00000 n \n`).join("");
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, "latin1");
}

async function signedIn(browser: Browser, app: "buyer" | "seller", email: string): Promise<Page> {
  const context = await browser.newContext({ locale: "en-GB", timezoneId: RFQ_TIME_ZONE });
  const page = await context.newPage();
  await signInDemo(page, app, email);
  return page;
}

/**
 * The first `update` of an event stream, read in the page (same origin, its cookies) and cut off
 * after it, or after `timeoutMs`; a refusal (not a stream) is read whole.
 */
async function firstEvent(page: Page, url: string, timeoutMs = 8_000): Promise<{ status: number; stream: boolean; text: string }> {
  return page.evaluate(
    async ({ url, timeoutMs }) => {
      const abort = new AbortController();
      const timer = setTimeout(() => abort.abort(), timeoutMs);
      let text = "";
      let status = 0;
      try {
        const response = await fetch(url, { signal: abort.signal, headers: { Accept: "text/event-stream" } });
        status = response.status;
        if (!response.body || !(response.headers.get("content-type") ?? "").startsWith("text/event-stream")) {
          return { status, stream: false, text: await response.text() };
        }
        const reader = response.body.getReader();
        const decoder = new TextDecoder();
        while (!/event: update\ndata: [^\n]*\n\n/.test(text)) {
          const { value, done } = await reader.read();
          if (done) break;
          text += decoder.decode(value, { stream: true });
        }
        abort.abort();
        return { status, stream: true, text };
      } catch (error) {
        return { status, stream: true, text: `${text}\n[read stopped: ${String(error)}]` };
      } finally {
        clearTimeout(timer);
      }
    },
    { url, timeoutMs },
  );
}

/** The JSON of a stream's first `update`. */
function eventData<T>(text: string): T {
  const data = /event: update\ndata: ([^\n]*)\n\n/.exec(text)?.[1];
  if (!data) throw new Error(`No update event in: ${text.slice(0, 500)}`);
  return JSON.parse(data) as T;
}

const NOBODY = "00000000-0000-4000-8000-000000000000";

test("before a sealed RFQ closes, neither the buyer nor a competing seller can learn anything of an offer; after, the buyer sees it all", async ({ browser }) => {
  test.setTimeout(budget(200_000));
  const run = runTag();
  const startedAt = new Date();
  const title = `Sealed leak probe E2E ${run}`;
  const lines = [
    { description: `Heavy-duty carton 80 × 60 × 60 cm (${run})`, quantity: 40, unit: "piece" },
    { description: `Archive box with lid (${run})`, quantity: 20, unit: "box" },
  ];
  // Prices and words found nowhere else: the scan looks for them in every notation.
  const rifOffer: OfferPlan = {
    seller: "Rif Emballages",
    people: ["Mehdi Alaoui", "sales@rif.test"],
    lines: [{ price: "987.65", quantity: 37 }, { price: "4321.09", quantity: 13 }],
    revisedLines: [{ price: "987.65", quantity: 37 }, { price: "4319.87", quantity: 13 }],
    notes: `RIFNOTE${run} kraft-wrapped pallets, two drops`,
    file: `rif-quote-${run.toLowerCase()}`,
  };
  const sudOffer: OfferPlan = {
    seller: "Sud Emballages",
    people: ["Julien Fabre", "sales@sud.test"],
    lines: [{ price: "765.43", quantity: 40 }, { price: "2109.87", quantity: 20 }],
    notes: `SUDNOTE${run} delivery within the week`,
  };
  const rifSecrets = secretsOf(rifOffer);
  const sudSecrets = secretsOf(sudOffer);

  const buyer = await signedIn(browser, "buyer", "purchaser@atlas.test");
  const buyerAdmin = await signedIn(browser, "buyer", "admin@atlas.test");
  const rif = await signedIn(browser, "seller", "sales@rif.test");
  const sud = await signedIn(browser, "seller", "sales@sud.test");
  const kasbah = await signedIn(browser, "seller", "sales@kasbah.test");

  // Every response the browsers receive while the RFQ is open is scanned too (client navigations'
  // loader data, form answers), streams aside (read separately below).
  const browsed: { who: string; url: string; text: Promise<string> }[] = [];
  for (const [who, page] of [["purchaser", buyer], ["admin", buyerAdmin], ["Sud", sud], ["Rif", rif], ["Kasbah", kasbah]] as const) {
    page.on("response", (response) => {
      if ((response.headers()["content-type"] ?? "").startsWith("text/event-stream")) return;
      browsed.push({ who, url: response.url(), text: response.text().catch(() => "") });
    });
  }

  // The buyer publishes a sealed RFQ open to the category and attaches a drawing (before any offer).
  const rfq = await publishRfq(buyer, {
    title,
    description: "Cartons and archive boxes for the Lyon plant.",
    category: "Boxes and cartons",
    deliveryPlace: "Atlas Industrie, 12 rue de Gerland, 69007 Lyon",
    lines,
    secondsAhead: budget(DEADLINE_SECONDS),
  });
  await buyer.goto(`${URLS.buyer}/rfqs/${rfq.id}/attachments`);
  await buyer.getByLabel("Add a file").setInputFiles({ name: `drawing-${run}.pdf`, mimeType: "application/pdf", buffer: pdf(`drawing ${run}`) });
  await buyer.getByRole("button", { name: "Upload" }).click();
  await expect(buyer.getByText("File added.")).toBeVisible();
  await buyer.goto(`${URLS.buyer}/rfqs/${rfq.id}`);
  const rfqFileHref = await buyer.getByRole("link", { name: `drawing-${run}.pdf` }).getAttribute("href");
  expect(rfqFileHref).toMatch(new RegExp(`^/rfqs/${rfq.id}/attachments/[0-9a-f-]{36}$`));

  // ———— The probes ————
  const leaks: Leak[] = [];
  const probed: string[] = [];
  /**
   * What each viewer's page already showed before any offer existed (request → secrets found then):
   * the demo's own orders and approvals legitimately name sellers that also offer here (Atlas buys
   * from Rif), which says nothing about this RFQ. Filled by the baseline pass below, then frozen.
   */
  const before = new Map<string, Set<string>>();
  let baselining = false;
  /** Looks for `secrets` in `text`, but for `echoed`: what the request itself sent (a search box shows its query again). */
  const scan = (who: string, request: string, text: string, secrets: readonly Secret[], echoed: readonly string[] = []) => {
    if (!baselining) probed.push(`${who} ${request}`);
    let body = normalise(text);
    for (const echo of echoed) for (const form of new Set([echo, encodeURIComponent(echo), new URLSearchParams({ q: echo }).toString().slice(2)])) body = body.split(form).join(" ");
    const key = `${who} ${request.replace(/ → \d+$/, "")}`;
    if (baselining) {
      before.set(key, new Set(secrets.filter((secret) => secret.pattern.test(body)).map((secret) => secret.label)));
      return;
    }
    for (const secret of secrets) if (secret.pattern.test(body) && !before.get(key)?.has(secret.label)) leaks.push({ who, request, secret: secret.label });
  };

  /** GETs `path` (and its loader data both ways when it is a page) and scans each answer; returns the page's answer. */
  async function probe(who: string, page: Page, app: "buyer" | "seller", path: string, secrets: readonly Secret[], options: { routeId?: string; status?: number } = {}) {
    const url = `${URLS[app]}${path}`;
    const query = new URL(url).searchParams.get("q");
    const echoed = query ? [query] : [];
    const response = await page.request.get(url, { maxRedirects: 0 });
    const text = await response.text();
    scan(who, `GET ${path} → ${response.status()}`, `${JSON.stringify(response.headers())}\n${text}`, secrets, echoed);
    // Every answer was given to a signed-in user (no redirect to the sign-in page).
    expect(response.headers().location ?? "", `${who} GET ${path}`).not.toContain("/sign-in");
    if (options.status !== undefined) expect(response.status(), `${who} GET ${path}`).toBe(options.status);
    if (options.routeId) {
      const [pathname, query] = path.split("?");
      const dataPath = `${pathname === "/" ? "/_root" : pathname}.data${query ? `?${query}` : ""}`;
      const data = await page.request.get(`${URLS[app]}${dataPath}`, { maxRedirects: 0 });
      scan(who, `GET ${dataPath} → ${data.status()}`, `${JSON.stringify(data.headers())}\n${await data.text()}`, secrets, echoed);
      // The pre-single-fetch form (the apps use single fetch: the server logs a warning, and must still say nothing).
      const classic = `${path}${path.includes("?") ? "&" : "?"}_data=${encodeURIComponent(options.routeId)}`;
      const answer = await page.request.get(`${URLS[app]}${classic}`, { maxRedirects: 0 });
      scan(who, `GET ${classic} → ${answer.status()}`, `${JSON.stringify(answer.headers())}\n${await answer.text()}`, secrets, echoed);
    }
    return { status: response.status(), text };
  }


  // The baseline: the buyer's pages that list more than this RFQ, before any offer exists.
  const buyerSecrets = [...rifSecrets, ...sudSecrets];
  baselining = true;
  for (const [who, page] of [["Atlas purchaser", buyer], ["Atlas admin", buyerAdmin]] as const) {
    await probe(who, page, "buyer", "/", buyerSecrets, { routeId: "routes/_index", status: 200 });
    await probe(who, page, "buyer", "/approvals", buyerSecrets, { routeId: "routes/approvals._index", status: 200 });
    await probe(who, page, "buyer", "/approvals?status=pending", buyerSecrets, { routeId: "routes/approvals._index", status: 200 });
    await probe(who, page, "buyer", "/orders", buyerSecrets, { routeId: "routes/orders._index", status: 200 });
    await probe(who, page, "buyer", `/orders?q=${encodeURIComponent(title)}`, buyerSecrets, { routeId: "routes/orders._index", status: 200 });
  }
  baselining = false;

  // Rif asks a question, offers, attaches its quote and revises; Sud offers.
  await openFromInbox(rif, title);
  await askQuestion(rif, `Is a kraft wrap acceptable instead of film? (${run})`);
  await saveOffer(rif, { lines: rifOffer.lines, leadTimeDays: 12, notes: rifOffer.notes });
  await rif.getByLabel("Add a file").setInputFiles({ name: `${rifOffer.file}.pdf`, mimeType: "application/pdf", buffer: pdf(`${rifOffer.file} unit price 987.65 EUR`) });
  await rif.getByRole("button", { name: "Upload" }).click();
  await expect(rif.getByText("The file has been added to your offer.")).toBeVisible();
  const rifFileHref = await rif.getByRole("link", { name: `${rifOffer.file}.pdf` }).getAttribute("href");
  expect(rifFileHref).toMatch(new RegExp(`^/rfqs/${rfq.id}/offer-attachments/[0-9a-f-]{36}$`));
  const rifFileId = rifFileHref!.split("/").pop()!;
  await saveOffer(rif, { lines: rifOffer.revisedLines!, leadTimeDays: 12 });
  await openFromInbox(sud, title);
  await saveOffer(sud, { lines: sudOffer.lines, leadTimeDays: 5, notes: sudOffer.notes });
  await openFromInbox(kasbah, title);

  // The buyer answers Rif's question to everyone (Sud and Kasbah read it without learning who asked).
  await buyer.reload();
  const question = buyer.getByRole("listitem").filter({ hasText: "Is a kraft wrap acceptable" });
  await question.getByLabel("Your answer").fill("Yes, kraft is fine.");
  await question.getByRole("button", { name: "Send the answer" }).click();
  await expect(buyer.getByText("Answer sent.")).toBeVisible();
  await expect(buyer.getByText("Sealed: their content is revealed at the deadline.")).toBeVisible();

  // The offers' ids, as only their sellers' own views carry them: borrowed below to try the buyer's award.
  const rifOfferId = eventData<{ offer: { id: string } }>((await firstEvent(rif, `${URLS.seller}/rfqs/${rfq.id}/events`)).text).offer.id;
  const sudOfferId = eventData<{ offer: { id: string } }>((await firstEvent(sud, `${URLS.seller}/rfqs/${rfq.id}/events`)).text).offer.id;

  async function probeStream(who: string, page: Page, app: "buyer" | "seller", path: string, secrets: readonly Secret[]) {
    const event = await firstEvent(page, `${URLS[app]}${path}`);
    scan(who, `STREAM ${path} → ${event.status}`, event.text, secrets);
    return event;
  }

  const prices = ["987.65", "987,65", "98765", "4319.87", "4,319.87", "4 319,87", "765.43", "210987"];
  const id = rfq.id;

  // ———— The probes, while the RFQ is open ————
  // The buyer (its purchaser, then its admin): every page, export, file, search and stream it can reach.
  for (const [who, page] of [["Atlas purchaser", buyer], ["Atlas admin", buyerAdmin]] as const) {
    const rfqPage = await probe(who, page, "buyer", `/rfqs/${id}`, buyerSecrets, { routeId: "routes/rfqs.$rfqId", status: 200 });
    expect(rfqPage.text).toContain(title);
    await probe(who, page, "buyer", "/", buyerSecrets, { routeId: "routes/_index", status: 200 });
    await probe(who, page, "buyer", "/rfqs", buyerSecrets, { routeId: "routes/rfqs._index", status: 200 });
    await probe(who, page, "buyer", `/rfqs?status=open&q=${encodeURIComponent(title)}`, buyerSecrets, { routeId: "routes/rfqs._index", status: 200 });
    await probe(who, page, "buyer", `/rfqs/${id}/edit`, buyerSecrets, { routeId: "routes/rfqs.$rfqId_.edit" });
    await probe(who, page, "buyer", `/rfqs/${id}/attachments`, buyerSecrets, { routeId: "routes/rfqs.$rfqId_.attachments", status: 200 });
    const compare = await probe(who, page, "buyer", `/rfqs/${id}/compare`, buyerSecrets, { routeId: "routes/rfqs.$rfqId_.compare" });
    expect(compare.status, "the comparison waits for the close").toBe(409);
    await probe(who, page, "buyer", `/rfqs/${id}/compare?price=100&leadTime=0&trackRecord=0`, buyerSecrets, { routeId: "routes/rfqs.$rfqId_.compare" });
    const csv = await probe(who, page, "buyer", `/rfqs/${id}/compare.csv`, buyerSecrets);
    expect(csv.status, "the CSV export is refused before the close").toBeGreaterThanOrEqual(400);
    await probe(who, page, "buyer", `/rfqs/${id}/compare.csv?price=1&leadTime=1&trackRecord=1`, buyerSecrets);
    await probe(who, page, "buyer", rfqFileHref!, buyerSecrets, { status: 200 });
    // Rif's file, by its id (which the buyer could only have guessed): the same "not found" as any other.
    expect((await probe(who, page, "buyer", `/rfqs/${id}/offer-attachments/${rifFileId}`, buyerSecrets)).status).toBe(404);
    expect((await probe(who, page, "buyer", `/rfqs/${id}/offer-attachments/${NOBODY}`, buyerSecrets)).status).toBe(404);
    await probe(who, page, "buyer", `/rfqs/${id}/attachments/${rifFileId}`, buyerSecrets);
    await probe(who, page, "buyer", `/rfqs/${NOBODY}`, buyerSecrets, { routeId: "routes/rfqs.$rfqId", status: 404 });
    await probe(who, page, "buyer", `/rfqs/${rifOfferId}`, buyerSecrets, { routeId: "routes/rfqs.$rfqId", status: 404 });
    await probe(who, page, "buyer", `/rfqs/${rifOfferId}/compare`, buyerSecrets);
    await probe(who, page, "buyer", "/approvals", buyerSecrets, { routeId: "routes/approvals._index", status: 200 });
    await probe(who, page, "buyer", "/approvals?status=pending", buyerSecrets, { routeId: "routes/approvals._index", status: 200 });
    await probe(who, page, "buyer", `/approvals/${NOBODY}`, buyerSecrets, { routeId: "routes/approvals.$approvalId" });
    await probe(who, page, "buyer", "/orders", buyerSecrets, { routeId: "routes/orders._index", status: 200 });
    await probe(who, page, "buyer", `/orders?q=${encodeURIComponent(title)}`, buyerSecrets, { routeId: "routes/orders._index", status: 200 });
    await probe(who, page, "buyer", `/orders/${rifOfferId}`, buyerSecrets, { routeId: "routes/orders.$orderId" });
    for (const price of prices) await probe(who, page, "buyer", `/catalogue?q=${encodeURIComponent(price)}`, buyerSecrets, { routeId: "routes/catalogue", status: 200 });
    const stream = await probeStream(who, page, "buyer", `/rfqs/${id}/events`, buyerSecrets);
    expect(stream.text, "the buyer's live board answers").toContain("event: update");
    const live = eventData<{ offerCount: number; title: string }>(stream.text);
    expect(live.offerCount).toBe(2);
    await probeStream(who, page, "buyer", `/rfqs/${NOBODY}/events`, buyerSecrets);
  }

  // A premature award naming the offers (ids the buyer never saw): refused, and it says nothing of them.
  for (const offerId of [rifOfferId, sudOfferId]) {
    const award = await buyer.request.post(`${URLS.buyer}/rfqs/${id}/compare`, { form: { mode: "whole", offerId, note: "early" }, headers: { Origin: URLS.buyer }, maxRedirects: 0 });
    scan("Atlas purchaser", `POST /rfqs/${id}/compare (award ${offerId}) → ${award.status()}`, await award.text(), buyerSecrets);
    expect(award.status(), "no award before the close").toBeGreaterThanOrEqual(400);
    const lineAward = await buyer.request.post(`${URLS.buyer}/rfqs/${id}/compare`, { form: { mode: "lines", [`qty.${NOBODY}.${offerId}`]: "1" }, headers: { Origin: URLS.buyer }, maxRedirects: 0 });
    scan("Atlas purchaser", `POST /rfqs/${id}/compare (lines ${offerId}) → ${lineAward.status()}`, await lineAward.text(), buyerSecrets);
  }

  // The sellers: Sud and Rif each competing with the other's offer, Kasbah with both.
  const competitors: { who: string; page: Page; secrets: Secret[]; offered: boolean }[] = [
    { who: "Sud", page: sud, secrets: rifSecrets, offered: true },
    { who: "Rif", page: rif, secrets: sudSecrets, offered: true },
    { who: "Kasbah", page: kasbah, secrets: [...rifSecrets, ...sudSecrets], offered: false },
  ];
  for (const { who, page, secrets, offered } of competitors) {
    const rfqPage = await probe(who, page, "seller", `/rfqs/${id}`, secrets, { routeId: "routes/rfqs.$rfqId", status: 200 });
    expect(rfqPage.text).toContain(title);
    expect(rfqPage.text).toContain("Yes, kraft is fine."); // the public answer reaches every seller
    await probe(who, page, "seller", "/", secrets, { routeId: "routes/_index", status: 200 });
    await probe(who, page, "seller", "/rfqs", secrets, { routeId: "routes/rfqs._index", status: 200 });
    await probe(who, page, "seller", `/rfqs?q=${encodeURIComponent(title)}&sort=closing`, secrets, { routeId: "routes/rfqs._index", status: 200 });
    // Another seller's receipt sequence in the URL shows nothing of it (receipts 1 to 3 are Rif's and Sud's).
    for (const sequence of [1, 2, 3, 4, 5]) await probe(who, page, "seller", `/rfqs/${id}?receipt=${sequence}`, secrets, { routeId: "routes/rfqs.$rfqId", status: 200 });
    await probe(who, page, "seller", `/rfqs/${id}?confirm=withdraw`, secrets, { routeId: "routes/rfqs.$rfqId", status: 200 });
    await probe(who, page, "seller", `/rfqs/${id}/offer-attachments`, secrets, { routeId: "routes/rfqs.$rfqId_.offer-attachments", status: 200 });
    const receipts = await probe(who, page, "seller", `/rfqs/${id}/receipts.json`, secrets);
    if (offered) expect(receipts.status).toBe(200);
    await probe(who, page, "seller", rfqFileHref!, secrets, { status: 200 });
    if (who !== "Rif") {
      // Rif's file by its id, through this seller's own offer-file route and the RFQ-file route: not found.
      expect((await probe(who, page, "seller", `/rfqs/${id}/offer-attachments/${rifFileId}`, secrets)).status).toBe(404);
      expect((await probe(who, page, "seller", `/rfqs/${id}/attachments/${rifFileId}`, secrets)).status).toBe(404);
      // Nor can a form remove it.
      const remove = await page.request.post(`${URLS.seller}/rfqs/${id}/offer-attachments`, { form: { intent: "remove-file", attachmentId: rifFileId }, headers: { Origin: URLS.seller }, maxRedirects: 0 });
      scan(who, `POST remove-file ${rifFileId} → ${remove.status()}`, await remove.text(), secrets);
      expect(remove.status(), `${who} cannot remove Rif's file`).toBeGreaterThanOrEqual(400);
    }
    await probe(who, page, "seller", `/rfqs/${id}/offer-attachments/${NOBODY}`, secrets);
    await probe(who, page, "seller", `/rfqs/${NOBODY}`, secrets, { routeId: "routes/rfqs.$rfqId", status: 404 });
    await probe(who, page, "seller", `/rfqs/${rifOfferId}`, secrets, { routeId: "routes/rfqs.$rfqId", status: 404 });
    await probe(who, page, "seller", `/rfqs/${sudOfferId}/receipts.json`, secrets);
    await probe(who, page, "seller", "/orders", secrets, { routeId: "routes/orders._index", status: 200 });
    await probe(who, page, "seller", `/orders/${rifOfferId}`, secrets, { routeId: "routes/orders.$orderId" });
    for (const price of prices) {
      await probe(who, page, "seller", `/rfqs?q=${encodeURIComponent(price)}`, secrets, { routeId: "routes/rfqs._index", status: 200 });
      await probe(who, page, "seller", `/listings?q=${encodeURIComponent(price)}`, secrets, { routeId: "routes/listings._index" });
    }
    const stream = await probeStream(who, page, "seller", `/rfqs/${id}/events`, secrets);
    expect(stream.text, `${who}'s live page answers`).toContain("event: update");
    expect(eventData<{ rfq: { status: string } }>(stream.text).rfq.status).toBe("open");
  }
  // The offering sellers themselves do see their own: the scan is not blind.
  expect((await probe("Rif (own)", rif, "seller", `/rfqs/${id}/offer-attachments/${rifFileId}`, [])).status).toBe(200);
  const ownRif = await probe("Rif (own)", rif, "seller", `/rfqs/${id}/receipts.json`, []);
  expect(rifSecrets.filter((s) => s.pattern.test(normalise(ownRif.text))).length).toBeGreaterThan(0);

  // The e-mails sent so far (no page shows them), to anyone but the offer's own seller.
  const db = new pg.Client({ connectionString: E2E_DATABASE_URL });
  await db.connect();
  try {
    const outbox = await db.query<{ id: string; to: string | null; text: string }>(
      "select id::text, payload->>'to' as to, payload::text as text from outbox where topic = 'notification.email' and created_at >= $1",
      [startedAt],
    );
    const sent = await db.query<{ id: string; to: string | null; text: string }>("select n.id::text, coalesce(n.to_address, u.email) as to, n.subject || '\n' || n.body as text from notifications n left join users u on u.id = n.user_id where n.created_at >= $1", [startedAt]);
    // The public answer was e-mailed to the sellers of the category: there is something to scan.
    expect(outbox.rows.length).toBeGreaterThan(0);
    for (const mail of [...outbox.rows, ...sent.rows]) {
      const to = mail.to ?? "";
      const secrets = [...(to.endsWith("@rif.test") ? [] : rifSecrets), ...(to.endsWith("@sud.test") ? [] : sudSecrets)];
      scan(`e-mail to ${mail.to}`, `notification ${mail.id}`, mail.text, secrets);
    }
  } finally {
    await db.end();
  }

  // And everything the five browsers loaded meanwhile.
  for (const { who, url, text } of browsed.splice(0)) {
    const secrets = who === "Rif" ? sudSecrets : who === "Sud" ? rifSecrets : buyerSecrets;
    scan(`${who} (browser)`, `${url}`, await text, secrets);
  }

  test.info().annotations.push({ type: "probes", description: `${probed.length} responses scanned, ${Math.round((rfq.deadline.getTime() - Date.now()) / 1000)} s before the deadline` });
  // All of it happened while the RFQ was open (the seller streams above said so too).
  expect(Date.now(), "the probes ran before the deadline").toBeLessThan(rfq.deadline.getTime());
  expect(probed.length).toBeGreaterThan(300);
  expect(leaks, `leaks in ${probed.length} responses`).toEqual([]);

  // ———— After the deadline, the buyer sees the offers (so the scan above could have failed) ————
  await buyer.goto(`${URLS.buyer}/rfqs/${id}`);
  await expect(buyer.getByRole("link", { name: "Compare and award" })).toBeVisible({ timeout: Math.max(0, rfq.deadline.getTime() - Date.now()) + 30_000 });
  const found = (text: string, secrets: readonly Secret[]) => secrets.filter((s) => s.pattern.test(normalise(text))).map((s) => s.label);
  const compare = await buyer.request.get(`${URLS.buyer}/rfqs/${id}/compare`);
  expect(compare.status()).toBe(200);
  const compareText = await compare.text();
  for (const expected of ["the name Rif Emballages", "the name Sud Emballages", "Rif Emballages's unit price of line 2 (revision 2) written 4,319.87", "Sud Emballages's unit price of line 1 (revision 1) written 765.43", "Rif Emballages's notes", "Sud Emballages's notes"]) {
    expect(found(compareText, buyerSecrets)).toContain(expected);
  }
  // The superseded price of Rif's first revision is gone for good.
  expect(found(compareText, buyerSecrets)).not.toContain("Rif Emballages's unit price of line 2 (revision 1) written 4,321.09");
  const csv = await buyer.request.get(`${URLS.buyer}/rfqs/${id}/compare.csv`);
  expect(csv.status()).toBe(200);
  expect(found(await csv.text(), buyerSecrets)).toEqual(expect.arrayContaining(["the name Rif Emballages", "Rif Emballages's unit price of line 1 (revision 1) written 987.65", "Sud Emballages's offer total (revision 1) written 72814.60"]));
  const file = await buyer.request.get(`${URLS.buyer}/rfqs/${id}/offer-attachments/${rifFileId}`);
  expect(file.status(), "the buyer reads Rif's file once the RFQ is closed").toBe(200);
  expect(await file.text()).toContain(rifOffer.file);
  await buyer.getByRole("link", { name: "Compare and award" }).click();
  const matrix = buyer.getByRole("table", { name: "Offers side by side" });
  await expect(matrix.getByRole("columnheader", { name: /^Rif Emballages/ })).toBeVisible();
  await expect(matrix).toContainText("€987.65");
  await expect(matrix).toContainText("€4,319.87");
  await expect(matrix).toContainText("€765.43");
});
