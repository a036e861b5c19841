import { expect, test, type Browser, type Download, type Locator, type Page } from "@playwright/test";
import { readFile } from "node:fs/promises";
import { OPERATOR_ADMIN, OPERATOR_MODERATOR, PASSWORD, uniqueEmail, URLS } from "../support";

/*
 * Issue 3 end to end: a seller applies with a document, an operator asks for more information, the
 * seller answers, the operator approves; and a moderator suspends an active seller, who reads why.
 * Everything goes through the apps' pages, as people use them: no SQL.
 */

type Operator = { email: string; name: string; password: string };

/** A small but well-formed PDF (one empty page; the cross-reference table's offsets are exact). */
function minimalPdf(): Buffer {
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << >> >>",
  ];
  let body = "%PDF-1.4\n";
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

/** Records client errors (hydration mismatches...): a spec ends by checking there were none. */
function watchConsole(page: Page): string[] {
  const errors: string[] = [];
  // Answers such as 422 to a form are logged as "Failed to load resource"; the specs check those.
  page.on("console", (m) => (m.type() === "error" && !m.text().startsWith("Failed to load resource") ? errors.push(m.text()) : undefined));
  return errors;
}

/** A short unique suffix, so that names can be found in lists shared with other specs of the run. */
function tag(): string {
  return `${Date.now().toString(36).slice(-4)}${Math.floor(Math.random() * 1e3)}`;
}

async function signUpSeller(page: Page, seller: { company: string; name: string; email: string }) {
  await page.goto(`${URLS.seller}/sign-up`);
  await page.getByLabel("Company name").fill(seller.company);
  await page.getByLabel("Your full name").fill(seller.name);
  await page.getByLabel("Work e-mail").fill(seller.email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create seller account" }).click();
  await expect(page).toHaveURL(`${URLS.seller}/application`);
  await expect(page.getByText("Complete and submit your application")).toBeVisible();
}

/** Fills in the whole application form of a French company (the form is not submitted here). */
async function fillApplication(page: Page, seller: { legalName: string; tradingName: string; contactName: string; email: string }) {
  await page.getByLabel("Legal name").fill(seller.legalName);
  await page.getByLabel("Trading name (optional)").fill(seller.tradingName);
  await page.getByLabel("Country of registration").selectOption("FR");
  await page.getByLabel("VAT or company number").fill("FR 40 303 265 045");
  await page.getByLabel("Street address").fill("12 rue de la République");
  await page.getByLabel("Postal code").fill("69002");
  await page.getByLabel("City").fill("Lyon");
  await page.getByLabel(/^Full name/).fill(seller.contactName);
  await page.getByLabel(/^E-mail/).fill(seller.email);
  await page.getByLabel(/^Phone/).fill("+33 4 72 00 00 00");
  await page.getByRole("checkbox", { name: "Boxes and cartons" }).check();
  await page.getByRole("checkbox", { name: "Films and wraps" }).check();
  await page.getByLabel("Short description").fill("Corrugated boxes and stretch film for logistics centres in France and Benelux.");
}

async function signIn(page: Page, url: string, account: { email: string; password: string }) {
  await page.goto(`${url}/sign-in`);
  await page.getByLabel("E-mail").fill(account.email);
  await page.getByLabel("Password").fill(account.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(`${url}/`);
}

async function operatorPage(browser: Browser, operator: Operator) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const consoleErrors = watchConsole(page);
  await signIn(page, URLS.operator, operator);
  await expect(page.getByRole("heading", { name: `Welcome, ${operator.name}` })).toBeVisible();
  return { context, page, consoleErrors };
}

/** From the operator's navigation to the seller's page, through the review queue's status tab. */
async function openSellerFromQueue(page: Page, status: "Pending review" | "Active", sellerName: string) {
  await page.getByRole("navigation", { name: "Main navigation" }).getByRole("link", { name: "Sellers" }).click();
  await expect(page.getByRole("heading", { name: "Seller applications" })).toBeVisible();
  await page.getByRole("navigation", { name: "Sellers by status" }).getByRole("link", { name: new RegExp(`^${status}`) }).click();
  await expect(page).toHaveURL(/[?&]status=/);
  const row = page.getByRole("row").filter({ has: page.getByRole("link", { name: sellerName, exact: true }) });
  await expect(row).toHaveCount(1);
  await expect(row.getByText(status, { exact: true })).toBeVisible();
  return row;
}

/** The cell of `row` under the column headed `header` (by position in the table's header row). */
async function cellUnder(table: Locator, row: Locator, header: string): Promise<Locator> {
  const headers = await table.getByRole("columnheader").allTextContents();
  const index = headers.findIndex((h) => h.trim() === header);
  expect(index, `column "${header}" in ${JSON.stringify(headers)}`).toBeGreaterThanOrEqual(0);
  return row.locator(":scope > th, :scope > td").nth(index);
}

/** RFC 4180 records (quoted fields with doubled quotes, CRLF line ends). */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (c === '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c === '"') {
      quoted = true;
    } else if (c === ",") {
      record.push(field);
      field = "";
    } else if (c === "\r" && text[i + 1] === "\n") {
      record.push(field);
      records.push(record);
      record = [];
      field = "";
      i += 1;
    } else {
      field += c;
    }
  }
  if (field !== "" || record.length > 0) records.push([...record, field]);
  return records;
}

