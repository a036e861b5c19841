import { describe, expect, test } from "vitest";
import { createTestDatabase } from "@souk/testing";
import { dispatchEvent, eventConsumersOf } from "../../events";
import { domainErrorOf, TEST_URLS } from "../../identity/test-support";
import { renderEmail } from "../../notifications/templates";
import { getRfqComparison } from "../buyer/get-rfq-comparison";
import { openFinalRound } from "../buyer/open-final-round";
import { localIn } from "../buyer/test-support";
import { closeRfq } from "./close-rfq";
import { getSellerRfq } from "./get-seller-rfq";
import { verifyRfqChain } from "./receipts";
import { saveOffer } from "./save-offer";
import { buyerOrg, insertRfq, offerForm, rfqSeller, setDeadline } from "./test-support";
import { withdrawOffer } from "./withdraw-offer";

const { db } = await createTestDatabase();
const deps = { db, publicUrls: TEST_URLS };

let outboxId = 100;
function suspended(organizationId: string, decisionId = "42") {
  outboxId += 1;
  return { topic: "seller.suspended", outboxId: String(outboxId), payload: { organizationId, decisionId, reason: "Counterfeit goods.", at: new Date().toISOString() } };
}

async function setStatus(id: string, status: "active" | "suspended") {
  await db.updateTable("organizations").set({ status }).where("id", "=", id).execute();
}

async function buyerMails(buyerId: string) {
  const rows = await db.selectFrom("outbox").select("payload").where("topic", "=", "notification.email").execute();
  return rows.map((r) => r.payload as { template: string; organizationId: string; locale: "en" | "fr"; params: Record<string, string> }).filter((p) => p.organizationId === buyerId);
}

