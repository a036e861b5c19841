import { en, type MessageKey } from "./en";
import { fr } from "./fr";

export type { MessageKey };
export const LOCALES = ["en", "fr"] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = "en";

const dictionaries: Record<Locale, Record<MessageKey, string>> = { en, fr };

export type MessageParams = Record<string, string | number>;

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (LOCALES as readonly string[]).includes(value);
}

export function isMessageKey(value: unknown): value is MessageKey {
  return typeof value === "string" && Object.hasOwn(en, value);
}

function interpolate(template: string, params?: MessageParams): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

export function translate(locale: Locale, key: MessageKey, params?: MessageParams): string {
  return interpolate(dictionaries[locale][key], params);
}

/**
 * Message keys coming from services are plain strings at run time. An unknown key (a new service
 * message nobody translated yet) falls back to a generic text instead of showing the raw key.
 */
export function translateKey(locale: Locale, key: string, params?: MessageParams): string {
  return translate(locale, isMessageKey(key) ? key : "field.invalid", params);
}

type PluralBase = {
  [K in MessageKey]: K extends `${infer B}.one` ? (`${B}.other` extends MessageKey ? B : never) : never;
}[MessageKey];

// Intl objects are costly to build (tens of microseconds each) and pages call these per table cell:
// one of each per locale, made on first use.
const pluralRules = new Map<Locale, Intl.PluralRules>();
const dateFormats = new Map<Locale, { date: Intl.DateTimeFormat; dateTime: Intl.DateTimeFormat }>();

/** `<base>.one` / `<base>.other` chosen by the locale's plural rules (French: 0 and 1 are "one"). */
export function translatePlural(locale: Locale, base: PluralBase, count: number, params?: MessageParams): string {
  let rules = pluralRules.get(locale);
  if (!rules) pluralRules.set(locale, (rules = new Intl.PluralRules(locale)));
  const form = rules.select(count) === "one" ? "one" : "other";
  return translate(locale, `${base}.${form}` as MessageKey, { count, ...params });
}

export interface Translator {
  locale: Locale;
  t(key: MessageKey, params?: MessageParams): string;
  /** For keys received from services (field errors, error messages). */
  tKey(key: string, params?: MessageParams): string;
  tPlural(base: PluralBase, count: number, params?: MessageParams): string;
  /** Dates in UTC so that server and browser render the same text (no hydration mismatch). */
  formatDate(value: Date | string): string;
  formatDateTime(value: Date | string): string;
}

export function createTranslator(locale: Locale): Translator {
  let formats = dateFormats.get(locale);
  if (!formats) {
    formats = {
      date: new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone: "UTC" }),
      dateTime: new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }),
    };
    dateFormats.set(locale, formats);
  }
  const { date: dateFormat, dateTime: dateTimeFormat } = formats;
  return {
    locale,
    t: (key, params) => translate(locale, key, params),
    tKey: (key, params) => translateKey(locale, key, params),
    tPlural: (base, count, params) => translatePlural(locale, base, count, params),
    formatDate: (value) => dateFormat.format(new Date(value)),
    formatDateTime: (value) => `${dateTimeFormat.format(new Date(value))} UTC`,
  };
}

/** Translates every message key of a field-error map (`{ email: ["email.invalid"] }`). */
export function translateFieldErrors(locale: Locale, fieldErrors: Record<string, readonly string[]>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [field, keys] of Object.entries(fieldErrors)) out[field] = keys.map((k) => translateKey(locale, k));
  return out;
}

// ---------------------------------------------------------------------------------------------
// Choosing the locale: the `lang` cookie set by the language switcher, else Accept-Language, else en.

export const LANG_COOKIE = "lang";
const ONE_YEAR_SECONDS = 365 * 24 * 60 * 60;

function readCookie(cookieHeader: string | null, name: string): string | null {
  if (!cookieHeader) return null;
  for (const part of cookieHeader.split(";")) {
    const eq = part.indexOf("=");
    if (eq !== -1 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

/** Picks the best supported language of an Accept-Language header, honouring q-values. */
export function localeFromAcceptLanguage(header: string | null): Locale | null {
  if (!header) return null;
  const ranges = header
    .split(",")
    .map((part, index) => {
      const [tag = "", ...params] = part.trim().split(";");
      const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
      const quality = q ? Number.parseFloat(q.slice(2)) : 1;
      return { language: tag.toLowerCase().split("-")[0] ?? "", quality: Number.isFinite(quality) ? quality : 0, index };
    })
    .filter((r) => r.quality > 0)
    .sort((a, b) => b.quality - a.quality || a.index - b.index);
  return ranges.map((r) => r.language).find(isLocale) ?? null;
}

export function resolveLocale(request: Request): Locale {
  const fromCookie = readCookie(request.headers.get("cookie"), LANG_COOKIE);
  if (isLocale(fromCookie)) return fromCookie;
  return localeFromAcceptLanguage(request.headers.get("accept-language")) ?? DEFAULT_LOCALE;
}

/** Not HttpOnly on purpose: it holds no secret, and only the language switcher form writes it. */
export function serializeLangCookie(locale: Locale, opts: { secure: boolean }): string {
  return `${LANG_COOKIE}=${locale}; Path=/; Max-Age=${ONE_YEAR_SECONDS}; SameSite=Lax${opts.secure ? "; Secure" : ""}`;
}
