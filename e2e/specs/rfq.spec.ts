import { expect, test, type Browser, type Locator, type Page } from "@playwright/test";
import { askQuestion, budget, openFromInbox, publishRfq, RFQ_TIME_ZONE, runTag, saveOffer, signInDemo, URLS } from "../support";

/*
 * Issue 5 end to end, in the demo data (`pnpm db:seed`), through the pages only: Atlas Industrie's
 * purchaser publishes a sealed RFQ with two lines in "Boxes and cartons", open to every seller of
 * the category; Rif and Sud ask questions, one answered to all and one privately; Rif, Sud and
 * Kasbah offer (Sud revises, with a new receipt); the deadline passes and the worker closes the RFQ
 * (the open pages follow it live); the purchaser compares and splits the award between Rif and Sud
 * (€12,440.00, above Atlas's €10,000 approval rule), Atlas's approver approves, Rif and Sud find
 * their orders and Kasbah reads that it lost.
 */

test.use({ timezoneId: RFQ_TIME_ZONE });

/** Seconds between filling in the deadline and the deadline: room for the questions and offers. */
const DEADLINE_SECONDS = 80;

async function signedIn(browser: Browser, app: "buyer" | "seller", email: string): Promise<Page> {
  const context = await browser.newContext({ locale: "en-GB", timezoneId: RFQ_TIME_ZONE });
  const page = await context.newPage();
  await signInDemo(page, app, email);
  return page;
}

/** A card of a page (a `<section>` with its heading). */
function card(page: Page, heading: string): Locator {
  return page.locator("section").filter({ has: page.getByRole("heading", { name: heading, exact: true }) });
}

