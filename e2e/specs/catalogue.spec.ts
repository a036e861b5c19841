import { expect, test, type Page } from "@playwright/test";
import { URLS } from "../support";

/*
 * Issue 4 end to end, in the demo data the database preparation seeds (`pnpm db:seed`): a seller
 * imports a CSV with one bad row and fixes it; a buyer finds a listing by a misspelt word and sees
 * its contract price; a buyer outside a customer group cannot open that group's listing by URL.
 * Everything goes through the pages, and the listings reach search through outbox → worker.
 */

const DEMO_PASSWORD = "souk-demo-2026";

async function signIn(page: Page, url: string, email: string) {
  await page.goto(`${url}/sign-in`);
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(`${url}/`);
}

function tag(): string {
  return `${Date.now().toString(36).slice(-5)}${Math.floor(Math.random() * 1e3)}`.toUpperCase();
}

const HEADER = "sku,title,description,category,unit,currency,list_price,min_order_quantity,stock,lead_time_days,tiers,attributes,visibility,status";

function csv(rows: string[]): Buffer {
  return Buffer.from([HEADER, ...rows].join("\n") + "\n", "utf8");
}

async function importFile(page: Page, name: string, content: Buffer) {
  await page.goto(`${URLS.seller}/listings/import`);
  await page.getByLabel("CSV file").setInputFiles({ name, mimeType: "text/csv", buffer: content });
  await page.getByRole("button", { name: "Import", exact: true }).click();
  await expect(page).toHaveURL(/\/listings\/imports\/[0-9a-f-]{36}$/);
  // The import runs in the worker; the page follows it until it is finished.
  await expect(page.getByRole("status").getByText(/^Import finished/)).toBeVisible({ timeout: 20_000 });
}

test("a seller imports a CSV with one bad row, sees where it is, fixes it, and buyers find the listings", async ({ page, browser }) => {
  const batch = tag();
  const good = `RIF-E2E-${batch}-1`;
  const bad = `RIF-E2E-${batch}-2`;
  const title = `Recycled pallet cover ${batch}`;
  await signIn(page, URLS.seller, "owner@rif.test");

  const rows = (price: string) => [
    `${good},${title},Pallet cover from recycled film,packaging-film,roll,EUR,24.90,2,100,3,10=22.50,colour=clear,everyone,published`,
    `${bad},Heavy pallet cover ${batch},"Thick, tear-resistant",packaging-film,roll,EUR,${price},1,50,4,,,everyone,published`,
  ];
  await importFile(page, `covers-${batch}.csv`, csv(rows("-5")));
  await expect(page.getByRole("status").getByText("Import finished with refused rows")).toBeVisible();
  const refused = page.getByRole("table", { name: "Rows of the file that were not imported" });
  const errorRow = refused.getByRole("row").filter({ has: page.getByRole("rowheader", { name: "3" }) });
  await expect(errorRow).toContainText("list_price");
  await expect(errorRow).toContainText("The list price must be more than zero.");

  // The same file with the price fixed: the good row is unchanged, the fixed one is created.
  await importFile(page, `covers-${batch}-fixed.csv`, csv(rows("31.50")));
  await expect(page.getByRole("status").getByText("Import finished", { exact: true })).toBeVisible();
  await expect(page.getByRole("definition").nth(0)).toHaveText("1"); // created: the fixed row
  await expect(page.getByRole("definition").nth(2)).toHaveText("1"); // unchanged: the good row

  // Published by the import, synced to the index by the worker: a buyer finds it.
  const buyer = await browser.newPage();
  await signIn(buyer, URLS.buyer, "purchaser@boreal.test");
  await expect(async () => {
    await buyer.goto(`${URLS.buyer}/catalogue?q=${encodeURIComponent(`heavy pallet cover ${batch}`)}`);
    await expect(buyer.getByRole("link", { name: `Heavy pallet cover ${batch}` })).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 15_000 });
  await buyer.close();
});

test("a buyer finds a listing by a misspelt word and sees its contract price", async ({ page }) => {
  await signIn(page, URLS.buyer, "purchaser@atlas.test");
  await page.getByRole("link", { name: "Catalogue" }).first().click();
  // "ramete" for "ramette": the search tolerates the typo.
  await page.getByRole("searchbox").fill("ramete papier A4 80 g blanc");
  await page.getByRole("searchbox").press("Enter");
  const hit = page.getByRole("listitem").filter({ has: page.getByRole("link", { name: "Ramette papier A4 80 g blanc", exact: true }) });
  await expect(hit).toContainText("Contract price");
  await expect(hit).toContainText("€3.49");

  await hit.getByRole("link", { name: "Ramette papier A4 80 g blanc", exact: true }).click();
  await expect(page).toHaveURL(/\/catalogue\/[0-9a-f-]{36}$/);
  await expect(page.getByRole("heading", { name: "Ramette papier A4 80 g blanc", level: 1 })).toBeVisible();
  // The price box's quantity (the cart's and the requisition list's are plain text fields).
  await page.getByRole("spinbutton", { name: /^Quantity/ }).fill("60");
  await page.getByRole("button", { name: "Show the price" }).click();
  // Atlas's contract has a break at 50 reams: 3.19 each, 191.40 for 60.
  await expect(page.getByText("€191.40")).toBeVisible();
});

test("a listing reserved for a customer group cannot be opened by URL from outside the group", async ({ page, browser }) => {
  // The demo seed reserves Médina's "Chaise de bureau ergonomique résille gris anthracite" (CHS-3B)
  // for its hotel customers. Boréal Hôtels is one of them: it finds the chair and opens its page.
  const title = "Chaise de bureau ergonomique résille gris anthracite";
  await signIn(page, URLS.buyer, "purchaser@boreal.test");
  await page.goto(`${URLS.buyer}/catalogue?q=${encodeURIComponent(title)}`);
  await page.getByRole("link", { name: title, exact: true }).click();
  await expect(page).toHaveURL(/\/catalogue\/[0-9a-f-]{36}$/);
  await expect(page.getByRole("heading", { name: title, level: 1 })).toBeVisible();
  const reserved = page.url();

  // Atlas Industrie is not: no hit, and the same URL is a plain "not found", as if it did not exist.
  const outsider = await browser.newPage();
  await signIn(outsider, URLS.buyer, "purchaser@atlas.test");
  await outsider.goto(`${URLS.buyer}/catalogue?q=${encodeURIComponent(title)}`);
  await expect(outsider.getByRole("link", { name: title, exact: true })).toHaveCount(0);
  const response = await outsider.goto(reserved);
  expect(response?.status()).toBe(404);
  await expect(outsider.getByRole("heading", { name: title, level: 1 })).toHaveCount(0);
  await outsider.close();
});
