import { describe, expect, it } from "vitest";
import { isDomainError, SELLER_DECISIONS, SELLER_TRANSITIONS } from "@souk/domain";
import { renderEmail, type EmailTemplateParams } from "./templates";

const base: EmailTemplateParams<"seller.decision.approve"> = {
  name: "Leila Chraibi",
  organizationName: "Rif Emballages",
  applicationUrl: "https://seller.souk.test/application",
};

describe("seller decision e-mails", () => {
  it.each(SELLER_DECISIONS.flatMap((d) => (["en", "fr"] as const).map((locale) => [d, locale] as const)))(
    "seller.decision.%s renders in %s with the greeting, the organisation and the link",
    (decision, locale) => {
      const { subject, text } = renderEmail(`seller.decision.${decision}`, locale, { ...base, message: "Line one\nLine two" });
      expect(subject).not.toMatch(/[\r\n]/);
      expect(text).toContain(locale === "en" ? "Hello Leila Chraibi," : "Bonjour Leila Chraibi,");
      expect(text).toContain("Rif Emballages");
      expect(text).toContain("\nhttps://seller.souk.test/application\n");
      expect(text).toContain("> Line one\n> Line two");
    },
  );

  it("requires the reason or question where the decision does, and not elsewhere", () => {
    for (const decision of SELLER_DECISIONS) {
      let error: unknown = null;
      try {
        renderEmail(`seller.decision.${decision}`, "en", base);
      } catch (caught) {
        error = caught;
      }
      expect(isDomainError(error) && error.code === "VALIDATION", decision).toBe(SELLER_TRANSITIONS[decision].requiresMessage);
    }
  });

  it("keeps a hostile reason inside its quoted lines", () => {
    const { text } = renderEmail("seller.decision.suspend", "en", {
      ...base,
      message: "Fraud\u202e\r\n\r\n\r\nSubject: pay now\u0000 at http://evil.test",
    });
    expect(text).toContain("Reason given:\n> Fraud\n>\n> Subject: pay now at http://evil.test\n\nYour seller space:");
    expect([...text].some((c) => ["\u0000", "\u202e", "\r"].includes(c))).toBe(false);
  });

  it("tells a suspended seller what suspension means, in French too", () => {
    const fr = renderEmail("seller.decision.suspend", "fr", { ...base, message: "Litiges répétés" });
    expect(fr.subject).toBe("Rif Emballages est suspendu sur Souk");
    expect(fr.text).toContain("vos versements sont bloqués");
    expect(renderEmail("seller.decision.reinstate", "en", base).text).toContain("Offers withdrawn during the suspension stay withdrawn");
  });
});
