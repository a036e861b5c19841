import { sql } from "kysely";
import type { Db, SearchIndexRun } from "@souk/db";
import { writeOutbox } from "@souk/jobs";
import type { ListingIndex } from "@souk/search";
import type { ListingDocumentBatch } from "./build-listing-documents";

/** Helpers of the search sync use cases (not exported from the package). */

export interface SyncResult {
  /** Documents written (searchable listings). */
  upserted: number;
  /** Ids removed from the index (listings no longer searchable, or gone). */
  removed: number;
}

/** Writes a batch to the index: the searchable listings' documents, and the removal of the others. */
export async function applyBatch(index: ListingIndex, batch: ListingDocumentBatch): Promise<SyncResult> {
  const gone = batch.listingIds.filter((id) => !batch.searchableIds.has(id));
  if (batch.docs.length > 0) await index.upsert(batch.docs);
  if (gone.length > 0) await index.remove(gone);
  return { upserted: batch.docs.length, removed: gone.length };
}

export type SearchIndexRunKind = SearchIndexRun["kind"];

/**
 * A queued or running run older than this is taken for dead (its worker died and BullMQ gave up on
 * the job): it no longer blocks a new one. A reconciliation of 100,000 listings takes about a minute.
 */
export const RUN_STALE_AFTER_MINUTES = 60;

/**
 * Queues a reconciliation or reindex run: the run row and its `search.reconcile` outbox row, in the
 * caller's transaction. Returns null when a run is already queued or running: the runs of the
 * operator and of the worker's timer are serialised by a transaction-scoped advisory lock, so two
 * requests at once cannot both see "none running".
 */
export async function queueIndexRun(trx: Db, kind: SearchIndexRunKind, requestedBy: string | null): Promise<{ runId: string } | null> {
  await sql`select pg_advisory_xact_lock(hashtext('souk.search_index_runs'))`.execute(trx);
  const active = await trx
    .selectFrom("search_index_runs")
    .select("id")
    .where("status", "in", ["queued", "running"])
    .where(sql<Date>`coalesce(started_at, created_at)`, ">", sql<Date>`now() - make_interval(mins => ${RUN_STALE_AFTER_MINUTES})`)
    .executeTakeFirst();
  if (active) return null;
  const run = await trx.insertInto("search_index_runs").values({ kind, requested_by: requestedBy }).returning("id").executeTakeFirstOrThrow();
  await writeOutbox(trx, "search.reconcile", { runId: run.id });
  return { runId: run.id };
}
