import { sql } from "kysely";
import { describe, expect, test } from "vitest";
import { createTestDatabase } from "@souk/testing";
import { domainErrorOf } from "../../identity/test-support";
import { createRfq } from "./create-rfq";
import { exportRfqComparisonCsv } from "./export-rfq-comparison-csv";
import { getBuyerRfq } from "./get-buyer-rfq";
import { getRfqComparison } from "./get-rfq-comparison";
import { activeSeller, buyerMember, categoryIdOf, closeDirectly, colleague, insertOffer, lineIdsOf, rfqForm } from "./test-support";

const { db } = await createTestDatabase();
const boxes = await categoryIdOf(db, "packaging-boxes");

/**
 * A closed RFQ (line 1: 1000 boxes, line 2: 500) with three final offers:
 *  A: 1.00 and 3.00, 10 days, four orders delivered on time elsewhere on Souk;
 *  B: 1.20 and 2.50, 5 days, no history;
 *  C: 1.00 for 800 of line 1 only, 20 days, no history; plus a withdrawn offer that never counts.
 */
async function closedRfq() {
  const purchaser = await buyerMember(db);
  const { id } = await createRfq(purchaser, { ...rfqForm(boxes, { "lines.1.targetPrice": "2.80" }), intent: "publish" });
  const [l1, l2] = (await lineIdsOf(db, id)) as [string, string];
  const [a, b, c, w] = [await activeSeller(db), await activeSeller(db), await activeSeller(db), await activeSeller(db)];
  await db.updateTable("organizations").set({ name: "Atlas Cartons" }).where("id", "=", a.id).execute();
  await db.updateTable("organizations").set({ name: "Boxwell" }).where("id", "=", b.id).execute();
  await db.updateTable("organizations").set({ name: '=HYPERLINK("http://evil.test","Cheap")' }).where("id", "=", c.id).execute();
  const offerA = await insertOffer(db, id, a.id, { lines: [[l1, 1000, 100], [l2, 500, 300]], leadTimeDays: 10 });
  const offerB = await insertOffer(db, id, b.id, { lines: [[l1, 1000, 120], [l2, 500, 250]], leadTimeDays: 5 });
  const offerC = await insertOffer(db, id, c.id, { lines: [[l1, 800, 100]], leadTimeDays: 20 });
  await insertOffer(db, id, w.id, { status: "withdrawn", lines: [[l1, 1000, 1]], leadTimeDays: 1 });
  const someone = await buyerMember(db);
  for (let i = 0; i < 4; i += 1) {
    await db
      .insertInto("orders")
      .values({
        buyer_id: someone.actor.organizationId,
        seller_id: a.id,
        status: "delivered",
        currency: "EUR",
        total_minor: "1000",
        expected_delivery_at: sql<Date>`now()`,
        delivered_at: sql<Date>`now() - interval '1 day'`,
      })
      .execute();
  }
  await closeDirectly(db, id);
  return { purchaser, id, l1, l2, a, b, c, offerA, offerB, offerC };
}

