import { describe, expect, test } from "vitest";
import { createTestDatabase } from "@souk/testing";
import { TEST_URLS, domainErrorOf } from "../identity/test-support";
import { settleOrder } from "../money";
import { acceptOrder } from "./accept-order";
import { confirmDelivery } from "./confirm-delivery";
import { getBuyerOrder } from "./get-buyer-order";
import { getSellerOrder } from "./get-seller-order";
import { listBuyerOrders } from "./list-buyer-orders";
import { listSellerOrders } from "./list-seller-orders";
import { openDispute } from "./open-dispute";
import { requestOrderCancellation } from "./request-order-cancellation";
import { shipOrder } from "./ship-order";
import { commissionRule, parties, placedOrder } from "./test-support";

const { db } = await createTestDatabase();
await commissionRule(db, 500);

describe("an order's page on each side", () => {
  test("timeline oldest first, the moves each member may make now, cancellation request, dispute, address, PO number, shipment", async () => {
    const { buyer, seller } = await parties(db, { buyer: "Zeta Foods" });
    const order = await placedOrder(db, buyer.id, seller.id, { purchase: true, poNumber: "PO-7781", lines: [{ quantity: 2, unitPriceMinor: 5000, stock: 3 }] });

    const fresh = await getBuyerOrder(buyer.purchaser, { orderId: order.id });
    expect(fresh).toMatchObject({
      status: "placed",
      poNumber: "PO-7781",
      version: 1,
      purchaseId: expect.any(String),
      deliveryAddress: { label: "Main warehouse", recipient: "Goods-in", line1: "12 rue des Docks", line2: "", postalCode: "69007", city: "Lyon", country: "FR" },
      cancellation: null,
      dispute: null,
      moves: ["cancel"],
      timeline: [{ kind: "placed", actorKind: "buyer" }],
    });
    expect((await getBuyerOrder(buyer.viewer, { orderId: order.id })).moves).toEqual([]);
    expect((await getSellerOrder(seller.owner, { orderId: order.id })).moves).toEqual(["accept", "reject", "request_cancellation"]);
    expect((await getSellerOrder(seller.sales, { orderId: order.id })).moves).toEqual([]);

    await acceptOrder(seller.fulfilment, { orderId: order.id });
    await requestOrderCancellation(buyer.purchaser, { orderId: order.id, reason: "Budget cut." });
    const asked = await getSellerOrder(seller.owner, { orderId: order.id });
    expect(asked).toMatchObject({ status: "accepted", cancellationRequestedBy: "buyer", cancellation: { requestedBy: "buyer", reason: "Budget cut.", requestedAt: expect.any(String) }, moves: ["consent_cancellation", "decline_cancellation"] });
    // The seller sees what the buyer did, not which of its members did it; the buyer sees its own member's name.
    expect(asked.timeline.map((e) => [e.kind, e.actorKind, e.actorName])).toEqual([
      ["placed", "buyer", null],
      ["accepted", "seller", expect.stringMatching(/^Fulfilment of /)],
      ["cancellation_requested", "buyer", null],
    ]);
    expect(asked.timeline[2]!.data).toEqual({ reason: "Budget cut." });
    const buyerSide = await getBuyerOrder(buyer.admin, { orderId: order.id });
    expect(buyerSide.timeline.map((e) => e.actorName)).toEqual([null, null, expect.stringMatching(/^purchaser of /)]);
    expect(buyerSide.moves).toEqual([]);

    await db.updateTable("orders").set({ cancellation_requested_by: null, cancellation_requested_at: null, cancellation_reason: null }).where("id", "=", order.id).execute();
    await shipOrder(seller.owner, { orderId: order.id, carrier: "Geodis", trackingReference: "GD-42" });
    const shipped = await getBuyerOrder(buyer.purchaser, { orderId: order.id });
    expect(shipped).toMatchObject({ carrier: "Geodis", trackingReference: "GD-42", shippedAt: expect.any(String), moves: ["confirm_delivery"] });
    await confirmDelivery(buyer.purchaser, { orderId: order.id });
    const delivered = await getBuyerOrder(buyer.purchaser, { orderId: order.id });
    expect(delivered).toMatchObject({ deliveryConfirmedBy: "buyer", moves: ["open_dispute"] });
    expect(new Date(delivered.disputeWindowClosesAt!).getTime() - new Date(delivered.deliveredAt!).getTime()).toBe(14 * 86_400_000);

    await settleOrder({ db, publicUrls: TEST_URLS }, { orderId: order.id });
    // The commission and the seller's net are the seller's business.
    const settledForBuyer = await getBuyerOrder(buyer.purchaser, { orderId: order.id });
    expect(settledForBuyer.timeline.at(-1)).toMatchObject({ kind: "settled", actorKind: "system", data: { gross: "10000" } });
    expect(Object.keys(settledForBuyer.timeline.at(-1)!.data)).toEqual(["gross"]);
    expect((await getSellerOrder(seller.owner, { orderId: order.id })).timeline.at(-1)!.data).toEqual({ gross: "10000", commission: "500", net: "9500" });
    // ...of the members who read its money (owners): not of its fulfilment or sales members, whose money view hides them too.
    for (const member of [seller.fulfilment, seller.sales]) {
      const settledForMember = await getSellerOrder(member, { orderId: order.id });
      expect(settledForMember.timeline.at(-1)).toMatchObject({ kind: "settled", actorKind: "system" });
      expect(settledForMember.timeline.at(-1)!.data).toEqual({ gross: "10000" });
      expect(settledForMember.money).toMatchObject({ commission: null, net: null });
    }

    await openDispute(buyer.purchaser, { orderId: order.id, reason: "Damaged pallet." });
    const disputed = await getSellerOrder(seller.owner, { orderId: order.id });
    expect(disputed).toMatchObject({ disputeStatus: "open", dispute: { status: "open", reason: "Damaged pallet.", resolution: null, refund: null }, disputeWindowClosesAt: null, moves: [] });
  });
});

