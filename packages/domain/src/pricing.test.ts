import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isDomainError } from "./errors";
import { money, type Currency, type Money } from "./money";
import {
  pickBreak,
  priceListApplies,
  resolveUnitPrice,
  validatePriceBreaks,
  type BuyerPriceListAssignment,
  type GroupPriceListAssignment,
  type PriceBreak,
  type PriceListForListing,
  type PricingInput,
  type ResolvedPrice,
} from "./pricing";

const AT = new Date("2025-06-01T12:00:00Z");
const DAY = 86_400_000;
const eur = (amount: number | bigint): Money => money(amount, "EUR");
const br = (minQuantity: number, amount: number | bigint, currency: Currency = "EUR"): PriceBreak => ({ minQuantity, unitPrice: money(amount, currency) });

function list(id: string, entries: PriceBreak[], extra: Partial<PriceListForListing> = {}): PriceListForListing {
  return { id, currency: "EUR", validFrom: null, validTo: null, createdAt: new Date("2025-01-01T00:00:00Z"), entries, ...extra };
}

const listing = { listPrice: eur(1000), tiers: [br(10, 900), br(100, 800)] };
const resolve = (quantity: number, rest: Partial<PricingInput> = {}) => resolveUnitPrice({ listing, quantity, at: AT, ...rest });

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

describe("resolveUnitPrice: precedence", () => {
  it("falls back to the list price when nothing else answers", () => {
    expect(resolve(1)).toEqual({ unitPrice: eur(1000), source: { kind: "list_price", minQuantity: 1 }, lineTotal: eur(1000) });
    expect(resolve(9).source).toEqual({ kind: "list_price", minQuantity: 1 });
  });

  it("uses the volume tier the quantity reaches, the largest break first", () => {
    expect(resolve(10)).toEqual({ unitPrice: eur(900), source: { kind: "volume_tier", minQuantity: 10 }, lineTotal: eur(9000) });
    expect(resolve(99).source).toEqual({ kind: "volume_tier", minQuantity: 10 });
    expect(resolve(100)).toEqual({ unitPrice: eur(800), source: { kind: "volume_tier", minQuantity: 100 }, lineTotal: eur(80_000) });
  });

  it("lets a group price list beat the volume tiers", () => {
    const groupPriceLists = [{ groupId: "g1", priority: 0, priceList: list("pl-g", [br(1, 950)]) }];
    expect(resolve(100, { groupPriceLists })).toEqual({
      unitPrice: eur(950),
      source: { kind: "group_price_list", priceListId: "pl-g", groupId: "g1", minQuantity: 1 },
      lineTotal: eur(95_000),
    });
  });

  it("lets a buyer price list beat every group list, whatever the priorities", () => {
    const buyerPriceLists = [{ priority: -5, priceList: list("pl-b", [br(1, 990)]) }];
    const groupPriceLists = [{ groupId: "g1", priority: 100, priceList: list("pl-g", [br(1, 500)]) }];
    expect(resolve(5, { buyerPriceLists, groupPriceLists }).source).toEqual({ kind: "buyer_price_list", priceListId: "pl-b", minQuantity: 1 });
    expect(resolve(5, { buyerPriceLists, groupPriceLists }).unitPrice).toEqual(eur(990));
  });

  it("orders group lists by priority, higher first, even when the lower one is cheaper", () => {
    const groupPriceLists = [
      { groupId: "g1", priority: 1, priceList: list("pl-low", [br(1, 100)]) },
      { groupId: "g2", priority: 2, priceList: list("pl-high", [br(1, 700)]) },
    ];
    expect(resolve(1, { groupPriceLists }).source).toMatchObject({ priceListId: "pl-high", groupId: "g2" });
  });

  it("orders buyer lists by priority, higher first", () => {
    const buyerPriceLists = [
      { priority: 0, priceList: list("pl-0", [br(1, 100)]) },
      { priority: 3, priceList: list("pl-3", [br(1, 300)]) },
    ];
    expect(resolve(1, { buyerPriceLists }).source).toMatchObject({ kind: "buyer_price_list", priceListId: "pl-3" });
  });

  it("breaks priority ties by older price list, then lower price list id, then lower group id", () => {
    const older = list("pl-z", [br(1, 400)], { createdAt: new Date("2024-01-01T00:00:00Z") });
    const newer = list("pl-a", [br(1, 300)], { createdAt: new Date("2025-01-01T00:00:00Z") });
    expect(resolve(1, { buyerPriceLists: [{ priority: 1, priceList: newer }, { priority: 1, priceList: older }] }).source).toMatchObject({
      priceListId: "pl-z",
    });

    const a = list("pl-a", [br(1, 300)]);
    const b = list("pl-b", [br(1, 200)]);
    expect(resolve(1, { buyerPriceLists: [{ priority: 1, priceList: b }, { priority: 1, priceList: a }] }).source).toMatchObject({
      priceListId: "pl-a",
    });

    // The same list assigned to two of the buyer's groups: the source names the lower group id.
    const groupPriceLists = [
      { groupId: "g2", priority: 1, priceList: a },
      { groupId: "g1", priority: 1, priceList: a },
    ];
    expect(resolve(1, { groupPriceLists }).source).toEqual({ kind: "group_price_list", priceListId: "pl-a", groupId: "g1", minQuantity: 1 });
  });

  it("falls through a price list whose breaks do not reach the quantity, or that has no entry", () => {
    const buyerPriceLists = [
      { priority: 9, priceList: list("pl-empty", []) },
      { priority: 5, priceList: list("pl-big", [br(50, 100)]) },
    ];
    const groupPriceLists = [{ groupId: "g1", priority: 0, priceList: list("pl-g", [br(20, 600)]) }];
    expect(resolve(60, { buyerPriceLists, groupPriceLists }).source).toMatchObject({ kind: "buyer_price_list", priceListId: "pl-big" });
    expect(resolve(20, { buyerPriceLists, groupPriceLists }).source).toMatchObject({ kind: "group_price_list", priceListId: "pl-g" });
    expect(resolve(19, { buyerPriceLists, groupPriceLists }).source).toEqual({ kind: "volume_tier", minQuantity: 10 });
    expect(resolve(3, { buyerPriceLists, groupPriceLists }).source).toEqual({ kind: "list_price", minQuantity: 1 });
  });

  it("picks the break inside a price list by quantity", () => {
    const buyerPriceLists = [{ priority: 0, priceList: list("pl", [br(100, 500), br(1, 700), br(25, 600)]) }];
    expect(resolve(1, { buyerPriceLists }).unitPrice).toEqual(eur(700));
    expect(resolve(24, { buyerPriceLists }).unitPrice).toEqual(eur(700));
    expect(resolve(25, { buyerPriceLists }).source).toMatchObject({ minQuantity: 25 });
    expect(resolve(1000, { buyerPriceLists }).source).toMatchObject({ minQuantity: 100 });
  });
});

