import { sql, type ExpressionBuilder } from "kysely";
import { z } from "zod";
import type { Database, Db } from "@souk/db";
import type { SellerStatus } from "@souk/domain";
import type { ActorDeps } from "../deps";
import { parseInput } from "../input";
import { dayField, nextDay, offsetOf, optionalFilter, pageField, type Page } from "../list-input";
import { assertReviewer, categoriesOf as categoriesOfSellers, SELLER_STATUSES, type ReviewCategory } from "./shared";

export const SELLER_QUEUE_PAGE_SIZE = 25;

export const listSellerApplicationsSchema = z
  .object({
    status: optionalFilter(z.enum(SELLER_STATUSES, { error: "review.filter.status_invalid" })),
    country: optionalFilter(z.string().trim().toUpperCase().regex(/^[A-Z]{2}$/, { error: "review.filter.country_invalid" })),
    categoryId: optionalFilter(z.string().trim().toLowerCase().pipe(z.uuid({ error: "review.filter.category_invalid" }))),
    submittedFrom: dayField("review.filter.date_invalid"),
    submittedTo: dayField("review.filter.date_invalid"),
    page: pageField("review.filter.page_invalid"),
  })
  .refine((f) => !f.submittedFrom || !f.submittedTo || f.submittedFrom <= f.submittedTo, {
    path: ["submittedTo"],
    error: "review.filter.range_invalid",
  });
export type ListSellerApplicationsInput = z.input<typeof listSellerApplicationsSchema>;

export type { ReviewCategory };

export interface ReviewQueueItem {
  organizationId: string;
  /** The organisation's name (as signed up). */
  name: string;
  /** From the application; "" when the seller has none (sellers activated before the review existed). */
  legalName: string;
  tradingName: string;
  country: string;
  status: SellerStatus;
  submittedAt: Date | null;
  categories: ReviewCategory[];
}

export interface ReviewCategoryOption extends ReviewCategory {
  slug: string;
  parentId: string | null;
}

export interface ReviewQueue extends Page<ReviewQueueItem> {
  /** Sellers per status under the other filters: the queue's tabs. */
  counts: Record<SellerStatus, number>;
  /** What the filters can offer: countries that occur in applications, and the category tree (parents first, each followed by its children). */
  facets: { countries: string[]; categories: ReviewCategoryOption[] };
}

type Filters = z.output<typeof listSellerApplicationsSchema>;

/**
 * The review queue: every submitted application, and every seller that an operator has already
 * decided on (active, suspended, rejected). Applications waiting for a decision (pending) come
 * first, then the others; within each, the oldest submission first. A pending seller that has not
 * submitted yet is still filling in its form and is not shown. Filters: status, country, category
 * (a parent category includes its children), submission day range (inclusive, UTC).
 */
export async function listSellerApplications(deps: ActorDeps, input: unknown = {}): Promise<ReviewQueue> {
  assertReviewer(deps.actor);
  const filters = parseInput(listSellerApplicationsSchema, input);
  const { db } = deps;

  const countRows = await inQueue(db, filters)
    .select(["o.status", (eb) => eb.fn.countAll<string>().as("n")])
    .groupBy("o.status")
    .execute();
  const counts = Object.fromEntries(SELLER_STATUSES.map((s) => [s, 0])) as Record<SellerStatus, number>;
  for (const row of countRows) counts[row.status as SellerStatus] = Number(row.n);
  const total = filters.status ? counts[filters.status] : Object.values(counts).reduce((a, b) => a + b, 0);

  const rows = await inQueue(db, filters)
    .$if(filters.status !== undefined, (qb) => qb.where("o.status", "=", filters.status as SellerStatus))
    .select([
      "o.id as organizationId",
      "o.name",
      "o.status",
      "a.legal_name as legalName",
      "a.trading_name as tradingName",
      "a.country",
      "a.submitted_at as submittedAt",
    ])
    // Work first: applications waiting for an operator, then the rest; oldest submission first in each.
    .orderBy(sql`o.status = 'pending'`, "desc")
    .orderBy(sql`a.submitted_at asc nulls last`)
    .orderBy("o.created_at", "asc")
    .orderBy("o.id", "asc")
    .limit(SELLER_QUEUE_PAGE_SIZE)
    .offset(offsetOf(filters.page, SELLER_QUEUE_PAGE_SIZE))
    .execute();

  const categoriesOf = await categoriesOfSellers(
    db,
    rows.map((r) => r.organizationId),
  );

  return {
    items: rows.map((r) => ({
      organizationId: r.organizationId,
      name: r.name,
      legalName: r.legalName ?? "",
      tradingName: r.tradingName ?? "",
      country: r.country ?? "",
      status: r.status as SellerStatus,
      submittedAt: r.submittedAt,
      categories: categoriesOf.get(r.organizationId) ?? [],
    })),
    page: filters.page,
    pageSize: SELLER_QUEUE_PAGE_SIZE,
    total,
    counts,
    facets: { countries: await countriesInApplications(db), categories: await categoryTree(db) },
  };
}

/** Seller organisations in the queue under every filter but the status. */
function inQueue(db: Db, filters: Filters) {
  return db
    .selectFrom("organizations as o")
    .leftJoin("seller_applications as a", "a.organization_id", "o.id")
    .where("o.kind", "=", "seller")
    .where((eb) => eb.or([eb("a.submitted_at", "is not", null), eb("o.status", "in", ["active", "suspended", "rejected"])]))
    .$if(filters.country !== undefined, (qb) => qb.where("a.country", "=", filters.country as string))
    .$if(filters.categoryId !== undefined, (qb) => qb.where((eb) => servesCategory(eb, filters.categoryId as string)))
    .$if(filters.submittedFrom !== undefined, (qb) => qb.where("a.submitted_at", ">=", filters.submittedFrom as Date))
    .$if(filters.submittedTo !== undefined, (qb) => qb.where("a.submitted_at", "<", nextDay(filters.submittedTo as Date)));
}

function servesCategory(eb: ExpressionBuilder<Database & { o: Database["organizations"] }, "o">, categoryId: string) {
  return eb.exists(
    eb
      .selectFrom("seller_application_categories as sac")
      .innerJoin("categories as c", "c.id", "sac.category_id")
      .select(sql`1`.as("one"))
      .whereRef("sac.organization_id", "=", "o.id")
      .where((inner) => inner.or([inner("c.id", "=", categoryId), inner("c.parent_id", "=", categoryId)])),
  );
}

async function countriesInApplications(db: Db): Promise<string[]> {
  const rows = await db.selectFrom("seller_applications").select("country").distinct().where("country", "<>", "").orderBy("country").execute();
  return rows.map((r) => r.country);
}

async function categoryTree(db: Db): Promise<ReviewCategoryOption[]> {
  const rows = await db
    .selectFrom("categories")
    .select(["id", "slug", "parent_id as parentId", "name_en as nameEn", "name_fr as nameFr"])
    .orderBy("position")
    .orderBy("slug")
    .execute();
  const children = (parentId: string) => rows.filter((r) => r.parentId === parentId);
  return rows.filter((r) => r.parentId === null).flatMap((parent) => [parent, ...children(parent.id)]);
}
