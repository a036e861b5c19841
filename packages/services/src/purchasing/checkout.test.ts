import { describe, expect, test } from "vitest";
import { createTestDatabase } from "@souk/testing";
import { decideApproval } from "../approvals/decide-approval";
import { getApproval } from "../approvals/get-approval";
import { listApprovals } from "../approvals/list-approvals";
import { addToCart } from "./add-to-cart";
import { checkoutCart } from "./checkout-cart";
import { getPurchase } from "./get-purchase";
import { listPurchases } from "./list-purchases";
import { updateCart } from "./update-cart";
import { withdrawPurchase } from "./withdraw-purchase";
import { activeSeller, address, assign, buyer, cartLines, domainErrorOf, group, listing, notified, priceList, purchasingCounts, rule, stockOf, type BuyerFixture } from "./test-support";

const { db } = await createTestDatabase();

async function categoryIdOf(slug: string): Promise<string> {
  return (await db.selectFrom("categories").select("id").where("slug", "=", slug).executeTakeFirstOrThrow()).id;
}

/** A buyer with an address, two sellers (alpha: boxes and film; beta: crates, and a listing in USD). */
async function shop(b?: BuyerFixture) {
  const who = b ?? (await buyer(db));
  const alpha = await activeSeller(db);
  const beta = await activeSeller(db);
  const boxes = await listing(db, alpha.id, { listPriceMinor: 1_000, stock: 50, leadTimeDays: 3, category: "packaging-boxes" });
  const film = await listing(db, alpha.id, { listPriceMinor: 200, stock: 500, leadTimeDays: 7, category: "packaging-film" });
  const crates = await listing(db, beta.id, { listPriceMinor: 5_000, stock: 10, leadTimeDays: 2 });
  const dollars = await listing(db, beta.id, { currency: "USD", listPriceMinor: 700 });
  const addressId = await address(who.purchaser, { label: "Lyon plant", recipient: "Dock 3" });
  return { b: who, alpha, beta, boxes, film, crates, dollars, addressId };
}

/** The cart of the shop's purchaser: 10 boxes (100.00), 100 film (200.00), 2 crates (100.00), 1 USD line. */
async function fillCart(s: Awaited<ReturnType<typeof shop>>) {
  await addToCart(s.b.purchaser, { listingId: s.boxes.id, quantity: "10" });
  await addToCart(s.b.purchaser, { listingId: s.film.id, quantity: "100" });
  await addToCart(s.b.purchaser, { listingId: s.crates.id, quantity: "2" });
  await addToCart(s.b.purchaser, { listingId: s.dollars.id, quantity: "1" });
}

