import { defineConfig, devices } from "@playwright/test";
import { E2E_DATABASE, E2E_STORAGE_DIR, PORTS, URLS } from "./support";

/**
 * End-to-end: the production builds of the three apps and the worker, against a database of their
 * own (recreated each run), driven by Debian's Chromium. Set E2E_SKIP_BUILD=1 to reuse builds.
 */
const databaseUrl = `postgres://postgres@127.0.0.1:5432/${E2E_DATABASE}`;
// A queue prefix per run: the database is recreated each run, so its outbox ids start again at 1,
// and BullMQ would silently ignore a job id it still holds from an earlier run.
const queuePrefix = `souk-e2e-${Date.now().toString(36)}`;
// Time budgets are doubled under CI (see budget() in support.ts, which the specs' own budgets use).
const budgetFactor = process.env.CI ? 2 : 1;
const build = (app: string) => (process.env.E2E_SKIP_BUILD ? "" : `pnpm --filter @souk/${app} build && `);

const sharedEnv = {
  DATABASE_URL: databaseUrl,
  REDIS_URL: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
  // The worker's queues, which the operator's Jobs page reads.
  QUEUE_PREFIX: queuePrefix,
  BUYER_URL: URLS.buyer,
  SELLER_URL: URLS.seller,
  OPERATOR_URL: URLS.operator,
  // The seller app stores the documents the operator app serves: one directory for both.
  STORAGE_DIR: E2E_STORAGE_DIR,
};

function app(name: "buyer" | "seller" | "operator") {
  return {
    name,
    command: `${build(name)}pnpm --filter @souk/${name} start`,
    url: `${URLS[name]}/sign-in`,
    cwd: "..",
    env: { ...sharedEnv, NODE_ENV: "production", PORT: String(PORTS[name]), PUBLIC_URL: URLS[name] },
    reuseExistingServer: false,
    timeout: 120_000,
    gracefulShutdown: { signal: "SIGTERM" as const, timeout: 5_000 },
  };
}

export default defineConfig({
  testDir: "./specs",
  outputDir: "./test-results",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: Boolean(process.env.CI),
  timeout: 30_000 * budgetFactor,
  expect: { timeout: 5_000 * budgetFactor },
  metadata: { budgetFactor },
  // The JSON report feeds the one-line total printed by infra/test.sh (infra/scripts/test-summary.mjs).
  reporter: [["list"], ["json", { outputFile: "./.cache/playwright-report.json" }], ...(process.env.CI ? [["html", { open: "never", outputFolder: "./playwright-report" }] as const] : [])],
  use: {
    locale: "en-GB",
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
  },
  projects: [
    {
      name: "chromium",
      use: {
        ...devices["Desktop Chrome"],
        launchOptions: {
          executablePath: "/usr/bin/chromium",
          args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        },
      },
    },
  ],
  // Started in this order, each one ready before the next: the database first (see cli/prepare-database.ts).
  webServer: [
    {
      name: "database",
      command: "node --import tsx cli/prepare-database.ts",
      url: `http://127.0.0.1:${PORTS.prepare}/`,
      reuseExistingServer: false,
      timeout: 120_000,
      stdout: "pipe",
    },
    {
      name: "worker",
      command: "pnpm --filter @souk/worker start",
      url: `http://127.0.0.1:${PORTS.worker}/healthz`,
      cwd: "..",
      env: { ...sharedEnv, NODE_ENV: "production", HEALTH_PORT: String(PORTS.worker), MAIL_TRANSPORT: "log" },
      reuseExistingServer: false,
      timeout: 60_000,
      gracefulShutdown: { signal: "SIGTERM", timeout: 5_000 },
    },
    app("buyer"),
    app("seller"),
    app("operator"),
  ],
});
