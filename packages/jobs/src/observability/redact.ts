/**
 * What never reaches a log line: secrets (passwords, tokens, cookies, keys) and personal data that a
 * log store would keep for months (e-mail addresses). Logs name people and organisations by id only.
 * Applied to every field and message by createLogger, so a careless `logger.info("x", { headers })`
 * is safe too; callers still should not pass such data.
 */

export const REDACTED = "[redacted]";
export const EMAIL_REDACTED = "[email]";

/** Field names whose value is a secret whatever it looks like (matched anywhere in the name). */
const SECRET_KEY = /pass(?:word|phrase)|secret|token|(?:api|admin|master|private|search|access)[-_]?key|credential|authori[sz]ation|cookie|signature|^session(?:[-_]?id)?$/i;

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;
/** `scheme://user:password@host`: a connection string's credentials. */
const URL_CREDENTIALS = /([a-z][a-z0-9+.-]*:\/\/)[^\s/@]+@/gi;
/** An Authorization header value quoted in a message. */
const BEARER = /\b(Bearer|Basic) [A-Za-z0-9._~+/=-]{8,}/g;

/** Deeper than this, an object is cut (also what stops a cycle). */
const MAX_DEPTH = 8;

export function redactText(text: string): string {
  return text.replace(URL_CREDENTIALS, `$1${REDACTED}@`).replace(BEARER, `$1 ${REDACTED}`).replace(EMAIL, EMAIL_REDACTED);
}

/**
 * A copy of `value` fit for a log line: secret-named fields replaced, e-mail addresses and URL
 * credentials masked in every string, errors reduced to name, message (and code, stack), dates
 * as ISO strings, bigints as strings.
 */
export function redactForLog(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return redactText(value);
  if (typeof value === "bigint") return value.toString();
  if (value === null || typeof value !== "object") return typeof value === "function" || typeof value === "symbol" ? undefined : value;
  if (depth >= MAX_DEPTH) return "[…]";
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (value instanceof Error) {
    const code = (value as { code?: unknown }).code;
    return {
      name: value.name,
      message: redactText(value.message),
      ...(typeof code === "string" || typeof code === "number" ? { code } : {}),
      ...(value.stack ? { stack: redactText(value.stack) } : {}),
    };
  }
  if (Array.isArray(value)) return value.map((item) => redactForLog(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = SECRET_KEY.test(key) && item !== null && item !== undefined ? REDACTED : redactForLog(item, depth + 1);
  }
  return out;
}
