import autocannon from "autocannon";
import { summarise } from "../search/stats";

/**
 * One target of the HTTP benchmark driven by autocannon (its programmatic API): a warm-up whose
 * figures are thrown away, then the measured run at the same number of connections. Every request
 * is built by `next()` (varied paths, sessions and bodies); `expect` says which answers count as
 * success. Latency percentiles are computed from every response's own time (autocannon's
 * `response` event, sub-millisecond), not from its millisecond histogram.
 */

export interface BuiltRequest {
  method?: "GET" | "POST";
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface Target {
  /** Short key (JSON) and the table's label. */
  key: string;
  label: string;
  /** The app's base URL (`http://127.0.0.1:3401`). */
  url: string;
  next(): BuiltRequest;
  /** The statuses that count as success: a page answers 200. */
  okStatuses: readonly number[];
  /** A finer check of each answer's headers (the offer's redirect to its receipt); refusals are counted as unexpected. */
  checkResponse?: (status: number, headers: Record<string, string>) => boolean;
}

export interface TargetResult {
  key: string;
  label: string;
  requests: number;
  seconds: number;
  requestsPerSecond: number;
  latencyMs: { p50: number; p99: number; max: number; mean: number };
  /** Connection errors (timeouts included). */
  errors: number;
  timeouts: number;
  /** Answers outside `okStatuses`, or refused by `checkResponse`. */
  unexpected: number;
  statusCodes: Record<string, number>;
  /** Answers `checkResponse` accepted (targets that have one). */
  checked?: number;
}

/** Two decimals: what the report shows (NaN, when nothing answered, stays NaN). */
const round = (n: number) => Math.round(n * 100) / 100;

function drive(target: Target, connections: number, seconds: number, record: boolean) {
  const latencies: number[] = [];
  const statusCodes: Record<string, number> = {};
  let checkedOk = 0;
  let checkedFailed = 0;
  const template: autocannon.Request = {
    method: "GET",
    setupRequest: (request) => {
      const built = target.next();
      return { ...request, method: built.method ?? "GET", path: built.path, headers: { ...request.headers, ...built.headers }, body: built.body ?? "" } as autocannon.Request;
    },
  };
  if (target.checkResponse) {
    const check = target.checkResponse;
    template.onResponse = (status, _body, _context, headers) => {
      // Statuses outside okStatuses are counted as unexpected already.
      if (!record || !target.okStatuses.includes(status)) return;
      const lower: Record<string, string> = {};
      for (const [name, value] of Object.entries(headers ?? {})) lower[name.toLowerCase()] = String(value);
      if (check(status, lower)) checkedOk += 1;
      else checkedFailed += 1;
    };
  }
  return new Promise<TargetResult>((resolve, reject) => {
    const instance = autocannon(
      { url: target.url, connections, duration: seconds, requests: [template], timeout: 30 },
      (error, result) => {
        if (error) return reject(error);
        const summary = summarise(latencies);
        const requests = latencies.length;
        const ok = Object.entries(statusCodes).reduce((sum, [code, n]) => sum + (target.okStatuses.includes(Number(code)) ? n : 0), 0);
        resolve({
          key: target.key,
          label: target.label,
          requests,
          seconds: result.duration,
          requestsPerSecond: round(requests / result.duration),
          latencyMs: { p50: round(summary.p50), p99: round(summary.p99), max: round(summary.max), mean: round(summary.mean) },
          errors: result.errors,
          timeouts: result.timeouts,
          unexpected: requests - ok + checkedFailed,
          statusCodes,
          ...(target.checkResponse ? { checked: checkedOk } : {}),
        });
      },
    );
    instance.on("response", (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
      if (!record) return;
      latencies.push(responseTime);
      statusCodes[statusCode] = (statusCodes[statusCode] ?? 0) + 1;
    });
  });
}

/** Warm-up (not recorded), then the measured run; `beforeMeasure` runs between them, `afterMeasure` after. */
export async function runTarget(
  target: Target,
  options: { connections: number; seconds: number; warmUpSeconds: number },
  hooks: { beforeMeasure?: () => Promise<void>; afterMeasure?: () => Promise<void> } = {},
): Promise<TargetResult> {
  await drive(target, options.connections, options.warmUpSeconds, false);
  await hooks.beforeMeasure?.();
  const result = await drive(target, options.connections, options.seconds, true);
  await hooks.afterMeasure?.();
  return result;
}

/** Cycles through a list: each call returns the next item (requests spread evenly over sessions, queries, ids). */
export function cycle<T>(items: readonly T[]): () => T {
  if (items.length === 0) throw new Error("cycle: nothing to cycle through");
  let i = 0;
  return () => items[i++ % items.length]!;
}
