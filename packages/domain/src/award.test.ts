import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { validateAward, wholeOfferAllocations, type Allocation, type AwardOffer, type AwardRfq } from "./award";
import { isDomainError } from "./errors";
import { money, type Money } from "./money";

const eur = (amount: number | bigint): Money => money(amount, "EUR");

const rfq: AwardRfq = { currency: "EUR", lines: [{ id: "bolts", quantity: 1000 }, { id: "nuts", quantity: 500 }] };
const offers: AwardOffer[] = [
  { offerId: "o1", sellerId: "s1", lines: [{ lineId: "bolts", quantity: 1000, unitPrice: eur(12) }, { lineId: "nuts", quantity: 300, unitPrice: eur(7) }] },
  { offerId: "o2", sellerId: "s2", lines: [{ lineId: "bolts", quantity: 600, unitPrice: eur(11) }] },
  { offerId: "o3", sellerId: "s3", lines: [{ lineId: "nuts", quantity: 500, unitPrice: eur(8) }] },
];
const award = (allocations: Allocation[]) => validateAward({ ...rfq, offers }, allocations);
const errorsOf = (allocations: Allocation[]) => {
  const result = award(allocations);
  return result.ok ? {} : result.fieldErrors;
};

describe("validateAward", () => {
  it("splits a line across sellers and builds one order per seller with exact totals", () => {
    const result = award([
      { lineId: "bolts", offerId: "o2", quantity: 600 },
      { lineId: "bolts", offerId: "o1", quantity: 400 },
      { lineId: "nuts", offerId: "o1", quantity: 300 },
      { lineId: "nuts", offerId: "o3", quantity: 200 },
    ]);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.orders.map((o) => [o.sellerId, o.total.amount])).toEqual([
      ["s2", 6600n],
      ["s1", 4800n + 2100n],
      ["s3", 1600n],
    ]);
    expect(result.orders[1]!.lines).toEqual([
      { lineId: "bolts", offerId: "o1", quantity: 400, unitPrice: eur(12), lineTotal: eur(4800) },
      { lineId: "nuts", offerId: "o1", quantity: 300, unitPrice: eur(7), lineTotal: eur(2100) },
    ]);
    expect(result.total).toEqual(eur(6600 + 6900 + 1600));
  });

  it("allows awarding less than asked and leaving lines out", () => {
    const result = award([{ lineId: "bolts", offerId: "o2", quantity: 1 }]);
    expect(result.ok && result.orders.length).toBe(1);
  });

  it("refuses an award whose total would not fit a bigint, though each offer's does", () => {
    const huge = 9_007_199_254_740_991n; // the largest unit price an offer may state
    const big: AwardOffer[] = [
      { offerId: "x", sellerId: "sx", lines: [{ lineId: "bolts", quantity: 1000, unitPrice: eur(huge) }] },
      { offerId: "y", sellerId: "sy", lines: [{ lineId: "nuts", quantity: 500, unitPrice: eur(huge) }] },
    ];
    const allocations = [
      { lineId: "bolts", offerId: "x", quantity: 1000 },
      { lineId: "nuts", offerId: "y", quantity: 500 },
    ];
    expect(validateAward({ ...rfq, offers: big }, allocations)).toEqual({ ok: false, fieldErrors: { _form: ["award.total_too_large"] } });
    expect(validateAward({ ...rfq, offers: big }, allocations.slice(0, 1)).ok).toBe(true);
  });

  it("refuses an empty award", () => {
    expect(errorsOf([])).toEqual({ allocations: ["award.empty"] });
  });

  it("keys every error to its allocation", () => {
    expect(
      errorsOf([
        { lineId: "washers", offerId: "o1", quantity: 1 },
        { lineId: "bolts", offerId: "o9", quantity: 1 },
        { lineId: "nuts", offerId: "o2", quantity: 1 },
        { lineId: "bolts", offerId: "o2", quantity: 0 },
        { lineId: "bolts", offerId: "o2", quantity: 601 },
        { lineId: "nuts", offerId: "o1", quantity: 2.5 },
      ]),
    ).toEqual({
      "allocations.0.lineId": ["award.line_unknown"],
      "allocations.1.offerId": ["award.offer_unknown"],
      "allocations.2.lineId": ["award.line_not_offered"],
      "allocations.3.quantity": ["award.quantity_not_positive"],
      "allocations.4.lineId": ["award.allocation_duplicate"],
      "allocations.4.quantity": ["award.quantity_exceeds_offered"],
      "allocations.5.quantity": ["award.quantity_not_positive"],
    });
  });

  it("refuses a split whose sum exceeds the line's quantity, on every allocation of that line", () => {
    expect(
      errorsOf([
        { lineId: "bolts", offerId: "o1", quantity: 500 },
        { lineId: "nuts", offerId: "o3", quantity: 500 },
        { lineId: "bolts", offerId: "o2", quantity: 501 },
      ]),
    ).toEqual({
      "allocations.0.quantity": ["award.line_quantity_exceeded"],
      "allocations.2.quantity": ["award.line_quantity_exceeded"],
    });
  });

  it("refuses offers in another currency than the RFQ's as an invariant", () => {
    const usd: AwardOffer = { offerId: "u", sellerId: "s9", lines: [{ lineId: "bolts", quantity: 5, unitPrice: money(1, "USD") }] };
    try {
      validateAward({ ...rfq, offers: [usd] }, [{ lineId: "bolts", offerId: "u", quantity: 5 }]);
      expect.unreachable();
    } catch (error) {
      expect(isDomainError(error) && error.code).toBe("INVARIANT");
    }
  });

  it("awards whole offers through the same rules", () => {
    const whole = wholeOfferAllocations(offers, ["o2", "o3"]);
    expect(whole).toEqual([
      { lineId: "bolts", offerId: "o2", quantity: 600 },
      { lineId: "nuts", offerId: "o3", quantity: 500 },
    ]);
    expect(award(whole).ok).toBe(true);
    // o1 and o2 together offer 1600 bolts for a line of 1000.
    expect(award(wholeOfferAllocations(offers, ["o1", "o2"])).ok).toBe(false);
    try {
      wholeOfferAllocations(offers, ["o7"]);
      expect.unreachable();
    } catch (error) {
      expect(isDomainError(error) && error.fieldErrors).toEqual({ offerIds: ["award.offer_unknown"] });
    }
  });

  it("property: an accepted award never exceeds a line's quantity nor an offer's, and its totals are exact", () => {
    const lineIds = ["a", "b", "c"];
    const arb = fc.record({
      lineQuantities: fc.tuple(fc.integer({ min: 1, max: 50 }), fc.integer({ min: 1, max: 50 }), fc.integer({ min: 1, max: 50 })),
      offers: fc.array(
        fc.record({
          seller: fc.constantFrom("s1", "s2", "s3"),
          lines: fc.uniqueArray(
            fc.record({
              lineId: fc.constantFrom(...lineIds),
              quantity: fc.integer({ min: 1, max: 60 }),
              price: fc.bigInt({ min: 1n, max: 10n ** 15n }),
            }),
            { selector: (l) => l.lineId, minLength: 1, maxLength: 3 },
          ),
        }),
        { minLength: 1, maxLength: 4 },
      ),
      // Picks among the offered lines (so a good share of awards is valid) plus a few wild ones.
      allocations: fc.array(
        fc.oneof(
          { weight: 9, arbitrary: fc.record({ kind: fc.constant("pick" as const), offer: fc.nat(), line: fc.nat(), percent: fc.integer({ min: 1, max: 50 }) }) },
          {
            weight: 1,
            arbitrary: fc.record({ kind: fc.constant("wild" as const), lineId: fc.constantFrom(...lineIds, "z"), offer: fc.integer({ min: 0, max: 4 }), quantity: fc.integer({ min: -1, max: 60 }) }),
          },
        ),
        { maxLength: 5 },
      ),
    });
    let rejected = 0;
    fc.assert(
      fc.property(arb, (input) => {
        const lines = lineIds.map((id, i) => ({ id, quantity: input.lineQuantities[i]! }));
        const offerList: AwardOffer[] = input.offers.map((o, i) => ({
          offerId: `o${i}`,
          sellerId: o.seller,
          lines: o.lines.map((l) => ({ lineId: l.lineId, quantity: l.quantity, unitPrice: eur(l.price) })),
        }));
        const allocations: Allocation[] = input.allocations.map((a) => {
          if (a.kind === "wild") return { lineId: a.lineId, offerId: `o${a.offer}`, quantity: a.quantity };
          const offer = offerList[a.offer % offerList.length]!;
          const line = offer.lines[a.line % offer.lines.length]!;
          return { lineId: line.lineId, offerId: offer.offerId, quantity: Math.max(1, Math.floor((line.quantity * a.percent) / 100)) };
        });
        const result = validateAward({ currency: "EUR", lines, offers: offerList }, allocations);
        if (!result.ok) {
          expect(Object.keys(result.fieldErrors).length).toBeGreaterThan(0);
          rejected += 1;
          return;
        }
        const awardedLines = result.orders.flatMap((o) => o.lines);
        expect(awardedLines.length).toBe(allocations.length);
        for (const line of lines) {
          const awarded = awardedLines.filter((l) => l.lineId === line.id).reduce((s, l) => s + l.quantity, 0);
          expect(awarded).toBeLessThanOrEqual(line.quantity);
        }
        let grand = 0n;
        for (const order of result.orders) {
          let orderTotal = 0n;
          for (const l of order.lines) {
            const offer = offerList.find((o) => o.offerId === l.offerId)!;
            expect(offer.sellerId).toBe(order.sellerId);
            const offered = offer.lines.find((x) => x.lineId === l.lineId)!;
            expect(l.quantity).toBeGreaterThanOrEqual(1);
            expect(l.quantity).toBeLessThanOrEqual(offered.quantity);
            expect(l.lineTotal.amount).toBe(offered.unitPrice.amount * BigInt(l.quantity));
            orderTotal += l.lineTotal.amount;
          }
          expect(order.total.amount).toBe(orderTotal);
          grand += orderTotal;
        }
        expect(result.total.amount).toBe(grand);
        expect(new Set(result.orders.map((o) => o.sellerId)).size).toBe(result.orders.length);
      }),
      { numRuns: 500 },
    );
    // Both sides of the rule are exercised, not just the refusals.
    expect(rejected).toBeGreaterThan(0);
    expect(rejected).toBeLessThan(475);
  });
});
