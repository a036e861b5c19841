import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isDomainError } from "./errors";
import {
  ORDER_MOVES,
  ORDER_SIDES,
  ORDER_STATUSES,
  ORDER_TRANSITIONS,
  allowedOrderMoves,
  autoConfirmDueAt,
  canMoveOrder,
  disputeWindowClosesAt,
  isOrderMove,
  isOrderSide,
  isOrderStatus,
  moveOrder,
  orderIsDueForAutoConfirm,
  type OrderMove,
  type OrderMoveContext,
  type OrderSide,
  type OrderStatus,
} from "./order-status";

const DAY = 86_400_000;
const NOW = new Date("2026-03-01T12:00:00Z");
const at = (offsetMs: number) => new Date(NOW.getTime() + offsetMs);

/**
 * The whole table, written out by hand independently of ORDER_TRANSITIONS: for each move, each
 * side allowed to make it and, per status it may be made from, the resulting status.
 */
const LEGAL: Record<OrderMove, Partial<Record<OrderSide, Partial<Record<OrderStatus, OrderStatus>>>>> = {
  accept: { seller: { placed: "accepted" } },
  reject: { seller: { placed: "rejected" } },
  ship: { seller: { accepted: "shipped" } },
  confirm_delivery: { buyer: { shipped: "delivered" } },
  auto_confirm: { system: { shipped: "delivered" } },
  cancel: { buyer: { placed: "cancelled" } },
  request_cancellation: { buyer: { accepted: "accepted" }, seller: { placed: "placed", accepted: "accepted" } },
  consent_cancellation: {
    buyer: { placed: "cancelled", accepted: "cancelled" },
    seller: { placed: "cancelled", accepted: "cancelled" },
  },
  decline_cancellation: { buyer: { placed: "placed", accepted: "accepted" }, seller: { placed: "placed", accepted: "accepted" } },
  settle: { system: { delivered: "settled" } },
  open_dispute: { buyer: { delivered: "delivered", settled: "settled" } },
  resolve_dispute: { operator: { delivered: "delivered", settled: "settled" } },
};

const other = (side: OrderSide): "buyer" | "seller" => (side === "buyer" ? "seller" : "buyer");

/** A context in which every guard and form field passes for `move` made by `by`. */
function passing(move: OrderMove, by: OrderSide): OrderMoveContext {
  return {
    by,
    now: NOW,
    shippedAt: at(-10 * DAY),
    deliveredAt: at(-1 * DAY),
    autoConfirmDays: 7,
    disputeWindowDays: 14,
    cancellationRequestedBy: move === "consent_cancellation" || move === "decline_cancellation" ? other(by) : null,
    disputeOpen: move === "resolve_dispute",
    disputeResolved: false,
    reason: "Out of stock",
    carrier: "DHL",
    trackingReference: "JD014600003SE",
  };
}

const cases = ORDER_MOVES.flatMap((move) =>
  ORDER_STATUSES.flatMap((from) => ORDER_SIDES.map((by) => ({ move, from, by, to: LEGAL[move][by]?.[from] }))),
);

function expectError(fn: () => unknown, code: string, fieldErrors?: Record<string, string[]>): void {
  try {
    fn();
  } catch (error) {
    expect(isDomainError(error) && error.code).toBe(code);
    if (fieldErrors) expect(isDomainError(error) && error.fieldErrors).toEqual(fieldErrors);
    return;
  }
  expect.fail(`expected a ${code} DomainError`);
}

const refused = (key: string) => ({ _form: [key] });

