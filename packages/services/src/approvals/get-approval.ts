import { z } from "zod";
import { notFound } from "@souk/domain";
import type { Db } from "@souk/db";
import type { ActorDeps } from "../deps";
import { parseInput } from "../input";
import { approvalVisibleTo, assertMayReadApprovals, decisionBlocker, type DecisionBlocker } from "./approval-access";
import type { ApprovalRowView } from "./list-approvals";
import { purchaseDetails, type PurchaseView } from "../purchasing/purchase-details";
import { existingId, moneyOf, orderReference, rfqReference, type ApproverRole, type MoneyView } from "./shared";

export const getApprovalSchema = z.object({ approvalId: z.unknown() });

export interface AwardDetailsView {
  awardId: string;
  status: "pending_approval" | "approved" | "rejected";
  note: string;
  total: MoneyView;
  rfq: { id: string; reference: string; title: string; status: string; incoterm: string; deliveryPlace: string };
  /** One entry per awarded seller, lines in the RFQ's order. */
  sellers: {
    sellerId: string;
    name: string;
    leadTimeDays: number;
    total: MoneyView;
    lines: { lineId: string; description: string; unit: string; quantity: number; lineQuantity: number; unitPrice: MoneyView; lineTotal: MoneyView }[];
    /** The order placed for this seller once the award was approved. */
    order: { id: string; reference: string } | null;
  }[];
}

export interface ApprovalView extends ApprovalRowView {
  comment: string;
  /** Why the actor may not decide it (a message key), or null when they may. */
  blocker: DecisionBlocker | null;
  award: AwardDetailsView | null;
  /** The catalogue purchase it is about (subject "purchase"): lines per seller, PO number, delivery address. */
  purchase: PurchaseView | null;
  /** Every level of its chain (level order): who decides each, and how it went so far. */
  chain: { id: string; level: 1 | 2; approverRole: ApproverRole; status: ApprovalRowView["status"]; decidedBy: string | null; decidedAt: string | null }[];
  /** The budget it went beyond (reason "budget"), if that budget still exists: its amount and period. */
  budget: { amount: MoneyView; period: "month" | "quarter"; scope: "organization" | "member" } | null;
}

/** One approval the actor may see (see approvalVisibleTo), with the award or the catalogue purchase it is about. */
export async function getApproval(deps: ActorDeps, input: unknown): Promise<ApprovalView> {
  const { actor, db } = deps;
  assertMayReadApprovals(actor);
  const approvalId = existingId(parseInput(getApprovalSchema, input).approvalId, "Approval");
  const a = await db
    .selectFrom("approvals as a")
    .leftJoin("users as req", "req.id", "a.requested_by")
    .leftJoin("users as dec", "dec.id", "a.decided_by")
    .selectAll("a")
    .select(["req.name as requester_name", "dec.name as decider_name"])
    .where("a.id", "=", approvalId)
    .where(approvalVisibleTo(actor))
    .executeTakeFirst();
  if (!a) throw notFound("Approval");
  const award = a.subject_kind === "award" ? await awardDetails(db, a.subject_id, a.buyer_id) : null;
  const purchase = a.subject_kind === "purchase" ? await purchaseDetails(db, a.subject_id, a.buyer_id, actor) : null;
  const blocker = decisionBlocker(actor, a);
  const levels = await db
    .selectFrom("approvals as c")
    .leftJoin("users as d", "d.id", "c.decided_by")
    .select(["c.id", "c.level", "c.approver_role", "c.status", "c.decided_at", "d.name as decider_name"])
    .where("c.subject_kind", "=", a.subject_kind)
    .where("c.subject_id", "=", a.subject_id)
    .where("c.buyer_id", "=", a.buyer_id)
    .orderBy("c.level")
    .orderBy("c.requested_at")
    .execute();
  const chain = levels.map((c) => ({ id: c.id, level: c.level, approverRole: c.approver_role, status: c.status, decidedBy: c.decider_name, decidedAt: c.decided_at?.toISOString() ?? null }));
  // A level 1 still waiting announces its second level before it exists.
  if (a.level === 1 && a.next_approver_role && !chain.some((c) => c.level === 2)) chain.push({ id: "", level: 2, approverRole: a.next_approver_role, status: "pending", decidedBy: null, decidedAt: null });
  const budgetRow = a.budget_id ? await db.selectFrom("budgets").select(["amount_minor", "currency", "period", "organization_id"]).where("id", "=", a.budget_id).executeTakeFirst() : undefined;
  return {
    id: a.id,
    subjectKind: a.subject_kind,
    reference: award?.rfq.reference ?? purchase?.reference ?? "",
    title: award?.rfq.title ?? (purchase ? purchase.sellers.map((s) => s.seller.name).join(", ") : ""),
    amount: moneyOf(a.amount_minor, a.currency),
    threshold: moneyOf(a.threshold_minor, a.currency),
    approverRole: a.approver_role,
    status: a.status,
    requestedBy: a.requester_name ?? "",
    requestedAt: a.requested_at.toISOString(),
    decidedBy: a.decider_name,
    decidedAt: a.decided_at?.toISOString() ?? null,
    mine: a.requested_by === actor.userId,
    canDecide: blocker === null,
    comment: a.comment,
    blocker,
    award,
    purchase,
    level: a.level,
    levels: a.level === 2 || a.next_approver_role !== null ? 2 : 1,
    reason: a.reason,
    chain,
    budget: budgetRow ? { amount: moneyOf(budgetRow.amount_minor, budgetRow.currency), period: budgetRow.period, scope: budgetRow.organization_id ? "organization" : "member" } : null,
  };
}

