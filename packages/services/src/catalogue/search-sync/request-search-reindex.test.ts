import { sql } from "kysely";
import { describe, expect, test } from "vitest";
import type { Db } from "@souk/db";
import { createMeilisearchListingIndex, createPostgresListingIndex } from "@souk/search";
import { createTestDatabase } from "@souk/testing";
import type { ActorDeps } from "../../deps";
import { domainErrorOf } from "../../identity/test-support";
import { memberOf, operator } from "../../vetting/test-support";
import { getSearchIndexHealth } from "./get-search-index-health";
import { reconcileSearchIndex } from "./reconcile-search-index";
import { requestSearchReindex } from "./request-search-reindex";
import { syncListings } from "./sync-listings";
import { categoryId, insertListings, sellerOrg } from "./test-support";

async function counts(db: Db) {
  const count = async (table: "search_index_runs" | "audit_log" | "outbox") =>
    Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<string>().as("n")).executeTakeFirstOrThrow()).n);
  return { runs: await count("search_index_runs"), audit: await count("audit_log"), outbox: await count("outbox") };
}

describe("requestSearchReindex", () => {
  test("a moderator queues a reconciliation: the run, its job and the audit record, in one go", async () => {
    const { db } = await createTestDatabase();
    const moderator = await operator(db, "moderator", "Mina Moderator");
    const { runId } = await requestSearchReindex(moderator, { kind: "reconcile" });

    expect(await db.selectFrom("search_index_runs").select(["id", "kind", "status", "requested_by"]).execute()).toEqual([
      { id: runId, kind: "reconcile", status: "queued", requested_by: moderator.actor.userId },
    ]);
    expect(await db.selectFrom("outbox").select(["topic", "payload"]).execute()).toEqual([{ topic: "search.reconcile", payload: { runId } }]);
    const audit = await db.selectFrom("audit_log").selectAll().execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      action: "search.reindex_requested",
      actor_user_id: moderator.actor.userId,
      actor_organization_id: moderator.actor.organizationId,
      organization_id: moderator.actor.organizationId,
      target_type: "search_index_run",
      target_id: runId,
      ip: moderator.request.ip,
      data: { kind: "reconcile" },
    });
  });

  test("refuses a second request while one is queued or running (also when two arrive at once), and accepts one once it is done", async () => {
    const { db } = await createTestDatabase();
    const admin = await operator(db, "admin");
    const results = await Promise.allSettled([requestSearchReindex(admin, { kind: "reindex" }), requestSearchReindex(admin, { kind: "reconcile" })]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const rejected = results.find((r) => r.status === "rejected");
    expect(rejected?.reason).toMatchObject({ code: "CONFLICT", fieldErrors: { kind: ["search.run_in_progress"] } });
    const before = await counts(db);

    await db.updateTable("search_index_runs").set({ status: "running", started_at: sql<Date>`now()` }).execute();
    expect((await domainErrorOf(requestSearchReindex(admin, { kind: "reindex" }))).code).toBe("CONFLICT");
    expect(await counts(db)).toEqual(before);

    await db.updateTable("search_index_runs").set({ status: "failed", failure: "boom" }).execute();
    await requestSearchReindex(admin, { kind: "reindex" });
    expect(await counts(db)).toEqual({ runs: before.runs + 1, audit: before.audit + 1, outbox: before.outbox + 1 });
  });

  test("only operators who manage search may ask; a bad kind is a field error; nothing is written", async () => {
    const { db } = await createTestDatabase();
    const finance = await operator(db, "finance");
    const sellerOwner = await memberOf(db, "seller", "owner");
    const buyerAdmin = await memberOf(db, "buyer", "admin");
    const moderator = await operator(db, "moderator");
    for (const deps of [finance, sellerOwner, buyerAdmin]) {
      expect((await domainErrorOf(requestSearchReindex(deps, { kind: "reconcile" }))).code).toBe("FORBIDDEN");
    }
    for (const input of [{}, { kind: "drop" }, { kind: "reconcile'; --" }, null]) {
      expect((await domainErrorOf(requestSearchReindex(moderator, input))).fieldErrors).toEqual({ kind: ["search.kind_invalid"] });
    }
    expect(await counts(db)).toEqual({ runs: 0, audit: 0, outbox: 0 });
  });
});

