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

const e2e = join(root, "e2e", ".cache", "playwright-report.json");
if (existsSync(e2e)) {
  const { stats } = JSON.parse(readFileSync(e2e, "utf8"));
  totals.passed += stats.expected + stats.flaky;
  totals.failed += stats.unexpected;
  totals.skipped += stats.skipped;
}

console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(totals.failed > 0 ? 1 : 0);
