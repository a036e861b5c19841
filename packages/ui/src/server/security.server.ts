import { verifyOrigin } from "@souk/auth";
import type { Express, NextFunction, Request as ExpressRequest, Response as ExpressResponse } from "express";
import { randomBytes } from "node:crypto";
import type { ServerResponse } from "node:http";
import { CLIENT_ADDRESS_HEADER } from "./request.server";

/**
 * HTTP hardening shared by development and production, applied before anything else (Vite, static
 * files, Remix): security headers, the client address for the audit log, and the CSRF Origin check.
 */
export interface SecurityOptions {
  /** Origins allowed to send state-changing requests: this app's public URL. */
  allowedOrigins: readonly string[];
  /** Adds HSTS when the public URL is https. */
  https: boolean;
  /** Development: Vite's hot-reload socket (another port, ws:) is allowed by the CSP. */
  development?: boolean;
  /** Largest request body accepted, per kind of body (defaults: BODY_LIMITS). */
  bodyLimits?: BodyLimits;
}

export interface BodyLimits {
  /** multipart/form-data: uploads (a 10 MiB document and the form around it, with room to say "too large" politely). */
  multipart: number;
  /** Every other body: forms are a few kilobytes. */
  other: number;
}

export const BODY_LIMITS: BodyLimits = { multipart: 32 * 1024 * 1024, other: 1024 * 1024 };

/**
 * Gives the response these headers when it is sent, each one only if whoever answered has not set
 * it. Not set up front: the Remix adapter *appends* a route's headers to what the response already
 * holds, so a download's own `Cache-Control`, CSP and `nosniff` would go out next to ours (two CSPs
 * are both enforced; "no-store, private, no-store" is noise). Node writes the headers through
 * `writeHead` (also when the body starts without it being called), the one place to fill the gaps.
 */
export function defaultResponseHeaders(res: ServerResponse, headers: Readonly<Record<string, string>>): void {
  const writeHead = res.writeHead;
  res.writeHead = function (this: ServerResponse, ...args: unknown[]) {
    for (const [name, value] of Object.entries(headers)) {
      if (!this.headersSent && !this.hasHeader(name)) this.setHeader(name, value);
    }
    return (writeHead as (...a: unknown[]) => ServerResponse).apply(this, args);
  } as ServerResponse["writeHead"];
}

/**
 * The Content Security Policy of a response whose inline scripts carry `nonce`. Scripts: our own
 * files and the inline ones Remix writes (hydration context, streamed loader data, scroll
 * restoration), which carry the per-request nonce; no 'unsafe-inline' for scripts, so an injected
 * `<script>` or `onerror=` never runs. Styles keep 'unsafe-inline': the pages and the refusal pages
 * use `style` attributes, which a nonce cannot cover, and a style cannot run code.
 */
export function contentSecurityPolicy(nonce: string, options: { development?: boolean } = {}): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self'",
    // EventSource and fetch go to this app only; Vite's hot reload listens on a port of its own.
    `connect-src 'self'${options.development ? " ws:" : ""}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** A fresh nonce per response: 128 random bits, base64 (what CSP's nonce-source expects). */
export function createCspNonce(): string {
  return randomBytes(16).toString("base64");
}

/** Where securityHeaders leaves the response's nonce, for getLoadContext (app-server.server.ts). */
export function cspNonceOf(res: ExpressResponse): string | undefined {
  const nonce: unknown = res.locals.cspNonce;
  return typeof nonce === "string" ? nonce : undefined;
}

export function securityHeaders(options: Pick<SecurityOptions, "https" | "development">) {
  const headers: Record<string, string> = {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
  };
  if (options.https) headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains";
  return (_req: ExpressRequest, res: ExpressResponse, next: NextFunction) => {
    const nonce = createCspNonce();
    res.locals.cspNonce = nonce;
    defaultResponseHeaders(res, { ...headers, "Content-Security-Policy": contentSecurityPolicy(nonce, options) });
    next();
  };
}

/** Overwrites whatever the client sent: loaders trust this header, so only the server may set it. */
export function clientAddress() {
  return (req: ExpressRequest, _res: ExpressResponse, next: NextFunction) => {
    req.headers[CLIENT_ADDRESS_HEADER] = req.ip ?? req.socket.remoteAddress ?? "";
    next();
  };
}

/** The parts of an Express request the Origin check reads, as a Fetch Request for @souk/auth. */
export function toOriginCheckRequest(req: Pick<ExpressRequest, "method" | "headers">): Request {
  const headers = new Headers();
  for (const name of ["origin", "referer"]) {
    const value = req.headers[name];
    if (typeof value === "string") headers.set(name, value);
  }
  return new Request("http://origin-check.invalid/", { method: req.method, headers });
}

const REFUSED_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>403 Forbidden</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 36rem; margin: 4rem auto; padding: 0 1rem">
<h1>403 Forbidden</h1>
<p>This request came from another site and was refused. Go back to the page, reload it and try again.</p>
<p lang="fr">Cette requête venait d'un autre site et a été refusée. Revenez à la page, rechargez-la et réessayez.</p>
</body></html>`;

