import { z } from "zod";
import { emptyToUndefined } from "./input";

/**
 * Fields of list filters, which arrive as GET query parameters (`Object.fromEntries(searchParams)`):
 * every one may be missing or empty, which means "no filter".
 */


/** A `%…%` ILIKE pattern matching `text` literally (its own % and _ are not wildcards). */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, "\\$&")}%`;
}

/** A page number: 1 when absent; the message key `invalid` for anything but a positive integer. */
export function pageField(invalid: string) {
  return z.preprocess(
    emptyToUndefined,
    z.coerce.number({ error: invalid }).int({ error: invalid }).min(1, { error: invalid }).max(100_000, { error: invalid }).default(1),
  );
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * A calendar day `YYYY-MM-DD` (what `<input type="date">` sends), as its first instant in UTC.
 * The message key `invalid` for anything else, 2030-02-30 included.
 */
export function dayField(invalid: string) {
  return z.preprocess(
    emptyToUndefined,
    z
      .string({ error: invalid })
      .trim()
      .transform((value, ctx) => {
        const match = DAY.exec(value);
        const date = match ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))) : null;
        if (!match || !date || date.toISOString().slice(0, 10) !== value || date.getUTCFullYear() < 2000) {
          ctx.addIssue({ code: "custom", message: invalid });
          return z.NEVER;
        }
        return date;
      })
      .optional(),
  );
}

/** The day after `day`: a range "from A to B" includes all of B, so it ends before B + 1 day. */
export function nextDay(day: Date): Date {
  return new Date(day.getTime() + 24 * 60 * 60 * 1000);
}

/** An optional filter: "" and whitespace are "no filter". */
export function optionalFilter<S extends z.ZodType>(schema: S) {
  return z.preprocess(emptyToUndefined, schema.optional());
}

/** One page of a list and where it sits in the whole. */
export interface Page<T> {
  items: T[];
  page: number;
  pageSize: number;
  /** Rows matching the filters, all pages together. */
  total: number;
}

export function offsetOf(page: number, pageSize: number): number {
  return (page - 1) * pageSize;
}
