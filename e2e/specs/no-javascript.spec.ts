import { expect, test } from "@playwright/test";
import { PASSWORD, uniqueEmail, URLS } from "../support";

// Every form is a plain HTML form: the whole members flow must work with JavaScript turned off.
test.use({ javaScriptEnabled: false });

test("without JavaScript, a buyer admin signs up, invites, changes a role and removes a member", async ({ page, browser }) => {
  const email = uniqueEmail("nojs");
  await page.goto(`${URLS.buyer}/sign-up`);
  await page.getByLabel("Company name").fill("Plain Forms SA");
  await page.getByLabel("Your full name").fill("Paula Plain");
  await page.getByLabel("Work e-mail").fill(email);
  await page.getByLabel("Password").fill("too short");
  await page.getByRole("button", { name: "Create account" }).click();
  // The server re-renders the form: values kept, the password never sent back.
  await expect(page.getByText("Use at least 12 characters.")).toBeVisible();
  await expect(page.getByLabel("Company name")).toHaveValue("Plain Forms SA");
  await expect(page.getByLabel("Password")).toHaveValue("");
  await expect(page.getByLabel("Password")).toBeFocused();
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByRole("heading", { name: "Welcome, Paula Plain" })).toBeVisible();

  await page.goto(`${URLS.buyer}/members`);
  const invitee = uniqueEmail("vic");
  await page.getByLabel("E-mail address").fill(invitee);
  await page.getByLabel("Role", { exact: true }).selectOption("viewer");
  await page.getByRole("button", { name: "Send invitation" }).click();
  const link = await page.getByLabel("Invitation link").inputValue();

  const other = await browser.newContext({ javaScriptEnabled: false });
  const page2 = await other.newPage();
  await page2.goto(link);
  await page2.getByLabel("Your full name").fill("Victor Viewer");
  await page2.getByLabel("Choose a password").fill(PASSWORD);
  await page2.getByRole("button", { name: "Accept invitation" }).click();
  await expect(page2.getByText("Welcome aboard. You have joined the organisation.")).toBeVisible();
  await expect(page2.getByText("Viewer", { exact: true })).toBeVisible();

  await page.goto(`${URLS.buyer}/members`);
  await page.getByLabel("Role of Victor Viewer").selectOption("purchaser");
  await page.getByRole("button", { name: "Save role: Victor Viewer" }).click();
  await expect(page.getByText("The role has been changed.")).toBeVisible();
  await expect(page.getByLabel("Role of Victor Viewer")).toHaveValue("purchaser");

  await page.getByRole("link", { name: "Remove Victor Viewer" }).click();
  await expect(page.getByRole("heading", { name: "Remove Victor Viewer?" })).toBeVisible();
  await page.getByRole("button", { name: "Remove member" }).click();
  await expect(page.getByText("The member has been removed.")).toBeVisible();
  await expect(page.getByRole("rowheader", { name: /Victor Viewer/ })).toHaveCount(0);

  // The removed member's session on this organisation is over.
  await page2.goto(`${URLS.buyer}/members`);
  await expect(page2).toHaveURL(/\/sign-in/);
  await other.close();

  await page.getByRole("button", { name: "Français" }).click();
  await expect(page.locator("html")).toHaveAttribute("lang", "fr");
  await page.getByRole("button", { name: "English" }).click();
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByText("You have been signed out.")).toBeVisible();
});
