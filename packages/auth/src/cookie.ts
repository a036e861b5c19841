import type { AppName } from "@souk/db";

/**
 * Cookies are scoped by host, not port, so on localhost the three apps share one cookie jar:
 * distinct names keep a buyer session from ever being sent as the seller's.
 */
export function sessionCookieName(app: AppName): string {
  return `souk_${app}_session`;
}

function attributes(secure: boolean): string {
  return `HttpOnly; SameSite=Lax; Path=/${secure ? "; Secure" : ""}`;
}

export function serializeSessionCookie(app: AppName, token: string, expiresAt: Date, opts: { secure: boolean }): string {
  const maxAge = Math.max(0, Math.floor((expiresAt.getTime() - Date.now()) / 1000));
  return `${sessionCookieName(app)}=${token}; ${attributes(opts.secure)}; Max-Age=${maxAge}; Expires=${expiresAt.toUTCString()}`;
}

export function serializeBlankSessionCookie(app: AppName, opts: { secure: boolean }): string {
  return `${sessionCookieName(app)}=; ${attributes(opts.secure)}; Max-Age=0; Expires=${new Date(0).toUTCString()}`;
}

// Tokens are lower-case base32; anything else in the cookie was not set by us.
const TOKEN_SHAPE = /^[a-z2-7]{1,256}$/;

/** Reads only this app's cookie; another app's session cookie on the same host is ignored. */
export function readSessionToken(cookieHeader: string | null, app: AppName): string | null {
  if (!cookieHeader) return null;
  const name = sessionCookieName(app);
  for (const part of cookieHeader.split(";")) {
    const eq = part.indexOf("=");
    if (eq === -1 || part.slice(0, eq).trim() !== name) continue;
    const value = part.slice(eq + 1).trim();
    if (TOKEN_SHAPE.test(value)) return value;
  }
  return null;
}

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/**
 * Whether cookies for this public URL get `Secure`. Browsers drop Secure cookies over plain http
 * except on loopback development hosts, so only those go without it; a misconfigured plain-http
 * production URL then fails loudly (no session) rather than leaking cookies in clear.
 */
export function isSecureOrigin(url: string | URL): boolean {
  const u = typeof url === "string" ? new URL(url) : url;
  return !(u.protocol === "http:" && LOOPBACK_HOSTS.has(u.hostname));
}
