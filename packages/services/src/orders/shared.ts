import { z } from "zod";
import { sql, type ExpressionBuilder, type Expression, type SqlBool } from "kysely";
import type { Database, Db, DeliveryAddress, OrderActorKind, OrderStatusColumn } from "@souk/db";
import { allowedOrderMoves, assertCan, can, disputeWindowClosesAt, DomainError, forbidden, notFound, type Actor, type OrderMove, type OrganizationKind } from "@souk/domain";
import { dayField, nextDay, offsetOf, optionalFilter, pageField, type Page } from "../list-input";
import { existingId, moneyOf, orderReference, rfqReference, type MoneyView } from "../approvals/shared";
import { containsPattern } from "../list-input";
import { orderMoney, readsFullOrderMoney, type OrderMoneyView } from "../money/order-money";
import { dbNow } from "../clock";
import { DISPUTE_WINDOW_DAYS, MOVE_PERMISSIONS, moveState, type DisputeRow, type OrderRow } from "./lifecycle";

/** Helpers of the order use cases (not exported from the package). */

export const ORDER_STATUSES = ["placed", "accepted", "rejected", "shipped", "delivered", "settled", "cancelled"] as const satisfies readonly OrderStatusColumn[];
export type OrderStatus = (typeof ORDER_STATUSES)[number];
export const ORDERS_PAGE_SIZE = 25;
const QUERY_MAX = 200;
/** The counterparties a list offers as a filter (the most recent ones first). */
const COUNTERPARTIES_MAX = 200;

export const listOrdersSchema = z
  .object({
    /** The order's reference or number, its PO number, the RFQ's reference or title, or the other party's name. */
    q: optionalFilter(z.string({ error: "order.filter.query_invalid" }).trim().max(QUERY_MAX, { error: "order.filter.query_too_long" })),
    status: optionalFilter(z.enum(ORDER_STATUSES, { error: "order.filter.status_invalid" })),
    /** The other party's organisation id (the seller for the buyer, the buyer for the seller). */
    counterparty: optionalFilter(z.string({ error: "order.filter.counterparty_invalid" }).trim().toLowerCase().pipe(z.uuid({ error: "order.filter.counterparty_invalid" }))),
    /** Placed on or after this day (UTC). */
    from: dayField("order.filter.from_invalid"),
    /** Placed on or before this day (UTC), the whole day included. */
    to: dayField("order.filter.to_invalid"),
    page: pageField("order.filter.page_invalid"),
  })
  .superRefine((f, ctx) => {
    if (f.from && f.to && f.to < f.from) ctx.addIssue({ code: "custom", path: ["to"], message: "order.filter.range_invalid" });
  });
export type ListOrdersInput = z.input<typeof listOrdersSchema>;
type ListOrdersFilters = z.output<typeof listOrdersSchema>;

export const getOrderSchema = z.object({ orderId: z.unknown() });

export interface OrderRowView {
  id: string;
  reference: string;
  status: OrderStatus;
  /** The other party: the seller for the buyer, the buyer for the seller. */
  counterparty: { id: string; name: string };
  rfq: { id: string; reference: string; title: string } | null;
  total: MoneyView;
  lineCount: number;
  leadTimeDays: number;
  placedAt: string;
  expectedDeliveryAt: string | null;
  poNumber: string;
  /** A cancellation request waiting for an answer, and who made it. */
  cancellationRequestedBy: "buyer" | "seller" | null;
  disputeStatus: "open" | "resolved" | null;
}

export interface OrderEventView {
  id: string;
  kind: string;
  actorKind: OrderActorKind;
  /** The acting member's name when the viewer may know it (its own organisation's members; operators see all). */
  actorName: string | null;
  at: string;
  /** What the event carries: reason, carrier, trackingReference, note, resolution, refundMinor, currency, confirmedBy... */
  data: Record<string, string | number | boolean | null>;
}

export interface OrderDisputeView {
  id: string;
  status: "open" | "resolved";
  reason: string;
  openedAt: string;
  resolution: "release" | "partial_refund" | "full_refund" | null;
  refund: MoneyView | null;
  resolvedAt: string | null;
  note: string;
}

