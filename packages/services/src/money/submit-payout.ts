import { sql } from "kysely";
import { z } from "zod";
import { withTransaction } from "@souk/db";
import type { ServiceDeps } from "../deps";
import { parseInput } from "../input";
import { paymentProviderOf, type PaymentProviderDeps } from "./payment-provider";
import { existingId, payoutReference, storedMoney } from "./shared";

export const submitPayoutSchema = z.object({ payoutId: z.unknown() });
export type SubmitPayoutInput = z.input<typeof submitPayoutSchema>;

export interface SubmitPayoutResult {
  payoutId: string;
  /** The provider was called by this call. */
  submitted: boolean;
  /** The provider's reference (null: none given, as with the manual provider, or not submitted). */
  providerReference: string | null;
}

/**
 * The `payout.submit` job's use case: hands a payout that runPayouts created to the payment
 * provider, after the run's transaction committed (DESIGN.md §3: the provider is a side effect and
 * is never called inside a transaction). Does nothing unless the payout exists, is pending, its
 * seller is active and it has not been submitted yet (payouts.submitted_at): a duplicate job, a
 * retry after success, a held payout (the release writes a new job) or a payout an operator already
 * marked paid or failed calls no provider. Otherwise calls `provider.submit` with no transaction
 * open, then records submitted_at and the provider's reference in a short transaction (only if
 * still unsubmitted). A crash between the two calls the provider again on retry: the port requires
 * `submit` to be idempotent on the payout's id. A provider error fails the job, which is retried.
 */
export async function submitPayout(deps: ServiceDeps & PaymentProviderDeps, input: SubmitPayoutInput): Promise<SubmitPayoutResult> {
  const payoutId = existingId(parseInput(submitPayoutSchema, input).payoutId, "Payout");
  const skipped: SubmitPayoutResult = { payoutId, submitted: false, providerReference: null };
  const payout = await deps.db
    .selectFrom("payouts as p")
    .innerJoin("organizations as o", "o.id", "p.seller_id")
    .select(["p.id", "p.number", "p.seller_id", "p.currency", "p.amount_minor", "p.status", "p.submitted_at", "o.status as seller_status"])
    .where("p.id", "=", payoutId)
    .executeTakeFirst();
  if (!payout || payout.status !== "pending" || payout.submitted_at !== null || payout.seller_status !== "active") return skipped;

  const provider = paymentProviderOf(deps);
  const { reference } = await provider.submit({
    id: payout.id,
    reference: payoutReference(payout.number),
    sellerId: payout.seller_id,
    amount: storedMoney(payout.amount_minor, payout.currency),
  });
  await withTransaction(deps.db, (trx) =>
    trx
      .updateTable("payouts")
      .set({ submitted_at: sql<Date>`now()`, ...(reference ? { provider_reference: reference } : {}) })
      .where("id", "=", payout.id)
      .where("submitted_at", "is", null)
      .execute(),
  );
  return { payoutId, submitted: true, providerReference: reference };
}