describe("the suspension consumer \"rfqs\"", () => {
  test("withdraws the suspended seller's live offers on open RFQs with receipts, tells each buyer, and runs again harmlessly", async () => {
    expect(eventConsumersOf("seller.suspended").map((c) => c.name)).toContain("rfqs");
    const sealedBuyer = await buyerOrg(db);
    const openBuyer = await buyerOrg(db);
    const s = await rfqSeller(db);
    const other = await rfqSeller(db);
    const sealed = await insertRfq(db, sealedBuyer.id, { sealing: "sealed" });
    const open = await insertRfq(db, openBuyer.id, { sealing: "open" });
    const pastDeadline = await insertRfq(db, sealedBuyer.id);
    const alreadyWithdrawn = await insertRfq(db, sealedBuyer.id);
    await saveOffer(s.sales, offerForm(sealed, {}, "3.00"));
    await saveOffer(other.sales, offerForm(sealed, {}, "3.10"));
    await saveOffer(s.sales, offerForm(open, {}, "3.00"));
    await saveOffer(s.sales, offerForm(open, {}, "2.95"));
    await saveOffer(s.sales, offerForm(pastDeadline, {}, "3.00"));
    await saveOffer(s.sales, offerForm(alreadyWithdrawn, {}, "3.00"));
    await withdrawOffer(s.sales, { rfqId: alreadyWithdrawn.id });
    await setDeadline(db, pastDeadline.id, -1);

    await setStatus(s.id, "suspended");
    // From the suspension on, the seller is refused even before the consumer has run.
    expect((await domainErrorOf(saveOffer(s.sales, offerForm(sealed)))).code).toBe("NOT_FOUND");

    const result = await dispatchEvent(deps, suspended(s.id));
    expect(result.consumers).toEqual(["catalogue", "rfqs", "payouts"]);

    const offers = await db.selectFrom("offers").select(["rfq_id", "seller_id", "status", "revision"]).where("seller_id", "in", [s.id, other.id]).execute();
    const statusOf = (rfqId: string, sellerId: string) => offers.find((o) => o.rfq_id === rfqId && o.seller_id === sellerId)?.status;
    expect(statusOf(sealed.id, s.id)).toBe("withdrawn");
    expect(statusOf(open.id, s.id)).toBe("withdrawn");
    expect(statusOf(sealed.id, other.id)).toBe("submitted");
    // At or after a deadline nothing is withdrawn, whoever asks: the close locks it.
    expect(statusOf(pastDeadline.id, s.id)).toBe("submitted");
    expect(statusOf(alreadyWithdrawn.id, s.id)).toBe("withdrawn");

    for (const rfq of [sealed, open]) {
      const last = await db.selectFrom("offer_revisions").selectAll().where("rfq_id", "=", rfq.id).orderBy("sequence", "desc").executeTakeFirstOrThrow();
      expect(last).toMatchObject({ seller_id: s.id, kind: "withdrawn", recorded_by: null });
      expect(JSON.parse(last.content)).toMatchObject({ kind: "withdrawn", reason: { code: "seller.suspended", decisionId: "42" } });
      expect(last.recorded_at.getTime()).toBeLessThan((await db.selectFrom("rfqs").select("deadline").where("id", "=", rfq.id).executeTakeFirstOrThrow()).deadline!.getTime());
      expect(await verifyRfqChain(db, rfq.id)).toMatchObject({ ok: true });
    }
    expect(await db.selectFrom("offer_revisions").select("kind").where("rfq_id", "=", alreadyWithdrawn.id).orderBy("sequence").execute()).toEqual([{ kind: "submitted" }, { kind: "withdrawn" }]);

    // Each buyer told; the sealed RFQ's buyer without the seller's name, the open one's with it.
    const sealedMails = (await buyerMails(sealedBuyer.id)).filter((m) => m.template === "rfq.offer_withdrawn.suspended");
    const openMails = (await buyerMails(openBuyer.id)).filter((m) => m.template === "rfq.offer_withdrawn.suspended");
    expect(sealedMails).toHaveLength(2);
    expect(openMails).toHaveLength(2);
    for (const m of sealedMails) {
      expect(m.params.sellerName).toBeUndefined();
      expect(JSON.stringify(m)).not.toContain(s.name);
      expect(renderEmail(m.template, m.locale, m.params).text).not.toContain(s.name);
    }
    for (const m of openMails) expect(m.params.sellerName).toBe(s.name);
    const inApp = await db.selectFrom("notifications").select(["organization_id", "template", "body"]).where("template", "=", "rfq.offer_withdrawn.suspended").execute();
    expect(inApp.filter((n) => n.organization_id === sealedBuyer.id).every((n) => !n.body.includes(s.name))).toBe(true);

    // Again (a redelivery, or a retry because another consumer failed): nothing more.
    const receiptsBefore = (await db.selectFrom("offer_revisions").select("id").execute()).length;
    const mailsBefore = (await db.selectFrom("outbox").select("id").where("topic", "=", "notification.email").execute()).length;
    await dispatchEvent(deps, suspended(s.id));
    expect((await db.selectFrom("offer_revisions").select("id").execute()).length).toBe(receiptsBefore);
    expect((await db.selectFrom("outbox").select("id").where("topic", "=", "notification.email").execute()).length).toBe(mailsBefore);
  });

  test("in a best-and-final round: a suspended shortlisted seller's offer, revised or not, is withdrawn and out of the final comparison; an excluded one's is left", async () => {
    const buyer = await buyerOrg(db);
    const [revising, idle, staying, excluded] = [await rfqSeller(db), await rfqSeller(db), await rfqSeller(db), await rfqSeller(db)];
    const rfq = await insertRfq(db, buyer.id, { sealing: "sealed" });
    for (const [seller, price] of [[revising, "1.10"], [idle, "1.20"], [staying, "1.30"], [excluded, "1.40"]] as const) await saveOffer(seller.sales, offerForm(rfq, {}, price));
    await setDeadline(db, rfq.id, -1);
    await closeRfq(deps, { rfqId: rfq.id });
    await openFinalRound(buyer.purchaser, { rfqId: rfq.id, sellerId: [revising.id, idle.id, staying.id], deadline: localIn(60), timeZone: "UTC" });
    await saveOffer(revising.sales, offerForm(rfq, {}, "0.90"));
    for (const seller of [revising, idle, excluded]) {
      await setStatus(seller.id, "suspended");
      await dispatchEvent(deps, suspended(seller.id));
    }
    const statusOf = async (sellerId: string) => (await db.selectFrom("offers").select("status").where("rfq_id", "=", rfq.id).where("seller_id", "=", sellerId).executeTakeFirstOrThrow()).status;
    expect([await statusOf(revising.id), await statusOf(idle.id), await statusOf(staying.id), await statusOf(excluded.id)]).toEqual(["withdrawn", "withdrawn", "locked", "locked"]);
    expect(await verifyRfqChain(db, rfq.id)).toMatchObject({ ok: true });
    await setDeadline(db, rfq.id, -1);
    await closeRfq(deps, { rfqId: rfq.id });
    const comparison = await getRfqComparison(buyer.purchaser, { rfqId: rfq.id });
    expect(JSON.stringify(comparison)).not.toContain(revising.id);
    expect(JSON.stringify(comparison)).not.toContain(idle.id);
    expect(JSON.stringify(comparison)).toContain(staying.id);
  });

  test("a late suspension event after the reinstatement withdraws nothing (it reads the seller's status, not the event)", async () => {
    const buyer = await buyerOrg(db);
    const s = await rfqSeller(db);
    const rfq = await insertRfq(db, buyer.id);
    await setStatus(s.id, "suspended");
    await setStatus(s.id, "active");
    await saveOffer(s.sales, offerForm(rfq));
    await dispatchEvent(deps, suspended(s.id, "7"));
    expect((await db.selectFrom("offers").select("status").where("seller_id", "=", s.id).executeTakeFirstOrThrow()).status).toBe("submitted");
    // And the reinstated seller sees its offer as it left it.
    expect((await getSellerRfq(s.sales, { rfqId: rfq.id })).offer?.status).toBe("submitted");
  });
});
