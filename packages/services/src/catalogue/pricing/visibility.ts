import { sql } from "kysely";
import type { Db } from "@souk/db";
import { LISTING_STATUSES, listingIsSearchable, ORGANIZATION_STATUSES } from "@souk/domain";

/**
 * THE visibility rule, for search results, the listing page, its images, direct URLs and (later)
 * quick order and carts: a buyer sees a listing iff
 *   - it is searchable (domain `listingIsSearchable`: published, and its seller is active), and
 *   - its visibility is "everyone", or the buyer is a member of one of the customer groups it is
 *     shown to (a listing restricted to groups whose groups were all deleted is seen by nobody).
 * A listing the buyer may not see is reported exactly like one that does not exist.
 *
 * The statuses are derived from the domain predicate rather than restated, so the SQL cannot drift
 * from it (a test checks every combination against `listingIsSearchable`).
 */
const SEARCHABLE_LISTING_STATUSES = LISTING_STATUSES.filter((s) => listingIsSearchable(s, "active"));
const TRADING_SELLER_STATUSES = ORGANIZATION_STATUSES.filter((s) => listingIsSearchable("published", s));

/**
 * The listings `buyerId` may see, as `listings as l` joined with their seller `organizations as s`:
 * callers add their own `where` and `select`. Every buyer-facing read of a listing starts here.
 */
export function visibleListingsQuery(db: Db, buyerId: string) {
  return db
    .selectFrom("listings as l")
    .innerJoin("organizations as s", (join) => join.onRef("s.id", "=", "l.seller_id").on("s.kind", "=", "seller"))
    .where("l.status", "in", SEARCHABLE_LISTING_STATUSES)
    .where("s.status", "in", TRADING_SELLER_STATUSES)
    .where((eb) =>
      eb.or([
        eb("l.visibility", "=", "everyone"),
        eb.exists(
          eb
            .selectFrom("listing_visibility as lv")
            .innerJoin("customer_group_members as m", (join) => join.onRef("m.group_id", "=", "lv.group_id").onRef("m.seller_id", "=", "lv.seller_id"))
            .select(sql`1`.as("one"))
            .whereRef("lv.listing_id", "=", "l.id")
            .where("m.buyer_id", "=", buyerId),
        ),
      ]),
    );
}

export async function canBuyerSeeListing(db: Db, buyerId: string, listingId: string): Promise<boolean> {
  const row = await visibleListingsQuery(db, buyerId).select("l.id").where("l.id", "=", listingId).executeTakeFirst();
  return row !== undefined;
}

/** The customer groups (of every seller) `buyerId` belongs to: the visibility context of an index search. */
export async function buyerGroupIds(db: Db, buyerId: string): Promise<string[]> {
  const rows = await db.selectFrom("customer_group_members").select("group_id").where("buyer_id", "=", buyerId).orderBy("group_id").execute();
  return rows.map((r) => r.group_id);
}
