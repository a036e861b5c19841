import { z } from "zod";
import { isCurrency, parseMoney, validatePriceBreaks, type Currency, type FieldErrors } from "@souk/domain";
import { emptyToUndefined, fieldErrorsOf, normaliseDecimal, nulFieldErrors } from "../input";

/**
 * The fields of a listing as a seller writes them, in the same text form whether they come from the
 * listing form or from a CSV row (catalogue import), so both give the same errors for the same
 * mistake. Money is a decimal in the listing's currency ("12.50"; a decimal comma is accepted for
 * French users); tiers are `minQuantity=unitPrice` pairs, attributes `key=value` pairs, each pair
 * separated by a new line or ";".
 */
export const LISTING_LIMITS = {
  title: 200,
  description: 5_000,
  unit: 20,
  attributes: 30,
  attributeKey: 50,
  attributeValue: 200,
  tiers: 20,
  groups: 50,
  stock: 1_000_000_000,
  minOrderQuantity: 1_000_000,
  leadTimeDays: 365,
} as const;

export const SKU_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$/;

export interface ListingTier {
  minQuantity: number;
  unitPriceMinor: bigint;
}

/** A listing's fields once valid: what `saveListing` writes. */
export interface ListingFields {
  sku: string;
  title: string;
  description: string;
  categoryId: string;
  unit: string;
  currency: Currency;
  listPriceMinor: bigint;
  minOrderQuantity: number;
  stock: number;
  leadTimeDays: number;
  attributes: Record<string, string>;
  tiers: ListingTier[];
  visibility: "everyone" | "groups";
  /** The seller's customer groups that may see the listing (visibility "groups"); sorted. */
  groupIds: string[];
}

const text = (field: string, max: number, required: boolean) => {
  const base = z.string({ error: `${field}.invalid` }).trim().max(max, { error: `${field}.too_long` });
  return required
    ? z.preprocess((v) => (v === undefined || v === null ? "" : v), base.min(1, { error: `${field}.required`, abort: true }))
    : z.preprocess((v) => (v === undefined || v === null ? "" : v), base);
};

const integer = (field: string, min: number, max: number, fallback?: number) =>
  z.preprocess(
    (v) => {
      const e = emptyToUndefined(v);
      if (e === undefined) return fallback;
      // Only plain digits: "1e3", "0x10", "1.5" or " 12 " typed by mistake are refused, not guessed.
      if (typeof e === "string") return /^\s*-?\d{1,12}\s*$/.test(e) ? Number(e.trim()) : Number.NaN;
      return e;
    },
    z
      .number({ error: (issue) => (issue.input === undefined ? `${field}.required` : `${field}.invalid`) })
      .int({ error: `${field}.invalid` })
      .min(min, { error: `${field}.too_small` })
      .max(max, { error: `${field}.too_large` }),
  );


/** Parses `a=b` pairs separated by new lines or ";"; returns null when a pair has no "=". */
function pairs(value: string): [string, string][] | null {
  const out: [string, string][] = [];
  for (const raw of value.split(/[;\n\r]+/)) {
    const item = raw.trim();
    if (item === "") continue;
    const at = item.indexOf("=");
    if (at <= 0) return null;
    out.push([item.slice(0, at).trim(), item.slice(at + 1).trim()]);
  }
  return out;
}

