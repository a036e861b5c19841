import { describe, expect, test } from "vitest";
import { createTestDatabase } from "@souk/testing";
import { domainErrorOf } from "../identity/test-support";
import { untilSomeoneWaitsForALock } from "../catalogue/listings/test-support";
import { awardRfq } from "./award-rfq";
import { activeSeller, awardRowCounts, buyer, closedRfq, linesForm, notified } from "./test-support";

const { db } = await createTestDatabase();

describe("awarding a closed RFQ", () => {
  test("a split award across two sellers places one order per seller with exact totals, lead times and lines; winners and losers are told", async () => {
    const b = await buyer(db);
    const [alpha, beta, gamma, gone] = [await activeSeller(db), await activeSeller(db), await activeSeller(db), await activeSeller(db)];
    const rfq = await closedRfq(db, b.id, {
      lines: [1000, 7],
      offers: [
        { sellerId: alpha.id, leadTimeDays: 5, lines: [{ quantity: 600, unitPriceMinor: 123 }, { quantity: 7, unitPriceMinor: 999_999 }] },
        { sellerId: beta.id, leadTimeDays: 12, lines: [{ quantity: 1000, unitPriceMinor: 119 }, null] },
        { sellerId: gamma.id, lines: [{ quantity: 1000, unitPriceMinor: 150 }, { quantity: 7, unitPriceMinor: 1_000_000 }] },
        { sellerId: gone.id, status: "withdrawn", lines: [{ quantity: 1000, unitPriceMinor: 100 }, null] },
      ],
    });
    const result = await awardRfq(
      b.purchaser,
      linesForm(
        rfq,
        [
          { line: 0, offer: 0, quantity: 600 },
          { line: 0, offer: 1, quantity: 400 },
          { line: 1, offer: 0, quantity: 7 },
          { line: 1, offer: 2, quantity: "" },
          { line: 0, offer: 2, quantity: "0" },
        ],
        "Split for supply security.",
      ),
    );
    expect(result.status).toBe("approved");
    expect(result.orderIds).toHaveLength(2);

    const award = await db.selectFrom("awards").selectAll().where("id", "=", result.awardId).executeTakeFirstOrThrow();
    // 600 × 1.23 + 7 × 9 999.99 = 738.00 + 69 999.93; 400 × 1.19 = 476.00
    expect(award).toMatchObject({ status: "approved", total_minor: String(73_800n + 6_999_993n + 47_600n), note: "Split for supply security.", currency: "EUR" });
    expect((await db.selectFrom("rfqs").select("status").where("id", "=", rfq.id).executeTakeFirstOrThrow()).status).toBe("awarded");

    const orders = await db.selectFrom("orders").selectAll().where("award_id", "=", result.awardId).orderBy("seller_id").execute();
    const bySeller = Object.fromEntries(orders.map((o) => [o.seller_id, o]));
    expect(bySeller[alpha.id]).toMatchObject({ status: "placed", total_minor: String(73_800n + 6_999_993n), lead_time_days: 5, buyer_id: b.id, rfq_id: rfq.id, currency: "EUR" });
    expect(bySeller[beta.id]).toMatchObject({ status: "placed", total_minor: "47600", lead_time_days: 12 });
    for (const o of orders) {
      expect(o.expected_delivery_at!.getTime() - o.placed_at.getTime()).toBe(o.lead_time_days * 24 * 3600 * 1000);
    }
    const alphaLines = await db.selectFrom("order_lines").selectAll().where("order_id", "=", bySeller[alpha.id]!.id).orderBy("position").execute();
    expect(alphaLines.map((l) => [l.position, l.rfq_line_id, l.quantity, l.unit_price_minor, l.line_total_minor, l.unit])).toEqual([
      [0, rfq.lineIds[0], 600, "123", "73800", "box"],
      [1, rfq.lineIds[1], 7, "999999", "6999993", "box"],
    ]);
    const awardLines = await db.selectFrom("award_lines").selectAll().where("award_id", "=", result.awardId).execute();
    expect(awardLines).toHaveLength(3);
    // Each order carries the RFQ's category (its commission goes by it) and opens its timeline with "placed", by the buyer who awarded.
    const rfqCategory = (await db.selectFrom("rfqs").select("category_id").where("id", "=", rfq.id).executeTakeFirstOrThrow()).category_id;
    expect(orders.map((o) => o.category_id)).toEqual([rfqCategory, rfqCategory]);
    const events = await db.selectFrom("order_events").selectAll().where("order_id", "in", result.orderIds).orderBy("seller_id").execute();
    expect(events.map((e) => [e.order_id, e.buyer_id, e.seller_id, e.kind, e.actor_kind, e.actor_user_id, e.data])).toEqual(
      orders.map((o) => [o.id, b.id, o.seller_id, "placed", "buyer", b.purchaser.actor.userId, { awardId: result.awardId }]),
    );

    // Winners: owners and sales of each winning seller, with their order link; nobody else of theirs.
    const won = await notified(db, "award.won");
    expect(won.map((n) => n.userId).sort()).toEqual([alpha.owners[0]!.userId, alpha.salesUserId, beta.owners[0]!.userId, beta.salesUserId].sort());
    expect(won.find((n) => n.userId === alpha.salesUserId)!.body).toContain(`http://seller.test/orders/${bySeller[alpha.id]!.id}`);
    // Losers: gamma (a final offer not in the award); not the seller who withdrew.
    const lost = await notified(db, "award.lost");
    expect(lost.map((n) => n.organizationId)).toEqual([gamma.id, gamma.id]);
    for (const n of lost) {
      expect(n.body).not.toContain(alpha.name);
      expect(n.body).not.toContain(beta.name);
      // No amount at all (every amount the templates write carries its currency).
      expect(n.body).not.toMatch(/€|EUR|738[.,]00|476[.,]00|999[.,]99/);
    }
    const audit = await db.selectFrom("audit_log").select("action").where("target_id", "=", result.awardId).execute();
    expect(audit.map((a) => a.action).sort()).toEqual(["award.created", "award.finalized"]);
  });

  test("whole offers: every line of each offer at its offered quantity", async () => {
    const b = await buyer(db);
    const [alpha, beta] = [await activeSeller(db), await activeSeller(db)];
    const rfq = await closedRfq(db, b.id, {
      lines: [10, 20],
      offers: [
        { sellerId: alpha.id, lines: [{ quantity: 10, unitPriceMinor: 500 }, null] },
        { sellerId: beta.id, lines: [null, { quantity: 15, unitPriceMinor: 250 }] },
      ],
    });
    const result = await awardRfq(b.admin, { rfqId: rfq.id, mode: "whole", offerId: [rfq.offerIds[0], rfq.offerIds[1]], note: "" });
    const orders = await db.selectFrom("orders").select(["seller_id", "total_minor"]).where("award_id", "=", result.awardId).execute();
    expect(Object.fromEntries(orders.map((o) => [o.seller_id, o.total_minor]))).toEqual({ [alpha.id]: "5000", [beta.id]: "3750" });
  });

  test("two concurrent awards of the same RFQ leave exactly one award and one order per seller; the other is a CONFLICT", async () => {
    const b = await buyer(db);
    const [alpha, beta] = [await activeSeller(db), await activeSeller(db)];
    const rfq = await closedRfq(db, b.id, {
      lines: [100],
      offers: [
        { sellerId: alpha.id, lines: [{ quantity: 100, unitPriceMinor: 200 }] },
        { sellerId: beta.id, lines: [{ quantity: 100, unitPriceMinor: 210 }] },
      ],
    });
    for (let round = 0; round < 3; round += 1) {
      const results = await Promise.allSettled([
        awardRfq(b.purchaser, linesForm(rfq, [{ line: 0, offer: 0, quantity: 50 }, { line: 0, offer: 1, quantity: 50 }])),
        awardRfq(b.admin, { rfqId: rfq.id, mode: "whole", offerIds: [rfq.offerIds[1]] }),
      ]);
      if (round > 0) {
        expect(results.every((r) => r.status === "rejected")).toBe(true);
        continue;
      }
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      const failed = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
      expect(failed.reason).toMatchObject({ code: "CONFLICT", message: "award.already_awarded" });
    }
    const awards = await db.selectFrom("awards").select(["id", "status"]).where("rfq_id", "=", rfq.id).execute();
    expect(awards).toHaveLength(1);
    const orders = await db.selectFrom("orders").select(["seller_id"]).where("rfq_id", "=", rfq.id).execute();
    expect(new Set(orders.map((o) => o.seller_id)).size).toBe(orders.length);
    expect(orders.length).toBeGreaterThanOrEqual(1);
  });

  test("the second award waits on the RFQ row lock and then finds the first", async () => {
    const b = await buyer(db);
    const alpha = await activeSeller(db);
    const rfq = await closedRfq(db, b.id, { lines: [5], offers: [{ sellerId: alpha.id, lines: [{ quantity: 5, unitPriceMinor: 100 }] }] });
    let second: Promise<unknown> = Promise.resolve();
    await db.transaction().execute(async (trx) => {
      await trx.selectFrom("rfqs").select("id").where("id", "=", rfq.id).forUpdate().execute();
      second = awardRfq(b.purchaser, { rfqId: rfq.id, mode: "whole", offerIds: [rfq.offerIds[0]] }).catch((e: unknown) => e);
      await untilSomeoneWaitsForALock(db);
      // Meanwhile (as if another award committed first): the RFQ is awarded.
      await trx.updateTable("rfqs").set({ status: "awarded" }).where("id", "=", rfq.id).execute();
    });
    expect(await second).toMatchObject({ code: "CONFLICT", message: "award.already_awarded" });
    expect(await db.selectFrom("awards").select("id").where("rfq_id", "=", rfq.id).execute()).toEqual([]);
  });

  test("the partial unique index is the backstop: a second live award row is refused by the database", async () => {
    const b = await buyer(db);
    const alpha = await activeSeller(db);
    const rfq = await closedRfq(db, b.id, { lines: [5], offers: [{ sellerId: alpha.id, lines: [{ quantity: 5, unitPriceMinor: 100 }] }] });
    await db.insertInto("awards").values({ rfq_id: rfq.id, buyer_id: b.id, status: "pending_approval", currency: "EUR", total_minor: "500" }).execute();
    await expect(db.insertInto("awards").values({ rfq_id: rfq.id, buyer_id: b.id, status: "pending_approval", currency: "EUR", total_minor: "500" }).execute()).rejects.toMatchObject({ code: "23505", constraint: "awards_one_live_key" });
    // And the service refuses a new award while one is waiting for approval.
    const error = await domainErrorOf(awardRfq(b.purchaser, { rfqId: rfq.id, mode: "whole", offerIds: [rfq.offerIds[0]] }));
    expect(error).toMatchObject({ code: "CONFLICT", message: "award.already_awarded" });
  });

  test("never more than a line's quantity, nor more than an offer offered: field errors on the cells, nothing written", async () => {
    const b = await buyer(db);
    const [alpha, beta] = [await activeSeller(db), await activeSeller(db)];
    const rfq = await closedRfq(db, b.id, {
      lines: [100, 10],
      offers: [
        { sellerId: alpha.id, lines: [{ quantity: 80, unitPriceMinor: 100 }, { quantity: 10, unitPriceMinor: 100 }] },
        { sellerId: beta.id, lines: [{ quantity: 100, unitPriceMinor: 90 }, null] },
      ],
    });
    const before = await awardRowCounts(db);
    const [a0, b0] = [`qty.${rfq.lineIds[0]}.${rfq.offerIds[0]}`, `qty.${rfq.lineIds[0]}.${rfq.offerIds[1]}`];

    const over = await domainErrorOf(awardRfq(b.purchaser, linesForm(rfq, [{ line: 0, offer: 0, quantity: 60 }, { line: 0, offer: 1, quantity: 41 }])));
    expect(over.code).toBe("VALIDATION");
    expect(over.fieldErrors).toEqual({ [a0]: ["award.line_quantity_exceeded"], [b0]: ["award.line_quantity_exceeded"] });

    const offered = await domainErrorOf(awardRfq(b.purchaser, linesForm(rfq, [{ line: 0, offer: 0, quantity: 81 }])));
    expect(offered.fieldErrors).toEqual({ [a0]: ["award.quantity_exceeds_offered"] });

    const notOffered = await domainErrorOf(awardRfq(b.purchaser, linesForm(rfq, [{ line: 1, offer: 1, quantity: 1 }])));
    expect(notOffered.fieldErrors).toEqual({ [`qty.${rfq.lineIds[1]}.${rfq.offerIds[1]}`]: ["award.line_not_offered"] });

    const garbage = await domainErrorOf(awardRfq(b.purchaser, linesForm(rfq, [{ line: 0, offer: 0, quantity: "-3" }, { line: 0, offer: 1, quantity: "1.5" }])));
    expect(garbage.fieldErrors).toEqual({ [a0]: ["award.quantity_not_positive"], [b0]: ["award.quantity_not_positive"] });

    const empty = await domainErrorOf(awardRfq(b.purchaser, linesForm(rfq, [{ line: 0, offer: 0, quantity: "0" }])));
    expect(empty.fieldErrors).toEqual({ allocations: ["award.empty"] });

    // A whole offer per line also adds up: two whole offers of line 1 (80 + 100 > 100).
    const whole = await domainErrorOf(awardRfq(b.purchaser, { rfqId: rfq.id, mode: "whole", offerId: [rfq.offerIds[0], rfq.offerIds[1]] }));
    expect(whole.fieldErrors).toEqual({ offerIds: ["award.line_quantity_exceeded"] });

    const unknownOffer = await domainErrorOf(awardRfq(b.purchaser, { rfqId: rfq.id, mode: "whole", offerId: "00000000-0000-4000-8000-000000000000" }));
    expect(unknownOffer.fieldErrors).toEqual({ offerIds: ["award.offer_unknown"] });

    const badMode = await domainErrorOf(awardRfq(b.purchaser, { rfqId: rfq.id, mode: "everything" }));
    expect(badMode.fieldErrors).toEqual({ mode: ["award.mode_invalid"] });

    expect(await awardRowCounts(db)).toEqual(before);
    expect((await db.selectFrom("rfqs").select("status").where("id", "=", rfq.id).executeTakeFirstOrThrow()).status).toBe("closed");
  });

  test("a withdrawn offer, an offer of another RFQ, or an RFQ that is still open cannot be awarded", async () => {
    const b = await buyer(db);
    const [alpha, beta] = [await activeSeller(db), await activeSeller(db)];
    const rfq = await closedRfq(db, b.id, {
      lines: [10],
      offers: [
        { sellerId: alpha.id, status: "withdrawn", lines: [{ quantity: 10, unitPriceMinor: 100 }] },
        { sellerId: beta.id, lines: [{ quantity: 10, unitPriceMinor: 120 }] },
      ],
    });
    const other = await closedRfq(db, b.id, { lines: [10], offers: [{ sellerId: alpha.id, lines: [{ quantity: 10, unitPriceMinor: 100 }] }] });
    const open = await closedRfq(db, b.id, { status: "open", lines: [10], offers: [{ sellerId: alpha.id, lines: [{ quantity: 10, unitPriceMinor: 100 }] }] });
    const before = await awardRowCounts(db);

    const withdrawn = await domainErrorOf(awardRfq(b.purchaser, linesForm(rfq, [{ line: 0, offer: 0, quantity: 10 }])));
    expect(withdrawn.fieldErrors).toEqual({ [`qty.${rfq.lineIds[0]}.${rfq.offerIds[0]}`]: ["award.offer_unknown"] });
    expect((await domainErrorOf(awardRfq(b.purchaser, { rfqId: rfq.id, mode: "whole", offerIds: [rfq.offerIds[0]] }))).fieldErrors).toEqual({ offerIds: ["award.offer_unknown"] });
    expect((await domainErrorOf(awardRfq(b.purchaser, { rfqId: rfq.id, mode: "whole", offerIds: [other.offerIds[0]] }))).fieldErrors).toEqual({ offerIds: ["award.offer_unknown"] });

    const notClosed = await domainErrorOf(awardRfq(b.purchaser, { rfqId: open.id, mode: "whole", offerIds: [open.offerIds[0]] }));
    expect(notClosed).toMatchObject({ code: "CONFLICT", message: "award.rfq_not_closed" });
    expect(await awardRowCounts(db)).toEqual(before);
  });

  test("only buyers who award: a viewer and an approver are refused, another buyer's RFQ is NOT_FOUND", async () => {
    const b = await buyer(db);
    const intruder = await buyer(db);
    const alpha = await activeSeller(db);
    const rfq = await closedRfq(db, b.id, { lines: [10], offers: [{ sellerId: alpha.id, lines: [{ quantity: 10, unitPriceMinor: 100 }] }] });
    const input = { rfqId: rfq.id, mode: "whole", offerIds: [rfq.offerIds[0]] };
    const before = await awardRowCounts(db);
    expect((await domainErrorOf(awardRfq(b.viewer, input))).code).toBe("FORBIDDEN");
    expect((await domainErrorOf(awardRfq(b.approver, input))).code).toBe("FORBIDDEN");
    expect((await domainErrorOf(awardRfq(alpha.owner, input))).code).toBe("FORBIDDEN");
    expect((await domainErrorOf(awardRfq(intruder.admin, input))).code).toBe("NOT_FOUND");
    expect((await domainErrorOf(awardRfq(intruder.admin, { ...input, rfqId: "not-a-uuid" }))).code).toBe("NOT_FOUND");
    // A role taken away after the request began: re-checked inside the transaction.
    await db.updateTable("memberships").set({ role: "viewer" }).where("user_id", "=", b.purchaser.actor.userId).execute();
    expect((await domainErrorOf(awardRfq(b.purchaser, input))).code).toBe("FORBIDDEN");
    expect(await awardRowCounts(db)).toEqual(before);
  });
});
