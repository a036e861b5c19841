import { sql } from "kysely";
import type { Db } from "@souk/db";

/**
 * The database clock: `now()`, the transaction's start when `db` is a transaction. Deadlines,
 * windows and delays are decided by it, never by the app's clock (DESIGN §4).
 */
export async function dbNow(db: Db): Promise<Date> {
  const { rows } = await sql<{ now: Date }>`select now() as now`.execute(db);
  const row = rows[0];
  if (!row) throw new Error("now() returned nothing");
  return row.now;
}
