import { z } from "zod";
import { notFound } from "@souk/domain";
import type { ActorDeps } from "../deps";
import { parseInput } from "../input";
import { journalViews, payoutRows, payoutStatement, payoutView, type JournalView, type PayoutStatement } from "./views";
import { assertOperatorCan, existingId } from "./shared";

export const getPayoutSchema = z.object({ payoutId: z.unknown() });
export type GetPayoutInput = z.input<typeof getPayoutSchema>;

export interface PayoutDetail extends PayoutStatement {
  /** The payout's own journals: the payout, then its payment or failure. */
  journals: JournalView[];
}

/** One payout with its statement and journals (operators with read:ledger:any). */
export async function getPayout(deps: ActorDeps, input: unknown): Promise<PayoutDetail> {
  assertOperatorCan(deps.actor, "read:ledger:any");
  const payoutId = existingId(parseInput(getPayoutSchema, input).payoutId, "Payout");
  const row = await payoutRows(deps.db).where("p.id", "=", payoutId).executeTakeFirst();
  if (!row) throw notFound("Payout");
  const statement = await payoutStatement(deps.db, payoutView(row));
  const journalIds = await deps.db.selectFrom("journals").select("id").where("payout_id", "=", payoutId).orderBy("number").execute();
  return { ...statement, journals: await journalViews(deps.db, journalIds.map((j) => j.id)) };
}
