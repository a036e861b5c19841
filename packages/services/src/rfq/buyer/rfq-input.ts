import { z } from "zod";
import type { Db, Incoterm } from "@souk/db";
import { currencyExponent, isCurrency, parseMoney, validateAntiSniping, validateRfqDeadline, type Currency, type FieldErrors } from "@souk/domain";
import { visibleListingsQuery } from "../../catalogue/pricing/visibility";
import { emptyToUndefined, fieldErrorsOf, normaliseDecimal, nulFieldErrors } from "../../input";

/**
 * The RFQ form as the buyer fills it in (new and edit pages), and the rules of its fields. Every
 * problem is reported at once, keyed by the form's field names (`title`, `lines.2.quantity`,
 * `invitedSellerIds`...), each with a message key the pages translate.
 *
 * Lines come as indexed fields (`lines.<i>.description`, `.quantity`, `.unit`, `.targetPrice`,
 * `.listingId`) so that the page works without JavaScript; a row left entirely blank is ignored
 * (the page always offers an empty one), and errors keep the row's index as sent.
 *
 * The deadline is a wall-clock time `YYYY-MM-DDTHH:mm` (what `<input type="datetime-local">`
 * sends) in the IANA time zone of the hidden `timeZone` field, which the page's script sets to the
 * browser's; without a script it is Europe/Paris. Whether it lies in the future is decided by the
 * database clock where the RFQ is written, not here.
 */

export const RFQ_LIMITS = {
  title: 200,
  description: 5_000,
  deliveryPlace: 200,
  lineDescription: 500,
  unit: 20,
  maxLines: 100,
  /** Highest row index read from a form: anything above is not a row of ours. */
  maxLineIndex: 999,
  maxQuantity: 1_000_000_000,
  maxInvitedSellers: 50,
  /** How far ahead a deadline may be. */
  maxDeadlineDays: 366,
} as const;

export const DEFAULT_RFQ_TIME_ZONE = "Europe/Paris";

export const RFQ_INCOTERMS = ["EXW", "FCA", "CPT", "CIP", "DAP", "DPU", "DDP", "FAS", "FOB", "CFR", "CIF"] as const satisfies readonly Incoterm[];
export const RFQ_VISIBILITIES = ["open", "invited"] as const;
export const RFQ_SEALINGS = ["sealed", "open"] as const;
export const RFQ_LINE_FIELDS = ["description", "quantity", "unit", "targetPrice", "listingId"] as const;

export interface RfqLineFields {
  /** The row's index in the form (errors are keyed by it). */
  index: number;
  description: string;
  quantity: number;
  unit: string;
  targetPriceMinor: bigint | null;
  listingId: string | null;
}

/** The RFQ's fields once valid (what the create and update use cases write). */
export interface RfqFields {
  title: string;
  description: string;
  categoryId: string;
  currency: Currency;
  incoterm: Incoterm;
  deliveryPlace: string;
  /** Null: not set yet (a draft may have none). */
  deadline: Date | null;
  lines: RfqLineFields[];
  visibility: "open" | "invited";
  /** Sorted, without duplicates. */
  invitedSellerIds: string[];
  sealing: "sealed" | "open";
  antiSnipingMinutes: number | null;
  antiSnipingMax: number | null;
  /** The listing the RFQ was started from (provenance only). */
  sourceListingId: string | null;
}

const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

const trimmed = (v: unknown) => (typeof v === "string" ? v.trim() : v === undefined || v === null ? "" : v);

function requiredText(key: string, max: number) {
  return z.preprocess(trimmed, z.string({ error: `rfq.${key}_invalid` }).min(1, { error: `rfq.${key}_required`, abort: true }).max(max, { error: `rfq.${key}_too_long` }));
}

function choice<const T extends readonly [string, ...string[]]>(key: string, values: T, fallback?: T[number]) {
  return z.preprocess(
    (v) => emptyToUndefined(typeof v === "string" ? v.trim() : v) ?? fallback,
    z.enum(values, { error: (issue) => (issue.input === undefined ? `rfq.${key}_required` : `rfq.${key}_invalid`) }),
  );
}

