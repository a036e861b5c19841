// Plain JS on purpose: Vite loads config files with Node, which cannot import a workspace `.ts`.
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = fileURLToPath(new URL("../..", import.meta.url));

/**
 * Base Vitest config for every workspace. Integration tests share one PostgreSQL server and one
 * Redis; isolation comes from a database per test file and a queue prefix per test (see
 * @souk/testing), so files may run in parallel.
 * @param {{ integration?: boolean }} [options]
 */
export function soukVitestConfig(options = {}) {
  return defineConfig({
    test: {
      include: ["src/**/*.test.ts", "app/**/*.test.ts", "app/**/*.test.tsx", "*.test.ts"],
      environment: "node",
      testTimeout: options.integration ? 30_000 : 5_000,
      hookTimeout: 60_000,
      globalSetup: options.integration ? [`${root}packages/testing/src/global-setup.ts`] : [],
      pool: "forks",
      // The JSON report feeds the one-line total that infra/test.sh prints (infra/scripts/test-summary.mjs).
      reporters: ["default", "json"],
      outputFile: { json: ".cache/vitest-report.json" },
    },
  });
}
