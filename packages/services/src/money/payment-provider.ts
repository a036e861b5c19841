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
 * below is the only implementation; a bank or PSP adapter would implement the same three calls.
 * Its name is stored on each payout (payouts.provider).
 */
export interface PaymentProvider {
  readonly name: string;
  /**
   * A payout was created (pending): hand it over. Returns the provider's reference when it gives
   * one at once (null: the manual provider; finance pays by bank transfer from the payouts page).
   */
  submit(payout: ProviderPayout): Promise<{ reference: string | null }>;
  /** An operator marks the payout paid with the payment's reference (a bank transfer id...): the reference to keep. */
  confirmPaid(payout: ProviderPayout, reference: string): Promise<{ reference: string }>;
  /** An operator marks the payout failed (bounced transfer, wrong bank details). */
  confirmFailed(payout: ProviderPayout, reason: string): Promise<void>;
}

/** No provider is called: operators pay by hand and record the transfer's reference. */
export const manualPaymentProvider: PaymentProvider = {
  name: "manual",
  async submit() {
    return { reference: null };
  },
  async confirmPaid(_payout, reference) {
    return { reference };
  },
  async confirmFailed() {
    return undefined;
  },
};

/** The deps of the payout use cases may carry a provider; without one, the manual provider. */
export interface PaymentProviderDeps {
  paymentProvider?: PaymentProvider;
}

export function paymentProviderOf(deps: PaymentProviderDeps): PaymentProvider {
  return deps.paymentProvider ?? manualPaymentProvider;
}
