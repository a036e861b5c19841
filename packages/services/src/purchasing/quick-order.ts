import { z } from "zod";
import { sql } from "kysely";
import { withTransaction } from "@souk/db";
import { validationError, type FieldErrors } from "@souk/domain";
import { readCsv, stripBom } from "../catalogue/import/csv";
import { visibleListingsQuery } from "../catalogue/pricing/visibility";
import { assertStillPermitted } from "../authorization";
import type { ActorDeps } from "../deps";
import { nulFieldErrors } from "../input";
import { addToCartLines, assertBuyer, cartOf, cartQuantities, existingCartOf, pushError, PURCHASING_LIMITS, readQuantity } from "./shared";

/** The file as the apps hand it over: a web `File`, or its name and bytes already read. */
const fileSchema = z.union([z.instanceof(Blob), z.object({ name: z.string().max(4096), bytes: z.instanceof(Uint8Array) })]);

export const quickOrderSchema = z.object({
  text: z.string().max(200_000, { error: "quickOrder.text_too_long" }).optional(),
  file: fileSchema.optional(),
});
export type QuickOrderInput = z.input<typeof quickOrderSchema>;

export interface QuickOrderMessage {
  key: string;
  params?: Record<string, string | number>;
}

export interface QuickOrderLineReport {
  /** Where the line was: the text box or the uploaded file, and its line number there (from 1). */
  source: "text" | "file";
  line: number;
  /** The line as written (trimmed, cut at 200 characters). */
  raw: string;
  sku: string;
  quantity: number | null;
  /** The listing the line resolved to (only ever one the buyer may see). */
  listing: { id: string; sku: string; title: string; sellerName: string; unit: string } | null;
  status: "added" | "refused";
  /** Why the line was refused. */
  errors: QuickOrderMessage[];
  /** Added, but the checkout will refuse it as it is (more than the stock). */
  warnings: QuickOrderMessage[];
}

export interface QuickOrderResult {
  lines: QuickOrderLineReport[];
  addedLines: number;
  refusedLines: number;
  /** The refused lines as written, one per line: what the page offers to fix and send again. */
  refusedText: string;
}

interface ParsedLine {
  source: "text" | "file";
  line: number;
  raw: string;
  sku: string;
  quantityText: string;
  sellerName: string;
}

// C0 control characters other than tab, line breaks and form feeds: a text file has none.
// eslint-disable-next-line no-control-regex
const BINARY = /[\u0000-\u0008\u000e-\u001f]/;
const HEADER_SKU = /^(sku|ref|reference|référence|code|article|item)$/i;

/**
 * The fields of one line: `SKU, quantity[, seller name]`, also separated by `;` or a tab (a
 * spreadsheet's copy), or by spaces (`SKU quantity [seller name]`; SKUs have no spaces). A comma
 * line is read as CSV, so a quoted seller name may hold a comma.
 */
export function splitQuickOrderLine(text: string): string[] {
  if (text.includes("\t")) return text.split("\t").map((f) => f.trim());
  if (text.includes(";")) return text.split(";").map((f) => f.trim());
  if (text.includes(",")) {
    const record = readCsv(text).next();
    return record.done ? [] : record.value.fields.map((f) => f.trim());
  }
  const tokens = text.trim().split(/\s+/);
  return tokens.length > 2 ? [tokens[0]!, tokens[1]!, tokens.slice(2).join(" ")] : tokens;
}

function parseText(text: string, source: "text" | "file"): ParsedLine[] {
  const out: ParsedLine[] = [];
  const physical = stripBom(text).split(/\r\n|\r|\n/);
  let first = true;
  physical.forEach((rawLine, index) => {
    const trimmed = rawLine.trim();
    if (trimmed === "") return;
    const fields = splitQuickOrderLine(trimmed);
    // A header row (a spreadsheet's first line) is skipped, once.
    if (first && fields.length >= 2 && HEADER_SKU.test(fields[0] ?? "") && !/^\d+$/.test(fields[1] ?? "")) {
      first = false;
      return;
    }
    first = false;
    if (fields.every((f) => f === "")) return;
    out.push({ source, line: index + 1, raw: [...trimmed].slice(0, 200).join(""), sku: fields[0] ?? "", quantityText: fields[1] ?? "", sellerName: fields[2] ?? "" });
  });
  return out;
}