export const listingFieldsSchema = z.object({
  sku: z.preprocess(
    (v) => (typeof v === "string" ? v.trim() : v ?? ""),
    z.string({ error: "sku.invalid" }).min(1, { error: "sku.required", abort: true }).regex(SKU_PATTERN, { error: "sku.invalid" }),
  ),
  title: text("title", LISTING_LIMITS.title, true),
  description: text("description", LISTING_LIMITS.description, false),
  categoryId: z.preprocess(
    (v) => (typeof v === "string" ? v.trim().toLowerCase() : v ?? ""),
    z.string({ error: "categoryId.required" }).min(1, { error: "categoryId.required", abort: true }).pipe(z.uuid({ error: "categoryId.invalid" })),
  ),
  unit: text("unit", LISTING_LIMITS.unit, true),
  currency: z.preprocess(
    (v) => (typeof v === "string" ? v.trim().toUpperCase() : v ?? ""),
    z
      .string({ error: "currency.invalid" })
      .min(1, { error: "currency.required", abort: true })
      .refine((c) => isCurrency(c), { error: "currency.invalid" }),
  ),
  listPrice: z.preprocess((v) => (typeof v === "string" ? normaliseDecimal(v) : v ?? ""), z.string({ error: "listPrice.invalid" }).min(1, { error: "listPrice.required" })),
  minOrderQuantity: integer("minOrderQuantity", 1, LISTING_LIMITS.minOrderQuantity, 1),
  stock: integer("stock", 0, LISTING_LIMITS.stock, 0),
  leadTimeDays: integer("leadTimeDays", 0, LISTING_LIMITS.leadTimeDays, 0),
  attributes: z.preprocess((v) => v ?? "", z.string({ error: "attributes.invalid" })),
  tiers: z.preprocess((v) => v ?? "", z.string({ error: "tiers.invalid" })),
  visibility: z.preprocess((v) => emptyToUndefined(v) ?? "everyone", z.enum(["everyone", "groups"], { error: "visibility.invalid" })),
  groupIds: z.preprocess(
    (v) => (v === undefined || v === null || v === "" ? [] : Array.isArray(v) ? v : [v]),
    z.array(z.string().trim().toLowerCase().pipe(z.uuid({ error: "groupIds.invalid" })), { error: "groupIds.invalid" }).max(LISTING_LIMITS.groups, { error: "groupIds.too_many" }),
  ),
});

/** What a form or a CSV row hands over: strings (numbers accepted too), `groupIds` one or many. */
export type ListingFieldsInput = z.input<typeof listingFieldsSchema>;

/**
 * Validates a listing's fields. Returns the fields, or the field errors (message keys) keyed by the
 * input's field names (`listPrice`, `tiers`...), never both. Pure: whether the category exists and
 * the groups are the seller's is checked where the database is (`saveListing`).
 */
export function parseListingFields(raw: unknown): { ok: true; fields: ListingFields } | { ok: false; errors: FieldErrors } {
  const nul = nulFieldErrors(raw);
  if (nul) return { ok: false, errors: nul };
  const result = listingFieldsSchema.safeParse(raw ?? {});
  const errors: FieldErrors = {};
  // An issue of one group id comes back as `groupIds.3`: the form and the CSV know only `groupIds`.
  for (const [field, keys] of Object.entries(result.success ? {} : fieldErrorsOf(result.error))) {
    const name = field.startsWith("groupIds.") ? "groupIds" : field;
    errors[name] = [...new Set([...(errors[name] ?? []), ...keys])];
  }
  const push = (field: string, key: string) => {
    const list = (errors[field] ??= []);
    if (!list.includes(key)) list.push(key);
  };
  if (!result.success) {
    // Report every field's problems at once, also those that depend on a valid currency.
    const partial = raw && typeof raw === "object" ? (raw as Record<string, unknown>) : {};
    const currency = typeof partial.currency === "string" ? partial.currency.trim().toUpperCase() : "";
    if (isCurrency(currency)) {
      checkMoneyFields(currency, String(partial.listPrice ?? ""), String(partial.tiers ?? ""), push);
    }
    checkAttributes(String(partial.attributes ?? ""), push);
    return { ok: false, errors };
  }
  const data = result.data;
  const currency = data.currency as Currency;
  const money = checkMoneyFields(currency, data.listPrice, data.tiers, push);
  const attributes = checkAttributes(data.attributes, push);
  if (data.visibility === "groups" && data.groupIds.length === 0) push("groupIds", "groupIds.required");
  if (Object.keys(errors).length > 0 || !money || !attributes) return { ok: false, errors };
  return {
    ok: true,
    fields: {
      sku: data.sku,
      title: data.title,
      description: data.description,
      categoryId: data.categoryId,
      unit: data.unit,
      currency,
      listPriceMinor: money.listPriceMinor,
      minOrderQuantity: data.minOrderQuantity,
      stock: data.stock,
      leadTimeDays: data.leadTimeDays,
      attributes,
      tiers: money.tiers,
      visibility: data.visibility,
      groupIds: data.visibility === "groups" ? [...new Set(data.groupIds)].sort() : [],
    },
  };
}