async function csvOf(download: Download): Promise<Record<string, string>[]> {
  const text = await readFile(await download.path(), "utf8");
  expect(text.startsWith("\uFEFF"), "UTF-8 byte order mark").toBe(true);
  const [header = [], ...rows] = parseCsv(text.slice(1));
  return rows.map((row) => Object.fromEntries(header.map((name, i) => [name, row[i] ?? ""])));
}

test("a seller applies with a document, answers the operator's question and is approved; the audit log and its CSV show it", async ({ page, browser }) => {
  const consoleErrors = watchConsole(page);
  const id = tag();
  const seller = {
    company: `Cartonnerie Rhône ${id}`,
    legalName: `Cartonnerie du Rhône ${id} SAS`,
    tradingName: `Rhône Cartons ${id}`,
    name: "Camille Carton",
    contactName: "Camille Carton",
    email: uniqueEmail("camille"),
  };
  const documentName = `Extrait Kbis société ${id}.pdf`;
  const pdf = minimalPdf();
  const question = `Please upload a Kbis extract dated less than three months ago (${id}).`;
  const answer = "The extract attached is from last week; our SIREN is 303 265 045.";

  // --- The seller signs up, uploads a document, fills in the application and submits it.
  await signUpSeller(page, seller);
  await page.getByLabel("File to upload").setInputFiles({ name: documentName, mimeType: "application/pdf", buffer: pdf });
  await page.getByRole("button", { name: "Upload document" }).click();
  await expect(page.getByText("The document has been added.")).toBeVisible();
  await expect(page.getByRole("link", { name: `Download ${documentName}` })).toBeVisible();

  await fillApplication(page, seller);
  await page.getByRole("button", { name: "Submit application" }).click();
  await expect(page.getByText("Your application has been submitted. The Souk team will review it.")).toBeVisible();
  await expect(page.getByText("Your application is pending review")).toBeVisible();
  // Under review, the application is read-only: no form, no submit button.
  await expect(page.getByRole("button", { name: "Submit application" })).toHaveCount(0);
  await expect(page.getByText("FR40303265045")).toBeVisible();

  // --- The operator admin finds it in the pending queue and opens it.
  const admin = await operatorPage(browser, OPERATOR_ADMIN);
  const row = await openSellerFromQueue(admin.page, "Pending review", seller.tradingName);
  await expect(row.getByText("France")).toBeVisible();
  await expect(row.getByText("Boxes and cartons")).toBeVisible();
  await row.getByRole("link", { name: seller.tradingName }).click();
  await expect(admin.page.getByRole("heading", { level: 1, name: seller.tradingName })).toBeVisible();
  await expect(admin.page.getByText(seller.legalName).first()).toBeVisible();
  await expect(admin.page.getByText("FR40303265045")).toBeVisible();
  await expect(admin.page.getByText("Application submitted", { exact: true })).toBeVisible();

  // The document comes down as an attachment with its own name and its bytes.
  const downloading = admin.page.waitForEvent("download");
  await admin.page.getByRole("link", { name: `Download ${documentName}` }).click();
  const document = await downloading;
  expect(document.suggestedFilename()).toBe(documentName);
  expect(await readFile(await document.path())).toEqual(pdf);
  // As the server sends it: the download's own caching and content rules, each header once.
  const href = await admin.page.getByRole("link", { name: `Download ${documentName}` }).getAttribute("href");
  const raw = await admin.page.request.get(`${URLS.operator}${href}`);
  expect(raw.status()).toBe(200);
  const sent = (await raw.headersArray()).filter((h) => ["cache-control", "content-security-policy", "x-content-type-options", "content-type"].includes(h.name.toLowerCase()));
  expect(sent.map((h) => `${h.name.toLowerCase()}: ${h.value}`).sort()).toEqual([
    "cache-control: private, no-store",
    "content-security-policy: default-src 'none'; sandbox; frame-ancestors 'none'",
    "content-type: application/pdf",
    "x-content-type-options: nosniff",
  ]);

  // Only the decisions open to a pending seller are offered.
  await expect(admin.page.getByRole("button", { name: "Suspend seller" })).toHaveCount(0);
  await expect(admin.page.getByRole("button", { name: "Reinstate seller" })).toHaveCount(0);
  // The question is required (the browser asks for it before sending).
  await expect(admin.page.getByLabel("Question for the seller")).toHaveAttribute("required", "");
  await admin.page.getByLabel("Question for the seller").fill(question);
  await admin.page.getByRole("button", { name: "Send question" }).click();
  await expect(admin.page.getByText("Your question has been sent to the seller.")).toBeVisible();
  await expect(admin.page.getByRole("heading", { level: 1 }).getByText("More information requested")).toBeVisible();
  await expect(admin.page.getByText("Waiting for the seller's answer to your question")).toBeVisible();

  // --- The seller reads the question, answers and resubmits.
  await page.goto(`${URLS.seller}/`);
  await expect(page.getByText("The Souk team needs more information")).toBeVisible();
  await expect(page.getByText(question).first()).toBeVisible();
  await page.getByRole("link", { name: "Answer the question" }).click();
  await expect(page).toHaveURL(`${URLS.seller}/application`);
  await page.getByLabel("Your answer").fill(answer);
  await page.getByRole("button", { name: "Send answer and resubmit" }).click();
  await expect(page.getByText("Your answer has been sent. The Souk team will review your application again.")).toBeVisible();
  await expect(page.getByText("Your application is pending review")).toBeVisible();

  // --- The operator sees the answer and approves.
  await admin.page.reload();
  await expect(admin.page.getByText("Answer sent, application resubmitted", { exact: true })).toBeVisible();
  await expect(admin.page.getByText(answer)).toBeVisible();
  await admin.page.getByRole("button", { name: "Approve seller" }).click();
  await expect(admin.page.getByText("The seller is approved and has been told.")).toBeVisible();
  await expect(admin.page.getByRole("heading", { level: 1 }).getByText("Active")).toBeVisible();
  await expect(admin.page.getByRole("button", { name: "Suspend seller" })).toBeVisible();
  await expect(admin.page.getByRole("button", { name: "Approve seller" })).toHaveCount(0);

  // --- The seller is active: the dashboard says so, the application page has the whole history.
  await page.goto(`${URLS.seller}/`);
  await expect(page.getByText("Your seller organisation is active")).toBeVisible();
  await expect(page.getByText("Complete and submit your application")).toHaveCount(0);
  await page.getByRole("link", { name: "View your application" }).click();
  await expect(page).toHaveURL(`${URLS.seller}/application`);
  await expect(page.getByRole("heading", { level: 1, name: "Your seller application" })).toBeVisible();
  await expect(page.getByText("Active", { exact: true }).first()).toBeVisible();
  const history = page.locator("section").filter({ has: page.getByRole("heading", { name: "History", exact: true }) });
  const moves = history.getByRole("listitem");
  await expect(moves).toHaveCount(4);
  await expect(moves.nth(0)).toContainText("You submitted the application");
  await expect(moves.nth(1)).toContainText("The Souk team asked for more information");
  await expect(moves.nth(1)).toContainText(question);
  await expect(moves.nth(2)).toContainText("You answered and resubmitted the application");
  await expect(moves.nth(2)).toContainText(answer);
  await expect(moves.nth(3)).toContainText("The Souk team approved the application");

  // --- The approval is in the audit log; the CSV export of the same filters has that row.
  await admin.page.getByRole("navigation", { name: "Main navigation" }).getByRole("link", { name: "Audit log" }).click();
  await expect(admin.page.getByRole("heading", { level: 1, name: "Audit log" })).toBeVisible();
  await admin.page.getByLabel("Action", { exact: true }).selectOption("seller.approved");
  await admin.page.getByRole("button", { name: "Apply filters" }).click();
  await expect(admin.page).toHaveURL(/action=seller\.approved/);
  const table = admin.page.getByRole("table");
  const approval = table.getByRole("row").filter({ hasText: seller.company });
  await expect(approval).toHaveCount(1);
  await expect(approval.getByRole("rowheader")).toContainText("Seller approved");
  await expect(await cellUnder(table, approval, "Who")).toContainText(OPERATOR_ADMIN.name);
  await expect(await cellUnder(table, approval, "Who")).toContainText(OPERATOR_ADMIN.email);
  // An approval carries no reason: the column holds only the recorded data (the move it made).
  const approvalDetails = await cellUnder(table, approval, "Reason and details");
  await approvalDetails.getByText("Recorded data").click();
  await expect(approvalDetails).toContainText("pending");
  await expect(approvalDetails).toContainText("active");

  // Narrowed to this seller (the organisation link of the row keeps the action filter).
  await approval.getByRole("link", { name: seller.company }).click();
  await expect(admin.page).toHaveURL(/organizationId=/);
  await expect(table.getByRole("row").filter({ has: admin.page.getByRole("rowheader") })).toHaveCount(1);
  const exporting = admin.page.waitForEvent("download");
  await admin.page.getByRole("link", { name: "Export CSV" }).click();
  const csv = await exporting;
  expect(csv.suggestedFilename()).toMatch(/^souk-audit-log-\d{4}-\d{2}-\d{2}\.csv$/);
  const exported = await csvOf(csv);
  expect(exported).toHaveLength(1);
  expect(exported[0]).toMatchObject({ action: "seller.approved", actor_email: OPERATOR_ADMIN.email, organization: seller.company, reason: "" });

  // The question is the reason of the information request, on the page and in its export.
  await admin.page.getByLabel("Action", { exact: true }).selectOption("seller.info_requested");
  await admin.page.getByRole("button", { name: "Apply filters" }).click();
  await expect(admin.page).toHaveURL(/action=seller\.info_requested/);
  const infoRequest = table.getByRole("row").filter({ hasText: seller.company });
  await expect(infoRequest).toHaveCount(1);
  await expect(infoRequest.getByRole("rowheader")).toContainText("Information requested");
  await expect(await cellUnder(table, infoRequest, "Reason and details")).toContainText(question);
  const exportingRequest = admin.page.waitForEvent("download");
  await admin.page.getByRole("link", { name: "Export CSV" }).click();
  expect(await csvOf(await exportingRequest)).toEqual([expect.objectContaining({ action: "seller.info_requested", organization: seller.company, reason: question })]);

  await admin.context.close();
  expect(consoleErrors).toEqual([]);
  expect(admin.consoleErrors).toEqual([]);
});