async function fileText(file: z.output<typeof fileSchema> | undefined): Promise<string | null> {
  if (!file) return null;
  const name = file instanceof Blob ? (file instanceof File ? file.name : "") : file.name;
  const size = file instanceof Blob ? file.size : file.bytes.byteLength;
  // A form sent without choosing a file carries an empty part with an empty name.
  if (size === 0 && name === "") return null;
  if (size === 0) throw validationError({ file: ["quickOrder.file_empty"] });
  if (size > PURCHASING_LIMITS.quickOrderFileBytes) throw validationError({ file: ["quickOrder.file_too_large"] });
  const bytes = file instanceof Blob ? new Uint8Array(await file.arrayBuffer()) : file.bytes;
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw validationError({ file: ["quickOrder.file_not_csv"] });
  }
  if (BINARY.test(text)) throw validationError({ file: ["quickOrder.file_not_csv"] });
  return text;
}

const normalName = (name: string) => name.trim().replace(/\s+/g, " ").toLowerCase();

/**
 * Quick order: `SKU, quantity` lines typed or pasted (`text`) and/or a CSV file (`file`) go to the
 * actor's cart, added to the quantities already there. SKUs are per seller, so a SKU is looked up
 * among the listings the buyer may see (the visibility rule), never others: a listing it may not
 * see is reported exactly like an unknown SKU. When several sellers have the SKU the line is
 * ambiguous (their names are given) unless it names one (`SKU, quantity, seller name`).
 *
 * Each line is reported: unknown SKU, quantity not a whole number from 1, below the minimum order
 * quantity (counting what the cart holds and the other lines for the same listing), ambiguous —
 * those are refused; more than the stock is a warning (added; the checkout refuses it until the
 * stock is there). Valid lines are added in one transaction, refused ones change nothing. An empty
 * order, more than PURCHASING_LIMITS.quickOrderLines lines, or a file that is not text are field
 * errors and nothing is written.
 */
