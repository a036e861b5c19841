import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isDomainError } from "./errors";
import {
  COUNTER_MOVES,
  COUNTER_STATUSES,
  applyCounterTerms,
  buyerSeesOffers,
  counterWindowOpen,
  effectiveCounterStatus,
  isCounterAnswer,
  isCounterStatus,
  linesTotal,
  mergeRevision,
  moveCounter,
  nextCounterRound,
  rfqTakesCounters,
  validateCounterLines,
  validateCounterRevision,
  validateDeclineReason,
  validateRespondBy,
  type CounterMove,
  type NegotiatedLine,
} from "./negotiation";

const NOW = new Date("2026-03-01T12:00:00Z");
const at = (ms: number) => new Date(NOW.getTime() + ms);
const DAY = 86_400_000;

function errorOf(fn: () => unknown): { code: string; fieldErrors: Record<string, string[]> } {
  try {
    fn();
  } catch (error) {
    if (isDomainError(error)) return { code: error.code, fieldErrors: error.fieldErrors };
    throw error;
  }
  throw new Error("expected a domain error");
}

const OFFER: NegotiatedLine[] = [
  { lineId: "a", unitPriceMinor: 1_000n, quantity: 100 },
  { lineId: "b", unitPriceMinor: 250n, quantity: 20 },
];
const FACTS = { rfqLines: [{ id: "a", quantity: 100 }, { id: "b", quantity: 40 }, { id: "c", quantity: 5 }], offerLines: OFFER };

describe("the counter state machine", () => {
  const TO: Record<CounterMove, string> = { accept: "accepted", decline: "declined", revise: "revised", expire: "expired", supersede: "superseded" };

  it("moves a pending counter only, each move to its status", () => {
    for (const move of COUNTER_MOVES) {
      const ctx = { now: NOW, respondBy: move === "expire" ? NOW : at(1) };
      expect(moveCounter("pending", move, ctx)).toBe(TO[move]);
      for (const from of COUNTER_STATUSES.filter((s) => s !== "pending")) {
        expect(errorOf(() => moveCounter(from, move, ctx))).toEqual({ code: "CONFLICT", fieldErrors: { _form: ["counter.not_pending"] } });
      }
    }
  });

  it("refuses the seller's answers at and after respondBy, one millisecond before is in time", () => {
    for (const move of ["accept", "decline", "revise"] as const) {
      expect(moveCounter("pending", move, { now: at(-1), respondBy: NOW })).toBe(TO[move]);
      expect(errorOf(() => moveCounter("pending", move, { now: NOW, respondBy: NOW })).fieldErrors).toEqual({ _form: ["counter.expired"] });
      expect(errorOf(() => moveCounter("pending", move, { now: at(1), respondBy: NOW })).fieldErrors).toEqual({ _form: ["counter.expired"] });
    }
  });

  it("expires only at or after respondBy; supersedes at any time", () => {
    expect(errorOf(() => moveCounter("pending", "expire", { now: at(-1), respondBy: NOW })).fieldErrors).toEqual({ _form: ["counter.not_expired"] });
    expect(moveCounter("pending", "expire", { now: NOW, respondBy: NOW })).toBe("expired");
    expect(moveCounter("pending", "supersede", { now: at(-DAY), respondBy: NOW })).toBe("superseded");
    expect(moveCounter("pending", "supersede", { now: at(DAY), respondBy: NOW })).toBe("superseded");
  });

  it("shows a pending counter past its deadline as expired", () => {
    expect(effectiveCounterStatus("pending", NOW, at(-1))).toBe("pending");
    expect(effectiveCounterStatus("pending", NOW, NOW)).toBe("expired");
    expect(effectiveCounterStatus("accepted", NOW, at(DAY))).toBe("accepted");
  });

  it("window: strictly before the deadline, for any instants (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), fc.integer({ min: -1e12, max: 1e12 }), (a, b) => {
        expect(counterWindowOpen(at(a), at(b))).toBe(b < a);
      }),
    );
    expect(() => counterWindowOpen(new Date(Number.NaN), NOW)).toThrow();
  });

  it("recognises statuses and answers", () => {
    expect(isCounterStatus("pending")).toBe(true);
    expect(isCounterStatus("open")).toBe(false);
    expect(isCounterAnswer("revise")).toBe(true);
    expect(isCounterAnswer("expire")).toBe(false);
  });

  it("numbers rounds from 1", () => {
    expect(nextCounterRound(null)).toBe(1);
    expect(nextCounterRound(3)).toBe(4);
  });
});

