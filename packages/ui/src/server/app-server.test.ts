import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { matchRoutes } from "@remix-run/react";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAppServer } from "./app-server.server";
import type { AppEnv } from "./env.server";
import type { AppObservability } from "./logging.server";
import { remixRouteLabeler, routePattern, type RouteManifest, type RouteManifestEntry } from "./metrics.server";

// What createAppObservability of @souk/services gives the server (which this package may not
// import), kept observable: the access log lines, the observed requests, the request context.
const context = new AsyncLocalStorage<string>();
const logged: Record<string, unknown>[] = [];
const observed: { method: string; route: string; statusClass: string; seconds: number }[] = [];
const TOKEN = "metrics-token-for-the-test";
const observability: AppObservability = {
  logger: { info: (message, fields) => void logged.push({ message, ...fields }), error: (message, fields) => void logged.push({ message, ...fields }) },
  requestIdFrom: (header) => (typeof header === "string" && /^[\w-]{8,128}$/.test(header) ? header : randomUUID()),
  runWithRequestId: (id, fn) => context.run(id, fn),
  metrics: {
    contentType: "text/plain; version=0.0.4; charset=utf-8",
    observeHttpRequest: (labels, seconds) => void observed.push({ ...labels, seconds }),
    render: async () => `requests_total ${observed.length}\n`,
  },
  canReadMetrics: (authorization) => authorization === `Bearer ${TOKEN}`,
};
// The build's loaders run in Remix, far from this file: they reach the context through here.
(globalThis as Record<string, unknown>).__appServerTest = { current: () => context.getStore() ?? null };

// A production build (what `remix vite:build` writes to build/server/index.js) of resource routes only.
const BUILD = `
const test = globalThis.__appServerTest;
const seen = ({ request, params }) => Response.json({ header: request.headers.get("x-request-id"), current: test.current(), params, client: request.headers.get("x-souk-client-address") });
export const mode = "production";
export const basename = "/";
export const publicPath = "/assets/";
export const assetsBuildDirectory = "build/client";
export const isSpaMode = false;
export const future = { v3_singleFetch: true };
export const entry = { module: { default: () => new Response("no documents here", { status: 500 }) } };
export const assets = { version: "t", url: "/assets/manifest.js", entry: { module: "/assets/entry.js", imports: [] }, routes: {} };
export const routes = {
  root: { id: "root", path: "", module: {} },
  "routes/rfqs.$rfqId": { id: "routes/rfqs.$rfqId", parentId: "root", path: "rfqs/:rfqId", module: { loader: seen, action: seen } },
  "routes/invitations.$token": { id: "routes/invitations.$token", parentId: "root", path: "invitations/:token", module: { loader: seen } },
  "routes/$": { id: "routes/$", parentId: "root", path: "*", module: { loader: () => new Response("not found", { status: 404 }) } },
};
`;

const root = mkdtempSync(path.join(tmpdir(), "souk-app-server-"));
let server: Server;
let base = "";
beforeAll(async () => {
  mkdirSync(path.join(root, "build/server"), { recursive: true });
  mkdirSync(path.join(root, "build/client/assets"), { recursive: true });
  writeFileSync(path.join(root, "build/server/index.js"), BUILD);
  writeFileSync(path.join(root, "build/client/assets/entry-abc123.js"), "console.log('asset')");
  // Behind a trusted proxy on loopback, as in production behind a balancer: its request ids are kept.
  ({ server, base } = await listen(["loopback"]));
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(root, { recursive: true, force: true });
});

async function listen(trustProxy: AppEnv["trustProxy"]) {
  const { app } = await createAppServer({
    root,
    env: { isProduction: true, nodeEnv: "production", port: 3999, publicUrl: "http://localhost:3999", trustProxy },
    vite: () => Promise.reject(new Error("no Vite in production")),
    observability,
  });
  const listening = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => listening.once("listening", resolve));
  return { server: listening, base: `http://127.0.0.1:${(listening.address() as AddressInfo).port}` };
}

