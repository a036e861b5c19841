import { describe, expect, test } from "vitest";
import { createTestDatabase } from "@souk/testing";
import { domainErrorOf } from "../identity/test-support";
import { notified } from "../approvals/test-support";
import { acceptOrder } from "./accept-order";
import { answerOrderCancellation } from "./answer-order-cancellation";
import { cancelOrder } from "./cancel-order";
import { confirmDelivery } from "./confirm-delivery";
import { rejectOrder } from "./reject-order";
import { requestOrderCancellation } from "./request-order-cancellation";
import { shipOrder } from "./ship-order";
import { eventKinds, lifecycleCounts, orderRow, outboxPayloads, parties, placedOrder } from "./test-support";

const { db } = await createTestDatabase();

/** The move is refused with `code` (and `form`, the domain's reason, when given) and nothing changed. */
async function refused(call: () => Promise<unknown>, code: string, fieldErrors?: Record<string, string[]>) {
  const before = await lifecycleCounts(db);
  const error = await domainErrorOf(call());
  expect(error.code).toBe(code);
  if (fieldErrors) expect(error.fieldErrors).toEqual(fieldErrors);
  expect(await lifecycleCounts(db)).toEqual(before);
  return error;
}

describe("seller moves: accept, reject, ship; the buyer confirms delivery", () => {
  test("placed → accepted → shipped → delivered: each move locks, checks, bumps the version, records the event, tells the other side; delivery queues the settlement", async () => {
    const { buyer, seller } = await parties(db);
    const order = await placedOrder(db, buyer.id, seller.id);

    const accepted = await acceptOrder(seller.fulfilment, { orderId: order.id, version: "1" });
    expect(accepted).toEqual({ orderId: order.id, status: "accepted", version: 2 });
    expect((await orderRow(db, order.id)).accepted_at).toBeInstanceOf(Date);
    // The buyer's admin and purchaser are told, not its viewer or approver.
    expect((await notified(db, "order.accepted")).map((n) => n.userId).sort()).toEqual([buyer.admin.actor.userId, buyer.purchaser.actor.userId].sort());

    await refused(() => shipOrder(seller.owner, { orderId: order.id, carrier: " ", trackingReference: "" }), "VALIDATION", { carrier: ["order.carrier_required"], trackingReference: ["order.tracking_required"] });
    await refused(() => shipOrder(seller.owner, { orderId: order.id, carrier: "x".repeat(101), trackingReference: "T" }), "VALIDATION", { carrier: ["order.carrier_too_long"] });
    // A page opened before the acceptance: refused rather than acting on a stale view.
    await refused(() => shipOrder(seller.owner, { orderId: order.id, version: "1", carrier: "DHL", trackingReference: "JD0001" }), "CONFLICT", { _form: ["order.changed"] });
    const shipped = await shipOrder(seller.owner, { orderId: order.id, version: "2", carrier: " DHL Freight ", trackingReference: "JD0001" });
    expect(shipped).toMatchObject({ status: "shipped", version: 3 });
    expect(await orderRow(db, order.id)).toMatchObject({ carrier: "DHL Freight", tracking_reference: "JD0001", shipped_at: expect.any(Date) });
    expect((await notified(db, "order.shipped"))[0]!.body).toContain("JD0001");

    // Wrong side, wrong role, wrong status: refused, nothing written.
    await refused(() => confirmDelivery(seller.owner, { orderId: order.id }), "FORBIDDEN");
    await refused(() => confirmDelivery(buyer.viewer, { orderId: order.id }), "FORBIDDEN");
    await refused(() => confirmDelivery(buyer.approver, { orderId: order.id }), "FORBIDDEN");
    await refused(() => acceptOrder(seller.owner, { orderId: order.id }), "CONFLICT", { _form: ["order.move_not_allowed"] });

    const delivered = await confirmDelivery(buyer.purchaser, { orderId: order.id });
    expect(delivered).toMatchObject({ status: "delivered", version: 4 });
    expect(await orderRow(db, order.id)).toMatchObject({ delivery_confirmed_by: "buyer", delivered_at: expect.any(Date) });
    expect(await outboxPayloads(db, "order.settle")).toEqual([{ orderId: order.id }]);
    expect((await notified(db, "order.delivered")).map((n) => n.organizationId)).toEqual([seller.id, seller.id]);
    expect(await eventKinds(db, order.id)).toEqual(["placed", "accepted", "shipped", "delivered"]);
    const events = await db.selectFrom("order_events").select(["kind", "actor_kind", "actor_user_id", "data"]).where("order_id", "=", order.id).orderBy("id").execute();
    expect(events.slice(1)).toEqual([
      { kind: "accepted", actor_kind: "seller", actor_user_id: seller.fulfilment.actor.userId, data: {} },
      { kind: "shipped", actor_kind: "seller", actor_user_id: seller.owner.actor.userId, data: { carrier: "DHL Freight", trackingReference: "JD0001" } },
      { kind: "delivered", actor_kind: "buyer", actor_user_id: buyer.purchaser.actor.userId, data: { confirmedBy: "buyer" } },
    ]);
    await refused(() => confirmDelivery(buyer.admin, { orderId: order.id }), "CONFLICT", { _form: ["order.move_not_allowed"] });
  });

  test("the wrong side, a role without the permission and another tenant are refused; another tenant's order is NOT_FOUND and unchanged", async () => {
    const { buyer, seller } = await parties(db);
    const other = await parties(db);
    const order = await placedOrder(db, buyer.id, seller.id);
    await refused(() => acceptOrder(buyer.admin, { orderId: order.id }), "FORBIDDEN");
    await refused(() => acceptOrder(seller.sales, { orderId: order.id }), "FORBIDDEN");
    await refused(() => cancelOrder(seller.owner, { orderId: order.id, reason: "x" }), "FORBIDDEN");
    await refused(() => cancelOrder(buyer.approver, { orderId: order.id, reason: "x" }), "FORBIDDEN");
    for (const call of [
      () => acceptOrder(other.seller.owner, { orderId: order.id }),
      () => rejectOrder(other.seller.owner, { orderId: order.id, reason: "No" }),
      () => shipOrder(other.seller.owner, { orderId: order.id, carrier: "DHL", trackingReference: "1" }),
      () => requestOrderCancellation(other.seller.owner, { orderId: order.id, reason: "No" }),
      () => cancelOrder(other.buyer.admin, { orderId: order.id, reason: "No" }),
      () => requestOrderCancellation(other.buyer.admin, { orderId: order.id, reason: "No" }),
      () => answerOrderCancellation(other.buyer.admin, { orderId: order.id, answer: "consent" }),
      () => confirmDelivery(other.buyer.admin, { orderId: order.id }),
      () => acceptOrder(seller.owner, { orderId: "not-a-uuid" }),
      () => acceptOrder(seller.owner, { orderId: "00000000-0000-4000-8000-000000000000" }),
    ]) {
      await refused(call, "NOT_FOUND");
    }
    expect((await orderRow(db, order.id)).status).toBe("placed");
  });

  test("rejection needs a reason; a purchase's reserved stock goes back to its listings, with a search sync; an award's order reserved nothing", async () => {
    const { buyer, seller } = await parties(db);
    const purchase = await placedOrder(db, buyer.id, seller.id, { purchase: true, lines: [{ quantity: 3, unitPriceMinor: 1000, stock: 7 }, { quantity: 2, unitPriceMinor: 500, stock: 0 }] });
    await refused(() => rejectOrder(seller.owner, { orderId: purchase.id, reason: "   " }), "VALIDATION", { reason: ["order.reason_required"] });
    await refused(() => rejectOrder(seller.owner, { orderId: purchase.id, reason: "x".repeat(2001) }), "VALIDATION", { reason: ["order.reason_too_long"] });
    const syncsBefore = (await outboxPayloads(db, "search.listing.sync")).length;
    expect(await rejectOrder(seller.owner, { orderId: purchase.id, reason: "Out of stock at the warehouse." })).toMatchObject({ status: "rejected" });
    expect(await orderRow(db, purchase.id)).toMatchObject({ status: "rejected", reject_reason: "Out of stock at the warehouse.", rejected_at: expect.any(Date) });
    const stock = await db.selectFrom("listings").select(["id", "stock"]).where("id", "in", purchase.listingIds).execute();
    expect(Object.fromEntries(stock.map((l) => [l.id, l.stock]))).toEqual({ [purchase.listingIds[0]!]: 10, [purchase.listingIds[1]!]: 2 });
    const syncs = await outboxPayloads(db, "search.listing.sync");
    expect(syncs.slice(syncsBefore)).toEqual([{ listingIds: [...purchase.listingIds].sort() }]);
    expect((await notified(db, "order.rejected"))[0]!.body).toContain("Out of stock at the warehouse.");

    // An award's order: nothing was reserved, nothing is given back.
    const award = await placedOrder(db, buyer.id, seller.id, { lines: [{ quantity: 3, unitPriceMinor: 1000 }] });
    const before = await lifecycleCounts(db);
    await rejectOrder(seller.owner, { orderId: award.id, reason: "Cannot meet the lead time." });
    expect((await lifecycleCounts(db)).stock).toBe(before.stock);
    expect((await outboxPayloads(db, "search.listing.sync")).length).toBe(syncs.length);
  });
});

