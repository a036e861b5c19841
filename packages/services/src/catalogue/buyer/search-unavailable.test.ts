import { sql } from "kysely";
import { describe, expect, test } from "vitest";
import { createDb } from "@souk/db";
import { createPostgresListingIndex, SEARCH_TIMEOUT_MS } from "@souk/search";
import { createTestDatabase } from "@souk/testing";
import { domainErrorOf } from "../../identity/test-support";
import { buyer, indexListings, listing, seller, sellerIdOf } from "../pricing/test-support";
import { searchCatalogue } from "./search-catalogue";

const { db, url } = await createTestDatabase();
const listingIndex = createPostgresListingIndex(db);

describe("searchCatalogue when the index cannot answer", () => {
  test("is UNAVAILABLE (503, a message for the buyer) within the search timeout while the index table is locked, and searches again once it is released", async () => {
    const s = sellerIdOf(await seller(db));
    const b = await buyer(db);
    const l = await listing(db, s, { title: "Carton unavailable-drill" });
    await indexListings(db, listingIndex, [l.id]);
    const as = { ...b, listingIndex };
    expect((await searchCatalogue(as, { q: "unavailable-drill" })).hits.map((h) => h.id)).toEqual([l.id]);

    // What a VACUUM FULL or a migration of the index table does to readers.
    const locker = createDb({ connectionString: url, max: 1 });
    const lock = await locker.startTransaction().execute();
    try {
      await sql`lock table search_listings in access exclusive mode`.execute(lock);
      const started = Date.now();
      const error = await domainErrorOf(searchCatalogue(as, { q: "unavailable-drill" }));
      expect(Date.now() - started).toBeLessThan(SEARCH_TIMEOUT_MS);
      expect({ code: error.code, status: error.status, message: error.message }).toEqual({ code: "UNAVAILABLE", status: 503, message: "buyerCatalogue.unavailable" });
    } finally {
      await lock.rollback().execute();
      await locker.destroy();
    }
    expect((await searchCatalogue(as, { q: "unavailable-drill" })).hits.map((h) => h.id)).toEqual([l.id]);
  });
});
