import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { DataSetCounts } from "./seed";
import type { TargetResult } from "./load";

/** The goals of issue 8 on this machine: every page's p99 under 100 ms at 50 connections; search ≥ 5 % of the bare baseline. */
export const GOAL_PAGE_P99_MS = 100;
export const GOAL_SEARCH_RATIO = 0.05;
/** The targets the page goal applies to (GET pages; the offer action is reported beside them). */
export const PAGE_KEYS = ["search", "listing", "comparison", "inbox"] as const;

export interface Goal {
  goal: string;
  met: boolean;
  value: string;
}

export interface HttpReport {
  generatedAt: string;
  command: string;
  machine: { cores: number; memoryGiB: number; node: string; postgres: string };
  settings: { connections: number; seconds: number; warmUpSeconds: number };
  dataSet: DataSetCounts & { seedSeconds: number | null };
  targets: (TargetResult & { ratioToBaseline: number })[];
  /** Offer submissions: answers that redirected to a receipt, and receipts the database gained meanwhile. */
  offers: { accepted: number; receiptsWritten: number } | null;
  goals: Goal[];
}

export function judgeGoals(targets: HttpReport["targets"], connections: number): Goal[] {
  const goals: Goal[] = [];
  for (const key of PAGE_KEYS) {
    const t = targets.find((x) => x.key === key);
    if (!t) continue;
    goals.push({ goal: `${t.label}: p99 < ${GOAL_PAGE_P99_MS} ms at ${connections} connections`, met: Number.isFinite(t.latencyMs.p99) && t.latencyMs.p99 < GOAL_PAGE_P99_MS && t.unexpected === 0 && t.errors === 0, value: `${fixed(t.latencyMs.p99)} ms` });
  }
  const search = targets.find((x) => x.key === "search");
  if (search) goals.push({ goal: `search ≥ ${GOAL_SEARCH_RATIO} of the baseline's requests/s`, met: search.ratioToBaseline >= GOAL_SEARCH_RATIO, value: search.ratioToBaseline.toFixed(4) });
  return goals;
}

/** No answer at all in the measured window gives no latency: shown as a dash, never as a figure. */
const fixed = (n: number) => (Number.isFinite(n) ? (n < 10 ? n.toFixed(2) : n.toFixed(1)) : "—");
const int = (n: number) => Math.round(n).toLocaleString("en");

export function markdownTable(report: HttpReport): string {
  const rows = report.targets.map((t) => {
    const problems = [t.errors > 0 ? `${t.errors} errors` : "", t.unexpected > 0 ? `${t.unexpected} unexpected (${statusList(t)})` : ""].filter(Boolean).join(", ");
    return `| ${t.label} | ${int(t.requestsPerSecond)} | ${fixed(t.latencyMs.p50)} | ${fixed(t.latencyMs.p99)} | ${problems || "0"} | ${t.ratioToBaseline.toFixed(4)} |`;
  });
  return [
    "| target | requests/s | p50 ms | p99 ms | errors / unexpected | ratio to baseline |",
    "| --- | ---: | ---: | ---: | --- | ---: |",
    ...rows,
  ].join("\n");
}

function statusList(t: TargetResult): string {
  return Object.entries(t.statusCodes)
    .map(([code, n]) => `${code}: ${n}`)
    .join(", ");
}

export function markdownReport(report: HttpReport): string {
  const d = report.dataSet;
  return [
    "# HTTP benchmark — latest run",
    "",
    `${report.generatedAt}, \`${report.command}\`: ${report.machine.cores} cores, ${report.machine.memoryGiB.toFixed(1)} GiB, Node ${report.machine.node}, PostgreSQL ${report.machine.postgres}.`,
    `${report.settings.connections} connections, ${report.settings.seconds} s per target after ${report.settings.warmUpSeconds} s of warm-up.`,
    `Data: ${int(d.buyers)} buyer organisations, ${int(d.sellers)} sellers, ${int(d.listings)} listings (${int(d.searchDocuments)} searchable), ${int(d.rfqs)} RFQs (${int(d.openRfqs)} open), ${int(d.offers)} offers, ${int(d.receipts)} receipts${d.seedSeconds === null ? " (database reused)" : `; seeded in ${d.seedSeconds.toFixed(0)} s`}.`,
    "",
    markdownTable(report),
    "",
    ...(report.offers ? [`Offers: ${int(report.offers.accepted)} answers redirected to their receipt; the database gained ${int(report.offers.receiptsWritten)} receipts meanwhile (requests still in flight when the run stops are written without being counted).`, ""] : []),
    "Goals:",
    "",
    ...report.goals.map((g) => `- ${g.met ? "PASS" : "FAIL"} ${g.goal} (${g.value})`),
    "",
  ].join("\n");
}

export function writeReport(dir: string, report: HttpReport): { json: string; md: string } {
  mkdirSync(dir, { recursive: true });
  const json = path.join(dir, "latest.json");
  const md = path.join(dir, "latest.md");
  writeFileSync(json, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(md, markdownReport(report));
  return { json, md };
}
