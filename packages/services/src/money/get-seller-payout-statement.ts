import { z } from "zod";
import { notFound } from "@souk/domain";
import type { ActorDeps } from "../deps";
import { parseInput } from "../input";
import { payoutRows, payoutStatement, payoutView, type PayoutStatement } from "./views";
import { assertSellerMoneyReader, existingId } from "./shared";

export const getSellerPayoutStatementSchema = z.object({ payoutId: z.unknown() });
export type GetSellerPayoutStatementInput = z.input<typeof getSellerPayoutStatementSchema>;

/**
 * The statement of one of the seller's payouts (owners: read:payouts:org): every journal it
 * batches with its order, gross, commission and net, and the totals. Another seller's payout is
 * NOT_FOUND, like one that does not exist.
 */
export async function getSellerPayoutStatement(deps: ActorDeps, input: unknown): Promise<PayoutStatement> {
  assertSellerMoneyReader(deps.actor);
  const payoutId = existingId(parseInput(getSellerPayoutStatementSchema, input).payoutId, "Payout");
  const row = await payoutRows(deps.db).where("p.id", "=", payoutId).where("p.seller_id", "=", deps.actor.organizationId).executeTakeFirst();
  if (!row) throw notFound("Payout");
  return payoutStatement(deps.db, payoutView(row));
}
