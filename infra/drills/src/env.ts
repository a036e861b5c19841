import { tmpdir } from "node:os";

/** The drills' settings, read once from the environment (the only module that reads it). */
export interface DrillsEnv {
  /** Where each drill makes its temp directory (run.sh points it at one it removes on exit). */
  tmpRoot: string;
  /** DRILLS_KEEP=1: leave the temp directory (logs, data) for a look afterwards. */
  keep: boolean;
  /** DRILLS_BUILD: auto (build missing or stale apps), always, never. */
  build: "auto" | "always" | "never";
  /** PG_BIN: the PostgreSQL binaries; the newest /usr/lib/postgresql/<v>/bin otherwise. */
  pgBin: string | null;
  /** DRILL_ORDERS: orders of the worker-kill drill. */
  orders: number;
  /** DRILL_OUTAGE_MS: how long the redis-stop drill keeps Redis down. */
  redisOutageMs: number;
}

function int(value: string | undefined, fallback: number): number {
  if (value === undefined || value.trim() === "") return fallback;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n <= 0) throw new Error(`expected a positive integer, got "${value}"`);
  return n;
}

const build = process.env.DRILLS_BUILD ?? "auto";
if (build !== "auto" && build !== "always" && build !== "never") throw new Error(`DRILLS_BUILD must be auto, always or never, not "${build}"`);

export const drillsEnv: DrillsEnv = {
  tmpRoot: process.env.DRILLS_TMP || tmpdir(),
  keep: process.env.DRILLS_KEEP === "1",
  build,
  pgBin: process.env.PG_BIN || null,
  orders: int(process.env.DRILL_ORDERS, 2_000),
  redisOutageMs: int(process.env.DRILL_OUTAGE_MS, 30_000),
};

/** Variables the drill sets for its processes itself: none may leak in from the caller's shell. */
const OWN = ["DATABASE_URL", "TEST_DATABASE_URL", "REDIS_URL", "QUEUE_PREFIX", "PORT", "PUBLIC_URL", "STORAGE_DIR", "MEILI_URL", "MEILI_MASTER_KEY", "MEILI_ADMIN_KEY", "MEILI_SEARCH_KEY", "MEILI_INDEX", "NODE_ENV"];

/** What the drill's child processes inherit (PATH, HOME, certificates...). */
export function inheritedEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of OWN) delete env[name];
  return env;
}
