import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export type HealthCheck = () => Promise<unknown>;

export interface HealthServer {
  port: number;
  close(): Promise<void>;
}

/** Runs every check at once; one that throws or takes longer than `timeoutMs` is "down". */
export async function runHealthChecks(checks: Record<string, HealthCheck>, timeoutMs: number): Promise<{ ok: boolean; report: Record<string, "ok" | "down"> }> {
  const entries = await Promise.all(
    Object.entries(checks).map(async ([name, check]) => {
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          check(),
          new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error("timeout")), timeoutMs);
          }),
        ]);
        return [name, "ok"] as const;
      } catch {
        return [name, "down"] as const;
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  return { ok: entries.every(([, status]) => status === "ok"), report: Object.fromEntries(entries) };
}

/** The worker's metrics as `/metrics` serves them (createProcessMetrics of @souk/services). */
export interface MetricsSource {
  contentType: string;
  render(): Promise<string>;
  /** Whether a request with this Authorization header may read them (METRICS_TOKEN). */
  canRead(authorization: string | undefined): boolean;
}

/**
 * `GET /healthz`: 200 `{"postgres":"ok","redis":"ok"}` when every dependency answers, otherwise 503
 * with the same shape naming the one that is "down". `GET /metrics`: the Prometheus text of
 * `metrics` (401 without the bearer token when one is set). Plain node:http: the worker has no
 * other HTTP surface worth a framework.
 */
export async function startHealthServer(options: {
  port: number;
  host: string;
  checks: Record<string, HealthCheck>;
  timeoutMs?: number;
  metrics?: MetricsSource;
}): Promise<HealthServer> {
  const timeoutMs = options.timeoutMs ?? 2_000;
  const server: Server = createServer((request, response) => {
    const path = new URL(request.url ?? "/", "http://localhost").pathname;
    const { metrics } = options;
    if (path === "/metrics" && metrics && (request.method === "GET" || request.method === "HEAD")) {
      if (!metrics.canRead(request.headers.authorization)) {
        response.writeHead(401, { "content-type": "text/plain; charset=utf-8", "www-authenticate": 'Bearer realm="metrics"' }).end("Unauthorized\n");
        return;
      }
      metrics.render().then(
        (text) => response.writeHead(200, { "content-type": metrics.contentType, "cache-control": "no-store" }).end(text),
        () => response.writeHead(500).end(),
      );
      return;
    }
    if (path !== "/healthz" || (request.method !== "GET" && request.method !== "HEAD")) {
      response.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ error: "not found" }));
      return;
    }
    runHealthChecks(options.checks, timeoutMs).then(
      ({ ok, report }) => {
        response.writeHead(ok ? 200 : 503, { "content-type": "application/json", "cache-control": "no-store" }).end(JSON.stringify(report));
      },
      () => {
        response.writeHead(500).end();
      },
    );
  });
  // The probe's connections must not keep the process alive on shutdown.
  server.keepAliveTimeout = 1_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