describe("the comparison of a closed RFQ", () => {
  test("sellers as columns by score, lines as rows, best price per line marked (ties too), totals, lead times, track records and the score's components", async () => {
    const { purchaser, id, l1, l2, a, offerA, offerB, offerC } = await closedRfq();
    const comparison = await getRfqComparison(purchaser, { rfqId: id });
    expect(comparison.weights).toEqual({ price: 60, leadTime: 25, trackRecord: 15 });
    expect(comparison.offers.map((o) => o.id)).toEqual([offerB, offerA, offerC]);
    const [b, aCol, c] = comparison.offers;
    expect(b).toMatchObject({ seller: { name: "Boxwell" }, total: { amountMinor: "245000", currency: "EUR" }, leadTimeDays: 5, linesOffered: 2, trackRecord: { completedOrders: 0 } });
    expect(aCol).toMatchObject({ seller: { id: a.id, name: "Atlas Cartons" }, total: { amountMinor: "250000" }, trackRecord: { completedOrders: 4, onTimeRate: 1, disputes: 0 } });
    expect(c).toMatchObject({ total: { amountMinor: "80000" }, linesOffered: 1 });

    // Price: the best total over the lines bid on / own; lead time: the shortest / own; track record blended with 5 neutral orders.
    expect(aCol?.score.price).toBeCloseTo(225_000 / 250_000, 9);
    expect(b?.score.price).toBeCloseTo(225_000 / 245_000, 9);
    expect(c?.score.price).toBeCloseTo(1, 9);
    expect([b?.score.leadTime, aCol?.score.leadTime, c?.score.leadTime]).toEqual([1, 0.5, 0.25]);
    expect(aCol?.score.trackRecord).toBeCloseTo((4 * 1 + 5 * 0.5) / 9, 9);
    expect(b?.score.trackRecord).toBe(0.5);
    expect(aCol?.score.total).toBeCloseTo((60 * 0.9 + 25 * 0.5 + 15 * (6.5 / 9)) / 100, 9);
    expect([b?.score.rank, aCol?.score.rank, c?.score.rank]).toEqual([1, 2, 3]);

    expect(comparison.lines.map((l) => l.id)).toEqual([l1, l2]);
    const [row1, row2] = comparison.lines;
    expect(row1?.bestUnitPrice).toEqual({ amountMinor: "100", currency: "EUR" });
    expect(row1?.cells.map((cell) => cell && [cell.unitPrice.amountMinor, cell.quantity, cell.lineTotal.amountMinor, cell.best, cell.short])).toEqual([
      ["120", 1000, "120000", false, false],
      ["100", 1000, "100000", true, false],
      ["100", 800, "80000", true, true],
    ]);
    expect(row2?.targetPrice).toEqual({ amountMinor: "280", currency: "EUR" });
    expect(row2?.cells.map((cell) => cell?.best ?? null)).toEqual([true, false, null]);
    expect(comparison.canAward).toBe(true);
    // The withdrawn offer is nowhere.
    expect(comparison.offers).toHaveLength(3);
  });

  test("the buyer's weights from the query change the ranking; bad weights are field errors", async () => {
    const { purchaser, id, offerA, offerB, offerC } = await closedRfq();
    const priceOnly = await getRfqComparison(purchaser, { rfqId: id, price: "100", leadTime: "0", trackRecord: "" });
    expect(priceOnly.weights).toEqual({ price: 100, leadTime: 0, trackRecord: 15 });
    const leadOnly = await getRfqComparison(purchaser, { rfqId: id, price: "0", leadTime: "1", trackRecord: "0" });
    expect(leadOnly.offers.map((o) => o.id)).toEqual([offerB, offerA, offerC]);
    expect(leadOnly.offers.map((o) => o.score.total)).toEqual([1, 0.5, 0.25]);
    expect((await domainErrorOf(getRfqComparison(purchaser, { rfqId: id, price: "-1", leadTime: "abc" }))).fieldErrors).toEqual({
      price: ["scoring.weight_invalid"],
      leadTime: ["scoring.weight_invalid"],
    });
    expect((await domainErrorOf(getRfqComparison(purchaser, { rfqId: id, price: "0", leadTime: "0", trackRecord: "0" }))).fieldErrors).toEqual({ weights: ["scoring.weights_all_zero"] });
  });

  test("only a buyer who may award, of this RFQ: a viewer or an approver is refused, another buyer gets NOT_FOUND", async () => {
    const { purchaser, id } = await closedRfq();
    for (const role of ["viewer", "approver"] as const) {
      expect((await domainErrorOf(getRfqComparison(await colleague(db, purchaser, role), { rfqId: id }))).code).toBe("FORBIDDEN");
    }
    expect((await domainErrorOf(getRfqComparison(await buyerMember(db), { rfqId: id }))).code).toBe("NOT_FOUND");
    expect((await domainErrorOf(exportRfqComparisonCsv(await buyerMember(db), { rfqId: id }))).code).toBe("NOT_FOUND");
  });

  test("exported as CSV: a header row in the buyer's language, one record per offer and line bid on, exact amounts, no formula", async () => {
    const { purchaser, id } = await closedRfq();
    const en = await exportRfqComparisonCsv(purchaser, { rfqId: id, locale: "en" });
    const records = en.csv.split("\r\n").filter(Boolean);
    expect(records[0]).toBe(
      "Reference,Line,Description,Quantity asked,Unit,Seller,Quantity offered,Currency,Unit price,Line total,Best price on line,Offer total,Lead time (days),Valid until,Completed orders,On-time rate (%),Disputes,Price score,Lead-time score,Track-record score,Score,Rank",
    );
    expect(records).toHaveLength(1 + 5);
    expect(en.fileName).toMatch(/^souk-rfq-\d{6}-comparison\.csv$/);
    const boxwellLine1 = records[1]?.split(",") ?? [];
    expect(boxwellLine1.slice(1, 12)).toEqual(["1", "Box 40x30x20", "1000", "box", "Boxwell", "1000", "EUR", "1.20", "1200.00", "", "2450.00"]);
    expect(boxwellLine1.slice(12, 13)).toEqual(["5"]);
    expect(boxwellLine1.at(-1)).toBe("1");
    expect(records[3]).toContain("Atlas Cartons,1000,EUR,1.00,1000.00,yes,2500.00,10,");
    expect(records[3]).toContain(",100.00,0,90.00,50.00,72.22,");
    // A seller's name that a spreadsheet would run is made text.
    expect(records[5]).toContain(`"'=HYPERLINK(""http://evil.test"",""Cheap"")"`);

    const fr = await exportRfqComparisonCsv(purchaser, { rfqId: id, locale: "fr" });
    expect(fr.csv.split("\r\n")[0]).toMatch(/^Référence,Ligne,Désignation,Quantité demandée,/);
    expect(fr.csv).toContain(",oui,");
    expect(fr.fileName).toMatch(/comparatif\.csv$/);
  });

  test("an award in force shows on the RFQ page and the comparison with its approval, and the comparison offers no second award", async () => {
    const { purchaser, id, l1, a, offerA } = await closedRfq();
    const award = await db
      .insertInto("awards")
      .values({ rfq_id: id, buyer_id: purchaser.actor.organizationId, status: "pending_approval", currency: "EUR", total_minor: "100000", note: "Atlas for line 1", created_by: purchaser.actor.userId })
      .returning("id")
      .executeTakeFirstOrThrow();
    await db.insertInto("award_lines").values({ award_id: award.id, rfq_id: id, line_id: l1, offer_id: offerA, seller_id: a.id, quantity: 1000, unit_price_minor: "100" }).execute();
    await db
      .insertInto("approvals")
      .values({ buyer_id: purchaser.actor.organizationId, subject_kind: "award", subject_id: award.id, approver_role: "approver", currency: "EUR", amount_minor: "100000", threshold_minor: "50000", requested_by: purchaser.actor.userId })
      .execute();
    const comparison = await getRfqComparison(purchaser, { rfqId: id });
    expect(comparison.canAward).toBe(false);
    const view = await getBuyerRfq(purchaser, { rfqId: id });
    expect(view.award).toMatchObject({
      id: award.id,
      status: "pending_approval",
      total: { amountMinor: "100000", currency: "EUR" },
      note: "Atlas for line 1",
      lines: [{ lineId: l1, offerId: offerA, sellerName: "Atlas Cartons", quantity: 1000, unitPrice: { amountMinor: "100" } }],
      approval: { status: "pending", approverRole: "approver", decidedAt: null },
      orders: [],
    });
    // Rejected: the buyer may award again.
    await db.updateTable("awards").set({ status: "rejected", decided_at: sql<Date>`now()` }).where("id", "=", award.id).execute();
    expect((await getRfqComparison(purchaser, { rfqId: id })).canAward).toBe(true);
  });
});
