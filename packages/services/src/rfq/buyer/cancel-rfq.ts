import { sql } from "kysely";
import { z } from "zod";
import { withTransaction } from "@souk/db";
import { moveRfq } from "@souk/domain";
import { assertStillPermitted } from "../../authorization";
import type { ActorDeps } from "../../deps";
import { parseInput } from "../../input";
import { buyerRfq } from "../access";
import { publishRfqEvent } from "../live";
import { assertBuyerRfqCan, dbNow, liveOfferCount, refId } from "./shared";
import { notifySellers } from "./write-rfq";

export const CANCEL_REASON_MAX = 2_000;

export const cancelRfqSchema = z.object({
  rfqId: z.unknown(),
  reason: z.preprocess(
    (v) => (typeof v === "string" ? v.trim() : v ?? ""),
    z.string({ error: "rfq.reason_required" }).min(1, { error: "rfq.reason_required", abort: true }).max(CANCEL_REASON_MAX, { error: "rfq.reason_too_long" }),
  ),
});
export type CancelRfqInput = z.input<typeof cancelRfqSchema>;

/**
 * Cancels one of the buyer's RFQs, draft or open, with a reason (required). The sellers who were
 * invited or made an offer (withdrawn ones too) are told, with the reason; the live pages hear
 * `status`. Offers are left as they are: nothing of them is revealed by a cancellation, sealed or
 * not. Another buyer's RFQ is NOT_FOUND; a closed or awarded one is ILLEGAL_TRANSITION.
 */
export async function cancelRfq(deps: ActorDeps, input: unknown): Promise<{ id: string; status: "cancelled" }> {
  const { actor } = deps;
  assertBuyerRfqCan(actor, "create:rfq:org");
  const rfqId = refId((input as { rfqId?: unknown } | null)?.rfqId, "RFQ");
  const { reason } = parseInput(cancelRfqSchema, input);
  return withTransaction(deps.db, async (trx) => {
    await assertStillPermitted(trx, actor, "create:rfq:org");
    const rfq = await buyerRfq(trx, actor.organizationId, rfqId, "update");
    const now = await dbNow(trx);
    const status = moveRfq(rfq.status, "cancel", { now, deadline: rfq.deadline, offerCount: await liveOfferCount(trx, rfq.id), reason });
    await trx
      .updateTable("rfqs")
      .set({ status, cancel_reason: reason, updated_at: now, version: sql<number>`version + 1` })
      .where("id", "=", rfq.id)
      .where("buyer_id", "=", rfq.buyer_id)
      .execute();
    if (rfq.status === "open") {
      const sellers = await trx
        .selectFrom("rfq_invitations")
        .select("seller_id")
        .where("rfq_id", "=", rfq.id)
        .union(trx.selectFrom("offers").select("seller_id").where("rfq_id", "=", rfq.id))
        .execute();
      await notifySellers(trx, deps, rfq, sellers.map((s) => s.seller_id), "rfq.cancelled", () => ({ reason }));
    }
    await publishRfqEvent(trx, rfq.id, "status");
    return { id: rfq.id, status: "cancelled" as const };
  });
}
