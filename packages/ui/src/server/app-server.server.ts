import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import express, { type Express } from "express";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { AppEnv } from "./env.server";
import { labelRoute, trackRequests, type AppObservability, type RouteLabeler } from "./logging.server";
import { metricsEndpoint, remixRouteLabeler, type RouteManifest } from "./metrics.server";
import { coalesceWrites } from "./coalesce-writes.server";
import { applySecurity, cspNonceOf, noStore } from "./security.server";

/** The part of Vite the server uses in development. */
export interface ViteModule {
  createServer(config: { root: string; server: { middlewareMode: true; hmr: { port: number } } }): Promise<ViteDevServer>;
}

interface ViteDevServer {
  middlewares: (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void;
  ssrLoadModule(url: string): Promise<unknown>;
  close(): Promise<void>;
}

export interface AppServerOptions {
  /** The app's folder: its vite.config.ts in development, its build/ in production. */
  root: string;
  env: Pick<AppEnv, "isProduction" | "nodeEnv" | "port" | "publicUrl" | "trustProxy">;
  /** Development only; the app passes its own (`() => import("vite")`), Vite being its devDependency. */
  vite: () => Promise<ViteModule>;
  /** Releases what the app holds (its database pool) once in-flight requests are done. */
  onShutdown?: () => Promise<void>;
  /** Request ids, the access log and `/metrics` (createAppObservability of @souk/services); none without it. */
  observability?: AppObservability;
}

/**
 * One app's HTTP server: Express in front of Remix (the documented "custom server with Vite"
 * setup), so that the Origin check and security headers run before any loader or action.
 * Development mounts Vite in middleware mode; production serves the built client assets.
 */
export async function createAppServer(options: AppServerOptions): Promise<{ app: Express; close(): Promise<void> }> {
  const { root, env } = options;
  const dir = root.endsWith("/") ? root : `${root}/`;
  // Three apps run side by side in development: each needs its own HMR socket (Vite's default is one port for all).
  const hmrPort = env.port + 20_000 <= 65_535 ? env.port + 20_000 : env.port - 1;
  const vite = env.isProduction
    ? undefined
    : await options.vite().then((v) => v.createServer({ root: dir, server: { middlewareMode: true, hmr: { port: hmrPort } } }));

  const app = express();
  // Which proxies may name the client in X-Forwarded-For (req.ip, read by clientAddress()).
  app.set("trust proxy", env.trustProxy);

  // Observability (decision 0018), first: every response, a refusal by the security middleware
  // included, gets its request id and an access log line. Routes are named once the build is known.
  const { observability } = options;
  let routeOf: RouteLabeler = () => "(starting)";
  if (observability) {
    // The same judgement as X-Forwarded-For's: only a trusted proxy's X-Request-Id is kept.
    const trusted = app.get("trust proxy fn") as (address: string, hop: number) => boolean;
    app.use(trackRequests(observability, (pathname) => routeOf(pathname), (req) => trusted(req.socket.remoteAddress ?? "", 0)));
  }

  applySecurity(app, { allowedOrigins: [env.publicUrl], https: env.publicUrl.startsWith("https:"), development: !env.isProduction });

  if (observability) {
    app.get("/metrics", metricsEndpoint(observability));
    // Answered by Vite or the static files unless they pass the request on to Remix (below).
    app.use((_req, res, next) => {
      labelRoute(res, "(static)");
      next();
    });
  }

  if (vite) {
    app.use(vite.middlewares);
  } else {
    // Fingerprinted file names: safe to cache for a year.
    app.use("/assets", express.static(`${dir}build/client/assets`, { immutable: true, maxAge: "1y" }));
    app.use(express.static(`${dir}build/client`, { maxAge: "1h" }));
  }

  // A path held in a variable so that typechecking does not require a build.
  const serverBuildPath = `${dir}build/server/index.js`;
  const build = vite
    ? () => vite.ssrLoadModule("virtual:remix/server-build") as Promise<ServerBuild>
    : ((await import(serverBuildPath)) as ServerBuild);

  if (observability) {
    routeOf = remixRouteLabeler(build as unknown as { routes: RouteManifest } | (() => Promise<{ routes: RouteManifest }>));
    // Remix answers from here on: the route is named from its manifest.
    app.use((_req, res, next) => {
      labelRoute(res, null);
      next();
    });
  }

  const remixHandler = createRequestHandler({
    build,
    mode: env.nodeEnv,
    // The CSP nonce of this response (securityHeaders), for each app's entry.server.tsx to put on Remix's inline scripts.
    getLoadContext: (_req, res) => ({ cspNonce: cspNonceOf(res) }),
  });
  app.all("*", noStore(), coalesceWrites(), (req, res, next) => {
    remixHandler(req, res, next).catch(next);
  });
  return { app, close: async () => vite?.close() };
}

/** Starts the app's server and stops it cleanly on SIGTERM / SIGINT. */
export async function startAppServer(options: AppServerOptions): Promise<Server> {
  const { env } = options;
  const { app, close } = await createAppServer(options);
  const logger = options.observability?.logger;
  const server = app.listen(env.port, () => {
    if (logger) logger.info("server started", { url: env.publicUrl, port: env.port, nodeEnv: env.nodeEnv });
    else console.log(`${env.publicUrl} (port ${env.port}, ${env.nodeEnv})`);
  });

  // Finish in-flight requests, then release the database pool.
  function shutdown(signal: string) {
    if (logger) logger.info("shutting down", { signal });
    else console.log(`${signal}: shutting down`);
    server.close(() => {
      void Promise.all([options.onShutdown?.(), close()]).finally(() => process.exit(0));
    });
    setTimeout(() => process.exit(1), 10_000).unref();
  }
  process.once("SIGTERM", () => shutdown("SIGTERM"));
  process.once("SIGINT", () => shutdown("SIGINT"));
  return server;
}
