import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isDomainError } from "./errors";
import { money, type Money } from "./money";
import {
  NEUTRAL_TRACK_RECORD,
  bestPricePerLine,
  offerLineRanks,
  scoreOffers,
  trackRecordComponent,
  validateScoreWeights,
  type ScoreWeights,
  type ScoringInput,
  type ScoringOffer,
  type TrackRecord,
} from "./scoring";

const eur = (amount: number | bigint): Money => money(amount, "EUR");
const noHistory: TrackRecord = { completedOrders: 0, onTimeRate: 0, disputes: 0 };
const equal: ScoreWeights = { price: 1, leadTime: 1, trackRecord: 1 };

function offer(offerId: string, prices: Record<string, number>, leadTimeDays = 10, trackRecord: TrackRecord = noHistory): ScoringOffer {
  return { offerId, leadTimeDays, trackRecord, lines: Object.entries(prices).map(([lineId, p]) => ({ lineId, unitPrice: eur(p), quantity: 1 })) };
}

const lines = [{ id: "a", quantity: 100 }, { id: "b", quantity: 10 }];
const input = (offers: ScoringOffer[]): ScoringInput => ({ currency: "EUR", lines, offers });

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

describe("weights", () => {
  it("are non-negative integers, not all zero", () => {
    expect(validateScoreWeights({ price: 0, leadTime: 0, trackRecord: 1 })).toEqual({});
    expect(validateScoreWeights({ price: 0, leadTime: 0, trackRecord: 0 })).toEqual({ weights: ["scoring.weights_all_zero"] });
    expect(validateScoreWeights({ price: -1, leadTime: 0.5, trackRecord: Number.NaN })).toEqual({
      "weights.price": ["scoring.weight_invalid"],
      "weights.leadTime": ["scoring.weight_invalid"],
      "weights.trackRecord": ["scoring.weight_invalid"],
    });
    expectError(() => scoreOffers(input([offer("o1", { a: 1 })]), { price: 0, leadTime: 0, trackRecord: 0 }), "VALIDATION", {
      weights: ["scoring.weights_all_zero"],
    });
  });
});

describe("track record", () => {
  it("is neutral without history and shrinks towards neutral with little of it", () => {
    expect(trackRecordComponent(noHistory)).toBe(NEUTRAL_TRACK_RECORD);
    expect(trackRecordComponent({ completedOrders: 5, onTimeRate: 1, disputes: 0 })).toBe(0.75);
    expect(trackRecordComponent({ completedOrders: 5, onTimeRate: 0, disputes: 0 })).toBe(0.25);
    expect(trackRecordComponent({ completedOrders: 995, onTimeRate: 1, disputes: 0 })).toBeCloseTo(0.9975, 12);
    // Half the orders disputed halves the raw value; more disputes than orders floors it at 0.
    expect(trackRecordComponent({ completedOrders: 5, onTimeRate: 1, disputes: 0 })).toBeGreaterThan(
      trackRecordComponent({ completedOrders: 10, onTimeRate: 1, disputes: 5 }),
    );
    expect(trackRecordComponent({ completedOrders: 5, onTimeRate: 1, disputes: 9 })).toBe(0.25);
  });

  it("refuses malformed records", () => {
    expectError(() => trackRecordComponent({ completedOrders: -1, onTimeRate: 0, disputes: 0 }), "INVARIANT");
    expectError(() => trackRecordComponent({ completedOrders: 3, onTimeRate: 1.2, disputes: 0 }), "INVARIANT");
    expectError(() => trackRecordComponent({ completedOrders: 3, onTimeRate: Number.NaN, disputes: 0 }), "INVARIANT");
  });
});