describe("cancellation", () => {
  test("the buyer cancels before acceptance (reason required, stock back); after acceptance it may only ask", async () => {
    const { buyer, seller } = await parties(db);
    const order = await placedOrder(db, buyer.id, seller.id, { purchase: true, lines: [{ quantity: 5, unitPriceMinor: 200, stock: 1 }] });
    await refused(() => cancelOrder(buyer.purchaser, { orderId: order.id }), "VALIDATION", { reason: ["order.reason_required"] });
    // Before acceptance the buyer cancels; it does not ask.
    await refused(() => requestOrderCancellation(buyer.purchaser, { orderId: order.id, reason: "Changed plans" }), "CONFLICT", { _form: ["order.move_not_allowed"] });
    expect(await cancelOrder(buyer.purchaser, { orderId: order.id, reason: "Ordered twice by mistake." })).toMatchObject({ status: "cancelled" });
    expect(await orderRow(db, order.id)).toMatchObject({ status: "cancelled", cancel_reason: "Ordered twice by mistake.", cancelled_at: expect.any(Date) });
    expect((await db.selectFrom("listings").select("stock").where("id", "=", order.listingIds[0]!).executeTakeFirstOrThrow()).stock).toBe(6);
    expect((await notified(db, "order.cancelled")).map((n) => n.organizationId)).toContain(seller.id);
    await refused(() => cancelOrder(buyer.purchaser, { orderId: order.id, reason: "again" }), "CONFLICT", { _form: ["order.move_not_allowed"] });
    await refused(() => acceptOrder(seller.owner, { orderId: order.id }), "CONFLICT", { _form: ["order.move_not_allowed"] });

    const accepted = await placedOrder(db, buyer.id, seller.id);
    await acceptOrder(seller.owner, { orderId: accepted.id });
    await refused(() => cancelOrder(buyer.purchaser, { orderId: accepted.id, reason: "Too late?" }), "CONFLICT", { _form: ["order.move_not_allowed"] });
  });

  test("either side asks before shipping; the other consents (cancelled) or declines (cleared); no shipping while a request waits; the requester cannot answer", async () => {
    const { buyer, seller } = await parties(db);
    const order = await placedOrder(db, buyer.id, seller.id, { purchase: true, lines: [{ quantity: 2, unitPriceMinor: 900, stock: 3 }] });
    await acceptOrder(seller.owner, { orderId: order.id });

    await refused(() => requestOrderCancellation(buyer.purchaser, { orderId: order.id, reason: "" }), "VALIDATION", { reason: ["order.reason_required"] });
    expect(await requestOrderCancellation(buyer.purchaser, { orderId: order.id, reason: "Project postponed." })).toMatchObject({ status: "accepted" });
    expect(await orderRow(db, order.id)).toMatchObject({ cancellation_requested_by: "buyer", cancellation_reason: "Project postponed.", cancellation_requested_at: expect.any(Date) });
    expect((await notified(db, "order.cancellation_requested")).map((n) => n.organizationId)).toEqual([seller.id, seller.id]);

    await refused(() => requestOrderCancellation(seller.owner, { orderId: order.id, reason: "Me too" }), "CONFLICT", { _form: ["order.cancellation_pending"] });
    await refused(() => shipOrder(seller.owner, { orderId: order.id, carrier: "DHL", trackingReference: "1" }), "CONFLICT", { _form: ["order.cancellation_pending"] });
    await refused(() => answerOrderCancellation(buyer.admin, { orderId: order.id, answer: "consent" }), "CONFLICT", { _form: ["order.own_cancellation_request"] });
    await refused(() => answerOrderCancellation(seller.sales, { orderId: order.id, answer: "consent" }), "FORBIDDEN");
    await refused(() => answerOrderCancellation(seller.owner, { orderId: order.id, answer: "maybe" }), "VALIDATION", { answer: ["order.answer_invalid"] });

    expect(await answerOrderCancellation(seller.owner, { orderId: order.id, answer: "decline", note: "Already packed." })).toMatchObject({ status: "accepted" });
    expect(await orderRow(db, order.id)).toMatchObject({ status: "accepted", cancellation_requested_by: null, cancellation_reason: null, cancellation_requested_at: null });
    expect((await notified(db, "order.cancellation_declined"))[0]!.body).toContain("Already packed.");
    await refused(() => answerOrderCancellation(seller.owner, { orderId: order.id, answer: "consent" }), "CONFLICT", { _form: ["order.no_cancellation_request"] });

    // The seller asks now; the buyer consents: cancelled with the seller's reason, stock back.
    await requestOrderCancellation(seller.fulfilment, { orderId: order.id, reason: "Supplier recalled the batch." });
    expect(await answerOrderCancellation(buyer.purchaser, { orderId: order.id, answer: "consent" })).toMatchObject({ status: "cancelled" });
    expect(await orderRow(db, order.id)).toMatchObject({ status: "cancelled", cancel_reason: "Supplier recalled the batch.", cancellation_requested_by: null });
    expect((await db.selectFrom("listings").select("stock").where("id", "=", order.listingIds[0]!).executeTakeFirstOrThrow()).stock).toBe(5);
    expect(await eventKinds(db, order.id)).toEqual(["placed", "accepted", "cancellation_requested", "cancellation_declined", "cancellation_requested", "cancelled"]);

    // After shipping nobody can ask any more.
    const shipped = await placedOrder(db, buyer.id, seller.id);
    await acceptOrder(seller.owner, { orderId: shipped.id });
    await shipOrder(seller.owner, { orderId: shipped.id, carrier: "UPS", trackingReference: "1Z" });
    await refused(() => requestOrderCancellation(buyer.admin, { orderId: shipped.id, reason: "Late" }), "CONFLICT", { _form: ["order.move_not_allowed"] });
    await refused(() => requestOrderCancellation(seller.owner, { orderId: shipped.id, reason: "Late" }), "CONFLICT", { _form: ["order.move_not_allowed"] });
  });

  test("the seller may ask on a placed order; the buyer consenting cancels it", async () => {
    const { buyer, seller } = await parties(db);
    const order = await placedOrder(db, buyer.id, seller.id);
    await requestOrderCancellation(seller.owner, { orderId: order.id, reason: "Discontinued item." });
    await answerOrderCancellation(buyer.admin, { orderId: order.id, answer: "consent" });
    expect((await orderRow(db, order.id)).status).toBe("cancelled");
  });
});

