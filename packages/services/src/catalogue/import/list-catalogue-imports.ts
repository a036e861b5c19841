import { z } from "zod";
import type { ActorDeps } from "../../deps";
import { parseInput } from "../../input";
import { offsetOf, pageField, type Page } from "../../list-input";
import { assertCanImport, IMPORT_VIEW_COLUMNS, importView, type CatalogueImportView } from "./shared";

export const CATALOGUE_IMPORTS_PAGE_SIZE = 20;

export const listCatalogueImportsSchema = z.object({ page: pageField("import.page_invalid") });
export type ListCatalogueImportsInput = z.input<typeof listCatalogueImportsSchema>;

/** The seller's imports, newest first (without their errors: getCatalogueImport has them). */
export async function listCatalogueImports(deps: ActorDeps, input: unknown = {}): Promise<Page<CatalogueImportView>> {
  const { actor, db } = deps;
  assertCanImport(actor);
  const { page } = parseInput(listCatalogueImportsSchema, input);
  const [rows, count] = await Promise.all([
    db
      .selectFrom("catalogue_imports")
      .select(IMPORT_VIEW_COLUMNS)
      .where("seller_id", "=", actor.organizationId)
      .orderBy("created_at", "desc")
      .orderBy("id", "desc")
      .limit(CATALOGUE_IMPORTS_PAGE_SIZE)
      .offset(offsetOf(page, CATALOGUE_IMPORTS_PAGE_SIZE))
      .execute(),
    db
      .selectFrom("catalogue_imports")
      .select((eb) => eb.fn.countAll<string>().as("n"))
      .where("seller_id", "=", actor.organizationId)
      .executeTakeFirstOrThrow(),
  ]);
  return { items: rows.map(importView), page, pageSize: CATALOGUE_IMPORTS_PAGE_SIZE, total: Number(count.n) };
}
