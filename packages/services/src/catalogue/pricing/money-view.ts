import type { Money } from "@souk/domain";

/** Money in a service result: JSON-safe (no bigint); pages format it with `format(money(BigInt(amountMinor), currency), locale)`. */
export interface MoneyView {
  amountMinor: string;
  currency: string;
}

export function moneyView(m: Money): MoneyView {
  return { amountMinor: m.amount.toString(), currency: m.currency };
}

/** A stored amount (a bigint column, read as a string) as a service result. */
export function moneyOf(amountMinor: string | bigint, currency: string): MoneyView {
  return { amountMinor: amountMinor.toString(), currency };
}
