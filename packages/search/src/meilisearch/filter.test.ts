import { describe, expect, it } from "vitest";
import { buildMeiliFilter, MEILI_FILTER_ATTRIBUTES, quote } from "./filter";
import { MEILI_SETTINGS } from "./meilisearch-listing-index";

const none = { buyerGroupIds: [] };

describe("buildMeiliFilter", () => {
  it("always restricts to everyone plus the buyer's groups", () => {
    expect(buildMeiliFilter({ visibility: none })).toEqual(['visibleTo IN ["everyone"]']);
    expect(buildMeiliFilter({ visibility: { buyerGroupIds: ["g1", "everyone"] } })).toEqual([
      'visibleTo IN ["everyone", "group:g1", "group:everyone"]',
    ]);
  });

  it("builds one condition per filter from allow-listed attributes", () => {
    expect(
      buildMeiliFilter({
        visibility: none,
        filters: { categoryId: "c1", sellerId: "s1", priceBand: "10-50", maxMinOrderQuantity: 10, maxLeadTimeDays: 7.9, inStock: false },
      }),
    ).toEqual([
      'visibleTo IN ["everyone"]',
      'categoryIds = "c1"',
      'sellerId = "s1"',
      'priceBand = "10-50"',
      "minOrderQuantity <= 10",
      "leadTimeDays <= 7",
      "inStock = false",
    ]);
  });

  it("escapes quotes and backslashes so operators stay inside one string literal", () => {
    expect(quote('a" OR sellerId EXISTS OR sellerId = "b')).toBe('"a\\" OR sellerId EXISTS OR sellerId = \\"b"');
    expect(quote("x\\")).toBe('"x\\\\"');
    expect(quote("x\\\" OR 1=1")).toBe('"x\\\\\\" OR 1=1"');
    const [, seller] = buildMeiliFilter({ visibility: none, filters: { sellerId: "' OR 1=1 --" } });
    expect(seller).toBe(`sellerId = "' OR 1=1 --"`);
  });

  it("ignores non-numeric and non-boolean values where numbers or booleans are expected", () => {
    const filters = { maxMinOrderQuantity: "10 OR 1=1", maxLeadTimeDays: Number.NaN, inStock: "true OR x" } as never;
    expect(buildMeiliFilter({ visibility: none, filters })).toEqual(['visibleTo IN ["everyone"]']);
  });

  it("only filters on attributes the index settings declare filterable", () => {
    for (const attribute of Object.values(MEILI_FILTER_ATTRIBUTES)) {
      expect(MEILI_SETTINGS.filterableAttributes).toContain(attribute);
    }
    expect(MEILI_SETTINGS.pagination?.maxTotalHits).toBe(10_000);
  });
});
