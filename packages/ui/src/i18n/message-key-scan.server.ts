import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/**
 * For the tests that check every message key a use case can produce is translated: read the
 * sources of other packages and pick out the string literals that look like message keys.
 */
const packages = fileURLToPath(new URL("../../../", import.meta.url));

/** The non-test sources of a folder, relative to packages/ ("services/src/vetting"). */
export function sourcesOf(dir: string): string[] {
  return readdirSync(`${packages}${dir}`)
    .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts") && f !== "test-support.ts")
    .map((f) => readFileSync(`${packages}${dir}/${f}`, "utf8"));
}

/** One source file, relative to packages/ ("domain/src/award.ts"). */
export function sourceOf(file: string): string {
  return readFileSync(`${packages}${file}`, "utf8");
}

/** Every string literal of the sources that looks like one of our message keys ("review.filter.country_invalid") and starts with one of `prefixes`. */
export function messageKeysIn(sources: string[], prefixes: string[]): string[] {
  const keys = new Set<string>();
  for (const source of sources) {
    for (const m of source.matchAll(/["`]([a-z][A-Za-z]*(?:\.[a-z][a-z_]*)+)["`]/g)) {
      const key = m[1] as string;
      if (prefixes.some((p) => key.startsWith(p))) keys.add(key);
    }
  }
  return [...keys];
}
