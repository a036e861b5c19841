import {
  isCurrency,
  money,
  parseMoney,
  validateOfferLines,
  validateOfferTerms,
  validationError,
  type Currency,
  type FieldErrors,
  type Money,
} from "@souk/domain";
import { normaliseDecimal, nulFieldErrors } from "../../input";

/**
 * The offer form as the seller sends it: per RFQ line `lines.<i>.lineId`, `lines.<i>.unitPrice`
 * (a decimal in the RFQ's currency, optionally with a currency code: "12.50", "EUR 12.50") and
 * `lines.<i>.quantity`; `leadTimeDays`, `validUntil` (a day YYYY-MM-DD, meaning the whole day in
 * UTC, or an ISO date-time), `notes`, and optionally `currency`. Services also take `lines` as an
 * array of `{ lineId, unitPrice, quantity }`. A line whose price and quantity are both left empty
 * is not offered (an offer may bid on some lines only).
 */
export interface RawOfferLine {
  /** The index of the line in the form, which field errors refer to. */
  index: number;
  lineId: string;
  unitPrice: string;
  quantity: string;
}

export const NOTES_MAX = 2_000;
const MAX_PRICE_MINOR = 9_007_199_254_740_991n;
const MAX_TOTAL_MINOR = 2n ** 63n - 1n;

const str = (v: unknown): string => (typeof v === "string" ? v : typeof v === "number" ? String(v) : "");

function rawLines(input: Record<string, unknown>): RawOfferLine[] {
  const byIndex = new Map<number, { lineId?: unknown; unitPrice?: unknown; quantity?: unknown }>();
  if (Array.isArray(input.lines)) {
    input.lines.forEach((line, index) => {
      if (line && typeof line === "object") byIndex.set(index, line as Record<string, unknown>);
    });
  }
  for (const [key, value] of Object.entries(input)) {
    const match = /^lines\.(\d{1,3})\.(lineId|unitPrice|quantity)$/.exec(key);
    if (!match) continue;
    const index = Number(match[1]);
    const entry = byIndex.get(index) ?? {};
    entry[match[2] as "lineId" | "unitPrice" | "quantity"] = value;
    byIndex.set(index, entry);
  }
  return [...byIndex.entries()]
    .sort(([a], [b]) => a - b)
    .map(([index, l]) => ({ index, lineId: str(l.lineId).trim().toLowerCase(), unitPrice: str(l.unitPrice).trim(), quantity: str(l.quantity).trim() }))
    .filter((l) => l.unitPrice !== "" || l.quantity !== "");
}

const CODE_FIRST = /^([A-Za-z]{3})\s*(.+)$/;
const CODE_LAST = /^(.+?)\s*([A-Za-z]{3})$/;

