import { spawn } from "node:child_process";
import { createServer } from "node:net";

export interface AppProcess {
  /** The app's public URL (its own origin). */
  url: string;
  /** What the process printed, to explain a failure. */
  output(): string;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Starts an app's real server.ts as `pnpm dev` does (Express, Vite in middleware mode, Remix) in a
 * child process on a free port, and waits until its sign-in page answers (the first request
 * compiles the app). `env` is the environment to start from (the test's), e.g. with DATABASE_URL.
 */
export async function startAppProcess(root: string, env: NodeJS.ProcessEnv, timeoutMs = 60_000): Promise<AppProcess> {
  const port = await freePort();
  const url = `http://localhost:${port}`;
  const child = spawn(process.execPath, ["--import", "tsx", "server.ts"], {
    cwd: root,
    env: { ...env, NODE_ENV: "development", PORT: String(port), PUBLIC_URL: url },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    await exited;
  };

  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${root}/server.ts exited with ${child.exitCode}:\n${output}`);
    const status = await fetch(`${url}/sign-in`).then((r) => r.status, () => null);
    if (status !== null && status < 500) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`${root}/server.ts did not answer within ${timeoutMs} ms (last status ${status}):\n${output}`);
    }
    await sleep(200);
  }
  return { url, output: () => output, stop };
}
