import { z } from "zod";
import { sql } from "kysely";
import type { ActorDeps } from "../deps";
import { parseInput } from "../input";
import { containsPattern, offsetOf, optionalFilter, pageField, type Page } from "../list-input";
import { moneyOf, orderReference, type MoneyView } from "../approvals/shared";
import { assertDisputeResolver } from "./resolve-dispute";

export const DISPUTES_PAGE_SIZE = 25;
export const DISPUTE_STATUSES = ["open", "resolved"] as const;

export const listDisputesSchema = z.object({
  status: optionalFilter(z.enum(DISPUTE_STATUSES, { error: "dispute.filter.status_invalid" })),
  /** The order's reference or number, or the buyer's or the seller's name. */
  q: optionalFilter(z.string({ error: "dispute.filter.query_invalid" }).trim().max(200, { error: "dispute.filter.query_too_long" })),
  page: pageField("dispute.filter.page_invalid"),
});
export type ListDisputesInput = z.input<typeof listDisputesSchema>;

export interface DisputeRowView {
  id: string;
  status: "open" | "resolved";
  reason: string;
  openedAt: string;
  resolution: "release" | "partial_refund" | "full_refund" | null;
  refund: MoneyView | null;
  resolvedAt: string | null;
  order: { id: string; reference: string; status: string; total: MoneyView };
  buyer: { id: string; name: string };
  seller: { id: string; name: string };
}

export interface DisputesPage extends Page<DisputeRowView> {
  counts: Record<(typeof DISPUTE_STATUSES)[number], number>;
}

/**
 * Every dispute of the marketplace for the operators who resolve them: open ones first, oldest
 * first (a queue), then resolved ones, latest resolution first.
 */
export async function listDisputes(deps: ActorDeps, input: unknown = {}): Promise<DisputesPage> {
  assertDisputeResolver(deps.actor);
  const filters = parseInput(listDisputesSchema, input);
  const base = () => {
    let qb = deps.db
      .selectFrom("disputes as d")
      .innerJoin("orders as o", "o.id", "d.order_id")
      .innerJoin("organizations as b", "b.id", "d.buyer_id")
      .innerJoin("organizations as s", "s.id", "d.seller_id");
    if (filters.q !== undefined) {
      const q = filters.q;
      const digits = /^(ord-|#)?0*(\d{1,18})$/i.exec(q)?.[2];
      qb = qb.where((eb) => eb.or([eb("b.name", "ilike", containsPattern(q)), eb("s.name", "ilike", containsPattern(q)), ...(digits ? [eb(sql`o.number`, "=", digits)] : [])]));
    }
    return qb;
  };
  const countRows = await base()
    .select(["d.status", (eb) => eb.fn.countAll<string>().as("n")])
    .groupBy("d.status")
    .execute();
  const counts = { open: 0, resolved: 0 };
  for (const r of countRows) counts[r.status] = Number(r.n);
  const rows = await base()
    .$if(filters.status !== undefined, (qb) => qb.where("d.status", "=", filters.status!))
    .select([
      "d.id",
      "d.status",
      "d.reason",
      "d.opened_at",
      "d.resolution",
      "d.refund_minor",
      "d.resolved_at",
      "o.id as order_id",
      "o.number",
      "o.status as order_status",
      "o.total_minor",
      "o.currency",
      "b.id as buyer_id",
      "b.name as buyer_name",
      "s.id as seller_id",
      "s.name as seller_name",
    ])
    .orderBy(sql`case when d.status = 'open' then 0 else 1 end`)
    .orderBy(sql`case when d.status = 'open' then d.opened_at end`, "asc")
    .orderBy("d.resolved_at", "desc")
    .orderBy("d.id")
    .limit(DISPUTES_PAGE_SIZE)
    .offset(offsetOf(filters.page, DISPUTES_PAGE_SIZE))
    .execute();
  return {
    items: rows.map((r) => ({
      id: r.id,
      status: r.status,
      reason: r.reason,
      openedAt: r.opened_at.toISOString(),
      resolution: r.resolution,
      refund: r.resolution && r.resolution !== "release" ? moneyOf(r.refund_minor, r.currency) : null,
      resolvedAt: r.resolved_at?.toISOString() ?? null,
      order: { id: r.order_id, reference: orderReference(r.number), status: r.order_status, total: moneyOf(r.total_minor, r.currency) },
      buyer: { id: r.buyer_id, name: r.buyer_name },
      seller: { id: r.seller_id, name: r.seller_name },
    })),
    page: filters.page,
    pageSize: DISPUTES_PAGE_SIZE,
    total: filters.status ? counts[filters.status] : counts.open + counts.resolved,
    counts,
  };
}