describe("an order's timeline and money", () => {
  test("the timeline is what was recorded: no invented \"placed\" entry for an order without one", async () => {
    const { buyer, seller } = await parties(db);
    const order = await placedOrder(db, buyer.id, seller.id);
    await db.deleteFrom("order_events").where("order_id", "=", order.id).execute();
    expect((await getBuyerOrder(buyer.admin, { orderId: order.id })).timeline).toEqual([]);
    expect((await getSellerOrder(seller.owner, { orderId: order.id })).timeline).toEqual([]);
  });

  test("before settlement the money part holds the total only; once settled the owner reads commission, rule and net", async () => {
    const { buyer, seller } = await parties(db);
    const order = await placedOrder(db, buyer.id, seller.id, { lines: [{ quantity: 3, unitPriceMinor: 1000 }] });
    const placed = await getSellerOrder(seller.owner, { orderId: order.id });
    expect(placed.money).toMatchObject({ orderId: order.id, reference: placed.reference, settled: false, settledAt: null, gross: { amountMinor: "3000", currency: "EUR" }, commission: null, net: null, rule: null, refunded: { amountMinor: "0" }, refunds: [] });
    await db.updateTable("orders").set({ status: "delivered", delivered_at: new Date(), delivery_confirmed_by: "buyer" }).where("id", "=", order.id).execute();
    await settleOrder({ db, publicUrls: TEST_URLS }, { orderId: order.id });
    expect((await getSellerOrder(seller.owner, { orderId: order.id })).money).toMatchObject({ settled: true, commission: { amountMinor: "150" }, net: { amountMinor: "2850" }, rule: { scope: "default", rateBps: 500 } });
    expect((await getSellerOrder(seller.sales, { orderId: order.id })).money).toMatchObject({ settled: true, commission: null, net: null, rule: null });
    expect((await getBuyerOrder(buyer.purchaser, { orderId: order.id })).money).toMatchObject({ settled: true, gross: { amountMinor: "3000" }, commission: null, net: null, rule: null, payout: null });
  });
});

