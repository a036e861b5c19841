import type { Db } from "@souk/db";
import { createLogger, createMetrics, metricsAuthorization, requestIdFrom, runWithRequestId, type Logger, type Metrics } from "@souk/jobs";
import { readIndexDrift } from "../operations/index-drift";

/**
 * Logs, request ids and metrics for the deployables (decision 0018). They live in @souk/jobs, next
 * to the outbox that stores the request id; the apps may not import @souk/jobs, so they get them
 * from here, with the database-read gauges wired to the services' definitions.
 */
export {
  createLogger,
  currentRequestId,
  jobRequestId,
  metricsAuthorization,
  requestIdFrom,
  runWithRequestId,
  REQUEST_ID_HEADER,
  type CreateMetricsOptions,
  type LogFields,
  type Logger,
  type LogLevel,
  type Metrics,
} from "@souk/jobs";

/**
 * A process's metrics with the gauges read from the database at each scrape: the outbox backlog
 * (readOutboxBacklog) and the search index drift (readIndexDrift). Every process exposes them, so
 * they stay visible while any one of them (the worker, say) is down; aggregate with max().
 */
export function createProcessMetrics(options: { service: string; db: Db; http?: boolean; jobs?: boolean }): Metrics {
  return createMetrics({ ...options, indexDrift: () => readIndexDrift(options.db) });
}

export interface AppObservabilityParts {
  logger: Logger;
  metrics: Metrics;
  requestIdFrom: typeof requestIdFrom;
  runWithRequestId: typeof runWithRequestId;
  /** Whether a request with this Authorization header may read /metrics (metricsAuthorization). */
  canReadMetrics: (authorization: string | undefined) => boolean;
}

/**
 * What a Remix app's HTTP server takes (AppObservability of @souk/ui/server), for the app named
 * `app`; `metricsToken` is its METRICS_TOKEN (null: /metrics is open outside production, closed in it).
 */
export function createAppObservability(options: { app: string; db: Db; metricsToken: string | null; production: boolean }): AppObservabilityParts {
  return {
    logger: createLogger({ service: options.app }),
    metrics: createProcessMetrics({ service: options.app, db: options.db, http: true }),
    requestIdFrom,
    runWithRequestId,
    canReadMetrics: metricsAuthorization(options.metricsToken, { openWithoutToken: !options.production }),
  };
}
