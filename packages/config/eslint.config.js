// Shared flat config. Each workspace's eslint.config.js re-exports this.
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import globals from "globals";

/**
 * Environment variables are read in exactly one module per deployable (its env module, which
 * parses them with zod once at start-up); everything else receives config objects.
 */
const envModules = ["**/src/env.ts", "**/app/env.server.ts", "**/playwright.config.ts", "**/vitest.config.ts", "**/vite.config.ts", "**/*.config.js", "**/cli/*.ts", "**/scripts/*.mjs", "**/*.test.ts", "**/*.test.tsx", "**/vitest.shared.js"];

export default tseslint.config(
  { ignores: ["**/build/**", "**/dist/**", "**/node_modules/**", "**/.cache/**", "**/test-results/**", "**/playwright-report/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: { projectService: true },
    },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": ["error", { checksVoidReturn: { attributes: false } }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "@typescript-eslint/no-import-type-side-effects": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-restricted-properties": ["error", { object: "process", property: "env", message: "Read the environment only in the deployable's env module; pass config objects instead." }],
    },
  },
  { files: envModules, rules: { "no-restricted-properties": "off" } },
  { files: ["**/*.js", "**/*.mjs", "**/*.d.ts"], ...tseslint.configs.disableTypeChecked },
);
