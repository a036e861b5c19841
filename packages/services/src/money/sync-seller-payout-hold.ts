import { z } from "zod";
import { withTransaction } from "@souk/db";
import { writeOutbox } from "@souk/jobs";
import type { ServiceDeps } from "../deps";
import { parseInput } from "../input";
import { existingId, lockSellerPayouts } from "./shared";

export const syncSellerPayoutHoldSchema = z.object({ sellerId: z.unknown() });

export interface SyncSellerPayoutHoldResult {
  sellerId: string;
  /** What the seller's status asks for now. */
  hold: boolean;
  /** Payouts moved by this call (pending → held, or held → pending). */
  changed: number;
}

/**
 * The "payouts" consumer of seller.suspended and seller.reinstated (docs/events.md): a seller that
 * is not active has its pending payouts held; an active one has its held payouts pending again. It
 * reads the seller's status when it runs (under the seller's row share lock and payout lock),
 * never the event's kind: a repeated event changes nothing, and a late suspension handled after
 * the reinstatement finds the seller active and leaves its payouts pending (order-proof without
 * keeping a decisionId). Payouts already paid or failed are never touched. A released payout that
 * was never handed to the provider (submitPayout skips held payouts) gets a new `payout.submit`
 * outbox row in the same transaction.
 */
export async function syncSellerPayoutHold(deps: ServiceDeps, input: { sellerId: unknown }): Promise<SyncSellerPayoutHoldResult> {
  const sellerId = existingId(parseInput(syncSellerPayoutHoldSchema, input).sellerId, "Seller");
  return withTransaction(deps.db, async (trx) => {
    await lockSellerPayouts(trx, sellerId);
    const seller = await trx.selectFrom("organizations").select("status").where("id", "=", sellerId).where("kind", "=", "seller").forShare().executeTakeFirst();
    // A seller that does not exist (any more) has no payouts to hold.
    if (!seller) return { sellerId, hold: false, changed: 0 };
    const hold = seller.status !== "active";
    const moved = await trx
      .updateTable("payouts")
      .set({ status: hold ? "held" : "pending" })
      .where("seller_id", "=", sellerId)
      .where("status", "=", hold ? "pending" : "held")
      .returning(["id", "submitted_at"])
      .execute();
    if (!hold) for (const p of moved) if (p.submitted_at === null) await writeOutbox(trx, "payout.submit", { payoutId: p.id });
    return { sellerId, hold, changed: moved.length };
  });
}