describe("resolveUnitPrice: validity and currency", () => {
  const withList = (extra: Partial<PriceListForListing>) => resolve(1, { buyerPriceLists: [{ priority: 0, priceList: list("pl", [br(1, 500)], extra) }] });

  it("counts validFrom inclusive and validTo exclusive", () => {
    expect(withList({ validFrom: AT }).source.kind).toBe("buyer_price_list");
    expect(withList({ validFrom: new Date(AT.getTime() + 1) }).source.kind).toBe("list_price");
    expect(withList({ validTo: AT }).source.kind).toBe("list_price");
    expect(withList({ validTo: new Date(AT.getTime() + 1) }).source.kind).toBe("buyer_price_list");
  });

  it("treats a missing bound as open, and skips expired and future lists", () => {
    expect(withList({ validFrom: null, validTo: null }).source.kind).toBe("buyer_price_list");
    expect(withList({ validFrom: new Date(AT.getTime() - DAY), validTo: null }).source.kind).toBe("buyer_price_list");
    expect(withList({ validFrom: null, validTo: new Date(AT.getTime() + DAY) }).source.kind).toBe("buyer_price_list");
    expect(withList({ validFrom: new Date(AT.getTime() - 2 * DAY), validTo: new Date(AT.getTime() - DAY) }).source.kind).toBe("list_price");
    expect(withList({ validFrom: new Date(AT.getTime() + DAY) }).source.kind).toBe("list_price");
  });

  it("skips a higher-priority list in another currency or out of validity in favour of a lower one", () => {
    const buyerPriceLists = [
      { priority: 9, priceList: list("pl-usd", [br(1, 1)], { currency: "USD", entries: [br(1, 1, "USD")] }) },
      { priority: 8, priceList: list("pl-old", [br(1, 2)], { validTo: new Date(AT.getTime() - 1) }) },
      { priority: 1, priceList: list("pl-ok", [br(1, 3)]) },
    ];
    expect(resolve(1, { buyerPriceLists }).source).toMatchObject({ priceListId: "pl-ok" });
    expect(priceListApplies(buyerPriceLists[0]!.priceList, "EUR", AT)).toBe(false);
    expect(priceListApplies(buyerPriceLists[0]!.priceList, "USD", AT)).toBe(true);
  });
});

