import { describe, expect, test } from "vitest";
import { sql } from "kysely";
import {
  LISTING_STATUSES,
  listingIsSearchable,
  money,
  ORGANIZATION_STATUSES,
  resolveUnitPrice,
  type BuyerPriceListAssignment,
  type Currency,
  type GroupPriceListAssignment,
  type PriceBreak,
  type PricingInput,
} from "@souk/domain";
import { createTestDatabase } from "@souk/testing";
import { domainErrorOf } from "../../identity/test-support";
import { loadBuyerPricing, priceBreaksForBuyer, priceForBuyer } from "./buyer-pricing";
import { assign, buyer, countingDb, group, listing, priceList, seller, sellerIdOf } from "./test-support";
import { buyerGroupIds, canBuyerSeeListing } from "./visibility";

const { db } = await createTestDatabase();

const AT = new Date("2026-06-15T12:00:00Z");
const DAY = 24 * 60 * 60 * 1000;
const eur = (minor: number) => money(minor, "EUR");

/** Priced at `at` (AT unless told otherwise; null: the database's now()). */
async function priceOf(buyerId: string, listingId: string, quantity: number, at: Date | null = AT) {
  const pricing = await loadBuyerPricing(db, { buyerId, listingIds: [listingId], ...(at ? { at } : {}) });
  const { unitPrice, source } = priceForBuyer(pricing, listingId, quantity);
  return { unit: Number(unitPrice.amount), kind: source.kind, minQuantity: source.minQuantity };
}