export async function quickOrder(deps: ActorDeps, input: unknown): Promise<QuickOrderResult> {
  const { actor } = deps;
  assertBuyer(actor, "create:order:org");
  const raw = input && typeof input === "object" ? (input as Record<string, unknown>) : {};
  const nul = nulFieldErrors({ text: raw.text });
  if (nul) throw validationError({ text: ["quickOrder.text_invalid"] });
  const parsedInput = quickOrderSchema.safeParse({ text: typeof raw.text === "string" ? raw.text : undefined, file: raw.file ?? undefined });
  if (!parsedInput.success) {
    const errors: FieldErrors = {};
    for (const issue of parsedInput.error.issues) pushError(errors, String(issue.path[0] ?? "text"), issue.path[0] === "file" ? "quickOrder.file_not_csv" : "quickOrder.text_too_long");
    throw validationError(errors);
  }
  const fromFile = await fileText(parsedInput.data.file);
  const lines = [...parseText(parsedInput.data.text ?? "", "text"), ...(fromFile !== null ? parseText(fromFile, "file") : [])];
  if (lines.length === 0) throw validationError({ text: [fromFile !== null ? "quickOrder.file_no_lines" : "quickOrder.empty"] });
  if (lines.length > PURCHASING_LIMITS.quickOrderLines) throw validationError({ [fromFile !== null && !parsedInput.data.text?.trim() ? "file" : "text"]: ["quickOrder.too_many_lines"] });

  return withTransaction(deps.db, async (trx) => {
    await assertStillPermitted(trx, actor, "create:order:org");
    // The cart is created only if something goes into it.
    const existingCart = await existingCartOf(trx, actor, { lock: true });
    const skus = [...new Set(lines.map((l) => l.sku.toLowerCase()).filter((s) => s !== ""))];
    const candidates =
      skus.length === 0
        ? []
        : await visibleListingsQuery(trx, actor.organizationId)
            .select(["l.id", "l.sku", "l.title", "l.unit", "l.min_order_quantity", "l.stock", "s.name as seller_name"])
            .where(sql<string>`lower(l.sku)`, "in", skus)
            .orderBy("s.name")
            .orderBy("l.id")
            .execute();
    const bySku = new Map<string, typeof candidates>();
    for (const c of candidates) {
      const key = c.sku.toLowerCase();
      bySku.set(key, [...(bySku.get(key) ?? []), c]);
    }

    const reports: (QuickOrderLineReport & { listingRow: (typeof candidates)[number] | null })[] = lines.map((l) => {
      const report = { source: l.source, line: l.line, raw: l.raw, sku: l.sku, quantity: null as number | null, listing: null, status: "refused" as const, errors: [] as QuickOrderMessage[], warnings: [] as QuickOrderMessage[], listingRow: null };
      if (l.sku === "" || l.quantityText === "") {
        report.errors.push({ key: "quickOrder.line_unreadable" });
        return report;
      }
      report.quantity = readQuantity(l.quantityText);
      if (report.quantity === null) report.errors.push({ key: "quickOrder.quantity_invalid", params: { quantity: [...l.quantityText].slice(0, 20).join("") } });
      let matches = bySku.get(l.sku.toLowerCase()) ?? [];
      if (l.sellerName !== "") {
        matches = matches.filter((m) => normalName(m.seller_name) === normalName(l.sellerName));
        if (matches.length === 0) {
          report.errors.push({ key: "quickOrder.sku_unknown_for_seller", params: { sku: l.sku, seller: l.sellerName } });
          return report;
        }
      }
      if (matches.length === 0) {
        report.errors.push({ key: "quickOrder.sku_unknown", params: { sku: l.sku } });
        return report;
      }
      const sellers = [...new Set(matches.map((m) => m.seller_name))];
      if (sellers.length > 1) {
        report.errors.push({ key: "quickOrder.ambiguous", params: { sku: l.sku, sellers: sellers.join(", ") } });
        return report;
      }
      // One seller: its listing with this exact SKU, else the only one that differs by case.
      const match = matches.find((m) => m.sku === l.sku) ?? matches[0]!;
      return { ...report, listingRow: match, listing: { id: match.id, sku: match.sku, title: match.title, sellerName: match.seller_name, unit: match.unit } };
    });

    // The quantity each listing would have in the cart: what is there plus every valid line for it.
    const already = await cartQuantities(trx, existingCart);
    const totals = new Map<string, number>();
    for (const r of reports) if (r.listingRow && r.quantity !== null && r.errors.length === 0) totals.set(r.listingRow.id, (totals.get(r.listingRow.id) ?? already.get(r.listingRow.id) ?? 0) + r.quantity);
    const toAdd: { listingId: string; quantity: number }[] = [];
    for (const r of reports) {
      const listing = r.listingRow;
      if (!listing || r.quantity === null || r.errors.length > 0) continue;
      const total = totals.get(listing.id)!;
      if (total > PURCHASING_LIMITS.maxQuantity) r.errors.push({ key: "quickOrder.quantity_too_large" });
      else if (total < listing.min_order_quantity) r.errors.push({ key: "quickOrder.below_minimum", params: { minimum: listing.min_order_quantity, unit: listing.unit } });
      else {
        if (total > listing.stock) r.warnings.push({ key: "quickOrder.above_stock", params: { stock: listing.stock, unit: listing.unit } });
        r.status = "added";
        toAdd.push({ listingId: listing.id, quantity: r.quantity });
      }
    }
    // Every valid line of a listing gets the same verdict: the minimum and the limit apply to their sum.
    if (toAdd.length > 0) {
      const cartId = existingCart ?? (await cartOf(trx, actor, { lock: true }));
      await addToCartLines(trx, cartId, actor.organizationId, toAdd, parsedInput.data.text?.trim() ? "text" : "file");
    }
    const out = reports.map(({ listingRow: _row, ...r }) => r);
    const refused = out.filter((r) => r.status === "refused");
    return { lines: out, addedLines: out.length - refused.length, refusedLines: refused.length, refusedText: refused.map((r) => r.raw).join("\n") };
  });
}
