import { isDomainError } from "@souk/domain";
import { elapsedMs, summarise, type Summary } from "../search/stats";

/** What a run of calls did: the latency of every call that succeeded, and the failures by kind. */
export interface LoadResult {
  ok: number;
  failed: number;
  /** Wall time from the first call to the return of the last one. */
  wallMs: number;
  perSecond: number;
  latency: Summary;
  /** Latency of the failed calls (a refusal that took long is still a wait the seller saw). */
  failedLatency: Summary;
  errors: Map<string, number>;
}

/** A stable label of a failure: the domain code and message key, or the driver's error code. */
export function errorLabel(error: unknown): string {
  if (isDomainError(error)) return `${error.code} ${error.message}`;
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === "string" ? `${error.name} ${code}: ${error.message.slice(0, 80)}` : `${error.name}: ${error.message.slice(0, 80)}`;
  }
  return String(error).slice(0, 80);
}

export class Recorder {
  private readonly okTimings: number[] = [];
  private readonly failedTimings: number[] = [];
  readonly errors = new Map<string, number>();
  private startedAt: bigint | null = null;
  private wall = 0;

  start(): void {
    this.startedAt = process.hrtime.bigint();
  }

  stop(): void {
    if (this.startedAt !== null) this.wall = elapsedMs(this.startedAt);
  }

  /** Times one call; returns its value, or undefined when it failed (the failure is counted). */
  async time<T>(call: () => Promise<T>): Promise<{ ok: true; value: T; ms: number } | { ok: false; error: unknown; ms: number }> {
    const started = process.hrtime.bigint();
    try {
      const value = await call();
      const ms = elapsedMs(started);
      this.okTimings.push(ms);
      return { ok: true, value, ms };
    } catch (error) {
      const ms = elapsedMs(started);
      this.failedTimings.push(ms);
      const label = errorLabel(error);
      this.errors.set(label, (this.errors.get(label) ?? 0) + 1);
      return { ok: false, error, ms };
    }
  }

  result(): LoadResult {
    return {
      ok: this.okTimings.length,
      failed: this.failedTimings.length,
      wallMs: this.wall,
      perSecond: this.okTimings.length / (this.wall / 1000),
      latency: summarise(this.okTimings),
      failedLatency: summarise(this.failedTimings),
      errors: this.errors,
    };
  }
}

/**
 * A closed loop: `workers` callers each call `step(worker, iteration)` back to back, without
 * pause, until `durationMs` has passed (the call in flight then finishes). Closed loop means the
 * latency is what a caller waits, pool queueing included, and throughput × latency ≈ workers.
 */
export async function closedLoop(options: { workers: number; durationMs: number; step: (worker: number, iteration: number, recorder: Recorder) => Promise<void> }): Promise<LoadResult> {
  const recorder = new Recorder();
  const deadline = performance.now() + options.durationMs;
  recorder.start();
  await Promise.all(
    Array.from({ length: options.workers }, async (_, worker) => {
      for (let iteration = 0; performance.now() < deadline; iteration += 1) await options.step(worker, iteration, recorder);
    }),
  );
  recorder.stop();
  return recorder.result();
}

/** mulberry32: a tiny seeded generator, one per seller, so a seed gives the same prices. */
export function randomSource(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms)));
