import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isDomainError } from "./errors";
import {
  RFQ_MOVES,
  RFQ_STATUSES,
  availableRfqMoves,
  canMoveRfq,
  extendedDeadline,
  isRfqMove,
  isRfqStatus,
  moveRfq,
  offerWindowOpen,
  rfqIsDueToClose,
  validateAntiSniping,
  validateFinalRound,
  validateRfqDeadline,
  sellerFacingStatus,
  sellerMayOffer,
  FINAL_ROUND_MAX_DAYS,
  type RfqMove,
  type RfqMoveContext,
  type RfqStatus,
} from "./rfq-status";

const MIN = 60_000;
const NOW = new Date("2026-03-01T12:00:00Z");
const at = (offsetMs: number) => new Date(NOW.getTime() + offsetMs);

/** The whole table, written out independently of RFQ_TRANSITIONS: every legal move and its result. */
const LEGAL: Record<RfqMove, Partial<Record<RfqStatus, RfqStatus>>> = {
  publish: { draft: "open" },
  edit: { draft: "draft", open: "open" },
  close: { open: "closed", final_round: "closed" },
  finalRound: { closed: "final_round" },
  award: { closed: "awarded" },
  cancel: { draft: "cancelled", open: "cancelled" },
};

/** A context in which every guard passes for its move. */
function passing(move: RfqMove): RfqMoveContext {
  const deadline = move === "close" ? at(-1) : at(60 * MIN);
  return { now: NOW, deadline, offerCount: 0, reason: "Budget withdrawn", finalRound: { used: false, awardInForce: false } };
}

const cases = RFQ_MOVES.flatMap((move) => RFQ_STATUSES.map((from) => ({ move, from, to: LEGAL[move][from] })));

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

