import { describe, expect, it } from "vitest";
import { renderEmail } from "./templates";

const digest = {
  name: "Leila Chraibi",
  organizationName: "Zeta Foods",
  messageCount: "50",
  conversationCount: "2",
  counterparties: "Rif Emballages, Cartonnerie du Rhône",
  moreCounterparties: "0",
  messagesUrl: "https://buyer.souk.test/messages",
};

describe("conversation digest e-mail", () => {
  it.each(["en", "fr"] as const)("sums up the unread messages in %s with one link", (locale) => {
    const { subject, text } = renderEmail("conversation.digest", locale, digest);
    expect(subject).toBe(locale === "en" ? "50 unread messages on Souk for Zeta Foods" : "50 messages non lus sur Souk pour Zeta Foods");
    expect(text.startsWith(locale === "en" ? "Hello Leila Chraibi," : "Bonjour Leila Chraibi,")).toBe(true);
    expect(text).toContain("Rif Emballages, Cartonnerie du Rhône");
    expect(text).toContain("\nhttps://buyer.souk.test/messages\n");
  });

  it("says one message in the singular, names how many more organisations, and keeps a name on one line", () => {
    const one = renderEmail("conversation.digest", "en", { ...digest, messageCount: "1", conversationCount: "1", counterparties: "Evil\nClick http://x", moreCounterparties: "3" });
    expect(one.subject).toBe("1 unread message on Souk for Zeta Foods");
    expect(one.text).toContain("You have 1 unread message in 1 conversation of Zeta Foods, from Evil Click http://x and 3 more.");
    expect(renderEmail("conversation.digest", "fr", { ...digest, moreCounterparties: "2" }).text).toContain("et 2 autres.");
  });

  it("refuses parameters that are not counts", () => {
    expect(() => renderEmail("conversation.digest", "en", { ...digest, messageCount: "many" })).toThrow();
  });
});
