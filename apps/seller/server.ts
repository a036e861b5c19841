import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import express from "express";
import { fileURLToPath } from "node:url";
import { env } from "./app/env.server";
import { closeServices } from "./app/services.server";
import { applySecurity, noStore } from "./server/http";

/**
 * The app's HTTP server: Express in front of Remix (the documented "custom server with Vite"
 * setup), so that the Origin check and security headers run before any loader or action.
 * Development mounts Vite in middleware mode; production serves the built client assets.
 */
const root = fileURLToPath(new URL(".", import.meta.url));

const vite = env.isProduction
  ? undefined
  : await import("vite").then((v) => v.createServer({ root, server: { middlewareMode: true } }));

const app = express();
applySecurity(app, { allowedOrigins: [env.publicUrl], https: env.publicUrl.startsWith("https:") });

if (vite) {
  app.use(vite.middlewares);
} else {
  // Fingerprinted file names: safe to cache for a year.
  app.use("/assets", express.static(`${root}build/client/assets`, { immutable: true, maxAge: "1y" }));
  app.use(express.static(`${root}build/client`, { maxAge: "1h" }));
}

// A path held in a variable so that typechecking does not require a build.
const serverBuildPath = `${root}build/server/index.js`;
const build = vite
  ? () => vite.ssrLoadModule("virtual:remix/server-build") as Promise<ServerBuild>
  : ((await import(serverBuildPath)) as ServerBuild);

const remixHandler = createRequestHandler({ build, mode: env.nodeEnv });
app.all("*", noStore(), (req, res, next) => {
  remixHandler(req, res, next).catch(next);
});

const server = app.listen(env.port, () => {
  console.log(`${env.publicUrl} (port ${env.port}, ${env.nodeEnv})`);
});

// Finish in-flight requests, then release the database pool.
function shutdown(signal: string) {
  console.log(`${signal}: shutting down`);
  server.close(() => {
    void Promise.all([closeServices(), vite?.close()]).finally(() => process.exit(0));
  });
  setTimeout(() => process.exit(1), 10_000).unref();
}
process.once("SIGTERM", () => shutdown("SIGTERM"));
process.once("SIGINT", () => shutdown("SIGINT"));
