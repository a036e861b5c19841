import { sql } from "kysely";
import { z } from "zod";
import type { Db } from "@souk/db";
import type { RfqStatus } from "@souk/domain";
import type { ActorDeps } from "../../deps";
import { parseInput } from "../../input";
import { containsPattern, dayField, nextDay, offsetOf, optionalFilter, pageField, type Page } from "../../list-input";
import { countedOffersColumn, RFQ_LIST_COLUMNS, rfqReference } from "../buyer/shared";
import { rfqNumberIn } from "../common";
import { assertRfqWatcher, OPERATOR_RFQS_PAGE_SIZE } from "./shared";

/** The statuses an operator sees: every one but a draft's (a draft is the buyer's own business). */
export const OPERATOR_RFQ_STATUSES = ["open", "closed", "final_round", "awarded", "cancelled"] as const satisfies readonly RfqStatus[];
export type OperatorRfqStatus = (typeof OPERATOR_RFQ_STATUSES)[number];

/** How many buyer organisations the buyer filter offers at most (those with a published RFQ, by name). */
const BUYER_CHOICES_MAX = 500;

export const operatorRfqFilterSchema = z
  .object({
    /** Part of the title or the buyer's name, or the reference ("RFQ-000123", "123"). */
    q: optionalFilter(z.string({ error: "rfq.filter.q_invalid" }).trim().max(200, { error: "rfq.filter.q_too_long" })),
    status: optionalFilter(z.enum(OPERATOR_RFQ_STATUSES, { error: "rfq.filter.status_invalid" })),
    buyerId: optionalFilter(z.string({ error: "rfq.filter.buyer_invalid" }).trim().toLowerCase().pipe(z.uuid({ error: "rfq.filter.buyer_invalid" }))),
    /** Published on or after this day, on or before that one (UTC days, both included). */
    from: dayField("rfq.filter.date_invalid"),
    to: dayField("rfq.filter.date_invalid"),
  })
  .refine((f) => !f.from || !f.to || f.from <= f.to, { path: ["to"], error: "rfq.filter.range_invalid" });

export const listOperatorRfqsSchema = operatorRfqFilterSchema.and(z.object({ page: pageField("rfq.filter.page_invalid") }));
export type ListOperatorRfqsInput = z.input<typeof listOperatorRfqsSchema>;
type Filters = z.output<typeof operatorRfqFilterSchema>;

export interface OperatorRfqRow {
  id: string;
  reference: string;
  title: string;
  buyer: { id: string; name: string };
  status: OperatorRfqStatus;
  sealing: "sealed" | "open";
  visibility: "open" | "invited";
  categoryName: { en: string; fr: string };
  /** ISO instants. */
  deadline: string | null;
  publishedAt: string;
  /** Offers received: a count only, as the buyer may know it even of a sealed RFQ (live while open, final once closed). */
  offerCount: number;
}

export interface OperatorRfqList extends Page<OperatorRfqRow> {
  /** RFQs per status under the other filters: the list's tabs. */
  counts: Record<OperatorRfqStatus, number>;
  /** The buyer filter's choices: organisations with at least one published RFQ, by name. */
  buyers: { id: string; name: string }[];
}

/**
 * Every buyer's published RFQs for operators (read:rfqs:any), newest published first, 25 a page:
 * by status, buyer organisation, publication day range and a text. Lists who and what, and the
 * offer count: nothing of any offer (reading one RFQ is getOperatorRfq, audited).
 */
export async function listOperatorRfqs(deps: ActorDeps, input: unknown = {}): Promise<OperatorRfqList> {
  const { actor, db } = deps;
  assertRfqWatcher(actor);
  const { page, ...filters } = parseInput(listOperatorRfqsSchema, input);

  const [byStatus, rows, buyers] = await Promise.all([
    matching(db, filters)
      .select(["r.status", (eb) => eb.fn.countAll<string>().as("n")])
      .groupBy("r.status")
      .execute(),
    matching(db, filters)
      .$if(filters.status !== undefined, (qb) => qb.where("r.status", "=", filters.status!))
      .innerJoin("categories as c", "c.id", "r.category_id")
      .select([
        ...RFQ_LIST_COLUMNS,
        "r.deadline",
        "r.published_at",
        "b.id as buyer_id",
        "b.name as buyer_name",
        "c.name_en",
        "c.name_fr",
        countedOffersColumn,
      ])
      .orderBy("r.published_at", "desc")
      .orderBy("r.number", "desc")
      .limit(OPERATOR_RFQS_PAGE_SIZE)
      .offset(offsetOf(page, OPERATOR_RFQS_PAGE_SIZE))
      .execute(),
    db
      .selectFrom("organizations as b")
      .select(["b.id", "b.name"])
      .where("b.kind", "=", "buyer")
      .where((eb) => eb.exists(eb.selectFrom("rfqs as x").select(sql`1`.as("one")).whereRef("x.buyer_id", "=", "b.id").where("x.published_at", "is not", null)))
      .orderBy("b.name")
      .orderBy("b.id")
      .limit(BUYER_CHOICES_MAX)
      .execute(),
  ]);

  const counts = Object.fromEntries(OPERATOR_RFQ_STATUSES.map((s) => [s, 0])) as Record<OperatorRfqStatus, number>;
  for (const row of byStatus) if (row.status in counts) counts[row.status as OperatorRfqStatus] = Number(row.n);
  const total = filters.status ? counts[filters.status] : Object.values(counts).reduce((a, b) => a + b, 0);
  return {
    items: rows.map((r) => ({
      id: r.id,
      reference: rfqReference(r.number),
      title: r.title,
      buyer: { id: r.buyer_id, name: r.buyer_name },
      status: r.status as OperatorRfqStatus,
      sealing: r.sealing,
      visibility: r.visibility,
      categoryName: { en: r.name_en, fr: r.name_fr },
      deadline: r.deadline ? r.deadline.toISOString() : null,
      publishedAt: (r.published_at as Date).toISOString(),
      offerCount: Number(r.offer_count ?? 0),
    })),
    page,
    pageSize: OPERATOR_RFQS_PAGE_SIZE,
    total,
    counts,
    buyers,
  };
}

/** Published RFQs (with their buyer) under every filter but the status. */
function matching(db: Db, filters: Filters) {
  const { q, buyerId, from, to } = filters;
  return db
    .selectFrom("rfqs as r")
    .innerJoin("organizations as b", "b.id", "r.buyer_id")
    .where("r.published_at", "is not", null)
    .where("r.status", "<>", "draft")
    .$if(buyerId !== undefined, (qb) => qb.where("r.buyer_id", "=", buyerId!))
    .$if(from !== undefined, (qb) => qb.where("r.published_at", ">=", from!))
    .$if(to !== undefined, (qb) => qb.where("r.published_at", "<", nextDay(to!)))
    .$if(q !== undefined, (qb) =>
      qb.where((eb) => {
        const number = rfqNumberIn(q!);
        const pattern = containsPattern(q!);
        return eb.or([eb("r.title", "ilike", pattern), eb("b.name", "ilike", pattern), ...(number ? [eb("r.number", "=", number)] : [])]);
      }),
    );
}