/** An award of `buyerId` with its lines grouped per seller (sellers in the order of their first line). */
export async function awardDetails(db: Db, awardId: string, buyerId: string): Promise<AwardDetailsView | null> {
  const award = await db
    .selectFrom("awards as aw")
    .innerJoin("rfqs as r", "r.id", "aw.rfq_id")
    .select(["aw.id", "aw.status", "aw.note", "aw.currency", "aw.total_minor", "r.id as rfq_id", "r.number", "r.title", "r.status as rfq_status", "r.incoterm", "r.delivery_place"])
    .where("aw.id", "=", awardId)
    .where("aw.buyer_id", "=", buyerId)
    .executeTakeFirst();
  if (!award) return null;
  const lines = await db
    .selectFrom("award_lines as al")
    .innerJoin("rfq_lines as l", "l.id", "al.line_id")
    .innerJoin("offers as o", "o.id", "al.offer_id")
    .innerJoin("organizations as s", "s.id", "al.seller_id")
    .select(["al.seller_id", "s.name", "o.lead_time_days", "al.line_id", "l.description", "l.unit", "l.quantity as line_quantity", "l.position", "al.quantity", "al.unit_price_minor"])
    .where("al.award_id", "=", award.id)
    .orderBy("l.position")
    .orderBy("s.name")
    .execute();
  const orders = await db.selectFrom("orders").select(["id", "number", "seller_id"]).where("award_id", "=", award.id).where("buyer_id", "=", buyerId).execute();
  const sellers = new Map<string, AwardDetailsView["sellers"][number] & { totalMinor: bigint }>();
  for (const l of lines) {
    let seller = sellers.get(l.seller_id);
    if (!seller) {
      const order = orders.find((o) => o.seller_id === l.seller_id);
      seller = { sellerId: l.seller_id, name: l.name, leadTimeDays: l.lead_time_days, total: moneyOf(0n, award.currency), totalMinor: 0n, lines: [], order: order ? { id: order.id, reference: orderReference(order.number) } : null };
      sellers.set(l.seller_id, seller);
    }
    const lineTotal = BigInt(l.unit_price_minor) * BigInt(l.quantity);
    seller.totalMinor += lineTotal;
    seller.lines.push({
      lineId: l.line_id,
      description: l.description,
      unit: l.unit,
      quantity: l.quantity,
      lineQuantity: l.line_quantity,
      unitPrice: moneyOf(l.unit_price_minor, award.currency),
      lineTotal: moneyOf(lineTotal, award.currency),
    });
  }
  return {
    awardId: award.id,
    status: award.status,
    note: award.note,
    total: moneyOf(award.total_minor, award.currency),
    rfq: { id: award.rfq_id, reference: rfqReference(award.number), title: award.title, status: award.rfq_status, incoterm: award.incoterm, deliveryPlace: award.delivery_place },
    sellers: [...sellers.values()].map(({ totalMinor, ...s }) => ({ ...s, total: moneyOf(totalMinor, award.currency) })),
  };
}
