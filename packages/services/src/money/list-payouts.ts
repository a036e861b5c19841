import { sql } from "kysely";
import { z } from "zod";
import type { ActorDeps } from "../deps";
import { parseInput } from "../input";
import { offsetOf, optionalFilter, pageField, type Page } from "../list-input";
import { payoutRows, payoutView, type PayoutView } from "./views";
import { assertOperatorCan, MONEY_PAGE_SIZE } from "./shared";

export const PAYOUT_STATUSES = ["pending", "held", "paid", "failed"] as const;

export const listPayoutsSchema = z.object({
  status: optionalFilter(z.enum(PAYOUT_STATUSES, { error: "payout.filter.status_invalid" })),
  sellerId: optionalFilter(z.string({ error: "payout.filter.seller_invalid" }).trim().toLowerCase().pipe(z.uuid({ error: "payout.filter.seller_invalid" }))),
  page: pageField("payout.filter.page_invalid"),
});
export type ListPayoutsInput = z.input<typeof listPayoutsSchema>;

export interface PayoutsPage extends Page<PayoutView> {
  /** Payouts per status under the seller filter: the list's tabs. */
  counts: Record<(typeof PAYOUT_STATUSES)[number], number>;
}

/** Every seller's payouts, newest first (operators with read:ledger:any), by status and seller. */
export async function listPayouts(deps: ActorDeps, input: unknown = {}): Promise<PayoutsPage> {
  assertOperatorCan(deps.actor, "read:ledger:any");
  const filters = parseInput(listPayoutsSchema, input);
  return payoutsPage(deps, filters);
}

/** One page of payouts, all sellers' or one seller's (the seller's own list). */
export async function payoutsPage(deps: Pick<ActorDeps, "db">, filters: { status?: PayoutView["status"]; sellerId?: string; page: number }): Promise<PayoutsPage> {
  const countRows = await deps.db
    .selectFrom("payouts")
    .select(["status", sql<string>`count(*)`.as("n")])
    .$if(filters.sellerId !== undefined, (qb) => qb.where("seller_id", "=", filters.sellerId!))
    .groupBy("status")
    .execute();
  const counts = Object.fromEntries(PAYOUT_STATUSES.map((s) => [s, 0])) as PayoutsPage["counts"];
  for (const r of countRows) counts[r.status] = Number(r.n);
  const total = filters.status ? counts[filters.status] : Object.values(counts).reduce((a, b) => a + b, 0);
  const rows = await payoutRows(deps.db)
    .$if(filters.sellerId !== undefined, (qb) => qb.where("p.seller_id", "=", filters.sellerId!))
    .$if(filters.status !== undefined, (qb) => qb.where("p.status", "=", filters.status!))
    .orderBy("p.number", "desc")
    .limit(MONEY_PAGE_SIZE)
    .offset(offsetOf(filters.page, MONEY_PAGE_SIZE))
    .execute();
  return { items: rows.map(payoutView), page: filters.page, pageSize: MONEY_PAGE_SIZE, total, counts };
}