describe("order state machine: the table", () => {
  it("covers every status × move × side (7 × 12 × 4)", () => {
    expect(cases).toHaveLength(7 * 12 * 4);
    expect(cases.filter((c) => c.to)).toHaveLength(22);
  });

  it.each(cases.filter((c) => c.to))("$by: $move from $from → $to", ({ move, from, by, to }) => {
    expect(canMoveOrder(from, move, by)).toBe(true);
    expect(moveOrder(from, move, passing(move, by))).toBe(to);
  });

  it.each(cases.filter((c) => !c.to))("$by: $move from $from is refused", ({ move, from, by }) => {
    expect(canMoveOrder(from, move, by)).toBe(false);
    // Every guard passes and every field is filled: only the table can refuse it.
    expectError(() => moveOrder(from, move, passing(move, by)), "CONFLICT", refused("order.move_not_allowed"));
    expect(allowedOrderMoves(from, passing(move, by))).not.toContain(move);
  });

  it("the exported table agrees with the one written here", () => {
    for (const move of ORDER_MOVES) {
      const sides = Object.keys(ORDER_TRANSITIONS[move].from).sort();
      expect(sides, move).toEqual(Object.keys(LEGAL[move]).sort());
    }
  });

  it("rejected and cancelled are final for everyone; settled only takes dispute moves", () => {
    for (const by of ORDER_SIDES) {
      for (const status of ["rejected", "cancelled"] as const) {
        expect(ORDER_MOVES.filter((m) => canMoveOrder(status, m, by))).toEqual([]);
      }
      expect(ORDER_MOVES.filter((m) => canMoveOrder("settled", m, by)).every((m) => m === "open_dispute" || m === "resolve_dispute")).toBe(true);
    }
  });

  it("checks the table before anything else (no field error leaks for a move that is not allowed)", () => {
    const bare: OrderMoveContext = {
      by: "buyer",
      now: NOW,
      shippedAt: null,
      deliveredAt: null,
      autoConfirmDays: 7,
      disputeWindowDays: 14,
      cancellationRequestedBy: null,
      disputeOpen: false,
    };
    expectError(() => moveOrder("placed", "reject", bare), "CONFLICT", refused("order.move_not_allowed"));
    expectError(() => moveOrder("accepted", "ship", { ...bare, by: "buyer" }), "CONFLICT", refused("order.move_not_allowed"));
    expectError(() => moveOrder("delivered", "ship", { ...bare, by: "seller" }), "CONFLICT", refused("order.move_not_allowed"));
    expectError(() => moveOrder("shipped", "auto_confirm", { ...bare, by: "buyer" }), "CONFLICT", refused("order.move_not_allowed"));
  });

  it("the error message is always order.move_not_allowed for a refusal", () => {
    try {
      moveOrder("settled", "settle", passing("settle", "system"));
      expect.fail("expected a refusal");
    } catch (error) {
      expect(isDomainError(error) && error.message).toBe("order.move_not_allowed");
      expect(isDomainError(error) && error.status).toBe(409);
    }
  });
});

