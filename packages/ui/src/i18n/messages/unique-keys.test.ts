import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const folder = fileURLToPath(new URL("./", import.meta.url));
const areaFiles = readdirSync(folder).filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"));

/** The keys an English dictionary source defines (`  "key": ...` lines of its object literals). */
function keysIn(source: string): string[] {
  return [...source.matchAll(/^\s+"([^"]+)":/gm)].map((m) => m[1] as string);
}

/**
 * Each area's messages are spread into en.ts / fr.ts one after the other: a key defined in two
 * areas (or in an area and en.ts itself) silently takes the last one's text. Every key has one home.
 */
describe("message keys", () => {
  it("are each defined once, in one area file or in en.ts", () => {
    const homes = new Map<string, string[]>();
    for (const file of areaFiles) {
      const source = readFileSync(`${folder}${file}`, "utf8");
      // The English object only (the French one repeats its keys by design).
      const en = source.split(/^export const \w+Fr\b/m)[0] ?? "";
      for (const key of new Set(keysIn(en))) homes.set(key, [...(homes.get(key) ?? []), file]);
    }
    for (const key of new Set(keysIn(readFileSync(fileURLToPath(new URL("../en.ts", import.meta.url)), "utf8")))) homes.set(key, [...(homes.get(key) ?? []), "en.ts"]);
    expect(homes.size).toBeGreaterThan(1000);
    expect([...homes].filter(([, files]) => files.length > 1).map(([key, files]) => `${key}: ${files.join(", ")}`)).toEqual([]);
  });

  it("of refunds (refund.*) live in the money messages only", () => {
    const withRefundKeys = areaFiles.filter((file) => keysIn(readFileSync(`${folder}${file}`, "utf8")).some((k) => k.startsWith("refund.")));
    expect(withRefundKeys).toEqual(["money.ts"]);
  });
});
