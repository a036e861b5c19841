import { sql, type ExpressionBuilder } from "kysely";
import type { Database } from "@souk/db";
import { z } from "zod";
import { sellerCanTrade, type OfferStatus } from "@souk/domain";
import type { ActorDeps } from "../../deps";
import { parseInput } from "../../input";
import { offsetOf, optionalFilter, pageField, type Page } from "../../list-input";
import { sellerMaySeeRfq } from "../access";
import { assertSellerRfqCan, clockNow, rfqReference, sellerStatus } from "./shared";
import { containsPattern } from "../../list-input";

export const RFQ_INBOX_PAGE_SIZE = 20;
/** "Closing soon": a deadline within this many hours. */
export const RFQ_CLOSING_SOON_HOURS = 48;
export const RFQ_INBOX_SORTS = ["newest", "closing"] as const;

const flag = (invalid: string) => optionalFilter(z.enum(["1", "true", "on"], { error: invalid }).transform(() => true));

export const listRfqInboxSchema = z.object({
  /** Part of the title, the description or the reference (RFQ-000123). */
  q: optionalFilter(z.string({ error: "rfqInbox.filter.query_invalid" }).trim().max(100, { error: "rfqInbox.filter.query_too_long" })),
  categoryId: optionalFilter(z.string({ error: "rfqInbox.filter.category_invalid" }).trim().toLowerCase().pipe(z.uuid({ error: "rfqInbox.filter.category_invalid" }))),
  /** Only RFQs the seller was invited to. */
  invited: flag("rfqInbox.filter.invited_invalid"),
  /** Only RFQs whose deadline is within RFQ_CLOSING_SOON_HOURS. */
  closingSoon: flag("rfqInbox.filter.closing_soon_invalid"),
  sort: optionalFilter(z.enum(RFQ_INBOX_SORTS, { error: "rfqInbox.filter.sort_invalid" })),
  page: pageField("rfqInbox.filter.page_invalid"),
});
export type ListRfqInboxInput = z.input<typeof listRfqInboxSchema>;

export interface RfqInboxRow {
  id: string;
  reference: string;
  title: string;
  buyerName: string;
  category: { id: string; nameEn: string; nameFr: string };
  currency: string;
  deadline: string;
  publishedAt: string | null;
  lineCount: number;
  sealing: "sealed" | "open";
  invited: boolean;
  /** A best-and-final round this seller is shortlisted for (`deadline` is the round's): it may revise its final offer. */
  finalRound: boolean;
  /** The seller's own offer on it (status and revision), null when it has not offered. */
  myOffer: { status: OfferStatus; revision: number } | null;
}

export interface RfqInboxPage extends Page<RfqInboxRow> {
  /** False: the seller organisation is not active (pending, suspended...) and sees no RFQ; the page says why. */
  sellerActive: boolean;
  sort: (typeof RFQ_INBOX_SORTS)[number];
  /** The database clock, for the countdowns. */
  serverNow: string;
}

/**
 * The seller's inbox: the open RFQs it may answer (sellerMaySeeRfq: invited, or open to the
 * categories it serves), whose deadline has not passed, newest first or closing soonest first,
 * filtered by text, category, "invited only" and "closing soon", with the seller's own offer on
 * each (a badge). A seller that is not active gets an empty page that says so. A best-and-final
 * round is listed for its shortlisted sellers only, until its deadline; for every other seller it
 * is a closed RFQ, which the inbox does not list.
 */
