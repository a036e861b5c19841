import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import { DomainError, forbidden, notFound, validationError } from "@souk/domain";
import express from "express";
import { request as httpRequest, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { translate } from "../i18n/i18n";
import { attachment, download, downloadHeaders } from "./download.server";
import { applySecurity, noStore } from "./security.server";

const PDF = new TextEncoder().encode("%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n");
const get = (path: string, headers: Record<string, string> = {}) => new Request(`http://localhost${path}`, { headers });

describe("attachment", () => {
  it("keeps a plain name as it is, in both parameters", () => {
    expect(attachment("kbis-2030.pdf")).toBe(`attachment; filename="kbis-2030.pdf"; filename*=UTF-8''kbis-2030.pdf`);
  });

  it("gives old clients an ASCII fallback and the rest the exact UTF-8 name", () => {
    expect(attachment("Extrait été société.pdf")).toBe(`attachment; filename="Extrait ete societe.pdf"; filename*=UTF-8''Extrait%20%C3%A9t%C3%A9%20soci%C3%A9t%C3%A9.pdf`);
  });

  it("lets a name add no parameter, header or directory", () => {
    const value = attachment('a"; filename=evil.exe\r\nSet-Cookie: x=1/../..\\b%.pdf');
    expect(value).not.toMatch(/[\r\n]/);
    const [, fallback] = /filename="([^"]*)"/.exec(value) ?? [];
    expect(fallback).toBe("a__ filename=evil.exe__Set-Cookie: x=1_.._.._b_.pdf");
    expect(value.split(";").filter((part) => part.trim().startsWith("filename")).length).toBe(2);
    // RFC 5987 attr-chars only: nothing to end the parameter early.
    expect(value.split("filename*=UTF-8''")[1]).toMatch(/^[A-Za-z0-9!#$&+.^_`|~%-]+$/);
  });

  it("falls back to a neutral name when nothing printable is left", () => {
    expect(attachment("   ")).toBe(`attachment; filename="download"; filename*=UTF-8''download`);
    expect(attachment("文書.pdf")).toBe(`attachment; filename=".pdf"; filename*=UTF-8''%E6%96%87%E6%9B%B8.pdf`);
  });
});

describe("downloadHeaders", () => {
  it("sends the file as an attachment no browser renders as a page and no cache keeps", () => {
    expect(Object.fromEntries(downloadHeaders({ name: "audit.csv", contentType: "text/csv; charset=utf-8", size: 12 }))).toEqual({
      "content-type": "text/csv; charset=utf-8",
      "content-length": "12",
      "content-disposition": `attachment; filename="audit.csv"; filename*=UTF-8''audit.csv`,
      "x-content-type-options": "nosniff",
      "content-security-policy": "default-src 'none'; sandbox; frame-ancestors 'none'",
      "cache-control": "private, no-store",
    });
  });
});

describe("download", () => {
  it("answers with the file's bytes, its type and the download headers", async () => {
    const response = await download(get("/doc"), async () => ({ name: "Kbis.pdf", contentType: "application/pdf", bytes: PDF }));
    expect(response.status).toBe(200);
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(PDF);
    expect(response.headers.get("content-type")).toBe("application/pdf");
    expect(response.headers.get("content-length")).toBe(String(PDF.byteLength));
    expect(response.headers.get("content-disposition")).toBe(`attachment; filename="Kbis.pdf"; filename*=UTF-8''Kbis.pdf`);
  });

  it("sends only the bytes of a view, not the whole buffer behind it", async () => {
    const buffer = new Uint8Array(64).fill(65);
    buffer.set(PDF, 8);
    const view = buffer.subarray(8, 8 + PDF.byteLength);
    const response = await download(get("/doc"), async () => ({ name: "a.pdf", contentType: "application/pdf", bytes: view }));
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(PDF);
    expect(response.headers.get("content-length")).toBe(String(PDF.byteLength));
  });

  it.each([
    ["not found", notFound("Document"), 404, "error.404.title"],
    ["forbidden", forbidden(), 403, "error.403.title"],
    ["signed out", new DomainError("UNAUTHENTICATED", "auth.required"), 401, "error.403.title"],
  ] as const)("answers a refusal (%s) with its status and a short text in the reader's language", async (_label, error, status, key) => {
    for (const locale of ["en", "fr"] as const) {
      const response = await download(get("/doc", { "accept-language": locale }), () => Promise.reject(error));
      expect(response.status).toBe(status);
      expect(response.headers.get("content-type")).toBe("text/plain; charset=utf-8");
      expect(response.headers.get("cache-control")).toBe("no-store");
      expect(response.headers.get("content-disposition")).toBeNull();
      expect(await response.text()).toBe(translate(locale, key));
    }
  });

  it("answers invalid input with its translated messages", async () => {
    const error = validationError({ from: ["audit.filter.date_invalid"] });
    const response = await download(get("/audit.csv?from=x", { "accept-language": "fr" }), () => Promise.reject(error));
    expect(response.status).toBe(422);
    expect(await response.text()).toBe(translate("fr", "audit.filter.date_invalid"));
  });

  it("lets a server-side failure through, for the log and a 500", async () => {
    const missing = new Error("ENOENT: stored file gone");
    await expect(download(get("/doc"), () => Promise.reject(missing))).rejects.toBe(missing);
    const invariant = new DomainError("INVARIANT", "broken");
    await expect(download(get("/doc"), () => Promise.reject(invariant))).rejects.toBe(invariant);
  });
});

// The server's middleware stack (createAppServer) in front of the Remix Express adapter, which
// appends a route's headers to those already on the response. The build holds two resource routes.
const build = {
  mode: "production",
  basename: "/",
  publicPath: "/build/",
  assetsBuildDirectory: "build/client",
  isSpaMode: false,
  future: { v3_singleFetch: true },
  entry: { module: { default: () => new Response("no documents here", { status: 500 }) } },
  assets: { version: "test", url: "/build/manifest.js", entry: { module: "/build/entry.js", imports: [] }, routes: {} },
  routes: {
    root: { id: "root", path: "", module: {} },
    file: {
      id: "file",
      parentId: "root",
      path: "file",
      module: { loader: ({ request }: { request: Request }) => download(request, async () => ({ name: "Kbis été.pdf", contentType: "application/pdf", bytes: PDF })) },
    },
    page: {
      id: "page",
      parentId: "root",
      path: "page",
      module: { loader: () => new Response("<!doctype html><p>page</p>", { headers: { "Content-Type": "text/html; charset=utf-8" } }) },
    },
  },
} as unknown as ServerBuild;

describe("a download through the app server's middleware and the Remix adapter", () => {
  let port = 0;
  const server = (() => {
    const app = express();
    applySecurity(app, { allowedOrigins: ["http://localhost:3001"], https: false });
    const remix = createRequestHandler({ build, mode: "production" });
    app.all("*", noStore(), (req, res, next) => {
      remix(req, res, next).catch(next);
    });
    return app.listen(0);
  })();
  beforeAll(() => {
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  /** The response's header lines as sent, repeated ones included (fetch would join them). */
  const rawHeaders = (path: string) =>
    new Promise<Map<string, string[]>>((resolve, reject) => {
      httpRequest({ host: "127.0.0.1", port, path }, (response: IncomingMessage) => {
        const lines = new Map<string, string[]>();
        for (let i = 0; i < response.rawHeaders.length; i += 2) {
          const name = (response.rawHeaders[i] ?? "").toLowerCase();
          lines.set(name, [...(lines.get(name) ?? []), response.rawHeaders[i + 1] ?? ""]);
        }
        response.resume();
        response.on("end", () => resolve(lines));
      })
        .on("error", reject)
        .end();
    });

  it("sends the download's own Cache-Control, CSP and nosniff, each once", async () => {
    const headers = await rawHeaders("/file");
    expect(headers.get("cache-control")).toEqual(["private, no-store"]);
    expect(headers.get("content-security-policy")).toEqual(["default-src 'none'; sandbox; frame-ancestors 'none'"]);
    expect(headers.get("x-content-type-options")).toEqual(["nosniff"]);
    expect(headers.get("content-disposition")).toEqual([`attachment; filename="Kbis ete.pdf"; filename*=UTF-8''Kbis%20%C3%A9t%C3%A9.pdf`]);
    // The defaults the download does not set are still there.
    expect(headers.get("x-frame-options")).toEqual(["DENY"]);
    expect(headers.get("referrer-policy")).toEqual(["same-origin"]);
  });

  it("still gives a page every default, once", async () => {
    const headers = await rawHeaders("/page");
    expect(headers.get("cache-control")).toEqual(["no-store"]);
    expect(headers.get("content-security-policy")).toHaveLength(1);
    expect(headers.get("content-security-policy")?.[0]).toMatch(/^default-src 'self'; script-src 'self' 'nonce-[^']+';.*frame-ancestors 'none'$/);
    expect(headers.get("x-content-type-options")).toEqual(["nosniff"]);
    expect(headers.get("x-frame-options")).toEqual(["DENY"]);
  });
});
