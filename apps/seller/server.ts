import { startAppServer } from "@souk/ui/server";
import { fileURLToPath } from "node:url";
import { env } from "./app/env.server";
import { closeServices } from "./app/services.server";

// Express (origin check, security headers) in front of Remix; Vite in development.
await startAppServer({ root: fileURLToPath(new URL(".", import.meta.url)), env, vite: () => import("vite"), onShutdown: closeServices });
