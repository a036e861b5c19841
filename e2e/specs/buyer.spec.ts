import { expect, test } from "@playwright/test";
import { PASSWORD, uniqueEmail, URLS } from "../support";

test("a buyer signs up, signs out and signs in again", async ({ page }) => {
  // Hydration mismatches and client errors show up in the console: there must be none. (Answers
  // such as 422 or 401 to a form are logged as "Failed to load resource"; the specs check those.)
  const consoleErrors: string[] = [];
  page.on("console", (m) => (m.type() === "error" && !m.text().startsWith("Failed to load resource") ? consoleErrors.push(m.text()) : undefined));
  const email = uniqueEmail("ada");
  await page.goto(`${URLS.buyer}/sign-up`);
  await expect(page.locator("html")).toHaveAttribute("lang", "en");

  // A mistake first: the form comes back with the error beside the field and the typed values kept.
  await page.getByLabel("Company name").fill("Acme Trading");
  await page.getByLabel("Your full name").fill("Ada Lovelace");
  await page.getByLabel("Work e-mail").fill(email);
  await page.getByLabel("Password").fill("too short");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByText("Use at least 12 characters.")).toBeVisible();
  await expect(page.getByLabel("Password")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByLabel("Work e-mail")).toHaveValue(email);
  // Like the server-rendered page without JavaScript: the password is not kept, the focus is on the first error.
  await expect(page.getByLabel("Password")).toHaveValue("");
  await expect(page.getByLabel("Password")).toBeFocused();

  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(`${URLS.buyer}/`);
  await expect(page.getByRole("heading", { name: "Welcome, Ada Lovelace" })).toBeVisible();
  await expect(page.getByText("Your buyer organisation is active")).toBeVisible();
  await expect(page.getByText("Acme Trading").first()).toBeVisible();

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(`${URLS.buyer}/sign-in`);
  await expect(page.getByText("You have been signed out.")).toBeVisible();
  await page.goto(`${URLS.buyer}/members`);
  await expect(page).toHaveURL(`${URLS.buyer}/sign-in?redirectTo=%2Fmembers`);

  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(`${URLS.buyer}/members`);
  await expect(page.getByRole("cell", { name: email })).toBeVisible();

  // The language switcher is a plain form: the page comes back in French.
  await page.getByRole("button", { name: "Français" }).click();
  await expect(page.locator("html")).toHaveAttribute("lang", "fr");
  await expect(page.getByRole("heading", { level: 1, name: "Membres" })).toBeVisible();
  expect(consoleErrors).toEqual([]);
});
