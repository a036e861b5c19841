import type { CatalogueImportError } from "@souk/db";

/**
 * The columns of a catalogue CSV, in the order the export writes them. An import's header must
 * name each exactly once, in any order (case and surrounding spaces do not matter), and nothing else.
 */
export const CSV_COLUMNS = [
  "sku",
  "title",
  "description",
  "category",
  "unit",
  "currency",
  "list_price",
  "min_order_quantity",
  "stock",
  "lead_time_days",
  "tiers",
  "attributes",
  "visibility",
  "status",
] as const;
export type CsvColumn = (typeof CSV_COLUMNS)[number];

/** The CSV column that shows a field of parseListingFields (its field errors are keyed by field name). */
export const COLUMN_OF_FIELD: Readonly<Record<string, CsvColumn>> = {
  sku: "sku",
  title: "title",
  description: "description",
  categoryId: "category",
  unit: "unit",
  currency: "currency",
  listPrice: "list_price",
  minOrderQuantity: "min_order_quantity",
  stock: "stock",
  leadTimeDays: "lead_time_days",
  tiers: "tiers",
  attributes: "attributes",
  visibility: "visibility",
  groupIds: "visibility",
};

const normalise = (name: string) => name.trim().toLowerCase();

/** Where each column sits in the file's records (index of its field). */
export type ColumnIndex = Readonly<Record<CsvColumn, number>>;

/**
 * Reads the header record. Every problem is reported at line 1 with the column it concerns:
 * `column.unknown` (as written), `column.duplicate`, `column.missing`.
 */
export function readHeader(fields: readonly string[]): { ok: true; index: ColumnIndex } | { ok: false; errors: CatalogueImportError[] } {
  const errors: CatalogueImportError[] = [];
  const index: Partial<Record<CsvColumn, number>> = {};
  fields.forEach((raw, position) => {
    const name = normalise(raw);
    if (!(CSV_COLUMNS as readonly string[]).includes(name)) {
      errors.push({ line: 1, column: raw.trim(), reason: "column.unknown" });
    } else if (index[name as CsvColumn] !== undefined) {
      errors.push({ line: 1, column: name, reason: "column.duplicate" });
    } else {
      index[name as CsvColumn] = position;
    }
  });
  for (const column of CSV_COLUMNS) if (index[column] === undefined) errors.push({ line: 1, column, reason: "column.missing" });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, index: index as ColumnIndex };
}

/** Whether a header names at least one of our columns: a file that names none is not a catalogue CSV at all. */
export function looksLikeCatalogueHeader(fields: readonly string[]): boolean {
  return fields.some((f) => (CSV_COLUMNS as readonly string[]).includes(normalise(f)));
}