/** A whole number typed in a box ("15"); "" is null, anything else than plain digits NaN (refused by the rule that reads it). */
function optionalInteger(v: unknown): number | null {
  const e = emptyToUndefined(v);
  if (e === undefined || e === null) return null;
  if (typeof e === "number") return e;
  return typeof e === "string" && /^\s*-?\d{1,9}\s*$/.test(e) ? Number(e.trim()) : Number.NaN;
}

/**
 * THE schema of the RFQ form's own fields (lines and the cross-field rules are checked by
 * parseRfqFields, which keys their errors by row).
 */
export const rfqFormSchema = z.object({
  title: requiredText("title", RFQ_LIMITS.title),
  description: z.preprocess(trimmed, z.string({ error: "rfq.description_invalid" }).max(RFQ_LIMITS.description, { error: "rfq.description_too_long" })),
  categoryId: z.preprocess(
    (v) => (typeof v === "string" ? v.trim().toLowerCase() : v ?? ""),
    z.string({ error: "rfq.category_invalid" }).min(1, { error: "rfq.category_required", abort: true }).pipe(z.uuid({ error: "rfq.category_invalid" })),
  ),
  currency: z.preprocess(
    (v) => (typeof v === "string" ? v.trim().toUpperCase() : v ?? ""),
    z.string({ error: "rfq.currency_invalid" }).min(1, { error: "rfq.currency_required", abort: true }).refine(isCurrency, { error: "rfq.currency_invalid" }),
  ),
  incoterm: choice("incoterm", RFQ_INCOTERMS),
  deliveryPlace: requiredText("delivery_place", RFQ_LIMITS.deliveryPlace),
  deadline: z.preprocess(
    (v) => emptyToUndefined(typeof v === "string" ? v.trim() : v),
    z.string({ error: "rfq.deadline_invalid" }).regex(LOCAL_DATE_TIME, { error: "rfq.deadline_invalid" }).optional(),
  ),
  timeZone: z.preprocess(
    (v) => emptyToUndefined(typeof v === "string" ? v.trim() : v) ?? DEFAULT_RFQ_TIME_ZONE,
    z.string({ error: "rfq.time_zone_invalid" }).refine(isTimeZone, { error: "rfq.time_zone_invalid" }),
  ),
  visibility: choice("visibility", RFQ_VISIBILITIES, "open"),
  invitedSellerIds: z.preprocess(
    (v) => (v === undefined || v === null || v === "" ? [] : Array.isArray(v) ? v.filter((x) => x !== "") : [v]),
    z
      .array(z.string({ error: "rfq.invited_seller_invalid" }).trim().toLowerCase().pipe(z.uuid({ error: "rfq.invited_seller_invalid" })), { error: "rfq.invited_seller_invalid" })
      .max(RFQ_LIMITS.maxInvitedSellers, { error: "rfq.invited_sellers_too_many" }),
  ),
  sealing: choice("sealing", RFQ_SEALINGS, "sealed"),
  antiSnipingMinutes: z.preprocess(optionalInteger, z.number().nullable()),
  antiSnipingMax: z.preprocess(optionalInteger, z.number().nullable()),
  // Provenance of a hidden field: a bad value is dropped, never an error the buyer cannot see.
  sourceListingId: z.preprocess((v) => {
    const parsed = z.uuid().safeParse(typeof v === "string" ? v.trim().toLowerCase() : v);
    return parsed.success ? parsed.data : null;
  }, z.string().nullable()),
});
export type RfqFormInput = z.input<typeof rfqFormSchema> & Record<string, unknown>;

// ---------------------------------------------------------------------------------------------
// The deadline: a wall-clock time in a time zone

