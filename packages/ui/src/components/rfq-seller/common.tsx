import { format, isCurrency, money, toDecimalString } from "@souk/domain";
import { useI18n } from "../../i18n/context";
import type { FormFailure } from "../../types";
import { Alert } from "../alert";
import type { SellerRfqMoney } from "./types";

/**
 * The message above a form that came back refused: its whole-form error, the errors of fields the
 * form does not show (the offer window: `offer`), or a pointer to the fields below.
 */
export function SellerRfqFormAlert({ failure, fields }: { failure: FormFailure | null; fields: readonly string[] }) {
  const { t } = useI18n();
  if (!failure) return null;
  const shown = (name: string) => fields.some((f) => name === f || name.startsWith(`${f}.`));
  const elsewhere = Object.entries(failure.fieldErrors)
    .filter(([name]) => !shown(name))
    .flatMap(([, messages]) => messages);
  const messages = [...(failure.formError ? [failure.formError] : []), ...new Set(elsewhere)];
  if (messages.length > 0) return <Alert tone="error">{messages.join(" ")}</Alert>;
  return Object.keys(failure.fieldErrors).length > 0 ? <Alert tone="error">{t("form.errorSummary")}</Alert> : null;
}

/** "€1,234.50" in the page's language; the bare figures when the currency is unknown to the domain. */
export function useSellerRfqMoney(): (value: SellerRfqMoney) => string {
  const { locale } = useI18n();
  return (value) => (isCurrency(value.currency) ? format(money(BigInt(value.amountMinor), value.currency), locale) : `${value.amountMinor} ${value.currency}`);
}

/** "12.50": a price as the offer form shows it, which the service reads back to the same amount. */
export function sellerRfqDecimal(value: SellerRfqMoney): string {
  return isCurrency(value.currency) ? toDecimalString(money(BigInt(value.amountMinor), value.currency)) : value.amountMinor;
}
