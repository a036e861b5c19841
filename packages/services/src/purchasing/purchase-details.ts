import type { ApprovalStatus, Db, DeliveryAddress, PurchaseStatus } from "@souk/db";
import { can, type Actor } from "@souk/domain";
import { moneyOf } from "../catalogue/pricing/money-view";
import { orderReference } from "../rfq/common";
import { purchaseReference, type MoneyView } from "./shared";

export interface PurchaseLineView {
  position: number;
  /** Null once the listing was deleted (the line keeps what was bought). */
  listingId: string | null;
  sku: string;
  description: string;
  unit: string;
  quantity: number;
  unitPrice: MoneyView;
  lineTotal: MoneyView;
}

export interface PurchaseView {
  id: string;
  reference: string;
  status: PurchaseStatus;
  total: MoneyView;
  poNumber: string;
  deliveryAddress: DeliveryAddress;
  placedBy: string | null;
  createdAt: string;
  decidedAt: string | null;
  /** One entry per seller (in the lines' order), with the order placed for it once the purchase is placed. */
  sellers: {
    seller: { id: string; name: string };
    lines: PurchaseLineView[];
    subtotal: MoneyView;
    order: { id: string; reference: string; status: string } | null;
  }[];
  /** The approval the purchase went through (the latest), if one was needed. */
  approval: {
    id: string;
    status: ApprovalStatus;
    approverRole: "admin" | "approver";
    decidedBy: string | null;
    decidedAt: string | null;
    comment: string;
    /** The actor may open the approval's page (they asked for it, or they are one of its approvers). */
    canOpen: boolean;
  } | null;
  /** The actor may withdraw it back into their cart (they checked it out, it still waits). */
  canWithdraw: boolean;
}

/** A purchase of `buyerId` with its lines, orders and approval, or null (another buyer's is none of ours). */
export async function purchaseDetails(db: Db, purchaseId: string, buyerId: string, actor: Actor): Promise<PurchaseView | null> {
  const p = await db
    .selectFrom("purchases as p")
    .leftJoin("users as u", "u.id", "p.placed_by")
    .selectAll("p")
    .select("u.name as placed_by_name")
    .where("p.id", "=", purchaseId)
    .where("p.buyer_id", "=", buyerId)
    .executeTakeFirst();
  if (!p) return null;
  const [lines, orders, approval] = await Promise.all([
    db
      .selectFrom("purchase_lines as pl")
      .innerJoin("organizations as s", "s.id", "pl.seller_id")
      .select(["pl.position", "pl.listing_id", "pl.seller_id", "s.name as seller_name", "pl.sku", "pl.description", "pl.unit", "pl.quantity", "pl.unit_price_minor", "pl.line_total_minor"])
      .where("pl.purchase_id", "=", p.id)
      .where("pl.buyer_id", "=", buyerId)
      .orderBy("pl.position")
      .execute(),
    db.selectFrom("orders").select(["id", "number", "seller_id", "status"]).where("purchase_id", "=", p.id).where("buyer_id", "=", buyerId).execute(),
    db
      .selectFrom("approvals as a")
      .leftJoin("users as d", "d.id", "a.decided_by")
      .select(["a.id", "a.status", "a.approver_role", "a.requested_by", "a.decided_at", "a.comment", "d.name as decider_name"])
      .where("a.subject_kind", "=", "purchase")
      .where("a.subject_id", "=", p.id)
      .where("a.buyer_id", "=", buyerId)
      .orderBy("a.requested_at", "desc")
      .orderBy("a.id")
      .executeTakeFirst(),
  ]);
  const sellers = new Map<string, PurchaseView["sellers"][number] & { subtotalMinor: bigint }>();
  for (const l of lines) {
    let seller = sellers.get(l.seller_id);
    if (!seller) {
      const order = orders.find((o) => o.seller_id === l.seller_id);
      seller = {
        seller: { id: l.seller_id, name: l.seller_name },
        lines: [],
        subtotal: moneyOf(0n, p.currency),
        subtotalMinor: 0n,
        order: order ? { id: order.id, reference: orderReference(order.number), status: order.status } : null,
      };
      sellers.set(l.seller_id, seller);
    }
    seller.subtotalMinor += BigInt(l.line_total_minor);
    seller.lines.push({
      position: l.position,
      listingId: l.listing_id,
      sku: l.sku,
      description: l.description,
      unit: l.unit,
      quantity: l.quantity,
      unitPrice: moneyOf(l.unit_price_minor, p.currency),
      lineTotal: moneyOf(l.line_total_minor, p.currency),
    });
  }
  return {
    id: p.id,
    reference: purchaseReference(p.number),
    status: p.status,
    total: moneyOf(p.total_minor, p.currency),
    poNumber: p.po_number,
    deliveryAddress: p.delivery_address as DeliveryAddress,
    placedBy: p.placed_by_name,
    createdAt: p.created_at.toISOString(),
    decidedAt: p.decided_at?.toISOString() ?? null,
    sellers: [...sellers.values()].map(({ subtotalMinor, ...s }) => ({ ...s, subtotal: moneyOf(subtotalMinor, p.currency) })),
    approval: approval
      ? {
          id: approval.id,
          status: approval.status,
          approverRole: approval.approver_role,
          decidedBy: approval.decider_name,
          decidedAt: approval.decided_at?.toISOString() ?? null,
          comment: approval.comment,
          canOpen: approval.requested_by === actor.userId || (can(actor.organizationKind, actor.role, "approve:purchase:org") && approval.approver_role === actor.role),
        }
      : null,
    canWithdraw: p.status === "pending_approval" && p.placed_by === actor.userId && can(actor.organizationKind, actor.role, "create:order:org"),
  };
}
