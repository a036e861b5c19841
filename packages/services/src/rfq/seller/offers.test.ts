import { sql } from "kysely";
import { describe, expect, test } from "vitest";
import { createTestDatabase } from "@souk/testing";
import { domainErrorOf } from "../../identity/test-support";
import { renderEmail } from "../../notifications/templates";
import { getSellerRfq } from "./get-seller-rfq";
import { canonicalJson, receiptHash, verifyRfqChain } from "./receipts";
import { saveOffer } from "./save-offer";
import { buyerOrg, insertRfq, offerForm, offerSnapshot, rfqSeller, setDeadline } from "./test-support";
import { withdrawOffer } from "./withdraw-offer";

const { db } = await createTestDatabase();

describe("offers and their receipts", () => {
  test("submit, revise, withdraw and submit again: one offers row, every version a receipt of one chain", async () => {
    const buyer = await buyerOrg(db);
    const s = await rfqSeller(db);
    const rfq = await insertRfq(db, buyer.id);

    const first = await saveOffer(s.sales, offerForm(rfq, {}, "1.25"));
    expect(first).toMatchObject({ status: "submitted", revision: 1, extended: false, receipt: { revision: 1 } });
    const revised = await saveOffer(s.owner, offerForm(rfq, { notes: "Cheaper." }, "1.10", [100, 10]));
    expect(revised).toMatchObject({ offerId: first.offerId, status: "revised", revision: 2, receipt: { revision: 2 } });
    const withdrawn = await withdrawOffer(s.sales, { rfqId: rfq.id });
    expect(withdrawn).toMatchObject({ offerId: first.offerId, status: "withdrawn", revision: 2, receipt: { revision: 2 } });
    const again = await saveOffer(s.sales, offerForm(rfq, {}, "1.05"));
    expect(again).toMatchObject({ offerId: first.offerId, status: "submitted", revision: 3, receipt: { revision: 3 } });

    const offers = await db.selectFrom("offers").selectAll().where("rfq_id", "=", rfq.id).execute();
    expect(offers).toHaveLength(1);
    expect(offers[0]).toMatchObject({ status: "submitted", revision: 3, total_minor: String(105 * 100 + 105 * 20), withdrawn_at: null, currency: "EUR", lead_time_days: 10 });
    const lines = await db.selectFrom("offer_lines").select(["line_id", "unit_price_minor", "quantity"]).where("offer_id", "=", first.offerId).orderBy("quantity", "desc").execute();
    expect(lines).toEqual([
      { line_id: rfq.lineIds[0], unit_price_minor: "105", quantity: 100 },
      { line_id: rfq.lineIds[1], unit_price_minor: "105", quantity: 20 },
    ]);

    const receipts = await db.selectFrom("offer_revisions").selectAll().where("rfq_id", "=", rfq.id).orderBy("sequence").execute();
    expect(receipts.map((r) => [r.sequence, r.kind, r.revision])).toEqual([
      [1, "submitted", 1],
      [2, "revised", 2],
      [3, "withdrawn", 2],
      [4, "submitted", 3],
    ]);
    // The content is the canonical JSON the contract defines, and the hash recomputes from the row.
    const content = JSON.parse(receipts[1]!.content) as Record<string, unknown>;
    expect(receipts[1]!.content).toBe(canonicalJson(content));
    expect(Object.keys(content)).toEqual(["currency", "kind", "leadTimeDays", "lines", "notes", "offerId", "revision", "rfqId", "sellerId", "validUntil"]);
    expect(content).toMatchObject({ kind: "revised", revision: 2, notes: "Cheaper.", currency: "EUR", rfqId: rfq.id, sellerId: s.id, validUntil: "2099-12-31T23:59:59.999Z" });
    expect(content.lines).toEqual(
      [
        { lineId: rfq.lineIds[0], quantity: 100, unitPriceMinor: "110" },
        { lineId: rfq.lineIds[1], quantity: 10, unitPriceMinor: "110" },
      ].sort((a, b) => ((a.lineId ?? "") < (b.lineId ?? "") ? -1 : 1)),
    );
    for (const [i, r] of receipts.entries()) {
      expect(r.hash).toBe(receiptHash(r.previous_hash, r.content, r.recorded_at));
      expect(r.previous_hash).toBe(i === 0 ? null : receipts[i - 1]!.hash);
      expect(r.recorded_at.getTime()).toBeLessThan(rfq.deadline.getTime());
    }
    expect(receipts[3]!.hash).toBe(again.receipt.hash);
    expect(await verifyRfqChain(db, rfq.id)).toEqual({ ok: true, length: 4, head: again.receipt.hash });
    // Live pages heard of it: nothing to assert on NOTIFY here, but nobody was e-mailed for an offer.
    expect(await db.selectFrom("notifications").select("id").where("organization_id", "=", buyer.id).execute()).toEqual([]);
  });

  test("the seller's page: its offer, every receipt, what it may do; nothing of the others", async () => {
    const buyer = await buyerOrg(db);
    const s = await rfqSeller(db);
    const rival = await rfqSeller(db);
    const rfq = await insertRfq(db, buyer.id);
    await saveOffer(rival.sales, offerForm(rfq, { notes: "Rival secret note" }, "7654.32"));
    const saved = await saveOffer(s.sales, offerForm(rfq, {}, "1.25"));

    const view = await getSellerRfq(s.sales, { rfqId: rfq.id });
    expect(view.offer).toMatchObject({ id: saved.offerId, status: "submitted", revision: 1, total: { amountMinor: String(125 * 120), currency: "EUR" } });
    expect(view.offer?.lines.map((l) => l.lineId)).toEqual(rfq.lineIds);
    expect(view.receipts).toHaveLength(1);
    expect(view.receipts[0]).toMatchObject({ revision: saved.receipt.revision, hash: saved.receipt.hash, kind: "submitted" });
    expect(view.moves).toEqual({ ask: true, submit: false, revise: true, withdraw: true, attach: true });
    expect(view.ranks).toBeNull();
    expect(view.chain).toBeNull();
    const text = JSON.stringify(view);
    // A price no id or timestamp can hold by chance (a short one such as 0.77 matches "…:10.771Z").
    expect(text).not.toContain("7654.32");
    expect(text).not.toContain("765432");
    expect(text).not.toContain("Rival secret note");
    expect(text).not.toContain(rival.name);

    // A fulfilment member reads but may not offer.
    const readOnly = await getSellerRfq(s.fulfilment, { rfqId: rfq.id });
    expect(readOnly.moves).toEqual({ ask: false, submit: false, revise: false, withdraw: false, attach: false });
    expect((await domainErrorOf(saveOffer(s.fulfilment, offerForm(rfq)))).code).toBe("FORBIDDEN");
  });

  test("bad input: field errors, and not a row changes", async () => {
    const buyer = await buyerOrg(db);
    const s = await rfqSeller(db);
    const rfq = await insertRfq(db, buyer.id, { lines: [100, 20] });
    await saveOffer(s.sales, offerForm(rfq));
    const before = await offerSnapshot(db);
    const cases: [Record<string, unknown>, Record<string, string[]>][] = [
      [{ "lines.0.unitPrice": "1.234" }, { "lines.0.unitPrice": ["offer.price_invalid"] }],
      [{ "lines.0.unitPrice": "USD 1.20" }, { "lines.0.unitPrice": ["offer.currency_mismatch"] }],
      [{ "lines.1.unitPrice": "1.20 GBP" }, { "lines.1.unitPrice": ["offer.currency_mismatch"] }],
      [{ currency: "USD" }, { currency: ["offer.currency_mismatch"] }],
      [{ "lines.0.lineId": "6f1c1d8e-2b1a-4c3d-9e8f-0a1b2c3d4e5f" }, { "lines.0.lineId": ["offer.line_unknown"] }],
      [{ "lines.0.quantity": "0" }, { "lines.0.quantity": ["offer.quantity_not_positive"] }],
      [{ "lines.0.quantity": "-3" }, { "lines.0.quantity": ["offer.quantity_not_positive"] }],
      [{ "lines.1.quantity": "21" }, { "lines.1.quantity": ["offer.quantity_exceeds_asked"] }],
      [{ "lines.0.quantity": "2.5" }, { "lines.0.quantity": ["offer.quantity_not_positive"] }],
      [{ "lines.0.unitPrice": "0" }, { "lines.0.unitPrice": ["offer.price_not_positive"] }],
      [{ "lines.0.unitPrice": "-1.00" }, { "lines.0.unitPrice": ["offer.price_not_positive"] }],
      [{ "lines.0.unitPrice": "" }, { "lines.0.unitPrice": ["offer.price_required"] }],
      [{ "lines.0.unitPrice": "", "lines.0.quantity": "", "lines.1.unitPrice": "", "lines.1.quantity": "" }, { lines: ["offer.lines_empty"] }],
      [{ validUntil: "2000-01-01" }, { validUntil: ["offer.validity_before_deadline"] }],
      [{ validUntil: "next week" }, { validUntil: ["offer.validity_before_deadline"] }],
      [{ leadTimeDays: "731" }, { leadTimeDays: ["offer.lead_time_invalid"] }],
      [{ leadTimeDays: "" }, { leadTimeDays: ["offer.lead_time_invalid"] }],
      [{ notes: "x".repeat(2_001) }, { notes: ["offer.notes_too_long"] }],
      [{ notes: "a\u0000b" }, { notes: ["notes.invalid"] }],
    ];
    for (const [override, fieldErrors] of cases) {
      const error = await domainErrorOf(saveOffer(s.sales, offerForm(rfq, override)));
      expect({ override, code: error.code, fieldErrors: error.fieldErrors }).toEqual({ override, code: "VALIDATION", fieldErrors });
    }
    // A validity exactly at the deadline is accepted (the buyer can still award at closing).
    const atDeadline = await saveOffer(s.sales, offerForm(rfq, { validUntil: rfq.deadline.toISOString() }));
    expect(atDeadline.status).toBe("revised");
    const after = await offerSnapshot(db);
    expect(after.counts.offer_revisions).toBe(before.counts.offer_revisions + 1);
  });

  test("an offer may leave lines out, and offer less than asked", async () => {
    const buyer = await buyerOrg(db);
    const s = await rfqSeller(db);
    const rfq = await insertRfq(db, buyer.id, { lines: [100, 20, 5] });
    const form = offerForm(rfq, { "lines.1.unitPrice": "", "lines.1.quantity": "" }, "2.00", [40, 0, 5]);
    const saved = await saveOffer(s.sales, form);
    const lines = await db.selectFrom("offer_lines").select(["line_id", "quantity"]).where("offer_id", "=", saved.offerId).execute();
    expect(new Map(lines.map((l) => [l.line_id, l.quantity]))).toEqual(new Map([[rfq.lineIds[0], 40], [rfq.lineIds[2], 5]]));
    // The array form of the input works as well (services, tests).
    const again = await saveOffer(s.sales, { rfqId: rfq.id, leadTimeDays: 3, validUntil: "2099-01-01", lines: [{ lineId: rfq.lineIds[1], unitPrice: "EUR 9.99", quantity: "20" }] });
    expect(again.revision).toBe(2);
    const revised = await db.selectFrom("offer_lines").select(["line_id", "unit_price_minor"]).where("offer_id", "=", saved.offerId).execute();
    expect(revised).toEqual([{ line_id: rfq.lineIds[1], unit_price_minor: "999" }]);
    // A French keyboard's decimal comma reads as the same amount.
    await saveOffer(s.sales, { rfqId: rfq.id, leadTimeDays: 3, validUntil: "2099-01-01", lines: [{ lineId: rfq.lineIds[1], unitPrice: "12,50", quantity: "20" }] });
    const comma = await db.selectFrom("offer_lines").select("unit_price_minor").where("offer_id", "=", saved.offerId).executeTakeFirstOrThrow();
    expect(comma.unit_price_minor).toBe("1250");
  });

  test("RFQs that are not open, and a passed deadline, refuse every offer move", async () => {
    const buyer = await buyerOrg(db);
    const s = await rfqSeller(db);
    const rfq = await insertRfq(db, buyer.id);
    await saveOffer(s.sales, offerForm(rfq));
    await setDeadline(db, rfq.id, -1);
    const before = await offerSnapshot(db);
    for (const call of [() => saveOffer(s.sales, offerForm(rfq)), () => withdrawOffer(s.sales, { rfqId: rfq.id })]) {
      const error = await domainErrorOf(call());
      expect([error.code, error.fieldErrors]).toEqual(["CONFLICT", { offer: ["offer.deadline_passed"] }]);
    }
    for (const status of ["closed", "awarded", "cancelled"] as const) {
      const other = await insertRfq(db, buyer.id, { status });
      const error = await domainErrorOf(saveOffer(s.sales, offerForm(other)));
      expect([error.code, error.fieldErrors]).toEqual(["CONFLICT", { offer: ["offer.rfq_not_open"] }]);
    }
    expect((await offerSnapshot(db)).counts).toEqual(before.counts);
  });

  test("one seller submitting from several tabs at once: every call recorded once, revisions 1..n, one chain", async () => {
    const buyer = await buyerOrg(db);
    const s = await rfqSeller(db);
    const rfq = await insertRfq(db, buyer.id);
    const results = await Promise.all([s.sales, s.owner, s.sales, s.owner].map((deps, i) => saveOffer(deps, offerForm(rfq, {}, `1.0${i}`))));
    expect(results.map((r) => r.revision).sort()).toEqual([1, 2, 3, 4]);
    expect(results.filter((r) => r.status === "submitted")).toHaveLength(1);
    const receipts = await db.selectFrom("offer_revisions").select(["revision", "kind"]).where("rfq_id", "=", rfq.id).orderBy("sequence").execute();
    expect(receipts).toEqual([
      { revision: 1, kind: "submitted" },
      { revision: 2, kind: "revised" },
      { revision: 3, kind: "revised" },
      { revision: 4, kind: "revised" },
    ]);
    // A withdrawal racing a revision: both land, in one order or the other, each with its receipt.
    const [revised, withdrawn] = await Promise.allSettled([saveOffer(s.owner, offerForm(rfq, {}, "0.90")), withdrawOffer(s.sales, { rfqId: rfq.id })]);
    expect(revised.status).toBe("fulfilled");
    expect(withdrawn.status).toBe("fulfilled");
    expect(await verifyRfqChain(db, rfq.id)).toMatchObject({ ok: true, length: 6 });
  });

  test("the exact edge of the window, decided in PostgreSQL: a deadline in the same millisecond as the clock refuses", async () => {
    const buyer = await buyerOrg(db);
    const s = await rfqSeller(db);
    const rfq = await insertRfq(db, buyer.id);
    // A deadline already reached by a few microseconds.
    await db.updateTable("rfqs").set({ deadline: sql<Date>`clock_timestamp()` }).where("id", "=", rfq.id).execute();
    const error = await domainErrorOf(saveOffer(s.sales, offerForm(rfq)));
    expect(error.fieldErrors).toEqual({ offer: ["offer.deadline_passed"] });
  });

  test("the close job's e-mail templates render in both languages", () => {
    for (const locale of ["en", "fr"] as const) {
      const closed = renderEmail("rfq.closed.buyer", locale, { name: "Ana", rfqNumber: "RFQ-000001", rfqTitle: "Boxes", rfqUrl: "http://buyer.test/rfqs/x", offerCount: "2", chainHead: "a".repeat(64) });
      expect(closed.text).toContain("a".repeat(64));
    }
  });
});
