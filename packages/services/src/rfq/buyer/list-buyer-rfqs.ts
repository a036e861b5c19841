import { sql } from "kysely";
import { z } from "zod";
import { RFQ_STATUSES, type RfqStatus } from "@souk/domain";
import type { ActorDeps } from "../../deps";
import { parseInput } from "../../input";
import { offsetOf, optionalFilter, pageField, type Page } from "../../list-input";
import { containsPattern } from "../../list-input";
import { rfqNumberIn } from "../common";
import { assertBuyerRfqCan, countedOffersColumn, RFQ_LIST_COLUMNS, rfqReference } from "./shared";

export const BUYER_RFQS_PAGE_SIZE = 20;

export const listBuyerRfqsSchema = z.object({
  status: optionalFilter(z.enum(RFQ_STATUSES, { error: "rfq.filter.status_invalid" })),
  q: optionalFilter(z.string().trim().max(200, { error: "rfq.filter.q_too_long" })),
  page: pageField("rfq.filter.page_invalid"),
});
export type ListBuyerRfqsInput = z.input<typeof listBuyerRfqsSchema>;

export interface BuyerRfqRow {
  id: string;
  reference: string;
  title: string;
  status: RfqStatus;
  sealing: "sealed" | "open";
  visibility: "open" | "invited";
  currency: string;
  categoryName: { en: string; fr: string };
  deadline: Date | null;
  lineCount: number;
  /**
   * Offers received (live while open, final once closed): a count only, which the buyer may know
   * even of a sealed RFQ; nothing else of any offer is listed.
   */
  offerCount: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface BuyerRfqList extends Page<BuyerRfqRow> {
  /** RFQs per status, whatever the filters (the tabs). */
  counts: Record<RfqStatus, number>;
}

/**
 * The buyer organisation's RFQs, newest first, by status and by a text (in the title, or the
 * reference "RFQ-000123" / its number), a page at a time.
 */
export async function listBuyerRfqs(deps: ActorDeps, input: unknown = {}): Promise<BuyerRfqList> {
  const { actor, db } = deps;
  assertBuyerRfqCan(actor, "read:rfqs:org");
  const filters = parseInput(listBuyerRfqsSchema, input);
  const buyerId = actor.organizationId;

  let query = db.selectFrom("rfqs as r").where("r.buyer_id", "=", buyerId);
  if (filters.status) query = query.where("r.status", "=", filters.status);
  if (filters.q) {
    const number = rfqNumberIn(filters.q);
    const pattern = containsPattern(filters.q);
    query = query.where((eb) => eb.or([eb("r.title", "ilike", pattern), ...(number ? [eb("r.number", "=", number)] : [])]));
  }

  const [{ n }, rows, byStatus] = await Promise.all([
    query.select((eb) => eb.fn.countAll<string>().as("n")).executeTakeFirstOrThrow(),
    query
      .innerJoin("categories as c", "c.id", "r.category_id")
      .select([
        ...RFQ_LIST_COLUMNS,
        "r.currency",
        "r.deadline",
        "r.created_at",
        "r.updated_at",
        "c.name_en",
        "c.name_fr",
        (eb) => eb.selectFrom("rfq_lines as l").select((s) => s.fn.countAll<string>().as("n")).whereRef("l.rfq_id", "=", "r.id").as("line_count"),
        countedOffersColumn,
      ])
      .orderBy("r.created_at", "desc")
      .orderBy("r.number", "desc")
      .limit(BUYER_RFQS_PAGE_SIZE)
      .offset(offsetOf(filters.page, BUYER_RFQS_PAGE_SIZE))
      .execute(),
    db
      .selectFrom("rfqs")
      .select(["status", sql<string>`count(*)`.as("n")])
      .where("buyer_id", "=", buyerId)
      .groupBy("status")
      .execute(),
  ]);

  const counts = Object.fromEntries(RFQ_STATUSES.map((s) => [s, 0])) as Record<RfqStatus, number>;
  for (const row of byStatus) counts[row.status] = Number(row.n);
  return {
    items: rows.map((r) => ({
      id: r.id,
      reference: rfqReference(r.number),
      title: r.title,
      status: r.status,
      sealing: r.sealing,
      visibility: r.visibility,
      currency: r.currency,
      categoryName: { en: r.name_en, fr: r.name_fr },
      deadline: r.deadline,
      lineCount: Number(r.line_count ?? 0),
      offerCount: Number(r.offer_count ?? 0),
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    })),
    page: filters.page,
    pageSize: BUYER_RFQS_PAGE_SIZE,
    total: Number(n),
    counts,
  };
}