describe("loadBuyerPricing + priceForBuyer: the rule's order", () => {
  test("list price, then the listing's volume tiers by quantity", async () => {
    const s = sellerIdOf(await seller(db));
    const b = sellerIdOf(await buyer(db));
    const l = await listing(db, s, { listPriceMinor: 1_000, tiers: [[10, 900], [100, 800]] });
    expect(await priceOf(b, l.id, 1)).toEqual({ unit: 1_000, kind: "list_price", minQuantity: 1 });
    expect(await priceOf(b, l.id, 9)).toEqual({ unit: 1_000, kind: "list_price", minQuantity: 1 });
    expect(await priceOf(b, l.id, 10)).toEqual({ unit: 900, kind: "volume_tier", minQuantity: 10 });
    expect(await priceOf(b, l.id, 250)).toEqual({ unit: 800, kind: "volume_tier", minQuantity: 100 });
  });

  test("a group's list beats the tiers; among groups the higher priority wins; the buyer's own list beats every group's, whatever the priorities", async () => {
    const s = sellerIdOf(await seller(db));
    const b = sellerIdOf(await buyer(db));
    const l = await listing(db, s, { listPriceMinor: 1_000, tiers: [[10, 900]] });
    const g1 = await group(db, s, [b]);
    const g2 = await group(db, s, [b]);

    const low = await priceList(db, s, { entries: [[l.id, 1, 700]] });
    await assign(db, s, low.id, { groupId: g1 }, 1);
    expect(await priceOf(b, l.id, 10)).toMatchObject({ unit: 700, kind: "group_price_list" });

    const high = await priceList(db, s, { entries: [[l.id, 1, 750]] });
    await assign(db, s, high.id, { groupId: g2 }, 5);
    expect(await priceOf(b, l.id, 10)).toMatchObject({ unit: 750, kind: "group_price_list" });

    const own = await priceList(db, s, { entries: [[l.id, 1, 990], [l.id, 50, 600]] });
    await assign(db, s, own.id, { buyerId: b }, -1000);
    expect(await priceOf(b, l.id, 10)).toEqual({ unit: 990, kind: "buyer_price_list", minQuantity: 1 });
    expect(await priceOf(b, l.id, 50)).toEqual({ unit: 600, kind: "buyer_price_list", minQuantity: 50 });
  });

  test("a list with no break reaching the quantity falls through to the next source", async () => {
    const s = sellerIdOf(await seller(db));
    const b = sellerIdOf(await buyer(db));
    const l = await listing(db, s, { listPriceMinor: 1_000, tiers: [[5, 950]] });
    const own = await priceList(db, s, { entries: [[l.id, 100, 500]] });
    await assign(db, s, own.id, { buyerId: b });
    expect(await priceOf(b, l.id, 5)).toMatchObject({ unit: 950, kind: "volume_tier" });
    expect(await priceOf(b, l.id, 100)).toMatchObject({ unit: 500, kind: "buyer_price_list" });
  });

  test("validity: from inclusive, to exclusive, judged at the given instant", async () => {
    const s = sellerIdOf(await seller(db));
    const b = sellerIdOf(await buyer(db));
    const l = await listing(db, s, { listPriceMinor: 1_000 });
    const startsNow = await priceList(db, s, { validFrom: AT, entries: [[l.id, 1, 800]] });
    const endsNow = await priceList(db, s, { validTo: AT, entries: [[l.id, 1, 700]] });
    await assign(db, s, startsNow.id, { buyerId: b }, 0);
    await assign(db, s, endsNow.id, { buyerId: b }, 10);
    expect(await priceOf(b, l.id, 1, AT)).toMatchObject({ unit: 800, kind: "buyer_price_list" });
    expect(await priceOf(b, l.id, 1, new Date(AT.getTime() - 1))).toMatchObject({ unit: 700, kind: "buyer_price_list" });
    expect(await priceOf(b, l.id, 1, new Date(AT.getTime() + DAY))).toMatchObject({ unit: 800 });
  });

  test("without an instant, validity is judged at the database's now()", async () => {
    const s = sellerIdOf(await seller(db));
    const b = sellerIdOf(await buyer(db));
    const l = await listing(db, s, { listPriceMinor: 1_000 });
    const { now } = (await sql<{ now: Date }>`select now()`.execute(db)).rows[0]!;
    const expired = await priceList(db, s, { validTo: new Date(now.getTime() - DAY), entries: [[l.id, 1, 100]] });
    const current = await priceList(db, s, { validFrom: new Date(now.getTime() - DAY), validTo: new Date(now.getTime() + DAY), entries: [[l.id, 1, 200]] });
    const future = await priceList(db, s, { validFrom: new Date(now.getTime() + DAY), entries: [[l.id, 1, 300]] });
    await assign(db, s, expired.id, { buyerId: b }, 3);
    await assign(db, s, future.id, { buyerId: b }, 2);
    await assign(db, s, current.id, { buyerId: b }, 1);
    expect(await priceOf(b, l.id, 1, null)).toMatchObject({ unit: 200, kind: "buyer_price_list" });
  });

  test("a list in another currency than the listing is skipped", async () => {
    const s = sellerIdOf(await seller(db));
    const b = sellerIdOf(await buyer(db));
    const l = await listing(db, s, { listPriceMinor: 1_000, currency: "EUR" });
    // As left behind when the seller switched the listing from USD to EUR after pricing it.
    const usd = await priceList(db, s, { currency: "USD", entries: [[l.id, 1, 500]] });
    await assign(db, s, usd.id, { buyerId: b }, 10);
    expect(await priceOf(b, l.id, 1)).toMatchObject({ unit: 1_000, kind: "list_price" });
  });

  test("only the buyer's own assignments and its own groups of the listing's seller count", async () => {
    const s = sellerIdOf(await seller(db));
    const other = sellerIdOf(await seller(db));
    const b = sellerIdOf(await buyer(db));
    const c = sellerIdOf(await buyer(db));
    const l = await listing(db, s, { listPriceMinor: 1_000 });
    const otherListing = await listing(db, other, { listPriceMinor: 1_000 });

    // Another buyer's contract and a group the buyer is not in.
    const forC = await priceList(db, s, { entries: [[l.id, 1, 100]] });
    await assign(db, s, forC.id, { buyerId: c }, 10);
    const notMine = await priceList(db, s, { entries: [[l.id, 1, 200]] });
    await assign(db, s, notMine.id, { groupId: await group(db, s, [c]) }, 10);
    // The buyer's contract and group with another seller.
    const elsewhere = await priceList(db, other, { entries: [[otherListing.id, 1, 300]] });
    await assign(db, other, elsewhere.id, { buyerId: b }, 10);
    await assign(db, other, elsewhere.id, { groupId: await group(db, other, [b]) }, 10);

    const pricing = await loadBuyerPricing(db, { buyerId: b, listingIds: [l.id, otherListing.id], at: AT });
    expect(pricing.get(l.id)).toMatchObject({ buyerPriceLists: [], groupPriceLists: [] });
    expect(priceForBuyer(pricing, l.id, 1).source.kind).toBe("list_price");
    expect(pricing.get(otherListing.id)?.buyerPriceLists?.map((a) => a.priceList.id)).toEqual([elsewhere.id]);
    expect(priceForBuyer(pricing, otherListing.id, 1)).toMatchObject({ unitPrice: eur(300), source: { kind: "buyer_price_list" } });
  });

  test("a listing the buyer may not see is not loaded, so it cannot be priced (NOT_FOUND)", async () => {
    const s = sellerIdOf(await seller(db));
    const b = sellerIdOf(await buyer(db));
    const hidden = await listing(db, s, { groupIds: [await group(db, s, [])] });
    const draft = await listing(db, s, { status: "draft" });
    const pricing = await loadBuyerPricing(db, { buyerId: b, listingIds: [hidden.id, draft.id, "not-a-uuid"], at: AT });
    expect(pricing.size).toBe(0);
    expect((await domainErrorOf(Promise.resolve().then(() => priceForBuyer(pricing, hidden.id, 1)))).code).toBe("NOT_FOUND");
  });

  test("the price table gives, from the minimum order quantity, what priceForBuyer gives at every quantity", async () => {
    const s = sellerIdOf(await seller(db));
    const b = sellerIdOf(await buyer(db));
    const l = await listing(db, s, { listPriceMinor: 1_000, minOrderQuantity: 5, tiers: [[10, 900], [100, 800]] });
    const own = await priceList(db, s, { entries: [[l.id, 50, 850], [l.id, 500, 700]] });
    await assign(db, s, own.id, { buyerId: b });
    const pricing = await loadBuyerPricing(db, { buyerId: b, listingIds: [l.id], at: AT });
    const table = priceBreaksForBuyer(pricing, l.id, 5);
    expect(table.map((r) => [r.fromQuantity, Number(r.price.unitPrice.amount), r.price.source.kind])).toEqual([
      [5, 1_000, "list_price"],
      [10, 900, "volume_tier"],
      [50, 850, "buyer_price_list"],
      [500, 700, "buyer_price_list"],
    ]);
    for (let q = 5; q <= 600; q += 1) {
      const row = [...table].reverse().find((r) => r.fromQuantity <= q)!;
      expect(priceForBuyer(pricing, l.id, q).unitPrice).toEqual(row.price.unitPrice);
    }
  });
});

