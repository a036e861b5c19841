import { fileURLToPath } from "node:url";
import { expect, test, type Browser, type Locator, type Page } from "@playwright/test";

/**
 * What the specs share: where each app runs, the database and document storage they use, and the
 * operator accounts that the database preparation creates through the CLI (operators never sign up).
 */
export const E2E_DATABASE = "souk_e2e";

/**
 * Uploaded documents of the run: one directory for the seller app (which stores them) and the
 * operator app (which serves them to reviewers), emptied by cli/prepare-database.ts. Absolute,
 * because each app starts from its own folder.
 */
export const E2E_STORAGE_DIR = fileURLToPath(new URL("../.cache/e2e-storage", import.meta.url));

// Apart from the demo's and `pnpm dev`'s 3001–3004, so that the specs run beside a running demo.
export const PORTS = { buyer: 3201, seller: 3202, operator: 3203, worker: 3204, prepare: 3209 } as const;

/**
 * A time budget of the running test (in any unit), times the configuration's `budgetFactor`: 2 under
 * CI, which runs the specs on a busier machine (beside the typecheck, at a lower priority, but on the
 * same two cores) than a developer's.
 */
export function budget(value: number): number {
  return value * (Number(test.info().config.metadata.budgetFactor) || 1);
}

export const URLS = {
  buyer: `http://localhost:${PORTS.buyer}`,
  seller: `http://localhost:${PORTS.seller}`,
  operator: `http://localhost:${PORTS.operator}`,
} as const;

export const OPERATOR_ADMIN = {
  email: "olga.admin@example.com",
  name: "Olga Admin",
  password: "e2e operator passphrase",
} as const;

export const OPERATOR_MODERATOR = {
  email: "malik.moderator@example.com",
  name: "Malik Moderator",
  password: "e2e moderator passphrase",
} as const;

/** Passwords of the accounts the specs create. */
export const PASSWORD = "correct horse battery staple";

/** An address nobody else in this run uses (a spec retried within one run signs up again). */
export function uniqueEmail(who: string): string {
  return `${who}.${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}@example.com`;
}

// ————————————————————————————————————————————————————————————————————————————————————————————
// The demo accounts (`pnpm db:seed`) and the RFQ pages, shared by specs/rfq*.spec.ts.
// ————————————————————————————————————————————————————————————————————————————————————————————

/** The password of every demo account. */
export const DEMO_PASSWORD = "souk-demo-2026";

/** The run's database, for the few checks no page can make (e-mails the worker rendered). */
export const E2E_DATABASE_URL = `postgres://postgres@127.0.0.1:5432/${E2E_DATABASE}`;

/** A short tag that makes titles unique per run (upper-case letters and digits). */
export function runTag(): string {
  return `${Date.now().toString(36).slice(-5)}${Math.floor(Math.random() * 1e3)}`.toUpperCase();
}

/** Signs a demo account in through the sign-in page and waits for the dashboard. */
export async function signInDemo(page: Page, app: keyof typeof URLS, email: string): Promise<void> {
  await page.goto(`${URLS[app]}/sign-in`);
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(`${URLS[app]}/`);
}

/**
 * What `<input type="datetime-local">` holds for `date` in `timeZone`: `YYYY-MM-DDTHH:mm:ss`, or
 * `YYYY-MM-DDTHH:mm` on a whole minute (the browser drops ":00" seconds from the value).
 */