describe("RFQ state machine", () => {
  it.each(cases.filter((c) => c.to))("$move from $from → $to", ({ move, from, to }) => {
    expect(canMoveRfq(from, move)).toBe(true);
    expect(moveRfq(from, move, passing(move))).toBe(to);
  });

  it.each(cases.filter((c) => !c.to))("$move from $from is refused", ({ move, from }) => {
    expect(canMoveRfq(from, move)).toBe(false);
    expectError(() => moveRfq(from, move, passing(move)), "ILLEGAL_TRANSITION", { move: ["rfq.illegal_transition"] });
  });

  it("publish needs a deadline strictly in the future", () => {
    const ctx = passing("publish");
    expectError(() => moveRfq("draft", "publish", { ...ctx, deadline: null }), "VALIDATION", { deadline: ["rfq.deadline_required"] });
    expectError(() => moveRfq("draft", "publish", { ...ctx, deadline: NOW }), "VALIDATION", { deadline: ["rfq.deadline_in_past"] });
    expectError(() => moveRfq("draft", "publish", { ...ctx, deadline: at(-1) }), "VALIDATION", { deadline: ["rfq.deadline_in_past"] });
    expect(moveRfq("draft", "publish", { ...ctx, deadline: at(1) })).toBe("open");
  });

  it("edit is allowed on a draft whatever, and on an open RFQ only before the first offer", () => {
    expect(moveRfq("draft", "edit", { ...passing("edit"), offerCount: 3 })).toBe("draft");
    expect(moveRfq("open", "edit", { ...passing("edit"), offerCount: 0 })).toBe("open");
    expectError(() => moveRfq("open", "edit", { ...passing("edit"), offerCount: 1 }), "CONFLICT", { move: ["rfq.has_offers"] });
  });

  it("close happens at the deadline, not before", () => {
    const ctx = { now: NOW, offerCount: 2 };
    expectError(() => moveRfq("open", "close", { ...ctx, deadline: at(1) }), "CONFLICT", { move: ["rfq.deadline_not_reached"] });
    expect(moveRfq("open", "close", { ...ctx, deadline: NOW })).toBe("closed");
    expect(moveRfq("open", "close", { ...ctx, deadline: at(-MIN) })).toBe("closed");
    expectError(() => moveRfq("open", "close", { ...ctx, deadline: null }), "INVARIANT");
  });

  it("closing twice is refused by the machine but rfqIsDueToClose makes the sweep skip it", () => {
    const closed = moveRfq("open", "close", passing("close"));
    expect(rfqIsDueToClose(closed, at(-1), NOW)).toBe(false);
    expect(rfqIsDueToClose("open", at(-1), NOW)).toBe(true);
    expect(rfqIsDueToClose("open", NOW, NOW)).toBe(true);
    expect(rfqIsDueToClose("open", at(1), NOW)).toBe(false);
    expect(rfqIsDueToClose("draft", at(-1), NOW)).toBe(false);
  });

  it.each([undefined, null, "", "  \t"])("cancel needs a reason (%j)", (reason) => {
    for (const from of ["draft", "open"] as const) {
      expectError(() => moveRfq(from, "cancel", { ...passing("cancel"), reason }), "VALIDATION", { reason: ["rfq.reason_required"] });
    }
  });

  it("a final round closes at its deadline like the first round, and the sweep takes it", () => {
    const ctx = { now: NOW, offerCount: 2 };
    expectError(() => moveRfq("final_round", "close", { ...ctx, deadline: at(1) }), "CONFLICT", { move: ["rfq.deadline_not_reached"] });
    expect(moveRfq("final_round", "close", { ...ctx, deadline: NOW })).toBe("closed");
    expect(rfqIsDueToClose("final_round", NOW, NOW)).toBe(true);
    expect(rfqIsDueToClose("final_round", at(1), NOW)).toBe(false);
  });

  it("a final round opens once, from a closed RFQ with no award in force", () => {
    const ctx = passing("finalRound");
    expect(moveRfq("closed", "finalRound", ctx)).toBe("final_round");
    expectError(() => moveRfq("closed", "finalRound", { ...ctx, finalRound: { used: true, awardInForce: false } }), "CONFLICT", { _form: ["rfq.final_round_used"] });
    expectError(() => moveRfq("closed", "finalRound", { ...ctx, finalRound: undefined }), "CONFLICT", { _form: ["rfq.final_round_used"] });
    expectError(() => moveRfq("closed", "finalRound", { ...ctx, finalRound: { used: false, awardInForce: true } }), "CONFLICT", { _form: ["rfq.final_round_award_exists"] });
    for (const from of ["draft", "open", "final_round", "awarded", "cancelled"] as const) expectError(() => moveRfq(from, "finalRound", ctx), "ILLEGAL_TRANSITION");
  });

  it("a final round takes no edit, no cancel, no award until it closes again", () => {
    for (const move of ["edit", "cancel", "award", "publish", "finalRound"] as const) expect(canMoveRfq("final_round", move)).toBe(false);
    expect(availableRfqMoves("final_round", { offerCount: 2 })).toEqual([]);
    expect(availableRfqMoves("final_round", { offerCount: 2 }, "system")).toEqual(["close"]);
  });

  it("the final round is offered as a move only with final offers, never twice, never with an award in force", () => {
    expect(availableRfqMoves("closed", { offerCount: 2, finalRound: { used: false, awardInForce: false } })).toEqual(["finalRound", "award"]);
    expect(availableRfqMoves("closed", { offerCount: 0, finalRound: { used: false, awardInForce: false } })).toEqual(["award"]);
    expect(availableRfqMoves("closed", { offerCount: 2, finalRound: { used: true, awardInForce: false } })).toEqual(["award"]);
    expect(availableRfqMoves("closed", { offerCount: 2, finalRound: { used: false, awardInForce: true } })).toEqual(["award"]);
  });

  it("checks legality before anything else", () => {
    expectError(() => moveRfq("awarded", "cancel", { now: NOW, deadline: null, offerCount: 0 }), "ILLEGAL_TRANSITION");
    expectError(() => moveRfq("closed", "edit", { now: NOW, deadline: null, offerCount: 5 }), "ILLEGAL_TRANSITION");
  });

  it("offers each side only its usable moves", () => {
    expect(availableRfqMoves("draft", { offerCount: 0 })).toEqual(["publish", "edit", "cancel"]);
    expect(availableRfqMoves("open", { offerCount: 0 })).toEqual(["edit", "cancel"]);
    expect(availableRfqMoves("open", { offerCount: 1 })).toEqual(["cancel"]);
    expect(availableRfqMoves("closed", { offerCount: 1 })).toEqual(["award"]);
    expect(availableRfqMoves("awarded", { offerCount: 1 })).toEqual([]);
    expect(availableRfqMoves("cancelled", { offerCount: 0 })).toEqual([]);
    expect(availableRfqMoves("open", { offerCount: 1 }, "system")).toEqual(["close"]);
    expect(availableRfqMoves("draft", { offerCount: 0 }, "system")).toEqual([]);
  });

  it("recognises its statuses and moves", () => {
    expect(RFQ_STATUSES.every(isRfqStatus)).toBe(true);
    expect(RFQ_MOVES.every(isRfqMove)).toBe(true);
    expect(isRfqStatus("published")).toBe(false);
    expect(isRfqMove("delete")).toBe(false);
    expect(isRfqMove(3)).toBe(false);
  });

  it("validateRfqDeadline", () => {
    expect(validateRfqDeadline(at(1), NOW)).toEqual({});
    expect(validateRfqDeadline(NOW, NOW)).toEqual({ deadline: ["rfq.deadline_in_past"] });
    expect(validateRfqDeadline(undefined, NOW)).toEqual({ deadline: ["rfq.deadline_required"] });
    expect(validateRfqDeadline(new Date("nope"), NOW)).toEqual({ deadline: ["rfq.deadline_required"] });
  });
});

