import { sql } from "kysely";
import { z } from "zod";
import { withTransaction, type Db } from "@souk/db";
import { canMoveOrder, computeCommission, DomainError, notFound, settlementEntries, subtract, type OrderStatus } from "@souk/domain";
import type { PublicUrls, ServiceDeps } from "../deps";
import { parseInput } from "../input";
import { notifyMembers } from "../notifications/notify-members";
import { recordOrderEvent } from "../orders/order-events";
import { applicableRule, orderCategoryId, ruleSnapshot } from "./commission-rules-store";
import { existingId, orderReference, postJournal, storedMoney } from "./shared";

export const settleOrderSchema = z.object({ orderId: z.unknown() });
export type SettleOrderInput = z.input<typeof settleOrderSchema>;

export type SettleOrderStatus = "settled" | "already_settled" | "frozen" | "not_delivered";

export interface SettleOrderResult {
  orderId: string;
  /**
   * settled: this call posted the journal; already_settled: an earlier call did (a retry, a
   * duplicate job, another worker); frozen: a dispute is open, nothing posted (the dispute's
   * resolution settles it); not_delivered: the order is not delivered (yet, or cancelled...).
   */
  status: SettleOrderStatus;
  /** The settlement journal (this call's or the earlier one's); null when nothing is settled. */
  journalId: string | null;
}

/** Where postSettlement links the seller's notification to (its order page); no link without it. */
export interface PostSettlementOptions {
  publicUrls?: PublicUrls;
}

/**
 * The `order.settle` job's use case: settles a delivered order exactly once, whatever the retries,
 * duplicate jobs, concurrent workers or crashes. One transaction (see postSettlement).
 * An order whose currency has no commission rule → CONFLICT "commission.no_rule": the job fails and
 * waits for an operator to add the rule and retry it.
 */
export async function settleOrder(deps: ServiceDeps, input: SettleOrderInput): Promise<SettleOrderResult> {
  const orderId = existingId(parseInput(settleOrderSchema, input).orderId, "Order");
  return withTransaction(deps.db, (trx) => postSettlement(trx, orderId, { publicUrls: deps.publicUrls }));
}

/**
 * Settles the order inside the caller's transaction (resolveDispute uses it before a refund, once
 * it has marked the dispute resolved: an open dispute freezes settlement).
 *
 * Exactly once: the order row is locked (FOR UPDATE) first, so a second run waits and then finds
 * the settlements row ("already_settled"); anything that bypassed the lock would still fail on the
 * journal's unique idempotency key `settlement:<orderId>` and write nothing.
 *
 * Posting: the commission rule that applies (seller > nearest category of the order > default, in
 * the order's currency) is frozen onto the settlements row; the journal debits the buyer's
 * receivable with the order total and credits the seller's payable (net) and the commission
 * revenue; the order becomes settled (settled_at), its timeline gets a "settled" event, and the
 * seller's owners are told.
 */
export async function postSettlement(trx: Db, orderId: string, options: PostSettlementOptions = {}): Promise<SettleOrderResult> {
  const order = await trx
    .selectFrom("orders")
    .select(["id", "number", "buyer_id", "seller_id", "rfq_id", "category_id", "status", "currency", "total_minor"])
    .where("id", "=", orderId)
    .forUpdate()
    .executeTakeFirst();
  if (!order) throw notFound("Order");

  const existing = await trx.selectFrom("settlements").select("journal_id").where("order_id", "=", order.id).executeTakeFirst();
  if (existing) return { orderId: order.id, status: "already_settled", journalId: existing.journal_id };
  const dispute = await trx.selectFrom("disputes").select("id").where("order_id", "=", order.id).where("status", "=", "open").executeTakeFirst();
  if (dispute) return { orderId: order.id, status: "frozen", journalId: null };
  if (!canMoveOrder(order.status as OrderStatus, "settle", "system")) {
    if (order.status === "settled") throw new DomainError("INVARIANT", `Order ${order.id} is settled without a settlement`);
    return { orderId: order.id, status: "not_delivered", journalId: null };
  }

  const gross = storedMoney(order.total_minor, order.currency);
  const rule = await applicableRule(trx, { sellerId: order.seller_id, categoryId: await orderCategoryId(trx, order), currency: gross.currency });
  if (!rule) throw new DomainError("CONFLICT", "commission.no_rule", { _form: ["commission.no_rule"] });
  const commission = computeCommission(rule, gross);
  const net = subtract(gross, commission);
  const reference = orderReference(order.number);

  const journal = await postJournal(trx, {
    idempotencyKey: `settlement:${order.id}`,
    kind: "settlement",
    orderId: order.id,
    currency: gross.currency,
    memo: `Settlement of ${reference}`,
    entries: settlementEntries({ buyerId: order.buyer_id, sellerId: order.seller_id, gross, commission }),
  });
  await trx
    .insertInto("settlements")
    .values({
      order_id: order.id,
      buyer_id: order.buyer_id,
      seller_id: order.seller_id,
      journal_id: journal.id,
      currency: gross.currency,
      gross_minor: gross.amount,
      commission_minor: commission.amount,
      net_minor: net.amount,
      rule: JSON.stringify(ruleSnapshot(rule)),
    })
    .execute();
  await trx
    .updateTable("orders")
    .set({ status: "settled", settled_at: sql<Date>`now()`, updated_at: sql<Date>`now()`, version: sql<number>`version + 1` })
    .where("id", "=", order.id)
    .execute();
  await recordOrderEvent(trx, {
    orderId: order.id,
    buyerId: order.buyer_id,
    sellerId: order.seller_id,
    kind: "settled",
    actorUserId: null,
    actorKind: "system",
    data: { gross: gross.amount.toString(), commission: commission.amount.toString(), net: net.amount.toString() },
  });
  await notifyMembers(trx, {
    organizationId: order.seller_id,
    roles: ["owner"],
    template: "order.settled",
    params: (member) => ({
      name: member.name,
      orderReference: reference,
      grossMinor: gross.amount.toString(),
      commissionMinor: commission.amount.toString(),
      netMinor: net.amount.toString(),
      currency: gross.currency,
      ...(options.publicUrls ? { orderUrl: `${options.publicUrls.seller}/orders/${order.id}` } : {}),
    }),
  });
  return { orderId: order.id, status: "settled", journalId: journal.id };
}