describe("order state machine: guards", () => {
  it("reject, cancel and request_cancellation need a non-blank reason", () => {
    const moves: [OrderStatus, OrderMove, OrderSide][] = [
      ["placed", "reject", "seller"],
      ["placed", "cancel", "buyer"],
      ["accepted", "request_cancellation", "buyer"],
      ["placed", "request_cancellation", "seller"],
    ];
    for (const [from, move, by] of moves) {
      for (const reason of [undefined, null, "", "  \n\t"]) {
        expectError(() => moveOrder(from, move, { ...passing(move, by), reason }), "VALIDATION", { reason: ["order.reason_required"] });
      }
    }
  });

  it("other moves do not need a reason", () => {
    expect(moveOrder("placed", "accept", { ...passing("accept", "seller"), reason: null })).toBe("accepted");
    expect(moveOrder("accepted", "consent_cancellation", { ...passing("consent_cancellation", "seller"), reason: null })).toBe("cancelled");
  });

  it("ship needs a carrier and a tracking reference, both reported at once", () => {
    const ctx = passing("ship", "seller");
    expectError(() => moveOrder("accepted", "ship", { ...ctx, carrier: " ", trackingReference: null }), "VALIDATION", {
      carrier: ["order.carrier_required"],
      trackingReference: ["order.tracking_required"],
    });
    expectError(() => moveOrder("accepted", "ship", { ...ctx, carrier: undefined }), "VALIDATION", { carrier: ["order.carrier_required"] });
    expectError(() => moveOrder("accepted", "ship", { ...ctx, trackingReference: "" }), "VALIDATION", { trackingReference: ["order.tracking_required"] });
  });

  it("ship is refused while a cancellation request waits for an answer", () => {
    for (const requester of ["buyer", "seller"] as const) {
      expectError(() => moveOrder("accepted", "ship", { ...passing("ship", "seller"), cancellationRequestedBy: requester }), "CONFLICT", refused("order.cancellation_pending"));
    }
  });

  it("auto_confirm happens at shippedAt + N days, not a millisecond before", () => {
    const ctx = { ...passing("auto_confirm", "system"), shippedAt: at(-7 * DAY), autoConfirmDays: 7 };
    expect(moveOrder("shipped", "auto_confirm", ctx)).toBe("delivered");
    expectError(() => moveOrder("shipped", "auto_confirm", { ...ctx, shippedAt: at(-7 * DAY + 1) }), "CONFLICT", refused("order.auto_confirm_not_due"));
    expect(moveOrder("shipped", "auto_confirm", { ...ctx, autoConfirmDays: 0, shippedAt: NOW })).toBe("delivered");
    expectError(() => moveOrder("shipped", "auto_confirm", { ...ctx, shippedAt: null }), "INVARIANT");
  });

  it("the buyer confirms delivery at any time after shipping", () => {
    expect(moveOrder("shipped", "confirm_delivery", { ...passing("confirm_delivery", "buyer"), shippedAt: NOW })).toBe("delivered");
  });

  it("one cancellation request at a time", () => {
    for (const pending of ["buyer", "seller"] as const) {
      expectError(
        () => moveOrder("accepted", "request_cancellation", { ...passing("request_cancellation", "seller"), cancellationRequestedBy: pending }),
        "CONFLICT",
        refused("order.cancellation_pending"),
      );
    }
  });

  it("the buyer does not request cancellation of a placed order: it cancels it", () => {
    expectError(() => moveOrder("placed", "request_cancellation", passing("request_cancellation", "buyer")), "CONFLICT", refused("order.move_not_allowed"));
    expect(moveOrder("placed", "cancel", passing("cancel", "buyer"))).toBe("cancelled");
    const state = { ...passing("cancel", "buyer"), cancellationRequestedBy: null };
    expect(allowedOrderMoves("placed", state)).toEqual(["cancel"]);
  });

  it("only the side that did not ask consents or declines, and only to a pending request", () => {
    for (const move of ["consent_cancellation", "decline_cancellation"] as const) {
      for (const by of ["buyer", "seller"] as const) {
        expectError(() => moveOrder("accepted", move, { ...passing(move, by), cancellationRequestedBy: by }), "CONFLICT", refused("order.own_cancellation_request"));
        expectError(() => moveOrder("accepted", move, { ...passing(move, by), cancellationRequestedBy: null }), "CONFLICT", refused("order.no_cancellation_request"));
      }
      expectError(() => moveOrder("accepted", move, { ...passing(move, "operator"), cancellationRequestedBy: "buyer" }), "CONFLICT", refused("order.move_not_allowed"));
    }
    expect(moveOrder("accepted", "decline_cancellation", { ...passing("decline_cancellation", "buyer"), cancellationRequestedBy: "seller" })).toBe("accepted");
  });

  it("settle is refused while a dispute is open", () => {
    expectError(() => moveOrder("delivered", "settle", { ...passing("settle", "system"), disputeOpen: true }), "CONFLICT", refused("order.dispute_open"));
    expect(moveOrder("delivered", "settle", { ...passing("settle", "system"), disputeOpen: false })).toBe("settled");
  });

  it("a dispute opens strictly inside the window after delivery, once", () => {
    const ctx = { ...passing("open_dispute", "buyer"), disputeWindowDays: 14 };
    for (const from of ["delivered", "settled"] as const) {
      expect(moveOrder(from, "open_dispute", { ...ctx, deliveredAt: at(-14 * DAY + 1) })).toBe(from);
      expectError(() => moveOrder(from, "open_dispute", { ...ctx, deliveredAt: at(-14 * DAY) }), "CONFLICT", refused("order.dispute_window_closed"));
      expectError(() => moveOrder(from, "open_dispute", { ...ctx, disputeOpen: true }), "CONFLICT", refused("order.dispute_already_open"));
      expectError(() => moveOrder(from, "open_dispute", { ...ctx, disputeResolved: true }), "CONFLICT", refused("order.dispute_already_resolved"));
      expectError(() => moveOrder(from, "open_dispute", { ...ctx, deliveredAt: null }), "INVARIANT");
    }
    // A zero-day window never opens.
    expectError(() => moveOrder("delivered", "open_dispute", { ...ctx, disputeWindowDays: 0, deliveredAt: NOW }), "CONFLICT", refused("order.dispute_window_closed"));
  });

  it("an operator resolves an open dispute only", () => {
    expect(moveOrder("settled", "resolve_dispute", passing("resolve_dispute", "operator"))).toBe("settled");
    expectError(() => moveOrder("settled", "resolve_dispute", { ...passing("resolve_dispute", "operator"), disputeOpen: false }), "CONFLICT", refused("order.no_dispute_open"));
  });

  it("refuses invalid clocks and configuration rather than opening windows by accident", () => {
    expectError(() => moveOrder("placed", "accept", { ...passing("accept", "seller"), now: new Date("nope") }), "INVARIANT");
    expectError(() => moveOrder("shipped", "auto_confirm", { ...passing("auto_confirm", "system"), shippedAt: new Date(Number.NaN) }), "INVARIANT");
    expectError(() => moveOrder("shipped", "auto_confirm", { ...passing("auto_confirm", "system"), autoConfirmDays: -1 }), "INVARIANT");
    expectError(() => moveOrder("shipped", "auto_confirm", { ...passing("auto_confirm", "system"), autoConfirmDays: 1.5 }), "INVARIANT");
    expectError(() => moveOrder("delivered", "open_dispute", { ...passing("open_dispute", "buyer"), disputeWindowDays: Number.NaN }), "INVARIANT");
    expectError(() => allowedOrderMoves("placed", { ...passing("accept", "seller"), now: new Date("nope") }), "INVARIANT");
  });
});

