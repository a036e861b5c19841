import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { createTestDatabase } from "@souk/testing";
import { createMetrics, metricsAuthorization, type IndexDriftReading } from "./metrics";

const { db } = await createTestDatabase();

/** The samples of one metric in Prometheus' text format: labels and value per line. */
function samples(text: string, name: string): { labels: Record<string, string>; value: number }[] {
  return text
    .split("\n")
    .map((line) => /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null && m[1] === name)
    .map((m) => ({ labels: Object.fromEntries([...(m[2] ?? "").matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((l) => [l[1]!, l[2]!])), value: Number(m[3]) }));
}
const valueOf = (text: string, name: string, labels: Record<string, string>) => samples(text, name).find((s) => Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;

describe("createMetrics", () => {
  it("exposes Node's process metrics with the service label, in Prometheus' text format", async () => {
    const metrics = createMetrics({ service: "buyer" });
    expect(metrics.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await metrics.render();
    expect(text).toContain("# TYPE process_cpu_seconds_total counter");
    expect(valueOf(text, "process_resident_memory_bytes", { service: "buyer" })).toBeGreaterThan(0);
    expect(samples(text, "nodejs_eventloop_lag_seconds").length).toBeGreaterThan(0);
    // Only what was asked for.
    expect(text).not.toContain("souk_http_request_duration_seconds");
    expect(text).not.toContain("souk_job_duration_seconds");
    expect(text).not.toContain("souk_outbox_backlog_rows");
  });

  it("counts HTTP requests per method, route pattern and status class in a histogram", async () => {
    const metrics = createMetrics({ service: "seller", http: true, defaultMetrics: false });
    metrics.observeHttpRequest({ method: "GET", route: "/rfqs/:rfqId", statusClass: "2xx" }, 0.02);
    metrics.observeHttpRequest({ method: "GET", route: "/rfqs/:rfqId", statusClass: "2xx" }, 0.2);
    metrics.observeHttpRequest({ method: "POST", route: "/rfqs/:rfqId", statusClass: "4xx" }, 0.004);
    const text = await metrics.render();
    const labels = { method: "GET", route: "/rfqs/:rfqId", status_class: "2xx", service: "seller" };
    expect(valueOf(text, "souk_http_request_duration_seconds_count", labels)).toBe(2);
    expect(valueOf(text, "souk_http_request_duration_seconds_sum", labels)).toBeCloseTo(0.22);
    expect(valueOf(text, "souk_http_request_duration_seconds_bucket", { ...labels, le: "0.025" })).toBe(1);
    expect(valueOf(text, "souk_http_request_duration_seconds_bucket", { ...labels, le: "0.25" })).toBe(2);
    expect(valueOf(text, "souk_http_request_duration_seconds_count", { method: "POST", status_class: "4xx" })).toBe(1);
  });

  it("times jobs per queue, job and outcome, and counts failures, final or not", async () => {
    const metrics = createMetrics({ service: "worker", jobs: true, defaultMetrics: false });
    metrics.observeJob({ queue: "settlement", job: "order.settle", outcome: "completed" }, 0.3);
    metrics.observeJob({ queue: "settlement", job: "order.settle", outcome: "failed", final: false }, 1.5);
    metrics.observeJob({ queue: "settlement", job: "order.settle", outcome: "failed", final: true }, null);
    const text = await metrics.render();
    expect(valueOf(text, "souk_job_duration_seconds_count", { queue: "settlement", job: "order.settle", outcome: "completed" })).toBe(1);
    expect(valueOf(text, "souk_job_duration_seconds_count", { queue: "settlement", job: "order.settle", outcome: "failed" })).toBe(1);
    expect(valueOf(text, "souk_job_failures_total", { queue: "settlement", job: "order.settle", final: "false" })).toBe(1);
    expect(valueOf(text, "souk_job_failures_total", { queue: "settlement", job: "order.settle", final: "true" })).toBe(1);
  });

  it("reads the outbox backlog from the database at each scrape: rows per queue and state, oldest pending age", async () => {
    const metrics = createMetrics({ service: "operator", db, defaultMetrics: false });
    const empty = await metrics.render();
    expect(samples(empty, "souk_outbox_backlog_rows").filter((s) => s.labels.queue !== "unknown").every((s) => s.value === 0)).toBe(true);

    const payload = JSON.stringify({ orderId: "4c0c2b7e-1f9a-4a8e-9a53-0d5c6b8f6a11" });
    await db
      .insertInto("outbox")
      .values([
        // Pending for 90 s and 10 s.
        { topic: "order.settle", payload, created_at: sql<Date>`now() - interval '90 seconds'`, available_at: sql<Date>`now() - interval '90 seconds'` },
        { topic: "order.settle", payload, created_at: sql<Date>`now() - interval '10 seconds'`, available_at: sql<Date>`now() - interval '10 seconds'` },
        // Due in an hour; parked; already sent (not backlog).
        { topic: "order.settle", payload, available_at: sql<Date>`now() + interval '1 hour'` },
        { topic: "order.settle", payload, available_at: sql<Date>`'infinity'`, attempts: 1 },
        { topic: "order.settle", payload, sent_at: sql<Date>`now()` },
        { topic: "no.such.job", payload: "{}", available_at: sql<Date>`'infinity'`, attempts: 1 },
      ])
      .execute();

    const text = await metrics.render();
    expect(valueOf(text, "souk_outbox_backlog_rows", { queue: "settlement", state: "pending", service: "operator" })).toBe(2);
    expect(valueOf(text, "souk_outbox_backlog_rows", { queue: "settlement", state: "scheduled" })).toBe(1);
    expect(valueOf(text, "souk_outbox_backlog_rows", { queue: "settlement", state: "parked" })).toBe(1);
    expect(valueOf(text, "souk_outbox_backlog_rows", { queue: "unknown", state: "parked" })).toBe(1);
    const age = valueOf(text, "souk_outbox_oldest_pending_age_seconds", { queue: "settlement" })!;
    expect(age).toBeGreaterThanOrEqual(90);
    expect(age).toBeLessThan(120);

    // The relay sends them: the next scrape sees it, nothing is cached.
    await db.updateTable("outbox").set({ sent_at: sql<Date>`now()` }).where("topic", "=", "order.settle").execute();
    const after = await metrics.render();
    expect(valueOf(after, "souk_outbox_backlog_rows", { queue: "settlement", state: "pending" })).toBeUndefined();
    expect(valueOf(after, "souk_outbox_backlog_rows", { queue: "unknown", state: "parked" })).toBe(1);
  });

  it("exposes the index drift it is given, read at each scrape, and nothing (not a stale value) when the read fails", async () => {
    let reading: IndexDriftReading | null | Error = null;
    let reads = 0;
    const metrics = createMetrics({
      service: "worker",
      defaultMetrics: false,
      indexDrift: async () => {
        reads += 1;
        if (reading instanceof Error) throw reading;
        return reading;
      },
    });
    const none = await metrics.render();
    expect(samples(none, "souk_search_index_drift_documents")).toEqual([]);
    expect(samples(none, "souk_search_index_last_reconcile_timestamp_seconds")).toEqual([]);
    // Both gauges share one read per scrape.
    expect(reads).toBe(1);

    reading = { missing: 3, stale: 2, extra: 1, finishedAt: new Date("2026-03-01T10:00:00Z"), kind: "reconcile" };
    const text = await metrics.render();
    expect(valueOf(text, "souk_search_index_drift_documents", { kind: "missing" })).toBe(3);
    expect(valueOf(text, "souk_search_index_drift_documents", { kind: "stale" })).toBe(2);
    expect(valueOf(text, "souk_search_index_drift_documents", { kind: "extra" })).toBe(1);
    expect(valueOf(text, "souk_search_index_last_reconcile_timestamp_seconds", { kind: "reconcile" })).toBe(Date.UTC(2026, 2, 1, 10) / 1000);
    expect(reads).toBe(2);

    reading = new Error("database down");
    const failed = await metrics.render();
    expect(samples(failed, "souk_search_index_drift_documents")).toEqual([]);
    expect(samples(failed, "souk_search_index_last_reconcile_timestamp_seconds")).toEqual([]);
  });
});

describe("metricsAuthorization", () => {
  it("without a token lets everybody in where it may be open, and nobody where it may not (production)", () => {
    expect(metricsAuthorization(null, { openWithoutToken: true })(undefined)).toBe(true);
    expect(metricsAuthorization("", { openWithoutToken: true })("Bearer anything")).toBe(true);
    expect(metricsAuthorization(null, { openWithoutToken: false })(undefined)).toBe(false);
    expect(metricsAuthorization("", { openWithoutToken: false })("Bearer anything")).toBe(false);
  });

  it("with a token lets in only the exact bearer token, open or not", () => {
    for (const openWithoutToken of [true, false]) {
      const check = metricsAuthorization("a-long-enough-metrics-token", { openWithoutToken });
      expect(check("Bearer a-long-enough-metrics-token")).toBe(true);
      expect(check(undefined)).toBe(false);
    }
    const check = metricsAuthorization("a-long-enough-metrics-token", { openWithoutToken: true });
    expect(check("Bearer a-long-enough-metrics-token")).toBe(true);
    expect(check("bearer a-long-enough-metrics-token")).toBe(true);
    for (const refused of [undefined, "", "Bearer", "Bearer a-long-enough-metrics-toke", "Bearer a-long-enough-metrics-token-and-more", "Basic a-long-enough-metrics-token", "a-long-enough-metrics-token"]) {
      expect(check(refused)).toBe(false);
    }
  });
});
