import { sql } from "kysely";
import { z } from "zod";
import type { ActorDeps } from "../deps";
import { parseInput } from "../input";
import { offsetOf, pageField, type Page } from "../list-input";
import { ruleSnapshotOf, type CommissionRuleSnapshot } from "./commission-rules-store";
import { assertSellerMoneyReader, moneyOf, MONEY_PAGE_SIZE, orderReference, payoutReference, type MoneyView } from "./shared";

export const listSellerSettlementsSchema = z.object({ page: pageField("settlement.filter.page_invalid") });
export type ListSellerSettlementsInput = z.input<typeof listSellerSettlementsSchema>;

export interface SellerSettlementView {
  order: { id: string; reference: string };
  buyer: { id: string; name: string };
  settledAt: string;
  /** The order total. */
  gross: MoneyView;
  commission: MoneyView;
  /** The commission rule applied, as frozen onto the settlement (later rule changes do not alter it). */
  rule: CommissionRuleSnapshot;
  /** gross − commission, as settled. */
  net: MoneyView;
  /** Refunded to the buyer since (all refunds). */
  refunded: MoneyView;
  /** The commission the refunds gave back. */
  commissionRefunded: MoneyView;
  /** What the refunds took back from the seller: refunded − commissionRefunded. */
  netRefunded: MoneyView;
  /** The payout that holds the settlement, once batched. */
  payout: { id: string; reference: string; status: string } | null;
}

/** The seller's settled orders, newest first, each with gross / commission (and the rule applied) / net / refunds (owners: read:payouts:org). */
export async function listSellerSettlements(deps: ActorDeps, input: unknown = {}): Promise<Page<SellerSettlementView>> {
  assertSellerMoneyReader(deps.actor);
  const { page } = parseInput(listSellerSettlementsSchema, input);
  const sellerId = deps.actor.organizationId;
  const { n } = await deps.db.selectFrom("settlements").select(sql<string>`count(*)`.as("n")).where("seller_id", "=", sellerId).executeTakeFirstOrThrow();
  const rows = await deps.db
    .selectFrom("settlements as st")
    .innerJoin("orders as o", "o.id", "st.order_id")
    .innerJoin("organizations as b", "b.id", "st.buyer_id")
    .leftJoin("payout_items as pi", "pi.journal_id", "st.journal_id")
    .leftJoin("payouts as p", "p.id", "pi.payout_id")
    .select([
      "st.order_id",
      "o.number",
      "st.buyer_id",
      "b.name as buyer_name",
      "st.settled_at",
      "st.currency",
      "st.gross_minor",
      "st.commission_minor",
      "st.rule",
      "st.net_minor",
      "st.refunded_minor",
      "st.commission_refunded_minor",
      "p.id as payout_id",
      "p.number as payout_number",
      "p.status as payout_status",
    ])
    .where("st.seller_id", "=", sellerId)
    .orderBy("st.settled_at", "desc")
    .orderBy("o.number", "desc")
    .limit(MONEY_PAGE_SIZE)
    .offset(offsetOf(page, MONEY_PAGE_SIZE))
    .execute();
  return {
    items: rows.map((r) => ({
      order: { id: r.order_id, reference: orderReference(r.number) },
      buyer: { id: r.buyer_id, name: r.buyer_name },
      settledAt: r.settled_at.toISOString(),
      gross: moneyOf(r.gross_minor, r.currency),
      commission: moneyOf(r.commission_minor, r.currency),
      rule: ruleSnapshotOf(r.rule),
      net: moneyOf(r.net_minor, r.currency),
      refunded: moneyOf(r.refunded_minor, r.currency),
      commissionRefunded: moneyOf(r.commission_refunded_minor, r.currency),
      netRefunded: moneyOf(BigInt(r.refunded_minor) - BigInt(r.commission_refunded_minor), r.currency),
      payout: r.payout_id && r.payout_number && r.payout_status ? { id: r.payout_id, reference: payoutReference(r.payout_number), status: r.payout_status } : null,
    })),
    page,
    pageSize: MONEY_PAGE_SIZE,
    total: Number(n),
  };
}
