import type { Money } from "@souk/domain";

/** A payout as handed to a payment provider. */
export interface ProviderPayout {
  id: string;
  reference: string;
  sellerId: string;
  amount: Money;
}

/**
 * The port to whoever moves the money of payouts. Souk calls no real provider: the manual one
 * below is the only implementation; a bank or PSP adapter would implement the same call. Its name
 * is stored on each payout (payouts.provider).
 *
 * The provider is never called inside a database transaction (DESIGN.md §3: side effects leave a
 * transaction only through the outbox). runPayouts writes a `payout.submit` outbox row per payout
 * it creates; the job's use case, submitPayout, calls `submit` after the run committed and then
 * records the answer. Paying and failing a payout are the operator's records (markPayoutPaid /
 * markPayoutFailed) and call no provider; an adapter that learns the outcome from its provider
 * (a webhook) would feed those use cases.
 */
export interface PaymentProvider {
  readonly name: string;
  /**
   * A pending payout, not yet submitted: hand it over. Called at least once per payout (a crash
   * after the call but before submitted_at is recorded calls it again), so an adapter must make it
   * idempotent on `payout.id` (the PSP's idempotency key). Returns the provider's reference when it
   * gives one at once (null: the manual provider; finance pays by bank transfer from the payouts
   * page and marks the payout paid). Throwing fails the job, which is retried.
   */
  submit(payout: ProviderPayout): Promise<{ reference: string | null }>;
}

/** No provider is called: operators pay by hand and record the transfer's reference. */
export const manualPaymentProvider: PaymentProvider = {
  name: "manual",
  async submit() {
    return { reference: null };
  },
};

/** The deps of the payout use cases may carry a provider; without one, the manual provider. */
export interface PaymentProviderDeps {
  paymentProvider?: PaymentProvider;
}

export function paymentProviderOf(deps: PaymentProviderDeps): PaymentProvider {
  return deps.paymentProvider ?? manualPaymentProvider;
}
