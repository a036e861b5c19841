import { describe, expect, test } from "vitest";
import { createTestDatabase } from "@souk/testing";
import type { ActorDeps } from "../../deps";
import { domainErrorOf, TEST_URLS } from "../../identity/test-support";
import { closeRfq } from "../seller/close-rfq";
import { exportOfferReceipts } from "../seller/export-offer-receipts";
import { getSellerRfq } from "../seller/get-seller-rfq";
import { listRfqInbox } from "../seller/list-rfq-inbox";
import { saveOffer } from "../seller/save-offer";
import { buyerOrg, insertRfq, offerForm, rfqSeller, setDeadline } from "../seller/test-support";
import { withdrawOffer } from "../seller/withdraw-offer";
import { getSellerNegotiation } from "../../negotiation/get-seller-negotiation";
import { sendCounter } from "../../negotiation/send-counter";
import { counterForm, fromNow } from "../../negotiation/test-support";
import { openFinalRound } from "./open-final-round";
import { createRfq } from "./create-rfq";
import { exportRfqComparisonCsv } from "./export-rfq-comparison-csv";
import { getBuyerRfq, getBuyerRfqLive } from "./get-buyer-rfq";
import { getRfqComparison } from "./get-rfq-comparison";
import { listBuyerRfqs } from "./list-buyer-rfqs";
import { activeSeller, buyerMember, categoryIdOf, closeDirectly, insertOffer, insertQuestion, lineIdsOf, localIn, rfqForm } from "./test-support";

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

describe("a best-and-final round on a sealed RFQ, before its deadline", () => {
  /**
   * Every response the buyer and the competing sellers (one shortlisted, one off the shortlist) can
   * get, volatile clock fields set aside. Refusals are kept as their code and field errors.
   */
  async function responses(buyer: ActorDeps, rfqId: string, competitors: ActorDeps[]) {
    const refusal = async (call: Promise<unknown>) => {
      const error = await domainErrorOf(call);
      return { code: error.code, fieldErrors: error.fieldErrors, message: error.message };
    };
    const out: Record<string, unknown> = {
      buyerPage: await getBuyerRfq(buyer, { rfqId }),
      buyerLive: await getBuyerRfqLive(buyer, { rfqId }),
      buyerList: await listBuyerRfqs(buyer, {}),
      comparison: await refusal(getRfqComparison(buyer, { rfqId })),
      csv: await refusal(exportRfqComparisonCsv(buyer, { rfqId, locale: "fr" })),
    };
    for (const [i, seller] of competitors.entries()) {
      out[`seller${i}Page`] = await getSellerRfq(seller, { rfqId });
      out[`seller${i}Inbox`] = await listRfqInbox(seller, {});
      out[`seller${i}Receipts`] = JSON.parse((await exportOfferReceipts(seller, { rfqId })).json) as unknown;
      out[`seller${i}Withdraw`] = await refusal(withdrawOffer(seller, { rfqId }));
      out[`seller${i}Negotiation`] = await getSellerNegotiation(seller, { rfqId });
    }
    const notices = await db.selectFrom("notifications").select(["organization_id", "template", "subject", "body"]).orderBy("created_at").orderBy("id").execute();
    out.notices = notices.filter((n) => [buyer, ...competitors].some((d) => d.actor.organizationId === n.organization_id));
    return JSON.parse(JSON.stringify(out, (key, v: unknown) => (key === "serverNow" || key === "exportedAt" ? undefined : v))) as Record<string, unknown>;
  }

  test("every buyer and competing-seller response carries nothing new while shortlisted sellers revise, and nothing of their final offers", async () => {
    const buyer = await buyerOrg(db);
    const [alpha, beta, gamma] = [await rfqSeller(db), await rfqSeller(db), await rfqSeller(db)];
    const rfq = await insertRfq(db, buyer.id, { sealing: "sealed" });
    await saveOffer(alpha.sales, offerForm(rfq, {}, "1.10"));
    await saveOffer(beta.sales, offerForm(rfq, {}, "1.20"));
    const gammaOffer = await saveOffer(gamma.sales, offerForm(rfq, {}, "1.30"));
    await setDeadline(db, rfq.id, -1);
    await closeRfq({ db, publicUrls: TEST_URLS }, { rfqId: rfq.id });
    // Gamma, left off the shortlist, has a counter-proposal waiting: its negotiation page must not change with the round.
    await sendCounter(buyer.purchaser, counterForm(rfq, gammaOffer.offerId, { 0: { price: "1.00" } }, fromNow(24 * 3_600_000)));
    const gammaNegotiation = async () => JSON.parse(JSON.stringify(await getSellerNegotiation(gamma.sales, { rfqId: rfq.id }), (key, v: unknown) => (key === "serverNow" ? undefined : v))) as unknown;
    const gammaBeforeRound = await gammaNegotiation();
    expect(gammaBeforeRound).toMatchObject({ rfq: { status: "closed" }, canAnswer: true, answerBlockedBy: null, counters: [{ status: "pending" }] });
    await openFinalRound(buyer.purchaser, { rfqId: rfq.id, sellerId: [alpha.id, beta.id], deadline: localIn(120), timeZone: "UTC" });
    expect(await gammaNegotiation()).toEqual(gammaBeforeRound);

    // Alpha is the shortlisted competitor, gamma the one off the shortlist; beta writes.
    const before = await responses(buyer.purchaser, rfq.id, [alpha.sales, gamma.sales]);
    const buyerPage = before.buyerPage as { offers: unknown; offersVisible: boolean; receipts: unknown; status: string; finalRound: { sellers: { id: string }[] } };
    expect(buyerPage).toMatchObject({ status: "final_round", offers: null, offersVisible: false, receipts: null });
    expect(buyerPage.finalRound.sellers.map((s) => s.id).sort()).toEqual([alpha.id, beta.id].sort());
    expect(before.comparison).toMatchObject({ code: "CONFLICT", fieldErrors: { _form: ["rfq.comparison_not_available"] } });

    // Beta's final offer, revised three times with prices that appear nowhere else: long enough
    // that no id (hex) or timestamp ("…:41.071Z") can contain one by chance, as "41.07" once did.
    const prices = ["8642.97", "8531.86", "8420.75"];
    const secrets = prices.flatMap((p) => [p, p.replace(".", ""), String(Number(p.replace(".", "")) * 120)]);
    for (const price of prices) await saveOffer(beta.sales, offerForm(rfq, { notes: `Beta final ${price}` }, price));
    const after = await responses(buyer.purchaser, rfq.id, [alpha.sales, gamma.sales]);
    expect(after).toEqual(before);
    expect(leaked(after, [...secrets, "Beta final"])).toEqual([]);
    expect(JSON.stringify(after.seller0Page)).not.toContain(beta.id);
    expect(JSON.stringify(after.seller1Page)).not.toContain(beta.id);
    expect(await gammaNegotiation()).toEqual(gammaBeforeRound);

    // At the deadline, the buyer sees the final offers (and the others' drop out).
    await setDeadline(db, rfq.id, -1);
    await closeRfq({ db, publicUrls: TEST_URLS }, { rfqId: rfq.id });
    const view = await getBuyerRfq(buyer.purchaser, { rfqId: rfq.id });
    expect(view.offers?.find((o) => o.seller.id === beta.id)?.total.amountMinor).toBe(String(842075 * 120));
    expect(view.offers?.map((o) => o.seller.id).sort()).toEqual([alpha.id, beta.id].sort());
  });
});
