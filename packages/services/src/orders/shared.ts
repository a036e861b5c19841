import { z } from "zod";
import { sql, type ExpressionBuilder, type Expression, type SqlBool } from "kysely";
import type { Database, Db, OrderStatusColumn } from "@souk/db";
import { assertCan, forbidden, notFound, type Actor, type OrganizationKind } from "@souk/domain";
import { offsetOf, optionalFilter, pageField, type Page } from "../list-input";
import { existingId, moneyOf, orderReference, rfqReference, type MoneyView } from "../approvals/shared";
import { containsPattern } from "../list-input";

/** Helpers of the order use cases (not exported from the package). */

export const ORDER_STATUSES = ["placed", "accepted", "rejected", "shipped", "delivered", "settled", "cancelled"] as const satisfies readonly OrderStatusColumn[];
export type OrderStatus = (typeof ORDER_STATUSES)[number];
export const ORDERS_PAGE_SIZE = 25;
const QUERY_MAX = 200;

export const listOrdersSchema = z.object({
  /** The order's reference or number, the RFQ's reference or title, or the other party's name. */
  q: optionalFilter(z.string({ error: "order.filter.query_invalid" }).trim().max(QUERY_MAX, { error: "order.filter.query_too_long" })),
  status: optionalFilter(z.enum(ORDER_STATUSES, { error: "order.filter.status_invalid" })),
  page: pageField("order.filter.page_invalid"),
});
export type ListOrdersInput = z.input<typeof listOrdersSchema>;

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
}

export interface OrderView extends OrderRowView {
  lines: { id: string; position: number; description: string; unit: string; quantity: number; unitPrice: MoneyView; lineTotal: MoneyView }[];
  deliveredAt: string | null;
  /** The award's note to the sellers is the buyer's own: shown to the buyer only. */
  awardNote: string | null;
}

export interface OrdersPage extends Page<OrderRowView> {
  /** The side's orders per status under the text filter: the list's tabs. */
  counts: Record<OrderStatus, number>;
}

type Side = "buyer" | "seller";

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
      ...(digits && prefix !== "rfq-" ? [eb(sql`o.number`, "=", digits)] : []),
      ...(digits && prefix !== "ord-" ? [eb(sql`r.number`, "=", digits)] : []),
    ]);
}

function ordersOf(db: Db, side: Side, organizationId: string, q: string | undefined) {
  const partyColumn = side === "buyer" ? "o.seller_id" : "o.buyer_id";
  return db
    .selectFrom("orders as o")
    .innerJoin("organizations as p", "p.id", partyColumn)
    .leftJoin("rfqs as r", "r.id", "o.rfq_id")
    .where(side === "buyer" ? "o.buyer_id" : "o.seller_id", "=", organizationId)
    .$if(q !== undefined, (qb) => qb.where(textFilter(q as string)));
}

/** One page of the buyer's or the seller's orders, newest first. */
export async function listOrders(db: Db, side: Side, organizationId: string, filters: z.output<typeof listOrdersSchema>): Promise<OrdersPage> {
  const countRows = await ordersOf(db, side, organizationId, filters.q)
    .select(["o.status", (eb) => eb.fn.countAll<string>().as("n")])
    .groupBy("o.status")
    .execute();
  const counts = Object.fromEntries(ORDER_STATUSES.map((s) => [s, 0])) as Record<OrderStatus, number>;
  for (const row of countRows) counts[row.status] = Number(row.n);
  const total = filters.status ? counts[filters.status] : Object.values(counts).reduce((a, b) => a + b, 0);
  const rows = await ordersOf(db, side, organizationId, filters.q)
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
      "p.id as party_id",
      "p.name as party_name",
      "r.id as rfq_id",
      "r.number as rfq_number",
      "r.title as rfq_title",
      (eb) => eb.selectFrom("order_lines as ol").select((e) => e.fn.countAll<string>().as("n")).whereRef("ol.order_id", "=", "o.id").as("line_count"),
    ])
    .orderBy("o.placed_at", "desc")
    .orderBy("o.number", "desc")
    .limit(ORDERS_PAGE_SIZE)
    .offset(offsetOf(filters.page, ORDERS_PAGE_SIZE))
    .execute();
  return { items: rows.map(rowView), page: filters.page, pageSize: ORDERS_PAGE_SIZE, total, counts };
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
  party_id: string;
  party_name: string;
  rfq_id: string | null;
  rfq_number: string | null;
  rfq_title: string | null;
  line_count: string | null;
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
  };
}

/** One order of the buyer's or the seller's organisation with its lines; any other id is NOT_FOUND. */
export async function getOrder(db: Db, side: Side, organizationId: string, orderIdInput: unknown): Promise<OrderView> {
  const orderId = existingId(orderIdInput, "Order");
  const row = await ordersOf(db, side, organizationId, undefined)
    .leftJoin("awards as aw", "aw.id", "o.award_id")
    .select([
      "o.id",
      "o.number",
      "o.status",
      "o.currency",
      "o.total_minor",
      "o.lead_time_days",
      "o.placed_at",
      "o.expected_delivery_at",
      "o.delivered_at",
      "p.id as party_id",
      "p.name as party_name",
      "r.id as rfq_id",
      "r.number as rfq_number",
      "r.title as rfq_title",
      "aw.note as award_note",
    ])
    .where("o.id", "=", orderId)
    .executeTakeFirst();
  if (!row) throw notFound("Order");
  const lines = await db
    .selectFrom("order_lines")
    .select(["id", "position", "description", "unit", "quantity", "unit_price_minor", "line_total_minor"])
    .where("order_id", "=", row.id)
    .orderBy("position")
    .execute();
  return {
    ...rowView({ ...row, line_count: String(lines.length) }),
    lines: lines.map((l) => ({
      id: l.id,
      position: l.position,
      description: l.description,
      unit: l.unit,
      quantity: l.quantity,
      unitPrice: moneyOf(l.unit_price_minor, row.currency),
      lineTotal: moneyOf(l.line_total_minor, row.currency),
    })),
    deliveredAt: row.delivered_at?.toISOString() ?? null,
    awardNote: side === "buyer" ? (row.award_note ?? null) || null : null,
  };
}
