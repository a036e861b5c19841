import { sql } from "kysely";
import { z } from "zod";
import { withTransaction, type CatalogueImportError, type Db } from "@souk/db";
import {
  isDomainError,
  LISTING_MOVES,
  LISTING_TRANSITIONS,
  moveListing,
  type ListingMove,
  type ListingStatus,
  type OrganizationStatus,
} from "@souk/domain";
import type { ServiceDeps } from "../../deps";
import { parseInput } from "../../input";
import { queueListingSync } from "../sync";
import { readHeader, type ColumnIndex } from "./columns";
import { readCsv, stripBom, type CsvRecord } from "./csv";
import { CURRENCY_LOCKED, listingsInPriceLists, loadStoredListings, sameListingFields } from "../save-listing";
import { duplicateSkusOf, readRow } from "./rows";
import { writeListings, type ListingWrite } from "./write-listings";
import { CATALOGUE_IMPORT_LIMITS, IMPORT_COLUMNS_INVALID, IMPORT_INTERRUPTED, loadRowLookups } from "./shared";

export const runCatalogueImportSchema = z.object({ importId: z.uuid() });

/**
 * The `catalogue.import` job: reads the stored file and upserts its valid rows by SKU, in batches of
 * CATALOGUE_IMPORT_LIMITS.batchRows rows, each batch one transaction that also records its progress
 * (processed rows, counts, errors). So the page shows progress as it goes, and what the counts say
 * is exactly what was written.
 *
 * A row with any error writes nothing and is reported with its line, column and reason; an
 * unchanged row writes nothing either (no version, no search sync), which is what makes importing
 * the same file twice a no-op. Status changes are moves of the listing state machine.
 *
 * Safe to run again: an import already finished is left alone; one found `running` (its worker died)
 * or failed by an error continues after its last committed batch. Each batch re-checks, under the
 * import's row lock, that it starts where the previous one ended, so two deliveries of the job at
 * once never apply a batch twice.
 */
export async function runCatalogueImport(deps: ServiceDeps, input: { importId: string }): Promise<void> {
  const { importId } = parseInput(runCatalogueImportSchema, input);
  const { db } = deps;
  const claimed = await db
    .updateTable("catalogue_imports")
    .set({ status: "running", failure: null, finished_at: null, started_at: sql<Date>`coalesce(started_at, now())` })
    .where("id", "=", importId)
    .where((eb) => eb.or([eb("status", "in", ["queued", "running"]), eb.and([eb("status", "=", "failed"), eb("failure", "=", IMPORT_INTERRUPTED)])]))
    .returning(["seller_id", "content"])
    .executeTakeFirst();
  if (!claimed) return;
  try {
    await importFile(db, importId, claimed.seller_id, claimed.content);
  } catch (error) {
    // The job is retried (JOBS["catalogue.import"]); meanwhile the page says why it stopped.
    await db
      .updateTable("catalogue_imports")
      .set({ status: "failed", failure: IMPORT_INTERRUPTED, finished_at: sql<Date>`now()` })
      .where("id", "=", importId)
      .where("status", "=", "running")
      .execute()
      .catch(() => undefined);
    throw error;
  }
}

async function importFile(db: Db, importId: string, sellerId: string, content: Uint8Array): Promise<void> {
  const records = [...readCsv(stripBom(new TextDecoder("utf-8").decode(content)))];
  const [header, ...rows] = records;
  const head = !header
    ? readHeader([])
    : header.problem
      ? { ok: false as const, errors: [{ line: header.line, column: null, reason: header.problem }] }
      : readHeader(header.fields);
  if (!head.ok) {
    await db
      .updateTable("catalogue_imports")
      .set({ status: "failed", failure: IMPORT_COLUMNS_INVALID, errors: JSON.stringify(head.errors), finished_at: sql<Date>`now()` })
      .where("id", "=", importId)
      .execute();
    return;
  }
  const duplicates = duplicateSkusOf(rows, head.index);
  const progress = await db
    .updateTable("catalogue_imports")
    .set({ total_rows: rows.length })
    .where("id", "=", importId)
    .where("status", "=", "running")
    .returning("processed_rows")
    .executeTakeFirst();
  if (!progress) return;

  for (let offset = progress.processed_rows; offset < rows.length; offset += CATALOGUE_IMPORT_LIMITS.batchRows) {
    const batch = rows.slice(offset, offset + CATALOGUE_IMPORT_LIMITS.batchRows);
    const applied = await withTransaction(db, (trx) => importBatch(trx, { importId, sellerId, offset, batch, index: head.index, duplicates }));
    if (!applied) return;
  }
  await db
    .updateTable("catalogue_imports")
    .set({ status: "succeeded", finished_at: sql<Date>`now()` })
    .where("id", "=", importId)
    .where("status", "=", "running")
    .where("processed_rows", "=", rows.length)
    .execute();
}