describe("order state machine: buttons and helpers", () => {
  const state = (by: OrderSide, extra: Partial<OrderMoveContext> = {}) => ({ ...passing("accept", by), ...extra });

  it("offers each side only its usable moves", () => {
    expect(allowedOrderMoves("placed", state("seller"))).toEqual(["accept", "reject", "request_cancellation"]);
    expect(allowedOrderMoves("placed", state("seller", { cancellationRequestedBy: "seller" }))).toEqual(["accept", "reject"]);
    expect(allowedOrderMoves("placed", state("buyer", { cancellationRequestedBy: "seller" }))).toEqual(["cancel", "consent_cancellation", "decline_cancellation"]);
    expect(allowedOrderMoves("accepted", state("seller"))).toEqual(["ship", "request_cancellation"]);
    expect(allowedOrderMoves("accepted", state("buyer"))).toEqual(["request_cancellation"]);
    expect(allowedOrderMoves("accepted", state("seller", { cancellationRequestedBy: "buyer" }))).toEqual(["consent_cancellation", "decline_cancellation"]);
    expect(allowedOrderMoves("accepted", state("buyer", { cancellationRequestedBy: "buyer" }))).toEqual([]);
    expect(allowedOrderMoves("shipped", state("buyer"))).toEqual(["confirm_delivery"]);
    expect(allowedOrderMoves("shipped", state("system", { shippedAt: at(-6 * DAY) }))).toEqual([]);
    expect(allowedOrderMoves("shipped", state("system", { shippedAt: at(-7 * DAY) }))).toEqual(["auto_confirm"]);
    expect(allowedOrderMoves("delivered", state("system"))).toEqual(["settle"]);
    expect(allowedOrderMoves("delivered", state("system", { disputeOpen: true }))).toEqual([]);
    expect(allowedOrderMoves("settled", state("buyer"))).toEqual(["open_dispute"]);
    expect(allowedOrderMoves("settled", state("buyer", { deliveredAt: at(-30 * DAY) }))).toEqual([]);
    expect(allowedOrderMoves("settled", state("operator", { disputeOpen: true }))).toEqual(["resolve_dispute"]);
    expect(allowedOrderMoves("settled", state("operator"))).toEqual([]);
    for (const by of ORDER_SIDES) {
      expect(allowedOrderMoves("rejected", state(by))).toEqual([]);
      expect(allowedOrderMoves("cancelled", state(by))).toEqual([]);
    }
  });

  it("a move is offered exactly when moveOrder accepts it with the form filled in (random states)", () => {
    const date = fc.integer({ min: -40, max: 40 }).map((d) => at(d * DAY / 2));
    const arb = fc.record({
      status: fc.constantFrom(...ORDER_STATUSES),
      move: fc.constantFrom(...ORDER_MOVES),
      by: fc.constantFrom(...ORDER_SIDES),
      shippedAt: date,
      deliveredAt: date,
      autoConfirmDays: fc.integer({ min: 0, max: 20 }),
      disputeWindowDays: fc.integer({ min: 0, max: 20 }),
      cancellationRequestedBy: fc.constantFrom(null, "buyer" as const, "seller" as const),
      disputeOpen: fc.boolean(),
      disputeResolved: fc.boolean(),
    });
    fc.assert(
      fc.property(arb, ({ status, move, ...rest }) => {
        const ctx: OrderMoveContext = { ...rest, now: NOW, reason: "r", carrier: "c", trackingReference: "t" };
        let result: OrderStatus | null = null;
        try {
          result = moveOrder(status, move, ctx);
        } catch (error) {
          expect(isDomainError(error) && error.code).toBe("CONFLICT");
        }
        expect(allowedOrderMoves(status, ctx).includes(move)).toBe(result !== null);
        if (result !== null) {
          expect(canMoveOrder(status, move, ctx.by)).toBe(true);
          expect(result).toBe(LEGAL[move][ctx.by]?.[status]);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it("autoConfirmDueAt and disputeWindowClosesAt add whole days of 24 hours", () => {
    // Across the 2026-03-29 daylight-saving change in Europe: still exactly 7 × 24 h.
    const shipped = new Date("2026-03-25T10:00:00Z");
    expect(autoConfirmDueAt(shipped, 7).toISOString()).toBe("2026-04-01T10:00:00.000Z");
    expect(disputeWindowClosesAt(shipped, 0).toISOString()).toBe(shipped.toISOString());
    expect(() => autoConfirmDueAt(new Date("x"), 7)).toThrow();
    expect(() => disputeWindowClosesAt(shipped, -1)).toThrow();
  });

  it("orderIsDueForAutoConfirm drives the sweep and is idempotent", () => {
    expect(orderIsDueForAutoConfirm("shipped", at(-7 * DAY), 7, NOW)).toBe(true);
    expect(orderIsDueForAutoConfirm("shipped", at(-7 * DAY + 1), 7, NOW)).toBe(false);
    expect(orderIsDueForAutoConfirm("delivered", at(-30 * DAY), 7, NOW)).toBe(false);
    expect(orderIsDueForAutoConfirm("shipped", null, 7, NOW)).toBe(false);
  });

  it("recognises its statuses, moves and sides", () => {
    expect(ORDER_STATUSES.every(isOrderStatus)).toBe(true);
    expect(ORDER_MOVES.every(isOrderMove)).toBe(true);
    expect(ORDER_SIDES.every(isOrderSide)).toBe(true);
    for (const junk of ["", "Placed", "pending", "toString", 1, null, undefined]) {
      expect(isOrderStatus(junk)).toBe(false);
      expect(isOrderMove(junk)).toBe(false);
      expect(isOrderSide(junk)).toBe(false);
    }
  });
});
