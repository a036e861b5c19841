import { describe, expect, it } from "vitest";
import { createTestDatabase } from "@souk/testing";
import { createListingIndex } from "./create-listing-index";
import { readSearchEnv } from "./env";
import { queryWords } from "./postgres/postgres-listing-index";
import { assertListingDocument, bandOf, PRICE_BANDS } from "./port";
import { catalogue } from "./contract";

const t = await createTestDatabase();
const noMeili = { meiliUrl: null, meiliAdminKey: null, meiliSearchKey: null, meiliIndexUid: null };

describe("createListingIndex", () => {
  it("uses PostgreSQL when MEILI_URL is not set", () => {
    expect(createListingIndex({ db: t.db, search: readSearchEnv({ MEILI_URL: " " }) }).name).toBe("postgres");
  });

  it("uses Meilisearch when MEILI_URL is set, and insists on a separate search key", () => {
    const meili = { ...noMeili, meiliUrl: "http://127.0.0.1:7700", meiliAdminKey: "admin" };
    expect(() => createListingIndex({ db: t.db, search: meili })).toThrow(/MEILI_SEARCH_KEY/);
    expect(() => createListingIndex({ db: t.db, search: { ...meili, meiliSearchKey: "admin" } })).toThrow(/search-only key/);
    expect(createListingIndex({ db: t.db, search: { ...meili, meiliSearchKey: "search" } }).name).toBe("meilisearch");
  });
});

describe("port helpers", () => {
  it("splits query text into letter/digit words only", () => {
    expect(queryWords("'; DROP table--x:* & !Gants  électriques")).toEqual(["drop", "table", "x", "gants", "électriques"]);
    expect(queryWords("%_*")).toEqual([]);
  });

  it("puts prices in fixed bands", () => {
    expect([0, 999, 1000, 4999, 100_000].map((p) => bandOf(PRICE_BANDS, p))).toEqual(["under-10", "under-10", "10-50", "10-50", "1000-plus"]);
  });

  it("rejects documents an adapter could not index faithfully", () => {
    const doc = catalogue()[0]!;
    expect(() => assertListingDocument({ ...doc, listPriceMinor: "12.50" })).toThrow(/listPriceMinor/);
    expect(() => assertListingDocument({ ...doc, listPriceMinor: "99999999999999999" })).toThrow(/listPriceMinor/);
    expect(() => assertListingDocument({ ...doc, id: "a b" })).toThrow(/id/);
    expect(() => assertListingDocument(doc)).not.toThrow();
  });
});