export function isTimeZone(value: string): boolean {
  if (value.length > 64 || !/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(value)) return false;
  try {
    new Intl.DateTimeFormat("en", { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

const partsFormatters = new Map<string, Intl.DateTimeFormat>();

/** How far `timeZone` is ahead of UTC at `instant`, in milliseconds. */
function zoneOffsetMs(instant: number, timeZone: string): number {
  let formatter = partsFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", { timeZone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit" });
    partsFormatters.set(timeZone, formatter);
  }
  const parts = Object.fromEntries(formatter.formatToParts(new Date(instant)).map((p) => [p.type, p.value]));
  const asUtc = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/**
 * The instant of a wall-clock time `YYYY-MM-DDTHH:mm` in `timeZone`, or null when it is no real
 * date (2030-02-30, 25:00). A time skipped by a daylight-saving change reads as the instant an
 * hour later; a repeated one as one of its two occurrences.
 */
export function zonedInstant(local: string, timeZone: string): Date | null {
  const m = LOCAL_DATE_TIME.exec(local);
  if (!m) return null;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? "0"].map(Number) as [number, number, number, number, number, number];
  const wall = Date.UTC(year, month - 1, day, hour, minute, second);
  const check = new Date(wall);
  if (year < 2000 || year > 9999 || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) return null;
  // The zone's offset at the wall time read as UTC is right except within hours of a change; the
  // offset at the first guess then corrects it.
  const firstOffset = zoneOffsetMs(wall, timeZone);
  const guess = wall - firstOffset;
  const offset = zoneOffsetMs(guess, timeZone);
  return new Date(offset === firstOffset ? guess : wall - offset);
}

// ---------------------------------------------------------------------------------------------
// Lines

interface RawLine {
  index: number;
  description: string;
  quantity: string;
  unit: string;
  targetPrice: string;
  listingId: string;
}

const LINE_KEY = /^lines\.(\d{1,4})\.(description|quantity|unit|targetPrice|listingId)$/;

const asText = (v: unknown) => (typeof v === "string" ? v : typeof v === "number" ? String(v) : "");

/** The rows of the form, in index order, blank ones left out. `lines` may also be an array (programmatic callers). */
export function rawLines(raw: Record<string, unknown>): RawLine[] {
  const rows = new Map<number, RawLine>();
  const row = (index: number) => {
    let r = rows.get(index);
    if (!r) rows.set(index, (r = { index, description: "", quantity: "", unit: "", targetPrice: "", listingId: "" }));
    return r;
  };
  if (Array.isArray(raw.lines)) {
    raw.lines.forEach((line: unknown, index) => {
      if (!line || typeof line !== "object" || index > RFQ_LIMITS.maxLineIndex) return;
      const l = line as Record<string, unknown>;
      for (const field of RFQ_LINE_FIELDS) row(index)[field] = asText(l[field]);
    });
  } else {
    for (const [key, value] of Object.entries(raw)) {
      const m = LINE_KEY.exec(key);
      if (!m || Number(m[1]) > RFQ_LIMITS.maxLineIndex) continue;
      row(Number(m[1]))[m[2] as (typeof RFQ_LINE_FIELDS)[number]] = asText(value);
    }
  }
  return [...rows.values()].filter((r) => RFQ_LINE_FIELDS.some((f) => r[f].trim() !== "")).sort((a, b) => a.index - b.index);
}

const lineSchema = z.object({
  description: requiredText("line_description", RFQ_LIMITS.lineDescription),
  quantity: z.preprocess(
    (v) => {
      const text = typeof v === "string" ? v.trim() : "";
      if (text === "") return undefined;
      return /^\d{1,10}$/.test(text) ? Number(text) : Number.NaN;
    },
    z
      .number({ error: (issue) => (issue.input === undefined ? "rfq.line_quantity_required" : "rfq.line_quantity_invalid") })
      .int({ error: "rfq.line_quantity_invalid" })
      .min(1, { error: "rfq.line_quantity_invalid" })
      .max(RFQ_LIMITS.maxQuantity, { error: "rfq.line_quantity_invalid" }),
  ),
  unit: requiredText("line_unit", RFQ_LIMITS.unit),
  listingId: z.preprocess((v) => emptyToUndefined(typeof v === "string" ? v.trim().toLowerCase() : v), z.uuid({ error: "rfq.line_listing_invalid" }).optional()),
});

/** "12,50" (French keyboards) is read as "12.50"; thousands separators are not accepted. */
function targetPriceOf(text: string, currency: Currency): { minor: bigint | null; error: string | null } {
  const value = normaliseDecimal(text);
  if (value === "") return { minor: null, error: null };
  const parsed = parseMoney(value, currency);
  if (!parsed) {
    const fraction = /^\+?\d+\.(\d+)$/.exec(value)?.[1];
    return { minor: null, error: fraction && fraction.length > currencyExponent(currency) ? "rfq.line_target_price_decimals" : "rfq.line_target_price_invalid" };
  }
  if (parsed.amount <= 0n) return { minor: null, error: "rfq.line_target_price_not_positive" };
  if (parsed.amount > BigInt(Number.MAX_SAFE_INTEGER)) return { minor: null, error: "rfq.line_target_price_invalid" };
  return { minor: parsed.amount, error: null };
}

// ---------------------------------------------------------------------------------------------
// The whole form

export interface ParsedRfqForm {
  /** Null when `errors` has any. */
  fields: RfqFields | null;
  errors: FieldErrors;
  /** What the database checks need, also from a form with errors (so every problem shows at once). */
  refs: { categoryId: string | null; invitedSellerIds: string[]; lineListings: { index: number; listingId: string }[]; sourceListingId: string | null };
  /** The deadline's instant when it could be read (also from a form with other errors). */
  deadline: Date | null;
}

function push(errors: FieldErrors, field: string, key: string): void {
  const list = (errors[field] ??= []);
  if (!list.includes(key)) list.push(key);
}

/**
 * Validates the form. Pure: whether the category exists, the invited sellers are active and the
 * linked listings visible to the buyer is checked by rfqReferenceErrors; whether the deadline is
 * ahead, by the use case with the database clock.
 */
export function parseRfqForm(raw: unknown): ParsedRfqForm {
  const input = raw && typeof raw === "object" ? (raw as Record<string, unknown>) : {};
  const errors: FieldErrors = {};
  const nul = nulFieldErrors(input);
  if (nul) for (const [field, keys] of Object.entries(nul)) for (const key of keys) push(errors, field, key);

  const scalar = rfqFormSchema.safeParse(input);
  if (!scalar.success) {
    for (const [path, keys] of Object.entries(fieldErrorsOf(scalar.error))) {
      // One refused id of several is an error of the whole field, which the page shows once.
      const field = path.startsWith("invitedSellerIds.") ? "invitedSellerIds" : path;
      for (const key of keys) push(errors, field, key);
    }
  }
  const data = scalar.success ? scalar.data : null;
  // What is usable of the scalar fields even when others failed.
  const partial = (name: keyof typeof rfqFormSchema.shape) => {
    const one = rfqFormSchema.shape[name].safeParse(input[name]);
    return one.success ? one.data : undefined;
  };
  const currency = (data?.currency ?? partial("currency")) as Currency | undefined;
  const categoryId = (data?.categoryId ?? partial("categoryId")) as string | undefined;
  const invitedSellerIds = [...new Set(((data?.invitedSellerIds ?? partial("invitedSellerIds")) as string[] | undefined) ?? [])].sort();
  const visibility = (data?.visibility ?? partial("visibility")) as RfqFields["visibility"] | undefined;
  const sourceListingId = (partial("sourceListingId") as string | null | undefined) ?? null;

  // Lines
  const rows = rawLines(input);
  const lines: RfqLineFields[] = [];
  const lineListings: { index: number; listingId: string }[] = [];
  if (rows.length === 0) push(errors, "lines", "rfq.lines_required");
  else if (rows.length > RFQ_LIMITS.maxLines) push(errors, "lines", "rfq.lines_too_many");
  else {
    for (const row of rows) {
      const prefix = `lines.${row.index}`;
      const result = lineSchema.safeParse(row);
      if (!result.success) for (const [field, keys] of Object.entries(fieldErrorsOf(result.error))) for (const key of keys) push(errors, `${prefix}.${field}`, key);
      const price = currency ? targetPriceOf(row.targetPrice, currency) : { minor: null, error: null };
      if (price.error) push(errors, `${prefix}.targetPrice`, price.error);
      const listingId = result.success ? (result.data.listingId ?? null) : (lineSchema.shape.listingId.safeParse(row.listingId).data ?? null);
      if (listingId) lineListings.push({ index: row.index, listingId });
      if (result.success && !price.error) {
        lines.push({ index: row.index, description: result.data.description, quantity: result.data.quantity, unit: result.data.unit, targetPriceMinor: price.minor, listingId });
      }
    }
  }

  // Cross-field rules
  if (visibility === "invited" && invitedSellerIds.length === 0 && !errors.invitedSellerIds) push(errors, "invitedSellerIds", "rfq.invited_sellers_required");
  const antiSniping = {
    windowMinutes: ((data?.antiSnipingMinutes ?? partial("antiSnipingMinutes")) as number | null | undefined) ?? null,
    maxExtensions: ((data?.antiSnipingMax ?? partial("antiSnipingMax")) as number | null | undefined) ?? null,
  };
  const antiSnipingErrors = validateAntiSniping(antiSniping);
  for (const key of antiSnipingErrors["antiSniping.windowMinutes"] ?? []) push(errors, "antiSnipingMinutes", key);
  for (const key of antiSnipingErrors["antiSniping.maxExtensions"] ?? []) push(errors, "antiSnipingMax", key);
  let deadline: Date | null = null;
  const deadlineText = (data?.deadline ?? partial("deadline")) as string | undefined;
  const timeZone = (data?.timeZone ?? partial("timeZone")) as string | undefined;
  if (deadlineText && timeZone) {
    deadline = zonedInstant(deadlineText, timeZone);
    if (!deadline) push(errors, "deadline", "rfq.deadline_invalid");
  }

  const refs = { categoryId: categoryId ?? null, invitedSellerIds, lineListings, sourceListingId };
  if (Object.keys(errors).length > 0 || !data) return { fields: null, errors, refs, deadline };
  return {
    fields: {
      title: data.title,
      description: data.description,
      categoryId: data.categoryId,
      currency: data.currency as Currency,
      incoterm: data.incoterm,
      deliveryPlace: data.deliveryPlace,
      deadline,
      lines,
      visibility: data.visibility,
      invitedSellerIds,
      sealing: data.sealing,
      antiSnipingMinutes: antiSniping.windowMinutes,
      antiSnipingMax: antiSniping.maxExtensions,
      sourceListingId,
    },
    errors,
    refs,
    deadline,
  };
}

/**
 * Field errors of the form's references, read in the caller's transaction: an unknown category, an
 * invited organisation that is not an active seller, a linked listing the buyer may not see.
 * Returns the provenance listing kept (null when the buyer may not see it).
 */
export async function rfqReferenceErrors(db: Db, buyerId: string, refs: ParsedRfqForm["refs"]): Promise<{ errors: FieldErrors; sourceListingId: string | null }> {
  const errors: FieldErrors = {};
  if (refs.categoryId) {
    const category = await db.selectFrom("categories").select("id").where("id", "=", refs.categoryId).executeTakeFirst();
    if (!category) push(errors, "categoryId", "rfq.category_unknown");
  }
  if (refs.invitedSellerIds.length > 0) {
    const active = await db
      .selectFrom("organizations")
      .select("id")
      .where("id", "in", refs.invitedSellerIds)
      .where("kind", "=", "seller")
      .where("status", "=", "active")
      .execute();
    if (active.length !== refs.invitedSellerIds.length) push(errors, "invitedSellerIds", "rfq.invited_seller_inactive");
  }
  const listingIds = [...new Set([...refs.lineListings.map((l) => l.listingId), ...(refs.sourceListingId ? [refs.sourceListingId] : [])])];
  const visible = new Set<string>();
  if (listingIds.length > 0) {
    for (const row of await visibleListingsQuery(db, buyerId).select("l.id").where("l.id", "in", listingIds).execute()) visible.add(row.id);
  }
  for (const line of refs.lineListings) if (!visible.has(line.listingId)) push(errors, `lines.${line.index}.listingId`, "rfq.line_listing_unknown");
  return { errors, sourceListingId: refs.sourceListingId && visible.has(refs.sourceListingId) ? refs.sourceListingId : null };
}

/**
 * The deadline rules with the database clock: required to publish (and on an open RFQ), in the
 * future (domain validateRfqDeadline), and not absurdly far ahead.
 */
export function deadlineErrors(deadline: Date | null, now: Date, required: boolean): FieldErrors {
  if (!deadline) return required ? { deadline: ["rfq.deadline_required"] } : {};
  const errors = validateRfqDeadline(deadline, now);
  if (Object.keys(errors).length > 0) return errors;
  if (deadline.getTime() - now.getTime() > RFQ_LIMITS.maxDeadlineDays * 86_400_000) return { deadline: ["rfq.deadline_too_far"] };
  return {};
}

export function mergeErrors(...lists: FieldErrors[]): FieldErrors {
  const out: FieldErrors = {};
  for (const list of lists) for (const [field, keys] of Object.entries(list)) for (const key of keys) push(out, field, key);
  return out;
}
