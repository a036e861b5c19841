import path from "node:path";
import { fileURLToPath } from "node:url";
import { inheritedEnv } from "../env";
import { waitFor, type Drill } from "./drill";
import { freePort, startChild, type Child } from "./process";

export const REPO_ROOT = fileURLToPath(new URL("../../../../", import.meta.url));
const WORKER_DIR = path.join(REPO_ROOT, "apps", "worker");

export interface WorkerProcess {
  child: Child;
  healthPort: number;
  health(): Promise<{ status: number; body: Record<string, string> }>;
}

/**
 * The real worker process (apps/worker/src/main.ts under `node --import tsx`), as
 * settlement-crash.test.ts spawns it: its own queue prefix, health port and log file. `env`
 * overrides the defaults below (timers off so that nothing but the drill's work runs).
 */
export async function startWorker(drill: Drill, name: string, options: { databaseUrl: string; redisUrl: string; queuePrefix: string; env?: Record<string, string> }): Promise<WorkerProcess> {
  const healthPort = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...inheritedEnv(),
    NODE_ENV: "production",
    DATABASE_URL: options.databaseUrl,
    REDIS_URL: options.redisUrl,
    QUEUE_PREFIX: options.queuePrefix,
    HEALTH_PORT: String(healthPort),
    HEALTH_HOST: "127.0.0.1",
    MAIL_TRANSPORT: "log",
    RECONCILE_INTERVAL_MS: "0",
    RFQ_SWEEP_INTERVAL_MS: "0",
    PAYOUT_CYCLE_DAYS: "0",
    ORDER_SWEEP_INTERVAL_MS: "0",
    ...options.env,
  };
  const child = startChild(drill, name, process.execPath, ["--import", "tsx", "src/main.ts"], { cwd: WORKER_DIR, env });
  const health = async () => {
    const response = await fetch(`http://127.0.0.1:${healthPort}/healthz`, { signal: AbortSignal.timeout(5_000) });
    return { status: response.status, body: (await response.json()) as Record<string, string> };
  };
  const outcome = await waitFor(`${name} to answer /healthz`, async () => (!child.running() ? "exited" : (await health()).status === 200 ? "healthy" : undefined), 60_000).catch(
    () => "not healthy after 60 s",
  );
  if (outcome !== "healthy") throw new Error(`${name}: ${outcome}\n${child.tail()}`);
  return { child, healthPort, health };
}
