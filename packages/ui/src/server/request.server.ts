import { createTranslator, isMessageKey, resolveLocale, type Locale, type MessageKey, type Translator } from "../i18n/i18n";
import type { AppKind } from "../types";

/**
 * The client's address as the HTTP server saw it. The server's `clientAddress()` middleware
 * overwrites this header on every request (whatever the client sent), because Remix hands loaders
 * a Fetch Request that no longer carries the socket.
 */
export const CLIENT_ADDRESS_HEADER = "x-souk-client-address";

/** The trusted facts of a request that services record (structurally @souk/services' RequestMeta). */
export interface RequestMeta {
  app: AppKind;
  ip: string | null;
  userAgent: string | null;
}

export function requestMeta(request: Request, app: AppKind): RequestMeta {
  return {
    app,
    ip: request.headers.get(CLIENT_ADDRESS_HEADER) || null,
    userAgent: request.headers.get("user-agent")?.slice(0, 512) ?? null,
  };
}

export function localeOf(request: Request): Locale {
  return resolveLocale(request);
}

export function translatorFor(request: Request): Translator {
  return createTranslator(resolveLocale(request));
}

const REDIRECT_BASE = "http://redirect.invalid";

/**
 * Only a path of this site: "/members?x=1". The value is resolved the way a browser would resolve
 * it (which drops tabs and newlines, and reads "\\" as "/"), and anything that lands on another
 * origin — "https://evil", "//evil", "/\\evil", "/\t/evil", "/..//evil" — falls back, so sign-in
 * can never be turned into an open redirect.
 */
export function safeRedirectPath(value: FormDataEntryValue | string | null | undefined, fallback = "/"): string {
  if (typeof value !== "string" || !value.startsWith("/")) return fallback;
  // Control characters never belong in a path we issue; refusing them keeps the header clean too.
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(value)) return fallback;
  let url: URL;
  try {
    url = new URL(value, REDIRECT_BASE);
  } catch {
    return fallback;
  }
  if (url.origin !== REDIRECT_BASE) return fallback;
  // Resolving removes dot segments: "/..//evil.example" becomes the path "//evil.example", which a
  // browser reads in a Location header as another host. A path we issue never starts with "//".
  if (url.pathname.startsWith("//")) return fallback;
  return `${url.pathname}${url.search}${url.hash}`;
}

/** The sign-in page, coming back to the requested page afterwards. */
export function signInPath(request: Request): string {
  const url = new URL(request.url);
  const back = `${url.pathname}${url.search}`;
  return back === "/" ? "/sign-in" : `/sign-in?redirectTo=${encodeURIComponent(back)}`;
}

/** The form's text fields to show again after an error; password fields are never echoed. */
export function formValues(form: FormData): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [name, value] of form) {
    if (typeof value === "string" && !/password/i.test(name)) values[name] = value;
  }
  return values;
}

// ---------------------------------------------------------------------------------------------
// Flash: a one-shot message key carried across a redirect, shown and cleared by the root loader.

const FLASH_COOKIE = "souk_flash";

export function flashCookie(key: MessageKey, opts: { secure: boolean }): string {
  return `${FLASH_COOKIE}=${encodeURIComponent(key)}; Path=/; HttpOnly; SameSite=Lax; Max-Age=60${opts.secure ? "; Secure" : ""}`;
}

export function clearFlashCookie(opts: { secure: boolean }): string {
  return `${FLASH_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0${opts.secure ? "; Secure" : ""}`;
}

/** The flash message key, if any: only "flash.*" keys of the dictionary are honoured. */
export function readFlash(request: Request): MessageKey | null {
  const header = request.headers.get("cookie");
  if (!header) return null;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq === -1 || part.slice(0, eq).trim() !== FLASH_COOKIE) continue;
    let value: string;
    try {
      value = decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      return null;
    }
    return isMessageKey(value) && value.startsWith("flash.") ? value : null;
  }
  return null;
}