describe("when the buyer may counter", () => {
  it("after the close whatever the sealing, while open only with open bidding", () => {
    expect(rfqTakesCounters("closed", "sealed")).toBe(true);
    expect(rfqTakesCounters("closed", "open")).toBe(true);
    expect(rfqTakesCounters("open", "open")).toBe(true);
    expect(rfqTakesCounters("open", "sealed")).toBe(false);
    for (const status of ["draft", "final_round", "awarded", "cancelled"]) {
      expect(rfqTakesCounters(status, "open")).toBe(false);
      expect(rfqTakesCounters(status, "sealed")).toBe(false);
    }
  });

  it("a sealed RFQ's offers do not exist for the buyer before the close", () => {
    expect(buyerSeesOffers("open", "sealed")).toBe(false);
    expect(buyerSeesOffers("final_round", "sealed")).toBe(false);
    expect(buyerSeesOffers("cancelled", "sealed")).toBe(false);
    expect(buyerSeesOffers("closed", "sealed")).toBe(true);
    expect(buyerSeesOffers("awarded", "sealed")).toBe(true);
    expect(buyerSeesOffers("open", "open")).toBe(true);
    expect(buyerSeesOffers("draft", "open")).toBe(false);
  });
});

describe("the response deadline", () => {
  it("must be strictly after now and at most 30 days ahead", () => {
    expect(validateRespondBy(null, NOW)).toEqual({ respondBy: ["counter.respond_by_required"] });
    expect(validateRespondBy(new Date(Number.NaN), NOW)).toEqual({ respondBy: ["counter.respond_by_required"] });
    expect(validateRespondBy(NOW, NOW)).toEqual({ respondBy: ["counter.respond_by_in_past"] });
    expect(validateRespondBy(at(-1), NOW)).toEqual({ respondBy: ["counter.respond_by_in_past"] });
    expect(validateRespondBy(at(1), NOW)).toEqual({});
    expect(validateRespondBy(at(30 * DAY), NOW)).toEqual({});
    expect(validateRespondBy(at(30 * DAY + 1), NOW)).toEqual({ respondBy: ["counter.respond_by_too_far"] });
  });
});

