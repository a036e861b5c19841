import { expect, test } from "@playwright/test";
import { PASSWORD, uniqueEmail, URLS } from "../support";

test("a seller creates its account, is asked to complete the application, signs out and signs in again", async ({ page }) => {
  // Hydration mismatches and client errors show up in the console: there must be none. (Answers
  // such as 422 or 401 to a form are logged as "Failed to load resource"; the specs check those.)
  const consoleErrors: string[] = [];
  page.on("console", (m) => (m.type() === "error" && !m.text().startsWith("Failed to load resource") ? consoleErrors.push(m.text()) : undefined));
  const email = uniqueEmail("sam");
  await page.goto(`${URLS.seller}/`);
  await expect(page).toHaveURL(`${URLS.seller}/sign-in`);
  await page.getByRole("link", { name: "Apply to sell on Souk" }).click();

  await page.getByLabel("Company name").fill("Atlas Industrial Supplies");
  await page.getByLabel("Your full name").fill("Sam Seller");
  await page.getByLabel("Work e-mail").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create seller account" }).click();

  // Signing up creates the account only: the application is still to be completed and submitted.
  await expect(page).toHaveURL(`${URLS.seller}/application`);
  await expect(page.getByText("Complete and submit your application")).toBeVisible();
  await expect(page.getByText("Pending review", { exact: true })).toBeVisible();
  await expect(page.getByRole("button", { name: "Submit application" })).toBeVisible();
  await expect(page.getByText("Your application is pending review")).toHaveCount(0);

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(`${URLS.seller}/sign-in`);

  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(`${URLS.seller}/`);
  await expect(page.getByRole("heading", { name: "Welcome, Sam Seller" })).toBeVisible();
  await expect(page.getByText("Complete and submit your application")).toBeVisible();
  await page.getByRole("link", { name: "Complete your application" }).click();
  await expect(page).toHaveURL(`${URLS.seller}/application`);
  await expect(page.getByRole("heading", { name: "Your seller application" })).toBeVisible();

  // The seller's account is no buyer account: the buyer app refuses it with the usual message.
  await page.goto(`${URLS.buyer}/sign-in`);
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert")).toContainText("The e-mail or password is incorrect");
  expect(consoleErrors).toEqual([]);
});
