import { expect, test, type Page } from "@playwright/test";
import { budget, cardOf, demoSession, euros, minorUnits, reloadUntil, runTag, URLS } from "../support";

/*
 * Issue 6 end to end, in the demo data (`pnpm db:seed`), through the pages only: Atlas Industrie's
 * purchaser quick-orders desks from Médina and cartons from Rif (one listed only for Atlas's
 * customer group), checks out with a delivery address and a PO number; at €10,829.80 the purchase
 * reaches Atlas's €10,000 approval rule and waits; Atlas's approver approves it, which places one
 * order per seller; each seller's owner accepts and ships its order; the buyer confirms both
 * deliveries; the worker settles them (the commission rules finance set in the demo: Médina's own
 * 6.5 %, the 8 % + €0.50 default for Rif); Médina's owner reads its net and balance and the next
 * payout run; finance runs payouts now, the worker batches Médina's balance into a payout, finance
 * marks it paid with a bank reference, and Médina reads it paid.
 */

/** What the purchase holds, at Atlas's prices (volume tiers; BOX-SW-2C is listed for Atlas's group only). */
const MEDINA = { name: "Médina Fournitures", owner: "owner@medina.test", lines: [{ sku: "BUR-3A", quantity: 20, total: 745000n }] };
const RIF = {
  name: "Rif Emballages",
  owner: "owner@rif.test",
  lines: [
    { sku: "BOX-DW-3A", quantity: 60, total: 219900n },
    { sku: "BOX-SW-2C", quantity: 80, total: 118080n },
  ],
};
const subtotal = (seller: typeof MEDINA | typeof RIF) => seller.lines.reduce((sum, l) => sum + l.total, 0n);
const TOTAL = subtotal(MEDINA) + subtotal(RIF);
/** The demo's commission rules: Médina's seller rule 6.5 % (no fee); Rif's cartons fall under the default, 8 % + €0.50. */
const COMMISSION = { [MEDINA.name]: 48425n, [RIF.name]: 27088n } as Record<string, bigint>;

/** The amount of a labelled figure of a summary grid (`<dt>` label, `<dd>` value). */
async function figure(page: Page, label: string): Promise<bigint> {
  const item = page.locator(".summary-item").filter({ has: page.getByRole("term").filter({ hasText: label }) });
  return minorUnits(await item.locator(".summary-value").first().textContent());
}

