import { createServer, type Socket } from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import { SEARCH_TIMEOUT_MS, SearchUnavailableError } from "../port";
import { createMeilisearchListingIndex } from "./meilisearch-listing-index";

// No Meilisearch server runs here, and none is faked: these are the network conditions of a server
// that is hung (the connection is accepted, nothing answers) or stopped (nothing listens).
const sockets = new Set<Socket>();
const hung = createServer((socket) => {
  sockets.add(socket);
  socket.on("error", () => undefined);
});
await new Promise<void>((resolve) => hung.listen(0, "127.0.0.1", resolve));
const hungPort = (hung.address() as { port: number }).port;
afterAll(
  () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      hung.close(() => resolve());
    }),
);

const query = { text: "carton", visibility: { buyerGroupIds: [] } };
const indexAt = (url: string) => createMeilisearchListingIndex({ url, adminKey: "admin-key", searchKey: "search-key" });

describe("meilisearch adapter: a server that cannot answer", () => {
  it("gives a search up as unavailable after SEARCH_TIMEOUT_MS when the server accepts the connection and never answers", async () => {
    const started = Date.now();
    await expect(indexAt(`http://127.0.0.1:${hungPort}`).search(query)).rejects.toBeInstanceOf(SearchUnavailableError);
    const waited = Date.now() - started;
    expect(waited).toBeGreaterThanOrEqual(SEARCH_TIMEOUT_MS - 100);
    expect(waited).toBeLessThan(SEARCH_TIMEOUT_MS + 2_000);
  }, SEARCH_TIMEOUT_MS + 10_000);

  it("gives a search up as unavailable at once when nothing listens", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as { port: number }).port;
    await new Promise((resolve) => closed.close(resolve));
    const started = Date.now();
    await expect(indexAt(`http://127.0.0.1:${port}`).search(query)).rejects.toBeInstanceOf(SearchUnavailableError);
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
