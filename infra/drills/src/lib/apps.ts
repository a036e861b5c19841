import { existsSync, mkdirSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { drillsEnv, inheritedEnv } from "../env";
import { waitFor, type Drill } from "./drill";
import { firstFreePort, run, startChild, type Child } from "./process";
import { REPO_ROOT } from "./worker";

export type AppName = "buyer" | "seller" | "operator";

/** Ports of the drills' apps: apart from e2e's (3201–3209) and the HTTP bench's (3401–3409). */
export const DRILL_PORTS = [3501, 3502, 3503, 3504, 3505, 3506, 3507, 3508, 3509] as const;

export interface AppProcess {
  app: AppName;
  child: Child;
  port: number;
  /** Its public URL (the Origin its forms must come from). */
  url: string;
}

const appDir = (app: AppName) => path.join(REPO_ROOT, "apps", app);

/** Newest modification time under `dir` (node_modules and builds aside). */
function newestMtime(dir: string): number {
  if (!existsSync(dir)) return 0;
  const stat = statSync(dir);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "node_modules" || entry.name === "build" || entry.name.startsWith(".")) continue;
    newest = Math.max(newest, newestMtime(path.join(dir, entry.name)));
  }
  return newest;
}

/**
 * Builds (`pnpm --filter @souk/<app> build`, one at a time: two cores) the apps whose production
 * build is missing or older than what it bundles: the app's own sources and @souk/ui's (components
 * and messages are compiled in; services, auth and domain load at run time). DRILLS_BUILD=always
 * rebuilds, DRILLS_BUILD=never takes the builds as they are.
 */
export async function ensureBuilt(drill: Drill, apps: readonly AppName[]): Promise<void> {
  const mode = drillsEnv.build;
  for (const app of apps) {
    const output = path.join(appDir(app), "build", "server", "index.js");
    const built = existsSync(output) ? statSync(output).mtimeMs : 0;
    const sources = Math.max(newestMtime(path.join(appDir(app), "app")), newestMtime(path.join(appDir(app), "vite.config.ts")), newestMtime(path.join(REPO_ROOT, "packages", "ui", "src")));
    const why = built === 0 ? "no production build yet" : mode === "always" ? "DRILLS_BUILD=always" : sources > built && mode !== "never" ? "sources changed since the last build" : null;
    if (!why || (mode === "never" && built > 0)) continue;
    const started = Date.now();
    drill.log(`building @souk/${app} (${why})`);
    await run("pnpm", ["--filter", `@souk/${app}`, "build"], { cwd: REPO_ROOT, timeoutMs: 300_000 });
    drill.log(`built @souk/${app} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
}

/**
 * One app's production server, started as its `start` script does (`NODE_ENV=production node
 * --import tsx server.ts`), on the first free drill port; resolves once its sign-in page answers.
 */
export async function startApp(
  drill: Drill,
  app: AppName,
  options: { databaseUrl: string; env?: Record<string, string>; publicUrls?: Partial<Record<AppName, string>>; name?: string },
): Promise<AppProcess> {
  const port = await firstFreePort(DRILL_PORTS);
  const url = `http://localhost:${port}`;
  const storage = path.join(drill.dir, "storage");
  mkdirSync(storage, { recursive: true });
  const env: NodeJS.ProcessEnv = {
    ...inheritedEnv(),
    NODE_ENV: "production",
    PORT: String(port),
    PUBLIC_URL: url,
    DATABASE_URL: options.databaseUrl,
    STORAGE_DIR: storage,
    ...(options.publicUrls?.buyer ? { BUYER_URL: options.publicUrls.buyer } : {}),
    ...(options.publicUrls?.seller ? { SELLER_URL: options.publicUrls.seller } : {}),
    ...(options.publicUrls?.operator ? { OPERATOR_URL: options.publicUrls.operator } : {}),
    ...options.env,
  };
  const name = options.name ?? app;
  const child = startChild(drill, name, process.execPath, ["--import", "tsx", "server.ts"], { cwd: appDir(app), env });
  const outcome = await waitFor(
    `${name} to answer on ${port}`,
    async () => {
      if (!child.running()) return "exited";
      const response = await fetch(`http://127.0.0.1:${port}/sign-in`, { signal: AbortSignal.timeout(5_000) });
      await response.arrayBuffer();
      return response.status === 200 ? "up" : undefined;
    },
    60_000,
    200,
  ).catch(() => "not answering after 60 s");
  if (outcome !== "up") throw new Error(`${name}: ${outcome}\n${child.tail()}`);
  return { app, child, port, url };
}
