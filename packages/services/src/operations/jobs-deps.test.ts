import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { connect, createServer } from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import { waitForRedis } from "@souk/jobs";
import { createJobsDeps, readRedis } from "./jobs-deps";

// A Redis of this file's own: it is stopped while a command is in flight (the shared one must stay up).
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (!address || typeof address === "string") throw new Error("no port");
  return address.port;
}

const port = await freePort();
const url = `redis://127.0.0.1:${port}`;
let redis: ChildProcess | undefined;

async function startRedis() {
  redis = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: "ignore" });
  // Redis listens once it is ready to serve.
  const deadline = Date.now() + 10_000;
  for (;;) {
    const up = await new Promise<boolean>((resolve) => {
      const socket = connect(port, "127.0.0.1", () => {
        socket.destroy();
        resolve(true);
      });
      socket.on("error", () => resolve(false));
    });
    if (up) return;
    if (Date.now() > deadline) throw new Error("redis-server did not start");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function stopRedis() {
  if (!redis || redis.exitCode !== null) return;
  const exited = once(redis, "exit");
  redis.kill("SIGTERM");
  await exited;
}

afterAll(stopRedis);

describe("readRedis when Redis goes away", () => {
  it("reads a command cut short by Redis stopping as 'unreachable' (null), not as a failure of the page", async () => {
    await startRedis();
    const jobs = createJobsDeps({ redisUrl: url, queuePrefix: "jobs-deps-test" });
    try {
      await waitForRedis(jobs.queues.connection, 5_000);
      // A command in flight when Redis stops: ioredis gives up on it with MaxRetriesPerRequestError
      // once its reconnect attempts fail (the operator's Jobs page answered 500 in the redis-stop drill).
      const started = Date.now();
      const read = readRedis(jobs.queues, () => jobs.queues.connection.blpop("jobs-deps-test:never", 5));
      await new Promise((resolve) => setTimeout(resolve, 100));
      await stopRedis();
      await expect(read).resolves.toBeNull();
      // Within the page's bound, not after a hang.
      expect(Date.now() - started).toBeLessThan(3_000);
    } finally {
      await jobs.close();
    }
  });
});
