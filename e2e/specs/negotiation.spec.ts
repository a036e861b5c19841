import { expect, test, type Browser, type Locator, type Page } from "@playwright/test";
import { budget, cardOf, openFromInbox, publishRfq, reloadUntil, RFQ_TIME_ZONE, runTag, saveOffer, signInDemo, URLS, wallClock } from "../support";

/*
 * Issue 7 end to end, in the demo data (`pnpm db:seed`), through the pages only: Atlas Industrie's
 * purchaser publishes a sealed RFQ with two lines; Rif and Sud offer; the worker closes it at the
 * deadline. The purchaser counters one line of Rif's offer (a target price, an answer deadline);
 * Rif answers with a revised price, and both sides read the round on the timeline (who, what
 * changed). The purchaser then opens a best-and-final round for Rif and Sud with a short deadline;
 * both revise while the purchaser's pages show nothing new; the worker closes the round; the
 * comparison holds the final offers only, and the purchaser awards Rif's whole offer (below Atlas's
 * €10,000 approval rule: no approval). Rif finds its order; the purchaser writes to Rif in the
 * order's conversation with a PDF attached; Rif sees the unread badge, opens the thread, downloads
 * the file and replies; the purchaser reads the reply.
 */

test.use({ timezoneId: RFQ_TIME_ZONE });

/** Seconds between filling in the RFQ's deadline and the deadline: room for two offers. */
const DEADLINE_SECONDS = 60;
/** Seconds between filling in the best-and-final round's deadline and that deadline: room for two revisions. */
const FINAL_ROUND_SECONDS = 45;

const BUYER_NAME = "Youssef Amrani"; // purchaser@atlas.test
const RIF = { name: "Rif Emballages", email: "sales@rif.test", person: "Mehdi Alaoui" };
const SUD = { name: "Sud Emballages", email: "sales@sud.test" };