describe("checkout without an approval", () => {
  test("places one order per seller at once: PO number, address copy, category of the largest line, longest lead time, stock taken, timeline, search sync, sellers told", async () => {
    const s = await shop();
    await fillCart(s);
    const contract = await priceList(db, s.alpha.id, { entries: [[s.boxes.id, 1, 900]] });
    await assign(db, s.alpha.id, contract.id, { buyerId: s.b.id });

    const result = await checkoutCart(s.b.purchaser, { currency: "eur", poNumber: " PO-778 ", addressId: s.addressId });
    expect(result).toMatchObject({ status: "placed", approvalId: null, reference: expect.stringMatching(/^PUR-\d{6}$/) });
    expect(result.orderIds).toHaveLength(2);

    const purchase = await db.selectFrom("purchases").selectAll().where("id", "=", result.purchaseId).executeTakeFirstOrThrow();
    // 10 × 9.00 (contract) + 100 × 2.00 + 2 × 50.00
    expect(purchase).toMatchObject({ buyer_id: s.b.id, placed_by: s.b.purchaser.actor.userId, status: "placed", currency: "EUR", total_minor: "39000", po_number: "PO-778" });
    expect(purchase.delivery_address).toEqual({ label: "Lyon plant", recipient: "Dock 3", line1: "4 quai Perrache", line2: "", postalCode: "69002", city: "Lyon", country: "FR" });

    const orders = await db.selectFrom("orders").selectAll().where("purchase_id", "=", result.purchaseId).execute();
    const alphaOrder = orders.find((o) => o.seller_id === s.alpha.id)!;
    const betaOrder = orders.find((o) => o.seller_id === s.beta.id)!;
    expect(alphaOrder).toMatchObject({ buyer_id: s.b.id, status: "placed", currency: "EUR", total_minor: "29000", po_number: "PO-778", lead_time_days: 7, category_id: await categoryIdOf("packaging-film"), rfq_id: null });
    expect(alphaOrder.delivery_address).toEqual(purchase.delivery_address);
    expect(alphaOrder.expected_delivery_at!.getTime() - alphaOrder.placed_at.getTime()).toBe(7 * 86_400_000);
    expect(betaOrder).toMatchObject({ total_minor: "10000", lead_time_days: 2, category_id: await categoryIdOf("packaging-boxes") });
    const lines = await db.selectFrom("order_lines").select(["order_id", "listing_id", "quantity", "unit_price_minor", "line_total_minor"]).where("order_id", "in", result.orderIds).orderBy("order_id").orderBy("position").execute();
    expect(lines.filter((l) => l.order_id === alphaOrder.id).map((l) => [l.listing_id, l.quantity, l.unit_price_minor, l.line_total_minor])).toEqual([
      [s.boxes.id, 10, "900", "9000"],
      [s.film.id, 100, "200", "20000"],
    ]);

    expect([await stockOf(db, s.boxes.id), await stockOf(db, s.film.id), await stockOf(db, s.crates.id)]).toEqual([40, 400, 8]);
    const events = await db.selectFrom("order_events").selectAll().where("order_id", "in", result.orderIds).execute();
    expect(events.map((e) => [e.order_id, e.kind, e.actor_kind, e.actor_user_id]).sort()).toEqual(
      [
        [alphaOrder.id, "placed", "buyer", s.b.purchaser.actor.userId],
        [betaOrder.id, "placed", "buyer", s.b.purchaser.actor.userId],
      ].sort(),
    );
    const syncs = await db.selectFrom("outbox").select("payload").where("topic", "=", "search.listing.sync").execute();
    expect(syncs.flatMap((o) => (o.payload as { listingIds: string[] }).listingIds)).toEqual(expect.arrayContaining([s.boxes.id, s.film.id, s.crates.id]));
    const told = await notified(db, "purchase.order_placed");
    expect(new Set(told.map((n) => n.organizationId))).toEqual(new Set([s.alpha.id, s.beta.id]));
    expect(told.find((n) => n.organizationId === s.alpha.id)!.body).toContain("PO-778");
    expect(told.find((n) => n.organizationId === s.alpha.id)!.body).toContain(`http://seller.test/orders/${alphaOrder.id}`);

    // Only the USD line is left in the cart.
    expect(await cartLines(db, s.b.purchaser)).toEqual({ [s.dollars.id]: 1 });

    // The buyer sees the purchase with its orders.
    const view = await getPurchase(s.b.viewer, { purchaseId: result.purchaseId });
    expect(view).toMatchObject({ status: "placed", poNumber: "PO-778", total: { amountMinor: "39000", currency: "EUR" }, approval: null, canWithdraw: false });
    expect(view.sellers.map((x) => [x.seller.id, x.order?.id, x.subtotal.amountMinor])).toEqual([
      [s.alpha.id, alphaOrder.id, "29000"],
      [s.beta.id, betaOrder.id, "10000"],
    ]);
    const list = await listPurchases(s.b.viewer, {});
    expect(list.items).toMatchObject([{ id: result.purchaseId, status: "placed", lineCount: 3, orderCount: 2, sellerNames: [s.alpha.name, s.beta.name].sort() }]);
    expect(list.counts).toMatchObject({ placed: 1, pending_approval: 0 });
  });

  test("every problem is reported line by line (field errors) and nothing changes: address, PO number, minimum, stock, visibility, seller status, nothing to order", async () => {
    const s = await shop();
    const other = await buyer(db);
    const theirAddress = await address(other.purchaser);
    const insiders = await buyer(db);
    const g = await group(db, s.alpha.id, [s.b.id]);
    const restricted = await listing(db, s.alpha.id, { groupIds: [g], minOrderQuantity: 1 });
    const moq = await listing(db, s.alpha.id, { minOrderQuantity: 10, stock: 100 });
    await fillCart(s);
    await addToCart(s.b.purchaser, { listingId: restricted.id, quantity: "1" });
    await addToCart(s.b.purchaser, { listingId: moq.id, quantity: "10" });
    await updateCart(s.b.purchaser, { [`quantity.${moq.id}`]: "4", [`quantity.${s.crates.id}`]: "11" });
    // The buyer leaves the group: the restricted listing is no longer visible to it.
    await db.deleteFrom("customer_group_members").where("group_id", "=", g).execute();
    void insiders;
    const before = await purchasingCounts(db);
    const cartBefore = await cartLines(db, s.b.purchaser);

    const error = await domainErrorOf(checkoutCart(s.b.purchaser, { currency: "EUR", poNumber: "P".repeat(51), addressId: s.addressId }));
    expect(error.fieldErrors).toEqual({ poNumber: ["checkout.po_number_too_long"] });
    const lines = await domainErrorOf(checkoutCart(s.b.purchaser, { currency: "EUR", poNumber: "", addressId: theirAddress }));
    expect(lines.code).toBe("VALIDATION");
    expect(lines.fieldErrors).toEqual({
      addressId: ["checkout.address_unknown"],
      [`lines.${restricted.id}`]: ["checkout.line_unavailable"],
      [`lines.${moq.id}`]: ["checkout.below_minimum"],
      [`lines.${s.crates.id}`]: ["checkout.stock_short"],
    });
    expect((await domainErrorOf(checkoutCart(s.b.purchaser, { currency: "EUR", addressId: "" }))).fieldErrors).toEqual({ addressId: ["checkout.address_required"] });
    expect((await domainErrorOf(checkoutCart(s.b.purchaser, { currency: "EUR", addressId: "nope" }))).fieldErrors).toEqual({ addressId: ["checkout.address_unknown"] });
    expect((await domainErrorOf(checkoutCart(s.b.purchaser, { currency: "GBP", addressId: s.addressId }))).fieldErrors).toEqual({ currency: ["checkout.nothing_to_order"] });
    expect((await domainErrorOf(checkoutCart(s.b.purchaser, { currency: "XYZ", addressId: s.addressId }))).fieldErrors).toEqual({ currency: ["checkout.currency_invalid"] });

    // The seller is suspended: its lines are unavailable too.
    await db.updateTable("organizations").set({ status: "suspended" }).where("id", "=", s.beta.id).execute();
    const suspended = await domainErrorOf(checkoutCart(s.b.purchaser, { currency: "USD", addressId: s.addressId }));
    expect(suspended.fieldErrors).toEqual({ [`lines.${s.dollars.id}`]: ["checkout.line_unavailable"] });

    expect(await purchasingCounts(db)).toEqual(before);
    expect(await cartLines(db, s.b.purchaser)).toEqual(cartBefore);
    // A viewer or an approver does not check out.
    for (const who of [s.b.viewer, s.b.approver]) expect((await domainErrorOf(checkoutCart(who, { currency: "EUR", addressId: s.addressId }))).code).toBe("FORBIDDEN");
  });

  test("two buyers competing for the last units: exactly one purchase is placed, the other is refused and changes nothing", async () => {
    const alpha = await activeSeller(db);
    const last = await listing(db, alpha.id, { stock: 5 });
    const buyers = [await buyer(db), await buyer(db), await buyer(db), await buyer(db)];
    const addresses: string[] = [];
    for (const b of buyers) {
      addresses.push(await address(b.purchaser));
      await addToCart(b.purchaser, { listingId: last.id, quantity: "5" });
    }
    const results = await Promise.allSettled(buyers.map((b, i) => checkoutCart(b.purchaser, { currency: "EUR", addressId: addresses[i] })));
    const placed = results.filter((r) => r.status === "fulfilled");
    expect(placed).toHaveLength(1);
    for (const r of results) {
      if (r.status === "rejected") {
        expect(["VALIDATION", "CONFLICT"]).toContain(r.reason.code);
        expect(r.reason.fieldErrors[`lines.${last.id}`]).toEqual([expect.stringMatching(/stock_short$/)]);
      }
    }
    expect(await stockOf(db, last.id)).toBe(0);
    expect(await db.selectFrom("orders as o").innerJoin("order_lines as l", "l.order_id", "o.id").select("o.id").where("l.listing_id", "=", last.id).execute()).toHaveLength(1);
    expect(await db.selectFrom("purchase_lines").select("purchase_id").where("listing_id", "=", last.id).execute()).toHaveLength(1);
    // The losers keep their cart.
    const winners = buyers.filter((_, i) => results[i]!.status === "fulfilled");
    for (const b of buyers) expect(await cartLines(db, b.purchaser)).toEqual(winners.includes(b) ? {} : { [last.id]: 5 });
  });

  test("a double submit of the same cart places it once", async () => {
    const s = await shop();
    await addToCart(s.b.purchaser, { listingId: s.boxes.id, quantity: "3" });
    const results = await Promise.allSettled([1, 2].map(() => checkoutCart(s.b.purchaser, { currency: "EUR", addressId: s.addressId })));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const refused = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(refused.reason.fieldErrors).toEqual({ currency: ["checkout.nothing_to_order"] });
    expect(await stockOf(db, s.boxes.id)).toBe(47);
  });
});

