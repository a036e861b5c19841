import { readJobsConfig } from "@souk/services";
import { parseAppEnv } from "@souk/ui/server";
import { APP, DEFAULT_PORT } from "./lib/app";

/** The app's whole configuration, parsed once when the server starts. Nothing else reads process.env. */
export const env = parseAppEnv(process.env, { app: APP, defaultPort: DEFAULT_PORT });

/** REDIS_URL and QUEUE_PREFIX: the worker's queues, read by the Jobs page (same defaults as the worker's). */
export const jobsConfig = readJobsConfig(process.env);
