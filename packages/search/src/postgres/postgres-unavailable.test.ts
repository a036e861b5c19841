import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { createDb } from "@souk/db";
import { createTestDatabase } from "@souk/testing";
import { catalogue } from "../contract";
import { SEARCH_LOCK_TIMEOUT_MS, SearchUnavailableError } from "../port";
import { createPostgresListingIndex } from "./postgres-listing-index";

const t = await createTestDatabase();

describe("postgres adapter: an index that cannot answer", () => {
  it("gives a search up as unavailable while its table is locked (VACUUM FULL, a migration), instead of waiting for the lock", async () => {
    await sql`truncate search_listings`.execute(t.db);
    const index = createPostgresListingIndex(t.db);
    await index.upsert(catalogue());
    const query = { text: "", visibility: { buyerGroupIds: [] } };
    const visible = (await index.search(query)).total;
    expect(visible).toBeGreaterThan(0);

    const locker = createDb({ connectionString: t.url, max: 1 });
    const lock = await locker.startTransaction().execute();
    try {
      await sql`lock table search_listings in access exclusive mode`.execute(lock);
      const started = Date.now();
      await expect(index.search(query)).rejects.toBeInstanceOf(SearchUnavailableError);
      const waited = Date.now() - started;
      expect(waited).toBeGreaterThanOrEqual(SEARCH_LOCK_TIMEOUT_MS - 100);
      expect(waited).toBeLessThan(SEARCH_LOCK_TIMEOUT_MS + 2_000);
      // The health page's read too.
      await expect(index.stats()).rejects.toBeInstanceOf(SearchUnavailableError);
    } finally {
      await lock.rollback().execute();
      await locker.destroy();
    }
    // Released: searching works again, and the timeouts did not leak into the pool's connections.
    expect((await index.search(query)).total).toBe(visible);
    const { rows } = await sql<{ lock_timeout: string }>`show lock_timeout`.execute(t.db);
    expect(rows[0]?.lock_timeout).toBe("0");
  });
});
