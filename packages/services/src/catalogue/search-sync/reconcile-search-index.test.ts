import { sql } from "kysely";
import { describe, expect, test } from "vitest";
import { createMeilisearchListingIndex, createPostgresListingIndex } from "@souk/search";
import { createTestDatabase } from "@souk/testing";
import { domainErrorOf, TEST_URLS } from "../../identity/test-support";
import { buildListingDocuments } from "./build-listing-documents";
import { reconcileSearchIndex } from "./reconcile-search-index";
import { scheduleSearchReconcile } from "./schedule-search-reconcile";
import { syncListings } from "./sync-listings";
import { categoryId, insertListings, sellerOrg, setListing } from "./test-support";

/** A database of its own per test: reconciliation looks at every listing and the whole index. */
async function setup() {
  const { db } = await createTestDatabase();
  const listingIndex = createPostgresListingIndex(db);
  const deps = { db, publicUrls: TEST_URLS, listingIndex };
  const seller = await sellerOrg(db);
  const tools = await categoryId(db, "tools-hand");
  const ids = await insertListings(db, seller.id, Array.from({ length: 6 }, (_, i) => ({ title: `Claw hammer ${i}`, categoryId: tools })));
  await syncListings(deps, { listingIds: ids });
  const newRun = async (kind: "reconcile" | "reindex" = "reconcile") =>
    (await db.insertInto("search_index_runs").values({ kind }).returning("id").executeTakeFirstOrThrow()).id;
  const runRow = (id: string) => db.selectFrom("search_index_runs").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
  /** What the index must hold: every searchable listing's current document. */
  const expectedChecksums = async () =>
    Object.fromEntries((await buildListingDocuments(db, { afterId: null, limit: 10_000 })).docs.map((d) => [d.id, d.checksum]));
  return { db, listingIndex, deps, seller, tools, ids, newRun, runRow, expectedChecksums };
}

