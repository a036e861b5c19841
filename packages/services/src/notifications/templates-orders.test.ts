import { describe, expect, it } from "vitest";
import type { ORDER_TEMPLATES } from "./templates-orders";
import { renderEmail } from "./templates";

const order = { name: "Leila Chraibi", orderReference: "ORD-000042", counterpartyName: "Rif Emballages", orderUrl: "https://buyer.souk.test/orders/42" };
const SAMPLES: Record<keyof typeof ORDER_TEMPLATES, Record<string, string>> = {
  "order.accepted": order,
  "order.rejected": { ...order, reason: "No stock\nSorry" },
  "order.shipped": { ...order, carrier: "DHL", trackingReference: "JD000123" },
  "order.delivered": { ...order, confirmedBy: "auto" },
  "order.auto_confirmed": { ...order, disputeDays: "14" },
  "order.cancelled": { ...order, reason: "Ordered twice" },
  "order.cancellation_requested": { ...order, reason: "Project postponed" },
  "order.cancellation_declined": { ...order, note: "Already packed" },
  "order.dispute_opened": { ...order, reason: "Crushed boxes" },
  "order.dispute_resolved": { ...order, resolution: "partial_refund", refundMinor: "2500", currency: "EUR", note: "One box missing" },
  "dispute.opened": { name: "Mona", orderReference: "ORD-000042", buyerName: "Zeta Foods", sellerName: "Rif Emballages", amountMinor: "10000", currency: "EUR", reason: "Crushed", disputeUrl: "https://operator.souk.test/disputes/1" },
};

describe("order lifecycle e-mails", () => {
  it.each(Object.keys(SAMPLES).flatMap((name) => (["en", "fr"] as const).map((locale) => [name, locale] as const)))("%s renders in %s with the greeting, the order and the link", (name, locale) => {
    const { subject, text } = renderEmail(name, locale, SAMPLES[name as keyof typeof SAMPLES]);
    expect(subject).not.toMatch(/[\r\n]/);
    expect(subject).toContain("ORD-000042");
    expect(text.startsWith(locale === "en" ? "Hello " : "Bonjour ")).toBe(true);
    expect(text).toMatch(/\nhttps:\/\/(buyer|operator)\.souk\.test\/(orders|disputes)\/\d+\n/);
  });

  it("states the refund in the reader's language, and none for a release", () => {
    expect(renderEmail("order.dispute_resolved", "en", SAMPLES["order.dispute_resolved"]).text).toContain("a partial refund of €25.00 to the buyer");
    expect(renderEmail("order.dispute_resolved", "fr", SAMPLES["order.dispute_resolved"]).text).toMatch(/un remboursement partiel de 25,00\s€ à l'acheteur/);
    expect(renderEmail("order.dispute_resolved", "en", { ...SAMPLES["order.dispute_resolved"], resolution: "release", refundMinor: "0" }).text).toContain("the payment is released to the seller.");
  });

  it("keeps a hostile reason inside its quoted lines and a hostile name on one line", () => {
    const { subject, text } = renderEmail("order.rejected", "en", { ...order, counterpartyName: "Evil\r\nBcc: x@y", reason: "No\u202e\r\n\r\nClick http://evil.test" });
    expect(subject).not.toMatch(/[\r\n]/);
    expect(text).toContain("Reason given:\n> No\n>\n> Click http://evil.test\n");
    expect([...text].some((c) => ["\u202e", "\r"].includes(c))).toBe(false);
  });
});