describe("offer window", () => {
  it("is open strictly before the deadline", () => {
    expect(offerWindowOpen(NOW, at(-1))).toBe(true);
    expect(offerWindowOpen(NOW, NOW)).toBe(false);
    expect(offerWindowOpen(NOW, at(1))).toBe(false);
  });

  it("refuses invalid dates", () => {
    expectError(() => offerWindowOpen(new Date("x"), NOW), "INVARIANT");
    expectError(() => offerWindowOpen(NOW, new Date("x")), "INVARIANT");
  });
});

describe("anti-sniping extension", () => {
  const base = { deadline: NOW, windowMinutes: 5, maxExtensions: 2, extensionsSoFar: 0 };

  it("an offer strictly inside the last N minutes pushes the deadline by N minutes", () => {
    expect(extendedDeadline({ ...base, submittedAt: at(-1) })).toEqual(at(5 * MIN));
    expect(extendedDeadline({ ...base, submittedAt: at(-5 * MIN + 1) })).toEqual(at(5 * MIN));
  });

  it("exactly N minutes before the deadline, or earlier, does not extend", () => {
    expect(extendedDeadline({ ...base, submittedAt: at(-5 * MIN) })).toBeNull();
    expect(extendedDeadline({ ...base, submittedAt: at(-60 * MIN) })).toBeNull();
  });

  it("at or after the deadline nothing is accepted, so nothing is extended", () => {
    expect(extendedDeadline({ ...base, submittedAt: NOW })).toBeNull();
    expect(extendedDeadline({ ...base, submittedAt: at(1) })).toBeNull();
  });

  it("extends at most K times", () => {
    expect(extendedDeadline({ ...base, submittedAt: at(-1), extensionsSoFar: 1 })).toEqual(at(5 * MIN));
    expect(extendedDeadline({ ...base, submittedAt: at(-1), extensionsSoFar: 2 })).toBeNull();
    expect(extendedDeadline({ ...base, submittedAt: at(-1), maxExtensions: 0 })).toBeNull();
  });

  it("is off with a zero window", () => {
    expect(extendedDeadline({ ...base, submittedAt: at(-1), windowMinutes: 0 })).toBeNull();
  });

  it("refuses non-integer counts", () => {
    expectError(() => extendedDeadline({ ...base, submittedAt: at(-1), extensionsSoFar: Number.NaN }), "INVARIANT");
  });

  it("property: a chain of last-second offers closes at most K·N minutes late, and never accepts a late offer", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 0, max: 10 }),
        fc.array(fc.integer({ min: 0, max: 120 * MIN }), { maxLength: 40 }),
        (windowMinutes, maxExtensions, gaps) => {
          const original = NOW.getTime();
          let deadline = NOW;
          let extensionsSoFar = 0;
          // Offers arrive at increasing instants from 10 minutes before the original deadline.
          let t = original - 10 * MIN;
          for (const gap of gaps) {
            t += gap;
            const submittedAt = new Date(t);
            const next = extendedDeadline({ deadline, submittedAt, windowMinutes, maxExtensions, extensionsSoFar });
            if (!offerWindowOpen(deadline, submittedAt)) expect(next).toBeNull();
            if (next) {
              expect(next.getTime()).toBe(deadline.getTime() + windowMinutes * MIN);
              expect(deadline.getTime() - t).toBeLessThan(windowMinutes * MIN);
              deadline = next;
              extensionsSoFar += 1;
            }
          }
          expect(extensionsSoFar).toBeLessThanOrEqual(maxExtensions);
          expect(deadline.getTime() - original).toBeLessThanOrEqual(maxExtensions * windowMinutes * MIN);
        },
      ),
    );
  });
});