describe("resolveUnitPrice: quantity, totals and malformed rows", () => {
  it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53, "3" as unknown as number])("refuses quantity %s", (quantity) => {
    expectError(() => resolve(quantity), "VALIDATION", { quantity: ["quantity.invalid"] });
  });

  it("computes the line total exactly beyond 2^53", () => {
    const big = { listPrice: eur(2n ** 60n), tiers: [] };
    const result = resolveUnitPrice({ listing: big, quantity: Number.MAX_SAFE_INTEGER, at: AT });
    expect(result.lineTotal).toEqual(eur(2n ** 60n * BigInt(Number.MAX_SAFE_INTEGER)));
  });

  it("refuses malformed rows instead of guessing a price", () => {
    expectError(() => resolveUnitPrice({ listing: { listPrice: eur(0), tiers: [] }, quantity: 1, at: AT }), "INVARIANT");
    expectError(() => resolveUnitPrice({ listing: { listPrice: eur(10), tiers: [br(5, 9), br(5, 8)] }, quantity: 1, at: AT }), "INVARIANT");
    expectError(() => resolveUnitPrice({ listing: { listPrice: eur(10), tiers: [br(5, 9, "USD")] }, quantity: 1, at: AT }), "INVARIANT");
    expectError(() => resolve(1, { buyerPriceLists: [{ priority: 0, priceList: list("pl", [br(1, 5, "USD")]) }] }), "INVARIANT");
    expectError(() => resolve(1, { groupPriceLists: [{ groupId: "g", priority: Number.NaN, priceList: list("pl", []) }] }), "INVARIANT");
    expectError(() => resolveUnitPrice({ listing, quantity: 1, at: new Date("nope") }), "INVARIANT");
  });
});

describe("pickBreak", () => {
  it("returns the largest break at or below the quantity, or null", () => {
    const breaks = [br(10, 3), br(1, 5), br(5, 4)];
    expect(pickBreak(breaks, 7)).toEqual(br(5, 4));
    expect(pickBreak(breaks, 10)).toEqual(br(10, 3));
    expect(pickBreak([br(2, 1)], 1)).toBeNull();
    expect(pickBreak([], 1)).toBeNull();
  });
});

describe("validatePriceBreaks", () => {
  it("accepts a clean set and an empty one", () => {
    expect(validatePriceBreaks([br(1, 10), br(10, 9)])).toEqual({});
    expect(validatePriceBreaks([])).toEqual({});
  });

  it("reports every problem against its entry", () => {
    expect(
      validatePriceBreaks(
        [br(0, 10), br(1.5, 10), br(5, 0), br(5, -1), br(7, 3, "USD"), { minQuantity: Number.NaN, unitPrice: eur(1) }],
        { field: "tiers" },
      ),
    ).toEqual({
      "tiers.0.minQuantity": ["price_break.min_quantity_invalid"],
      "tiers.1.minQuantity": ["price_break.min_quantity_invalid"],
      "tiers.2.unitPrice": ["price_break.price_not_positive"],
      "tiers.3.minQuantity": ["price_break.min_quantity_duplicate"],
      "tiers.3.unitPrice": ["price_break.price_not_positive"],
      "tiers.4.unitPrice": ["price_break.currency_mismatch"],
      "tiers.5.minQuantity": ["price_break.min_quantity_invalid"],
    });
  });

  it("checks the currency against the given one when there is one", () => {
    expect(validatePriceBreaks([br(1, 10, "USD"), br(2, 9, "USD")], { currency: "EUR" })).toEqual({
      "breaks.0.unitPrice": ["price_break.currency_mismatch"],
      "breaks.1.unitPrice": ["price_break.currency_mismatch"],
    });
  });
});

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