export interface OrderView extends OrderRowView {
  lines: { id: string; position: number; description: string; unit: string; quantity: number; unitPrice: MoneyView; lineTotal: MoneyView }[];
  deliveredAt: string | null;
  /** The award's note to the sellers is the buyer's own: shown to the buyer only. */
  awardNote: string | null;
  /** The order's version: forms send it back, and a move on an order that changed since is refused. */
  version: number;
  purchaseId: string | null;
  deliveryAddress: DeliveryAddress | null;
  acceptedAt: string | null;
  rejectedAt: string | null;
  rejectReason: string | null;
  shippedAt: string | null;
  carrier: string | null;
  trackingReference: string | null;
  deliveryConfirmedBy: "buyer" | "auto" | null;
  cancelledAt: string | null;
  cancelReason: string | null;
  settledAt: string | null;
  cancellation: { requestedBy: "buyer" | "seller"; requestedAt: string; reason: string } | null;
  dispute: OrderDisputeView | null;
  /** Until when the buyer may open a dispute (delivered or settled orders without one). */
  disputeWindowClosesAt: string | null;
  /** Oldest first. */
  timeline: OrderEventView[];
  /**
   * The order's money (money's orderMoney): the total and refunds for everyone; the commission with
   * the rule frozen at settlement, the net and the payout too for the seller's members who read its
   * money (owners) and for operators.
   */
  money: OrderMoneyView;
  /** The moves the viewer may make now (the domain's table and guards, and the viewer's permissions). */
  moves: OrderMove[];
}

export interface OrdersPage extends Page<OrderRowView> {
  /** The side's orders per status under the other filters: the list's tabs. */
  counts: Record<OrderStatus, number>;
  /** The other parties of the side's orders, for the counterparty filter (by name). */
  counterparties: { id: string; name: string }[];
}

export type Side = "buyer" | "seller";

export function assertOrderReader(actor: Actor, side: Side): void {
  const kind: OrganizationKind = side;
  if (actor.organizationKind !== kind) throw forbidden("Missing permission read:orders:org");
  assertCan(actor, "read:orders:org");
}