/** A small seeded generator (mulberry32): the same scenarios on every run, so a failure replays. */
function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(list: readonly T[]) => list[int(0, list.length - 1)]!;
  return { next, int, pick };
}

function breaks(r: ReturnType<typeof random>, count: number, minFrom: number): [number, number][] {
  const quantities = new Set<number>();
  while (quantities.size < count) quantities.add(r.pick([1, 2, 5, 10, 25, 50, 100, 250].filter((q) => q >= minFrom)));
  return [...quantities].map((q) => [q, r.int(100, 5_000)]);
}

describe("loadBuyerPricing + priceForBuyer agree with resolveUnitPrice (property-style, seeded)", () => {
  const SCENARIOS = 30;
  const seen = new Set<string>();
  test.each(Array.from({ length: SCENARIOS }, (_, i) => i + 1))("scenario %i", async (seed) => {
    const r = random(seed * 7919);
    const s = sellerIdOf(await seller(db));
    const other = sellerIdOf(await seller(db));
    const b = sellerIdOf(await buyer(db));
    const listPrice = r.int(100, 10_000);
    const tiers = breaks(r, r.int(0, 3), 2);
    const l = await listing(db, s, { listPriceMinor: listPrice, tiers, minOrderQuantity: r.int(1, 20) });

    // Three groups of the seller (the buyer in some), one of another seller with the buyer in it.
    const groups = await Promise.all([0, 1, 2].map(async () => {
      const member = r.next() < 0.6;
      return { id: await group(db, s, member ? [b] : []), member };
    }));
    const foreignGroup = await group(db, other, [b]);
    const foreign = await priceList(db, other, { entries: [[(await listing(db, other)).id, 1, 1]] });
    await assign(db, other, foreign.id, { groupId: foreignGroup }, 1000);
    await assign(db, other, foreign.id, { buyerId: b }, 1000);

    const expectedBuyer: BuyerPriceListAssignment[] = [];
    const expectedGroups: GroupPriceListAssignment[] = [];
    const creations = [new Date(AT.getTime() - 30 * DAY), new Date(AT.getTime() - 20 * DAY)];
    const windows: [Date | null, Date | null][] = [
      [null, null],
      [new Date(AT.getTime() - DAY), null],
      [null, new Date(AT.getTime() + DAY)],
      [new Date(AT.getTime() - 10 * DAY), new Date(AT.getTime() - DAY)],
      [new Date(AT.getTime() + DAY), null],
      [AT, new Date(AT.getTime() + 1)],
      [new Date(AT.getTime() - 1), AT],
    ];
    for (let i = r.int(0, 5); i > 0; i -= 1) {
      const currency: Currency = r.next() < 0.8 ? "EUR" : "USD";
      const [validFrom, validTo] = r.pick(windows);
      const entries = breaks(r, r.int(0, 3), 1);
      const createdAt = r.pick(creations);
      const list = await priceList(db, s, { currency, validFrom, validTo, createdAt, entries: entries.map(([q, p]) => [l.id, q, p]) });
      const model = {
        id: list.id,
        currency,
        validFrom,
        validTo,
        createdAt,
        entries: entries.map(([minQuantity, p]): PriceBreak => ({ minQuantity, unitPrice: money(p, currency) })),
      };
      const targets = r.int(1, 3);
      const chosen = new Set<string>();
      for (let t = 0; t < targets; t += 1) {
        const priority = r.int(-2, 2);
        if (r.next() < 0.35) {
          if (chosen.has("buyer")) continue;
          chosen.add("buyer");
          await assign(db, s, list.id, { buyerId: b }, priority);
          expectedBuyer.push({ priority, priceList: model });
        } else {
          const g = r.pick(groups);
          if (chosen.has(g.id)) continue;
          chosen.add(g.id);
          await assign(db, s, list.id, { groupId: g.id }, priority);
          if (g.member) expectedGroups.push({ groupId: g.id, priority, priceList: model });
        }
      }
    }

    const pricing = await loadBuyerPricing(db, { buyerId: b, listingIds: [l.id], at: AT });
    const model: Omit<PricingInput, "quantity"> = {
      listing: { listPrice: eur(listPrice), tiers: tiers.map(([minQuantity, p]) => ({ minQuantity, unitPrice: eur(p) })) },
      at: AT,
      buyerPriceLists: expectedBuyer,
      groupPriceLists: expectedGroups,
    };
    const quantities = new Set([1, 2, 3, 5, 9, 10, 11, 24, 25, 50, 99, 100, 101, 250, 1_000, 10_000]);
    for (const a of [...expectedBuyer, ...expectedGroups]) for (const e of a.priceList.entries) [e.minQuantity - 1, e.minQuantity, e.minQuantity + 1].forEach((q) => q >= 1 && quantities.add(q));
    for (const quantity of quantities) {
      const priced = priceForBuyer(pricing, l.id, quantity);
      expect(priced, `quantity ${quantity}`).toEqual(resolveUnitPrice({ ...model, quantity }));
      seen.add(priced.source.kind);
    }
  });

  test("the scenarios reach every source of the rule", () => {
    expect([...seen].sort()).toEqual(["buyer_price_list", "group_price_list", "list_price", "volume_tier"]);
  });
});

