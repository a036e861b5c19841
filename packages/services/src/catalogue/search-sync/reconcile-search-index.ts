import { sql } from "kysely";
import { z } from "zod";
import { notFound } from "@souk/domain";
import type { SearchDeps, ServiceDeps } from "../../deps";
import { idField, parseInput } from "../../input";
import { buildListingDocuments } from "./build-listing-documents";

export const reconcileSearchIndexSchema = z.object({ runId: idField("runId") });
export type ReconcileSearchIndexInput = z.input<typeof reconcileSearchIndexSchema>;

/** Searchable listings read (and documents compared) per page. */
export const RECONCILE_PAGE_SIZE = 1_000;
/** Ids removed from the index per call. */
const REMOVE_CHUNK = 1_000;
const MAX_FAILURE_LENGTH = 1_000;

export interface ReconcileCounts {
  /** Searchable listings in PostgreSQL. */
  expected: number;
  /** Documents in the index before the repair. */
  indexed: number;
  /** Searchable listings without a document: added. */
  missing: number;
  /** Documents whose checksum differs from PostgreSQL's: replaced. */
  stale: number;
  /** Documents of listings that are not searchable (or gone): removed. */
  extra: number;
}

export type ReconcileSearchIndexResult = ({ status: "succeeded" } & ReconcileCounts) | { status: "skipped" };

/**
 * The reconciliation job. Compares every searchable listing in PostgreSQL (paged by id) with the
 * index's documents (count and per-listing checksum) and repairs the drift: missing and stale
 * documents are written again, extra ones removed. A `reindex` run first (re)applies the index
 * settings and then writes every document, whether it differs or not.
 *
 * The run row says how it went (running, then succeeded with the counts, or failed with the
 * error, which is also rethrown so the queue retries it). A run that already succeeded is not run
 * again (a redelivered job). The search queue runs one job at a time, so no listing sync writes
 * to the index while the comparison is under way; a listing that changes in PostgreSQL meanwhile
 * is synced by its own job right after.
 */
export async function reconcileSearchIndex(deps: ServiceDeps & SearchDeps, input: unknown): Promise<ReconcileSearchIndexResult> {
  const { runId } = parseInput(reconcileSearchIndexSchema, input);
  const { db, listingIndex: index } = deps;

  const run = await db.selectFrom("search_index_runs").select(["kind", "status"]).where("id", "=", runId).executeTakeFirst();
  if (!run) throw notFound("Search index run");
  if (run.status === "succeeded") return { status: "skipped" };
  await db
    .updateTable("search_index_runs")
    .set({ status: "running", started_at: sql<Date>`now()`, finished_at: null, failure: null })
    .where("id", "=", runId)
    .execute();

  try {
    const reindex = run.kind === "reindex";
    if (reindex) await index.configure();
    const stats = await index.stats();
    const unseen = new Map(Object.entries(stats.checksums));
    const counts: ReconcileCounts = { expected: 0, indexed: stats.count, missing: 0, stale: 0, extra: 0 };

    let afterId: string | null = null;
    do {
      const batch = await buildListingDocuments(db, { afterId, limit: RECONCILE_PAGE_SIZE });
      const toWrite = batch.docs.filter((doc) => {
        const checksum = unseen.get(doc.id);
        unseen.delete(doc.id);
        if (checksum === undefined) counts.missing += 1;
        else if (checksum !== doc.checksum) counts.stale += 1;
        else return reindex;
        return true;
      });
      counts.expected += batch.docs.length;
      if (toWrite.length > 0) await index.upsert(toWrite);
      afterId = batch.nextAfterId;
    } while (afterId !== null);

    const extra = [...unseen.keys()];
    counts.extra = extra.length;
    for (let i = 0; i < extra.length; i += REMOVE_CHUNK) await index.remove(extra.slice(i, i + REMOVE_CHUNK));

    await db
      .updateTable("search_index_runs")
      .set({
        status: "succeeded",
        expected_count: counts.expected,
        indexed_count: counts.indexed,
        missing_count: counts.missing,
        stale_count: counts.stale,
        extra_count: counts.extra,
        finished_at: sql<Date>`now()`,
      })
      .where("id", "=", runId)
      .execute();
    return { status: "succeeded", ...counts };
  } catch (error) {
    const failure = (error instanceof Error ? `${error.name}: ${error.message}` : String(error)).slice(0, MAX_FAILURE_LENGTH);
    // Best effort: when PostgreSQL itself is what failed, the row stays "running" and the retry sets it again.
    await db
      .updateTable("search_index_runs")
      .set({ status: "failed", failure, finished_at: sql<Date>`now()` })
      .where("id", "=", runId)
      .execute()
      .catch(() => undefined);
    throw error;
  }
}
