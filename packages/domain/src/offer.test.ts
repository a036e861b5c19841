import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isDomainError } from "./errors";
import { money, type Money } from "./money";
import {
  OFFER_MOVES,
  OFFER_STATUSES,
  assertOfferWindow,
  availableOfferMoves,
  canMoveOffer,
  isOfferMove,
  isOfferStatus,
  moveOffer,
  offerIsLive,
  offerRoundOf,
  validateOfferLines,
  validateOfferTerms,
  type OfferMove,
  type OfferStatus,
} from "./offer";

const NOW = new Date("2026-03-01T12:00:00Z");
const at = (offsetMs: number) => new Date(NOW.getTime() + offsetMs);
const eur = (amount: number | bigint): Money => money(amount, "EUR");

const LEGAL: Record<OfferMove, Partial<Record<OfferStatus, OfferStatus>>> = {
  revise: { submitted: "revised", revised: "revised" },
  withdraw: { submitted: "withdrawn", revised: "withdrawn" },
  lock: { submitted: "locked", revised: "locked" },
};
const cases = OFFER_MOVES.flatMap((move) => OFFER_STATUSES.map((from) => ({ move, from, to: LEGAL[move][from] })));
/** Sellers move before the deadline, the system locks after it. */
const passing = (move: OfferMove) => ({ now: NOW, deadline: move === "lock" ? NOW : at(1) });

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

describe("offer state machine", () => {
  it.each(cases.filter((c) => c.to))("$move from $from → $to", ({ move, from, to }) => {
    expect(canMoveOffer(from, move)).toBe(true);
    expect(moveOffer(from, move, passing(move))).toBe(to);
  });

  it.each(cases.filter((c) => !c.to))("$move from $from is refused", ({ move, from }) => {
    expect(canMoveOffer(from, move)).toBe(false);
    expectError(() => moveOffer(from, move, passing(move)), "ILLEGAL_TRANSITION", { move: ["offer.illegal_transition"] });
  });

  it.each(["revise", "withdraw"] as const)("%s at or after the deadline is refused", (move) => {
    for (const deadline of [NOW, at(-1)]) {
      expectError(() => moveOffer("submitted", move, { now: NOW, deadline }), "CONFLICT", { offer: ["offer.deadline_passed"] });
    }
  });

  it("lock before the deadline is refused", () => {
    expectError(() => moveOffer("revised", "lock", { now: NOW, deadline: at(1) }), "CONFLICT", { move: ["offer.deadline_not_reached"] });
  });

  it("a revision can be revised again any number of times before the deadline", () => {
    let status: OfferStatus = "submitted";
    for (let i = 0; i < 5; i++) status = moveOffer(status, "revise", passing("revise"));
    expect(status).toBe("revised");
  });

  it("offers the seller its moves only while the window is open", () => {
    expect(availableOfferMoves("submitted", { now: NOW, deadline: at(1) })).toEqual(["revise", "withdraw"]);
    expect(availableOfferMoves("revised", { now: NOW, deadline: NOW })).toEqual([]);
    expect(availableOfferMoves("withdrawn", { now: NOW, deadline: at(1) })).toEqual([]);
    expect(availableOfferMoves("locked", { now: NOW, deadline: at(1) })).toEqual([]);
  });

  it("in a final round a shortlisted seller's final offer opens for revision, is never withdrawn, and locks again at the close", () => {
    const final = { round: "final" as const };
    expect(moveOffer("locked", "revise", { now: NOW, deadline: at(1), ...final })).toBe("revised");
    expect(moveOffer("revised", "revise", { now: NOW, deadline: at(1), ...final })).toBe("revised");
    expectError(() => moveOffer("submitted", "revise", { now: NOW, deadline: at(1), ...final }), "ILLEGAL_TRANSITION");
    expectError(() => moveOffer("withdrawn", "revise", { now: NOW, deadline: at(1), ...final }), "ILLEGAL_TRANSITION");
    for (const from of OFFER_STATUSES) {
      expectError(() => moveOffer(from, "withdraw", { now: NOW, deadline: at(1), ...final }), "CONFLICT", { offer: ["offer.final_round_no_withdraw"] });
    }
    for (const deadline of [NOW, at(-1)]) {
      expectError(() => moveOffer("locked", "revise", { now: NOW, deadline, ...final }), "CONFLICT", { offer: ["offer.deadline_passed"] });
    }
    expect(moveOffer("revised", "lock", { now: NOW, deadline: NOW, ...final })).toBe("locked");
    expectError(() => moveOffer("revised", "lock", { now: NOW, deadline: at(1), ...final }), "CONFLICT", { move: ["offer.deadline_not_reached"] });
    expectError(() => moveOffer("locked", "lock", { now: NOW, deadline: NOW, ...final }), "ILLEGAL_TRANSITION");
    expect(availableOfferMoves("locked", { now: NOW, deadline: at(1), ...final })).toEqual(["revise"]);
    expect(availableOfferMoves("revised", { now: NOW, deadline: at(1), ...final })).toEqual(["revise"]);
    expect(availableOfferMoves("locked", { now: NOW, deadline: NOW, ...final })).toEqual([]);
    expect(offerRoundOf("open")).toBe("first");
    expect(offerRoundOf("final_round")).toBe("final");
    for (const status of ["draft", "closed", "awarded", "cancelled"] as const) expect(offerRoundOf(status)).toBeNull();
  });

  it("a final round takes offers from its shortlist only, strictly before its deadline (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: -60_000, max: 60_000 }), fc.boolean(), (offset, shortlisted) => {
        const write = () => assertOfferWindow("final_round", at(offset), NOW, shortlisted);
        if (!shortlisted) expectError(write, "CONFLICT", { offer: ["offer.rfq_not_open"] });
        else if (offset <= 0) expectError(write, "CONFLICT", { offer: ["offer.deadline_passed"] });
        else expect(write).not.toThrow();
      }),
    );
    // A shortlist means nothing outside a final round.
    expectError(() => assertOfferWindow("closed", at(1), NOW, true), "CONFLICT", { offer: ["offer.rfq_not_open"] });
  });

  it("live offers are submitted or revised", () => {
    expect(OFFER_STATUSES.filter(offerIsLive)).toEqual(["submitted", "revised"]);
    expect(OFFER_STATUSES.every(isOfferStatus)).toBe(true);
    expect(OFFER_MOVES.every(isOfferMove)).toBe(true);
    expect(isOfferStatus("draft")).toBe(false);
    expect(isOfferMove("submit")).toBe(false);
  });

  it("assertOfferWindow accepts a submission only on an open RFQ strictly before the deadline", () => {
    expect(() => assertOfferWindow("open", at(1), NOW)).not.toThrow();
    expectError(() => assertOfferWindow("open", NOW, NOW), "CONFLICT", { offer: ["offer.deadline_passed"] });
    for (const status of ["draft", "closed", "awarded", "cancelled"] as const) {
      expectError(() => assertOfferWindow(status, at(1), NOW), "CONFLICT", { offer: ["offer.rfq_not_open"] });
    }
  });
});