interface Batch {
  importId: string;
  sellerId: string;
  /** Rows of the file before this batch (the import's processed_rows when it starts). */
  offset: number;
  batch: readonly CsvRecord[];
  index: ColumnIndex;
  duplicates: ReadonlySet<string>;
}

/** One batch in the caller's transaction; false when the import is no longer this run's to continue. */
async function importBatch(trx: Db, { importId, sellerId, offset, batch, index, duplicates }: Batch): Promise<boolean> {
  const current = await trx.selectFrom("catalogue_imports").select(["status", "processed_rows", "errors"]).where("id", "=", importId).forUpdate().executeTakeFirst();
  if (!current || current.status !== "running" || current.processed_rows !== offset) return false;

  const [seller, lookups] = await Promise.all([
    trx.selectFrom("organizations").select("status").where("id", "=", sellerId).executeTakeFirstOrThrow(),
    loadRowLookups(trx, sellerId),
  ]);
  const rows = batch.map((record) => readRow(record, index, lookups, duplicates));
  const existing = await loadStoredListings(trx, sellerId, { skus: rows.flatMap((r) => (r.ok ? [r.fields.sku] : [])) }, true);
  const currencyChanges = rows.flatMap((r) => {
    const found = r.ok ? existing.get(r.fields.sku) : undefined;
    return r.ok && found && found.fields.currency !== r.fields.currency ? [found.id] : [];
  });
  const priced = await listingsInPriceLists(trx, sellerId, currencyChanges);

  const errors: CatalogueImportError[] = [];
  const writes: ListingWrite[] = [];
  let unchanged = 0;
  let refused = 0;
  for (const row of rows) {
    if (!row.ok) {
      errors.push(...row.errors);
      refused += 1;
      continue;
    }
    const found = existing.get(row.fields.sku);
    if (found && priced.has(found.id) && found.fields.currency !== row.fields.currency) {
      errors.push({ line: row.line, column: "currency", reason: CURRENCY_LOCKED });
      refused += 1;
      continue;
    }
    const plan = planStatus(found?.status ?? "draft", row.status, seller.status);
    if ("error" in plan) {
      errors.push({ line: row.line, column: "status", reason: plan.error });
      refused += 1;
      continue;
    }
    if (found && !plan.to && sameListingFields(found.fields, row.fields)) unchanged += 1;
    else writes.push({ fields: row.fields, existing: found, to: plan.to });
  }
  const changed = await writeListings(trx, sellerId, writes);
  const updated = writes.filter((w) => w.existing).length;
  const created = writes.length - updated;
  await queueListingSync(trx, changed);
  await trx
    .updateTable("catalogue_imports")
    .set({
      processed_rows: offset + batch.length,
      created_count: sql<number>`created_count + ${created}`,
      updated_count: sql<number>`updated_count + ${updated}`,
      unchanged_count: sql<number>`unchanged_count + ${unchanged}`,
      error_count: sql<number>`error_count + ${refused}`,
      errors: JSON.stringify([...current.errors, ...errors].slice(0, CATALOGUE_IMPORT_LIMITS.maxStoredErrors)),
    })
    .where("id", "=", importId)
    .execute();
  return true;
}

/**
 * What the status cell asks of a listing now in `from` (a new listing is a draft): nothing, a move
 * of the state machine, or why the row is refused. A blocked listing stays as the operator left it;
 * a seller cannot block; a draft cannot be unlisted, nor a listing go back to draft.
 */
function planStatus(from: ListingStatus, target: ListingStatus | null, sellerStatus: OrganizationStatus): { to: ListingStatus | null } | { error: string } {
  if (target === null || target === from) return { to: null };
  if (from === "blocked") return { error: "listing.blocked_status" };
  const move: ListingMove | undefined = LISTING_MOVES.find((m) => LISTING_TRANSITIONS[m].by === "seller" && LISTING_TRANSITIONS[m].to === target);
  if (!move) return { error: target === "blocked" ? "status.block_not_allowed" : "status.transition_invalid" };
  try {
    return { to: moveListing(from, move, { sellerStatus }) };
  } catch (error) {
    if (!isDomainError(error)) throw error;
    return { error: error.code === "FORBIDDEN" ? "status.seller_not_active" : "status.transition_invalid" };
  }
}
