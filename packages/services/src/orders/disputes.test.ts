import { sql } from "kysely";
import { describe, expect, test } from "vitest";
import { createTestDatabase } from "@souk/testing";
import { TEST_URLS, domainErrorOf } from "../identity/test-support";
import { notified } from "../approvals/test-support";
import { operator } from "../vetting/test-support";
import { settleOrder } from "../money";
import { acceptOrder } from "./accept-order";
import { confirmDelivery } from "./confirm-delivery";
import { getBuyerOrder } from "./get-buyer-order";
import { getDispute } from "./get-dispute";
import { getSellerOrder } from "./get-seller-order";
import { listDisputes } from "./list-disputes";
import { openDispute } from "./open-dispute";
import { resolveDispute } from "./resolve-dispute";
import { shipOrder } from "./ship-order";
import { commissionRule, eventKinds, lifecycleCounts, orderRow, outboxPayloads, parties, placedOrder, type Parties } from "./test-support";

const { db } = await createTestDatabase();
const system = { db, publicUrls: TEST_URLS };
await commissionRule(db, 1000);
const moderator = await operator(db, "moderator", "Mona Moderator");
const finance = await operator(db, "finance", "Fiona Finance");

async function refused(call: () => Promise<unknown>, code: string, fieldErrors?: Record<string, string[]>) {
  const before = await lifecycleCounts(db);
  const error = await domainErrorOf(call());
  expect(error.code).toBe(code);
  if (fieldErrors) expect(error.fieldErrors).toEqual(fieldErrors);
  expect(await lifecycleCounts(db)).toEqual(before);
  return error;
}

/** An order of 100.00 EUR delivered (confirmed by the buyer). */
async function deliveredOrder(p: Parties): Promise<string> {
  const order = await placedOrder(db, p.buyer.id, p.seller.id, { lines: [{ quantity: 4, unitPriceMinor: 2500 }] });
  await acceptOrder(p.seller.owner, { orderId: order.id });
  await shipOrder(p.seller.owner, { orderId: order.id, carrier: "DHL", trackingReference: "JD1" });
  await confirmDelivery(p.buyer.purchaser, { orderId: order.id });
  return order.id;
}

async function settlementJournals(orderId: string): Promise<number> {
  const row = await db.selectFrom("journals").select((eb) => eb.fn.countAll<string>().as("n")).where("order_id", "=", orderId).where("kind", "=", "settlement").executeTakeFirstOrThrow();
  return Number(row.n);
}

