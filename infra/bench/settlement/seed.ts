import { sql, type Kysely } from "kysely";
import type { Database } from "@souk/db";
import { enqueueSettlement } from "@souk/services";

/** What the settlement benchmark settles: delivered orders of many buyers and sellers, with the commission rules they fall under. */
export interface SettlementMarket {
  buyerIds: string[];
  sellerIds: string[];
  categoryIds: string[];
}

const BATCH = 1_000;

/**
 * Active buyers and sellers (no members: settling writes no e-mail, so the worker's e-mail queue
 * stays out of the measurement), a default EUR rule, one rule per leaf category for a third of the
 * categories and one per seller for a tenth of the sellers, so the rule lookup walks every branch.
 */
export async function seedSettlementMarket(db: Kysely<Database>, options: { buyers: number; sellers: number; tag: string }): Promise<SettlementMarket> {
  const orgs = async (kind: "buyer" | "seller", count: number) =>
    (
      await db
        .insertInto("organizations")
        .values(Array.from({ length: count }, (_, i) => ({ kind, name: `Bench ${kind} ${options.tag} ${i + 1}`, status: "active" as const })))
        .returning("id")
        .execute()
    ).map((r) => r.id);
  const buyerIds = await orgs("buyer", options.buyers);
  const sellerIds = await orgs("seller", options.sellers);
  const leaves = await db
    .selectFrom("categories as c")
    .select("c.id")
    .where((eb) => eb.not(eb.exists(eb.selectFrom("categories as child").select("child.id").whereRef("child.parent_id", "=", "c.id"))))
    .orderBy("c.id")
    .execute();
  const categoryIds = leaves.map((c) => c.id);

  await db.insertInto("commission_rules").values({ scope: "default", currency: "EUR", rate_bps: 800, fixed_minor: "25", floor_minor: "50", cap_minor: "50000" }).execute();
  const categoryRules = categoryIds.filter((_, i) => i % 3 === 0).map((id, i) => ({ scope: "category" as const, category_id: id, currency: "EUR", rate_bps: 500 + (i % 7) * 100, fixed_minor: "0", floor_minor: "0", cap_minor: null }));
  if (categoryRules.length > 0) await db.insertInto("commission_rules").values(categoryRules).execute();
  const sellerRules = sellerIds.filter((_, i) => i % 10 === 0).map((id, i) => ({ scope: "seller" as const, seller_id: id, currency: "EUR", rate_bps: 300 + (i % 5) * 50, fixed_minor: "10", floor_minor: "20", cap_minor: "100000" }));
  if (sellerRules.length > 0) await db.insertInto("commission_rules").values(sellerRules).execute();
  return { buyerIds, sellerIds, categoryIds };
}

/**
 * `count` orders, delivered, with totals from 1.00 to 20,000.00 EUR (deterministic spread), each
 * with its `order.settle` outbox row written by money's enqueueSettlement in the transaction that
 * inserts it: what a delivery leaves behind. The rows are then held back (available at infinity)
 * so the run can release them all at one instant, once the worker is up.
 */
export async function deliverOrders(db: Kysely<Database>, market: SettlementMarket, count: number, offset = 0): Promise<string[]> {
  const ids: string[] = [];
  for (let start = 0; start < count; start += BATCH) {
    const size = Math.min(BATCH, count - start);
    await db.transaction().execute(async (trx) => {
      const rows = await trx
        .insertInto("orders")
        .values(
          Array.from({ length: size }, (_, k) => {
            const i = offset + start + k;
            return {
              buyer_id: market.buyerIds[i % market.buyerIds.length]!,
              seller_id: market.sellerIds[(i * 31) % market.sellerIds.length]!,
              category_id: market.categoryIds.length > 0 ? market.categoryIds[(i * 7) % market.categoryIds.length]! : null,
              status: "delivered" as const,
              currency: "EUR",
              total_minor: String(100 + ((i * 104_729 + 17) % 1_999_900)),
              po_number: `PO-${i + 1}`,
              accepted_at: sql<Date>`now() - interval '12 days'`,
              shipped_at: sql<Date>`now() - interval '9 days'`,
              delivered_at: sql<Date>`now()`,
              delivery_confirmed_by: "buyer" as const,
            };
          }),
        )
        .returning("id")
        .execute();
      for (const row of rows) {
        await enqueueSettlement(trx, row.id);
        ids.push(row.id);
      }
    });
  }
  await db.updateTable("outbox").set({ available_at: sql<Date>`'infinity'` }).where("topic", "=", "order.settle").where("sent_at", "is", null).execute();
  return ids;
}

/** Lets the relay take every held-back settlement row now. */
export async function releaseSettlements(db: Kysely<Database>): Promise<number> {
  const result = await db.updateTable("outbox").set({ available_at: sql<Date>`now()` }).where("topic", "=", "order.settle").where("sent_at", "is", null).executeTakeFirst();
  return Number(result.numUpdatedRows);
}
