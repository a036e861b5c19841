import { describe, expect, it } from "vitest";
import { en } from "../../i18n/en";
import { fr } from "../../i18n/fr";
import { messageKeysIn, sourcesOf } from "../../i18n/message-key-scan.server";

describe("operator RFQ messages", () => {
  it("translate, in English and French, every message key the operator's RFQ services produce", () => {
    const keys = messageKeysIn(sourcesOf("services/src/rfq/operator"), ["rfq.filter."]);
    expect(keys).toEqual(expect.arrayContaining(["rfq.filter.buyer_invalid", "rfq.filter.date_invalid", "rfq.filter.range_invalid", "rfq.filter.status_invalid"]));
    expect(keys.filter((k) => !Object.hasOwn(en, k))).toEqual([]);
    expect(keys.filter((k) => !Object.hasOwn(fr, k))).toEqual([]);
  });
});
