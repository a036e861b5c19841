import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { createTestDatabase } from "@souk/testing";
import { catalogue, describeListingIndexContract } from "../contract";
import { listingChecksum, type ListingDocument } from "../port";
import { createPostgresListingIndex } from "./postgres-listing-index";

const t = await createTestDatabase();

describeListingIndexContract("postgres", async () => {
  await sql`truncate search_listings`.execute(t.db);
  const index = createPostgresListingIndex(t.db);
  await index.configure();
  return index;
});

describe("postgres adapter: matching and ranking", () => {
  const titled = (id: string, title: string): ListingDocument => {
    const { checksum: _checksum, ...base } = catalogue()[0]!;
    const doc = { ...base, id, sku: id.toUpperCase(), title, description: "" };
    return { ...doc, checksum: listingChecksum(doc) };
  };
  const ids = async (text: string, sort?: "price_asc") => {
    const index = createPostgresListingIndex(t.db);
    return (await index.search({ text, visibility: { buyerGroupIds: [] }, ...(sort ? { sort } : {}) })).hits.map((h) => h.id);
  };

  it("ranks a listing matching the word as typed before one matching only a misspelling of it", async () => {
    await sql`truncate search_listings`.execute(t.db);
    // "dril" is only a misspelling of "drill"; ids sort the other way round, so the order is the rank's.
    await createPostgresListingIndex(t.db).upsert([titled("a-typo", "Cordless dril kit"), titled("b-exact", "Cordless drill kit")]);
    expect(await ids("drill")).toEqual(["b-exact", "a-typo"]);
    expect(await ids("dril")).toEqual(["a-typo", "b-exact"]);
    // Another order than relevance ignores the rank.
    expect(await ids("drill", "price_asc")).toEqual(["a-typo", "b-exact"]);
  });

  it("matches words under 5 letters only as prefixes, not as misspellings", async () => {
    await sql`truncate search_listings`.execute(t.db);
    await createPostgresListingIndex(t.db).upsert([titled("wool", "Wool blanket"), titled("wood", "Wood pallet")]);
    expect(await ids("wool")).toEqual(["wool"]);
    expect(await ids("woo")).toEqual(expect.arrayContaining(["wool", "wood"]));
    expect(await ids("wolo")).toEqual([]);
    expect(await ids("blankit")).toEqual(["wool"]);
  });
});
