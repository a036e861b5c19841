import { createHash, timingSafeEqual } from "node:crypto";
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import type { Db } from "@souk/db";
import { readOutboxBacklog } from "../outbox-backlog";

/** Labels of one HTTP request; `route` is a pattern ("/rfqs/:rfqId"), never a raw path. */
export interface HttpRequestLabels {
  method: string;
  route: string;
  /** "2xx", "4xx"...: the class, not the code, to keep the series few. */
  statusClass: string;
}

export interface JobOutcome {
  queue: string;
  /** The job's name in the catalogue ("order.settle"). */
  job: string;
  outcome: "completed" | "failed";
  /** Failed for good (no retry left, or a failure that can never succeed). */
  final?: boolean;
}

/**
 * The search index's drift as the last reconciliation measured it (the reconciliation's own
 * counts: search_index_runs), read by @souk/services.
 */
export interface IndexDriftReading {
  /** Searchable listings without a document. */
  missing: number;
  /** Documents whose content differed from PostgreSQL's. */
  stale: number;
  /** Documents of listings that are not searchable (or gone). */
  extra: number;
  /** When that reconciliation finished. */
  finishedAt: Date;
  /** A reindex measures the drift too, before it rewrites every document. */
  kind: "reconcile" | "reindex";
}

export interface CreateMetricsOptions {
  /** The `service` label of every series: "buyer", "worker"... */
  service: string;
  /** Exposes the HTTP request histogram (the apps). */
  http?: boolean;
  /** Exposes the job histogram and failure counter (the worker). */
  jobs?: boolean;
  /** Exposes the outbox backlog, read from this database at each scrape. */
  db?: Db;
  /** Exposes the search index drift, read at each scrape. */
  indexDrift?: () => Promise<IndexDriftReading | null>;
  /** Node's process metrics (CPU, memory, event loop lag, GC); default true. */
  defaultMetrics?: boolean;
}

export interface Metrics {
  readonly registry: Registry;
  /** The Content-Type of `render()`'s text. */
  readonly contentType: string;
  /** The Prometheus text exposition of every metric, gauges read now. */
  render(): Promise<string>;
  observeHttpRequest(labels: HttpRequestLabels, seconds: number): void;
  observeJob(outcome: JobOutcome, seconds: number | null): void;
}

/** Seconds; a page is meant to answer well under 100 ms (issue 8's goal is a p99 below that). */
const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Seconds; from an e-mail (tens of ms) to a reconciliation of the whole catalogue (minutes). */
const JOB_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];

/**
 * One process's metrics, on a registry of its own (never prom-client's global one, so that tests
 * and several workers in one process do not share series). The gauges are read when scraped, not
 * kept up to date: a scrape sees the database as it is, even while the worker is down, which is
 * exactly when the outbox backlog matters. A gauge whose read fails (PostgreSQL down) is left
 * empty for that scrape rather than failing the whole scrape or repeating an old value.
 */
