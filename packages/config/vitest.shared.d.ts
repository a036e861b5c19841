import type { UserConfig } from "vitest/config";
export function soukVitestConfig(options?: { integration?: boolean }): UserConfig;
