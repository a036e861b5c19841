import { sql } from "kysely";
import type { Db } from "@souk/db";
import type { TrackRecord } from "@souk/domain";

/**
 * Each seller's record on Souk, from its orders (every buyer's: it is the marketplace's view of
 * the seller, and it carries counts and a rate only, never another buyer's orders): completed
 * orders (delivered or settled), the share of them delivered by the promised date, and disputes.
 * A seller without orders gets zeros (the scoring treats that as neutral).
 */
export async function sellerTrackRecords(db: Db, sellerIds: readonly string[]): Promise<Map<string, TrackRecord>> {
  const records = new Map<string, TrackRecord>(sellerIds.map((id) => [id, { completedOrders: 0, onTimeRate: 0, disputes: 0 }]));
  if (sellerIds.length === 0) return records;
  const rows = await db
    .selectFrom("orders")
    .select([
      "seller_id",
      sql<string>`count(*) filter (where status in ('delivered', 'settled'))`.as("completed"),
      sql<string>`count(*) filter (where status in ('delivered', 'settled') and delivered_at is not null and (expected_delivery_at is null or delivered_at <= expected_delivery_at))`.as("on_time"),
      sql<string>`count(*) filter (where disputed_at is not null)`.as("disputes"),
    ])
    .where("seller_id", "in", [...sellerIds])
    .groupBy("seller_id")
    .execute();
  for (const row of rows) {
    const completed = Number(row.completed);
    records.set(row.seller_id, { completedOrders: completed, onTimeRate: completed === 0 ? 0 : Number(row.on_time) / completed, disputes: Number(row.disputes) });
  }
  return records;
}