describe("scoreOffers", () => {
  it("computes each component and the weighted score as documented", () => {
    const o1 = offer("o1", { a: 10, b: 100 }, 10);
    const o2 = offer("o2", { a: 20, b: 50 }, 5, { completedOrders: 5, onTimeRate: 1, disputes: 0 });
    const o3 = offer("o3", { b: 50 }, 20);
    const result = scoreOffers(input([o1, o2, o3]), equal);
    const [s1, s2, s3] = result.offers;
    // o1: own = 10·100 + 100·10 = 2000, best on the same lines = 10·100 + 50·10 = 1500.
    expect(s1!.components).toEqual({ price: 0.75, leadTime: 0.5, trackRecord: 0.5 });
    // o2: own = 20·100 + 50·10 = 2500, best = 1500.
    expect(s2!.components).toEqual({ price: 0.6, leadTime: 1, trackRecord: 0.75 });
    // o3 covers only b and is the cheapest there.
    expect(s3!.components).toEqual({ price: 1, leadTime: 0.25, trackRecord: 0.5 });
    expect(s1!.score).toBeCloseTo(1.75 / 3, 12);
    expect(s2!.score).toBeCloseTo(2.35 / 3, 12);
    expect(s3!.score).toBeCloseTo(1.75 / 3, 12);
    expect(result.offers.map((s) => s.rank)).toEqual([2, 1, 2]);
    expect(result.bestPricePerLine).toEqual([
      { lineId: "a", unitPrice: eur(10), offerIds: ["o1"] },
      { lineId: "b", unitPrice: eur(50), offerIds: ["o2", "o3"] },
    ]);
  });

  it("price only weights rank by price", () => {
    const result = scoreOffers(input([offer("o1", { a: 10 }), offer("o2", { a: 12 })]), { price: 1, leadTime: 0, trackRecord: 0 });
    // 10/12 truncated to 12 decimals.
    expect(result.offers.map((s) => s.score)).toEqual([1, 0.833333333333]);
    expect(result.offers.map((s) => s.rank)).toEqual([1, 2]);
  });

  it("handles zero-day lead times, lines nobody bids on, and no offers", () => {
    const result = scoreOffers(input([offer("o1", { a: 10 }, 0), offer("o2", { a: 10 }, 3)]), equal);
    expect(result.offers.map((s) => s.components.leadTime)).toEqual([1, 0]);
    expect(result.bestPricePerLine[1]).toEqual({ lineId: "b", unitPrice: null, offerIds: [] });
    expect(scoreOffers(input([]), equal)).toEqual({ offers: [], bestPricePerLine: bestPricePerLine(input([])) });
  });

  it("refuses malformed offers", () => {
    expectError(() => scoreOffers(input([offer("o1", { a: 0 })]), equal), "INVARIANT");
    expectError(() => scoreOffers(input([offer("o1", { a: 5 }, -1)]), equal), "INVARIANT");
    const usd: ScoringOffer = { ...offer("o1", {}), lines: [{ lineId: "a", unitPrice: money(5, "USD"), quantity: 1 }] };
    expectError(() => scoreOffers(input([usd]), equal), "INVARIANT");
  });

  const arbOffers = fc
    .array(
      fc.record({
        prices: fc.record({ a: fc.option(fc.bigInt({ min: 1n, max: 10n ** 12n }), { nil: undefined }), b: fc.option(fc.bigInt({ min: 1n, max: 10n ** 12n }), { nil: undefined }) }),
        leadTimeDays: fc.integer({ min: 0, max: 365 }),
        completedOrders: fc.integer({ min: 0, max: 10_000 }),
        onTimeRate: fc.double({ min: 0, max: 1, noNaN: true }),
        disputes: fc.integer({ min: 0, max: 50 }),
      }),
      { minLength: 1, maxLength: 6 },
    )
    .map((raw) =>
      raw.map(
        (r, i): ScoringOffer => ({
          offerId: `o${i}`,
          leadTimeDays: r.leadTimeDays,
          trackRecord: { completedOrders: r.completedOrders, onTimeRate: r.onTimeRate, disputes: r.disputes },
          lines: (["a", "b"] as const).flatMap((lineId) => (r.prices[lineId] === undefined ? [] : [{ lineId, unitPrice: eur(r.prices[lineId]), quantity: 1 }])),
        }),
      ),
    );
  const arbWeights = fc
    .record({ price: fc.integer({ min: 0, max: 100 }), leadTime: fc.integer({ min: 0, max: 100 }), trackRecord: fc.integer({ min: 0, max: 100 }) })
    .filter((w) => w.price + w.leadTime + w.trackRecord > 0);

  it("property: components and scores lie in [0, 1]", () => {
    fc.assert(
      fc.property(arbOffers, arbWeights, (offers, weights) => {
        for (const s of scoreOffers(input(offers), weights).offers) {
          for (const v of [s.score, s.components.price, s.components.leadTime, s.components.trackRecord]) {
            expect(v).toBeGreaterThanOrEqual(0);
            expect(v).toBeLessThanOrEqual(1);
          }
        }
      }),
    );
  });

  it("property: changing a weight never changes the components", () => {
    fc.assert(
      fc.property(arbOffers, arbWeights, fc.constantFrom("price", "leadTime", "trackRecord"), fc.integer({ min: 1, max: 50 }), (offers, weights, name, bump) => {
        const before = scoreOffers(input(offers), weights).offers.map((s) => s.components);
        const after = scoreOffers(input(offers), { ...weights, [name]: weights[name] + bump }).offers.map((s) => s.components);
        expect(after).toEqual(before);
      }),
    );
  });

  it("property: price component is 1 exactly for offers cheapest on every line they cover, so the cheapest full offer gets 1", () => {
    fc.assert(
      fc.property(arbOffers, (offers) => {
        const result = scoreOffers(input(offers), equal);
        const best = new Map(result.bestPricePerLine.map((b) => [b.lineId, b.unitPrice?.amount]));
        offers.forEach((o, i) => {
          if (o.lines.length === 0) return expect(result.offers[i]!.components.price).toBe(0);
          const cheapestEverywhere = o.lines.every((l) => l.unitPrice.amount === best.get(l.lineId));
          expect(result.offers[i]!.components.price === 1).toBe(cheapestEverywhere);
        });
        // Offers covering every line share the same `best`, so the one with the lowest total has
        // the highest price component among them.
        const full = offers.map((o, i) => ({ o, i })).filter(({ o }) => o.lines.length === lines.length);
        if (full.length > 0) {
          const total = (o: ScoringOffer) => o.lines.reduce((s, l) => s + l.unitPrice.amount * BigInt(lines.find((x) => x.id === l.lineId)!.quantity), 0n);
          const cheapest = full.reduce((m, x) => (total(x.o) < total(m.o) ? x : m));
          for (const { i } of full) expect(result.offers[cheapest.i]!.components.price).toBeGreaterThanOrEqual(result.offers[i]!.components.price);
        }
      }),
    );
  });

  it("property: deterministic and independent of the offers' order", () => {
    fc.assert(
      fc.property(arbOffers, arbWeights, (offers, weights) => {
        const forward = scoreOffers(input(offers), weights).offers;
        const backward = scoreOffers(input([...offers].reverse()), weights).offers;
        const byId = (list: typeof forward) => Object.fromEntries(list.map((s) => [s.offerId, s]));
        expect(byId(backward)).toEqual(byId(forward));
      }),
    );
  });
});

