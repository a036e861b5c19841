import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { en } from "../../i18n/en";
import { fr } from "../../i18n/fr";

const packages = fileURLToPath(new URL("../../../../", import.meta.url));
const sourcesOf = (dir: string) =>
  readdirSync(`${packages}${dir}`)
    .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts") && f !== "test-support.ts")
    .map((f) => readFileSync(`${packages}${dir}/${f}`, "utf8"));

/** Every string literal that looks like one of our message keys with one of `prefixes`. */
function messageKeysIn(sources: string[], prefixes: string[]): string[] {
  const keys = new Set<string>();
  for (const source of sources) {
    for (const m of source.matchAll(/["`]([a-z][A-Za-z]*(?:\.[a-z][a-z_]*)+)["`]/g)) {
      const key = m[1] as string;
      if (prefixes.some((p) => key.startsWith(p))) keys.add(key);
    }
  }
  return [...keys];
}

describe("award, approval and order messages", () => {
  it("translate, in English and French, every message key the approvals and orders services and the domain's award rules produce", () => {
    const keys = messageKeysIn(
      [...sourcesOf("services/src/approvals"), ...sourcesOf("services/src/orders"), readFileSync(`${packages}domain/src/award.ts`, "utf8")],
      ["award.", "approval.", "approvalRule.", "order."],
    )
      // E-mail template names and audit actions, not messages.
      .filter((k) => !["approval.requested", "approval.approved", "approval.rejected", "award.won", "award.lost", "award.created", "award.finalized", "approval_rule.created"].includes(k));
    expect(keys.length).toBeGreaterThan(30);
    expect(keys.filter((k) => !Object.hasOwn(en, k))).toEqual([]);
    expect(keys.filter((k) => !Object.hasOwn(fr, k))).toEqual([]);
  });
});
