import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import express, { type Express } from "express";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { AppEnv } from "./env.server";
import { applySecurity, noStore } from "./security.server";

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
  env: Pick<AppEnv, "isProduction" | "nodeEnv" | "port" | "publicUrl">;
  /** Development only; the app passes its own (`() => import("vite")`), Vite being its devDependency. */
  vite: () => Promise<ViteModule>;
  /** Releases what the app holds (its database pool) once in-flight requests are done. */
  onShutdown?: () => Promise<void>;
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
  applySecurity(app, { allowedOrigins: [env.publicUrl], https: env.publicUrl.startsWith("https:") });

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

  const remixHandler = createRequestHandler({ build, mode: env.nodeEnv });
  app.all("*", noStore(), (req, res, next) => {
    remixHandler(req, res, next).catch(next);
  });
  return { app, close: async () => vite?.close() };
}

/** Starts the app's server and stops it cleanly on SIGTERM / SIGINT. */
export async function startAppServer(options: AppServerOptions): Promise<Server> {
  const { env } = options;
  const { app, close } = await createAppServer(options);
  const server = app.listen(env.port, () => {
    console.log(`${env.publicUrl} (port ${env.port}, ${env.nodeEnv})`);
  });

  // Finish in-flight requests, then release the database pool.
  function shutdown(signal: string) {
    console.log(`${signal}: shutting down`);
    server.close(() => {
      void Promise.all([options.onShutdown?.(), close()]).finally(() => process.exit(0));
    });
    setTimeout(() => process.exit(1), 10_000).unref();
  }
  process.once("SIGTERM", () => shutdown("SIGTERM"));
  process.once("SIGINT", () => shutdown("SIGINT"));
  return server;
}