describe("checkout above an approval rule", () => {
  async function waiting() {
    const s = await shop();
    await rule(db, s.b.id, { thresholdMinor: 30_000, approverRole: "approver" });
    await fillCart(s);
    const stocks = [await stockOf(db, s.boxes.id), await stockOf(db, s.film.id), await stockOf(db, s.crates.id)];
    const result = await checkoutCart(s.b.purchaser, { currency: "EUR", poNumber: "PO-9", addressId: s.addressId });
    return { ...s, result, stocks };
  }

  test("waits: no order, nothing reserved, the lines leave the cart for the purchase; approvers are told; the approval shows the purchase", async () => {
    const s = await waiting();
    expect(s.result).toMatchObject({ status: "pending_approval", orderIds: [], approvalId: expect.any(String) });
    expect(await db.selectFrom("orders").select("id").where("purchase_id", "=", s.result.purchaseId).execute()).toEqual([]);
    expect([await stockOf(db, s.boxes.id), await stockOf(db, s.film.id), await stockOf(db, s.crates.id)]).toEqual(s.stocks);
    expect(await db.selectFrom("purchase_lines").select(["listing_id", "quantity"]).where("purchase_id", "=", s.result.purchaseId).orderBy("position").execute()).toHaveLength(3);
    expect(await cartLines(db, s.b.purchaser)).toEqual({ [s.dollars.id]: 1 });
    const asked = (await notified(db, "approval.requested")).filter((n) => n.organizationId === s.b.id);
    expect(asked.map((n) => n.userId)).toEqual([s.b.approver.actor.userId]);
    // The approver is told about the purchase by its reference, in words that fit a purchase (no award).
    expect(asked[0]!.body).toContain(s.result.reference);
    expect(asked[0]!.body).not.toMatch(/award/i);
    expect((await notified(db, "purchase.order_placed")).filter((n) => [s.alpha.id, s.beta.id].includes(n.organizationId))).toEqual([]);

    const list = await listApprovals(s.b.approver, {});
    expect(list.items).toMatchObject([{ id: s.result.approvalId, subjectKind: "purchase", reference: s.result.reference, title: [s.alpha.name, s.beta.name].sort().join(", "), canDecide: true, amount: { amountMinor: "40000" } }]);
    const approval = await getApproval(s.b.approver, { approvalId: s.result.approvalId });
    expect(approval).toMatchObject({ reference: s.result.reference, award: null, purchase: { id: s.result.purchaseId, status: "pending_approval", poNumber: "PO-9", deliveryAddress: { label: "Lyon plant" } } });
    expect(approval.purchase!.sellers.map((x) => [x.seller.id, x.order])).toEqual([
      [s.alpha.id, null],
      [s.beta.id, null],
    ]);
    const mine = await getPurchase(s.b.purchaser, { purchaseId: s.result.purchaseId });
    expect(mine).toMatchObject({ status: "pending_approval", canWithdraw: true, approval: { id: s.result.approvalId, status: "pending", canOpen: true } });
    expect((await getPurchase(s.b.admin, { purchaseId: s.result.purchaseId })).canWithdraw).toBe(false);
  });

  test("approved: the orders are placed and the stock taken; the requester is told", async () => {
    const s = await waiting();
    const decision = await decideApproval(s.b.approver, { approvalId: s.result.approvalId, decision: "approve" });
    expect(decision.status).toBe("approved");
    expect(decision.orderIds).toHaveLength(2);
    expect((await db.selectFrom("purchases").select("status").where("id", "=", s.result.purchaseId).executeTakeFirstOrThrow()).status).toBe("placed");
    const orders = await db.selectFrom("orders").select(["seller_id", "total_minor", "po_number"]).where("purchase_id", "=", s.result.purchaseId).orderBy("total_minor").execute();
    expect(orders).toEqual([
      { seller_id: s.beta.id, total_minor: "10000", po_number: "PO-9" },
      { seller_id: s.alpha.id, total_minor: "30000", po_number: "PO-9" },
    ]);
    expect([await stockOf(db, s.boxes.id), await stockOf(db, s.film.id), await stockOf(db, s.crates.id)]).toEqual([40, 400, 8]);
    const events = await db.selectFrom("order_events").select(["kind", "actor_user_id"]).where("order_id", "in", decision.orderIds).execute();
    expect(events).toEqual([
      { kind: "placed", actor_user_id: s.b.approver.actor.userId },
      { kind: "placed", actor_user_id: s.b.approver.actor.userId },
    ]);
    expect((await notified(db, "approval.approved")).filter((n) => n.organizationId === s.b.id).map((n) => n.userId)).toEqual([s.b.purchaser.actor.userId]);
    expect((await notified(db, "purchase.order_placed")).filter((n) => n.organizationId === s.alpha.id).length).toBeGreaterThan(0);
  });

  test("rejected: nothing was ever reserved; the requester is told why, with a link to the purchase", async () => {
    const s = await waiting();
    await decideApproval(s.b.approver, { approvalId: s.result.approvalId, decision: "reject", comment: "Use the framework contract." });
    expect((await db.selectFrom("purchases").select("status").where("id", "=", s.result.purchaseId).executeTakeFirstOrThrow()).status).toBe("rejected");
    expect(await db.selectFrom("orders").select("id").where("purchase_id", "=", s.result.purchaseId).execute()).toEqual([]);
    expect([await stockOf(db, s.boxes.id), await stockOf(db, s.film.id), await stockOf(db, s.crates.id)]).toEqual(s.stocks);
    const told = (await notified(db, "purchase.rejected")).filter((n) => n.organizationId === s.b.id);
    expect(told.map((n) => n.userId)).toEqual([s.b.purchaser.actor.userId]);
    expect(told[0]!.body).toContain("Use the framework contract.");
    expect(told[0]!.body).toContain(`http://buyer.test/purchases/${s.result.purchaseId}`);
    expect((await getPurchase(s.b.purchaser, { purchaseId: s.result.purchaseId })).approval).toMatchObject({ status: "rejected", comment: "Use the framework contract." });
  });

  test("a stock shortfall at approval time refuses the approval as a whole: still waiting, nothing taken", async () => {
    const s = await waiting();
    // Another buyer bought most of the crates meanwhile.
    await db.updateTable("listings").set({ stock: 1 }).where("id", "=", s.crates.id).execute();
    const before = await purchasingCounts(db);
    const error = await domainErrorOf(decideApproval(s.b.approver, { approvalId: s.result.approvalId, decision: "approve" }));
    expect(error.code).toBe("CONFLICT");
    expect(error.fieldErrors).toEqual({ _form: ["purchase.some_stock_short"], [`lines.${s.crates.id}`]: ["purchase.stock_short"] });
    expect(await purchasingCounts(db)).toEqual(before);
    expect((await db.selectFrom("approvals").select("status").where("id", "=", s.result.approvalId!).executeTakeFirstOrThrow()).status).toBe("pending");
    expect([await stockOf(db, s.boxes.id), await stockOf(db, s.film.id)]).toEqual([s.stocks[0], s.stocks[1]]);
    // Once restocked it goes through.
    await db.updateTable("listings").set({ stock: 5 }).where("id", "=", s.crates.id).execute();
    expect((await decideApproval(s.b.approver, { approvalId: s.result.approvalId, decision: "approve" })).orderIds).toHaveLength(2);
    expect(await stockOf(db, s.crates.id)).toBe(3);
  });

  test("withdrawn ('change it'): back into the requester's cart, the approval withdrawn (no decider); only the requester, only while it waits", async () => {
    const s = await waiting();
    const other = await buyer(db);
    // Meanwhile the requester put more boxes in the cart: the withdrawn lines add to them.
    await addToCart(s.b.purchaser, { listingId: s.boxes.id, quantity: "5" });
    const before = await purchasingCounts(db);
    expect((await domainErrorOf(withdrawPurchase(other.purchaser, { purchaseId: s.result.purchaseId }))).code).toBe("NOT_FOUND");
    expect((await domainErrorOf(withdrawPurchase(s.b.admin, { purchaseId: s.result.purchaseId }))).code).toBe("FORBIDDEN");
    expect((await domainErrorOf(getPurchase(other.purchaser, { purchaseId: s.result.purchaseId }))).code).toBe("NOT_FOUND");
    expect(await purchasingCounts(db)).toEqual(before);

    expect(await withdrawPurchase(s.b.purchaser, { purchaseId: s.result.purchaseId })).toEqual({ purchaseId: s.result.purchaseId, restoredLines: 3 });
    expect(await cartLines(db, s.b.purchaser)).toEqual({ [s.boxes.id]: 15, [s.film.id]: 100, [s.crates.id]: 2, [s.dollars.id]: 1 });
    expect((await db.selectFrom("purchases").select("status").where("id", "=", s.result.purchaseId).executeTakeFirstOrThrow()).status).toBe("withdrawn");
    const closed = await db.selectFrom("approvals").select(["status", "comment", "decided_by", "decided_at"]).where("id", "=", s.result.approvalId!).executeTakeFirstOrThrow();
    expect(closed).toEqual({ status: "withdrawn", comment: "", decided_by: null, decided_at: expect.any(Date) });
    // Audited as a withdrawal by the requester, not as a refusal.
    const audit = await db.selectFrom("audit_log").select(["action", "actor_user_id", "reason", "data"]).where("target_id", "=", s.result.approvalId!).orderBy("id").execute();
    expect(audit.map((a) => a.action)).toEqual(["approval.requested", "approval.withdrawn"]);
    expect(audit[1]).toMatchObject({ actor_user_id: s.b.purchaser.actor.userId, reason: null, data: { subjectKind: "purchase", subjectId: s.result.purchaseId, currency: "EUR", amountMinor: "40000" } });
    // The approver finds it withdrawn, not decided: in the list (and its filter), on its page, and a decision is a CONFLICT.
    expect((await listApprovals(s.b.approver, { status: "withdrawn" })).items).toMatchObject([{ id: s.result.approvalId, status: "withdrawn", decidedBy: null, canDecide: false }]);
    expect((await listApprovals(s.b.approver, { status: "rejected" })).items).toEqual([]);
    expect(await getApproval(s.b.approver, { approvalId: s.result.approvalId })).toMatchObject({ status: "withdrawn", decidedBy: null, comment: "", canDecide: false, blocker: "approval.withdrawn_by_requester" });
    expect((await getPurchase(s.b.purchaser, { purchaseId: s.result.purchaseId })).approval).toMatchObject({ status: "withdrawn", decidedBy: null, comment: "" });
    const refused = await domainErrorOf(decideApproval(s.b.approver, { approvalId: s.result.approvalId, decision: "approve" }));
    expect([refused.code, refused.fieldErrors]).toEqual(["CONFLICT", { _form: ["approval.withdrawn_by_requester"] }]);
    expect((await domainErrorOf(withdrawPurchase(s.b.purchaser, { purchaseId: s.result.purchaseId }))).fieldErrors).toEqual({ _form: ["purchase.not_pending"] });
    expect([await stockOf(db, s.boxes.id), await stockOf(db, s.film.id), await stockOf(db, s.crates.id)]).toEqual(s.stocks);
    // Changed and checked out again: a new purchase, a new approval.
    await updateCart(s.b.purchaser, { [`quantity.${s.boxes.id}`]: "10" });
    const again = await checkoutCart(s.b.purchaser, { currency: "EUR", addressId: s.addressId });
    expect(again.status).toBe("pending_approval");
    expect(again.purchaseId).not.toBe(s.result.purchaseId);
    expect((await listPurchases(s.b.purchaser, { status: "withdrawn" })).items.map((p) => p.id)).toEqual([s.result.purchaseId]);
  });

  test("a withdrawal and an approval at the same moment: one wins, the other is refused (no deadlock), the stock matches the winner", async () => {
    for (let round = 0; round < 3; round += 1) {
      const s = await waiting();
      const [withdrawn, approved] = await Promise.allSettled([
        withdrawPurchase(s.b.purchaser, { purchaseId: s.result.purchaseId }),
        decideApproval(s.b.approver, { approvalId: s.result.approvalId, decision: "approve" }),
      ]);
      expect([withdrawn.status, approved.status].sort()).toEqual(["fulfilled", "rejected"]);
      const loser = (withdrawn.status === "rejected" ? withdrawn : approved) as PromiseRejectedResult;
      expect(loser.reason.code).toBe("CONFLICT");
      const status = (await db.selectFrom("purchases").select("status").where("id", "=", s.result.purchaseId).executeTakeFirstOrThrow()).status;
      expect(status).toBe(withdrawn.status === "fulfilled" ? "withdrawn" : "placed");
      expect(await stockOf(db, s.crates.id)).toBe(status === "placed" ? 8 : 10);
    }
  });

  test("purchases of another buyer are NOT_FOUND and never listed; bad filters are field errors", async () => {
    const s = await waiting();
    const other = await buyer(db);
    expect((await listPurchases(other.viewer, {})).items).toEqual([]);
    expect((await domainErrorOf(getPurchase(other.viewer, { purchaseId: s.result.purchaseId }))).code).toBe("NOT_FOUND");
    expect((await domainErrorOf(getPurchase(s.b.viewer, { purchaseId: "x" }))).code).toBe("NOT_FOUND");
    expect((await domainErrorOf(listPurchases(s.b.viewer, { status: "lost" }))).fieldErrors).toEqual({ status: ["purchase.filter.status_invalid"] });
    expect((await domainErrorOf(getApproval(other.approver, { approvalId: s.result.approvalId }))).code).toBe("NOT_FOUND");
  });
});
