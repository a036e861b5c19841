import { sql } from "kysely";
import type { Db } from "@souk/db";
import { DomainError, isCurrency, money, moveRfq, validateAward, type Actor, type AwardOffer } from "@souk/domain";
import { dbNow } from "../clock";
import type { PublicUrls } from "../deps";
import { recordAudit } from "../audit/record-audit";
import { notifyMembers } from "../notifications/notify-members";
import { recordOrderEvent } from "../orders/order-events";
import { publishRfqEvent } from "../rfq/live";
import { orderReference, rfqReference } from "./shared";
import { SELLER_RFQ_ROLES } from "../rfq/common";

export interface FinalizeAwardOptions {
  publicUrls: PublicUrls;
  /** Who made the award final: the buyer who awarded (no approval needed) or the approver. */
  actor: Pick<Actor, "userId" | "organizationId" | "ip">;
}

/** The members of a seller who hear about its RFQ results: those who sell (owners and sales). */

/**
 * Makes an award final, in the caller's transaction: the award is approved, the RFQ awarded, one
 * order per awarded seller placed (status `placed`, the offer's lead time and the expected delivery
 * it implies, one line per awarded RFQ line at the offer's unit price, the RFQ's category for its
 * commission, a "placed" event opening its timeline), the winners told with a link to their order,
 * and every other seller with a live or final offer told that it lost
 * (nothing about who won or at what price). Runs once per award: the award row is locked and must
 * be waiting; orders are unique per (award, seller) and inserted with ON CONFLICT DO NOTHING, so
 * even a second run could not place an order twice.
 */
