import { describe, expect, it } from "vitest";
import { en } from "../../i18n/en";
import { fr } from "../../i18n/fr";
import { messageKeysIn, sourceOf, sourcesOf } from "../../i18n/message-key-scan.server";

describe("money messages", () => {
  it("translate, in English and French, every message key the money services and the domain's commission and ledger rules produce", () => {
    const keys = messageKeysIn(
      [...sourcesOf("services/src/money"), sourceOf("domain/src/commission.ts"), sourceOf("domain/src/ledger.ts")],
      ["commission.", "payout.", "refund.", "ledger.", "journal.", "settlement."],
    )
      // E-mail template names, the payout.submit job, a code reference in a comment (`payout.id`), and the
      // field prefixes requiredText() turns into "<field>.required" / "<field>.too_long".
      .filter((k) => !["payout.paid", "payout.failed", "payout.submit", "payout.id", "payout.reference", "payout.reason"].includes(k));
    expect(keys.length).toBeGreaterThan(30);
    expect(keys.filter((k) => !Object.hasOwn(en, k))).toEqual([]);
    expect(keys.filter((k) => !Object.hasOwn(fr, k))).toEqual([]);
  });
});