const currencyArb = fc.constantFrom<Currency>("EUR", "EUR", "USD");
const amountArb = fc.bigInt({ min: 1n, max: 10n ** 12n });
const breaksArb = (currency: Currency) =>
  fc
    .uniqueArray(fc.record({ minQuantity: fc.integer({ min: 1, max: 120 }), amount: amountArb }), { selector: (e) => e.minQuantity, maxLength: 4 })
    .map((entries) => entries.map((e) => ({ minQuantity: e.minQuantity, unitPrice: money(e.amount, currency) })));
// Offsets around AT include 0 and ±1 ms so the inclusive/exclusive bounds are hit often.
const boundArb = fc.option(fc.constantFrom(-DAY, -1, 0, 1, DAY).map((offset) => new Date(AT.getTime() + offset)), { nil: null });
const priceListArb: fc.Arbitrary<PriceListForListing> = currencyArb.chain((currency) =>
  fc.record({
    id: fc.uuid(),
    currency: fc.constant(currency),
    validFrom: boundArb,
    validTo: boundArb,
    createdAt: fc.integer({ min: 0, max: 2 }).map((d) => new Date(Date.UTC(2024, 0, 1 + d))),
    entries: breaksArb(currency),
  }),
);
const priorityArb = fc.integer({ min: 0, max: 2 });
const buyerAssignmentArb: fc.Arbitrary<BuyerPriceListAssignment> = fc.record({ priority: priorityArb, priceList: priceListArb });
const groupAssignmentArb: fc.Arbitrary<GroupPriceListAssignment> = fc.record({
  groupId: fc.constantFrom("g1", "g2", "g3"),
  priority: priorityArb,
  priceList: priceListArb,
});
const inputArb: fc.Arbitrary<PricingInput> = fc.record({
  listing: fc.record({ listPrice: amountArb.map((a) => eur(a)), tiers: breaksArb("EUR") }),
  quantity: fc.integer({ min: 1, max: 150 }),
  at: fc.constant(AT),
  buyerPriceLists: fc.array(buyerAssignmentArb, { maxLength: 3 }),
  groupPriceLists: fc.array(groupAssignmentArb, { maxLength: 3 }),
});

/** The breaks of the source a result names (the list price as a break at 1). */
function breaksOfSource(input: PricingInput, result: ResolvedPrice): readonly PriceBreak[] {
  const { source } = result;
  switch (source.kind) {
    case "buyer_price_list":
      return input.buyerPriceLists!.find((a) => a.priceList.id === source.priceListId)!.priceList.entries;
    case "group_price_list":
      return input.groupPriceLists!.find((a) => a.priceList.id === source.priceListId && a.groupId === source.groupId)!.priceList.entries;
    case "volume_tier":
      return input.listing.tiers;
    case "list_price":
      return [{ minQuantity: 1, unitPrice: input.listing.listPrice }];
  }
}

function winningList(input: PricingInput, result: ResolvedPrice): PriceListForListing | null {
  const { source } = result;
  if (source.kind === "buyer_price_list") return input.buyerPriceLists!.find((a) => a.priceList.id === source.priceListId)!.priceList;
  if (source.kind === "group_price_list") return input.groupPriceLists!.find((a) => a.priceList.id === source.priceListId)!.priceList;
  return null;
}

const sourceKey = (r: ResolvedPrice) => JSON.stringify({ ...r.source, minQuantity: undefined });

