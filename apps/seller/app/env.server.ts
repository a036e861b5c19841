import { readPayoutConfig } from "@souk/services";
import { parseAppEnv } from "@souk/ui/server";
import { APP, DEFAULT_PORT } from "./lib/app";

/** The app's whole configuration, parsed once when the server starts. Nothing else reads process.env. */
export const env = parseAppEnv(process.env, { app: APP, defaultPort: DEFAULT_PORT });

/** PAYOUT_CYCLE_DAYS: the worker's payout cycle, for the next payout date the money page shows (same default as the worker's). */
export const payoutConfig = readPayoutConfig(process.env);
