import type { CatalogueImportError } from "@souk/db";
import { isListingStatus, type FieldErrors, type ListingStatus } from "@souk/domain";
import { parseListingFields, type ListingFields } from "../listing-input";
import { referenceErrors, type CatalogueLookups } from "../save-listing";
import { COLUMN_OF_FIELD, CSV_COLUMNS, type ColumnIndex, type CsvColumn } from "./columns";
import { unguardCell, type CsvRecord } from "./csv";

/** What the rows of one import are checked against: the category tree and the seller's groups. */
export interface RowLookups extends CatalogueLookups {
  categoryIdBySlug: ReadonlyMap<string, string>;
  /** The seller's customer groups by lower-cased name (names are unique per seller, case-insensitively). */
  groupIdByName: ReadonlyMap<string, string>;
}

export type ImportRow =
  | {
      ok: true;
      line: number;
      fields: ListingFields;
      /** The status the row asks for; null (empty cell): keep it, or draft for a new listing. */
      status: ListingStatus | null;
    }
  | { ok: false; line: number; errors: CatalogueImportError[] };

/**
 * One record of the file as a listing. The cells are turned into the text fields of the listing form
 * (category slug → id, group names → ids) and checked by the one validation path, parseListingFields
 * and referenceErrors, so a CSV row and the form give the same errors for the same mistake; what only
 * a file can get wrong (a duplicated SKU, an unknown slug or group name, the status) is added here.
 * Every problem of the row is reported, each with the column it sits in.
 */
export function readRow(record: CsvRecord, index: ColumnIndex, lookups: RowLookups, duplicateSkus: ReadonlySet<string>): ImportRow {
  const { line } = record;
  if (record.problem) return { ok: false, line, errors: [{ line, column: null, reason: record.problem }] };
  if (record.fields.length !== CSV_COLUMNS.length) return { ok: false, line, errors: [{ line, column: null, reason: "row.field_count" }] };
  const cell = (column: CsvColumn) => unguardCell(record.fields[index[column]] ?? "");

  const errors: FieldErrors = {};
  const add = (field: string, key: string) => (errors[field] ??= []).push(key);

  const slug = cell("category").trim().toLowerCase();
  const categoryId = slug === "" ? "" : lookups.categoryIdBySlug.get(slug);

  const visibility = readVisibility(cell("visibility"), lookups.groupIdByName);

  const statusText = cell("status").trim().toLowerCase();
  const status = statusText === "" ? null : isListingStatus(statusText) ? statusText : undefined;

  const parsed = parseListingFields({
    sku: cell("sku"),
    title: cell("title"),
    description: cell("description"),
    categoryId: categoryId ?? slug,
    unit: cell("unit"),
    currency: cell("currency"),
    listPrice: cell("list_price"),
    minOrderQuantity: cell("min_order_quantity"),
    stock: cell("stock"),
    leadTimeDays: cell("lead_time_days"),
    tiers: cell("tiers"),
    attributes: cell("attributes"),
    visibility: visibility.visibility,
    groupIds: visibility.groupIds,
  });
  if (parsed.ok) Object.assign(errors, referenceErrors(parsed.fields, lookups));
  else Object.assign(errors, parsed.errors);

  // The form's category and group errors speak of ids; the file names slugs and groups.
  if (categoryId === undefined) errors.categoryId = ["category.unknown_slug"];
  if (visibility.unknown) {
    delete errors.groupIds;
    add("visibility", "visibility.unknown_group");
  }
  if (duplicateSkus.has(cell("sku").trim())) add("sku", "sku.duplicate_in_file");
  if (status === undefined) add("status", "status.invalid");

  if (Object.keys(errors).length === 0 && parsed.ok) return { ok: true, line, fields: parsed.fields, status: status ?? null };
  const byColumn = (e: CatalogueImportError) => CSV_COLUMNS.indexOf(e.column as CsvColumn);
  const list = Object.entries(errors).flatMap(([field, keys]) => keys.map((reason) => ({ line, column: COLUMN_OF_FIELD[field] ?? field, reason })));
  return { ok: false, line, errors: list.sort((a, b) => byColumn(a) - byColumn(b)) };
}

/**
 * The visibility cell: empty or "everyone" → everyone; otherwise the names of the seller's groups
 * separated by "|". A name may itself hold a "|" (group names are free text): the longest run of
 * pieces that names a group wins. Only separators ("|", what the export writes for a listing
 * restricted to groups that were all deleted) gives "groups" with none, which the listing rules
 * refuse — such a listing must not silently become visible to everyone.
 */
function readVisibility(cell: string, groupIdByName: ReadonlyMap<string, string>): { visibility: string; groupIds: string[]; unknown: boolean } {
  const text = cell.trim();
  if (text === "" || text.toLowerCase() === "everyone") return { visibility: "everyone", groupIds: [], unknown: false };
  const pieces = text.split("|");
  const groupIds: string[] = [];
  let unknown = false;
  for (let i = 0; i < pieces.length; ) {
    let matched = false;
    for (let j = pieces.length; j > i; j -= 1) {
      const id = groupIdByName.get(pieces.slice(i, j).join("|").trim().toLowerCase());
      if (id) {
        groupIds.push(id);
        i = j;
        matched = true;
        break;
      }
    }
    if (!matched) {
      if (pieces[i]?.trim() !== "") unknown = true;
      i += 1;
    }
  }
  return { visibility: "groups", groupIds, unknown };
}

/**
 * The SKUs that more than one record of the file carries: every occurrence is refused, since which
 * one the seller meant cannot be told. A malformed record (bad quotes, wrong field count) does not
 * count: its cells are not where the header says.
 */
export function duplicateSkusOf(records: readonly CsvRecord[], index: ColumnIndex): Set<string> {
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  for (const record of records) {
    if (record.problem || record.fields.length !== CSV_COLUMNS.length) continue;
    const sku = unguardCell(record.fields[index.sku] ?? "").trim();
    if (sku === "") continue;
    if (seen.has(sku)) duplicates.add(sku);
    seen.add(sku);
  }
  return duplicates;
}