describe("concurrency", () => {
  test("an acceptance and a cancellation at the same moment: exactly one wins, the other finds the order moved", async () => {
    for (let round = 0; round < 5; round += 1) {
      const { buyer, seller } = await parties(db);
      const order = await placedOrder(db, buyer.id, seller.id, { purchase: true, lines: [{ quantity: 1, unitPriceMinor: 100, stock: 0 }] });
      const results = await Promise.allSettled([acceptOrder(seller.owner, { orderId: order.id }), cancelOrder(buyer.admin, { orderId: order.id, reason: "Changed my mind." })]);
      const won = results.filter((r) => r.status === "fulfilled");
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(1);
      expect(lost[0]!.reason).toMatchObject({ code: "CONFLICT", fieldErrors: { _form: ["order.move_not_allowed"] } });
      const row = await orderRow(db, order.id);
      expect(row.version).toBe(2);
      expect(await eventKinds(db, order.id)).toHaveLength(2);
      expect((await db.selectFrom("listings").select("stock").where("id", "=", order.listingIds[0]!).executeTakeFirstOrThrow()).stock).toBe(row.status === "cancelled" ? 1 : 0);
    }
  });

  test("two deliveries confirmed at once: one delivery, one settlement queued", async () => {
    const { buyer, seller } = await parties(db);
    const order = await placedOrder(db, buyer.id, seller.id);
    await acceptOrder(seller.owner, { orderId: order.id });
    await shipOrder(seller.owner, { orderId: order.id, carrier: "DHL", trackingReference: "1" });
    const before = (await outboxPayloads(db, "order.settle")).length;
    const results = await Promise.allSettled([confirmDelivery(buyer.admin, { orderId: order.id }), confirmDelivery(buyer.purchaser, { orderId: order.id })]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect((await outboxPayloads(db, "order.settle")).length).toBe(before + 1);
  });
});
