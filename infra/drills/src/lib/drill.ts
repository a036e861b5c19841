import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { drillsEnv } from "../env";

/**
 * The harness every drill runs in: a temp directory of its own, the checks it makes (a failed one
 * makes the process exit 1), the figures it measured, and clean-up steps that run whatever happens
 * (success, failed check, exception, Ctrl-C or SIGTERM from run.sh's trap).
 */
export interface Drill {
  readonly name: string;
  /** Temp directory of this run (processes' logs, the PostgreSQL cluster, Redis' files); removed at the end. */
  readonly dir: string;
  /** Milliseconds since the drill started. */
  elapsed(): number;
  log(message: string): void;
  /** A measured figure, printed as it comes and again in the summary. */
  figure(label: string, value: string | number): void;
  /** An expectation: recorded, printed, and the drill goes on. Returns `ok`. */
  check(label: string, ok: boolean, detail?: string): boolean;
  /** An expectation the rest of the drill depends on: a failure stops the drill. */
  require(label: string, ok: boolean, detail?: string): void;
  /** Runs at the end, last registered first. */
  defer(what: string, fn: () => unknown): void;
}

class DrillStopped extends Error {}

interface Check {
  label: string;
  ok: boolean;
  detail: string | undefined;
}

const stamp = (ms: number) => `${(ms / 1000).toFixed(1).padStart(6)}s`;

export async function runDrill(name: string, body: (drill: Drill) => Promise<void>): Promise<never> {
  const started = Date.now();
  const root = drillsEnv.tmpRoot;
  mkdirSync(root, { recursive: true });
  const dir = mkdtempSync(path.join(root, `souk-drill-${name}-`));
  // The PostgreSQL cluster may run as another user (postgres, when the drill runs as root): it must reach its directory.
  chmodSync(dir, 0o755);
  const checks: Check[] = [];
  const figures: [string, string][] = [];
  const cleanups: { what: string; fn: () => unknown }[] = [];
  const out = (line: string) => process.stdout.write(`[${name} ${stamp(Date.now() - started)}] ${line}\n`);

  const drill: Drill = {
    name,
    dir,
    elapsed: () => Date.now() - started,
    log: out,
    figure(label, value) {
      figures.push([label, String(value)]);
      out(`  ${label}: ${value}`);
    },
    check(label, ok, detail) {
      checks.push({ label, ok, detail });
      out(`${ok ? "PASS" : "FAIL"} ${label}${detail ? ` — ${detail}` : ""}`);
      return ok;
    },
    require(label, ok, detail) {
      if (!drill.check(label, ok, detail)) throw new DrillStopped(label);
    },
    defer(what, fn) {
      cleanups.push({ what, fn });
    },
  };

  let cleaning: Promise<void> | undefined;
  const cleanUp = () =>
    (cleaning ??= (async () => {
      for (const { what, fn } of cleanups.reverse()) {
        try {
          await fn();
        } catch (error) {
          out(`clean-up "${what}" failed: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
      if (drillsEnv.keep) out(`kept ${dir}`);
      else rmSync(dir, { recursive: true, force: true });
    })());

  // run.sh's trap (or Ctrl-C) stops the drill: processes and files still go.
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      out(`${signal}: stopping, cleaning up`);
      void cleanUp().finally(() => process.exit(130));
    });
  }

  let aborted: unknown;
  try {
    await body(drill);
  } catch (error) {
    aborted = error;
  }
  // A failed drill shows the end of each process' log before the directory goes.
  if (aborted || checks.some((c) => !c.ok)) {
    for (const file of readdirSync(dir).filter((f) => f.endsWith(".log"))) {
      const lines = readFileSync(path.join(dir, file), "utf8").trimEnd().split("\n").slice(-15);
      process.stdout.write(`\n--- ${file} (last ${lines.length} lines) ---\n${lines.join("\n")}\n`);
    }
  }
  await cleanUp();

  const failed = checks.filter((c) => !c.ok);
  process.stdout.write(`\n== ${name}: ${aborted || failed.length > 0 ? "FAILED" : "PASSED"} in ${((Date.now() - started) / 1000).toFixed(1)} s ==\n`);
  for (const [label, value] of figures) process.stdout.write(`  ${label}: ${value}\n`);
  process.stdout.write(`  checks: ${checks.length - failed.length}/${checks.length} passed\n`);
  for (const c of failed) process.stdout.write(`  FAILED: ${c.label}${c.detail ? ` — ${c.detail}` : ""}\n`);
  if (aborted && !(aborted instanceof DrillStopped)) {
    process.stdout.write(`  ABORTED: ${aborted instanceof Error ? (aborted.stack ?? aborted.message) : String(aborted)}\n`);
  }
  process.exit(aborted || failed.length > 0 ? 1 : 0);
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls `probe` every `everyMs` until it returns a truthy value; throws after `timeoutMs`. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined | null | false>, timeoutMs: number, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

/** p50 / p99 / max of a list of durations, for the figures. */
export function latencySummary(ms: readonly number[]): string {
  if (ms.length === 0) return "no requests";
  const sorted = [...ms].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return `n=${sorted.length} p50=${at(0.5).toFixed(0)} ms p99=${at(0.99).toFixed(0)} ms max=${sorted[sorted.length - 1]!.toFixed(0)} ms`;
}