function checkMoneyFields(
  currency: Currency,
  listPriceText: string,
  tiersText: string,
  push: (field: string, key: string) => void,
): { listPriceMinor: bigint; tiers: ListingTier[] } | null {
  let ok = true;
  const listPrice = listPriceText.trim() === "" ? null : parseMoney(normaliseDecimal(listPriceText), currency);
  if (listPriceText.trim() === "") ok = false; // already reported as listPrice.required
  else if (!listPrice) {
    push("listPrice", "listPrice.invalid");
    ok = false;
  } else if (listPrice.amount <= 0n) {
    push("listPrice", "listPrice.not_positive");
    ok = false;
  } else if (listPrice.amount > BigInt(Number.MAX_SAFE_INTEGER)) {
    push("listPrice", "listPrice.too_large");
    ok = false;
  }

  const tierPairs = pairs(tiersText);
  const tiers: ListingTier[] = [];
  if (tierPairs === null) {
    push("tiers", "tiers.invalid");
    ok = false;
  } else if (tierPairs.length > LISTING_LIMITS.tiers) {
    push("tiers", "tiers.too_many");
    ok = false;
  } else {
    for (const [q, p] of tierPairs) {
      const minQuantity = /^\d{1,9}$/.test(q) ? Number(q) : Number.NaN;
      const price = parseMoney(normaliseDecimal(p), currency);
      if (!Number.isSafeInteger(minQuantity) || minQuantity < 2) {
        push("tiers", "tiers.quantity_invalid");
        ok = false;
        continue;
      }
      if (!price || price.amount > BigInt(Number.MAX_SAFE_INTEGER)) {
        push("tiers", "tiers.price_invalid");
        ok = false;
        continue;
      }
      tiers.push({ minQuantity, unitPriceMinor: price.amount });
    }
    if (ok) {
      const breakErrors = validatePriceBreaks(
        tiers.map((t) => ({ minQuantity: t.minQuantity, unitPrice: { amount: t.unitPriceMinor, currency } })),
        { field: "tiers", currency },
      );
      for (const keys of Object.values(breakErrors)) {
        for (const key of keys) push("tiers", key === "price_break.min_quantity_duplicate" ? "tiers.quantity_duplicate" : "tiers.price_invalid");
        ok = false;
      }
    }
  }
  if (!ok || !listPrice) return null;
  return { listPriceMinor: listPrice.amount, tiers: tiers.sort((a, b) => a.minQuantity - b.minQuantity) };
}

function checkAttributes(value: string, push: (field: string, key: string) => void): Record<string, string> | null {
  const list = pairs(value);
  if (list === null) {
    push("attributes", "attributes.invalid");
    return null;
  }
  if (list.length > LISTING_LIMITS.attributes) {
    push("attributes", "attributes.too_many");
    return null;
  }
  const out: Record<string, string> = {};
  for (const [key, val] of list) {
    if (key.length > LISTING_LIMITS.attributeKey || val.length > LISTING_LIMITS.attributeValue || val === "") {
      push("attributes", "attributes.invalid");
      return null;
    }
    if (Object.hasOwn(out, key)) {
      push("attributes", "attributes.duplicate");
      return null;
    }
    out[key] = val;
  }
  // Sorted keys: the same attributes always give the same JSON, so "unchanged" is detectable.
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** The text form of tiers, as the form and the CSV export show them ("10=11.50;100=10.00"). */
export function formatTiers(tiers: readonly ListingTier[], currency: Currency, toDecimal: (amount: bigint, currency: Currency) => string, separator = ";"): string {
  return tiers.map((t) => `${t.minQuantity}=${toDecimal(t.unitPriceMinor, currency)}`).join(separator);
}

/** The text form of attributes ("colour=red;size=M"), by key name (jsonb keeps its own key order). */
export function formatAttributes(attributes: Readonly<Record<string, string>>, separator = ";"): string {
  return Object.entries(attributes)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join(separator);
}
