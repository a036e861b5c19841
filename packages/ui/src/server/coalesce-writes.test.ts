import express from "express";
import { request as httpRequest, type Server } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { coalesceWrites } from "./coalesce-writes.server";

/**
 * A response written in many small chunks, each a tick after the one before (as a streamed page
 * reaches the response through React's stream, a Node-to-web stream pump and Remix's copy loop),
 * then a second burst on a later turn: what reaches the socket, and how many writes it takes.
 * Node corks a response only until the next tick, so without help each of these is a write.
 */
async function serve(withCoalescing: boolean): Promise<{ body: string; socketWrites: number; server: Server }> {
  const app = express();
  if (withCoalescing) app.use(coalesceWrites());
  let socketWrites = 0;
  app.get("/", (_req, res) => {
    const socket = res.socket as Socket & { _writev: (...a: unknown[]) => void; _write: (...a: unknown[]) => void };
    for (const name of ["_write", "_writev"] as const) {
      const original = socket[name].bind(socket);
      socket[name] = (...args: unknown[]) => {
        socketWrites += 1;
        original(...args);
      };
    }
    void (async () => {
      for (let i = 0; i < 100; i += 1) {
        res.write(`chunk ${i};`);
        await new Promise((resolve) => process.nextTick(resolve));
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
      for (let i = 100; i < 110; i += 1) res.write(`chunk ${i};`);
      res.end("end");
    })();
  });
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, "127.0.0.1", () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  const body = await new Promise<string>((resolve, reject) => {
    httpRequest({ host: "127.0.0.1", port, path: "/" }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (text += chunk));
      res.on("end", () => resolve(text));
    })
      .on("error", reject)
      .end();
  });
  return { body, socketWrites, server };
}

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await new Promise((resolve) => server.close(resolve));
});

describe("coalesceWrites", () => {
  const expected = `${Array.from({ length: 110 }, (_, i) => `chunk ${i};`).join("")}end`;

  it("sends every chunk, in order, in one socket write per turn of the event loop", async () => {
    const { body, socketWrites, server } = await serve(true);
    servers.push(server);
    expect(body).toBe(expected);
    // The first burst in one write, the second (a later turn) and the end in one or two more.
    expect(socketWrites).toBeLessThanOrEqual(3);
  });

  it("without it, the same response takes a socket write per chunk", async () => {
    const { body, socketWrites, server } = await serve(false);
    servers.push(server);
    expect(body).toBe(expected);
    expect(socketWrites).toBeGreaterThan(50);
  });
});
