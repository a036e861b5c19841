import { z } from "zod";
import { notFound } from "@souk/domain";
import type { ActorDeps } from "../../deps";
import { assertCanImport, IMPORT_VIEW_COLUMNS, importView, type CatalogueImportError, type CatalogueImportView } from "./shared";

/** An id from a URL; anything but a UUID designates no import. */
export const getCatalogueImportSchema = z.object({ importId: z.string().trim().toLowerCase().pipe(z.uuid()) });

export interface CatalogueImportDetail extends CatalogueImportView {
  /** In line order, at most CATALOGUE_IMPORT_LIMITS.maxStoredErrors of them. */
  errors: CatalogueImportError[];
  /** More errors were found than are kept (errorCount counts every refused row). */
  errorsTruncated: boolean;
}

/**
 * One of the seller's imports with its progress and its errors (line, column, reason), read again
 * by the page while the job runs. Another seller's import, or no import, is NOT_FOUND.
 */
export async function getCatalogueImport(deps: ActorDeps, input: unknown): Promise<CatalogueImportDetail> {
  const { actor, db } = deps;
  assertCanImport(actor);
  const parsed = getCatalogueImportSchema.safeParse(input ?? {});
  if (!parsed.success) throw notFound("CatalogueImport");
  const row = await db
    .selectFrom("catalogue_imports")
    .select([...IMPORT_VIEW_COLUMNS, "errors"])
    .where("id", "=", parsed.data.importId)
    .where("seller_id", "=", actor.organizationId)
    .executeTakeFirst();
  if (!row) throw notFound("CatalogueImport");
  // Every refused row has at least one error: fewer distinct lines than refused rows means some were cut.
  const lines = new Set(row.errors.map((e) => e.line));
  return { ...importView(row), errors: row.errors, errorsTruncated: row.error_count > 0 && lines.size < row.error_count };
}
