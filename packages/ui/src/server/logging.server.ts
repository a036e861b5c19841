import type { IncomingMessage, ServerResponse } from "node:http";

/**
 * Request ids and the access log of an app's HTTP server (decision 0018). The logger, the request
 * context and the metrics come from @souk/services (createAppObservability), passed in by the app:
 * @souk/ui never imports the services, so this file only says what it needs of them.
 */
export interface AppObservability {
  logger: {
    info(message: string, fields?: Record<string, unknown>): void;
    error(message: string, fields?: Record<string, unknown>): void;
  };
  /** The incoming X-Request-Id when well formed, otherwise a new id. */
  requestIdFrom(header: string | readonly string[] | undefined): string;
  /** Runs the rest of the request with this id as the current one (the outbox stores it). */
  runWithRequestId<T>(requestId: string, fn: () => T): T;
  metrics: HttpMetrics;
  /** Whether a request with this Authorization header may read /metrics (METRICS_TOKEN). */
  canReadMetrics(authorization: string | undefined): boolean;
}

export interface HttpMetrics {
  observeHttpRequest(labels: { method: string; route: string; statusClass: string }, seconds: number): void;
  readonly contentType: string;
  render(): Promise<string>;
}

/** Same header as REQUEST_ID_HEADER of @souk/jobs (which this package may not import). */
export const REQUEST_ID_HEADER = "x-request-id";

/** Gives a route label (a pattern, never a raw path) for a request path. */
export type RouteLabeler = (pathname: string) => string | Promise<string>;

const explicitLabels = new WeakMap<ServerResponse, string>();

/**
 * Names the route of a response that Remix does not answer ("(static)" files, "/metrics"), or
 * with null, takes the name back because Remix will answer after all.
 */
export function labelRoute(res: ServerResponse, route: string | null): void {
  if (route === null) explicitLabels.delete(res);
  else explicitLabels.set(res, route);
}

const METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

export function statusClass(status: number): string {
  return status >= 100 && status < 600 ? `${Math.floor(status / 100)}xx` : "other";
}

function pathnameOf(req: IncomingMessage): string {
  // Express keeps the path as it arrived in originalUrl; the query string never goes further.
  const url = (req as IncomingMessage & { originalUrl?: string }).originalUrl ?? req.url ?? "/";
  const end = url.search(/[?#]/);
  return end < 0 ? url : url.slice(0, end);
}

/**
 * First middleware of every app: gives the request its id (kept from a well-formed X-Request-Id
 * sent by a trusted proxy, so the proxy's id follows through; otherwise new: a visitor cannot
 * reuse another request's id to muddle its trace), echoes it in the response, runs everything
 * after it with that id as the current one, and when the response is done writes one access log
 * line and observes the request's duration. The line names the route by its pattern
 * ("/invitations/:token"), not the path: paths carry ids and one-time tokens, and the pattern
 * keeps the metrics' series few.
 */
export function trackRequests(observability: AppObservability, routeOf: RouteLabeler, trustsPeer: (req: IncomingMessage) => boolean) {
  const { logger, metrics } = observability;
  return (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void): void => {
    const started = process.hrtime.bigint();
    const requestId = observability.requestIdFrom(trustsPeer(req) ? req.headers[REQUEST_ID_HEADER] : undefined);
    // Loaders reading the header see the id actually used, not a malformed one that was replaced.
    req.headers[REQUEST_ID_HEADER] = requestId;
    res.setHeader("X-Request-Id", requestId);

    let logged = false;
    const done = () => {
      if (logged) return;
      logged = true;
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const method = METHODS.has(req.method ?? "") ? (req.method as string) : "OTHER";
      const status = res.statusCode;
      // The client went away before the response was complete.
      const aborted = !res.writableFinished;
      const explicit = explicitLabels.get(res);
      void Promise.resolve()
        .then(() => explicit ?? routeOf(pathnameOf(req)))
        .catch(() => "(unknown)")
        .then((route) => {
          metrics.observeHttpRequest({ method, route, statusClass: statusClass(status) }, seconds);
          logger.info("request", { requestId, method, route, status, durationMs: Math.round(seconds * 10_000) / 10, ...(aborted ? { aborted } : {}) });
        });
    };
    res.once("finish", done);
    res.once("close", done);
    observability.runWithRequestId(requestId, () => next());
  };
}
