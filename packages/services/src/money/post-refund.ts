import { sql } from "kysely";
import type { Db } from "@souk/db";
import { DomainError, notFound, refundEntries, refundSplit, validationError } from "@souk/domain";
import { existingId, orderReference, postJournal, storedMoney } from "./shared";

export interface PostRefundInput {
  orderId: string;
  /** The dispute whose resolution refunds (null: a refund without a dispute). */
  disputeId: string | null;
  /** What goes back to the buyer, minor units of the order's currency. */
  amountMinor: bigint;
  actorUserId: string | null;
}

export interface PostRefundResult {
  refundId: string;
  journalId: string;
  /** This refund's commission share (given back by the marketplace). */
  commissionMinor: bigint;
  /** This refund's net share (taken back from the seller). commission + net = amount. */
  netMinor: bigint;
}

/**
 * Refunds part or all of a settled order inside the caller's transaction (resolveDispute): a
 * reversing journal (credit the buyer's receivable, debit the seller's payable and the commission
 * revenue) split by the cumulative proportional rule of `refundSplit`, a refunds row, and the
 * settlement's running totals. The settlement row is locked, so refunds of one order take turns and
 * each one's key `refund:<orderId>:<n>` (n = refunds so far + 1) is unique.
 *
 * Errors: field `amount` "refund.amount_invalid" (not a positive whole number of minor units) or
 * "refund.above_remaining" (more than is left to refund), with nothing written; an order that is not
 * settled → CONFLICT "refund.not_settled" (settle it first: postSettlement); an unknown order or a
 * dispute of another order → NOT_FOUND.
 */
export async function postRefund(trx: Db, input: PostRefundInput): Promise<PostRefundResult> {
  if (typeof input.amountMinor !== "bigint" || input.amountMinor <= 0n) throw validationError({ amount: ["refund.amount_invalid"] });
  const orderId = existingId(input.orderId, "Order");
  const disputeId = input.disputeId === null ? null : existingId(input.disputeId, "Dispute");
  const settlement = await trx.selectFrom("settlements").selectAll().where("order_id", "=", orderId).forUpdate().executeTakeFirst();
  if (!settlement) {
    const order = await trx.selectFrom("orders").select("id").where("id", "=", orderId).executeTakeFirst();
    if (!order) throw notFound("Order");
    throw new DomainError("CONFLICT", "refund.not_settled", { _form: ["refund.not_settled"] });
  }
  if (disputeId !== null) {
    const dispute = await trx.selectFrom("disputes").select("id").where("id", "=", disputeId).where("order_id", "=", settlement.order_id).executeTakeFirst();
    if (!dispute) throw notFound("Dispute");
  }
  const currency = settlement.currency;
  const refund = storedMoney(input.amountMinor, currency);
  const split = refundSplit({
    gross: storedMoney(settlement.gross_minor, currency),
    commission: storedMoney(settlement.commission_minor, currency),
    refundedSoFar: storedMoney(settlement.refunded_minor, currency),
    commissionRefundedSoFar: storedMoney(settlement.commission_refunded_minor, currency),
    refund,
  });

  const { n } = await trx
    .selectFrom("refunds")
    .select((eb) => eb.fn.countAll<string>().as("n"))
    .where("order_id", "=", settlement.order_id)
    .executeTakeFirstOrThrow();
  const order = await trx.selectFrom("orders").select("number").where("id", "=", settlement.order_id).executeTakeFirstOrThrow();
  const journal = await postJournal(trx, {
    idempotencyKey: `refund:${settlement.order_id}:${Number(n) + 1}`,
    kind: "refund",
    orderId: settlement.order_id,
    currency: refund.currency,
    memo: `Refund ${Number(n) + 1} of ${orderReference(order.number)}`,
    postedBy: input.actorUserId,
    entries: refundEntries({ buyerId: settlement.buyer_id, sellerId: settlement.seller_id, refund, commission: split.commission }),
  });
  const row = await trx
    .insertInto("refunds")
    .values({
      order_id: settlement.order_id,
      dispute_id: disputeId,
      journal_id: journal.id,
      currency,
      amount_minor: refund.amount,
      commission_minor: split.commission.amount,
      net_minor: split.net.amount,
      created_by: input.actorUserId,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await trx
    .updateTable("settlements")
    .set({
      refunded_minor: sql<string>`refunded_minor + ${refund.amount.toString()}::bigint`,
      commission_refunded_minor: sql<string>`commission_refunded_minor + ${split.commission.amount.toString()}::bigint`,
    })
    .where("order_id", "=", settlement.order_id)
    .execute();
  return { refundId: row.id, journalId: journal.id, commissionMinor: split.commission.amount, netMinor: split.net.amount };
}