export async function listRfqInbox(deps: ActorDeps, input: unknown = {}): Promise<RfqInboxPage> {
  const { actor, db } = deps;
  assertSellerRfqCan(actor, "read:rfq-inbox:org");
  const filters = parseInput(listRfqInboxSchema, input);
  const sellerId = actor.organizationId;
  const sort = filters.sort ?? "newest";
  const now = await clockNow(db);
  const empty = { items: [], page: filters.page, pageSize: RFQ_INBOX_PAGE_SIZE, total: 0, sort, serverNow: now.toISOString() };
  const status = await sellerStatus(db, sellerId);
  if (!status || !sellerCanTrade(status as Parameters<typeof sellerCanTrade>[0])) return { ...empty, sellerActive: false };

  const shortlistedHere = (eb: ExpressionBuilder<Database & { r: Database["rfqs"] }, "r">) =>
    eb.exists(eb.selectFrom("rfq_final_sellers as fs").select("fs.seller_id").whereRef("fs.rfq_id", "=", "r.id").where("fs.seller_id", "=", sellerId));
  let base = db
    .selectFrom("rfqs as r")
    .where((eb) => eb.or([eb("r.status", "=", "open"), eb.and([eb("r.status", "=", "final_round"), shortlistedHere(eb)])]))
    .where("r.deadline", ">", now)
    .where(sellerMaySeeRfq(sellerId));
  if (filters.q) {
    const pattern = containsPattern(filters.q);
    const number = /^(?:rfq-?)?0*(\d{1,15})$/i.exec(filters.q)?.[1];
    base = base.where((eb) =>
      eb.or([eb("r.title", "ilike", pattern), eb("r.description", "ilike", pattern), ...(number ? [eb("r.number", "=", sql<string>`${number}::bigint`)] : [])]),
    );
  }
  if (filters.categoryId) {
    const categoryId = filters.categoryId;
    // A parent category also finds the RFQs of its children.
    base = base.where((eb) =>
      eb.or([eb("r.category_id", "=", categoryId), eb("r.category_id", "in", eb.selectFrom("categories").select("id").where("parent_id", "=", categoryId))]),
    );
  }
  if (filters.invited) {
    base = base.where((eb) => eb.exists(eb.selectFrom("rfq_invitations as inv").select("inv.seller_id").whereRef("inv.rfq_id", "=", "r.id").where("inv.seller_id", "=", sellerId)));
  }
  if (filters.closingSoon) base = base.where("r.deadline", "<=", new Date(now.getTime() + RFQ_CLOSING_SOON_HOURS * 3_600_000));

  const { n } = await base.select((eb) => eb.fn.countAll<string>().as("n")).executeTakeFirstOrThrow();
  const rows = await base
    .innerJoin("organizations as b", "b.id", "r.buyer_id")
    .innerJoin("categories as c", "c.id", "r.category_id")
    .leftJoin("offers as mine", (join) => join.onRef("mine.rfq_id", "=", "r.id").on("mine.seller_id", "=", sellerId))
    .select([
      "r.id",
      "r.number",
      "r.title",
      "b.name as buyer_name",
      "c.id as category_id",
      "c.name_en",
      "c.name_fr",
      "r.currency",
      "r.deadline",
      "r.published_at",
      "r.sealing",
      "r.status",
      "mine.status as my_status",
      "mine.revision as my_revision",
    ])
    .select((eb) => [
      eb.selectFrom("rfq_lines as l").select((x) => x.fn.countAll<string>().as("n")).whereRef("l.rfq_id", "=", "r.id").as("line_count"),
      eb.exists(eb.selectFrom("rfq_invitations as inv").select("inv.seller_id").whereRef("inv.rfq_id", "=", "r.id").where("inv.seller_id", "=", sellerId)).as("invited"),
    ])
    .$if(sort === "newest", (qb) => qb.orderBy("r.published_at", (ob) => ob.desc().nullsLast()).orderBy("r.number", "desc"))
    .$if(sort === "closing", (qb) => qb.orderBy("r.deadline", "asc").orderBy("r.number", "asc"))
    .limit(RFQ_INBOX_PAGE_SIZE)
    .offset(offsetOf(filters.page, RFQ_INBOX_PAGE_SIZE))
    .execute();

  return {
    items: rows.map((r) => ({
      id: r.id,
      reference: rfqReference(r.number),
      title: r.title,
      buyerName: r.buyer_name,
      category: { id: r.category_id, nameEn: r.name_en, nameFr: r.name_fr },
      currency: r.currency,
      deadline: new Date(r.deadline as Date).toISOString(),
      publishedAt: r.published_at ? new Date(r.published_at).toISOString() : null,
      lineCount: Number(r.line_count ?? 0),
      sealing: r.sealing,
      invited: Boolean(r.invited),
      finalRound: r.status === "final_round",
      myOffer: r.my_status ? { status: r.my_status, revision: r.my_revision ?? 1 } : null,
    })),
    page: filters.page,
    pageSize: RFQ_INBOX_PAGE_SIZE,
    total: Number(n),
    sort,
    serverNow: now.toISOString(),
    sellerActive: true,
  };
}
