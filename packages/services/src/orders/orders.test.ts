import { describe, expect, test } from "vitest";
import { createTestDatabase } from "@souk/testing";
import { domainErrorOf } from "../identity/test-support";
import { awardRfq } from "../approvals/award-rfq";
import { activeSeller, buyer, closedRfq } from "../approvals/test-support";
import { getBuyerOrder } from "./get-buyer-order";
import { getSellerOrder } from "./get-seller-order";
import { listBuyerOrders } from "./list-buyer-orders";
import { listSellerOrders } from "./list-seller-orders";

const { db } = await createTestDatabase();

describe("orders of an award", () => {
  test("the buyer sees its orders, each seller only its own; filters, text search, pages; other tenants' ids are NOT_FOUND", async () => {
    const b = await buyer(db, { name: "Zeta Foods" });
    const otherBuyer = await buyer(db);
    const [alpha, beta, outsider] = [await activeSeller(db), await activeSeller(db), await activeSeller(db)];
    const rfq = await closedRfq(db, b.id, {
      title: "Pallet wrap",
      lines: [40, 3],
      offers: [
        { sellerId: alpha.id, leadTimeDays: 4, lines: [{ quantity: 40, unitPriceMinor: 250 }, { quantity: 3, unitPriceMinor: 10_000 }] },
        { sellerId: beta.id, lines: [{ quantity: 40, unitPriceMinor: 260 }, null] },
      ],
    });
    const { orderIds } = await awardRfq(b.purchaser, { rfqId: rfq.id, mode: "lines", [`qty.${rfq.lineIds[0]}.${rfq.offerIds[0]}`]: "10", [`qty.${rfq.lineIds[0]}.${rfq.offerIds[1]}`]: "30", [`qty.${rfq.lineIds[1]}.${rfq.offerIds[0]}`]: "3", note: "Deliver to gate 2." });
    const second = await closedRfq(db, b.id, { title: "Cartons", lines: [5], offers: [{ sellerId: alpha.id, lines: [{ quantity: 5, unitPriceMinor: 100 }] }] });
    const { orderIds: [cartons] } = await awardRfq(b.purchaser, { rfqId: second.id, mode: "whole", offerIds: [second.offerIds[0]] });
    await db.updateTable("orders").set({ status: "shipped" }).where("id", "=", cartons!).execute();

    const all = await listBuyerOrders(b.viewer, {});
    expect(all.total).toBe(3);
    expect(all.counts).toMatchObject({ placed: 2, shipped: 1, accepted: 0 });
    const alphaOrder = all.items.find((o) => o.counterparty.id === alpha.id && o.rfq?.id === rfq.id)!;
    expect(alphaOrder).toMatchObject({
      reference: expect.stringMatching(/^ORD-\d{6}$/),
      status: "placed",
      counterparty: { id: alpha.id, name: alpha.name },
      rfq: { id: rfq.id, reference: expect.stringMatching(/^RFQ-\d{6}$/), title: "Pallet wrap" },
      total: { amountMinor: "32500", currency: "EUR" },
      lineCount: 2,
      leadTimeDays: 4,
    });
    expect((await listBuyerOrders(b.viewer, { status: "shipped" })).items.map((o) => o.id)).toEqual([cartons]);
    expect((await listBuyerOrders(b.viewer, { q: "pallet" })).items).toHaveLength(2);
    expect((await listBuyerOrders(b.viewer, { q: beta.name })).items.map((o) => o.counterparty.id)).toEqual([beta.id]);
    expect((await listBuyerOrders(b.viewer, { q: alphaOrder.reference })).items.map((o) => o.id)).toEqual([alphaOrder.id]);
    expect((await listBuyerOrders(b.viewer, { q: "100%_" })).items).toEqual([]);
    expect((await listBuyerOrders(b.viewer, { page: "2" })).items).toEqual([]);
    expect((await domainErrorOf(listBuyerOrders(b.viewer, { status: "lost", page: "0" }))).fieldErrors).toEqual({ status: ["order.filter.status_invalid"], page: ["order.filter.page_invalid"] });

    const detail = await getBuyerOrder(b.purchaser, { orderId: alphaOrder.id });
    expect(detail.lines.map((l) => [l.position, l.description, l.quantity, l.unitPrice.amountMinor, l.lineTotal.amountMinor])).toEqual([
      [0, "Line 1 box", 10, "250", "2500"],
      [1, "Line 2 box", 3, "10000", "30000"],
    ]);
    expect(detail.awardNote).toBe("Deliver to gate 2.");
    expect(detail.expectedDeliveryAt).not.toBeNull();

    // The sellers: each its own orders, with the buyer as the other party, never the buyer's note.
    const alphaList = await listSellerOrders(alpha.sales, {});
    expect(alphaList.items.map((o) => o.id).sort()).toEqual([alphaOrder.id, cartons].sort());
    expect(alphaList.items[0]!.counterparty).toEqual({ id: b.id, name: "Zeta Foods" });
    const betaOrderId = orderIds.find((id) => id !== alphaOrder.id)!;
    expect((await listSellerOrders(beta.owner, {})).items.map((o) => o.id)).toEqual([betaOrderId]);
    expect((await getSellerOrder(alpha.owner, { orderId: alphaOrder.id })).awardNote).toBeNull();
    expect((await getSellerOrder(beta.owner, { orderId: betaOrderId })).total).toEqual({ amountMinor: "7800", currency: "EUR" });
    expect((await listSellerOrders(outsider.owner, {})).items).toEqual([]);

    for (const call of [
      () => getSellerOrder(beta.owner, { orderId: alphaOrder.id }),
      () => getSellerOrder(outsider.owner, { orderId: alphaOrder.id }),
      () => getBuyerOrder(otherBuyer.admin, { orderId: alphaOrder.id }),
      () => getBuyerOrder(b.admin, { orderId: "ORD-1" }),
    ]) {
      expect((await domainErrorOf(call())).code).toBe("NOT_FOUND");
    }
    expect((await listBuyerOrders(otherBuyer.admin, {})).items).toEqual([]);
    // The wrong side: a seller cannot use the buyer's list, nor a buyer the seller's.
    expect((await domainErrorOf(listBuyerOrders(alpha.owner, {}))).code).toBe("FORBIDDEN");
    expect((await domainErrorOf(listSellerOrders(b.admin, {}))).code).toBe("FORBIDDEN");
    expect((await domainErrorOf(getSellerOrder(b.admin, { orderId: alphaOrder.id }))).code).toBe("FORBIDDEN");
  });
});