export function wallClock(date: Date, timeZone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-US", { timeZone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit" })
      .formatToParts(date)
      .map((p) => [p.type, p.value]),
  );
  const minutes = `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
  return parts.second === "00" ? minutes : `${minutes}:${parts.second}`;
}

/** The zone the RFQ specs run the browser in (`test.use({ timezoneId })`): also the pages' default. */
export const RFQ_TIME_ZONE = "Europe/Paris";

export interface RfqLineInput {
  description: string;
  quantity: number;
  unit: string;
}

/**
 * Writes and publishes an open-to-the-category RFQ through the buyer's form, with its deadline
 * `secondsAhead` from the moment the field is filled, and returns its id and reference. Sealed
 * unless `sealing: "open"`.
 */
export async function publishRfq(
  page: Page,
  rfq: { title: string; description: string; category: string; deliveryPlace: string; lines: RfqLineInput[]; secondsAhead: number; sealing?: "sealed" | "open" },
): Promise<{ id: string; reference: string; deadline: Date }> {
  await page.goto(`${URLS.buyer}/rfqs/new`);
  await expect(page.getByRole("heading", { name: "New request for quotes", level: 1 })).toBeVisible();
  // "Add a line" posts the form and brings it back with one more row (no script needed).
  for (let i = 1; i < rfq.lines.length; i += 1) {
    await page.getByRole("button", { name: "Add a line" }).click();
    await expect(page.getByLabel(`Description, line ${i + 1}`)).toBeVisible();
  }
  await page.getByRole("textbox", { name: /^Title/ }).fill(rfq.title);
  await page.getByRole("combobox", { name: /^Category/ }).selectOption({ label: rfq.category });
  await page.getByLabel("Description", { exact: true }).fill(rfq.description);
  for (const [i, line] of rfq.lines.entries()) {
    await page.getByLabel(`Description, line ${i + 1}`).fill(line.description);
    await page.getByLabel(`Quantity, line ${i + 1}`).fill(String(line.quantity));
    await page.getByLabel(`Unit, line ${i + 1}`).fill(line.unit);
  }
  await page.getByRole("combobox", { name: /^Currency/ }).selectOption("EUR");
  await page.getByRole("combobox", { name: /^Delivery terms \(Incoterm\)/ }).selectOption("DAP");
  await page.getByRole("textbox", { name: /^Place of delivery/ }).fill(rfq.deliveryPlace);
  await page.getByRole("radio", { name: /^Every active seller of the category/ }).check();
  await page.getByRole("radio", { name: rfq.sealing === "open" ? /^Open bidding/ : /^Sealed/ }).check();
  await expect(page.getByText(`Date and time in ${RFQ_TIME_ZONE}.`)).toBeVisible();
  const deadline = new Date(Date.now() + rfq.secondsAhead * 1000);
  const deadlineField = page.getByLabel("Deadline for offers");
  await deadlineField.fill(wallClock(deadline, RFQ_TIME_ZONE));
  await expect(deadlineField).toHaveValue(wallClock(deadline, RFQ_TIME_ZONE));
  await page.getByRole("button", { name: "Publish", exact: true }).click();
  await expect(page).toHaveURL(/\/rfqs\/[0-9a-f-]{36}$/);
  await expect(page.getByText("Request published. Sellers can now make offers.")).toBeVisible();
  await expect(page.getByRole("heading", { name: rfq.title, level: 1 })).toBeVisible();
  const id = /\/rfqs\/([0-9a-f-]{36})$/.exec(page.url())?.[1] ?? "";
  const reference = (await page.locator(".page-header .mono").first().textContent())?.trim() ?? "";
  expect(reference).toMatch(/^RFQ-\d+$/);
  // The deadline as the server read it (to the second) is the one asked for.
  return { id, reference, deadline: new Date(Math.floor(deadline.getTime() / 1000) * 1000) };
}

/** A seller opens an RFQ from its inbox (the row links to the RFQ's page). */
export async function openFromInbox(page: Page, title: string): Promise<void> {
  await page.goto(`${URLS.seller}/rfqs`);
  await page.getByRole("link", { name: title, exact: true }).click();
  await expect(page.getByRole("heading", { name: title, level: 1 })).toBeVisible();
}

/** A seller asks the buyer a question from the RFQ's page. */
export async function askQuestion(page: Page, question: string): Promise<void> {
  await page.getByLabel("Your question").fill(question);
  await page.getByRole("button", { name: "Send the question" }).click();
  await expect(page.getByText("Your question has been sent to the buyer.")).toBeVisible();
}

/**
 * Submits (or revises) the seller's offer from the RFQ's page: a unit price and a quantity per line
 * (null skips the line), and returns the receipt's hash the page shows.
 */
export async function saveOffer(page: Page, offer: { lines: ({ price: string; quantity: number } | null)[]; leadTimeDays: number; notes?: string }): Promise<string> {
  const revising = await page.getByRole("button", { name: "Revise the offer" }).isVisible();
  for (const [i, line] of offer.lines.entries()) {
    await page.getByLabel(`Unit price for line ${i + 1}, EUR`).fill(line?.price ?? "");
    await page.getByLabel(`Quantity for line ${i + 1}`).fill(line ? String(line.quantity) : "");
  }
  await page.getByLabel("Lead time, in days").fill(String(offer.leadTimeDays));
  if (offer.notes !== undefined) await page.getByLabel("Notes for the buyer").fill(offer.notes);
  await page.getByRole("button", { name: revising ? "Revise the offer" : "Submit the offer" }).click();
  await expect(page.getByText(revising ? "Your offer has been revised. Its receipt is below." : "Your offer has been submitted. Its receipt is below.")).toBeVisible();
  const receipt = page.getByRole("region", { name: "Your receipt" });
  await expect(receipt).toBeVisible();
  const hash = (await receipt.locator("code").first().textContent())?.trim() ?? "";
  expect(hash).toMatch(/^[0-9a-f]{64}$/);
  return hash;
}

// ————————————————————————————————————————————————————————————————————————————————————————————
// Orders and money (specs/orders.spec.ts), in the demo data.
// ————————————————————————————————————————————————————————————————————————————————————————————

/** A browser context of its own, signed in to `app` as a demo account (several people act in one spec). */
export async function demoSession(browser: Browser, app: keyof typeof URLS, email: string): Promise<Page> {
  const context = await browser.newContext({ locale: "en-GB" });
  const page = await context.newPage();
  await signInDemo(page, app, email);
  return page;
}

/** A card of a page: the `<section>` whose heading is `heading`. */
export function cardOf(page: Page, heading: string | RegExp): Locator {
  return page.locator("section").filter({ has: page.getByRole("heading", { name: heading, exact: typeof heading === "string" }) });
}

/** An amount as the pages print it in en-GB ("€10,829.80", "-€5.00"), in minor units; throws on anything else. */
export function minorUnits(text: string | null): bigint {
  const match = /(-?)\s*€\s*([\d,]+)\.(\d{2})/.exec((text ?? "").replace(/\u2212/g, "-"));
  if (!match) throw new Error(`No euro amount in "${text ?? ""}"`);
  const value = BigInt(match[2]!.replace(/,/g, "")) * 100n + BigInt(match[3]!);
  return match[1] === "-" ? -value : value;
}

/** Minor units as the pages print them in en-GB: 1082980n → "€10,829.80". */
export function euros(minor: bigint): string {
  const sign = minor < 0n ? "-" : "";
  const abs = minor < 0n ? -minor : minor;
  return `${sign}€${(abs / 100n).toLocaleString("en-GB")}.${(abs % 100n).toString().padStart(2, "0")}`;
}

/**
 * Reloads `page` until `check` passes: for what the worker does in the background (settlement,
 * payout runs), which the pages show on the next load. No fixed sleep: Playwright's retry backs off.
 */
export async function reloadUntil(page: Page, check: () => Promise<void>, timeout = 30_000): Promise<void> {
  let first = true;
  await expect(async () => {
    if (!first) await page.reload();
    first = false;
    await check();
  }).toPass({ timeout, intervals: [250, 500, 1_000, 2_000] });
}
