import { describe, expect, test } from "vitest";
import { createTestDatabase } from "@souk/testing";
import { domainErrorOf } from "../../identity/test-support";
import { createRfq } from "./create-rfq";
import { exportRfqComparisonCsv } from "./export-rfq-comparison-csv";
import { getBuyerRfq, getBuyerRfqLive } from "./get-buyer-rfq";
import { getRfqComparison } from "./get-rfq-comparison";
import { listBuyerRfqs } from "./list-buyer-rfqs";
import { activeSeller, buyerMember, categoryIdOf, closeDirectly, insertOffer, insertQuestion, lineIdsOf, rfqForm } from "./test-support";

const { db } = await createTestDatabase();
const boxes = await categoryIdOf(db, "packaging-boxes");

/**
 * A published RFQ with two offers from sellers with unmistakable names and prices (and a
 * withdrawn third), and a question from one of them. Each secret is a string that must not appear
 * in what the buyer can read before the close.
 */
async function rfqWithOffers(sealing: "sealed" | "open") {
  const purchaser = await buyerMember(db);
  const { id } = await createRfq(purchaser, { ...rfqForm(boxes, { sealing }), intent: "publish" });
  const [l1, l2] = (await lineIdsOf(db, id)) as [string, string];
  const alpha = await activeSeller(db);
  const beta = await activeSeller(db);
  const gamma = await activeSeller(db);
  const tag = Date.now().toString(36);
  for (const [s, name] of [[alpha, `Alphacorrugated ${tag}`], [beta, `Betaboxworks ${tag}`], [gamma, `Gammacartons ${tag}`]] as const) {
    await db.updateTable("organizations").set({ name }).where("id", "=", s.id).execute();
  }
  await insertOffer(db, id, alpha.id, { lines: [[l1, 1000, 987_654], [l2, 500, 876_543]], leadTimeDays: 17 });
  await insertOffer(db, id, beta.id, { status: "revised", lines: [[l1, 900, 765_432]], leadTimeDays: 23 });
  await insertOffer(db, id, gamma.id, { status: "withdrawn", lines: [[l1, 1000, 654_321]] });
  await insertQuestion(db, id, alpha.id, "Do you accept recycled board?");
  const secrets = [`Alphacorrugated ${tag}`, `Betaboxworks ${tag}`, `Gammacartons ${tag}`, "987654", "9876.54", "876543", "8765.43", "765432", "7654.32", "654321", alpha.id, beta.id, gamma.id];
  return { purchaser, id, secrets, alpha, beta };
}

const leaked = (value: unknown, secrets: readonly string[]) => {
  const text = JSON.stringify(value);
  return secrets.filter((s) => text.includes(s));
};

describe("a sealed RFQ before it closes", () => {
  test("the buyer's page, its live snapshot and its list show the count of live offers and nothing else of any offer", async () => {
    const { purchaser, id, secrets } = await rfqWithOffers("sealed");
    const view = await getBuyerRfq(purchaser, { rfqId: id });
    expect(view.offerCount).toBe(2);
    expect(view.offersVisible).toBe(false);
    expect(view.offers).toBeNull();
    expect(view.receipts).toBeNull();
    // Who asked is not shown either: that would say who is competing.
    expect(view.questions).toEqual([expect.objectContaining({ question: "Do you accept recycled board?", askedBy: null })]);
    expect(leaked(view, secrets)).toEqual([]);
    expect(leaked(await getBuyerRfqLive(purchaser, { rfqId: id }), secrets)).toEqual([]);
    const list = await listBuyerRfqs(purchaser, {});
    expect(list.items[0]?.offerCount).toBe(2);
    expect(leaked(list, secrets)).toEqual([]);
  });

  test("the comparison and its export are refused, with no figure in the refusal", async () => {
    const { purchaser, id, secrets } = await rfqWithOffers("sealed");
    for (const call of [() => getRfqComparison(purchaser, { rfqId: id }), () => exportRfqComparisonCsv(purchaser, { rfqId: id, locale: "fr" })]) {
      const error = await domainErrorOf(call());
      expect(error).toMatchObject({ code: "CONFLICT", fieldErrors: { _form: ["rfq.comparison_not_available"] } });
      expect(leaked({ message: error.message, fieldErrors: error.fieldErrors }, secrets)).toEqual([]);
    }
  });

  test("once closed, the buyer sees every final offer with its seller and prices, and the receipts chain's head", async () => {
    const { purchaser, id, alpha, beta } = await rfqWithOffers("sealed");
    await db.updateTable("rfqs").set({ chain_head: "a".repeat(64), chain_length: 3 }).where("id", "=", id).execute();
    await closeDirectly(db, id);
    const view = await getBuyerRfq(purchaser, { rfqId: id });
    expect(view.offersVisible).toBe(true);
    expect(view.offerCount).toBe(2);
    expect(view.offers?.map((o) => [o.seller.id, o.status, o.total.amountMinor])).toEqual([
      [beta.id, "locked", String(900 * 765_432)],
      [alpha.id, "locked", String(1000 * 987_654 + 500 * 876_543)],
    ]);
    expect(view.questions[0]?.askedBy).toContain("Alphacorrugated");
    expect(view.receipts).toEqual({ chainHead: "a".repeat(64), chainLength: 3, verifiedAt: null });
    expect(view.can.compare).toBe(true);
    expect(view.moves).toEqual(["award"]);
  });
});

describe("open bidding", () => {
  test("the buyer sees live offers as they come, with sellers and prices, never the withdrawn one", async () => {
    const { purchaser, id, alpha, beta } = await rfqWithOffers("open");
    const view = await getBuyerRfq(purchaser, { rfqId: id });
    expect(view.offersVisible).toBe(true);
    expect(view.offers?.map((o) => o.seller.id).sort()).toEqual([alpha.id, beta.id].sort());
    const alphaOffer = view.offers?.find((o) => o.seller.id === alpha.id);
    expect(alphaOffer?.lines.map((l) => [l.quantity, l.unitPrice.amountMinor, l.lineTotal.amountMinor])).toEqual(
      expect.arrayContaining([
        [1000, "987654", String(1000 * 987_654)],
        [500, "876543", String(500 * 876_543)],
      ]),
    );
    expect(JSON.stringify(view)).not.toContain("Gammacartons");
    expect(view.questions[0]?.askedBy).toContain("Alphacorrugated");
    // Still open: no comparison yet.
    expect((await domainErrorOf(getRfqComparison(purchaser, { rfqId: id }))).code).toBe("CONFLICT");
  });
});
