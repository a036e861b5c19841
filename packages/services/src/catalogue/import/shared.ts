import type { CatalogueImport, CatalogueImportError, Db } from "@souk/db";
import { can, forbidden, type Actor } from "@souk/domain";
import type { RowLookups } from "./rows";

/** Helpers of the import use cases (not exported from the package). */

export const CATALOGUE_IMPORT_LIMITS = {
  /** The uploaded file; the apps cap the request body above this so that the seller reads file.too_large. */
  maxBytes: 10 * 1024 * 1024,
  /** Rows written per transaction; progress is committed after each. */
  batchRows: 500,
  /** Errors kept with an import (the count is exact beyond it). */
  maxStoredErrors: 1_000,
} as const;

/** The failure of an import that a retry of its job continues (an error of the database, a crash). */
export const IMPORT_INTERRUPTED = "import.interrupted";
/** The failure of an import whose header is wrong: nothing was read past line 1. */
export const IMPORT_COLUMNS_INVALID = "import.columns_invalid";

/** Imports are a seller's: its members who manage listings start and read them, nobody else. */
export function assertCanImport(actor: Actor): void {
  if (actor.organizationKind !== "seller" || !can("seller", actor.role, "manage:listings:org")) {
    throw forbidden("Missing permission manage:listings:org");
  }
}

export type CatalogueImportStatus = CatalogueImport["status"];

/** An import as the pages show it (JSON-safe). */
export interface CatalogueImportView {
  id: string;
  fileName: string;
  status: CatalogueImportStatus;
  /** Data rows of the file (the header and blank lines not counted); 0 until the job has read it. */
  totalRows: number;
  processedRows: number;
  createdCount: number;
  updatedCount: number;
  unchangedCount: number;
  /** Rows refused (each may have several errors). */
  errorCount: number;
  /** A message key when the import as a whole failed (import.columns_invalid, import.interrupted). */
  failure: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export const IMPORT_VIEW_COLUMNS = [
  "id",
  "file_name",
  "status",
  "total_rows",
  "processed_rows",
  "created_count",
  "updated_count",
  "unchanged_count",
  "error_count",
  "failure",
  "created_at",
  "started_at",
  "finished_at",
] as const;

export function importView(row: Pick<CatalogueImport, (typeof IMPORT_VIEW_COLUMNS)[number]>): CatalogueImportView {
  return {
    id: row.id,
    fileName: row.file_name,
    status: row.status,
    totalRows: row.total_rows,
    processedRows: row.processed_rows,
    createdCount: row.created_count,
    updatedCount: row.updated_count,
    unchangedCount: row.unchanged_count,
    errorCount: row.error_count,
    failure: row.failure,
    createdAt: row.created_at.toISOString(),
    startedAt: row.started_at?.toISOString() ?? null,
    finishedAt: row.finished_at?.toISOString() ?? null,
  };
}

export type { CatalogueImportError };

/** The category tree by slug and the seller's groups by name, as the rows of a file name them. */
export async function loadRowLookups(db: Db, sellerId: string): Promise<RowLookups> {
  const [categories, groups] = await Promise.all([
    db.selectFrom("categories").select(["id", "slug"]).execute(),
    db.selectFrom("customer_groups").select(["id", "name"]).where("seller_id", "=", sellerId).execute(),
  ]);
  return {
    categoryIds: new Set(categories.map((c) => c.id)),
    groupIds: new Set(groups.map((g) => g.id)),
    categoryIdBySlug: new Map(categories.map((c) => [c.slug, c.id])),
    groupIdByName: new Map(groups.map((g) => [g.name.trim().toLowerCase(), g.id])),
  };
}