test("a moderator suspends an active seller with a reason, which the seller reads when signing in", async ({ page, browser }) => {
  const consoleErrors = watchConsole(page);
  const id = tag();
  const seller = {
    company: `Emballages Loire ${id}`,
    legalName: `Emballages de Loire ${id} SARL`,
    tradingName: `Loire Pack ${id}`,
    name: "Louis Loire",
    contactName: "Louis Loire",
    email: uniqueEmail("louis"),
  };
  const reason = `Two buyers reported counterfeit goods under order ${id}; suspended while we investigate.`;

  // An active seller, made through the apps: it applies, the admin approves.
  await signUpSeller(page, seller);
  await fillApplication(page, seller);
  await page.getByRole("button", { name: "Submit application" }).click();
  await expect(page.getByText("Your application is pending review")).toBeVisible();
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(`${URLS.seller}/sign-in`);

  const admin = await operatorPage(browser, OPERATOR_ADMIN);
  await (await openSellerFromQueue(admin.page, "Pending review", seller.tradingName)).getByRole("link", { name: seller.tradingName }).click();
  await admin.page.getByRole("button", { name: "Approve seller" }).click();
  await expect(admin.page.getByText("The seller is approved and has been told.")).toBeVisible();
  await admin.context.close();

  // The moderator finds it among the active sellers and suspends it, with the reason.
  const moderator = await operatorPage(browser, OPERATOR_MODERATOR);
  await (await openSellerFromQueue(moderator.page, "Active", seller.tradingName)).getByRole("link", { name: seller.tradingName }).click();
  await expect(moderator.page.getByRole("heading", { level: 1, name: seller.tradingName })).toBeVisible();
  await expect(moderator.page.getByRole("heading", { level: 1 }).getByText("Active")).toBeVisible();
  // A suspension needs its reason (the browser asks for it before sending).
  await expect(moderator.page.getByLabel("Reason (shown to the seller)")).toHaveAttribute("required", "");
  await moderator.page.getByLabel("Reason (shown to the seller)").fill(reason);
  await moderator.page.getByRole("button", { name: "Suspend seller" }).click();
  await expect(moderator.page.getByText("The seller is suspended and has been told why.")).toBeVisible();
  await expect(moderator.page.getByRole("heading", { level: 1 }).getByText("Suspended")).toBeVisible();
  // Now only reinstating is possible; the history names the moderator and keeps the reason.
  await expect(moderator.page.getByRole("button", { name: "Reinstate seller" })).toBeVisible();
  await expect(moderator.page.getByRole("button", { name: "Suspend seller" })).toHaveCount(0);
  await expect(moderator.page.getByText(`${OPERATOR_MODERATOR.name}, Souk team`)).toBeVisible();
  await expect(moderator.page.getByText(reason)).toBeVisible();

  // The moderator's decision is in the audit log with its reason.
  await moderator.page.getByRole("link", { name: "Audit log of this seller" }).click();
  await moderator.page.getByLabel("Action", { exact: true }).selectOption("seller.suspended");
  await moderator.page.getByRole("button", { name: "Apply filters" }).click();
  const table = moderator.page.getByRole("table");
  const suspension = table.getByRole("row").filter({ has: moderator.page.getByRole("rowheader") });
  await expect(suspension).toHaveCount(1);
  await expect(suspension.getByRole("rowheader")).toContainText("Seller suspended");
  await expect(await cellUnder(table, suspension, "Who")).toContainText(OPERATOR_MODERATOR.email);
  await expect(await cellUnder(table, suspension, "Reason and details")).toContainText(reason);
  await moderator.context.close();

  // The seller signs in and reads the suspension and its reason, on the dashboard and the application page.
  await signIn(page, URLS.seller, { email: seller.email, password: PASSWORD });
  await expect(page.getByText("Your organisation is suspended")).toBeVisible();
  await expect(page.getByText("Reason given by the Souk team")).toBeVisible();
  await expect(page.getByText(reason).first()).toBeVisible();
  await expect(page.getByText("Your seller organisation is active")).toHaveCount(0);
  await page.getByRole("link", { name: "View your application" }).click();
  await expect(page).toHaveURL(`${URLS.seller}/application`);
  await expect(page.getByText("Suspended", { exact: true }).first()).toBeVisible();
  await expect(page.getByText("The Souk team suspended the organisation")).toBeVisible();
  // Told in the app as well: the message from Souk.
  const messages = page.locator("section").filter({ has: page.getByRole("heading", { name: "Messages from Souk" }) });
  await expect(messages).toContainText(`${seller.company} is suspended on Souk`);
  expect(consoleErrors).toEqual([]);
  expect(moderator.consoleErrors).toEqual([]);
});
