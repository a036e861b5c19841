import { z } from "zod";
import { withTransaction } from "@souk/db";
import { payoutFailedEntries } from "@souk/domain";
import { recordAudit } from "../audit/record-audit";
import { assertStillPermitted } from "../authorization";
import type { ActorDeps } from "../deps";
import { parseInput } from "../input";
import type { MarkPayoutResult } from "./mark-payout-paid";
import { lockPayoutForDecision, recordPayoutDecision, tellSellerOwners } from "./payout-decision";
import { assertOperatorCan, currencyOf, existingId, postJournal, storedMoney } from "./shared";

export const markPayoutFailedSchema = z.object({
  payoutId: z.unknown(),
  /** Why the payment failed, as the seller will read it. */
  reason: z.string({ error: "payout.reason_required" }).trim().min(1, { error: "payout.reason_required", abort: true }).max(2000, { error: "payout.reason_too_long" }),
});
export type MarkPayoutFailedInput = z.input<typeof markPayoutFailedSchema>;

/**
 * An operator (run:settlement:any) records that a pending payout failed (no provider is called):
 * a `payout_failed` journal gives the amount back to the seller's payable (debit payouts in
 * transit, credit the payable; key `payout-failed:<payoutId>`), which the next payout run picks up again as a journal no payout
 * holds; the payout becomes failed with the reason; audited; the seller's owners are told.
 * Errors: `reason` "payout.reason_required" / "payout.reason_too_long"; a payout not pending (held,
 * paid, failed) → CONFLICT "payout.not_pending". Nothing is written on any error.
 */
export async function markPayoutFailed(deps: ActorDeps, input: unknown): Promise<MarkPayoutResult> {
  const { actor } = deps;
  assertOperatorCan(actor, "run:settlement:any");
  const raw = parseInput(markPayoutFailedSchema, input);
  const payoutId = existingId(raw.payoutId, "Payout");
  return withTransaction(deps.db, async (trx) => {
    await assertStillPermitted(trx, actor, "run:settlement:any");
    const payout = await lockPayoutForDecision(trx, payoutId, "failed");
    const journal = await postJournal(trx, {
      idempotencyKey: `payout-failed:${payout.id}`,
      kind: "payout_failed",
      payoutId: payout.id,
      currency: currencyOf(payout.currency),
      memo: `Payout ${payout.reference} failed`,
      postedBy: actor.userId,
      entries: payoutFailedEntries(payout.sellerId, storedMoney(payout.amountMinor, payout.currency)),
    });
    await recordPayoutDecision(trx, payout.id, { status: "failed", reason: raw.reason, by: actor.userId });
    await recordAudit(trx, {
      actor,
      organizationId: payout.sellerId,
      action: "payout.failed",
      targetType: "payout",
      targetId: payout.id,
      reason: raw.reason,
      data: { payout: payout.reference, amountMinor: payout.amountMinor, currency: payout.currency, journalId: journal.id },
    });
    await tellSellerOwners(trx, deps, payout, { template: "payout.failed", reason: raw.reason });
    return { payoutId: payout.id, status: "failed" as const, journalId: journal.id };
  });
}
