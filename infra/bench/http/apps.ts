import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { createWriteStream, existsSync, type WriteStream } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The processes the HTTP benchmark drives: the production builds of the three Remix apps (started
 * like their `start` script: `node --import tsx server.ts` with NODE_ENV=production), the worker
 * (its `start` script: `tsx src/main.ts`, NODE_ENV=production) and the bare `node:http` baseline.
 * Each one's output goes to a log file of the run; the last lines are shown when one fails.
 */

export const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));
export const APPS = ["buyer", "seller", "operator"] as const;
export type AppName = (typeof APPS)[number];

export interface Spawned {
  name: string;
  child: ChildProcess;
  logFile: string;
  /** The last lines it printed. */
  tail(): string;
  stop(): Promise<void>;
}

/** Builds an app (`pnpm --filter @souk/<app> build`) when its build/ is missing, or always. Returns whether it built. */
export function buildIfMissing(app: AppName, always: boolean, log: (line: string) => void): boolean {
  const missing = !existsSync(path.join(REPO_ROOT, "apps", app, "build", "server", "index.js"));
  if (!missing && !always) return false;
  log(`  building @souk/${app}${missing ? " (no build/ yet)" : ""}…`);
  const result = spawnSync("pnpm", ["--filter", `@souk/${app}`, "build"], { cwd: REPO_ROOT, stdio: ["ignore", "pipe", "pipe"], encoding: "utf8" });
  if (result.status !== 0) throw new Error(`building @souk/${app} failed:\n${(result.stdout + result.stderr).split("\n").slice(-30).join("\n")}`);
  return true;
}

/** Refuses to start when a port is taken (another run, the e2e apps, a dev server). */
export async function assertPortFree(port: number): Promise<void> {
  const server = createServer();
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "0.0.0.0", resolve);
    });
  } catch (error) {
    throw new Error(`port ${port} is in use (${(error as Error).message}): stop what holds it or choose other BENCH_HTTP_*_PORT values`);
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

export function spawnProcess(options: { name: string; args: string[]; cwd: string; env: Record<string, string>; logDir: string }): Spawned {
  const logFile = path.join(options.logDir, `${options.name}.log`);
  const out: WriteStream = createWriteStream(logFile);
  const child = spawn(process.execPath, options.args, { cwd: options.cwd, env: options.env, stdio: ["ignore", "pipe", "pipe"] });
  const lines: string[] = [];
  let partial = "";
  const onData = (chunk: Buffer) => {
    out.write(chunk);
    partial += chunk.toString();
    const parts = partial.split("\n");
    partial = parts.pop() ?? "";
    lines.push(...parts);
    if (lines.length > 40) lines.splice(0, lines.length - 40);
  };
  child.stdout?.on("data", onData);
  child.stderr?.on("data", onData);
  const exited = once(child, "exit");
  return {
    name: options.name,
    child,
    logFile,
    tail: () => [...lines, partial].filter(Boolean).join("\n"),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
        await exited;
        clearTimeout(timer);
      }
      out.end();
    },
  };
}

/** Polls `url` until it answers 200, or fails when the process exits or `timeoutMs` passes. */
export async function waitForHttp(process: Spawned, url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (process.child.exitCode !== null || process.child.signalCode !== null) {
      throw new Error(`${process.name} exited (${process.child.exitCode ?? process.child.signalCode}) before answering ${url}; its last lines (${process.logFile}):\n${process.tail()}`);
    }
    try {
      const response = await fetch(url, { redirect: "manual", signal: AbortSignal.timeout(2_000) });
      await response.arrayBuffer();
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${process.name} did not answer ${url} within ${timeoutMs / 1000} s; its last lines (${process.logFile}):\n${process.tail()}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/**
 * Signs in through the app's sign-in form as a browser would (a form POST with the app's Origin,
 * which the CSRF check requires) and returns the session cookie (`souk_<app>_session=…`).
 */
export async function signIn(baseUrl: string, app: AppName, email: string, password: string): Promise<string> {
  const response = await fetch(`${baseUrl}/sign-in`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: baseUrl },
    body: new URLSearchParams({ email, password }).toString(),
  });
  await response.arrayBuffer();
  const name = `souk_${app}_session`;
  const cookie = response.headers
    .getSetCookie()
    .map((c) => c.split(";")[0]!.trim())
    .find((c) => c.startsWith(`${name}=`) && c.length > name.length + 1);
  if (response.status !== 302 || !cookie) throw new Error(`signing in ${email} to the ${app} app failed: HTTP ${response.status}, no session cookie`);
  return cookie;
}

/** The child environment: the bench's own, minus Meilisearch (the bench runs the PostgreSQL search backend). */
export function childEnv(processEnv: Readonly<Record<string, string | undefined>>, extra: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(processEnv)) if (value !== undefined && !key.startsWith("MEILI_")) env[key] = value;
  return { ...env, ...extra };
}
