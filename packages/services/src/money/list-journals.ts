import { sql } from "kysely";
import { z } from "zod";
import { JOURNAL_KINDS } from "@souk/domain";
import type { ActorDeps } from "../deps";
import { parseInput } from "../input";
import { offsetOf, optionalFilter, pageField, type Page } from "../list-input";
import { journalViews, type JournalView } from "./views";
import { assertOperatorCan, MONEY_PAGE_SIZE } from "./shared";

const uuidFilter = (invalid: string) => optionalFilter(z.string({ error: invalid }).trim().toLowerCase().pipe(z.uuid({ error: invalid })));

export const listJournalsSchema = z.object({
  orderId: uuidFilter("journal.filter.order_invalid"),
  payoutId: uuidFilter("journal.filter.payout_invalid"),
  kind: optionalFilter(z.enum(JOURNAL_KINDS, { error: "journal.filter.kind_invalid" })),
  page: pageField("journal.filter.page_invalid"),
});
export type ListJournalsInput = z.input<typeof listJournalsSchema>;

/** The ledger's journals with their entries, newest first (operators with read:ledger:any): all, or one order's, one payout's, one kind's. */
export async function listJournals(deps: ActorDeps, input: unknown = {}): Promise<Page<JournalView>> {
  assertOperatorCan(deps.actor, "read:ledger:any");
  const filters = parseInput(listJournalsSchema, input);
  const base = deps.db
    .selectFrom("journals as j")
    .$if(filters.orderId !== undefined, (qb) => qb.where("j.order_id", "=", filters.orderId!))
    .$if(filters.payoutId !== undefined, (qb) => qb.where("j.payout_id", "=", filters.payoutId!))
    .$if(filters.kind !== undefined, (qb) => qb.where("j.kind", "=", filters.kind!));
  const { n } = await base.select(sql<string>`count(*)`.as("n")).executeTakeFirstOrThrow();
  const ids = await base
    .select("j.id")
    .orderBy("j.number", "desc")
    .limit(MONEY_PAGE_SIZE)
    .offset(offsetOf(filters.page, MONEY_PAGE_SIZE))
    .execute();
  return { items: await journalViews(deps.db, ids.map((r) => r.id)), page: filters.page, pageSize: MONEY_PAGE_SIZE, total: Number(n) };
}