describe("offerLineRanks", () => {
  const offers = [offer("o1", { a: 10, b: 5 }), offer("o2", { a: 8 }), offer("o3", { a: 10, b: 7 })];

  it("gives a seller its own rank per line it bids on, ties sharing a rank", () => {
    expect(offerLineRanks(offers, "o1")).toEqual([
      { lineId: "a", rank: 2 },
      { lineId: "b", rank: 1 },
    ]);
    expect(offerLineRanks(offers, "o3")).toEqual([
      { lineId: "a", rank: 2 },
      { lineId: "b", rank: 2 },
    ]);
    expect(offerLineRanks(offers, "o2")).toEqual([{ lineId: "a", rank: 1 }]);
    expect(offerLineRanks(offers, "nope")).toEqual([]);
  });

  it("property: the rank is 1 exactly for the best price of the line", () => {
    fc.assert(
      fc.property(fc.array(fc.record({ a: fc.integer({ min: 1, max: 20 }) }), { minLength: 1, maxLength: 6 }), (prices) => {
        const list = prices.map((p, i) => offer(`o${i}`, p));
        const best = Math.min(...prices.map((p) => p.a));
        list.forEach((o, i) => expect(offerLineRanks(list, o.offerId)[0]!.rank === 1).toBe(prices[i]!.a === best));
      }),
    );
  });
});