test("a catalogue purchase from two sellers: approval, fulfilment, delivery, settlement by the worker, a payout marked paid", async ({ browser }) => {
  test.setTimeout(budget(180_000));
  const run = runTag();
  const po = `PO-E2E-${run}`;

  const buyer = await demoSession(browser, "buyer", "purchaser@atlas.test");
  const approver = await demoSession(browser, "buyer", "approver@atlas.test");
  const medina = await demoSession(browser, "seller", MEDINA.owner);
  const rif = await demoSession(browser, "seller", RIF.owner);
  const finance = await demoSession(browser, "operator", "ops.finance@souk.test");

  // Médina's balance before: the settlement must add exactly its net to it.
  await medina.goto(`${URLS.seller}/money`);
  await expect(medina.getByRole("heading", { name: "Balance in EUR" }).or(medina.getByText(/^Nothing yet: your balance fills up/))).toBeVisible();
  const availableBefore = (await medina.getByRole("heading", { name: "Balance in EUR" }).count()) > 0 ? await figure(medina, "Payable at the next run") : 0n;

  // The demo leaves a purchase in preparation in this purchaser's cart: it is emptied first, so that
  // the checkout below holds exactly the quick order's lines.
  await buyer.goto(`${URLS.buyer}/cart`);
  const removeButtons = buyer.getByRole("button", { name: /^Remove .+ from the cart$/ });
  for (let left = await removeButtons.count(); left > 0; left -= 1) {
    await removeButtons.first().click();
    await expect(removeButtons).toHaveCount(left - 1);
  }
  await expect(buyer.getByText("Your cart is empty")).toBeVisible();

  // Quick order: SKU, quantity lines from both sellers.
  await buyer.getByRole("link", { name: "Quick order" }).first().click();
  await expect(buyer).toHaveURL(`${URLS.buyer}/quick-order`);
  await buyer.getByLabel(/^SKU, quantity/).fill([...MEDINA.lines, ...RIF.lines].map((l) => `${l.sku}, ${l.quantity}`).join("\n"));
  await buyer.getByRole("button", { name: "Add to cart" }).click();
  await expect(buyer.getByText("3 lines added to your cart.")).toBeVisible();
  const report = buyer.getByRole("table", { name: "What happened to each line" });
  await expect(report.getByRole("row").filter({ hasText: "BUR-3A, 20" })).toContainText(`Sold by ${MEDINA.name}`);
  await expect(report.getByRole("row").filter({ hasText: "BOX-SW-2C, 80" })).toContainText(`Sold by ${RIF.name}`);
  await expect(report.getByText("Not added")).toHaveCount(0);

  // The cart at Atlas's prices, then the checkout with an address from the book and a PO number.
  await buyer.getByRole("link", { name: "Go to the cart" }).first().click();
  await expect(buyer).toHaveURL(`${URLS.buyer}/cart`);
  for (const seller of [MEDINA, RIF]) {
    const lines = buyer.getByRole("table", { name: `Lines from ${seller.name}` });
    await expect(lines.getByRole("row").filter({ hasText: `Subtotal for ${seller.name}` })).toContainText(euros(subtotal(seller)));
    for (const line of seller.lines) await expect(lines.getByRole("row").filter({ hasText: line.sku })).toContainText(euros(line.total));
  }
  const checkout = cardOf(buyer, "Check out the lines in EUR");
  const address = checkout.getByRole("combobox", { name: /^Delivery address/ });
  const lyon = await address.locator("option", { hasText: /^Usine de Lyon/ }).getAttribute("value");
  await address.selectOption(lyon ?? "");
  await checkout.getByRole("textbox", { name: /^Your PO number/ }).fill(po);
  await checkout.getByRole("button", { name: `Place the order (${euros(TOTAL)})` }).click();

  // Above Atlas's €10,000 rule: the purchase waits, nothing is ordered yet.
  await expect(buyer).toHaveURL(/\/purchases\/[0-9a-f-]{36}$/);
  await expect(buyer.getByText("Your purchase waits for approval. Nothing is ordered or reserved until an approver decides.")).toBeVisible();
  const purchaseUrl = buyer.url();
  const reference = /Purchase (PUR-\d+)/.exec((await buyer.getByRole("heading", { level: 1 }).textContent()) ?? "")?.[1] ?? "";
  expect(reference).toMatch(/^PUR-\d{6}$/);
  await expect(cardOf(buyer, "Details")).toContainText(po);
  await expect(cardOf(buyer, "Details")).toContainText("12 rue de Gerland");
  await expect(buyer.getByText("No order yet: it is placed once the purchase is.")).toHaveCount(2);

  // Atlas's approver finds it on /approvals and approves it.
  await approver.goto(`${URLS.buyer}/approvals`);
  const approvalRow = approver.getByRole("row").filter({ hasText: reference });
  await expect(approvalRow).toContainText(euros(TOTAL));
  await expect(approvalRow).toContainText("To decide");
  await approvalRow.getByRole("link").first().click();
  await expect(approver.getByText(`Open purchase ${reference}`)).toBeVisible();
  await approver.getByLabel(/^Comment/).fill(`Within the quarter's budget. (${run})`);
  await approver.getByRole("button", { name: "Approve and place the orders" }).click();
  await expect(approver.getByText("Approved: the orders are placed.")).toBeVisible();

  // The buyer's purchase is placed: one order per seller.
  await buyer.goto(purchaseUrl);
  await expect(buyer.getByText("Placed: each seller has its order.")).toBeVisible();
  const orderIdOf = async (sellerName: string) => {
    const link = cardOf(buyer, sellerName).getByRole("link", { name: /^Order ORD-\d+$/ });
    const href = (await link.getAttribute("href")) ?? "";
    return { id: /\/orders\/([0-9a-f-]{36})$/.exec(href)?.[1] ?? "", reference: ((await link.textContent()) ?? "").replace(/^Order /, "") };
  };
  const orders = { [MEDINA.name]: await orderIdOf(MEDINA.name), [RIF.name]: await orderIdOf(RIF.name) };
  for (const order of Object.values(orders)) expect(order.id).toMatch(/^[0-9a-f-]{36}$/);

  // Each seller's owner accepts and ships its order, with a carrier and a tracking reference.
  for (const [page, seller, carrier] of [[medina, MEDINA, "CTM Messagerie"], [rif, RIF, "DB Schenker"]] as const) {
    const order = orders[seller.name]!;
    const tracking = `TRK-${run}-${seller.name.slice(0, 3).toUpperCase()}`;
    await page.goto(`${URLS.seller}/orders/${order.id}`);
    await expect(page.getByRole("heading", { name: `Order ${order.reference}`, level: 1 })).toBeVisible();
    await expect(page.getByRole("table", { name: "Order lines" }).getByRole("row").filter({ hasText: "Total" }).last()).toContainText(euros(subtotal(seller)));
    await expect(page.getByText(po)).toBeVisible();
    await page.getByRole("button", { name: "Accept the order" }).click();
    await expect(page.getByText("Order accepted: the buyer is told.")).toBeVisible();
    await page.getByRole("textbox", { name: /^Carrier/ }).fill(carrier);
    await page.getByRole("textbox", { name: /^Tracking reference/ }).fill(tracking);
    await page.getByRole("button", { name: "Mark as shipped" }).click();
    await expect(page.getByText("Order marked as shipped: the buyer is told.")).toBeVisible();
    await expect(page.locator(".page-header")).toContainText("Shipped");
    await expect(page.getByText(`${tracking}`).first()).toBeVisible();
  }

  // The buyer confirms both deliveries.
  for (const order of Object.values(orders)) {
    await buyer.goto(`${URLS.buyer}/orders/${order.id}`);
    await expect(buyer.locator(".page-header")).toContainText("Shipped");
    await buyer.getByRole("button", { name: "Confirm delivery" }).click();
    await expect(buyer.getByText("Delivery confirmed: the seller is told.")).toBeVisible();
  }

  // The worker settles each order (the delivery queued the job through the outbox): the seller's
  // order page shows it settled, with the split of its total in the timeline.
  const delivered = Date.now();
  for (const [page, seller] of [[medina, MEDINA], [rif, RIF]] as const) {
    const order = orders[seller.name]!;
    const gross = subtotal(seller);
    const commission = COMMISSION[seller.name]!;
    await page.goto(`${URLS.seller}/orders/${order.id}`);
    await reloadUntil(page, () => expect(page.locator(".page-header")).toContainText("Settled", { timeout: 1_000 }));
    const timeline = page.getByRole("list", { name: "What happened to the order, oldest first" });
    await expect(timeline.getByRole("listitem").filter({ hasText: "Settled" })).toContainText(
      `Total ${euros(gross)}; commission ${euros(commission)}; paid to the seller ${euros(gross - commission)}.`,
    );
  }

  test.info().annotations.push({ type: "settlement", description: `both orders seen settled ${((Date.now() - delivered) / 1000).toFixed(1)} s after the last delivery` });

  // The buyer's side shows both settled too (it reads the total, not the seller's split).
  for (const order of Object.values(orders)) {
    await buyer.goto(`${URLS.buyer}/orders/${order.id}`);
    await expect(buyer.locator(".page-header")).toContainText("Settled");
  }

  // Médina's owner: the settled order's gross, commission and net (net + commission = gross)...
  const medinaOrder = orders[MEDINA.name]!;
  await medina.goto(`${URLS.seller}/money/settlements`);
  const settlement = medina.getByRole("table", { name: "Settled orders" }).getByRole("row").filter({ hasText: medinaOrder.reference });
  await expect(settlement).toHaveCount(1);
  const cells = settlement.getByRole("cell");
  const [gross, commission, net] = [minorUnits(await cells.nth(1).textContent()), minorUnits(await cells.nth(2).textContent()), minorUnits(await cells.nth(3).textContent())];
  expect(gross).toBe(subtotal(MEDINA));
  expect(commission).toBe(COMMISSION[MEDINA.name]);
  expect(net + commission).toBe(gross);
  await expect(settlement).toContainText("Not paid out yet");

  // ... and its balance: the net is payable at the next run, whose date is shown.
  await medina.goto(`${URLS.seller}/money`);
  expect(await figure(medina, "Payable at the next run")).toBe(availableBefore + net);
  const nextRun = medina.locator(".summary-item").filter({ hasText: "Next payout run" }).locator("time");
  await expect(nextRun).toBeVisible();
  expect(Date.parse((await nextRun.getAttribute("datetime")) ?? "")).toBeGreaterThan(Date.now());
  const payable = availableBefore + net;

  // Finance runs payouts now; the worker's run batches Médina's balance into a pending payout.
  await finance.goto(`${URLS.operator}/payouts`);
  await finance.getByRole("button", { name: "Run payouts now" }).click();
  const requested = Date.now();
  await expect(finance.getByText("A payout run has been started. New payouts appear here as soon as it has finished.")).toBeVisible();
  await finance.goto(`${URLS.operator}/payouts?status=pending`);
  const pendingMedina = finance.getByRole("table", { name: "Payouts" }).getByRole("row").filter({ hasText: MEDINA.name });
  await reloadUntil(finance, () => expect(pendingMedina).toHaveCount(1, { timeout: 1_000 }));
  test.info().annotations.push({ type: "payout run", description: `Médina's payout seen ${((Date.now() - requested) / 1000).toFixed(1)} s after "Run payouts now"` });
  await expect(pendingMedina).toContainText(euros(payable));
  const payoutLink = pendingMedina.getByRole("link", { name: /^PAY-\d+$/ });
  const payoutReference = ((await payoutLink.textContent()) ?? "").trim();
  expect(payoutReference).toMatch(/^PAY-\d{6}$/);
  await payoutLink.click();
  await expect(finance.getByRole("heading", { name: `Payout ${payoutReference}`, level: 1 })).toBeVisible();
  await expect(finance.locator(".page-header")).toContainText("Pending");
  const items = finance.getByRole("table", { name: "What this payout is made of" });
  await expect(items.getByRole("row").filter({ hasText: medinaOrder.reference })).toContainText(euros(net));

  // Finance marks it paid with the bank transfer's reference.
  const bankReference = `VIR-E2E-${run}`;
  await finance.getByRole("textbox", { name: /^Payment reference/ }).fill(bankReference);
  await finance.getByRole("button", { name: "Mark as paid" }).click();
  await expect(finance.getByText("The payout is recorded as paid.")).toBeVisible();
  await expect(finance.locator(".page-header")).toContainText("Paid");

  // Médina sees it paid, with the reference, and its order in the statement.
  await medina.goto(`${URLS.seller}/payouts`);
  const paidRow = medina.getByRole("table", { name: "Payouts" }).getByRole("row").filter({ hasText: payoutReference });
  await expect(paidRow).toContainText("Paid");
  await expect(paidRow).toContainText(euros(payable));
  await paidRow.getByRole("link", { name: payoutReference }).click();
  await expect(medina.getByRole("heading", { name: `Statement of payout ${payoutReference}`, level: 1 })).toBeVisible();
  await expect(medina.getByText(bankReference)).toBeVisible();
  await expect(medina.getByRole("table", { name: "What this payout is made of" }).getByRole("row").filter({ hasText: medinaOrder.reference })).toContainText(euros(net));
});
