import { describe, expect, it } from "vitest";
import { en } from "../../i18n/en";
import { fr } from "../../i18n/fr";
import { messageKeysIn, sourceOf, sourcesOf } from "../../i18n/message-key-scan.server";

/** E-mail template names, audit actions and receipt reason codes the sources name: not messages. */
const NOT_MESSAGES = new Set(["counter.received", "counter.answered", "counter.sent", "counter.accepted", "counter.declined", "counter.revised"]);

describe("negotiation messages", () => {
  it("translate, in English and French, every message key the negotiation services and the domain's negotiation rules produce", () => {
    const keys = messageKeysIn([...sourcesOf("services/src/negotiation"), sourceOf("domain/src/negotiation.ts")], ["counter.", "flash.negotiation."]).filter((k) => !NOT_MESSAGES.has(k));
    expect(keys.length).toBeGreaterThan(25);
    expect(keys).toContain("counter.expired");
    expect(keys).toContain("counter.pending_exists");
    expect(keys.filter((k) => !Object.hasOwn(en, k))).toEqual([]);
    expect(keys.filter((k) => !Object.hasOwn(fr, k))).toEqual([]);
  });

  it("name every counter status, receipt kind and counter receipt reason in both languages", () => {
    const keys = [
      ...["pending", "accepted", "declined", "revised", "expired", "superseded"].map((s) => `negotiation.status.${s}`),
      ...["submitted", "revised", "withdrawn"].map((k) => `negotiation.timeline.receipt.${k}`),
      ...["counter.accepted", "counter.revised"].flatMap((r) => [`negotiation.reason.${r}`, `rfqOffer.reason.${r}`]),
      ...["sent", "accepted", "declined", "revised"].map((a) => `audit.action.counter.${a}`),
    ];
    for (const key of keys) {
      expect(Object.hasOwn(en, key), key).toBe(true);
      expect(Object.hasOwn(fr, key), key).toBe(true);
    }
  });
});