/**
 * CSRF defence: every non-GET/HEAD/OPTIONS request must come from one of our origins (Origin, or
 * Referer when a browser omits Origin). Runs before Remix, so no action ever sees a forged POST.
 */
export function originCheck(allowedOrigins: readonly string[]) {
  return (req: ExpressRequest, res: ExpressResponse, next: NextFunction) => {
    if (verifyOrigin(toOriginCheckRequest(req), allowedOrigins)) return next();
    res.status(403).type("html").send(REFUSED_PAGE);
  };
}

/**
 * For the pages (mounted before Remix, after static files): they carry one organisation's data
 * and must never be stored by a cache. Set here rather than globally because express.static
 * keeps an existing Cache-Control, which would stop the assets from being cached. A route that
 * sets its own Cache-Control (a download's "private, no-store") keeps it, alone.
 */
export function noStore() {
  return (_req: ExpressRequest, res: ExpressResponse, next: NextFunction) => {
    defaultResponseHeaders(res, { "Cache-Control": "no-store" });
    next();
  };
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

const TOO_LARGE_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>413 Request too large</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 36rem; margin: 4rem auto; padding: 0 1rem">
<h1>413 Request too large</h1>
<p>What you sent is larger than Souk accepts. Go back, choose a smaller file and try again.</p>
<p lang="fr">L'envoi dépasse la taille acceptée par Souk. Revenez en arrière, choisissez un fichier plus petit et réessayez.</p>
</body></html>`;

/**
 * Bounds what a request may make the server read: Remix buffers form bodies in memory, so without
 * a limit one forged POST of a few gigabytes would exhaust the process. Bodies are declared by
 * Content-Length (browsers always send it for forms); a streamed body without one is refused,
 * since its size could only be known by reading it.
 */
export function bodyLimit(limits: BodyLimits = BODY_LIMITS) {
  return (req: ExpressRequest, res: ExpressResponse, next: NextFunction) => {
    if (SAFE_METHODS.has(req.method)) return next();
    const declared = req.headers["content-length"];
    if (declared === undefined) {
      if (req.headers["transfer-encoding"] === undefined) return next(); // no body at all
      res.status(411).set("Connection", "close").type("text").send("Length Required");
      return;
    }
    const limit = (req.headers["content-type"] ?? "").toLowerCase().startsWith("multipart/form-data") ? limits.multipart : limits.other;
    if (Number(declared) > limit) {
      res.status(413).set("Connection", "close").type("html").send(TOO_LARGE_PAGE);
      return;
    }
    next();
  };
}

export function applySecurity(app: Express, options: SecurityOptions): void {
  app.disable("x-powered-by");
  app.use(securityHeaders(options));
  app.use(clientAddress());
  app.use(originCheck(options.allowedOrigins));
  app.use(bodyLimit(options.bodyLimits));
}
