import { parseAppEnv } from "@souk/ui/server";
import { APP, DEFAULT_PORT } from "./lib/app";

/** The app's whole configuration, parsed once when the server starts. Nothing else reads process.env. */
export const env = parseAppEnv(process.env, { app: APP, defaultPort: DEFAULT_PORT });
