import { sql, type ExpressionBuilder, type Expression, type RawBuilder, type SqlBool } from "kysely";
import type { Database, Db } from "@souk/db";
import { notFound } from "@souk/domain";

/**
 * Who may see an RFQ. The one rule behind the seller's inbox, its RFQ page, its questions, its
 * offers and the attachments:
 * - the seller organisation is active (a pending, suspended or rejected seller sees no RFQ);
 * - the RFQ has been published (not a draft);
 * - the seller was invited, or the RFQ is open to every seller and the seller serves its category
 *   (the same category, its parent, or one of its children: a seller of "Packaging" answers an RFQ
 *   for "Boxes and cartons" and the other way round), or the seller already made an offer on it.
 * Anything else is NOT_FOUND, exactly like an RFQ that does not exist.
 */
export function sellerMaySeeRfq(sellerId: string) {
  return (eb: ExpressionBuilder<Database & { r: Database["rfqs"] }, "r">): Expression<SqlBool> =>
    eb.and([
      eb("r.status", "<>", "draft"),
      eb.exists(eb.selectFrom("organizations as so").select(sql`1`.as("one")).where("so.id", "=", sellerId).where("so.kind", "=", "seller").where("so.status", "=", "active")),
      eb.or([
        eb.exists(eb.selectFrom("rfq_invitations as ri").select(sql`1`.as("one")).whereRef("ri.rfq_id", "=", "r.id").where("ri.seller_id", "=", sellerId)),
        eb.exists(eb.selectFrom("offers as own").select(sql`1`.as("one")).whereRef("own.rfq_id", "=", "r.id").where("own.seller_id", "=", sellerId)),
        eb.and([
          eb("r.visibility", "=", "open"),
          // The categories the seller answers, as a subquery that does not refer to the RFQ: it is
          // computed once per statement (a hashed set), not once per RFQ row as a correlated
          // EXISTS was (the inbox scans every open RFQ: 25 ms of 30 at 2,000 RFQs).
          eb(
            "r.category_id",
            "in",
            eb
              .selectFrom("seller_application_categories as sc")
              .innerJoin("categories as served", "served.id", "sc.category_id")
              .innerJoin("categories as asked", (join) =>
                join.on((w) =>
                  w.or([
                    w("served.id", "=", w.ref("asked.id")),
                    w("served.id", "=", w.ref("asked.parent_id")),
                    w("served.parent_id", "=", w.ref("asked.id")),
                  ]),
                ),
              )
              .select("asked.id")
              .where("sc.organization_id", "=", sellerId),
          ),
        ]),
      ]),
    ]);
}

type Lock = "update" | "no key update" | "share" | undefined;

function locked<Q extends { forUpdate(): Q; forNoKeyUpdate(): Q; forShare(): Q }>(query: Q, lock: Lock): Q {
  if (lock === "update") return query.forUpdate();
  if (lock === "no key update") return query.forNoKeyUpdate();
  if (lock === "share") return query.forShare();
  return query;
}

/** The buyer's own RFQ (optionally row-locked), or NOT_FOUND: another buyer's RFQ does not exist for it. */
export async function buyerRfq(db: Db, buyerId: string, rfqId: string, lock?: Lock) {
  const row = await locked(db.selectFrom("rfqs").selectAll().where("id", "=", rfqId).where("buyer_id", "=", buyerId), lock).executeTakeFirst();
  if (!row) throw notFound("RFQ");
  return row;
}

/** An RFQ the seller may see (sellerMaySeeRfq), optionally row-locked, or NOT_FOUND. */
export async function sellerRfq(db: Db, sellerId: string, rfqId: string, lock?: Lock) {
  const row = await locked(db.selectFrom("rfqs as r").selectAll("r").where("r.id", "=", rfqId).where(sellerMaySeeRfq(sellerId)), lock).executeTakeFirst();
  if (!row) throw notFound("RFQ");
  return row;
}

/**
 * Whether the seller is on the RFQ's best-and-final shortlist. The shortlist is written with the
 * round's opening, under the RFQ's row lock: read it in a statement of its own after that lock
 * (a statement that waited for the lock reads other tables with its older snapshot).
 */
export async function sellerShortlisted(db: Db, rfqId: string, sellerId: string): Promise<boolean> {
  const row = await db.selectFrom("rfq_final_sellers").select("seller_id").where("rfq_id", "=", rfqId).where("seller_id", "=", sellerId).executeTakeFirst();
  return row !== undefined;
}

/** The RFQ's best-and-final shortlist (seller ids), empty when it never had a final round. */
export async function finalShortlist(db: Db, rfqId: string): Promise<Set<string>> {
  const rows = await db.selectFrom("rfq_final_sellers").select("seller_id").where("rfq_id", "=", rfqId).execute();
  return new Set(rows.map((r) => r.seller_id));
}

/**
 * Offers that take part in the comparison and the award: every offer of an RFQ that never had a
 * final round; after one, only the shortlisted sellers' (rfq_final_sellers exists for the RFQ).
 * A condition on `offers` under `alias` (`.where(inFinalComparison("o"))`).
 */
export function inFinalComparison(alias: string): RawBuilder<SqlBool> {
  const rfqRef = sql.ref(`${alias}.rfq_id`);
  const sellerRef = sql.ref(`${alias}.seller_id`);
  return sql<SqlBool>`(not exists (select 1 from rfq_final_sellers fs where fs.rfq_id = ${rfqRef})
    or exists (select 1 from rfq_final_sellers fs where fs.rfq_id = ${rfqRef} and fs.seller_id = ${sellerRef}))`;
}

/**
 * Whether the RFQ has an award in force (waiting for approval or approved): its offers are no
 * longer negotiated, and no best-and-final round opens.
 */
export async function hasLiveAward(db: Db, rfqId: string): Promise<boolean> {
  const row = await db.selectFrom("awards").select("id").where("rfq_id", "=", rfqId).where("status", "<>", "rejected").executeTakeFirst();
  return row !== undefined;
}
