import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, openSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import { inheritedEnv } from "../env";
import type { Drill } from "./drill";

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface Child {
  readonly name: string;
  readonly pid: number;
  readonly logFile: string;
  /** Resolves when the process has exited, however it ended. */
  readonly exited: Promise<Exit>;
  running(): boolean;
  /** The last lines of its output (stdout and stderr go to `logFile`). */
  tail(lines?: number): string;
  /** `signal`, then SIGKILL if it is still there after `graceMs`. */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<Exit>;
}

/**
 * Starts a process whose output goes to a file in the drill's directory (not through this process,
 * so a chatty child never blocks on a full pipe). It is stopped at the end of the drill if still running.
 */
export function startChild(drill: Drill, name: string, command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Child {
  const logFile = path.join(drill.dir, `${name}.log`);
  const fd = openSync(logFile, "a");
  const child: ChildProcess = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ["ignore", fd, fd] });
  closeSync(fd);
  let exit: Exit | undefined;
  const exited = new Promise<Exit>((resolve) => {
    child.once("exit", (code, signal) => {
      exit = { code, signal };
      resolve(exit);
    });
    child.once("error", () => {
      exit = { code: null, signal: null };
      resolve(exit);
    });
  });
  const handle: Child = {
    name,
    pid: child.pid ?? -1,
    logFile,
    exited,
    running: () => exit === undefined,
    tail(lines = 30) {
      try {
        return readFileSync(logFile, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
      } catch {
        return "";
      }
    },
    async stop(signal = "SIGTERM", graceMs = 10_000) {
      if (exit) return exit;
      child.kill(signal);
      const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
      const result = await exited;
      clearTimeout(timer);
      return result;
    },
  };
  track(drill, handle);
  return handle;
}

const started = new WeakMap<Drill, Set<Child>>();

/** The drill's processes are stopped together at its end (SIGTERM, SIGKILL after 5 s), not one after the other. */
function track(drill: Drill, child: Child): void {
  let children = started.get(drill);
  if (!children) {
    const all = new Set<Child>();
    started.set(drill, all);
    drill.defer("stop the drill's processes", () => Promise.all([...all].map((c) => c.stop("SIGTERM", 5_000))));
    children = all;
  }
  children.add(child);
}

/** Runs a command to completion; throws with its output when it fails. */
export async function run(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? inheritedEnv(), stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const timer = options.timeoutMs ? setTimeout(() => child.kill("SIGKILL"), options.timeoutMs) : undefined;
    child.once("error", reject);
    child.once("close", (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(output);
      else reject(new Error(`${command} ${args.join(" ")} exited with ${code ?? signal}:\n${output.trimEnd().split("\n").slice(-30).join("\n")}`));
    });
  });
}

/** A TCP port nobody listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (!address || typeof address === "string") throw new Error("no free port");
  return address.port;
}

/** The first port of `ports` that is free (the apps' ports are kept apart from e2e's and the HTTP bench's). */
export async function firstFreePort(ports: readonly number[]): Promise<number> {
  for (const port of ports) {
    const free = await new Promise<boolean>((resolve) => {
      const server = createServer();
      server.once("error", () => resolve(false));
      server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error(`none of the ports ${ports[0]}–${ports[ports.length - 1]} is free (a drill still running, or its leftovers?)`);
}
