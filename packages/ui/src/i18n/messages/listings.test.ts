import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { isMessageKey } from "../i18n";

const services = fileURLToPath(new URL("../../../../services/src/catalogue/", import.meta.url));
const domain = fileURLToPath(new URL("../../../../domain/src/", import.meta.url));

const sourcesIn = (dir: string) =>
  readdirSync(dir)
    .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts") && f !== "test-support.ts")
    .map((f) => `${dir}${f}`);

/**
 * The listing use cases (fields, moves, moderation, images) put message keys into their field and
 * domain errors. Every key they can produce must be translated, or a seller or an operator would
 * read the generic fallback. The keys are read from the sources.
 */
describe("listing messages", () => {
  it("translate every message key the listing services can produce", () => {
    const files = [
      `${services}listing-input.ts`,
      `${services}save-listing.ts`,
      ...sourcesIn(`${services}listings/`),
      ...sourcesIn(`${services}moderation/`),
      `${domain}listing-status.ts`,
    ];
    const prefixes = "sku|title|description|category|unit|currency|listPrice|minOrderQuantity|stock|leadTimeDays|attributes|tiers|visibility|groupIds|listing|image";
    const quoted = new RegExp(`["\`]((?:${prefixes})\\.[a-z_]+(?:\\.[a-z_]+)*)["\`]`, "g");
    const keys = new Set<string>();
    for (const file of files) {
      const source = readFileSync(file, "utf8");
      // Only where errors are made: the same strings also name e-mail templates and audit actions.
      for (const line of source.split("\n")) if (/error|Error|conflict|push\(|pageField\(/.test(line)) for (const m of line.matchAll(quoted)) keys.add(m[1] as string);
      // Keys built from a field name by the listing-input helpers.
      for (const m of source.matchAll(/\btext\("(\w+)", [^,]+, (true|false)\)/g)) {
        keys.add(`${m[1]}.invalid`).add(`${m[1]}.too_long`);
        if (m[2] === "true") keys.add(`${m[1]}.required`);
      }
      for (const m of source.matchAll(/\binteger\("(\w+)"/g)) for (const suffix of ["required", "invalid", "too_small", "too_large"]) keys.add(`${m[1]}.${suffix}`);
    }
    expect(keys.size).toBeGreaterThan(50);
    expect([...keys].filter((k) => !isMessageKey(k))).toEqual([]);
  });

  it("name every listing status and move", () => {
    for (const status of ["draft", "published", "unlisted", "blocked"]) expect(isMessageKey(`listing.status.${status}`)).toBe(true);
    for (const move of ["publish", "unlist", "block", "unblock"]) expect(isMessageKey(`listing.move.${move}`)).toBe(true);
  });
});
