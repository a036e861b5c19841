// Adds up the reports of every Vitest run, Node's test runner and Playwright into one closing line,
// "N passed, N failed, N skipped", so a CI reader sees the whole count at a glance.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const root = new URL("../..", import.meta.url).pathname;
const totals = { passed: 0, failed: 0, skipped: 0 };

const vitestReports = ["apps", "packages"].flatMap((dir) =>
  readdirSync(join(root, dir)).map((name) => join(root, dir, name, ".cache", "vitest-report.json")),
);
for (const file of vitestReports.filter(existsSync)) {
  const report = JSON.parse(readFileSync(file, "utf8"));
  totals.passed += report.numPassedTests;
  totals.failed += report.numFailedTests;
  totals.skipped += report.numPendingTests + report.numTodoTests;
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
  const { stats, errors = [] } = JSON.parse(readFileSync(e2e, "utf8"));
  totals.passed += stats.expected + stats.flaky;
  totals.failed += stats.unexpected + errors.length;
  totals.skipped += stats.skipped;
  for (const error of errors) problems.push(`Playwright: ${String(error.message ?? error.value ?? "error").split("\n")[0]}`);
} else if (e2eRan) {
  totals.failed += 1;
  problems.push("Playwright wrote no report: the end-to-end step stopped before its reporter ran (see its log above)");
}

for (const problem of problems) console.log(problem);
console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(totals.failed > 0 ? 1 : 0);