function textFilter(q: string) {
  // "ORD-000042" finds order 42, "RFQ-000042" the orders of RFQ 42, a bare "42" or "#42" either.
  const match = /^(ord-|rfq-|#)?0*(\d{1,18})$/i.exec(q.trim());
  const prefix = match?.[1]?.toLowerCase();
  const digits = match?.[2];
  return (eb: ExpressionBuilder<Database & { o: Database["orders"]; p: Database["organizations"]; r: Database["rfqs"] }, "o" | "p" | "r">): Expression<SqlBool> =>
    eb.or([
      eb("p.name", "ilike", containsPattern(q)),
      eb("r.title", "ilike", containsPattern(q)),
      eb("o.po_number", "ilike", containsPattern(q)),
      ...(digits && prefix !== "rfq-" ? [eb(sql`o.number`, "=", digits)] : []),
      ...(digits && prefix !== "ord-" ? [eb(sql`r.number`, "=", digits)] : []),
    ]);
}

function ordersOf(db: Db, side: Side, organizationId: string, filters: Partial<Omit<ListOrdersFilters, "status" | "page">>) {
  const partyColumn = side === "buyer" ? "o.seller_id" : "o.buyer_id";
  const { q, counterparty, from, to } = filters;
  return db
    .selectFrom("orders as o")
    .innerJoin("organizations as p", "p.id", partyColumn)
    .leftJoin("rfqs as r", "r.id", "o.rfq_id")
    .where(side === "buyer" ? "o.buyer_id" : "o.seller_id", "=", organizationId)
    .$if(q !== undefined, (qb) => qb.where(textFilter(q as string)))
    .$if(counterparty !== undefined, (qb) => qb.where(partyColumn, "=", counterparty as string))
    .$if(from !== undefined, (qb) => qb.where("o.placed_at", ">=", from as Date))
    .$if(to !== undefined, (qb) => qb.where("o.placed_at", "<", nextDay(to as Date)));
}

/** One page of the buyer's or the seller's orders, newest first. */
export async function listOrders(db: Db, side: Side, organizationId: string, filters: ListOrdersFilters): Promise<OrdersPage> {
  const countRows = await ordersOf(db, side, organizationId, filters)
    .select(["o.status", (eb) => eb.fn.countAll<string>().as("n")])
    .groupBy("o.status")
    .execute();
  const counts = Object.fromEntries(ORDER_STATUSES.map((s) => [s, 0])) as Record<OrderStatus, number>;
  for (const row of countRows) counts[row.status] = Number(row.n);
  const total = filters.status ? counts[filters.status] : Object.values(counts).reduce((a, b) => a + b, 0);
  const rows = await ordersOf(db, side, organizationId, filters)
    .$if(filters.status !== undefined, (qb) => qb.where("o.status", "=", filters.status!))
    .select([
      "o.id",
      "o.number",
      "o.status",
      "o.currency",
      "o.total_minor",
      "o.lead_time_days",
      "o.placed_at",
      "o.expected_delivery_at",
      "o.po_number",
      "o.cancellation_requested_by",
      "p.id as party_id",
      "p.name as party_name",
      "r.id as rfq_id",
      "r.number as rfq_number",
      "r.title as rfq_title",
      (eb) => eb.selectFrom("order_lines as ol").select((e) => e.fn.countAll<string>().as("n")).whereRef("ol.order_id", "=", "o.id").as("line_count"),
      (eb) => eb.selectFrom("disputes as d").select("d.status").whereRef("d.order_id", "=", "o.id").as("dispute_status"),
    ])
    .orderBy("o.placed_at", "desc")
    .orderBy("o.number", "desc")
    .limit(ORDERS_PAGE_SIZE)
    .offset(offsetOf(filters.page, ORDERS_PAGE_SIZE))
    .execute();
  const partyColumn = side === "buyer" ? "o.seller_id" : "o.buyer_id";
  const counterparties = await db
    .selectFrom("orders as o")
    .innerJoin("organizations as p", "p.id", partyColumn)
    .select(["p.id", "p.name", (eb) => eb.fn.max("o.placed_at").as("last")])
    .where(side === "buyer" ? "o.buyer_id" : "o.seller_id", "=", organizationId)
    .groupBy(["p.id", "p.name"])
    .orderBy("last", "desc")
    .limit(COUNTERPARTIES_MAX)
    .execute();
  return {
    items: rows.map(rowView),
    page: filters.page,
    pageSize: ORDERS_PAGE_SIZE,
    total,
    counts,
    counterparties: counterparties.map((c) => ({ id: c.id, name: c.name })).sort((a, b) => a.name.localeCompare(b.name)),
  };
}

function rowView(r: {
  id: string;
  number: string;
  status: OrderStatus;
  currency: string;
  total_minor: string;
  lead_time_days: number;
  placed_at: Date;
  expected_delivery_at: Date | null;
  po_number: string;
  cancellation_requested_by: "buyer" | "seller" | null;
  party_id: string;
  party_name: string;
  rfq_id: string | null;
  rfq_number: string | null;
  rfq_title: string | null;
  line_count: string | null;
  dispute_status: "open" | "resolved" | null;
}): OrderRowView {
  return {
    id: r.id,
    reference: orderReference(r.number),
    status: r.status,
    counterparty: { id: r.party_id, name: r.party_name },
    rfq: r.rfq_id && r.rfq_number !== null ? { id: r.rfq_id, reference: rfqReference(r.rfq_number), title: r.rfq_title ?? "" } : null,
    total: moneyOf(r.total_minor, r.currency),
    lineCount: Number(r.line_count ?? 0),
    leadTimeDays: r.lead_time_days,
    placedAt: r.placed_at.toISOString(),
    expectedDeliveryAt: r.expected_delivery_at?.toISOString() ?? null,
    poNumber: r.po_number,
    cancellationRequestedBy: r.cancellation_requested_by,
    disputeStatus: r.dispute_status ?? null,
  };
}

/** Who reads an order: its buyer's or its seller's member (names of the other side hidden), or an operator. */
export type OrderViewer = { side: Side; actor: Actor } | { side: "operator"; actor: Actor };

/** One order of the buyer's or the seller's organisation with its lines; any other id is NOT_FOUND. */
export async function getOrder(db: Db, side: Side, actor: Actor, orderIdInput: unknown): Promise<OrderView> {
  const orderId = existingId(orderIdInput, "Order");
  const row = await ordersOf(db, side, actor.organizationId, {})
    .where("o.id", "=", orderId)
    .select("o.id")
    .executeTakeFirst();
  if (!row) throw notFound("Order");
  return orderDetail(db, row.id, { side, actor });
}

/**
 * The whole order as `viewer` sees it (the caller checked that the viewer may read it): lines,
 * lifecycle fields, cancellation request, dispute, timeline and the moves the viewer may make now.
 */
export async function orderDetail(db: Db, orderId: string, viewer: OrderViewer): Promise<OrderView> {
  const order: OrderRow = await db.selectFrom("orders").selectAll().where("id", "=", orderId).executeTakeFirstOrThrow();
  const partyId = viewer.side === "seller" ? order.buyer_id : order.seller_id;
  const [party, rfq, award, lines, dispute, now, money] = await Promise.all([
    db.selectFrom("organizations").select(["id", "name"]).where("id", "=", partyId).executeTakeFirstOrThrow(),
    order.rfq_id ? db.selectFrom("rfqs").select(["id", "number", "title"]).where("id", "=", order.rfq_id).executeTakeFirst() : Promise.resolve(undefined),
    order.award_id ? db.selectFrom("awards").select("note").where("id", "=", order.award_id).executeTakeFirst() : Promise.resolve(undefined),
    db.selectFrom("order_lines").select(["id", "position", "description", "unit", "quantity", "unit_price_minor", "line_total_minor"]).where("order_id", "=", order.id).orderBy("position").execute(),
    db.selectFrom("disputes").selectAll().where("order_id", "=", order.id).executeTakeFirst(),
    dbNow(db),
    orderMoney(db, order.id, { full: readsFullOrderMoney(viewer.actor) }),
  ]);
  if (!money) throw new DomainError("INVARIANT", `Order ${order.id} has no money view`);
  const timeline = await orderTimeline(db, order.id, viewer);
  const disputeRow: DisputeRow | null = dispute ?? null;
  return {
    ...rowView({
      ...order,
      party_id: party.id,
      party_name: party.name,
      rfq_id: rfq?.id ?? null,
      rfq_number: rfq?.number ?? null,
      rfq_title: rfq?.title ?? null,
      line_count: String(lines.length),
      dispute_status: disputeRow?.status ?? null,
    }),
    lines: lines.map((l) => ({
      id: l.id,
      position: l.position,
      description: l.description,
      unit: l.unit,
      quantity: l.quantity,
      unitPrice: moneyOf(l.unit_price_minor, order.currency),
      lineTotal: moneyOf(l.line_total_minor, order.currency),
    })),
    deliveredAt: iso(order.delivered_at),
    awardNote: viewer.side === "buyer" ? (award?.note ?? null) || null : null,
    version: order.version,
    purchaseId: order.purchase_id,
    deliveryAddress: deliveryAddressOf(order.delivery_address),
    acceptedAt: iso(order.accepted_at),
    rejectedAt: iso(order.rejected_at),
    rejectReason: order.reject_reason,
    shippedAt: iso(order.shipped_at),
    carrier: order.carrier,
    trackingReference: order.tracking_reference,
    deliveryConfirmedBy: order.delivery_confirmed_by,
    cancelledAt: iso(order.cancelled_at),
    cancelReason: order.cancel_reason,
    settledAt: iso(order.settled_at),
    cancellation:
      order.cancellation_requested_by && order.cancellation_requested_at
        ? { requestedBy: order.cancellation_requested_by, requestedAt: order.cancellation_requested_at.toISOString(), reason: order.cancellation_reason ?? "" }
        : null,
    dispute: disputeRow ? disputeView(disputeRow, order.currency) : null,
    disputeWindowClosesAt: !disputeRow && order.delivered_at && (order.status === "delivered" || order.status === "settled") ? disputeWindowClosesAt(order.delivered_at, DISPUTE_WINDOW_DAYS).toISOString() : null,
    timeline,
    money,
    moves: viewer.side === "operator" ? operatorMoves(order, disputeRow, now, viewer.actor) : viewerMoves(order, disputeRow, now, viewer.side, viewer.actor),
  };
}

function viewerMoves(order: OrderRow, dispute: DisputeRow | null, now: Date, side: Side, actor: Actor): OrderMove[] {
  return allowedOrderMoves(order.status, moveState({ order, dispute, now }, side)).filter((move) => {
    const permission = MOVE_PERMISSIONS[side][move];
    return permission !== undefined && can(actor.organizationKind, actor.role, permission);
  });
}

function operatorMoves(order: OrderRow, dispute: DisputeRow | null, now: Date, actor: Actor): OrderMove[] {
  if (!can(actor.organizationKind, actor.role, "resolve:disputes:any")) return [];
  return allowedOrderMoves(order.status, moveState({ order, dispute, now }, "operator"));
}

export function disputeView(d: DisputeRow, currency: string): OrderDisputeView {
  return {
    id: d.id,
    status: d.status,
    reason: d.reason,
    openedAt: d.opened_at.toISOString(),
    resolution: d.resolution,
    refund: d.resolution && d.resolution !== "release" ? moneyOf(d.refund_minor, currency) : null,
    resolvedAt: iso(d.resolved_at),
    note: d.note,
  };
}

/** The order's events, oldest first (every flow that places an order records its "placed" event). */
async function orderTimeline(db: Db, orderId: string, viewer: OrderViewer): Promise<OrderEventView[]> {
  const rows = await db
    .selectFrom("order_events as e")
    .leftJoin("users as u", "u.id", "e.actor_user_id")
    .select(["e.id", "e.kind", "e.actor_kind", "e.actor_user_id", "e.data", "e.at", "u.name as actor_name"])
    .where("e.order_id", "=", orderId)
    .orderBy("e.id")
    .execute();
  const fullMoney = readsFullOrderMoney(viewer.actor);
  return rows.map((r) => ({
    id: String(r.id),
    kind: r.kind,
    actorKind: r.actor_kind,
    // A buyer's member is not named to the seller, nor the reverse; operators act as "Souk".
    actorName: viewer.side === "operator" || r.actor_kind === viewer.side ? (r.actor_name ?? null) : null,
    at: r.at.toISOString(),
    data: visibleData(primitivesOf(r.data), fullMoney),
  }));
}

/**
 * What the marketplace keeps of a settlement (its commission, the seller's net): read by those who
 * read the order's whole money (money's readsFullOrderMoney: the seller's owners, operators), not
 * by the buyer nor by the seller's sales and fulfilment members.
 */
const FULL_MONEY_DATA = ["commission", "net", "commissionMinor", "netMinor"];

function visibleData(data: Record<string, string | number | boolean | null>, fullMoney: boolean): Record<string, string | number | boolean | null> {
  if (fullMoney) return data;
  return Object.fromEntries(Object.entries(data).filter(([key]) => !FULL_MONEY_DATA.includes(key)));
}

function primitivesOf(data: unknown): Record<string, string | number | boolean | null> {
  const parsed = typeof data === "string" ? safeJson(data) : data;
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) return {};
  const out: Record<string, string | number | boolean | null> = {};
  for (const [key, value] of Object.entries(parsed as Record<string, unknown>)) {
    if (value === null || typeof value === "string" || typeof value === "number" || typeof value === "boolean") out[key] = value;
  }
  return out;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function deliveryAddressOf(value: unknown): DeliveryAddress | null {
  const parsed = typeof value === "string" ? safeJson(value) : value;
  if (!parsed || typeof parsed !== "object") return null;
  const a = parsed as Record<string, unknown>;
  const text = (k: string) => (typeof a[k] === "string" ? (a[k] as string) : "");
  return { label: text("label"), recipient: text("recipient"), line1: text("line1"), line2: text("line2"), postalCode: text("postalCode"), city: text("city"), country: text("country") };
}

const iso = (d: Date | null) => d?.toISOString() ?? null;