/** A minimal, valid one-page PDF (the upload checks the file's first bytes). */
function minimalPdf(text: string): Buffer {
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 144] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
    (() => {
      const stream = `BT /F1 12 Tf 24 72 Td (${text.replace(/[()\\]/g, "")}) Tj ET`;
      return `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`;
    })(),
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
  ];
  let body = "%PDF-1.4\n";
  const offsets: number[] = [];
  objects.forEach((object, i) => {
    offsets.push(body.length);
    body += `${i + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, "0")} 00000 n \n`).join("")}`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, "latin1");
}

async function signedIn(browser: Browser, app: "buyer" | "seller", email: string): Promise<Page> {
  const context = await browser.newContext({ locale: "en-GB", timezoneId: RFQ_TIME_ZONE });
  const page = await context.newPage();
  await signInDemo(page, app, email);
  return page;
}

/** The "Messages" link of the main navigation, with its unread badge when there is one: "Messages (2)". */
function messagesNav(page: Page): Locator {
  return page.locator("nav.main-nav").getByRole("link", { name: /^Messages( \(\d+\))?$/ });
}

/** The unread count the navigation shows (0 without a badge). */
async function unreadInNav(page: Page): Promise<number> {
  const text = (await messagesNav(page).textContent()) ?? "";
  return Number(/\((\d+)\)/.exec(text)?.[1] ?? 0);
}

test("negotiation: a counter-proposal answered with a revision, a best-and-final round, the award, and the order's conversation with a file", async ({ browser }) => {
  test.setTimeout(budget(210_000));
  const run = runTag();
  const title = `Mailing boxes E2E ${run}`;
  const lines = [
    { description: `Mailing box 30 × 20 × 10 cm (${run})`, quantity: 1000, unit: "piece" },
    { description: `Mailing box 40 × 30 × 15 cm (${run})`, quantity: 2000, unit: "piece" },
  ];
  const counterMessage = `Line 2 at €0.50 and the order is yours. (${run})`;
  const firstBody = `Hello, please find the delivery plan attached: dock 3, before 4 pm. (${run})`;
  const replyBody = `Thank you, noted: dock 3, Tuesday morning. (${run})`;
  const fileName = `delivery-plan-${run.toLowerCase()}.pdf`;

  const buyer = await signedIn(browser, "buyer", "purchaser@atlas.test");
  const rif = await signedIn(browser, "seller", RIF.email);
  const sud = await signedIn(browser, "seller", SUD.email);

  // ——— A sealed RFQ, two offers, closed by the worker at the deadline.
  const rfq = await publishRfq(buyer, {
    title,
    description: "Mailing boxes for the spare-parts shop, delivered on pallets.",
    category: "Boxes and cartons",
    deliveryPlace: "Atlas Industrie, 12 rue de Gerland, 69007 Lyon",
    lines,
    secondsAhead: DEADLINE_SECONDS,
  });
  await openFromInbox(rif, title);
  await openFromInbox(sud, title);
  await saveOffer(rif, { lines: [{ price: "1.20", quantity: 1000 }, { price: "0.55", quantity: 2000 }], leadTimeDays: 10 });
  await saveOffer(sud, { lines: [{ price: "1.25", quantity: 1000 }, { price: "0.52", quantity: 2000 }], leadTimeDays: 7 });
  test.info().annotations.push({ type: "margin", description: `offers done ${Math.round((rfq.deadline.getTime() - Date.now()) / 1000)} s before the deadline` });

  const board = cardOf(buyer, "Status");
  await expect(board.getByText("Closed", { exact: true })).toBeVisible({ timeout: Math.max(0, rfq.deadline.getTime() - Date.now()) + 30_000 });

  // ——— The buyer counters line 2 of Rif's offer: a target price and an answer deadline.
  await buyer.getByRole("link", { name: "Compare and award" }).click();
  await expect(buyer.getByRole("heading", { name: `Compare the offers of ${rfq.reference}`, level: 1 })).toBeVisible();
  await buyer.getByRole("table", { name: "Offers side by side" }).getByRole("columnheader", { name: new RegExp(`^${RIF.name}`) }).getByRole("link", { name: "Negotiate" }).click();
  await expect(buyer.getByRole("heading", { name: `Negotiation with ${RIF.name}`, level: 1 })).toBeVisible();
  const rifNegotiationUrl = buyer.url().replace(/#.*$/, "");
  expect(rifNegotiationUrl).toMatch(new RegExp(`/rfqs/${rfq.id}/offers/[0-9a-f-]{36}$`));
  await buyer.getByLabel("Target unit price, line 2").fill("0.50");
  const respondBy = buyer.getByLabel("The seller answers by");
  const respondByValue = wallClock(new Date(Math.floor(Date.now() / 60_000) * 60_000 + 2 * 86_400_000), RFQ_TIME_ZONE);
  await respondBy.fill(respondByValue);
  await expect(respondBy).toHaveValue(respondByValue);
  await buyer.getByLabel("Message to the seller").fill(counterMessage);
  await buyer.getByRole("button", { name: "Send the counter-proposal" }).click();
  await expect(buyer.getByText("Your counter-proposal has been sent. The seller's offer does not change unless it accepts or revises it.")).toBeVisible();
  const buyerTimeline = cardOf(buyer, "Timeline");
  const buyerRound = buyerTimeline.getByRole("listitem").filter({ hasText: "Round 1: counter-proposal" });
  await expect(buyerRound).toContainText("Waiting for an answer");
  await expect(buyerRound).toContainText(`by ${BUYER_NAME}`);
  await expect(buyerRound.getByRole("row").filter({ hasText: lines[1]!.description })).toContainText("€0.55 × 2000");
  await expect(buyerRound.getByRole("row").filter({ hasText: lines[1]!.description })).toContainText("€0.50");
  await expect(buyerRound).toContainText(counterMessage);
  // The offer does not change until the seller agrees.
  const buyerOffer = cardOf(buyer, "The offer as it stands");
  await expect(buyerOffer.getByRole("row").filter({ hasText: lines[1]!.description })).toContainText("€0.55");
  await expect(buyerOffer).toContainText("€2,300.00");

  // ——— Rif reads the counter on its negotiation page and answers with its own revised price.
  await rif.goto(`${URLS.seller}/rfqs/${rfq.id}`);
  await rif.getByRole("link", { name: "Counter-proposals from the buyer and your answers." }).click();
  await expect(rif).toHaveURL(`${URLS.seller}/rfqs/${rfq.id}/negotiation`);
  const pending = cardOf(rif, "Round 1: the buyer's counter-proposal");
  await expect(pending).toContainText("Waiting for an answer");
  await expect(pending.getByRole("row").filter({ hasText: lines[1]!.description })).toContainText("€0.55 × 2000");
  await expect(pending.getByRole("row").filter({ hasText: lines[1]!.description })).toContainText("€0.50");
  await expect(pending).toContainText(counterMessage);
  await expect(pending.getByRole("button", { name: "Accept these terms" })).toBeVisible();
  await expect(pending.getByRole("button", { name: "Decline" })).toBeVisible();
  await pending.locator("summary", { hasText: "Answer with a revised offer" }).click();
  await expect(pending.getByLabel("Unit price, line 2")).toHaveValue("0.55");
  await pending.getByLabel("Unit price, line 2").fill("0.51");
  await pending.getByRole("button", { name: "Send my revised offer" }).click();
  await expect(rif.getByText("Your revised offer has been sent to the buyer.")).toBeVisible();
  await expect(cardOf(rif, "The offer as it stands")).toContainText("€2,220.00");

  // Both timelines hold the round: who countered, who answered, and what changed in the offer.
  const checkTimeline = async (timeline: Locator) => {
    const round = timeline.getByRole("listitem").filter({ hasText: "Round 1: counter-proposal" });
    await expect(round).toContainText("Answered with a revision");
    await expect(round).toContainText(`by ${BUYER_NAME}`);
    await expect(round).toContainText(`by ${RIF.person}`); // "Answered on … by Mehdi Alaoui"
    const revision = timeline.getByRole("listitem").filter({ hasText: /Offer revised \(revision \d+\)/ }).filter({ hasText: "in answer to a counter-proposal" });
    await expect(revision).toHaveCount(1);
    await expect(revision).toContainText(`by ${RIF.person}`);
    await expect(revision).toContainText("Total €2,220.00");
    await expect(revision).toContainText("Line 2: €0.55 × 2000 → €0.51 × 2000");
    await expect(revision).not.toContainText("Line 1:");
  };
  await checkTimeline(cardOf(rif, "Timeline"));
  await buyer.reload();
  await checkTimeline(buyerTimeline);
  await expect(buyerOffer.getByRole("row").filter({ hasText: lines[1]!.description })).toContainText("€0.51");
  await expect(buyerOffer).toContainText("€2,220.00");

  // ——— A best-and-final round for Rif and Sud, with a short deadline.
  await buyer.goto(`${URLS.buyer}/rfqs/${rfq.id}`);
  await buyer.getByRole("link", { name: "Ask for best and final offers" }).click();
  await expect(buyer.getByRole("heading", { name: "Best-and-final round", level: 1 })).toBeVisible();
  await buyer.getByRole("checkbox", { name: RIF.name }).check();
  await buyer.getByRole("checkbox", { name: SUD.name }).check();
  const finalDeadline = new Date(Date.now() + FINAL_ROUND_SECONDS * 1000);
  const finalField = buyer.getByLabel("Deadline for offers");
  await finalField.fill(wallClock(finalDeadline, RFQ_TIME_ZONE));
  await expect(finalField).toHaveValue(wallClock(finalDeadline, RFQ_TIME_ZONE));
  await buyer.getByRole("button", { name: "Open the round" }).click();
  await expect(buyer.getByText("Best-and-final round opened. The shortlisted sellers have been told.")).toBeVisible();
  await expect(buyer).toHaveURL(new RegExp(`/rfqs/${rfq.id}(#.*)?$`));
  const round = cardOf(buyer, "Best-and-final round");
  await expect(round.getByRole("listitem").filter({ hasText: RIF.name })).toBeVisible();
  await expect(round.getByRole("listitem").filter({ hasText: SUD.name })).toBeVisible();

  // Both shortlisted sellers revise their offers.
  for (const seller of [rif, sud]) {
    await seller.goto(`${URLS.seller}/rfqs/${rfq.id}`);
    await expect(seller.getByText(/^Best-and-final round: the buyer shortlisted you\./)).toBeVisible();
  }
  await saveOffer(rif, { lines: [{ price: "1.15", quantity: 1000 }, { price: "0.51", quantity: 2000 }], leadTimeDays: 10 });
  await saveOffer(sud, { lines: [{ price: "1.22", quantity: 1000 }, { price: "0.52", quantity: 2000 }], leadTimeDays: 7 });
  test.info().annotations.push({ type: "margin", description: `final offers done ${Math.round((finalDeadline.getTime() - Date.now()) / 1000)} s before the round's deadline` });

  // Until the round's deadline the buyer sees the shortlist, not a single new price.
  const finalPrices = ["€1.15", "€1.22", "€2,170.00", "€2,260.00"];
  await buyer.reload();
  await expect(round).toBeVisible();
  for (const price of finalPrices) await expect(buyer.locator("main")).not.toContainText(price);
  await buyer.goto(rifNegotiationUrl);
  for (const price of finalPrices) await expect(buyer.locator("main")).not.toContainText(price);
  expect(Date.now(), "the sealing checks ran before the round's deadline").toBeLessThan(finalDeadline.getTime());

  // ——— The worker closes the round; the comparison holds only the final offers.
  await buyer.goto(`${URLS.buyer}/rfqs/${rfq.id}`);
  await reloadUntil(
    buyer,
    async () => {
      await expect(board.getByText("Closed", { exact: true })).toBeVisible({ timeout: 1_000 });
      await expect(buyer.getByRole("link", { name: "Compare and award" })).toBeVisible({ timeout: 1_000 });
    },
    Math.max(0, finalDeadline.getTime() - Date.now()) + 30_000,
  );
  await buyer.getByRole("link", { name: "Compare and award" }).click();
  await expect(buyer.getByRole("heading", { name: `Compare the offers of ${rfq.reference}`, level: 1 })).toBeVisible();
  const matrix = buyer.getByRole("table", { name: "Offers side by side" });
  await expect(matrix.getByRole("columnheader")).toHaveCount(3); // the line + two sellers
  const matrixLine = (n: number) => matrix.getByRole("row").filter({ has: buyer.getByRole("rowheader", { name: new RegExp(`^${n}\\. `) }) });
  await expect(matrixLine(1).getByRole("cell").filter({ hasText: "€1.15" })).toContainText("Best price");
  await expect(matrixLine(1).getByRole("cell").filter({ hasText: "€1.22" })).not.toContainText("Best price");
  await expect(matrixLine(2).getByRole("cell").filter({ hasText: "€0.51" })).toContainText("Best price");
  await expect(matrixLine(2).getByRole("cell").filter({ hasText: "€0.52" })).toBeVisible();
  for (const superseded of ["€1.20", "€1.25", "€0.55"]) await expect(matrix).not.toContainText(superseded);

  // The award: Rif's whole offer, €2,170.00, below Atlas's €10,000 approval rule.
  await buyer.getByRole("radio", { name: /^Whole offers/ }).check();
  await buyer.getByRole("checkbox", { name: new RegExp(`^${RIF.name} — €2,170\\.00$`) }).check();
  await buyer.getByLabel("Note").fill(`Best final offer on both lines. (${run})`);
  await buyer.getByRole("button", { name: "Award", exact: true }).click();
  await expect(buyer).toHaveURL(new RegExp(`/rfqs/${rfq.id}(#award)?$`));
  const award = cardOf(buyer, "Award");
  await expect(award).toContainText("€2,170.00");
  const placed = buyer.getByText("Awarded. The orders have been placed with the sellers.");
  const waiting = buyer.getByText("Award recorded. It now waits for an approver.");
  await expect(placed.or(waiting)).toBeVisible();
  const needsApproval = await waiting.isVisible();
  test.info().annotations.push({ type: "award", description: needsApproval ? "sent to approval (a budget of the demo?)" : "orders placed without approval" });
  if (needsApproval) {
    // Not expected below the rule, unless a budget of the demo sends it to approval: approve it then.
    const approverEmail = (await award.textContent())?.includes("an administrator") ? "admin@atlas.test" : "approver@atlas.test";
    const approver = await signedIn(browser, "buyer", approverEmail);
    await approver.goto(`${URLS.buyer}/approvals`);
    await approver.getByRole("row").filter({ hasText: title }).getByRole("link").first().click();
    await approver.getByLabel("Comment").fill("Fine.");
    await approver.getByRole("button", { name: "Approve and place the orders" }).click();
    await expect(approver.getByText("Approved: the orders are placed.")).toBeVisible();
    await buyer.reload();
  }
  const orderLink = award.getByRole("link", { name: new RegExp(`with ${RIF.name}$`) });
  await expect(orderLink).toBeVisible();
  const orderNumber = /Order (\d+) with/.exec((await orderLink.textContent()) ?? "")?.[1] ?? "";
  expect(orderNumber).toMatch(/^\d+$/);
  // How the conversations name the order (services orderReference).
  const orderReference = `ORD-${orderNumber.padStart(6, "0")}`;

  // Rif finds its order; Sud reads that it lost.
  await rif.goto(`${URLS.seller}/orders`);
  const rifRow = rif.getByRole("row").filter({ hasText: title });
  await expect(rifRow).toHaveCount(1);
  await expect(rifRow).toContainText("Atlas Industrie");
  await expect(rifRow).toContainText("€2,170.00");
  await sud.goto(`${URLS.seller}/rfqs/${rfq.id}`);
  await expect(sud.getByText("The buyer awarded this request to other offers. Thank you for taking part.")).toBeVisible();

  // ——— The order's conversation: the buyer writes to Rif with a PDF attached.
  const rifUnreadBefore = await unreadInNav(rif);
  await orderLink.click();
  await expect(buyer).toHaveURL(/\/orders\/[0-9a-f-]{36}$/);
  await buyer.getByRole("link", { name: "Message the seller" }).click();
  await expect(buyer.getByRole("heading", { name: `New message to ${RIF.name}`, level: 1 })).toBeVisible();
  await buyer.getByRole("textbox", { name: /^Message/ }).fill(firstBody);
  await buyer.getByLabel("Attach a file (optional)").setInputFiles({ name: fileName, mimeType: "application/pdf", buffer: minimalPdf(`Delivery plan ${run}`) });
  await buyer.getByRole("button", { name: "Send", exact: true }).click();
  await expect(buyer).toHaveURL(/\/messages\/[0-9a-f-]{36}$/);
  await expect(buyer.getByText("Message sent.")).toBeVisible();
  const threadUrl = buyer.url();
  const buyerMessages = buyer.getByRole("list", { name: "Messages" });
  await expect(buyerMessages.getByRole("listitem").filter({ hasText: firstBody })).toContainText(`${BUYER_NAME} (buyer)`);
  await expect(buyerMessages.getByRole("link", { name: fileName })).toBeVisible();

  // Rif sees the unread badge, opens the thread, downloads the file and replies.
  await rif.goto(`${URLS.seller}/orders`);
  await reloadUntil(rif, () => expect(messagesNav(rif)).toHaveText(`Messages (${rifUnreadBefore + 1})`, { timeout: 1_000 }));
  await messagesNav(rif).click();
  await expect(rif).toHaveURL(`${URLS.seller}/messages`);
  const threadRow = rif.getByRole("row").filter({ hasText: orderReference });
  await expect(threadRow).toContainText("Atlas Industrie");
  await expect(threadRow).toContainText("1 unread");
  await threadRow.getByRole("link").first().click();
  await expect(rif.getByRole("heading", { name: "Conversation with Atlas Industrie", level: 1 })).toBeVisible();
  const rifMessages = rif.getByRole("list", { name: "Messages" });
  await expect(rifMessages.getByRole("listitem").filter({ hasText: firstBody })).toContainText(`${BUYER_NAME} (buyer)`);
  const [download] = await Promise.all([rif.waitForEvent("download"), rifMessages.getByRole("link", { name: fileName }).click()]);
  expect(download.suggestedFilename()).toBe(fileName);
  const chunks: Buffer[] = [];
  for await (const chunk of (await download.createReadStream()) as AsyncIterable<Buffer>) chunks.push(chunk);
  const downloaded = Buffer.concat(chunks);
  expect(downloaded.subarray(0, 5).toString("latin1")).toBe("%PDF-");
  expect(downloaded.equals(minimalPdf(`Delivery plan ${run}`))).toBe(true);
  // Reading the thread marked it read.
  await rif.reload();
  await expect(messagesNav(rif)).toHaveText(rifUnreadBefore === 0 ? "Messages" : `Messages (${rifUnreadBefore})`);
  const buyerUnreadBefore = await unreadInNav(buyer);
  await rif.getByRole("textbox", { name: /^Message/ }).fill(replyBody);
  await rif.getByRole("button", { name: "Send", exact: true }).click();
  await expect(rif.getByText("Message sent.")).toBeVisible();
  await expect(rifMessages.getByRole("listitem").filter({ hasText: replyBody })).toContainText(`${RIF.person} (seller)`);

  // The buyer sees the reply: its badge first, then the thread.
  await buyer.goto(`${URLS.buyer}/messages`);
  await reloadUntil(buyer, () => expect(messagesNav(buyer)).toHaveText(`Messages (${buyerUnreadBefore + 1})`, { timeout: 1_000 }));
  await expect(buyer.getByRole("row").filter({ hasText: orderReference })).toContainText("1 unread");
  await buyer.goto(threadUrl);
  await expect(buyerMessages.getByRole("listitem").filter({ hasText: replyBody })).toContainText(`${RIF.person} (seller)`);
  await expect(buyerMessages.getByRole("listitem").filter({ hasText: firstBody })).toBeVisible();
});
