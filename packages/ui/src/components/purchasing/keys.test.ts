import { describe, expect, it } from "vitest";
import { en } from "../../i18n/en";
import { fr } from "../../i18n/fr";
import { messageKeysIn, sourcesOf } from "../../i18n/message-key-scan.server";

/** E-mail template names the sources name: not messages. */
const NOT_MESSAGES = new Set(["purchase.order_placed", "purchase.rejected", "purchase.cannot_place"]);

/** Keys the address schema builds from its field names (`address.${key}_required`...), which a scan cannot see. */
const ADDRESS_KEYS = ["label", "recipient", "line1", "postal_code", "city"].flatMap((f) => [`address.${f}_required`, `address.${f}_too_long`, `address.${f}_invalid`]);

describe("purchasing messages", () => {
  it("translate, in English and French, every message key the purchasing services produce", () => {
    const keys = [
      ...messageKeysIn(sourcesOf("services/src/purchasing"), ["address.", "cart.", "checkout.", "purchase.", "quickOrder.", "requisitionList."]).filter((k) => !NOT_MESSAGES.has(k)),
      ...ADDRESS_KEYS,
      "address.line2_too_long",
      "address.country_required",
      "address.country_invalid",
    ];
    expect(keys.length).toBeGreaterThan(60);
    expect(keys).toContain("quickOrder.ambiguous");
    expect(keys).toContain("checkout.stock_short");
    expect(keys.filter((k) => !Object.hasOwn(en, k))).toEqual([]);
    expect(keys.filter((k) => !Object.hasOwn(fr, k))).toEqual([]);
  });

  it("keep every placeholder of a message in its French version", () => {
    const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    const ours = Object.keys(en).filter((k) => /^(address|addresses|cart|checkout|purchase|purchases|quickOrder|requisitionList|requisitionLists|listingPurchase|purchasingNav|flash\.purchasing)\./.test(k));
    expect(ours.length).toBeGreaterThan(250);
    for (const key of ours) expect(placeholders(fr[key as keyof typeof fr]), key).toEqual(placeholders(en[key as keyof typeof en]));
  });
});