describe("the counter's lines", () => {
  const target = (lineId: string, price: bigint | null, quantity: number | null) => ({ lineId, targetUnitPriceMinor: price, targetQuantity: quantity });

  it("accept a subset of the offer's lines with a price and/or a quantity", () => {
    expect(validateCounterLines(FACTS, [target("a", 900n, null)])).toEqual({});
    expect(validateCounterLines(FACTS, [target("b", null, 40)])).toEqual({});
    expect(validateCounterLines(FACTS, [target("a", 950n, 80), target("b", 200n, null)])).toEqual({});
  });

  it("refuse every bad line with its key", () => {
    expect(validateCounterLines(FACTS, [])).toEqual({ lines: ["counter.lines_empty"] });
    // c is a line of the RFQ the offer does not bid on; z is no line at all.
    expect(validateCounterLines(FACTS, [target("c", 10n, null), target("z", 10n, null)])).toEqual({
      "lines.0.lineId": ["counter.line_not_in_offer"],
      "lines.1.lineId": ["counter.line_not_in_offer"],
    });
    expect(validateCounterLines(FACTS, [target("a", 900n, null), target("a", 800n, null)])).toEqual({ "lines.1.lineId": ["counter.line_duplicate"] });
    expect(validateCounterLines(FACTS, [target("a", null, null)])).toEqual({ "lines.0": ["counter.target_required"] });
    expect(validateCounterLines(FACTS, [target("a", 0n, null)])).toEqual({ "lines.0.targetUnitPrice": ["counter.price_not_positive"] });
    expect(validateCounterLines(FACTS, [target("a", -5n, null)])).toEqual({ "lines.0.targetUnitPrice": ["counter.price_not_positive"] });
    expect(validateCounterLines(FACTS, [target("a", 9_007_199_254_740_992n, null)])).toEqual({ "lines.0.targetUnitPrice": ["counter.price_too_large"] });
    expect(validateCounterLines(FACTS, [target("a", null, 0)])).toEqual({ "lines.0.targetQuantity": ["counter.quantity_not_positive"] });
    expect(validateCounterLines(FACTS, [target("a", null, 1.5)])).toEqual({ "lines.0.targetQuantity": ["counter.quantity_not_positive"] });
    expect(validateCounterLines(FACTS, [target("a", null, 101)])).toEqual({ "lines.0.targetQuantity": ["counter.quantity_exceeds_asked"] });
    // Quantity up to the RFQ line's, not the offer's: b offers 20 of 40 asked.
    expect(validateCounterLines(FACTS, [target("b", null, 41)])).toEqual({ "lines.0.targetQuantity": ["counter.quantity_exceeds_asked"] });
    expect(validateCounterLines(FACTS, [target("a", 1_000n, 100)])).toEqual({ "lines.0": ["counter.line_unchanged"] });
    expect(validateCounterLines(FACTS, [target("a", 1_000n, null)])).toEqual({ "lines.0": ["counter.line_unchanged"] });
  });

  it("refuse a total beyond a bigint column", () => {
    const big = { rfqLines: [{ id: "a", quantity: 1_000_000_000 }], offerLines: [{ lineId: "a", unitPriceMinor: 1n, quantity: 1 }] };
    expect(validateCounterLines(big, [target("a", 9_007_199_254_740_991n, 1_000_000_000)])).toEqual({ lines: ["counter.total_too_large"] });
  });

  it("taking the targets changes only the targeted lines, and only what is targeted", () => {
    const after = applyCounterTerms(OFFER, [target("a", 900n, null), target("b", null, 10)]);
    expect(after).toEqual([
      { lineId: "a", unitPriceMinor: 900n, quantity: 100 },
      { lineId: "b", unitPriceMinor: 250n, quantity: 10 },
    ]);
    expect(linesTotal(after)).toBe(92_500n);
    // The offer itself is never touched.
    expect(OFFER[0]).toEqual({ lineId: "a", unitPriceMinor: 1_000n, quantity: 100 });
  });

  it("never raises a price that was not targeted (property)", () => {
    fc.assert(
      fc.property(fc.subarray(["a", "b"]), fc.bigInt({ min: 1n, max: 10_000n }), (ids, price) => {
        const after = applyCounterTerms(OFFER, ids.map((id) => target(id, price, null)));
        for (const line of after) {
          const before = OFFER.find((l) => l.lineId === line.lineId) as NegotiatedLine;
          expect(line.unitPriceMinor).toBe(ids.includes(line.lineId) ? price : before.unitPriceMinor);
          expect(line.quantity).toBe(before.quantity);
        }
      }),
    );
  });
});

describe("the seller's revision", () => {
  it("changes some of its own lines and keeps the rest", () => {
    const revised = [{ lineId: "b", unitPriceMinor: 240n, quantity: 20 }];
    expect(validateCounterRevision(OFFER, revised)).toEqual({});
    expect(mergeRevision(OFFER, revised)).toEqual([OFFER[0], { lineId: "b", unitPriceMinor: 240n, quantity: 20 }]);
  });

  it("cannot add a line, nor change nothing", () => {
    expect(validateCounterRevision(OFFER, [{ lineId: "c", unitPriceMinor: 1n, quantity: 1 }])).toEqual({ "lines.0.lineId": ["counter.line_not_in_offer"] });
    expect(validateCounterRevision(OFFER, [{ lineId: "a", unitPriceMinor: 1_000n, quantity: 100 }])).toEqual({ lines: ["counter.revision_unchanged"] });
    expect(validateCounterRevision(OFFER, [])).toEqual({ lines: ["counter.revision_unchanged"] });
  });
});

describe("the decline reason", () => {
  it("is required and at most 2,000 characters", () => {
    expect(validateDeclineReason("")).toEqual({ reason: ["counter.reason_required"] });
    expect(validateDeclineReason("   ")).toEqual({ reason: ["counter.reason_required"] });
    expect(validateDeclineReason(undefined)).toEqual({ reason: ["counter.reason_required"] });
    expect(validateDeclineReason("Below our cost.")).toEqual({});
    expect(validateDeclineReason("x".repeat(2000))).toEqual({});
    expect(validateDeclineReason("x".repeat(2001))).toEqual({ reason: ["counter.reason_too_long"] });
  });
});
