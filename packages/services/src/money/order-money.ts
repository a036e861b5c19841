import type { Db } from "@souk/db";
import { can, type Actor, type Permission } from "@souk/domain";
import { ruleSnapshotOf, type CommissionRuleSnapshot } from "./commission-rules-store";
import { rfqReference } from "../rfq/common";
import { moneyOf, orderReference, payoutReference, type MoneyView } from "./shared";

/** The money of one order, shared by getOrderMoney and the order pages (getSellerOrder, getBuyerOrder, getDispute). Not exported from the package. */

export interface OrderRefundView {
  id: string;
  amount: MoneyView;
  /** The commission share given back (null for the buyer). */
  commission: MoneyView | null;
  /** The share taken back from the seller (null for the buyer). */
  net: MoneyView | null;
  createdAt: string;
}

export interface OrderMoneyView {
  orderId: string;
  reference: string;
  status: string;
  /** The order total. */
  gross: MoneyView;
  settled: boolean;
  settledAt: string | null;
  /** A dispute is open: settlement (or the payout of the settlement) waits for its resolution. */
  frozen: boolean;
  /** Seller and operator only (null for the buyer, and before settlement). */
  commission: MoneyView | null;
  net: MoneyView | null;
  /** The rule applied, as frozen at settlement (seller and operator only). */
  rule: CommissionRuleSnapshot | null;
  /** Refunded to the buyer so far. */
  refunded: MoneyView;
  refunds: OrderRefundView[];
  /** The payout that holds the settlement (seller and operator only). */
  payout: { id: string; reference: string; status: string } | null;
  /** The RFQ the order was awarded from (null for a catalogue order). */
  rfq: { id: string; reference: string; title: string } | null;
}

/**
 * Who reads an order's whole money (commission, net, rule, payout): the seller's members who read
 * its money (owners: read:payouts:org) and operators who read the ledger or resolve disputes. The
 * buyer, and the seller's other members, read the total and the refunds only.
 */
export function readsFullOrderMoney(actor: Actor): boolean {
  const may = (permission: Permission) => can(actor.organizationKind, actor.role, permission);
  if (actor.organizationKind === "seller") return may("read:payouts:org");
  if (actor.organizationKind === "operator") return may("read:ledger:any") || may("resolve:disputes:any");
  return false;
}

export interface OrderMoneyScope {
  /** Only an order of this buyer, or of this seller; neither: any order (the caller checked the reader). */
  buyerId?: string;
  sellerId?: string;
  /** The commission, net, rule, payout and refunds' split too (the order's seller with read:payouts:org, operators); else gross and refunds only. */
  full: boolean;
}

/**
 * The money of one order (null when it is not in `scope`). No permission check: the callers do it
 * (getOrderMoney, and the order reads once they have found the order the reader may see).
 */
export async function orderMoney(db: Db, orderId: string, scope: OrderMoneyScope): Promise<OrderMoneyView | null> {
  const order = await db
    .selectFrom("orders as o")
    .leftJoin("settlements as st", "st.order_id", "o.id")
    .leftJoin("payout_items as pi", "pi.journal_id", "st.journal_id")
    .leftJoin("payouts as p", "p.id", "pi.payout_id")
    .leftJoin("rfqs as r", "r.id", "o.rfq_id")
    .select([
      "o.id",
      "o.number",
      "o.status",
      "o.currency",
      "o.total_minor",
      "st.settled_at",
      "st.commission_minor",
      "st.net_minor",
      "st.rule",
      "st.refunded_minor",
      "p.id as payout_id",
      "p.number as payout_number",
      "p.status as payout_status",
      "r.id as rfq_id",
      "r.number as rfq_number",
      "r.title as rfq_title",
      (eb) => eb.exists(eb.selectFrom("disputes as d").select("d.id").whereRef("d.order_id", "=", "o.id").where("d.status", "=", "open")).as("frozen"),
    ])
    .where("o.id", "=", orderId)
    .$if(scope.sellerId !== undefined, (qb) => qb.where("o.seller_id", "=", scope.sellerId!))
    .$if(scope.buyerId !== undefined, (qb) => qb.where("o.buyer_id", "=", scope.buyerId!))
    .executeTakeFirst();
  if (!order) return null;
  const { full } = scope;
  const refunds = await db.selectFrom("refunds").select(["id", "amount_minor", "commission_minor", "net_minor", "created_at"]).where("order_id", "=", order.id).orderBy("created_at").orderBy("id").execute();
  const settled = order.settled_at !== null;
  return {
    orderId: order.id,
    reference: orderReference(order.number),
    status: order.status,
    gross: moneyOf(order.total_minor, order.currency),
    settled,
    settledAt: order.settled_at?.toISOString() ?? null,
    frozen: Boolean(order.frozen),
    commission: full && order.commission_minor !== null ? moneyOf(order.commission_minor, order.currency) : null,
    net: full && order.net_minor !== null ? moneyOf(order.net_minor, order.currency) : null,
    rule: full && settled ? ruleSnapshotOf(order.rule) : null,
    refunded: moneyOf(order.refunded_minor ?? "0", order.currency),
    refunds: refunds.map((r) => ({
      id: r.id,
      amount: moneyOf(r.amount_minor, order.currency),
      commission: full ? moneyOf(r.commission_minor, order.currency) : null,
      net: full ? moneyOf(r.net_minor, order.currency) : null,
      createdAt: r.created_at.toISOString(),
    })),
    payout: full && order.payout_id && order.payout_number && order.payout_status ? { id: order.payout_id, reference: payoutReference(order.payout_number), status: order.payout_status } : null,
    rfq: order.rfq_id && order.rfq_number !== null && order.rfq_title !== null ? { id: order.rfq_id, reference: rfqReference(order.rfq_number), title: order.rfq_title } : null,
  };
}