test("a sealed RFQ: questions, offers and a revision, closing at the deadline, a split award approved, orders for the winners", async ({ browser }) => {
  test.setTimeout(budget(180_000));
  const run = runTag();
  const title = `Shipping cartons E2E ${run}`;
  const lines = [
    { description: `Double-wall carton 60 × 40 × 40 cm (${run})`, quantity: 6000, unit: "piece" },
    { description: `Single-wall carton 40 × 30 × 20 cm (${run})`, quantity: 10000, unit: "piece" },
  ];
  const rifQuestion = `Should the logo be printed on both sizes? (${run})`;
  const rifAnswer = `Yes, on both sizes, one colour, black. (${run})`;
  const sudQuestion = `Can you take delivery on a Saturday? (${run})`;
  const sudAnswer = `No, Monday to Friday only. (${run})`;

  // Everyone signs in first: the deadline starts when the form is filled in.
  const buyer = await signedIn(browser, "buyer", "purchaser@atlas.test");
  const rif = await signedIn(browser, "seller", "sales@rif.test");
  const sud = await signedIn(browser, "seller", "sales@sud.test");
  const kasbah = await signedIn(browser, "seller", "sales@kasbah.test");

  const rfq = await publishRfq(buyer, {
    title,
    description: "Cartons for the Lyon plant, delivered on wrapped pallets.",
    category: "Boxes and cartons",
    deliveryPlace: "Atlas Industrie, 12 rue de Gerland, 69007 Lyon",
    lines,
    secondsAhead: DEADLINE_SECONDS,
  });
  await expect(buyer.getByText("Sealed", { exact: true }).first()).toBeVisible();
  await expect(buyer.getByText("No seller invited by name: every active seller of the category may answer.")).toBeVisible();

  // Two sellers of the category find it in their inbox and ask.
  await openFromInbox(rif, title);
  await openFromInbox(sud, title);
  await openFromInbox(kasbah, title);
  await askQuestion(rif, rifQuestion);
  await askQuestion(sud, sudQuestion);

  // The buyer's page follows the RFQ live: the questions arrive, without the askers' names (sealed).
  const questions = card(buyer, "Questions from sellers");
  const rifAsked = questions.getByRole("listitem").filter({ hasText: rifQuestion });
  const sudAsked = questions.getByRole("listitem").filter({ hasText: sudQuestion });
  await expect(rifAsked).toBeVisible({ timeout: 10_000 });
  await expect(sudAsked).toBeVisible({ timeout: 10_000 });
  await expect(rifAsked).toContainText("who asked is shown when the offers are opened");
  await expect(questions).not.toContainText("Rif Emballages");
  await expect(questions).not.toContainText("Sud Emballages");

  // Rif's question is answered to every participant, Sud's to Sud only.
  await rifAsked.getByLabel("Your answer").fill(rifAnswer);
  await rifAsked.getByRole("radio", { name: /^Every participant/ }).check();
  await rifAsked.getByRole("button", { name: "Send the answer" }).click();
  await expect(buyer.getByText("Answer sent.")).toBeVisible();
  await expect(rifAsked).toContainText(rifAnswer);
  await sudAsked.getByLabel("Your answer").fill(sudAnswer);
  await sudAsked.getByRole("radio", { name: /^Only the seller who asked/ }).check();
  await sudAsked.getByRole("button", { name: "Send the answer" }).click();
  await expect(sudAsked).toContainText(sudAnswer);

  // Each seller's page updates live: both see the public answer; only Sud sees its private one.
  for (const seller of [rif, sud, kasbah]) {
    const qa = card(seller, "Questions and answers");
    const shared = qa.getByRole("listitem").filter({ hasText: rifQuestion });
    await expect(shared).toContainText(rifAnswer, { timeout: 10_000 });
    await expect(shared).toContainText("Answer to every seller");
  }
  await expect(card(rif, "Questions and answers").getByRole("listitem").filter({ hasText: rifQuestion })).toContainText("Your question");
  await expect(card(sud, "Questions and answers").getByRole("listitem").filter({ hasText: rifQuestion })).toContainText("A seller's question");
  const sudOwn = card(sud, "Questions and answers").getByRole("listitem").filter({ hasText: sudQuestion });
  await expect(sudOwn).toContainText(sudAnswer, { timeout: 10_000 });
  await expect(sudOwn).toContainText("Answer to you only");
  for (const other of [rif, kasbah]) {
    await expect(other.getByText(sudQuestion)).toHaveCount(0);
    await expect(other.getByText(sudAnswer)).toHaveCount(0);
  }

  // Three offers on both lines; Sud then lowers its price on line 2: a new receipt, chained to the first.
  await saveOffer(rif, { lines: [{ price: "1.20", quantity: 6000 }, { price: "0.55", quantity: 10000 }], leadTimeDays: 10, notes: `Logo printing included. (${run})` });
  const sudFirst = await saveOffer(sud, { lines: [{ price: "1.25", quantity: 6000 }, { price: "0.52", quantity: 10000 }], leadTimeDays: 7 });
  await saveOffer(kasbah, { lines: [{ price: "1.60", quantity: 6000 }, { price: "0.75", quantity: 10000 }], leadTimeDays: 21 });
  const sudRevised = await saveOffer(sud, { lines: [{ price: "1.25", quantity: 6000 }, { price: "0.49", quantity: 10000 }], leadTimeDays: 7 });
  expect(sudRevised).not.toBe(sudFirst);
  const sudReceipt = sud.getByRole("region", { name: "Your receipt" });
  await expect(sudReceipt).toContainText("Revised");
  const sudReceipts = card(sud, "Your revisions and receipts").getByRole("table", { name: "Your receipts, newest first" });
  await expect(sudReceipts.getByRole("row")).toHaveCount(3); // header + 2 receipts
  await expect(sudReceipts).toContainText(sudFirst);
  await expect(sudReceipts).toContainText(sudRevised);
  await expect(card(sud, "Lines").getByRole("row").filter({ hasText: lines[1]!.description })).toContainText("€0.49");

  test.info().annotations.push({ type: "margin", description: `offers done ${Math.round((rfq.deadline.getTime() - Date.now()) / 1000)} s before the deadline` });

  // The buyer sees how many offers came in, nothing of them.
  const board = card(buyer, "Status");
  await expect(board.getByText("3", { exact: true })).toBeVisible({ timeout: 10_000 });
  await expect(board).toContainText("Sealed: their content is revealed at the deadline.");
  for (const secret of ["Rif Emballages", "Sud Emballages", "Kasbah Bureau", "€1.20", "€0.49", "€1.60"]) await expect(buyer.locator("main")).not.toContainText(secret);

  // The deadline passes; the worker closes the RFQ and every open page follows, without a reload.
  const closing = { timeout: Math.max(0, rfq.deadline.getTime() - Date.now()) + 30_000 };
  await expect(board.getByText("Closed", { exact: true })).toBeVisible(closing);
  await expect(buyer.getByRole("link", { name: "Compare and award" })).toBeVisible();
  for (const seller of [rif, sud, kasbah]) await expect(seller.getByText(/^This request for quotes closed on /)).toBeVisible(closing);
  await expect(card(rif, "Receipts chain")).toContainText("Verified at closing");

  // The comparison: sellers as columns, best price per line marked.
  await buyer.getByRole("link", { name: "Compare and award" }).click();
  await expect(buyer.getByRole("heading", { name: `Compare the offers of ${rfq.reference}`, level: 1 })).toBeVisible();
  const matrix = buyer.getByRole("table", { name: "Offers side by side" });
  for (const name of ["Rif Emballages", "Sud Emballages", "Kasbah Bureau"]) await expect(matrix.getByRole("columnheader", { name: new RegExp(`^${name}`) })).toBeVisible();
  const matrixLine = (n: number) => matrix.getByRole("row").filter({ has: buyer.getByRole("rowheader", { name: new RegExp(`^${n}\\. `) }) });
  await expect(matrixLine(1).getByRole("cell").filter({ hasText: "€1.20" })).toContainText("Best price");
  await expect(matrixLine(2).getByRole("cell").filter({ hasText: "€0.49" })).toContainText("Best price");
  await expect(matrixLine(1).getByRole("cell").filter({ hasText: "€1.60" })).not.toContainText("Best price");

  // Split per line: line 1 4,000 from Rif and 2,000 from Sud; line 2 6,000 from Sud and 4,000 from Rif.
  await buyer.getByRole("radio", { name: /^Quantities per line/ }).check();
  await buyer.getByLabel("Quantity from Rif Emballages for line 1").fill("4000");
  await buyer.getByLabel("Quantity from Sud Emballages for line 1").fill("2000");
  await buyer.getByLabel("Quantity from Sud Emballages for line 2").fill("6000");
  await buyer.getByLabel("Quantity from Rif Emballages for line 2").fill("4000");
  await buyer.getByLabel("Note").fill(`Best price per line, second source for safety. (${run})`);
  await buyer.getByRole("button", { name: "Award", exact: true }).click();
  await expect(buyer).toHaveURL(new RegExp(`/rfqs/${rfq.id}(#award)?$`));
  await expect(buyer.getByText("Award recorded. It now waits for an approver.")).toBeVisible();
  const award = card(buyer, "Award");
  await expect(award).toContainText("Waiting for approval");
  await expect(award).toContainText("€12,440.00");
  await expect(award).toContainText("It reaches an approval rule: it waits for an approver of your organisation.");

  // Atlas's approver approves it on /approvals.
  const approver = await signedIn(browser, "buyer", "approver@atlas.test");
  await approver.getByRole("link", { name: "Approvals" }).first().click();
  await expect(approver).toHaveURL(`${URLS.buyer}/approvals`);
  const approvalRow = approver.getByRole("row").filter({ hasText: title });
  await expect(approvalRow).toContainText("€12,440.00");
  await expect(approvalRow).toContainText("To decide");
  await approvalRow.getByRole("link").first().click();
  await expect(approver.getByText("Youssef Amrani awarded", { exact: false })).toBeVisible();
  await approver.getByLabel("Comment").fill("Within budget.");
  await approver.getByRole("button", { name: "Approve and place the orders" }).click();
  await expect(approver.getByText("Approved: the orders are placed.")).toBeVisible();

  // The buyer's award is approved, with one order per seller.
  await buyer.reload();
  await expect(award).toContainText("Approved");
  await expect(award.getByRole("link", { name: /with Rif Emballages$/ })).toBeVisible();
  await expect(award.getByRole("link", { name: /with Sud Emballages$/ })).toBeVisible();

  // Both winners find their order on /orders; Rif's has its two split lines.
  for (const [seller, total] of [[rif, "€7,000.00"], [sud, "€5,440.00"]] as const) {
    await seller.goto(`${URLS.seller}/orders`);
    const row = seller.getByRole("row").filter({ hasText: title });
    await expect(row).toHaveCount(1);
    await expect(row).toContainText("Atlas Industrie");
    await expect(row).toContainText("Placed");
    await expect(row).toContainText(total);
  }
  await rif.getByRole("row").filter({ hasText: title }).getByRole("link").click();
  const orderLines = rif.getByRole("table", { name: "Order lines" });
  await expect(orderLines.getByRole("row").filter({ hasText: lines[0]!.description })).toContainText("4000 piece");
  await expect(orderLines.getByRole("row").filter({ hasText: lines[0]!.description })).toContainText("€4,800.00");
  await expect(orderLines.getByRole("row").filter({ hasText: lines[1]!.description })).toContainText("€2,200.00");

  // The winners' RFQ page says they won; Kasbah, which offered too, reads that it lost and has no order.
  await sud.goto(`${URLS.seller}/rfqs/${rfq.id}`);
  await expect(sud.getByText("You won this request for quotes.")).toBeVisible();
  await kasbah.reload();
  await expect(kasbah.getByText("The buyer awarded this request to other offers. Thank you for taking part.")).toBeVisible();
  await kasbah.goto(`${URLS.seller}/orders`);
  await expect(kasbah.getByRole("row").filter({ hasText: title })).toHaveCount(0);
});
