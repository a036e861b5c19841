import { z } from "zod";
import { withTransaction } from "@souk/db";
import { payoutPaidEntries } from "@souk/domain";
import { recordAudit } from "../audit/record-audit";
import { assertStillPermitted } from "../authorization";
import type { ActorDeps } from "../deps";
import { parseInput } from "../input";
import { lockPayoutForDecision, recordPayoutDecision, tellSellerOwners } from "./payout-decision";
import { assertOperatorCan, currencyOf, existingId, postJournal, storedMoney } from "./shared";

export const markPayoutPaidSchema = z.object({
  payoutId: z.unknown(),
  /** The payment's reference (the bank transfer's id...). */
  reference: z.string({ error: "payout.reference_required" }).trim().min(1, { error: "payout.reference_required", abort: true }).max(200, { error: "payout.reference_too_long" }),
});
export type MarkPayoutPaidInput = z.input<typeof markPayoutPaidSchema>;

export interface MarkPayoutResult {
  payoutId: string;
  status: "paid" | "failed";
  journalId: string;
}

/**
 * An operator (run:settlement:any) records that a pending payout reached the seller with the
 * payment's reference (kept as provider_reference; no provider is called): a `payout_paid` journal
 * moves the amount from payouts in transit to cash (key `payout-paid:<payoutId>`), the payout
 * becomes paid; audited; the seller's owners are told. Errors: `reference` "payout.reference_required" / "payout.reference_too_long";
 * a held payout or a seller that is not active → VALIDATION `_form` "payout.seller_held"; a payout
 * holding a journal of an order whose dispute is open (opened after the payout run) → VALIDATION
 * `_form` "payout.dispute_open" (resolve the dispute first); a payout already paid or failed →
 * CONFLICT "payout.not_pending". Nothing is written on any error.
 */
export async function markPayoutPaid(deps: ActorDeps, input: unknown): Promise<MarkPayoutResult> {
  const { actor } = deps;
  assertOperatorCan(actor, "run:settlement:any");
  const raw = parseInput(markPayoutPaidSchema, input);
  const payoutId = existingId(raw.payoutId, "Payout");
  return withTransaction(deps.db, async (trx) => {
    await assertStillPermitted(trx, actor, "run:settlement:any");
    const payout = await lockPayoutForDecision(trx, payoutId, "paid");
    const { reference } = raw;
    const journal = await postJournal(trx, {
      idempotencyKey: `payout-paid:${payout.id}`,
      kind: "payout_paid",
      payoutId: payout.id,
      currency: currencyOf(payout.currency),
      memo: `Payout ${payout.reference} paid`,
      postedBy: actor.userId,
      entries: payoutPaidEntries(storedMoney(payout.amountMinor, payout.currency)),
    });
    await recordPayoutDecision(trx, payout.id, { status: "paid", providerReference: reference, by: actor.userId });
    await recordAudit(trx, {
      actor,
      organizationId: payout.sellerId,
      action: "payout.paid",
      targetType: "payout",
      targetId: payout.id,
      data: { payout: payout.reference, amountMinor: payout.amountMinor, currency: payout.currency, providerReference: reference, journalId: journal.id },
    });
    await tellSellerOwners(trx, deps, payout, { template: "payout.paid", providerReference: reference });
    return { payoutId: payout.id, status: "paid" as const, journalId: journal.id };
  });
}
