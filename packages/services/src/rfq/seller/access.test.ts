import { describe, expect, test } from "vitest";
import { createTestDatabase } from "@souk/testing";
import { domainErrorOf } from "../../identity/test-support";
import { askQuestion } from "./ask-question";
import { exportOfferReceipts } from "./export-offer-receipts";
import { getSellerRfq } from "./get-seller-rfq";
import { listRfqInbox } from "./list-rfq-inbox";
import { saveOffer } from "./save-offer";
import { buyerOrg, insertRfq, offerForm, offerSnapshot, rfqSeller } from "./test-support";
import { withdrawOffer } from "./withdraw-offer";

const { db } = await createTestDatabase();

describe("who sees an RFQ", () => {
  test("only an active seller of the category, or invited; everyone else gets NOT_FOUND from every use case, and an empty inbox", async () => {
    const buyer = await buyerOrg(db);
    const rfq = await insertRfq(db, buyer.id, { categorySlug: "packaging-boxes" });
    const invitedOnly = await insertRfq(db, buyer.id, { visibility: "invited" });
    const draft = await insertRfq(db, buyer.id, { status: "draft" });

    const serving = await rfqSeller(db, { categorySlugs: ["packaging-boxes"] });
    const parentServing = await rfqSeller(db, { categorySlugs: ["packaging"] });
    const otherCategory = await rfqSeller(db, { categorySlugs: ["packaging-film"] });
    const pending = await rfqSeller(db, { status: "pending" });
    const suspended = await rfqSeller(db, { status: "suspended" });
    const invited = await rfqSeller(db, { categorySlugs: ["packaging-film"] });
    await db.insertInto("rfq_invitations").values({ rfq_id: invitedOnly.id, seller_id: invited.id }).execute();

    expect((await getSellerRfq(serving.sales, { rfqId: rfq.id })).rfq.id).toBe(rfq.id);
    // A seller of the parent category answers its children's RFQs.
    expect((await getSellerRfq(parentServing.sales, { rfqId: rfq.id })).rfq.id).toBe(rfq.id);
    expect((await getSellerRfq(invited.sales, { rfqId: invitedOnly.id })).rfq.invited).toBe(true);

    const before = await offerSnapshot(db);
    const refusedCalls = [
      [otherCategory, rfq],
      [pending, rfq],
      [suspended, rfq],
      [serving, invitedOnly],
      [serving, draft],
      [invited, rfq],
    ] as const;
    for (const [s, r] of refusedCalls) {
      for (const call of [
        () => getSellerRfq(s.sales, { rfqId: r.id }),
        () => saveOffer(s.sales, offerForm(r)),
        () => withdrawOffer(s.sales, { rfqId: r.id }),
        () => askQuestion(s.sales, { rfqId: r.id, question: "Which flute?" }),
        () => exportOfferReceipts(s.sales, { rfqId: r.id }),
      ]) {
        expect((await domainErrorOf(call())).code).toBe("NOT_FOUND");
      }
    }
    // Not even an id: NOT_FOUND as well; a buyer or an operator member: FORBIDDEN.
    expect((await domainErrorOf(getSellerRfq(serving.sales, { rfqId: "nope" }))).code).toBe("NOT_FOUND");
    expect((await domainErrorOf(getSellerRfq(buyer.admin, { rfqId: rfq.id }))).code).toBe("FORBIDDEN");
    expect((await domainErrorOf(saveOffer(buyer.purchaser, offerForm(rfq)))).code).toBe("FORBIDDEN");
    expect((await offerSnapshot(db)).counts).toEqual(before.counts);

    const inboxIds = async (s: typeof serving) => (await listRfqInbox(s.sales, {})).items.map((i) => i.id);
    expect(await inboxIds(serving)).toEqual([rfq.id]);
    expect(await inboxIds(invited)).toEqual([invitedOnly.id]);
    expect(await inboxIds(otherCategory)).toEqual([]);
    for (const s of [pending, suspended]) expect(await listRfqInbox(s.sales, {})).toMatchObject({ sellerActive: false, items: [], total: 0 });
  });

  test("a seller never reads or changes another seller's offer, whatever ids it sends", async () => {
    const buyer = await buyerOrg(db);
    const rfq = await insertRfq(db, buyer.id);
    const a = await rfqSeller(db);
    const b = await rfqSeller(db);
    const offerA = await saveOffer(a.sales, offerForm(rfq, { notes: "A's note" }, "4.00"));
    const rowBefore = await db.selectFrom("offers").selectAll().where("id", "=", offerA.offerId).executeTakeFirstOrThrow();

    // B names A's offer and A's organisation in the form: it writes its own offer, never A's.
    const offerB = await saveOffer(b.sales, offerForm(rfq, { offerId: offerA.offerId, sellerId: a.id, organizationId: a.id }, "5.00"));
    expect(offerB.offerId).not.toBe(offerA.offerId);
    await withdrawOffer(b.sales, { rfqId: rfq.id, offerId: offerA.offerId } as { rfqId: string });
    expect(await db.selectFrom("offers").selectAll().where("id", "=", offerA.offerId).executeTakeFirstOrThrow()).toEqual(rowBefore);
    expect((await db.selectFrom("offers").select("status").where("id", "=", offerB.offerId).executeTakeFirstOrThrow()).status).toBe("withdrawn");

    // B's page and export carry nothing of A's offer.
    const view = await getSellerRfq(b.sales, { rfqId: rfq.id });
    const exported = (await exportOfferReceipts(b.sales, { rfqId: rfq.id })).json;
    for (const text of [JSON.stringify(view), exported]) {
      expect(text).not.toContain(offerA.offerId);
      // (A's receipt hash may appear as the previousHash of B's next receipt: that is the chain, and a
      // hash over content holding A's random offer id tells nothing of it.)
      expect(text).not.toContain("A's note");
      expect(text).not.toContain(a.name);
      expect(text).not.toContain('"amountMinor":"400"');
      expect(text).not.toContain('"unitPriceMinor\\":\\"400\\"');
    }
    expect(JSON.parse(exported).receipts).toHaveLength(2);
  });

  test("sealed: a competitor's page, before the close, holds no price, no name, no count of other offers", async () => {
    const buyer = await buyerOrg(db);
    const rfq = await insertRfq(db, buyer.id, { sealing: "sealed" });
    const a = await rfqSeller(db);
    const b = await rfqSeller(db);
    await saveOffer(a.sales, offerForm(rfq, { notes: "Secret terms of A" }, "8765.43"));
    await saveOffer(a.sales, offerForm(rfq, { notes: "Secret terms of A" }, "8764.21"));
    const view = await getSellerRfq(b.sales, { rfqId: rfq.id });
    expect(view.offer).toBeNull();
    expect(view.receipts).toEqual([]);
    expect(view.ranks).toBeNull();
    expect(view.chain).toBeNull();
    const text = JSON.stringify(view);
    // Prices no id or timestamp can hold by chance (a short one such as 766 once matched a random uuid).
    for (const leak of ["8765.43", "876543", "876421", "Secret terms", a.name, a.id]) expect(text).not.toContain(leak);
    const inbox = JSON.stringify(await listRfqInbox(b.sales, {}));
    for (const leak of ["876543", "876421", a.name, a.id]) expect(inbox).not.toContain(leak);
  });

  test("open bidding: the seller sees its own rank per line while open, nothing else about the others", async () => {
    const buyer = await buyerOrg(db);
    const rfq = await insertRfq(db, buyer.id, { sealing: "open", lines: [100, 20] });
    const a = await rfqSeller(db);
    const b = await rfqSeller(db);
    const c = await rfqSeller(db);
    await saveOffer(a.sales, offerForm(rfq, {}, "5.00"));
    await saveOffer(b.sales, offerForm(rfq, { "lines.1.unitPrice": "", "lines.1.quantity": "" }, "4.00"));
    await saveOffer(c.sales, offerForm(rfq, {}, "6.00"));
    const ranks = async (s: typeof a) => (await getSellerRfq(s.sales, { rfqId: rfq.id })).ranks;
    expect(await ranks(a)).toEqual([
      { lineId: rfq.lineIds[0], rank: 2 },
      { lineId: rfq.lineIds[1], rank: 1 },
    ]);
    expect(await ranks(b)).toEqual([{ lineId: rfq.lineIds[0], rank: 1 }]);
    // A withdrawn offer leaves the ranking.
    await withdrawOffer(b.sales, { rfqId: rfq.id });
    expect(await ranks(a)).toEqual([
      { lineId: rfq.lineIds[0], rank: 1 },
      { lineId: rfq.lineIds[1], rank: 1 },
    ]);
    expect(await ranks(b)).toBeNull();
    const text = JSON.stringify(await getSellerRfq(a.sales, { rfqId: rfq.id }));
    for (const leak of ['"amountMinor":"600"', '"amountMinor":"400"', c.name, b.name]) expect(text).not.toContain(leak);
  });

  test("questions: asked while open, the buyer told; others' questions shown only once answered publicly", async () => {
    const buyer = await buyerOrg(db);
    const rfq = await insertRfq(db, buyer.id);
    const a = await rfqSeller(db);
    const b = await rfqSeller(db);
    const { questionId } = await askQuestion(a.sales, { rfqId: rfq.id, question: "  Which flute do you need?  " });
    await askQuestion(b.sales, { rfqId: rfq.id, question: "Can we deliver in two lots?" });
    const mails = (await db.selectFrom("outbox").select("payload").where("topic", "=", "notification.email").execute())
      .map((r) => r.payload as { template: string; organizationId: string; params: Record<string, string> })
      .filter((p) => p.template === "rfq.question_asked");
    // Admin and purchaser, for each question; the viewer is not told; no seller named.
    expect(mails.filter((m) => m.params.question === "Which flute do you need?")).toHaveLength(2);
    expect(mails.every((m) => m.organizationId === buyer.id && !JSON.stringify(m).includes(a.name))).toBe(true);

    const seenByB = async () => (await getSellerRfq(b.sales, { rfqId: rfq.id })).questions.map((q) => [q.question, q.mine, q.answer]);
    expect(await seenByB()).toEqual([["Can we deliver in two lots?", true, null]]);
    await db.updateTable("rfq_questions").set({ answer: "C flute.", answer_visibility: "private", answered_at: new Date() }).where("id", "=", questionId).execute();
    expect(await seenByB()).toEqual([["Can we deliver in two lots?", true, null]]);
    expect((await getSellerRfq(a.sales, { rfqId: rfq.id })).questions[0]).toMatchObject({ answer: "C flute.", answerVisibility: "private", mine: true });
    await db.updateTable("rfq_questions").set({ answer_visibility: "public" }).where("id", "=", questionId).execute();
    expect(await seenByB()).toEqual([
      ["Which flute do you need?", false, "C flute."],
      ["Can we deliver in two lots?", true, null],
    ]);

    for (const [question, key] of [["", "question.required"], ["x".repeat(2_001), "question.too_long"]] as const) {
      expect((await domainErrorOf(askQuestion(a.sales, { rfqId: rfq.id, question }))).fieldErrors).toEqual({ question: [key] });
    }
    const closed = await insertRfq(db, buyer.id, { status: "closed", deadlineInMs: -1_000 });
    expect((await domainErrorOf(askQuestion(a.sales, { rfqId: closed.id, question: "Too late?" }))).fieldErrors).toEqual({ offer: ["offer.rfq_not_open"] });
    const due = await insertRfq(db, buyer.id, { deadlineInMs: -1 });
    expect((await domainErrorOf(askQuestion(a.sales, { rfqId: due.id, question: "Too late?" }))).fieldErrors).toEqual({ offer: ["offer.deadline_passed"] });
  });
});
