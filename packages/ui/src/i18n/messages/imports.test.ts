import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { isMessageKey } from "../i18n";

const folder = fileURLToPath(new URL("../../../../services/src/catalogue/import/", import.meta.url));

/**
 * The import use cases put message keys into field errors (the file) and into an import's errors
 * (its rows and columns). Every key they can produce must be translated, or a seller would read the
 * generic fallback. The keys are read from the sources; a row's listing-field keys come from
 * parseListingFields, whose translations the listing messages' test checks.
 */
describe("import messages", () => {
  it("translate every message key the import services can produce", () => {
    const keys = new Set<string>();
    const files = readdirSync(folder).filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts") && f !== "test-support.ts");
    for (const file of files) {
      const source = readFileSync(`${folder}${file}`, "utf8");
      for (const m of source.matchAll(/["`]((?:file|import|column|row|sku|category|visibility|status|listing)\.[a-z_]+)["`]/g)) keys.add(m[1] as string);
    }
    expect(keys.size).toBeGreaterThan(20);
    expect([...keys].filter((k) => !isMessageKey(k))).toEqual([]);
  });

  it("name every column of the file and every status of an import", () => {
    const columns = /CSV_COLUMNS = \[([^\]]*)\]/.exec(readFileSync(`${folder}columns.ts`, "utf8"))?.[1]?.match(/"(\w+)"/g) ?? [];
    expect(columns).toHaveLength(14);
    for (const column of columns) expect(isMessageKey(`import.column.${column.slice(1, -1)}`)).toBe(true);
    for (const status of ["queued", "running", "succeeded", "failed"]) expect(isMessageKey(`import.status.${status}`)).toBe(true);
  });
});