/** A price as typed: the amount, and the currency when the seller wrote one. Null when unreadable. */
function readPrice(text: string, rfqCurrency: Currency): Money | null {
  const match = CODE_FIRST.exec(text) ?? CODE_LAST.exec(text);
  let currency: string = rfqCurrency;
  let amount = text;
  if (match) {
    const [a, b] = CODE_FIRST.test(text) ? [match[2], match[1]] : [match[1], match[2]];
    amount = (a ?? "").trim();
    currency = (b ?? "").toUpperCase();
  }
  if (!isCurrency(currency)) return null;
  return parseMoney(normaliseDecimal(amount), currency);
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A day is valid through its last millisecond in UTC (an offer "valid until 14 March" holds all of that day). */
export function parseValidUntil(text: string): Date | null {
  const value = text.trim();
  if (value === "") return null;
  const day = DAY.exec(value);
  if (day) {
    const start = new Date(Date.UTC(Number(day[1]), Number(day[2]) - 1, Number(day[3])));
    if (start.toISOString().slice(0, 10) !== value) return null;
    return new Date(start.getTime() + 24 * 60 * 60 * 1000 - 1);
  }
  // Full date-times only: a local time without an offset would depend on the server's zone.
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/.test(value)) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

export interface ParsedOffer {
  currency: Currency;
  leadTimeDays: number;
  validUntil: Date;
  notes: string;
  lines: { index: number; lineId: string; unitPrice: Money; quantity: number }[];
}

export interface OfferRfqFacts {
  currency: string;
  deadline: Date;
  lines: readonly { id: string; quantity: number }[];
}

/**
 * Parses and validates the offer against its RFQ with the domain's rules (validateOfferLines,
 * validateOfferTerms), or throws VALIDATION with every field error at once; nothing is written.
 */
export function parseOffer(input: unknown, rfq: OfferRfqFacts): ParsedOffer {
  const raw = (input && typeof input === "object" ? input : {}) as Record<string, unknown>;
  const nul = nulFieldErrors(raw);
  if (nul) throw validationError(nul);
  if (!isCurrency(rfq.currency)) throw new Error(`RFQ currency ${rfq.currency} is not supported`);
  const rfqCurrency = rfq.currency;
  const errors: FieldErrors = {};
  const push = (key: string, message: string) => {
    const list = (errors[key] ??= []);
    if (!list.includes(message)) list.push(message);
  };

  const currencyText = str(raw.currency).trim().toUpperCase();
  let currency: Currency = rfqCurrency;
  if (currencyText !== "") {
    if (isCurrency(currencyText)) currency = currencyText;
    else push("currency", "offer.currency_mismatch");
  }

  const lines: ParsedOffer["lines"] = [];
  const forDomain: { lineId: string; unitPrice: Money; quantity: number }[] = [];
  const indexOf: number[] = [];
  for (const line of rawLines(raw)) {
    let price = line.unitPrice === "" ? null : readPrice(line.unitPrice, rfqCurrency);
    // The column holds what JavaScript can still count exactly (2^53 − 1 minor units).
    if (price !== null && price.amount > MAX_PRICE_MINOR) price = null;
    if (price === null) push(`lines.${line.index}.unitPrice`, line.unitPrice === "" ? "offer.price_required" : "offer.price_invalid");
    const quantity = /^[+-]?\d{1,9}$/.test(line.quantity) ? Number(line.quantity) : Number.NaN;
    if (line.quantity === "") push(`lines.${line.index}.quantity`, "offer.quantity_not_positive");
    // The domain checks the rest (unknown line, quantity, sign, currency); a price it cannot read
    // still goes through as 1 of the RFQ's currency so that its other checks run.
    price ??= money(1, rfqCurrency);
    forDomain.push({ lineId: line.lineId, unitPrice: price, quantity });
    indexOf.push(line.index);
    lines.push({ index: line.index, lineId: line.lineId, unitPrice: price, quantity });
  }
  const lineErrors = validateOfferLines({ currency: rfqCurrency, lines: rfq.lines }, { currency, lines: forDomain });
  for (const [key, messages] of Object.entries(lineErrors)) {
    // The domain numbers the offered lines; the form numbers every RFQ line.
    const field = key.replace(/^lines\.(\d+)\./, (_, j: string) => `lines.${indexOf[Number(j)] ?? j}.`);
    for (const m of messages) push(field, m);
  }

  const leadText = str(raw.leadTimeDays).trim();
  const leadTimeDays = /^\d{1,9}$/.test(leadText) ? Number(leadText) : Number.NaN;
  const validUntil = parseValidUntil(str(raw.validUntil));
  for (const [key, messages] of Object.entries(validateOfferTerms({ leadTimeDays, validUntil }, rfq.deadline))) for (const m of messages) push(key, m);

  const total = offerTotal(lines.filter((l) => Number.isSafeInteger(l.quantity)));
  if (total > MAX_TOTAL_MINOR) push("lines", "offer.total_too_large");

  const notes = str(raw.notes).trim();
  if ([...notes].length > NOTES_MAX) push("notes", "offer.notes_too_long");

  if (Object.keys(errors).length > 0) throw validationError(errors);
  return { currency, leadTimeDays, validUntil: validUntil as Date, notes, lines };
}

/** Σ quantity × unit price, in minor units. */
export function offerTotal(lines: readonly { unitPrice: Money; quantity: number }[]): bigint {
  return lines.reduce((sum, l) => sum + l.unitPrice.amount * BigInt(l.quantity), 0n);
}
