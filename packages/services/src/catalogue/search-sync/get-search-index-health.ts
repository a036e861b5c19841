import type { Db } from "@souk/db";
import { assertCan } from "@souk/domain";
import type { ActorDeps, SearchDeps } from "../../deps";
import type { SearchIndexRunKind } from "./shared";

export const SEARCH_HEALTH_RUNS = 10;

export interface SearchIndexRunView {
  id: string;
  kind: SearchIndexRunKind;
  status: "queued" | "running" | "succeeded" | "failed";
  /** Who asked for it; null for the worker's periodic reconciliation (or a deleted user). */
  requestedBy: { userId: string; name: string } | null;
  expectedCount: number | null;
  indexedCount: number | null;
  missingCount: number | null;
  staleCount: number | null;
  extraCount: number | null;
  failure: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface SearchIndexHealth {
  engine: "postgres" | "meilisearch";
  /** Published listings of active sellers, in PostgreSQL. */
  searchableListings: number;
  /** Documents in the index; null when the index could not be reached. */
  indexedDocuments: number | null;
  indexReachable: boolean;
  /**
   * Every searchable listing has a document and the index holds no other. Documents whose content
   * drifted are found by a reconciliation (its stale count), not here.
   */
  inSync: boolean;
  /** The latest runs, newest first. */
  lastRuns: SearchIndexRunView[];
}

/** The operator's view of the search index: PostgreSQL against the index, and the latest runs. */
export async function getSearchIndexHealth(deps: ActorDeps & SearchDeps, _input: unknown = {}): Promise<SearchIndexHealth> {
  assertCan(deps.actor, "manage:search:any");
  const { db, listingIndex } = deps;
  const [searchable, stats, lastRuns] = await Promise.all([
    db
      .selectFrom("listings as l")
      .innerJoin("organizations as o", "o.id", "l.seller_id")
      .select("l.id")
      .where("l.status", "=", "published")
      .where("o.status", "=", "active")
      .execute(),
    listingIndex.stats().catch(() => null),
    latestRuns(db),
  ]);
  const inSync = stats !== null && stats.count === searchable.length && searchable.every((row) => Object.hasOwn(stats.checksums, row.id));
  return {
    engine: listingIndex.name,
    searchableListings: searchable.length,
    indexedDocuments: stats?.count ?? null,
    indexReachable: stats !== null,
    inSync,
    lastRuns,
  };
}

async function latestRuns(db: Db): Promise<SearchIndexRunView[]> {
  const rows = await db
    .selectFrom("search_index_runs as r")
    .leftJoin("users as u", "u.id", "r.requested_by")
    .select([
      "r.id",
      "r.kind",
      "r.status",
      "r.requested_by",
      "u.name as requester_name",
      "r.expected_count",
      "r.indexed_count",
      "r.missing_count",
      "r.stale_count",
      "r.extra_count",
      "r.failure",
      "r.created_at",
      "r.started_at",
      "r.finished_at",
    ])
    .orderBy("r.created_at", "desc")
    .orderBy("r.id", "desc")
    .limit(SEARCH_HEALTH_RUNS)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    status: r.status,
    requestedBy: r.requested_by && r.requester_name !== null ? { userId: r.requested_by, name: r.requester_name } : null,
    expectedCount: r.expected_count,
    indexedCount: r.indexed_count,
    missingCount: r.missing_count,
    staleCount: r.stale_count,
    extraCount: r.extra_count,
    failure: r.failure,
    createdAt: r.created_at.toISOString(),
    startedAt: r.started_at?.toISOString() ?? null,
    finishedAt: r.finished_at?.toISOString() ?? null,
  }));
}