describe("batched loading", () => {
  test("pricing 1 or 60 listings of several sellers with lists and groups costs the same few statements", async () => {
    const b = sellerIdOf(await buyer(db));
    const ids: string[] = [];
    for (let k = 0; k < 3; k += 1) {
      const s = sellerIdOf(await seller(db));
      const g = await group(db, s, [b]);
      const listings = await Promise.all(Array.from({ length: 20 }, (_, i) => listing(db, s, { tiers: [[10, 900 - i]] })));
      ids.push(...listings.map((x) => x.id));
      const own = await priceList(db, s, { entries: listings.map((x): [string, number, number] => [x.id, 10, 500]) });
      const grouped = await priceList(db, s, { entries: listings.map((x): [string, number, number] => [x.id, 5, 400]) });
      await assign(db, s, own.id, { buyerId: b });
      await assign(db, s, grouped.id, { groupId: g });
    }
    const one = countingDb(db);
    await loadBuyerPricing(one.db, { buyerId: b, listingIds: ids.slice(0, 1) });
    const many = countingDb(db);
    const pricing = await loadBuyerPricing(many.db, { buyerId: b, listingIds: ids });
    expect(pricing.size).toBe(60);
    expect(many.count()).toBe(one.count());
    expect(many.count()).toBeLessThanOrEqual(4);
    for (const id of ids) {
      expect(priceForBuyer(pricing, id, 5).source.kind).toBe("group_price_list");
      expect(priceForBuyer(pricing, id, 10).source.kind).toBe("buyer_price_list");
    }
  });
});

describe("the visibility rule", () => {
  test.each(LISTING_STATUSES.flatMap((status) => ORGANIZATION_STATUSES.map((sellerStatus) => [status, sellerStatus] as const)))(
    "a %s listing of a %s seller is visible exactly when listingIsSearchable says so",
    async (status, sellerStatus) => {
      const s = sellerIdOf(await seller(db, { status: sellerStatus }));
      const b = sellerIdOf(await buyer(db));
      const l = await listing(db, s, { status });
      expect(await canBuyerSeeListing(db, b, l.id)).toBe(listingIsSearchable(status, sellerStatus));
    },
  );

  test("a listing shown to groups is visible to their members only, and to nobody once its groups are gone", async () => {
    const s = sellerIdOf(await seller(db));
    const other = sellerIdOf(await seller(db));
    const member = sellerIdOf(await buyer(db));
    const outsider = sellerIdOf(await buyer(db));
    const g = await group(db, s, [member]);
    // The outsider is in a group of another seller: groups never cross sellers.
    await group(db, other, [outsider]);
    const l = await listing(db, s, { groupIds: [g] });
    expect(await canBuyerSeeListing(db, member, l.id)).toBe(true);
    expect(await canBuyerSeeListing(db, outsider, l.id)).toBe(false);
    expect(await buyerGroupIds(db, member)).toEqual([g]);

    await db.deleteFrom("customer_groups").where("id", "=", g).execute();
    expect(await canBuyerSeeListing(db, member, l.id)).toBe(false);
  });
});
