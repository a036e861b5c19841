import type { IncomingMessage, ServerResponse } from "node:http";
import { labelRoute, type AppObservability, type RouteLabeler } from "./logging.server";

/** The fields of a Remix build's route manifest that say where a route matches. */
export interface RouteManifestEntry {
  id: string;
  parentId?: string;
  path?: string;
  index?: boolean;
  caseSensitive?: boolean;
}

export type RouteManifest = Readonly<Record<string, RouteManifestEntry | undefined>>;

interface Branch {
  /** "/rfqs/:rfqId/compare": the label. */
  pattern: string;
  regex: RegExp;
  score: number;
}

const compiled = new WeakMap<RouteManifest, Branch[]>();

// React Router's ranking (computeScore in @remix-run/router), so that the route named is the one
// Remix answers with: static segments beat dynamic ones, which beat splats; index routes win ties.
const SCORE = { static: 10, dynamic: 3, index: 2, empty: 1, splat: -2 };

function scoreOf(pattern: string, index: boolean): number {
  const segments = pattern.split("/");
  let score = segments.length + (segments.includes("*") ? SCORE.splat : 0) + (index ? SCORE.index : 0);
  for (const segment of segments) {
    if (segment === "*") continue;
    score += segment.startsWith(":") ? SCORE.dynamic : segment === "" ? SCORE.empty : SCORE.static;
  }
  return score;
}

function regexOf(pattern: string, caseSensitive: boolean): RegExp {
  let source = "";
  for (const segment of pattern.split("/").filter((s) => s !== "")) {
    const optional = segment.endsWith("?");
    const name = optional ? segment.slice(0, -1) : segment;
    const part = name === "*" ? "/.*" : name.startsWith(":") ? "/[^/]+" : `/${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`;
    source += optional || name === "*" ? `(?:${part})?` : part;
  }
  return new RegExp(`^${source}/?$`, caseSensitive ? "" : "i");
}

/** Every route that can match by itself (not a pathless layout), with its full pattern, best ranked first. */
function branchesOf(manifest: RouteManifest): Branch[] {
  let branches = compiled.get(manifest);
  if (branches) return branches;
  const byParent = new Map<string | undefined, RouteManifestEntry[]>();
  for (const route of Object.values(manifest)) {
    if (!route) continue;
    const siblings = byParent.get(route.parentId) ?? [];
    siblings.push(route);
    byParent.set(route.parentId, siblings);
  }
  const found: Branch[] = [];
  const walk = (parentId: string | undefined, parentPath: string) => {
    for (const route of byParent.get(parentId) ?? []) {
      const pattern = `/${[parentPath, route.path ?? ""].join("/")}`.replace(/\/{2,}/g, "/").replace(/(.)\/$/, "$1");
      walk(route.id, pattern);
      if (route.path === undefined && !route.index) continue;
      found.push({ pattern, regex: regexOf(pattern, route.caseSensitive === true), score: scoreOf(pattern, route.index === true) });
    }
  };
  walk(undefined, "");
  // Array.prototype.sort is stable: equal scores keep the manifest's order, as React Router does.
  branches = found.sort((a, b) => b.score - a.score);
  compiled.set(manifest, branches);
  return branches;
}

/**
 * The route pattern Remix would answer `pathname` with, from the build's route manifest:
 * "/rfqs/:rfqId/compare", "/" for the home page, "/*" for an app's catch-all. A single-fetch data
 * request ("/rfqs/1.data", "/_root.data") is labelled as its page. Never the raw path: a label per
 * id would make the metric's series unbounded (and paths hold one-time tokens). The manifest is
 * compiled once into ranked regular expressions: React Router's matchRoutes ranks every route
 * again on each call (about 0.2 ms for an app's 60 routes), too much for every request.
 */
export function routePattern(manifest: RouteManifest, pathname: string): string {
  let path = pathname;
  if (path.endsWith(".data")) path = path.slice(0, -".data".length);
  if (path === "/_root") path = "/";
  return branchesOf(manifest).find((branch) => branch.regex.test(path))?.pattern ?? "(unmatched)";
}

/** A RouteLabeler over a Remix build (in development a function: Vite reloads it on every edit). */
export function remixRouteLabeler(build: { routes: RouteManifest } | (() => Promise<{ routes: RouteManifest }>)): RouteLabeler {
  if (typeof build === "function") return async (pathname) => routePattern((await build()).routes, pathname);
  return (pathname) => routePattern(build.routes, pathname);
}

/**
 * `GET /metrics`: the Prometheus text of the app's metrics, to a request `canReadMetrics` lets
 * through (with METRICS_TOKEN set, one sending `Authorization: Bearer <token>`); 401 otherwise.
 */
export function metricsEndpoint(observability: Pick<AppObservability, "metrics" | "canReadMetrics">) {
  const { metrics } = observability;
  return (req: IncomingMessage, res: ServerResponse): void => {
    labelRoute(res, "/metrics");
    if (!observability.canReadMetrics(req.headers.authorization)) {
      res.writeHead(401, { "Content-Type": "text/plain; charset=utf-8", "WWW-Authenticate": 'Bearer realm="metrics"', "Cache-Control": "no-store" }).end("Unauthorized\n");
      return;
    }
    metrics.render().then(
      (text) => {
        res.writeHead(200, { "Content-Type": metrics.contentType, "Cache-Control": "no-store" }).end(text);
      },
      () => {
        res.writeHead(500, { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" }).end("metrics unavailable\n");
      },
    );
  };
}