/** The access log line and the observation of one request (written once its response is done). */
async function recordOf(requestId: string) {
  for (let i = 0; i < 50; i++) {
    const line = logged.find((l) => l.message === "request" && l.requestId === requestId);
    if (line) return line;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`no access log line for ${requestId}`);
}

describe("the app server's request ids, access log and /metrics", () => {
  it("gives each request an id (a new one, or the trusted proxy's when well formed), echoes it and runs Remix under it", async () => {
    const fresh = await fetch(`${base}/rfqs/0b7e2a3c-8a4e-4f0b-9d7c-1e2f3a4b5c6d?tab=offers`);
    const id = fresh.headers.get("x-request-id");
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(await fresh.json()).toEqual({ header: id, current: id, params: { rfqId: "0b7e2a3c-8a4e-4f0b-9d7c-1e2f3a4b5c6d" }, client: "127.0.0.1" });

    const kept = await fetch(`${base}/rfqs/42`, { headers: { "x-request-id": "edge-proxy-0001" } });
    expect(kept.headers.get("x-request-id")).toBe("edge-proxy-0001");
    expect(((await kept.json()) as { current: string }).current).toBe("edge-proxy-0001");

    const forged = await fetch(`${base}/rfqs/42`, { headers: { "x-request-id": "bad id" } });
    const replaced = forged.headers.get("x-request-id");
    expect(replaced).not.toBe("bad id");
    expect(((await forged.json()) as { header: string }).header).toBe(replaced);
  });

  it("logs one line per request with method, route pattern, status, duration and request id; never the path's ids or tokens nor the query", async () => {
    const response = await fetch(`${base}/invitations/one-time-s3cr3t-token?email=ana%40example.com`, { headers: { "x-request-id": "req-access-0001", cookie: "__session=s3cr3t" } });
    expect(response.status).toBe(200);
    const line = await recordOf("req-access-0001");
    expect(line).toEqual({ message: "request", requestId: "req-access-0001", method: "GET", route: "/invitations/:token", status: 200, durationMs: expect.any(Number) });
    expect(line.durationMs as number).toBeGreaterThanOrEqual(0);
    expect(JSON.stringify(logged)).not.toMatch(/s3cr3t|ana%40example|example\.com/);
    expect(observed).toContainEqual({ method: "GET", route: "/invitations/:token", statusClass: "2xx", seconds: expect.any(Number) });
  });

  it("names data requests by their page, static files as such, the catch-all by its pattern, and refusals before Remix too", async () => {
    await fetch(`${base}/rfqs/77.data`, { headers: { "x-request-id": "req-data-00001" } });
    expect(await recordOf("req-data-00001")).toMatchObject({ route: "/rfqs/:rfqId", method: "GET" });

    const asset = await fetch(`${base}/assets/entry-abc123.js`, { headers: { "x-request-id": "req-static-0001" } });
    expect(asset.status).toBe(200);
    expect(await recordOf("req-static-0001")).toMatchObject({ route: "(static)", status: 200 });

    const missing = await fetch(`${base}/no/such/page/123`, { headers: { "x-request-id": "req-missing-01" } });
    expect(missing.status).toBe(404);
    expect(await recordOf("req-missing-01")).toMatchObject({ route: "/*", status: 404 });

    // A cross-site POST refused by the Origin check, before Remix: still an id, a line and a pattern.
    const refused = await fetch(`${base}/rfqs/42`, { method: "POST", headers: { origin: "http://evil.example", "x-request-id": "req-refused-01" }, body: "a=1" });
    expect(refused.status).toBe(403);
    expect(refused.headers.get("x-request-id")).toBe("req-refused-01");
    expect(await recordOf("req-refused-01")).toMatchObject({ method: "POST", route: "/rfqs/:rfqId", status: 403 });
    expect(observed).toContainEqual({ method: "POST", route: "/rfqs/:rfqId", statusClass: "4xx", seconds: expect.any(Number) });
  });

  it("serves /metrics before Remix, only with the bearer token when the app has one", async () => {
    const open = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${TOKEN}`, "x-request-id": "req-metrics-01" } });
    expect(open.status).toBe(200);
    expect(open.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
    expect(await open.text()).toMatch(/^requests_total \d+\n$/);
    expect(await recordOf("req-metrics-01")).toMatchObject({ route: "/metrics", status: 200 });

    for (const authorization of [undefined, "Bearer wrong-token", `Basic ${TOKEN}`]) {
      const refused = await fetch(`${base}/metrics`, { headers: authorization ? { authorization } : {} });
      expect(refused.status).toBe(401);
      expect(refused.headers.get("www-authenticate")).toContain("Bearer");
      expect(await refused.text()).not.toContain("requests_total");
    }
  });
});

const clientOf = async (url: string, headers: Record<string, string> = {}) => ((await (await fetch(`${url}/rfqs/42`, { headers })).json()) as { client: string }).client;

describe("without a trusted proxy (TRUST_PROXY unset)", () => {
  let direct: Awaited<ReturnType<typeof listen>>;
  beforeAll(async () => {
    direct = await listen(false);
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => direct.server.close(() => resolve()));
  });

  it("gives every request a new id, whatever X-Request-Id the visitor sends", async () => {
    const answer = await fetch(`${direct.base}/rfqs/42`, { headers: { "x-request-id": "someone-elses-0001" } });
    const id = answer.headers.get("x-request-id");
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(await answer.json()).toMatchObject({ header: id, current: id });
  });

  it("takes the client's address from the socket, whatever X-Forwarded-For says", async () => {
    expect(await clientOf(direct.base, { "x-forwarded-for": "203.0.113.7" })).toBe("127.0.0.1");
    // A client cannot set the header the loaders read either.
    expect(await clientOf(direct.base, { "x-souk-client-address": "203.0.113.7" })).toBe("127.0.0.1");
  });
});

describe("the client's address behind TRUST_PROXY", () => {
  it("is the one a trusted proxy names, and never one named by an untrusted hop before it", async () => {
    for (const trustProxy of [["loopback"], 1] as const) {
      const behind = await listen(typeof trustProxy === "number" ? trustProxy : [...trustProxy]);
      try {
        expect(await clientOf(behind.base, { "x-forwarded-for": "203.0.113.7" })).toBe("203.0.113.7");
        // The visitor forged the first entry; the proxy appended the address it saw.
        expect(await clientOf(behind.base, { "x-forwarded-for": "198.51.100.1, 203.0.113.7" })).toBe("203.0.113.7");
        expect(await clientOf(behind.base)).toBe("127.0.0.1");
      } finally {
        await new Promise<void>((resolve) => behind.server.close(() => resolve()));
      }
    }
    // A proxy that is not the trusted one is not believed, for the address nor for the request id.
    const elsewhere = await listen(["10.0.0.0/8"]);
    try {
      expect(await clientOf(elsewhere.base, { "x-forwarded-for": "203.0.113.7" })).toBe("127.0.0.1");
      expect((await fetch(`${elsewhere.base}/rfqs/42`, { headers: { "x-request-id": "edge-proxy-0002" } })).headers.get("x-request-id")).not.toBe("edge-proxy-0002");
    } finally {
      await new Promise<void>((resolve) => elsewhere.server.close(() => resolve()));
    }
  });
});

describe("routePattern", () => {
  const manifest: RouteManifest = {
    root: { id: "root", path: "" },
    "routes/_index": { id: "routes/_index", parentId: "root", index: true },
    "routes/rfqs._index": { id: "routes/rfqs._index", parentId: "root", path: "rfqs", index: true },
    "routes/rfqs.$rfqId": { id: "routes/rfqs.$rfqId", parentId: "root", path: "rfqs/:rfqId" },
    "routes/rfqs.$rfqId_.compare": { id: "routes/rfqs.$rfqId_.compare", parentId: "root", path: "rfqs/:rfqId/compare" },
    "routes/rfqs.$rfqId_.compare[.csv]": { id: "routes/rfqs.$rfqId_.compare[.csv]", parentId: "root", path: "rfqs/:rfqId/compare.csv" },
    "routes/rfqs.new": { id: "routes/rfqs.new", parentId: "root", path: "rfqs/new" },
    "routes/_auth": { id: "routes/_auth", parentId: "root" },
    "routes/_auth.sign-in": { id: "routes/_auth.sign-in", parentId: "routes/_auth", path: "sign-in" },
  };

  it("gives the pattern of the route Remix would answer with, never the path's values", () => {
    expect(routePattern(manifest, "/")).toBe("/");
    expect(routePattern(manifest, "/rfqs")).toBe("/rfqs");
    expect(routePattern(manifest, "/rfqs/3f1c")).toBe("/rfqs/:rfqId");
    expect(routePattern(manifest, "/rfqs/new")).toBe("/rfqs/new");
    expect(routePattern(manifest, "/rfqs/3f1c/compare")).toBe("/rfqs/:rfqId/compare");
    expect(routePattern(manifest, "/rfqs/3f1c/compare.csv")).toBe("/rfqs/:rfqId/compare.csv");
    // A pathless layout adds nothing to the pattern.
    expect(routePattern(manifest, "/sign-in")).toBe("/sign-in");
    // Single-fetch data requests, the home page's included.
    expect(routePattern(manifest, "/rfqs/3f1c.data")).toBe("/rfqs/:rfqId");
    expect(routePattern(manifest, "/_root.data")).toBe("/");
    expect(routePattern(manifest, "/nothing/here")).toBe("(unmatched)");
  });

  it("names the same route as React Router's own matching (what Remix answers with)", () => {
    const big: Record<string, RouteManifestEntry> = { ...(manifest as Record<string, RouteManifestEntry>) };
    for (const [id, route] of Object.entries({
      "routes/$": { parentId: "root", path: "*" },
      "routes/listings_.$listingId": { parentId: "root", path: "listings/:listingId" },
      "routes/listings_.$listingId_.images.$imageId": { parentId: "root", path: "listings/:listingId/images/:imageId" },
      "routes/listings.import": { parentId: "root", path: "listings/import" },
      "routes/listings[.csv]": { parentId: "root", path: "listings.csv" },
      "routes/money": { parentId: "root", path: "money" },
      "routes/money._index": { parentId: "routes/money", index: true },
      "routes/money.settlements": { parentId: "routes/money", path: "settlements" },
      "routes/files.$": { parentId: "root", path: "files/*" },
    })) {
      big[id] = { id, ...route };
    }
    type Node = { id: string; path?: string; index?: boolean; children?: Node[] };
    const tree = (parentId: string | undefined): Node[] =>
      Object.values(big)
        .filter((r) => r.parentId === parentId)
        .map((r) => (r.index ? { id: r.id, index: true, path: r.path } : { id: r.id, path: r.path, children: tree(r.id) }));
    const routes = tree(undefined) as Parameters<typeof matchRoutes>[0];
    const paths = ["/", "/rfqs", "/rfqs/", "/rfqs/new", "/rfqs/9", "/rfqs/9/compare", "/rfqs/9/compare.csv", "/sign-in", "/listings/7", "/listings/import", "/listings.csv",
      "/listings/7/images/3", "/money", "/money/settlements", "/files", "/files/a/b.pdf", "/nope", "/nope/deeper/still", "/RFQS/NEW"];
    for (const path of paths) {
      const matches = matchRoutes(routes, path);
      const expected = matches ? `/${matches.map((m) => m.route.path ?? "").filter((p) => p !== "").join("/")}`.replace(/\/{2,}/g, "/") : "(unmatched)";
      expect([path, routePattern(big, path)]).toEqual([path, expected]);
    }
  });

  it("reads a development build again on each call (Vite reloads it)", async () => {
    let current: { routes: RouteManifest } = { routes: manifest };
    const label = remixRouteLabeler(async () => current);
    expect(await label("/rfqs/1")).toBe("/rfqs/:rfqId");
    current = { routes: { root: { id: "root", path: "" }, "routes/$": { id: "routes/$", parentId: "root", path: "*" } } };
    expect(await label("/rfqs/1")).toBe("/*");
  });
});
