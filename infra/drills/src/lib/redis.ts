import { mkdirSync } from "node:fs";
import path from "node:path";
import { Redis } from "ioredis";
import { inheritedEnv } from "../env";
import { waitFor, type Drill } from "./drill";
import { freePort, startChild, type Child } from "./process";

/**
 * A redis-server of the drill's own on a free port (as apps/worker's outage tests do), so that it
 * can be stopped without disturbing the shared one on 6379. `persistent` keeps an append-only file
 * in the drill's directory, like a production Redis: stopped with SIGTERM and started again, it
 * comes back with its jobs. Without it, Redis comes back empty.
 */
export interface RedisServer {
  url: string;
  port: number;
  start(): Promise<void>;
  /** SIGTERM (Redis flushes its AOF and exits), resolved once the process is gone. */
  stop(): Promise<void>;
  running(): boolean;
}

export async function startRedis(drill: Drill, options: { persistent?: boolean } = {}): Promise<RedisServer> {
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  const dir = path.join(drill.dir, "redis");
  mkdirSync(dir, { recursive: true });
  const persistence = options.persistent ? ["--appendonly", "yes", "--appendfsync", "everysec"] : ["--appendonly", "no"];
  let child: Child | undefined;
  let starts = 0;

  const server: RedisServer = {
    url,
    port,
    running: () => child?.running() ?? false,
    async start() {
      starts += 1;
      child = startChild(drill, `redis-${starts}`, "redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--dir", dir, "--save", "", ...persistence, "--maxmemory-policy", "noeviction"], {
        cwd: dir,
        env: inheritedEnv(),
      });
      const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      probe.on("error", () => undefined);
      try {
        await waitFor(`redis-server on ${port}`, () => probe.connect().then(() => probe.ping()), 10_000, 50);
      } finally {
        probe.disconnect();
      }
    },
    async stop() {
      if (!child?.running()) return;
      const exit = await child.stop("SIGTERM", 10_000);
      if (exit.code !== 0) drill.log(`redis-server exited with ${exit.code ?? exit.signal}`);
    },
  };
  await server.start();
  return server;
}
