import { describe, expect, it } from "vitest";
import { en } from "../../i18n/en";
import { fr } from "../../i18n/fr";
import { messageKeysIn, sourceOf, sourcesOf } from "../../i18n/message-key-scan.server";

describe("award, approval and order messages", () => {
  it("translate, in English and French, every message key the approvals and orders services and the domain's award rules produce", () => {
    const keys = messageKeysIn(
      [...sourcesOf("services/src/approvals"), ...sourcesOf("services/src/orders"), sourceOf("domain/src/award.ts")],
      ["award.", "approval.", "approvalRule.", "order."],
    )
      // E-mail template names and audit actions, not messages.
      .filter((k) => !["approval.requested", "approval.approved", "approval.rejected", "award.won", "award.lost", "award.created", "award.finalized", "approval_rule.created"].includes(k));
    expect(keys.length).toBeGreaterThan(30);
    expect(keys.filter((k) => !Object.hasOwn(en, k))).toEqual([]);
    expect(keys.filter((k) => !Object.hasOwn(fr, k))).toEqual([]);
  });
});
