import { isCurrency, parseMoney, type Currency, type FieldErrors } from "@souk/domain";
import { normaliseDecimal } from "../input";
import { isTimeZone, zonedInstant } from "../rfq/buyer/rfq-input";

/**
 * The counter form as the buyer sends it: per offer line `lines.<i>.lineId`,
 * `lines.<i>.targetUnitPrice` (a decimal in the RFQ's currency: "12.50", "12,50") and
 * `lines.<i>.targetQuantity`; a line whose two targets are left empty is not countered.
 * `respondBy` is a wall-clock time `YYYY-MM-DDTHH:mm` in the IANA zone of `timeZone` (as the RFQ
 * deadline is typed), or an ISO instant with its offset. Services also take `lines` as an array of
 * `{ lineId, targetUnitPrice, targetQuantity }`.
 */
export interface RawCounterLine {
  /** The index of the line in the form, which field errors refer to. */
  index: number;
  lineId: string;
  targetUnitPrice: string;
  targetQuantity: string;
}

const str = (v: unknown): string => (typeof v === "string" ? v : typeof v === "number" || typeof v === "bigint" ? String(v) : "");

export function rawCounterLines(input: Record<string, unknown>): RawCounterLine[] {
  const byIndex = new Map<number, Record<string, unknown>>();
  if (Array.isArray(input.lines)) {
    input.lines.forEach((line, index) => {
      if (line && typeof line === "object") byIndex.set(index, { ...(line as Record<string, unknown>) });
    });
  }
  for (const [key, value] of Object.entries(input)) {
    const match = /^lines\.(\d{1,3})\.(lineId|targetUnitPrice|targetQuantity)$/.exec(key);
    if (!match) continue;
    const index = Number(match[1]);
    const entry = byIndex.get(index) ?? {};
    entry[match[2] as string] = value;
    byIndex.set(index, entry);
  }
  return [...byIndex.entries()]
    .sort(([a], [b]) => a - b)
    .map(([index, l]) => ({ index, lineId: str(l.lineId).trim().toLowerCase(), targetUnitPrice: str(l.targetUnitPrice).trim(), targetQuantity: str(l.targetQuantity).trim() }))
    .filter((l) => l.targetUnitPrice !== "" || l.targetQuantity !== "");
}

export interface ParsedCounterLine {
  index: number;
  lineId: string;
  targetUnitPriceMinor: bigint | null;
  targetQuantity: number | null;
}

/**
 * Reads the targets of the form's lines. Unreadable values are field errors here
 * (`counter.price_invalid`, `counter.quantity_not_positive`); the rules (the offer's lines, the
 * RFQ's quantities, a change) are the domain's validateCounterLines.
 */
export function parseCounterLines(input: Record<string, unknown>, currency: string, errors: FieldErrors): ParsedCounterLine[] {
  if (!isCurrency(currency)) throw new Error(`RFQ currency ${currency} is not supported`);
  const code: Currency = currency;
  const push = (key: string, message: string) => {
    const list = (errors[key] ??= []);
    if (!list.includes(message)) list.push(message);
  };
  return rawCounterLines(input).map((line) => {
    let price: bigint | null = null;
    if (line.targetUnitPrice !== "") {
      const parsed = parseMoney(normaliseDecimal(line.targetUnitPrice), code);
      if (parsed === null) push(`lines.${line.index}.targetUnitPrice`, "counter.price_invalid");
      else price = parsed.amount;
    }
    let quantity: number | null = null;
    if (line.targetQuantity !== "") {
      if (/^[+-]?\d{1,9}$/.test(line.targetQuantity)) quantity = Number(line.targetQuantity);
      else push(`lines.${line.index}.targetQuantity`, "counter.quantity_not_positive");
    }
    return { index: line.index, lineId: line.lineId, targetUnitPriceMinor: price, targetQuantity: quantity };
  });
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/;
const LOCAL = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/;

/**
 * The response deadline's instant, or null with a field error: `respondBy`
 * "counter.respond_by_required" (empty or unreadable), `timeZone` "counter.time_zone_invalid".
 */
export function parseRespondBy(input: Record<string, unknown>, errors: FieldErrors): Date | null {
  const value = input.respondBy instanceof Date ? input.respondBy.toISOString() : str(input.respondBy).trim();
  if (value === "") {
    errors["respondBy"] = ["counter.respond_by_required"];
    return null;
  }
  if (ISO_INSTANT.test(value)) {
    const date = new Date(value);
    if (!Number.isNaN(date.getTime())) return date;
  } else if (LOCAL.test(value)) {
    const zone = str(input.timeZone).trim() || "UTC";
    if (!isTimeZone(zone)) {
      errors["timeZone"] = ["counter.time_zone_invalid"];
      return null;
    }
    const date = zonedInstant(value, zone);
    if (date) return date;
  }
  errors["respondBy"] = ["counter.respond_by_required"];
  return null;
}