describe("order lists", () => {
  test("filters: status, counterparty, placing dates, PO number and reference; pages; another tenant's orders never show", async () => {
    const { buyer, seller } = await parties(db, { buyer: "Omega Retail" });
    const second = await parties(db);
    const a = await placedOrder(db, buyer.id, seller.id, { poNumber: "PO-A-1", placedAt: "2030-03-01T10:00:00Z" });
    const b = await placedOrder(db, buyer.id, second.seller.id, { poNumber: "PO-B-2", placedAt: "2030-03-15T23:30:00Z" });
    const c = await placedOrder(db, buyer.id, seller.id, { placedAt: "2030-04-02T08:00:00Z" });
    await acceptOrder(seller.owner, { orderId: c.id });
    const foreign = await placedOrder(db, second.buyer.id, seller.id, { placedAt: "2030-03-10T10:00:00Z" });

    const all = await listBuyerOrders(buyer.viewer, {});
    expect(all.items.map((o) => o.id)).toEqual([c.id, b.id, a.id]);
    expect(all.counterparties.map((p) => p.id).sort()).toEqual([seller.id, second.seller.id].sort());
    expect(all.counts).toMatchObject({ placed: 2, accepted: 1 });
    expect((await listBuyerOrders(buyer.viewer, { status: "accepted" })).items.map((o) => o.id)).toEqual([c.id]);
    expect((await listBuyerOrders(buyer.viewer, { counterparty: seller.id })).items.map((o) => o.id)).toEqual([c.id, a.id]);
    expect((await listBuyerOrders(buyer.viewer, { from: "2030-03-01", to: "2030-03-15" })).items.map((o) => o.id)).toEqual([b.id, a.id]);
    expect((await listBuyerOrders(buyer.viewer, { from: "2030-03-02" })).items.map((o) => o.id)).toEqual([c.id, b.id]);
    const march = await listBuyerOrders(buyer.viewer, { to: "2030-03-31", status: "placed" });
    expect([march.total, march.counts.accepted]).toEqual([2, 0]);
    expect((await listBuyerOrders(buyer.viewer, { q: "po-b" })).items.map((o) => o.id)).toEqual([b.id]);
    expect((await listBuyerOrders(buyer.viewer, { q: all.items[2]!.reference })).items.map((o) => o.id)).toEqual([a.id]);
    expect((await listBuyerOrders(buyer.viewer, { page: "2" })).items).toEqual([]);
    expect((await domainErrorOf(listBuyerOrders(buyer.viewer, { from: "2030-02-30", to: "x", counterparty: "nope" }))).fieldErrors).toEqual({
      from: ["order.filter.from_invalid"],
      to: ["order.filter.to_invalid"],
      counterparty: ["order.filter.counterparty_invalid"],
    });
    expect((await domainErrorOf(listBuyerOrders(buyer.viewer, { from: "2030-03-10", to: "2030-03-01" }))).fieldErrors).toEqual({ to: ["order.filter.range_invalid"] });

    // The seller: its own orders with both buyers; the other seller's never; a foreign counterparty id finds nothing.
    const sellerList = await listSellerOrders(seller.fulfilment, {});
    expect(sellerList.items.map((o) => o.id)).toEqual([c.id, foreign.id, a.id]);
    expect(sellerList.counterparties.map((p) => p.name).sort()).toEqual([buyer.name, second.buyer.name].sort());
    expect((await listSellerOrders(seller.fulfilment, { counterparty: second.buyer.id })).items.map((o) => o.id)).toEqual([foreign.id]);
    expect((await listSellerOrders(second.seller.owner, {})).items.map((o) => o.id)).toEqual([b.id]);
    expect((await listBuyerOrders(second.buyer.admin, { counterparty: second.seller.id })).items).toEqual([]);
    expect((await domainErrorOf(getSellerOrder(second.seller.owner, { orderId: a.id }))).code).toBe("NOT_FOUND");
    expect((await domainErrorOf(getBuyerOrder(second.buyer.admin, { orderId: a.id }))).code).toBe("NOT_FOUND");
  });
});