describe("resolveUnitPrice: properties", () => {
  it("always resolves to one of the candidate prices, and the source names an entry with exactly that price", () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const result = resolveUnitPrice(input);
        const candidates = [
          input.listing.listPrice,
          ...input.listing.tiers.map((t) => t.unitPrice),
          ...[...input.buyerPriceLists!, ...input.groupPriceLists!].flatMap((a) => a.priceList.entries.map((e) => e.unitPrice)),
        ];
        expect(candidates).toContainEqual(result.unitPrice);
        const entry = breaksOfSource(input, result).find((b) => b.minQuantity === result.source.minQuantity);
        expect(entry?.unitPrice).toEqual(result.unitPrice);
      }),
    );
  });

  it("respects quantity breaks: the chosen break is the largest of its source at or below the quantity", () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const result = resolveUnitPrice(input);
        const reachable = breaksOfSource(input, result).filter((b) => b.minQuantity <= input.quantity);
        expect(result.source.minQuantity).toBeLessThanOrEqual(input.quantity);
        expect(result.source.minQuantity).toBe(Math.max(...reachable.map((b) => b.minQuantity)));
      }),
    );
  });

  it("never picks a smaller break for a larger quantity from the same source, nor a later source", () => {
    fc.assert(
      fc.property(inputArb, fc.integer({ min: 0, max: 150 }), (input, more) => {
        const small = resolveUnitPrice(input);
        const large = resolveUnitPrice({ ...input, quantity: input.quantity + more });
        if (sourceKey(small) === sourceKey(large)) expect(large.source.minQuantity).toBeGreaterThanOrEqual(small.source.minQuantity);
        // A source that answers a quantity answers every larger one, so a larger quantity can only move earlier.
        const rank = ["buyer_price_list", "group_price_list", "volume_tier", "list_price"];
        expect(rank.indexOf(large.source.kind)).toBeLessThanOrEqual(rank.indexOf(small.source.kind));
      }),
    );
  });

  it("never lets an expired, not-yet-valid or other-currency list win; removing such lists changes nothing", () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const result = resolveUnitPrice(input);
        const winner = winningList(input, result);
        if (winner) {
          expect(winner.currency).toBe("EUR");
          if (winner.validFrom) expect(winner.validFrom.getTime()).toBeLessThanOrEqual(AT.getTime());
          if (winner.validTo) expect(winner.validTo.getTime()).toBeGreaterThan(AT.getTime());
        }
        const applies = (a: { priceList: PriceListForListing }) => priceListApplies(a.priceList, "EUR", AT);
        const pruned = { ...input, buyerPriceLists: input.buyerPriceLists!.filter(applies), groupPriceLists: input.groupPriceLists!.filter(applies) };
        expect(resolveUnitPrice(pruned)).toEqual(result);
      }),
    );
  });

  it("follows the precedence buyer list > group list > volume tier > list price", () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const answers = (a: { priceList: PriceListForListing }) =>
          priceListApplies(a.priceList, "EUR", AT) && a.priceList.entries.some((e) => e.minQuantity <= input.quantity);
        const expected = input.buyerPriceLists!.some(answers)
          ? "buyer_price_list"
          : input.groupPriceLists!.some(answers)
            ? "group_price_list"
            : input.listing.tiers.some((t) => t.minQuantity <= input.quantity)
              ? "volume_tier"
              : "list_price";
        expect(resolveUnitPrice(input).source.kind).toBe(expected);
      }),
    );
  });

  it("does not depend on the order the rows arrive in", () => {
    fc.assert(
      fc.property(inputArb, fc.func(fc.integer()), (input, key) => {
        const shuffle = <T>(xs: readonly T[]) => xs.map((x, i) => ({ x, k: key(i) })).sort((a, b) => a.k - b.k).map((e) => e.x);
        const shuffled = {
          ...input,
          listing: { ...input.listing, tiers: shuffle(input.listing.tiers) },
          buyerPriceLists: shuffle(input.buyerPriceLists!).map((a) => ({ ...a, priceList: { ...a.priceList, entries: shuffle(a.priceList.entries) } })),
          groupPriceLists: shuffle(input.groupPriceLists!),
        };
        expect(resolveUnitPrice(shuffled)).toEqual(resolveUnitPrice(input));
      }),
    );
  });

  it("computes lineTotal = unitPrice × quantity exactly", () => {
    fc.assert(
      fc.property(inputArb, fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }), (input, quantity) => {
        const result = resolveUnitPrice({ ...input, quantity });
        expect(result.lineTotal).toEqual(money(result.unitPrice.amount * BigInt(quantity), result.unitPrice.currency));
      }),
    );
  });
});
