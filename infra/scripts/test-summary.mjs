// Adds up the reports of every Vitest run, Node's test runner and Playwright into one closing line,
// "N passed, N failed, N skipped", so a CI reader sees the whole count at a glance, preceded by the
// name and the first lines of the message of each failed test (a CI log is often read from its end only).
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";

const root = new URL("../..", import.meta.url).pathname;
const totals = { passed: 0, failed: 0, skipped: 0 };
const failures = [];

/** The first lines of an error message that say something (expected and received too), without terminal colours, kept short. */
function gist(message) {
  const plain = String(message ?? "").replace(/\u001b\[[0-9;]*m/g, "");
  const lines = plain.split("\n").map((l) => l.trim()).filter(Boolean).slice(0, 3).join(" | ") || "(no message)";
  return lines.length > 300 ? `${lines.slice(0, 300)}…` : lines;
}

const vitestReports = ["apps", "packages"].flatMap((dir) =>
  readdirSync(join(root, dir)).map((name) => join(root, dir, name, ".cache", "vitest-report.json")),
);
for (const file of vitestReports.filter(existsSync)) {
  const report = JSON.parse(readFileSync(file, "utf8"));
  totals.passed += report.numPassedTests;
  totals.failed += report.numFailedTests;
  totals.skipped += report.numPendingTests + report.numTodoTests;
  for (const suite of report.testResults ?? []) {
    const file = relative(root, suite.name);
    const failed = (suite.assertionResults ?? []).filter((t) => t.status === "failed");
    for (const t of failed) failures.push(`${file} › ${t.fullName}\n      ${gist(t.failureMessages?.[0])}`);
    // A file that fails before its tests run (an import or a hook that threw) has no failed test to count.
    if (suite.status === "failed" && failed.length === 0) {
      totals.failed += 1;
      failures.push(`${file} (the file itself)\n      ${gist(suite.message)}`);
    }
  }
}

// Node's own test runner (packages/config) writes TAP: its closing "# pass N" lines.
const tapReports = readdirSync(join(root, "packages")).map((name) => join(root, "packages", name, ".cache", "node-test.tap"));
for (const file of tapReports.filter(existsSync)) {
  const tap = readFileSync(file, "utf8");
  const count = (label) => Number(new RegExp(`^# ${label} (\\d+)$`, "m").exec(tap)?.[1] ?? 0);
  totals.passed += count("pass");
  totals.failed += count("fail");
  totals.skipped += count("skipped") + count("todo");
}

// A run that ends before its first test (a web server that never came up, a global set-up that threw)
// still writes a report, with zero tests and its errors: those count as failures, and so does a
// missing report when the end-to-end step ran (infra/test.sh leaves its exit status beside it).
const e2e = join(root, "e2e", ".cache", "playwright-report.json");
const e2eRan = existsSync(join(root, "e2e", ".cache", "e2e.status"));
const problems = [];
if (existsSync(e2e)) {
  const { stats, errors = [], suites = [] } = JSON.parse(readFileSync(e2e, "utf8"));
  totals.passed += stats.expected + stats.flaky;
  totals.failed += stats.unexpected + errors.length;
  totals.skipped += stats.skipped;
  for (const error of errors) problems.push(`Playwright: ${gist(error.message ?? error.value ?? "error")}`);
  const walk = (suite) => {
    for (const spec of suite.specs ?? []) {
      for (const t of spec.tests ?? []) {
        if (t.status !== "unexpected") continue;
        const result = t.results?.at(-1);
        const error = result?.error ?? result?.errors?.[0];
        const at = error?.location ? ` (at line ${error.location.line})` : "";
        failures.push(`e2e/specs/${spec.file}:${spec.line} › ${spec.title} (${Math.round((result?.duration ?? 0) / 1000)} s)\n      ${gist(error?.message ?? `status ${result?.status}`)}${at}`);
      }
    }
    for (const child of suite.suites ?? []) walk(child);
  };
  for (const suite of suites) walk(suite);
} else if (e2eRan) {
  totals.failed += 1;
  problems.push("Playwright wrote no report: the end-to-end step stopped before its reporter ran (see its log above)");
}

const SHOWN = 12;
for (const failure of failures.slice(0, SHOWN)) console.log(`FAILED TEST: ${failure}`);
if (failures.length > SHOWN) console.log(`… and ${failures.length - SHOWN} more failed tests (see the logs above)`);
for (const problem of problems) console.log(problem);
console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(totals.failed > 0 ? 1 : 0);
