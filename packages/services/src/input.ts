import { z } from "zod";
import { notFound, validationError, type FieldErrors } from "@souk/domain";

/**
 * Parses untrusted input (usually `Object.fromEntries(formData)`) with a use case's schema. Zod
 * issues become field errors whose strings are message keys (`email.invalid`), which the apps
 * translate; an issue without a key of ours falls back to `<field>.invalid`.
 */
export function parseInput<S extends z.ZodType>(schema: S, raw: unknown): z.output<S> {
  const nul = nulFieldErrors(raw);
  if (nul) throw validationError(nul);
  const result = schema.safeParse(raw ?? {});
  if (result.success) return result.data;
  throw validationError(fieldErrorsOf(result.error));
}

/**
 * PostgreSQL refuses a NUL character in text and JSON (a 500 if it got that far), and no form has a
 * use for one: a field holding one (a string, or a string in a list) is `<field>.invalid`.
 */
export function nulFieldErrors(raw: unknown): FieldErrors | null {
  if (!raw || typeof raw !== "object") return null;
  const errors: FieldErrors = {};
  for (const [field, value] of Object.entries(raw as Record<string, unknown>)) {
    const values = Array.isArray(value) ? value : [value];
    if (values.some((v) => typeof v === "string" && v.includes("\u0000"))) errors[field] = [`${field}.invalid`];
  }
  return Object.keys(errors).length > 0 ? errors : null;
}

const MESSAGE_KEY = /^[a-z][A-Za-z0-9]*(\.[a-z][a-z0-9_]*)+$/;

export function fieldErrorsOf(error: z.ZodError): FieldErrors {
  const fieldErrors: FieldErrors = {};
  for (const issue of error.issues) {
    const field = issue.path.length > 0 ? issue.path.map(String).join(".") : "_form";
    const key = MESSAGE_KEY.test(issue.message) ? issue.message : field === "_form" ? "form.invalid" : `${field}.invalid`;
    const keys = (fieldErrors[field] ??= []);
    if (!keys.includes(key)) keys.push(key);
  }
  return fieldErrors;
}

// Form fields that are left empty arrive as "" rather than missing.
export const emptyToUndefined = (value: unknown) => (typeof value === "string" && value.trim() === "" ? undefined : value);

/** E-mail: trimmed, lower-cased (the column is citext, but keys such as the throttle's are not). */
export const emailField = z
  .string({ error: "email.required" })
  .trim()
  .toLowerCase()
  .min(1, { error: "email.required", abort: true })
  .max(254, { error: "email.too_long", abort: true })
  .pipe(z.email({ error: "email.invalid" }));

const codePoints = (s: string) => [...s].length;

/**
 * A password being chosen: 12 to 256 characters, any characters, no composition rules (NIST SP
 * 800-63B). Never trimmed: spaces are legitimate characters of a passphrase.
 */
export const newPasswordField = z
  .string({ error: "password.required" })
  .min(1, { error: "password.required", abort: true })
  .refine((p) => codePoints(p) >= 12, { error: "password.too_short", abort: true })
  .refine((p) => codePoints(p) <= 256, { error: "password.too_long" });

/** A password being checked against a stored hash: only presence and a sane upper bound. */
export const currentPasswordField = z
  .string({ error: "password.required" })
  .min(1, { error: "password.required", abort: true })
  .max(1024, { error: "password.too_long" });

/** A decimal amount as typed: "12,50" (French keyboards) is read as "12.50"; thousands separators are not accepted. */
export function normaliseDecimal(value: string): string {
  return value.trim().replace(",", ".");
}

/** A required single-line text: trimmed, `<field>.required` when empty, `<field>.too_long` above `max`. */
export function requiredText(field: string, max = 200) {
  return z
    .string({ error: `${field}.required` })
    .trim()
    .min(1, { error: `${field}.required`, abort: true })
    .max(max, { error: `${field}.too_long` });
}

/** A text that may be left empty: "" and whitespace become undefined. */
export function optionalText(field: string, max = 200) {
  return z.preprocess(emptyToUndefined, z.string({ error: `${field}.invalid` }).trim().max(max, { error: `${field}.too_long` }).optional());
}

export const localeField = z.preprocess(emptyToUndefined, z.enum(["en", "fr"], { error: "locale.invalid" }).optional());

/**
 * An id taken from the URL's path (the page's own resource): something that is not even a UUID
 * designates nothing, so it is NOT_FOUND (`what`), exactly like an unknown id or another tenant's
 * (decision 0004), not a form error. An id a form field carries is formIdOf's.
 */
export function existingId(value: unknown, what: string): string {
  const parsed = z.uuid().safeParse(typeof value === "string" ? value.trim().toLowerCase() : value);
  if (!parsed.success) throw notFound(what);
  return parsed.data;
}

/**
 * An id a form field carries (a listing to add, a list to add it to, an address to make the
 * default...), as opposed to the id in the URL's path: anything but a UUID is the field error
 * `{ [field]: [key] }`. The caller answers an unknown id, and another tenant's, with the very same
 * error (it must not tell them apart), and writes nothing.
 */
export function formIdOf(value: unknown, field: string, key: string): string {
  const parsed = z.uuid().safeParse(typeof value === "string" ? value.trim().toLowerCase() : value);
  if (!parsed.success) throw validationError({ [field]: [key] });
  return parsed.data;
}

/** A UUID taken from a form or URL; anything else is `<field>.invalid`. */
export function idField(field: string) {
  return z
    .string({ error: `${field}.required` })
    .trim()
    .toLowerCase()
    .pipe(z.uuid({ error: `${field}.invalid` }));
}
