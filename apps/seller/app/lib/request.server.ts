import { isSecureOrigin, serializeBlankSessionCookie, serializeSessionCookie } from "@souk/auth";
import type { RequestMeta } from "@souk/services";
import { createTranslator, isMessageKey, resolveLocale, type Locale, type MessageKey, type Translator } from "@souk/ui";
import { env } from "../env.server";
import { APP } from "./app";

/**
 * The client's address as the HTTP server saw it. server.ts overwrites this header on every
 * request (whatever the client sent), because Remix hands loaders a Fetch Request that no longer
 * carries the socket.
 */
export const CLIENT_ADDRESS_HEADER = "x-souk-client-address";

const secure = isSecureOrigin(env.publicUrl);

export function requestMeta(request: Request): RequestMeta {
  return {
    app: APP,
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

export function sessionCookie(token: string, expiresAt: Date): string {
  return serializeSessionCookie(APP, token, expiresAt, { secure });
}

export function blankSessionCookie(): string {
  return serializeBlankSessionCookie(APP, { secure });
}

export const isSecure = secure;

/**
 * Only a path of this site: "/members?x=1". Rejects absolute URLs and protocol-relative "//host"
 * (and its "/\host" variant), which would turn sign-in into an open redirect.
 */
export function safeRedirectPath(value: FormDataEntryValue | string | null | undefined, fallback = "/"): string {
  if (typeof value !== "string" || !value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) return fallback;
  return value;
}

export function signInPath(request: Request): string {
  const url = new URL(request.url);
  const back = `${url.pathname}${url.search}`;
  return back === "/" ? "/sign-in" : `/sign-in?redirectTo=${encodeURIComponent(back)}`;
}

// ---------------------------------------------------------------------------------------------
// Flash: a one-shot message key carried across a redirect, shown and cleared by the root loader.

const FLASH_COOKIE = "souk_flash";

export function flashCookie(key: MessageKey): string {
  return `${FLASH_COOKIE}=${encodeURIComponent(key)}; Path=/; HttpOnly; SameSite=Lax; Max-Age=60${secure ? "; Secure" : ""}`;
}

export function clearFlashCookie(): string {
  return `${FLASH_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0${secure ? "; Secure" : ""}`;
}

/** The flash message key, if any: only keys of the dictionary are honoured. */
export function readFlash(request: Request): MessageKey | null {
  const header = request.headers.get("cookie");
  if (!header) return null;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq === -1 || part.slice(0, eq).trim() !== FLASH_COOKIE) continue;
    const value = decodeURIComponent(part.slice(eq + 1).trim());
    return isMessageKey(value) && value.startsWith("flash.") ? value : null;
  }
  return null;
}

/** The form's text fields to show again after an error; password fields are never echoed. */
export function formValues(form: FormData): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [name, value] of form) {
    if (typeof value === "string" && !/password/i.test(name)) values[name] = value;
  }
  return values;
}
