import { describe, expect, it } from "vitest";
import { en } from "../../i18n/en";
import { fr } from "../../i18n/fr";
import { messageKeysIn, sourceOf, sourcesOf } from "../../i18n/message-key-scan.server";

/** E-mail template names and audit actions the sources name: not messages. */
const NOT_MESSAGES = new Set([
  "approval.requested",
  "approval.approved",
  "approval.rejected",
  // Templates of budgets and two-level chains (services/src/notifications/templates-budgets.ts).
  "approval.over_budget",
  "approval.second_level",
  "award.won",
  "award.lost",
  "award.created",
  "award.finalized",
  "approval_rule.created",
  "dispute.resolved",
  "dispute.opened",
]);
const isTemplateName = (key: string) => /^order\.(accepted|rejected|shipped|delivered|auto_confirmed|cancelled|cancellation_requested|cancellation_declined|dispute_opened|dispute_resolved|settled)$/.test(key);

describe("award, approval and order messages", () => {
  it("translate, in English and French, every message key the approvals and orders services and the domain's award and order rules produce", () => {
    const keys = messageKeysIn(
      [...sourcesOf("services/src/approvals"), ...sourcesOf("services/src/orders"), sourceOf("domain/src/award.ts"), sourceOf("domain/src/order-status.ts")],
      ["award.", "approval.", "approvalRule.", "order.", "dispute."],
    ).filter((k) => !NOT_MESSAGES.has(k) && !isTemplateName(k));
    expect(keys.length).toBeGreaterThan(60);
    expect(keys).toContain("order.dispute_window_closed");
    expect(keys).toContain("dispute.amount_above_refundable");
    expect(keys.filter((k) => !Object.hasOwn(en, k))).toEqual([]);
    expect(keys.filter((k) => !Object.hasOwn(fr, k))).toEqual([]);
  });

  it("name every event kind of the timeline and every status of a dispute in both languages", () => {
    const kinds = [...sourceOf("services/src/orders/order-events.ts").matchAll(/^ {2}"([a-z_]+)",$/gm)].map((m) => m[1] as string);
    expect(kinds).toContain("dispute_resolved");
    for (const key of [...kinds.map((k) => `order.timeline.kind.${k}`), "disputes.status.open", "disputes.status.resolved"]) {
      expect(Object.hasOwn(en, key), key).toBe(true);
      expect(Object.hasOwn(fr, key), key).toBe(true);
    }
  });
});