describe("getSearchIndexHealth", () => {
  test("compares PostgreSQL with the index and lists the latest runs, newest first", async () => {
    const { db } = await createTestDatabase();
    const listingIndex = createPostgresListingIndex(db);
    const moderator: ActorDeps & { listingIndex: typeof listingIndex } = { ...(await operator(db, "moderator", "Mina Moderator")), listingIndex };
    const seller = await sellerOrg(db);
    const suspended = await sellerOrg(db, "suspended");
    const fabric = await categoryId(db, "textiles-fabric");
    const ids = await insertListings(db, seller.id, [{ categoryId: fabric }, { categoryId: fabric }, { categoryId: fabric, status: "draft" }]);
    await insertListings(db, suspended.id, [{ categoryId: fabric }]);
    await syncListings(moderator, { listingIds: [ids[0]!] });

    const drifting = await getSearchIndexHealth(moderator);
    expect(drifting).toEqual({ engine: "postgres", searchableListings: 2, indexedDocuments: 1, indexReachable: true, inSync: false, lastRuns: [] });

    const { runId } = await requestSearchReindex(moderator, { kind: "reconcile" });
    await reconcileSearchIndex(moderator, { runId });
    const scheduled = (await db.insertInto("search_index_runs").values({ kind: "reconcile" }).returning("id").executeTakeFirstOrThrow()).id;

    const health = await getSearchIndexHealth(moderator);
    expect(health).toMatchObject({ searchableListings: 2, indexedDocuments: 2, inSync: true });
    expect(health.lastRuns.map((r) => r.id)).toEqual([scheduled, runId]);
    expect(health.lastRuns[0]).toMatchObject({ kind: "reconcile", status: "queued", requestedBy: null, expectedCount: null, startedAt: null });
    expect(health.lastRuns[1]).toMatchObject({
      kind: "reconcile",
      status: "succeeded",
      requestedBy: { userId: moderator.actor.userId, name: "Mina Moderator" },
      expectedCount: 2,
      indexedCount: 1,
      missingCount: 1,
      staleCount: 0,
      extraCount: 0,
      failure: null,
    });
    expect(Date.parse(health.lastRuns[1]!.finishedAt!)).toBeGreaterThanOrEqual(Date.parse(health.lastRuns[1]!.startedAt!));

    // Same counts, different listings: not in sync.
    await db.updateTable("listings").set({ status: "unlisted" }).where("id", "=", ids[1]!).execute();
    await insertListings(db, seller.id, [{ categoryId: fabric }]);
    expect(await getSearchIndexHealth(moderator)).toMatchObject({ searchableListings: 2, indexedDocuments: 2, inSync: false });
  });

  test("says when the index cannot be reached, and is for operators who manage search only", async () => {
    const { db } = await createTestDatabase();
    const unreachable = createMeilisearchListingIndex({ url: "http://127.0.0.1:9", adminKey: "admin", searchKey: "search" });
    const moderator = { ...(await operator(db, "moderator")), listingIndex: unreachable };
    expect(await getSearchIndexHealth(moderator)).toEqual({
      engine: "meilisearch",
      searchableListings: 0,
      indexedDocuments: null,
      indexReachable: false,
      inSync: false,
      lastRuns: [],
    });
    for (const deps of [await operator(db, "finance"), await memberOf(db, "seller", "owner"), await memberOf(db, "buyer", "admin")]) {
      expect((await domainErrorOf(getSearchIndexHealth({ ...deps, listingIndex: unreachable }))).code).toBe("FORBIDDEN");
    }
  });
});
