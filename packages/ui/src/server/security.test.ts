import express from "express";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applySecurity, contentSecurityPolicy, cspNonceOf, noStore, originCheck, securityHeaders, toOriginCheckRequest } from "./security.server";

// The middleware stack of createAppServer in front of a stand-in for Remix that records what got through.
let base = "";
const reached: string[] = [];
const server = (() => {
  const app = express();
  applySecurity(app, { allowedOrigins: ["http://localhost:3001"], https: false, bodyLimits: { multipart: 4096, other: 1024 } });
  app.get("/nonce", (_req, res) => res.send(cspNonceOf(res) ?? "none"));
  app.get("/assets/app.js", (_req, res) => res.setHeader("Cache-Control", "public, max-age=31536000, immutable").send("asset"));
  // Like the Remix adapter, which appends a route's headers to those already on the response.
  app.get("/own-headers", noStore(), (_req, res) => {
    res.append("Cache-Control", "private, max-age=60");
    res.append("Content-Security-Policy", "default-src 'none'; sandbox");
    res.send("own");
  });
  app.all("*", noStore(), (req, res) => {
    reached.push(`${req.method} ${req.path}`);
    res.send(`ok ${String(req.headers["x-souk-client-address"])}`);
  });
  return app.listen(0);
})();

beforeAll(() => {
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const post = (headers: Record<string, string>) => fetch(`${base}/sign-in`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", ...headers }, body: "email=a%40b.c&password=x" });

describe("origin check (CSRF)", () => {
  it("refuses a POST from another origin before the app sees it", async () => {
    reached.length = 0;
    const response = await post({ origin: "http://evil.example" });
    expect(response.status).toBe(403);
    expect(await response.text()).toContain("403");
    expect(reached).toEqual([]);
  });

  it("refuses a POST with neither Origin nor Referer, and one from a sibling app", async () => {
    expect((await post({})).status).toBe(403);
    expect((await post({ origin: "http://localhost:3002" })).status).toBe(403);
    expect((await post({ referer: "http://evil.example/page" })).status).toBe(403);
  });

  it("lets through a POST from our origin (or our Referer when Origin is missing) and every GET", async () => {
    reached.length = 0;
    expect((await post({ origin: "http://localhost:3001" })).status).toBe(200);
    expect((await post({ referer: "http://localhost:3001/sign-in" })).status).toBe(200);
    expect((await fetch(`${base}/members`, { headers: { origin: "http://evil.example" } })).status).toBe(200);
    expect(reached).toEqual(["POST /sign-in", "POST /sign-in", "GET /members"]);
  });

  it("works on a bare Express request as well", () => {
    const refused: number[] = [];
    const res = { status: (code: number) => (refused.push(code), res), type: () => res, send: () => res };
    let passed = false;
    const middleware = originCheck(["http://localhost:3001"]);
    middleware({ method: "DELETE", headers: { origin: "http://evil.example" } } as never, res as never, () => (passed = true));
    expect(refused).toEqual([403]);
    expect(passed).toBe(false);
    expect(toOriginCheckRequest({ method: "PUT", headers: { origin: "http://a.test" } }).headers.get("origin")).toBe("http://a.test");
  });
});

describe("response hardening", () => {
  it("sets the security headers and hides the framework", async () => {
    const response = await fetch(`${base}/`);
    expect(response.headers.get("x-frame-options")).toBe("DENY");
    expect(response.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("referrer-policy")).toBe("same-origin");
    expect(response.headers.get("strict-transport-security")).toBeNull();
    expect(response.headers.get("x-powered-by")).toBeNull();
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect((await fetch(`${base}/assets/app.js`)).headers.get("cache-control")).toContain("immutable");
  });

  it("gives each response a CSP whose scripts need the response's own nonce, never 'unsafe-inline'", async () => {
    const [first, second] = await Promise.all([fetch(`${base}/nonce`), fetch(`${base}/nonce`)]);
    const nonces: string[] = [];
    for (const response of [first!, second!]) {
      const nonce = await response.text();
      expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
      nonces.push(nonce);
      const policy = new Map(response.headers.get("content-security-policy")!.split("; ").map((d) => [d.split(" ")[0], d.split(" ").slice(1).join(" ")]));
      expect(policy.get("script-src")).toBe(`'self' 'nonce-${nonce}'`);
      expect(policy.get("default-src")).toBe("'self'");
      expect(policy.get("connect-src")).toBe("'self'");
      expect(policy.get("frame-ancestors")).toBe("'none'");
      expect(policy.get("object-src")).toBe("'none'");
      expect(response.headers.get("content-security-policy")).not.toMatch(/script-src[^;]*unsafe/);
    }
    expect(nonces[0]).not.toBe(nonces[1]);
    // Static files get a policy too (a nonce nobody uses).
    expect((await fetch(`${base}/assets/app.js`)).headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
  });

  it("lets Vite's hot-reload socket through in development only", () => {
    expect(contentSecurityPolicy("n", { development: true })).toContain("connect-src 'self' ws:");
    expect(contentSecurityPolicy("n")).toContain("connect-src 'self';");
  });

  it("sends HSTS when the public URL is https, and only then", async () => {
    const app = express();
    app.use(securityHeaders({ https: true }));
    app.get("/", (_req, res) => res.send("ok"));
    const secure = app.listen(0);
    try {
      const response = await fetch(`http://127.0.0.1:${(secure.address() as AddressInfo).port}/`);
      expect(response.headers.get("strict-transport-security")).toBe("max-age=31536000; includeSubDomains");
    } finally {
      await new Promise<void>((resolve) => secure.close(() => resolve()));
    }
    // The shared server of this file is plain http.
    expect((await fetch(`${base}/`)).headers.get("strict-transport-security")).toBeNull();
  });

  it("lets a handler's own Cache-Control and CSP replace the defaults instead of being sent beside them", async () => {
    const response = await fetch(`${base}/own-headers`);
    // fetch joins repeated headers with ", ": an exact value means the header went out once.
    expect(response.headers.get("cache-control")).toBe("private, max-age=60");
    expect(response.headers.get("content-security-policy")).toBe("default-src 'none'; sandbox");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("x-frame-options")).toBe("DENY");
  });

  it("overwrites a client-supplied address header with the socket's address", async () => {
    const response = await fetch(`${base}/`, { headers: { "x-souk-client-address": "6.6.6.6" } });
    expect(await response.text()).not.toContain("6.6.6.6");
  });
});

describe("body limits", () => {
  const send = (body: BodyInit, headers: Record<string, string>) =>
    fetch(`${base}/application`, { method: "POST", headers: { origin: "http://localhost:3001", ...headers }, body, duplex: "half" } as RequestInit);

  it("refuses a form body over the limit before the app reads it", async () => {
    reached.length = 0;
    const response = await send("x=" + "a".repeat(2000), { "content-type": "application/x-www-form-urlencoded" });
    expect(response.status).toBe(413);
    expect(await response.text()).toContain("413");
    expect(reached).toEqual([]);
  });

  it("gives uploads their own, larger limit", async () => {
    const upload = new FormData();
    upload.set("file", new Blob(["a".repeat(3000)]), "small.pdf");
    expect((await send(upload, {})).status).toBe(200);
    const big = new FormData();
    big.set("file", new Blob(["a".repeat(5000)]), "big.pdf");
    expect((await send(big, {})).status).toBe(413);
  });

  it("refuses a streamed body of unknown length, and lets small and empty posts through", async () => {
    const stream = new ReadableStream({ start: (c) => (c.enqueue(new TextEncoder().encode("x=1")), c.close()) });
    expect((await send(stream, { "content-type": "application/x-www-form-urlencoded" })).status).toBe(411);
    expect((await send("x=1", { "content-type": "application/x-www-form-urlencoded" })).status).toBe(200);
    expect((await fetch(`${base}/sign-out`, { method: "POST", headers: { origin: "http://localhost:3001" } })).status).toBe(200);
  });
});