describe("reconcileSearchIndex", () => {
  test("repairs drift: a document deleted behind its back, a stale one, an extra one; counts it; a second run finds none", async () => {
    const { db, listingIndex, deps, seller, tools, ids, newRun, runRow, expectedChecksums } = await setup();
    // Missing: a document lost by the index (or a sync that never ran).
    await listingIndex.remove([ids[0]!]);
    // Stale: the listing changed and its sync was lost.
    await setListing(db, ids[1]!, { title: "Framing hammer" });
    // Stale too: the index holds a document whose content drifted.
    await sql`update search_listings set checksum = 'drifted' where id = ${ids[2]!}`.execute(db);
    // Extra: a listing unpublished whose removal was lost, and a document of no listing at all.
    await setListing(db, ids[3]!, { status: "unlisted" });
    const [ghost] = (await buildListingDocuments(db, { listingIds: [ids[4]!] })).docs;
    await listingIndex.upsert([{ ...ghost!, id: "not-a-listing" }]);
    // Missing too: published, never synced.
    const [fresh] = await insertListings(db, seller.id, [{ title: "Sledge hammer", categoryId: tools }]);

    const runId = await newRun();
    const result = await reconcileSearchIndex(deps, { runId });
    expect(result).toEqual({ status: "succeeded", expected: 6, indexed: 6, missing: 2, stale: 2, extra: 2 });
    expect(await runRow(runId)).toMatchObject({
      status: "succeeded",
      expected_count: 6,
      indexed_count: 6,
      missing_count: 2,
      stale_count: 2,
      extra_count: 2,
      failure: null,
      started_at: expect.any(Date),
      finished_at: expect.any(Date),
    });
    expect((await listingIndex.stats()).checksums).toEqual(await expectedChecksums());
    expect((await listingIndex.search({ text: "framing", visibility: { buyerGroupIds: [] } })).hits.map((h) => h.id)).toEqual([ids[1]]);
    expect(Object.keys((await listingIndex.stats()).checksums)).toContain(fresh);

    const again = await newRun();
    expect(await reconcileSearchIndex(deps, { runId: again })).toEqual({ status: "succeeded", expected: 6, indexed: 6, missing: 0, stale: 0, extra: 0 });
  });

  test("a reindex rewrites every document, even those in sync", async () => {
    const { db, deps, ids, newRun } = await setup();
    const before = await db.selectFrom("search_listings").select(["id", "indexed_at"]).execute();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await reconcileSearchIndex(deps, { runId: await newRun("reindex") })).toEqual({
      status: "succeeded",
      expected: 6,
      indexed: 6,
      missing: 0,
      stale: 0,
      extra: 0,
    });
    const after = new Map((await db.selectFrom("search_listings").select(["id", "indexed_at"]).execute()).map((r) => [r.id, r.indexed_at]));
    expect(after.size).toBe(ids.length);
    for (const row of before) expect(after.get(row.id)!.getTime()).toBeGreaterThan(row.indexed_at.getTime());
  });

  test("a run already succeeded is not run again (a redelivered job); an unknown or malformed run id is refused", async () => {
    const { listingIndex, deps, ids, newRun, runRow } = await setup();
    const runId = await newRun();
    await reconcileSearchIndex(deps, { runId });
    const done = await runRow(runId);
    await listingIndex.remove([ids[0]!]);
    expect(await reconcileSearchIndex(deps, { runId })).toEqual({ status: "skipped" });
    expect(await runRow(runId)).toEqual(done);
    expect((await listingIndex.stats()).count).toBe(5);

    expect((await domainErrorOf(reconcileSearchIndex(deps, { runId: crypto.randomUUID() }))).code).toBe("NOT_FOUND");
    expect((await domainErrorOf(reconcileSearchIndex(deps, { runId: "1 or 1=1" }))).fieldErrors).toEqual({ runId: ["runId.invalid"] });
  });

  test("records a failure when the index cannot be reached, and rethrows it so the queue retries", async () => {
    const { db, newRun, runRow } = await setup();
    // A real Meilisearch client with no server behind the address.
    const unreachable = createMeilisearchListingIndex({ url: "http://127.0.0.1:9", adminKey: "admin", searchKey: "search", taskTimeoutMs: 500 });
    const runId = await newRun();
    await expect(reconcileSearchIndex({ db, publicUrls: TEST_URLS, listingIndex: unreachable }, { runId })).rejects.toThrow();
    const run = await runRow(runId);
    expect(run.status).toBe("failed");
    expect(run.failure).toMatch(/\S/);
    expect(run.finished_at).toBeInstanceOf(Date);
    expect(run.expected_count).toBeNull();
  });

  test("scheduleSearchReconcile queues one run with its job, and none while one is queued or running", async () => {
    const { db, deps } = await setup();
    const [a, b] = await Promise.all([scheduleSearchReconcile(deps), scheduleSearchReconcile(deps)]);
    const queued = [a, b].filter((r) => r !== null);
    expect(queued).toHaveLength(1);
    const runId = queued[0]!.runId;
    expect(await db.selectFrom("search_index_runs").select(["id", "kind", "status", "requested_by"]).execute()).toEqual([
      { id: runId, kind: "reconcile", status: "queued", requested_by: null },
    ]);
    expect(await db.selectFrom("outbox").select(["topic", "payload"]).where("topic", "=", "search.reconcile").execute()).toEqual([
      { topic: "search.reconcile", payload: { runId } },
    ]);

    await db.updateTable("search_index_runs").set({ status: "running", started_at: sql<Date>`now()` }).execute();
    expect(await scheduleSearchReconcile(deps)).toBeNull();
    // A run whose worker died long ago no longer blocks the schedule.
    await sql`update search_index_runs set created_at = now() - interval '3 hours', started_at = now() - interval '2 hours'`.execute(db);
    expect(await scheduleSearchReconcile(deps)).toEqual({ runId: expect.any(String) });
    await db.updateTable("search_index_runs").set({ status: "succeeded" }).execute();
    expect(await scheduleSearchReconcile(deps)).toEqual({ runId: expect.any(String) });
  });
});