describe("validateOfferLines", () => {
  const rfq = { currency: "EUR" as const, lines: [{ id: "l1", quantity: 100 }, { id: "l2", quantity: 10 }] };
  const line = (lineId: string, quantity: number, price: Money = eur(500)) => ({ lineId, quantity, unitPrice: price });

  it("accepts a full offer and a partial one (fewer lines, smaller quantities)", () => {
    expect(validateOfferLines(rfq, { currency: "EUR", lines: [line("l1", 100), line("l2", 10)] })).toEqual({});
    expect(validateOfferLines(rfq, { currency: "EUR", lines: [line("l2", 1)] })).toEqual({});
  });

  it("keys every error to its field", () => {
    const errors = validateOfferLines(rfq, {
      currency: "USD",
      lines: [line("l1", 101), line("nope", 5), line("l1", 0), line("l2", 2.5, eur(0)), line("l2", 3, money(100, "USD"))],
    });
    expect(errors).toEqual({
      currency: ["offer.currency_mismatch"],
      "lines.0.quantity": ["offer.quantity_exceeds_asked"],
      "lines.1.lineId": ["offer.line_unknown"],
      "lines.2.lineId": ["offer.line_duplicate"],
      "lines.2.quantity": ["offer.quantity_not_positive"],
      "lines.3.quantity": ["offer.quantity_not_positive"],
      "lines.3.unitPrice": ["offer.price_not_positive"],
      "lines.4.lineId": ["offer.line_duplicate"],
      "lines.4.unitPrice": ["offer.currency_mismatch"],
    });
  });

  it("refuses negative prices and quantities, and an empty offer", () => {
    expect(validateOfferLines(rfq, { currency: "EUR", lines: [line("l1", -1, eur(-5))] })).toEqual({
      "lines.0.quantity": ["offer.quantity_not_positive"],
      "lines.0.unitPrice": ["offer.price_not_positive"],
    });
    expect(validateOfferLines(rfq, { currency: "EUR", lines: [] })).toEqual({ lines: ["offer.lines_empty"] });
  });

  it("property: valid iff every line is known, unique, 1..asked and positively priced", () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ lineId: fc.constantFrom("l1", "l2", "l3"), quantity: fc.integer({ min: -2, max: 120 }), price: fc.integer({ min: -2, max: 10 }) }), {
          maxLength: 4,
        }),
        (raw) => {
          const lines = raw.map((r) => line(r.lineId, r.quantity, eur(r.price)));
          const asked = new Map(rfq.lines.map((l) => [l.id, l.quantity]));
          const ids = raw.map((r) => r.lineId);
          const expectedValid =
            raw.length > 0 &&
            new Set(ids).size === ids.length &&
            raw.every((r) => asked.has(r.lineId) && r.quantity >= 1 && r.quantity <= asked.get(r.lineId)! && r.price > 0);
          expect(Object.keys(validateOfferLines(rfq, { currency: "EUR", lines })).length === 0).toBe(expectedValid);
        },
      ),
    );
  });
});

describe("validateOfferTerms", () => {
  it("needs a lead time in 0..730 days and validity not before the deadline", () => {
    expect(validateOfferTerms({ leadTimeDays: 0, validUntil: NOW }, NOW)).toEqual({});
    expect(validateOfferTerms({ leadTimeDays: 730, validUntil: at(1) }, NOW)).toEqual({});
    expect(validateOfferTerms({ leadTimeDays: -1, validUntil: at(-1) }, NOW)).toEqual({
      leadTimeDays: ["offer.lead_time_invalid"],
      validUntil: ["offer.validity_before_deadline"],
    });
    expect(validateOfferTerms({ leadTimeDays: 1.5, validUntil: null }, NOW)).toEqual({
      leadTimeDays: ["offer.lead_time_invalid"],
      validUntil: ["offer.validity_before_deadline"],
    });
    expect(validateOfferTerms({ leadTimeDays: 731, validUntil: new Date("x") }, NOW)).toEqual({
      leadTimeDays: ["offer.lead_time_invalid"],
      validUntil: ["offer.validity_before_deadline"],
    });
  });
});
