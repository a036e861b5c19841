import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { en } from "./en";
import { fr } from "./fr";
import { isMessageKey } from "./i18n";
import { messageKeysIn, sourceOf, sourcesOf } from "./message-key-scan.server";

const services = fileURLToPath(new URL("../../../services/src/", import.meta.url));

describe("operator review and audit messages", () => {
  it("translate every message key the vetting and audit services and the seller state machine can produce", () => {
    const keys = messageKeysIn(
      [...sourcesOf("services/src/vetting"), ...sourcesOf("services/src/audit"), sourceOf("domain/src/seller-vetting.ts")],
      ["review.", "decision.", "audit.filter.", "audit.export_", "seller."],
    ).filter((k) => !k.startsWith("seller.decision.") && !/^seller\.[a-z_]+ed$/.test(k) && k !== "seller.document_viewed");
    expect(keys.length).toBeGreaterThan(15);
    expect(keys.filter((k) => !isMessageKey(k))).toEqual([]);
  });

  it("label every audit action of the record-audit module in both languages", () => {
    const source = readFileSync(`${services}audit/record-audit.ts`, "utf8");
    const list = source.slice(source.indexOf("AUDIT_ACTIONS = ["), source.indexOf("] as const"));
    const actions = [...list.matchAll(/"([a-z_]+\.[a-z_]+)"/g)].map((m) => m[1] as string);
    expect(actions).toContain("seller.suspended");
    for (const action of actions) {
      const key = `audit.action.${action}`;
      expect(isMessageKey(key), key).toBe(true);
      expect(Object.hasOwn(fr, key), key).toBe(true);
      const group = `audit.group.${action.split(".")[0]}`;
      expect(Object.hasOwn(en, group), group).toBe(true);
    }
  });
});