describe("anti-sniping settings", () => {
  it("accepts off and sane values", () => {
    expect(validateAntiSniping({ windowMinutes: null, maxExtensions: null })).toEqual({});
    expect(validateAntiSniping({ windowMinutes: 5, maxExtensions: 3 })).toEqual({});
    expect(validateAntiSniping({ windowMinutes: 1440, maxExtensions: 100 })).toEqual({});
  });

  it("refuses half-set and out-of-range values", () => {
    expect(validateAntiSniping({ windowMinutes: 5, maxExtensions: null })).toEqual({ "antiSniping.maxExtensions": ["rfq.anti_sniping_max_invalid"] });
    expect(validateAntiSniping({ windowMinutes: 0, maxExtensions: 101 })).toEqual({
      "antiSniping.windowMinutes": ["rfq.anti_sniping_window_invalid"],
      "antiSniping.maxExtensions": ["rfq.anti_sniping_max_invalid"],
    });
    expect(validateAntiSniping({ windowMinutes: 2.5, maxExtensions: 1 })).toEqual({ "antiSniping.windowMinutes": ["rfq.anti_sniping_window_invalid"] });
  });
});

describe("the best-and-final round's window and shortlist", () => {
  const eligibleSellerIds = ["s1", "s2", "s3"];
  const valid = { deadline: at(60 * MIN), sellerIds: ["s1", "s3"], eligibleSellerIds, now: NOW };

  it("a deadline strictly after the database clock's now, at most FINAL_ROUND_MAX_DAYS ahead", () => {
    expect(validateFinalRound(valid)).toEqual({});
    expect(validateFinalRound({ ...valid, deadline: at(1) })).toEqual({});
    expect(validateFinalRound({ ...valid, deadline: NOW })).toEqual({ deadline: ["rfq.deadline_in_past"] });
    expect(validateFinalRound({ ...valid, deadline: at(-1) })).toEqual({ deadline: ["rfq.deadline_in_past"] });
    expect(validateFinalRound({ ...valid, deadline: null })).toEqual({ deadline: ["rfq.deadline_required"] });
    expect(validateFinalRound({ ...valid, deadline: new Date(Number.NaN) })).toEqual({ deadline: ["rfq.deadline_required"] });
    const limit = FINAL_ROUND_MAX_DAYS * 24 * 60 * MIN;
    expect(validateFinalRound({ ...valid, deadline: at(limit) })).toEqual({});
    expect(validateFinalRound({ ...valid, deadline: at(limit + 1) })).toEqual({ deadline: ["rfq.final_deadline_too_far"] });
  });

  it("a shortlist of at least one seller, each with a final offer", () => {
    expect(validateFinalRound({ ...valid, sellerIds: [] })).toEqual({ sellerIds: ["rfq.final_shortlist_empty"] });
    expect(validateFinalRound({ ...valid, sellerIds: ["s1", "elsewhere"] })).toEqual({ sellerIds: ["rfq.final_seller_not_eligible"] });
    expect(validateFinalRound({ ...valid, sellerIds: ["s2"] })).toEqual({});
    expect(validateFinalRound({ ...valid, sellerIds: [], deadline: NOW })).toEqual({ deadline: ["rfq.deadline_in_past"], sellerIds: ["rfq.final_shortlist_empty"] });
  });

  it("the window is the first round's: open strictly before the final deadline (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: -10 * MIN, max: 10 * MIN }), (offset) => {
        const errors = validateFinalRound({ ...valid, deadline: at(offset) });
        expect(Object.keys(errors).length === 0).toBe(offerWindowOpen(at(offset), NOW));
      }),
    );
  });

  it("only shortlisted sellers may offer in a final round; the others see it closed", () => {
    expect(sellerMayOffer("open", false)).toBe(true);
    expect(sellerMayOffer("final_round", true)).toBe(true);
    expect(sellerMayOffer("final_round", false)).toBe(false);
    for (const status of ["draft", "closed", "awarded", "cancelled"] as const) expect(sellerMayOffer(status, true)).toBe(false);
    expect(sellerFacingStatus("final_round", true)).toBe("open");
    expect(sellerFacingStatus("final_round", false)).toBe("closed");
    for (const status of RFQ_STATUSES.filter((s) => s !== "final_round")) {
      expect(sellerFacingStatus(status, true)).toBe(status);
      expect(sellerFacingStatus(status, false)).toBe(status);
    }
  });
});
