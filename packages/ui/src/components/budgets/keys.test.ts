import { describe, expect, it } from "vitest";
import { en } from "../../i18n/en";
import { fr } from "../../i18n/fr";
import { messageKeysIn, sourceOf, sourcesOf } from "../../i18n/message-key-scan.server";

/** Audit actions and e-mail template names the sources name: not messages. */
const NOT_MESSAGES = new Set(["budget.created", "budget.updated", "budget.deleted"]);

describe("budget messages", () => {
  it("translate, in English and French, every message key the budget services, the approval chain and this folder's pages produce", () => {
    const keys = messageKeysIn(
      [...sourcesOf("services/src/budgets"), sourceOf("services/src/approvals/approval-access.ts"), sourceOf("domain/src/budget.ts"), sourceOf("ui/src/components/budgets/common.tsx"), sourceOf("ui/src/components/budgets/budgets-pages.tsx"), sourceOf("ui/src/components/budgets/approval-chain.tsx")],
      ["budget.", "budgets.", "budgetStatus.", "approval.", "approvals."],
    ).filter((k) => !NOT_MESSAGES.has(k));
    expect(keys.length).toBeGreaterThan(20);
    expect(keys).toContain("budget.exceeded");
    expect(keys).toContain("approval.decided_first_level");
    expect(keys.filter((k) => !Object.hasOwn(en, k))).toEqual([]);
    expect(keys.filter((k) => !Object.hasOwn(fr, k))).toEqual([]);
  });

  it("name every period, reaction and verdict in both languages (the pages build these keys)", () => {
    const built = [
      ...["month", "quarter"].flatMap((p) => [`budgets.period.${p}`, `budgets.period.word.${p}`]),
      ...["approval", "refuse"].map((o) => `budgets.onExceed.${o}`),
      ...["organization", "member"].map((s) => `budgets.scope.${s}`),
      ...["fits", "approval", "refuse"].flatMap((v) => [`budgetStatus.verdict.${v}`, `budgetStatus.summary.${v}`]),
    ];
    for (const key of built) {
      expect(Object.hasOwn(en, key), key).toBe(true);
      expect(Object.hasOwn(fr, key), key).toBe(true);
    }
  });
});
