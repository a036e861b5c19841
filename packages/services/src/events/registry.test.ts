import { afterEach, describe, expect, test } from "vitest";
import { isDomainError } from "@souk/domain";
import type { SellerSuspendedPayload } from "@souk/jobs";
import { createTestDatabase } from "@souk/testing";
import { TEST_URLS } from "../identity/test-support";
import { BUILT_IN_CONSUMERS } from "./consumers";
import { dispatchEvent, EventConsumersFailedError, eventConsumersOf, registerEventConsumer, type DomainEvent } from "./registry";

const { db } = await createTestDatabase();
const deps = { db, publicUrls: TEST_URLS };

const unregister: (() => void)[] = [];
afterEach(() => {
  for (const remove of unregister.splice(0)) remove();
});
function register(...args: Parameters<typeof registerEventConsumer<"seller.suspended">>) {
  unregister.push(registerEventConsumer(...args));
}

const payload: SellerSuspendedPayload = {
  organizationId: "5b7e2a3c-8a4e-4f0b-9d7c-1e2f3a4b5c6d",
  decisionId: "7",
  reason: "Fraud",
  at: "2030-03-14T10:00:00.000Z",
};

describe("event consumers", () => {
  test("the catalogue consumes both seller events by queueing the seller's search sync, once per delivery", async () => {
    expect(BUILT_IN_CONSUMERS.map((c) => [c.topic, c.name])).toEqual([
      ["seller.suspended", "catalogue"],
      ["seller.reinstated", "catalogue"],
      ["seller.suspended", "rfqs"],
      ["seller.suspended", "payouts"],
      ["seller.reinstated", "payouts"],
    ]);
    expect(eventConsumersOf("seller.suspended").map((c) => c.name)).toEqual(["catalogue", "rfqs", "payouts"]);
    expect(eventConsumersOf("seller.reinstated").map((c) => c.name)).toEqual(["catalogue", "payouts"]);

    const sellerId = "0d2c6f1e-3b4a-4c5d-8e9f-a0b1c2d3e4f5";
    expect(await dispatchEvent(deps, { topic: "seller.suspended", outboxId: "1", payload: { ...payload, organizationId: sellerId } })).toEqual({
      topic: "seller.suspended",
      consumers: ["catalogue", "rfqs", "payouts"],
    });
    const reinstated = { organizationId: sellerId, decisionId: "8", at: "2030-03-15T10:00:00.000Z" };
    expect(await dispatchEvent(deps, { topic: "seller.reinstated", outboxId: "2", payload: reinstated })).toEqual({
      topic: "seller.reinstated",
      consumers: ["catalogue", "payouts"],
    });
    const syncs = await db.selectFrom("outbox").select(["topic", "payload"]).where("topic", "=", "search.seller.sync").orderBy("id").execute();
    expect(syncs.filter((r) => (r.payload as { sellerId: string }).sellerId === sellerId)).toEqual([
      { topic: "search.seller.sync", payload: { sellerId } },
      { topic: "search.seller.sync", payload: { sellerId } },
    ]);
  });

  test("dispatch hands the parsed event to each consumer of its topic, in registration order", async () => {
    const calls: string[] = [];
    const received: DomainEvent<"seller.suspended">[] = [];
    register("seller.suspended", "rfq", async (_deps, event) => {
      calls.push("rfq");
      received.push(event);
    });
    register("seller.suspended", "settlement", async () => void calls.push("settlement"));
    unregister.push(registerEventConsumer("seller.reinstated", "rfq", async () => void calls.push("reinstated")));

    const result = await dispatchEvent(deps, { topic: "seller.suspended", outboxId: "12", payload: { ...payload, extra: "dropped" } });
    expect(result).toEqual({ topic: "seller.suspended", consumers: ["catalogue", "rfqs", "payouts", "rfq", "settlement"] });
    expect(calls).toEqual(["rfq", "settlement"]);
    expect(received).toEqual([{ topic: "seller.suspended", outboxId: "12", payload }]);
  });

  test("a failing consumer does not stop the others; the failures come back together so the event is retried", async () => {
    const calls: string[] = [];
    register("seller.suspended", "rfq", async () => {
      calls.push("rfq");
      throw new Error("offers table locked");
    });
    register("seller.suspended", "settlement", async () => void calls.push("settlement"));
    const error = await dispatchEvent(deps, { topic: "seller.suspended", outboxId: "3", payload }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EventConsumersFailedError);
    expect((error as EventConsumersFailedError).failed.map((f) => f.consumer)).toEqual(["rfq"]);
    expect((error as Error).message).toContain("rfq: Error: offers table locked");
    expect(isDomainError(error)).toBe(false);
    expect(calls).toEqual(["rfq", "settlement"]);
  });

  test("an unknown topic or an invalid payload can never succeed: a VALIDATION error, and no consumer runs", async () => {
    let ran = false;
    register("seller.suspended", "rfq", async () => void (ran = true));
    const outboxBefore = await db.selectFrom("outbox").select("id").execute();
    for (const input of [
      { topic: "notification.email", outboxId: "1", payload },
      { topic: "seller.deleted", outboxId: "1", payload },
      { topic: "seller.suspended", outboxId: "1", payload: { ...payload, decisionId: "x" } },
      { topic: "seller.suspended", outboxId: "x", payload },
    ]) {
      const error = await dispatchEvent(deps, input).catch((e: unknown) => e);
      expect(isDomainError(error) && error.code).toBe("VALIDATION");
    }
    expect(ran).toBe(false);
    // Nor the catalogue's, which would have queued a search sync.
    expect(await db.selectFrom("outbox").select("id").execute()).toEqual(outboxBefore);
  });

  test("refuses a second consumer of the same name for a topic, a bad name and a topic that is no event", () => {
    expect(() => registerEventConsumer("seller.suspended", "catalogue", async () => undefined)).toThrow(/already registered/);
    register("seller.suspended", "rfq", async () => undefined);
    expect(() => registerEventConsumer("seller.suspended", "rfq", async () => undefined)).toThrow(/already registered/);
    expect(() => registerEventConsumer("seller.suspended", "Catalogue Service", async () => undefined)).toThrow(/Invalid event consumer name/);
    expect(() => registerEventConsumer("notification.email" as "seller.suspended", "x", async () => undefined)).toThrow(/not a domain event/);
    // Unregistering frees the name.
    for (const remove of unregister.splice(0)) remove();
    expect(eventConsumersOf("seller.suspended").map((c) => c.name)).toEqual(["catalogue", "rfqs", "payouts"]);
    register("seller.suspended", "rfq", async () => undefined);
    expect(eventConsumersOf("seller.suspended").map((c) => c.name)).toEqual(["catalogue", "rfqs", "payouts", "rfq"]);
  });
});
