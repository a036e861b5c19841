import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { isMessageKey } from "./i18n";

/**
 * The seller-side use cases (services/src/sellers) put message keys into their field errors and
 * domain errors. Every key they can produce must be translated, or a seller would read the generic
 * fallback. The keys are read from the sources.
 */
describe("seller application messages", () => {
  it("translate every message key the sellers services can produce", () => {
    const dir = fileURLToPath(new URL("../../../services/src/sellers/", import.meta.url));
    const keys = new Set<string>();
    for (const file of readdirSync(dir).filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts") && f !== "test-support.ts")) {
      const source = readFileSync(`${dir}${file}`, "utf8");
      for (const m of source.matchAll(/["`]((?:application|company|category|document)\.[a-z_]+(?:\.[a-z_]+)*)["`]/g)) keys.add(m[1] as string);
    }
    expect(keys.size).toBeGreaterThan(30);
    expect([...keys].filter((k) => !isMessageKey(k))).toEqual([]);
  });
});