export function createMetrics(options: CreateMetricsOptions): Metrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service: options.service });
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });
  const registers = [registry];

  const http = options.http
    ? new Histogram({
        name: "souk_http_request_duration_seconds",
        help: "HTTP requests by method, route pattern and status class, from the first byte in to the last byte out.",
        labelNames: ["method", "route", "status_class"] as const,
        buckets: HTTP_BUCKETS,
        registers,
      })
    : null;

  const jobDuration = options.jobs
    ? new Histogram({
        name: "souk_job_duration_seconds",
        help: "Job runs by queue, job name and outcome (completed or failed), from the moment a worker took the job.",
        labelNames: ["queue", "job", "outcome"] as const,
        buckets: JOB_BUCKETS,
        registers,
      })
    : null;
  const jobFailures = options.jobs
    ? new Counter({
        name: "souk_job_failures_total",
        help: "Failed job runs by queue and job name; final=true when no retry is left.",
        labelNames: ["queue", "job", "final"] as const,
        registers,
      })
    : null;

  if (options.db) {
    const db = options.db;
    const read = onePerScrape(() => readOutboxBacklog(db));
    new Gauge({
      name: "souk_outbox_backlog_rows",
      help: "Outbox rows not relayed to Redis yet, by queue and state: pending (due), scheduled (due later), parked (refused, waiting for a human).",
      labelNames: ["queue", "state"] as const,
      registers,
      async collect() {
        this.reset();
        const backlog = await read();
        if (!backlog) return;
        for (const [queue, b] of [...backlog.byQueue, ["unknown", backlog.unknown] as const]) {
          this.set({ queue, state: "pending" }, b.pending);
          this.set({ queue, state: "scheduled" }, b.scheduled);
          this.set({ queue, state: "parked" }, b.parked);
        }
      },
    });
    new Gauge({
      name: "souk_outbox_oldest_pending_age_seconds",
      help: "Age of the oldest pending outbox row by queue (0 when none is pending).",
      labelNames: ["queue"] as const,
      registers,
      async collect() {
        this.reset();
        const backlog = await read();
        if (!backlog) return;
        for (const [queue, b] of [...backlog.byQueue, ["unknown", backlog.unknown] as const]) this.set({ queue }, b.oldestPendingSeconds ?? 0);
      },
    });
  }

  if (options.indexDrift) {
    const read = onePerScrape(options.indexDrift);
    new Gauge({
      name: "souk_search_index_drift_documents",
      help: "Search index drift found by the latest successful reconciliation: missing, stale and extra documents.",
      labelNames: ["kind"] as const,
      registers,
      async collect() {
        this.reset();
        const drift = await read();
        if (!drift) return;
        this.set({ kind: "missing" }, drift.missing);
        this.set({ kind: "stale" }, drift.stale);
        this.set({ kind: "extra" }, drift.extra);
      },
    });
    new Gauge({
      name: "souk_search_index_last_reconcile_timestamp_seconds",
      help: "When the latest successful reconciliation (or reindex, by its kind) of the search index finished (Unix time).",
      // Labelled so that an unknown time is no sample at all, not 0 (a label-less gauge always has one).
      labelNames: ["kind"] as const,
      registers,
      async collect() {
        this.reset();
        const drift = await read();
        if (drift) this.set({ kind: drift.kind }, Math.floor(drift.finishedAt.getTime() / 1000));
      },
    });
  }

  return {
    registry,
    contentType: registry.contentType,
    render: () => registry.metrics(),
    observeHttpRequest: (labels, seconds) => {
      http?.observe({ method: labels.method, route: labels.route, status_class: labels.statusClass }, seconds);
    },
    observeJob: (outcome, seconds) => {
      if (seconds !== null && seconds >= 0) jobDuration?.observe({ queue: outcome.queue, job: outcome.job, outcome: outcome.outcome }, seconds);
      if (outcome.outcome === "failed") jobFailures?.inc({ queue: outcome.queue, job: outcome.job, final: String(outcome.final ?? false) });
    },
  };
}

/**
 * A pair of gauges fed by one read: a scrape collects every metric at once (prom-client starts each
 * collect in the same tick), so the second gauge gets the first one's read instead of its own. The
 * read is dropped once settled, so the next scrape reads again. A failed read is null.
 */
function onePerScrape<T>(read: () => Promise<T>): () => Promise<T | null> {
  let pending: Promise<T | null> | null = null;
  return () =>
    (pending ??= read()
      .catch(() => null)
      .finally(() => {
        pending = null;
      }));
}

/**
 * Who may read `/metrics`: with a token (METRICS_TOKEN), only a request sending
 * `Authorization: Bearer <token>`. Without one, everybody when `openWithoutToken` (development and
 * tests), nobody otherwise: in production a forgotten token closes the endpoint instead of
 * publishing it on a public port. Compared in constant time, on digests so that the token's length
 * does not leak either.
 */
export function metricsAuthorization(token: string | null | undefined, options: { openWithoutToken: boolean }): (authorization: string | undefined) => boolean {
  if (!token) return () => options.openWithoutToken;
  const expected = digest(token);
  return (authorization) => {
    const given = /^Bearer\s+(\S+)$/i.exec(authorization ?? "")?.[1];
    return given !== undefined && timingSafeEqual(digest(given), expected);
  };
}

function digest(text: string): Buffer {
  return createHash("sha256").update(text).digest();
}
