import { sql } from "kysely";
import type { Db } from "@souk/db";
import type { ActorDeps } from "../deps";
import { addToCart } from "../purchasing/add-to-cart";
import { address } from "../purchasing/test-support";

/** Fixtures of the budget tests (never exported from the package). */

export { buyer, activeSeller, closedRfq, rule, notified, type BuyerFixture } from "../approvals/test-support";
export { listing } from "../catalogue/pricing/test-support";
export { domainErrorOf } from "../identity/test-support";

/** A budget written straight in the table. */
export async function budget(
  db: Db,
  rootId: string,
  spec: { organizationId?: string; userId?: string; amountMinor: number | bigint; currency?: string; period?: "month" | "quarter"; onExceed?: "approval" | "refuse" },
): Promise<string> {
  const row = await db
    .insertInto("budgets")
    .values({
      buyer_id: rootId,
      organization_id: spec.organizationId ?? null,
      user_id: spec.userId ?? null,
      currency: spec.currency ?? "EUR",
      amount_minor: BigInt(spec.amountMinor).toString(),
      period: spec.period ?? "month",
      on_exceed: spec.onExceed ?? "refuse",
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Puts `quantity` of `listingId` in the member's cart and returns an address of its organisation for the checkout. */
export async function cartWith(deps: ActorDeps, listingId: string, quantity: number): Promise<string> {
  await addToCart(deps, { listingId, quantity: String(quantity) });
  return address(deps, { label: `Dock ${Math.random().toString(36).slice(2, 8)}` });
}

/**
 * Waits until `count` sessions of this database wait for a row lock (pg_stat_activity), so a test
 * knows that concurrent transactions are all inside the gate before it lets them go.
 */
export async function lockWaiters(db: Db, count: number, timeoutMs = 10_000): Promise<void> {
  const started = Date.now();
  for (;;) {
    const { rows } = await sql<{ n: string }>`
      select count(*)::text as n from pg_stat_activity
      where datname = current_database() and wait_event_type = 'Lock' and pid <> pg_backend_pid()`.execute(db);
    if (Number(rows[0]!.n) >= count) return;
    if (Date.now() - started > timeoutMs) throw new Error(`expected ${count} sessions waiting for a lock, saw ${rows[0]!.n}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Moves every order/purchase/award of `buyerId` back by `interval` (e.g. '1 month'): into an earlier period. */
export async function backdate(db: Db, table: "orders" | "purchases" | "awards", id: string, interval: string): Promise<void> {
  const column = table === "orders" ? "placed_at" : "created_at";
  await sql`update ${sql.table(table)} set ${sql.ref(column)} = ${sql.ref(column)} - ${interval}::interval where id = ${id}`.execute(db);
}
