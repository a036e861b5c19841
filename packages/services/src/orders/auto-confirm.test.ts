import { sql } from "kysely";
import { afterEach, describe, expect, test, vi } from "vitest";
import { createTestDatabase } from "@souk/testing";
import { TEST_URLS } from "../identity/test-support";
import { notified } from "../approvals/test-support";
import { acceptOrder } from "./accept-order";
import { confirmDelivery } from "./confirm-delivery";
import { confirmDueDeliveries } from "./confirm-due-deliveries";
import { shipOrder } from "./ship-order";
import { orderRow, outboxPayloads, parties, placedOrder } from "./test-support";

const { db } = await createTestDatabase();
const deps = { db, publicUrls: TEST_URLS };

afterEach(() => {
  vi.useRealTimers();
});

async function shippedOrder(p: Awaited<ReturnType<typeof parties>>, shippedAgo: string) {
  const order = await placedOrder(db, p.buyer.id, p.seller.id);
  await acceptOrder(p.seller.owner, { orderId: order.id });
  await shipOrder(p.seller.owner, { orderId: order.id, carrier: "DHL", trackingReference: `T-${order.id.slice(0, 8)}` });
  // Pinned by the database clock: shipped that long before the database's now.
  await db.updateTable("orders").set({ shipped_at: sql<Date>`now() - ${shippedAgo}::interval` }).where("id", "=", order.id).execute();
  return order.id;
}

describe("automatic confirmation of delivery", () => {
  test("every shipped order whose shipped_at + N days is reached by the DATABASE clock is delivered by 'auto'; the app's clock does not count; a second sweep does nothing", async () => {
    const p = await parties(db);
    const due = await shippedOrder(p, "7 days 1 minute");
    const exactly = await shippedOrder(p, "7 days");
    const notYet = await shippedOrder(p, "6 days 23 hours 59 minutes");
    const placed = await placedOrder(db, p.buyer.id, p.seller.id);

    // The application's clock far in the future changes nothing: only the database's now() decides.
    vi.useFakeTimers({ now: new Date("2099-01-01T00:00:00Z"), toFake: ["Date"] });
    const { orderIds } = await confirmDueDeliveries(deps, { autoConfirmDays: 7 });
    vi.useRealTimers();
    expect(orderIds.sort()).toEqual([due, exactly].sort());

    for (const id of [due, exactly]) {
      expect(await orderRow(db, id)).toMatchObject({ status: "delivered", delivery_confirmed_by: "auto", delivered_at: expect.any(Date), version: 4 });
      const event = await db.selectFrom("order_events").select(["kind", "actor_kind", "actor_user_id", "data"]).where("order_id", "=", id).orderBy("id", "desc").executeTakeFirstOrThrow();
      expect(event).toEqual({ kind: "delivered", actor_kind: "system", actor_user_id: null, data: { confirmedBy: "auto" } });
    }
    expect((await orderRow(db, notYet)).status).toBe("shipped");
    expect((await orderRow(db, placed.id)).status).toBe("placed");
    expect((await outboxPayloads(db, "order.settle")).map((p) => (p as { orderId: string }).orderId).sort()).toEqual([due, exactly].sort());
    // The buyer hears it may still dispute; the seller that the delivery is confirmed.
    expect((await notified(db, "order.auto_confirmed")).map((n) => n.organizationId)).toEqual([p.buyer.id, p.buyer.id, p.buyer.id, p.buyer.id]);
    expect((await notified(db, "order.delivered")).every((n) => n.organizationId === p.seller.id)).toBe(true);

    expect((await confirmDueDeliveries(deps, { autoConfirmDays: 7 })).orderIds).toEqual([]);
    // A shorter setting reaches the third one.
    expect((await confirmDueDeliveries(deps, { autoConfirmDays: 6 })).orderIds).toEqual([notYet]);
  });

  test("the sweep works in batches, and never confirms an order the buyer confirmed meanwhile", async () => {
    const p = await parties(db);
    const ids = [];
    for (let i = 0; i < 5; i += 1) ids.push(await shippedOrder(p, "30 days"));
    await confirmDelivery(p.buyer.purchaser, { orderId: ids[0]! });
    const settleBefore = (await outboxPayloads(db, "order.settle")).length;
    const { orderIds } = await confirmDueDeliveries(deps, { autoConfirmDays: 10, batchSize: 2 });
    expect(orderIds.sort()).toEqual(ids.slice(1).sort());
    expect((await orderRow(db, ids[0]!)).delivery_confirmed_by).toBe("buyer");
    expect((await outboxPayloads(db, "order.settle")).length).toBe(settleBefore + 4);
  });

  test("two sweeps at once confirm each order once", async () => {
    const p = await parties(db);
    const ids = [];
    for (let i = 0; i < 6; i += 1) ids.push(await shippedOrder(p, "3 days"));
    const before = (await outboxPayloads(db, "order.settle")).length;
    const [a, b] = await Promise.all([confirmDueDeliveries(deps, { autoConfirmDays: 2, batchSize: 2 }), confirmDueDeliveries(deps, { autoConfirmDays: 2, batchSize: 2 })]);
    expect([...a.orderIds, ...b.orderIds].sort()).toEqual(ids.sort());
    expect((await outboxPayloads(db, "order.settle")).length).toBe(before + 6);
    const delivered = await db.selectFrom("order_events").select((eb) => eb.fn.countAll<string>().as("n")).where("order_id", "in", ids).where("kind", "=", "delivered").executeTakeFirstOrThrow();
    expect(Number(delivered.n)).toBe(6);
  });

  test("a bad setting is refused", async () => {
    await expect(confirmDueDeliveries(deps, { autoConfirmDays: -1 })).rejects.toMatchObject({ code: "VALIDATION", fieldErrors: { autoConfirmDays: ["order.auto_confirm_days_invalid"] } });
  });
});