export async function finalizeAward(trx: Db, awardId: string, options: FinalizeAwardOptions): Promise<{ orderIds: string[] }> {
  const award = await trx.selectFrom("awards").selectAll().where("id", "=", awardId).forUpdate().executeTakeFirst();
  if (!award) throw new DomainError("INVARIANT", `Award ${awardId} does not exist`);
  if (award.status !== "pending_approval") throw new DomainError("CONFLICT", "award.not_pending", { _form: ["award.not_pending"] });
  const rfq = await trx.selectFrom("rfqs").selectAll().where("id", "=", award.rfq_id).forUpdate().executeTakeFirstOrThrow();
  const now = await dbNow(trx);
  const status = moveRfq(rfq.status, "award", { now, deadline: rfq.deadline, offerCount: 0 });
  if (!isCurrency(award.currency)) throw new DomainError("INVARIANT", `Award ${awardId} has an unsupported currency`);
  const currency = award.currency;

  const lines = await trx
    .selectFrom("award_lines as al")
    .innerJoin("rfq_lines as l", (j) => j.onRef("l.id", "=", "al.line_id").onRef("l.rfq_id", "=", "al.rfq_id"))
    .innerJoin("offers as o", (j) => j.onRef("o.id", "=", "al.offer_id").onRef("o.rfq_id", "=", "al.rfq_id"))
    .select(["al.line_id", "al.offer_id", "al.seller_id", "al.quantity", "al.unit_price_minor", "l.quantity as line_quantity", "l.position", "l.description", "l.unit", "l.listing_id", "o.lead_time_days"])
    .where("al.award_id", "=", awardId)
    .orderBy("l.position")
    .orderBy("al.seller_id")
    .execute();

  // The award lines were validated when the award was made; validateAward builds the orders again
  // from them so every total comes from the one exact computation (bigint minor units).
  const offers = new Map<string, AwardOffer & { lines: { lineId: string; quantity: number; unitPrice: ReturnType<typeof money> }[] }>();
  for (const l of lines) {
    const offer = offers.get(l.offer_id) ?? { offerId: l.offer_id, sellerId: l.seller_id, lines: [] };
    offer.lines.push({ lineId: l.line_id, quantity: l.quantity, unitPrice: money(BigInt(l.unit_price_minor), currency) });
    offers.set(l.offer_id, offer);
  }
  const result = validateAward(
    { currency, lines: [...new Map(lines.map((l) => [l.line_id, { id: l.line_id, quantity: l.line_quantity }])).values()], offers: [...offers.values()] },
    lines.map((l) => ({ lineId: l.line_id, offerId: l.offer_id, quantity: l.quantity })),
  );
  if (!result.ok) throw new DomainError("INVARIANT", `Award ${awardId} no longer validates: ${JSON.stringify(result.fieldErrors)}`);
  if (result.total.amount !== BigInt(award.total_minor)) throw new DomainError("INVARIANT", `Award ${awardId} total does not match its lines`);

  const byKey = new Map(lines.map((l) => [`${l.line_id}/${l.offer_id}`, l]));
  const buyer = await trx.selectFrom("organizations").select("name").where("id", "=", award.buyer_id).executeTakeFirstOrThrow();
  const orderIds: string[] = [];
  const winners = new Set<string>();
  for (const order of result.orders) {
    winners.add(order.sellerId);
    const first = byKey.get(`${order.lines[0]!.lineId}/${order.lines[0]!.offerId}`)!;
    const inserted = await trx
      .insertInto("orders")
      .values({
        buyer_id: award.buyer_id,
        seller_id: order.sellerId,
        rfq_id: award.rfq_id,
        award_id: award.id,
        // The RFQ's category: what the order's commission rule goes by.
        category_id: rfq.category_id,
        status: "placed",
        currency,
        total_minor: order.total.amount.toString(),
        lead_time_days: first.lead_time_days,
        expected_delivery_at: sql<Date>`now() + make_interval(days => ${first.lead_time_days})`,
      })
      .onConflict((oc) => oc.columns(["award_id", "seller_id"]).where("award_id", "is not", null).doNothing())
      .returning(["id", "number"])
      .executeTakeFirst();
    if (!inserted) throw new DomainError("INVARIANT", `Award ${awardId} already has an order for seller ${order.sellerId}`);
    await trx
      .insertInto("order_lines")
      .values(
        order.lines.map((ol, position) => {
          const line = byKey.get(`${ol.lineId}/${ol.offerId}`)!;
          return {
            order_id: inserted.id,
            seller_id: order.sellerId,
            position,
            rfq_line_id: ol.lineId,
            listing_id: line.listing_id,
            description: line.description,
            unit: line.unit,
            quantity: ol.quantity,
            unit_price_minor: ol.unitPrice.amount.toString(),
            line_total_minor: ol.lineTotal.amount.toString(),
          };
        }),
      )
      .execute();
    orderIds.push(inserted.id);
    await recordOrderEvent(trx, {
      orderId: inserted.id,
      buyerId: award.buyer_id,
      sellerId: order.sellerId,
      kind: "placed",
      actorUserId: options.actor.userId,
      actorKind: "buyer",
      data: { awardId: award.id },
    });
    await notifyMembers(trx, {
      organizationId: order.sellerId,
      roles: SELLER_RFQ_ROLES,
      template: "award.won",
      params: (member) => ({
        name: member.name,
        buyerName: buyer.name,
        rfqReference: rfqReference(rfq.number),
        rfqTitle: rfq.title,
        orderReference: orderReference(inserted.number),
        amountMinor: order.total.amount.toString(),
        currency,
        orderUrl: `${options.publicUrls.seller}/orders/${inserted.id}`,
      }),
    });
  }

  await trx.updateTable("awards").set({ status: "approved", decided_at: sql<Date>`now()` }).where("id", "=", award.id).execute();
  await trx
    .updateTable("rfqs")
    .set({ status, updated_at: sql`now()`, version: sql`version + 1` })
    .where("id", "=", rfq.id)
    .execute();

  const losers = await trx
    .selectFrom("offers")
    .select("seller_id")
    .where("rfq_id", "=", rfq.id)
    .where("status", "in", ["submitted", "revised", "locked"])
    .$if(winners.size > 0, (qb) => qb.where("seller_id", "not in", [...winners]))
    .orderBy("seller_id")
    .execute();
  for (const loser of losers) {
    await notifyMembers(trx, {
      organizationId: loser.seller_id,
      roles: SELLER_RFQ_ROLES,
      template: "award.lost",
      params: (member) => ({ name: member.name, rfqReference: rfqReference(rfq.number), rfqTitle: rfq.title, rfqUrl: `${options.publicUrls.seller}/rfqs/${rfq.id}` }),
    });
  }

  await recordAudit(trx, {
    actor: options.actor,
    organizationId: award.buyer_id,
    action: "award.finalized",
    targetType: "award",
    targetId: award.id,
    data: { rfqId: rfq.id, orderIds, sellers: [...winners], losingSellers: losers.length, currency, totalMinor: award.total_minor },
  });
  await publishRfqEvent(trx, rfq.id, "status");
  return { orderIds };
}
