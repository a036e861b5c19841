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
  test("none is registered yet: the catalogue, RFQ and settlement issues add theirs", async () => {
    expect(BUILT_IN_CONSUMERS).toEqual([]);
    expect(eventConsumersOf("seller.suspended")).toEqual([]);
    expect(await dispatchEvent(deps, { topic: "seller.suspended", outboxId: "1", payload })).toEqual({ topic: "seller.suspended", consumers: [] });
  });

  test("dispatch hands the parsed event to each consumer of its topic, in registration order", async () => {
    const calls: string[] = [];
    const received: DomainEvent<"seller.suspended">[] = [];
    register("seller.suspended", "catalogue", async (_deps, event) => {
      calls.push("catalogue");
      received.push(event);
    });
    register("seller.suspended", "rfq", async () => void calls.push("rfq"));
    unregister.push(registerEventConsumer("seller.reinstated", "catalogue", async () => void calls.push("reinstated")));

    const result = await dispatchEvent(deps, { topic: "seller.suspended", outboxId: "12", payload: { ...payload, extra: "dropped" } });
    expect(result).toEqual({ topic: "seller.suspended", consumers: ["catalogue", "rfq"] });
    expect(calls).toEqual(["catalogue", "rfq"]);
    expect(received).toEqual([{ topic: "seller.suspended", outboxId: "12", payload }]);
  });

  test("a failing consumer does not stop the others; the failures come back together so the event is retried", async () => {
    const calls: string[] = [];
    register("seller.suspended", "catalogue", async () => {
      calls.push("catalogue");
      throw new Error("search index down");
    });
    register("seller.suspended", "settlement", async () => void calls.push("settlement"));
    const error = await dispatchEvent(deps, { topic: "seller.suspended", outboxId: "3", payload }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EventConsumersFailedError);
    expect((error as EventConsumersFailedError).failed.map((f) => f.consumer)).toEqual(["catalogue"]);
    expect((error as Error).message).toContain("catalogue: Error: search index down");
    expect(isDomainError(error)).toBe(false);
    expect(calls).toEqual(["catalogue", "settlement"]);
  });

  test("an unknown topic or an invalid payload can never succeed: a VALIDATION error, and no consumer runs", async () => {
    let ran = false;
    register("seller.suspended", "catalogue", async () => void (ran = true));
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
  });

  test("refuses a second consumer of the same name for a topic, a bad name and a topic that is no event", () => {
    register("seller.suspended", "catalogue", async () => undefined);
    expect(() => registerEventConsumer("seller.suspended", "catalogue", async () => undefined)).toThrow(/already registered/);
    expect(() => registerEventConsumer("seller.suspended", "Catalogue Service", async () => undefined)).toThrow(/Invalid event consumer name/);
    expect(() => registerEventConsumer("notification.email" as "seller.suspended", "x", async () => undefined)).toThrow(/not a domain event/);
    // Unregistering frees the name.
    for (const remove of unregister.splice(0)) remove();
    register("seller.suspended", "catalogue", async () => undefined);
    expect(eventConsumersOf("seller.suspended").map((c) => c.name)).toEqual(["catalogue"]);
  });
});
