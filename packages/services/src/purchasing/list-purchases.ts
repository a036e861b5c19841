import { z } from "zod";
import { sql } from "kysely";
import type { PurchaseStatus } from "@souk/db";
import type { ActorDeps } from "../deps";
import { parseInput } from "../input";
import { moneyOf } from "../catalogue/pricing/money-view";
import { offsetOf, optionalFilter, pageField, type Page } from "../list-input";
import { assertBuyer, purchaseReference, type MoneyView } from "./shared";

export const PURCHASES_PAGE_SIZE = 25;
export const PURCHASE_STATUSES = ["pending_approval", "placed", "rejected", "withdrawn"] as const satisfies readonly PurchaseStatus[];

export const listPurchasesSchema = z.object({
  status: optionalFilter(z.enum(PURCHASE_STATUSES, { error: "purchase.filter.status_invalid" })),
  page: pageField("purchase.filter.page_invalid"),
});
export type ListPurchasesInput = z.input<typeof listPurchasesSchema>;

export interface PurchaseRowView {
  id: string;
  reference: string;
  status: PurchaseStatus;
  total: MoneyView;
  poNumber: string;
  sellerNames: string[];
  lineCount: number;
  orderCount: number;
  placedBy: string | null;
  createdAt: string;
}

export interface PurchasesPage extends Page<PurchaseRowView> {
  counts: Record<PurchaseStatus, number>;
}

/** The purchases of the actor's buyer organisation (every member reads them), newest first. */
export async function listPurchases(deps: ActorDeps, input: unknown = {}): Promise<PurchasesPage> {
  const { actor, db } = deps;
  assertBuyer(actor, "read:orders:org");
  const filters = parseInput(listPurchasesSchema, input);
  const countRows = await db
    .selectFrom("purchases")
    .select(["status", (eb) => eb.fn.countAll<string>().as("n")])
    .where("buyer_id", "=", actor.organizationId)
    .groupBy("status")
    .execute();
  const counts = Object.fromEntries(PURCHASE_STATUSES.map((s) => [s, 0])) as Record<PurchaseStatus, number>;
  for (const row of countRows) counts[row.status] = Number(row.n);
  const total = filters.status ? counts[filters.status] : Object.values(counts).reduce((a, b) => a + b, 0);
  const rows = await db
    .selectFrom("purchases as p")
    .leftJoin("users as u", "u.id", "p.placed_by")
    .select([
      "p.id",
      "p.number",
      "p.status",
      "p.currency",
      "p.total_minor",
      "p.po_number",
      "p.created_at",
      "u.name as placed_by_name",
      (eb) => eb.selectFrom("purchase_lines as pl").select((e) => e.fn.countAll<string>().as("n")).whereRef("pl.purchase_id", "=", "p.id").as("line_count"),
      (eb) => eb.selectFrom("orders as o").select((e) => e.fn.countAll<string>().as("n")).whereRef("o.purchase_id", "=", "p.id").as("order_count"),
      sql<string[]>`array(select s.name from organizations s where s.id in (select pl.seller_id from purchase_lines pl where pl.purchase_id = p.id) order by s.name)`.as("seller_names"),
    ])
    .where("p.buyer_id", "=", actor.organizationId)
    .$if(filters.status !== undefined, (qb) => qb.where("p.status", "=", filters.status!))
    .orderBy("p.created_at", "desc")
    .orderBy("p.number", "desc")
    .limit(PURCHASES_PAGE_SIZE)
    .offset(offsetOf(filters.page, PURCHASES_PAGE_SIZE))
    .execute();
  return {
    items: rows.map((r) => ({
      id: r.id,
      reference: purchaseReference(r.number),
      status: r.status,
      total: moneyOf(r.total_minor, r.currency),
      poNumber: r.po_number,
      sellerNames: r.seller_names,
      lineCount: Number(r.line_count ?? 0),
      orderCount: Number(r.order_count ?? 0),
      placedBy: r.placed_by_name,
      createdAt: r.created_at.toISOString(),
    })),
    page: filters.page,
    pageSize: PURCHASES_PAGE_SIZE,
    total,
    counts,
  };
}