describe("disputes", () => {
  test("the buyer disputes a delivered order (reason required, once); settlement is frozen until an operator releases it, then settles once", async () => {
    const p = await parties(db);
    const placed = await placedOrder(db, p.buyer.id, p.seller.id);
    await refused(() => openDispute(p.buyer.purchaser, { orderId: placed.id, reason: "Broken" }), "CONFLICT", { _form: ["order.move_not_allowed"] });

    const orderId = await deliveredOrder(p);
    await refused(() => openDispute(p.buyer.purchaser, { orderId, reason: "  " }), "VALIDATION", { reason: ["dispute.reason_required"] });
    await refused(() => openDispute(p.seller.owner, { orderId, reason: "Broken" }), "FORBIDDEN");
    await refused(() => openDispute(p.buyer.viewer, { orderId, reason: "Broken" }), "FORBIDDEN");
    const other = await parties(db);
    await refused(() => openDispute(other.buyer.admin, { orderId, reason: "Broken" }), "NOT_FOUND");

    const { disputeId } = await openDispute(p.buyer.purchaser, { orderId, reason: "Three boxes arrived crushed." });
    expect((await orderRow(db, orderId)).disputed_at).toBeInstanceOf(Date);
    expect((await notified(db, "order.dispute_opened")).map((n) => n.organizationId)).toEqual([p.seller.id, p.seller.id]);
    // The operators who resolve disputes hear of it (admin and moderator roles), finance does not.
    const told = (await notified(db, "dispute.opened")).map((n) => n.userId);
    expect(told).toContain(moderator.actor.userId);
    expect(told).not.toContain(finance.actor.userId);
    await refused(() => openDispute(p.buyer.admin, { orderId, reason: "Again" }), "CONFLICT", { _form: ["order.dispute_already_open"] });

    // The settlement job runs (queued at delivery): frozen, nothing posted.
    expect(await settleOrder(system, { orderId })).toMatchObject({ status: "frozen", journalId: null });
    expect(await settlementJournals(orderId)).toBe(0);
    expect((await orderRow(db, orderId)).status).toBe("delivered");

    // Operators only; a refund moves money (run:settlement:any): a moderator may release, never refund; the note is required.
    await refused(() => resolveDispute(p.buyer.admin, { disputeId, resolution: "release", note: "ok" }), "FORBIDDEN");
    await refused(() => resolveDispute(moderator, { disputeId, resolution: "full_refund", note: "Refund it all" }), "FORBIDDEN");
    await refused(() => resolveDispute(moderator, { disputeId, resolution: "partial_refund", amount: "10", note: "Refund some" }), "FORBIDDEN");
    expect(await getDispute(moderator, { disputeId })).toMatchObject({ canResolve: true, mayRefund: false });
    expect(await getDispute(finance, { disputeId })).toMatchObject({ canResolve: true, mayRefund: true });
    await refused(() => resolveDispute(moderator, { disputeId, resolution: "release", note: "" }), "VALIDATION", { note: ["dispute.note_required"] });
    await refused(() => resolveDispute(moderator, { disputeId, resolution: "settle", note: "x" }), "VALIDATION", { resolution: ["dispute.resolution_invalid"] });
    await refused(() => resolveDispute(moderator, { disputeId: "00000000-0000-4000-8000-000000000000", resolution: "release", note: "x" }), "NOT_FOUND");

    const settlesBefore = (await outboxPayloads(db, "order.settle")).length;
    expect(await resolveDispute(moderator, { disputeId, resolution: "release", note: "Photos show the boxes were crushed in the buyer's own warehouse." })).toEqual({ disputeId, orderId, resolution: "release", refundMinor: "0" });
    expect(await db.selectFrom("disputes").select(["status", "resolution", "refund_minor", "resolved_by", "note"]).where("id", "=", disputeId).executeTakeFirstOrThrow()).toEqual({
      status: "resolved",
      resolution: "release",
      refund_minor: "0",
      resolved_by: moderator.actor.userId,
      note: "Photos show the boxes were crushed in the buyer's own warehouse.",
    });
    expect((await outboxPayloads(db, "order.settle")).length).toBe(settlesBefore + 1);
    const audit = await db.selectFrom("audit_log").select(["action", "actor_user_id", "target_id", "organization_id"]).where("action", "=", "dispute.resolved").execute();
    expect(audit).toEqual([{ action: "dispute.resolved", actor_user_id: moderator.actor.userId, target_id: disputeId, organization_id: p.seller.id }]);
    expect((await notified(db, "order.dispute_resolved")).map((n) => n.organizationId).sort()).toEqual([p.buyer.id, p.buyer.id, p.seller.id, p.seller.id].sort());
    await refused(() => resolveDispute(finance, { disputeId, resolution: "full_refund", note: "Changed my mind" }), "CONFLICT", { _form: ["order.no_dispute_open"] });
    // One dispute per order, ever.
    await refused(() => openDispute(p.buyer.admin, { orderId, reason: "Again" }), "CONFLICT", { _form: ["order.dispute_already_resolved"] });

    expect(await settleOrder(system, { orderId })).toMatchObject({ status: "settled" });
    expect(await settleOrder(system, { orderId })).toMatchObject({ status: "already_settled" });
    expect(await settlementJournals(orderId)).toBe(1);
    expect(await eventKinds(db, orderId)).toEqual(["placed", "accepted", "shipped", "delivered", "dispute_opened", "dispute_resolved", "settled"]);
  });

  test("a partial refund of an order frozen before settling settles it first, then refunds; amounts are checked", async () => {
    const p = await parties(db);
    const orderId = await deliveredOrder(p);
    const { disputeId } = await openDispute(p.buyer.admin, { orderId, reason: "One box missing." });
    await refused(() => resolveDispute(finance, { disputeId, resolution: "partial_refund", note: "One box" }), "VALIDATION", { amount: ["dispute.amount_required"] });
    await refused(() => resolveDispute(finance, { disputeId, resolution: "partial_refund", amount: "12.345", note: "One box" }), "VALIDATION", { amount: ["dispute.amount_invalid"] });
    await refused(() => resolveDispute(finance, { disputeId, resolution: "partial_refund", amount: "0", note: "One box" }), "VALIDATION", { amount: ["dispute.amount_invalid"] });
    await refused(() => resolveDispute(finance, { disputeId, resolution: "partial_refund", amount: "100.01", note: "One box" }), "VALIDATION", { amount: ["dispute.amount_above_refundable"] });

    const result = await resolveDispute(finance, { disputeId, resolution: "partial_refund", amount: "25,00", note: "One box of four was missing." });
    expect(result).toMatchObject({ resolution: "partial_refund", refundMinor: "2500" });
    expect(await orderRow(db, orderId)).toMatchObject({ status: "settled", settled_at: expect.any(Date) });
    expect(await settlementJournals(orderId)).toBe(1);
    const refund = await db.selectFrom("refunds").select(["amount_minor", "commission_minor", "net_minor", "dispute_id"]).where("order_id", "=", orderId).executeTakeFirstOrThrow();
    expect(refund).toEqual({ amount_minor: "2500", commission_minor: "250", net_minor: "2250", dispute_id: disputeId });
    expect(await settleOrder(system, { orderId })).toMatchObject({ status: "already_settled" });

    const view = await getDispute(moderator, { disputeId });
    expect(view).toMatchObject({ status: "resolved", resolution: "partial_refund", refund: { amountMinor: "2500", currency: "EUR" }, settled: true, refundable: { amountMinor: "7500" }, canResolve: false, resolvedBy: "Fiona Finance" });
    // The order's ledger page is linked for operators who read the ledger too (admins), not for moderators.
    expect(view.canReadLedger).toBe(false);
    expect((await getDispute(await operator(db, "admin"), { disputeId })).canReadLedger).toBe(true);
    expect(view.order.money).toMatchObject({ commission: { amountMinor: "1000" }, net: { amountMinor: "9000" }, rule: { scope: "default", rateBps: 1000 }, refunded: { amountMinor: "2500" } });

    // The order pages carry its money: the seller's owner reads the commission with its frozen rule, the net and each refund's split...
    const forSeller = await getSellerOrder(p.seller.owner, { orderId });
    expect(forSeller.money).toMatchObject({
      settled: true,
      frozen: false,
      gross: { amountMinor: "10000", currency: "EUR" },
      commission: { amountMinor: "1000" },
      net: { amountMinor: "9000" },
      rule: { scope: "default", rateBps: 1000, fixedMinor: "0", capMinor: null },
      refunded: { amountMinor: "2500" },
      refunds: [{ amount: { amountMinor: "2500" }, commission: { amountMinor: "250" }, net: { amountMinor: "2250" } }],
    });
    // ...the buyer, and the seller's members who do not read its money, the total and the refunds only.
    for (const money of [(await getBuyerOrder(p.buyer.viewer, { orderId })).money, (await getSellerOrder(p.seller.fulfilment, { orderId })).money]) {
      expect(money).toMatchObject({ settled: true, gross: { amountMinor: "10000" }, commission: null, net: null, rule: null, payout: null, refunded: { amountMinor: "2500" } });
      expect(money.refunds).toEqual([{ id: expect.any(String), amount: { amountMinor: "2500", currency: "EUR" }, commission: null, net: null, createdAt: expect.any(String) }]);
    }
  });

  test("a full refund of a settled order refunds all of it; the window closes 14 days after delivery (database clock)", async () => {
    const p = await parties(db);
    const orderId = await deliveredOrder(p);
    expect(await settleOrder(system, { orderId })).toMatchObject({ status: "settled" });
    const { disputeId } = await openDispute(p.buyer.admin, { orderId, reason: "Wrong items delivered." });
    expect((await getDispute(moderator, { disputeId })).canResolve).toBe(true);
    await refused(() => resolveDispute(moderator, { disputeId, resolution: "full_refund", note: "Wrong items: full refund." }), "FORBIDDEN");
    expect(await resolveDispute(finance, { disputeId, resolution: "full_refund", note: "Wrong items: full refund." })).toMatchObject({ refundMinor: "10000" });
    const settlement = await db.selectFrom("settlements").select(["refunded_minor", "commission_refunded_minor", "commission_minor"]).where("order_id", "=", orderId).executeTakeFirstOrThrow();
    expect(settlement).toEqual({ refunded_minor: "10000", commission_refunded_minor: settlement.commission_minor, commission_minor: "1000" });

    const late = await deliveredOrder(p);
    await db.updateTable("orders").set({ delivered_at: sql<Date>`now() - interval '14 days'` }).where("id", "=", late).execute();
    await refused(() => openDispute(p.buyer.admin, { orderId: late, reason: "Too late" }), "CONFLICT", { _form: ["order.dispute_window_closed"] });
    await db.updateTable("orders").set({ delivered_at: sql<Date>`now() - interval '13 days 23 hours'` }).where("id", "=", late).execute();
    expect(await openDispute(p.buyer.admin, { orderId: late, reason: "Just in time" })).toMatchObject({ orderId: late });
  });

  test("operators list disputes (open first, filters) and read one; other kinds of members cannot", async () => {
    const list = await listDisputes(moderator, {});
    expect(list.counts).toEqual({ open: 1, resolved: 3 });
    expect(list.items[0]).toMatchObject({ status: "open", reason: "Just in time" });
    expect(list.items.slice(1).every((d) => d.status === "resolved")).toBe(true);
    expect((await listDisputes(moderator, { status: "resolved" })).items).toHaveLength(3);
    const first = list.items[0]!;
    expect((await listDisputes(moderator, { q: first.order.reference })).items.map((d) => d.id)).toEqual([first.id]);
    expect((await listDisputes(moderator, { q: first.seller.name })).total).toBeGreaterThan(0);
    expect((await domainErrorOf(listDisputes(moderator, { status: "closed" }))).fieldErrors).toEqual({ status: ["dispute.filter.status_invalid"] });
    const p = await parties(db);
    // Finance reads disputes too (it refunds); buyers and sellers do not.
    expect((await listDisputes(finance, {})).counts).toEqual({ open: 1, resolved: 3 });
    for (const call of [() => listDisputes(p.buyer.admin, {}), () => listDisputes(p.seller.owner, {}), () => getDispute(p.seller.owner, { disputeId: first.id })]) {
      expect((await domainErrorOf(call())).code).toBe("FORBIDDEN");
    }
    expect((await domainErrorOf(getDispute(moderator, { disputeId: "nope" }))).code).toBe("NOT_FOUND");
    const detail = await getDispute(moderator, { disputeId: first.id });
    expect(detail.order.timeline.map((e) => e.kind)).toEqual(["placed", "accepted", "shipped", "delivered", "dispute_opened"]);
    // Operators see who acted on both sides.
    expect(detail.order.timeline.find((e) => e.kind === "dispute_opened")!.actorName).toMatch(/^admin of /);
    expect(detail.order.moves).toEqual(["resolve_dispute"]);
  });
});
