import { createAppObservability } from "@souk/services";
import { startAppServer } from "@souk/ui/server";
import { fileURLToPath } from "node:url";
import { env } from "./app/env.server";
import { APP } from "./app/lib/app";
import { closeServices, services } from "./app/services.server";

// Express (request ids and access log, origin check, security headers, /metrics) in front of Remix; Vite in development.
await startAppServer({
  root: fileURLToPath(new URL(".", import.meta.url)),
  env,
  vite: () => import("vite"),
  onShutdown: closeServices,
  observability: createAppObservability({ app: APP, db: services.db, metricsToken: env.metricsToken, production: env.isProduction }),
});
