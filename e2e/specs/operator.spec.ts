import { expect, test } from "@playwright/test";
import { OPERATOR_ADMIN, PASSWORD, uniqueEmail, URLS } from "../support";

test("the CLI-created admin invites a member who joins through the link", async ({ page, browser }) => {
  // Hydration mismatches and client errors show up in the console: there must be none. (Answers
  // such as 422 or 401 to a form are logged as "Failed to load resource"; the specs check those.)
  const consoleErrors: string[] = [];
  page.on("console", (m) => (m.type() === "error" && !m.text().startsWith("Failed to load resource") ? consoleErrors.push(m.text()) : undefined));
  // No public sign-up in the operator console.
  const signUp = await page.goto(`${URLS.operator}/sign-up`);
  expect(signUp?.status()).toBe(404);

  await page.goto(`${URLS.operator}/sign-in`);
  await expect(page.getByText("Operator accounts are created by a Souk administrator")).toBeVisible();
  await page.getByLabel("E-mail").fill(OPERATOR_ADMIN.email);
  await page.getByLabel("Password").fill(OPERATOR_ADMIN.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: `Welcome, ${OPERATOR_ADMIN.name}` })).toBeVisible();

  await page.getByRole("navigation", { name: "Main navigation" }).getByRole("link", { name: "Members" }).click();
  const email = uniqueEmail("max");
  await page.getByLabel("E-mail address").fill(email);
  // "Role", exactly: each member listed above has a "Role of <name>" select (the CLI made a moderator too).
  await page.getByLabel("Role", { exact: true }).selectOption("moderator");
  await page.getByRole("button", { name: "Send invitation" }).click();
  await expect(page.getByText(`Invitation sent to ${email}.`)).toBeVisible();
  await expect(page.getByRole("rowheader", { name: email })).toBeVisible();
  const link = await page.getByLabel("Invitation link").inputValue();
  expect(link).toMatch(new RegExp(`^${URLS.operator}/invitations/[a-z2-7]+$`));

  // The invitee opens the link in a browser of its own.
  const invitee = await browser.newContext();
  const page2 = await invitee.newPage();
  await page2.goto(link);
  await expect(page2.getByRole("heading", { name: "Join Souk Operations" })).toBeVisible();
  await expect(page2.getByText(`This invitation is for ${email}.`)).toBeVisible();
  await page2.getByLabel("Your full name").fill("Max Moderator");
  await page2.getByLabel("Choose a password").fill(PASSWORD);
  await page2.getByRole("button", { name: "Accept invitation" }).click();
  await expect(page2).toHaveURL(`${URLS.operator}/`);
  await expect(page2.getByRole("heading", { name: "Welcome, Max Moderator" })).toBeVisible();

  await page2.getByRole("button", { name: "Sign out" }).click();
  await expect(page2).toHaveURL(`${URLS.operator}/sign-in`);
  await page2.getByLabel("E-mail").fill(email);
  await page2.getByLabel("Password").fill(PASSWORD);
  await page2.getByRole("button", { name: "Sign in" }).click();
  await expect(page2.getByRole("heading", { name: "Welcome, Max Moderator" })).toBeVisible();
  await expect(page2.getByText("Moderator").first()).toBeVisible();

  // The link worked once.
  await page2.goto(link);
  await expect(page2.getByRole("heading", { name: "This link is no longer valid" })).toBeVisible();
  await invitee.close();

  // The admin now sees the new member and no pending invitation.
  await page.reload();
  await expect(page.getByRole("rowheader", { name: "Max Moderator" })).toBeVisible();
  await expect(page.getByText("No invitation is waiting for an answer.")).toBeVisible();
  expect(consoleErrors).toEqual([]);
});
