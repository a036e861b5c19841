import { Form, Link } from "@remix-run/react";
import { format, isCurrency, money } from "@souk/domain";
import { useId, type ReactNode } from "react";
import { useI18n } from "../i18n/context";
import { isMessageKey } from "../i18n/i18n";
import { isFormFailure, type FormFailure } from "../types";
import { Alert, Badge } from "./alert";
import { buttonClass, SubmitButton } from "./form";

/*
 * Pieces shared by the seller's catalogue pages (listings, import, customer groups, price lists).
 * Client-safe: the shapes are what @souk/services returns, as the loaders pass them.
 */

/** An amount as services return it (JSON-safe): minor units as a decimal string, and the currency. */
export interface SellerMoneyView {
  amountMinor: string;
  currency: string;
}

/** "€1,234.50" in the page's language; the bare figures when the currency is unknown to the domain. */
export function useSellerMoney(): (value: SellerMoneyView) => string {
  const { locale } = useI18n();
  return (value) => (isCurrency(value.currency) ? format(money(BigInt(value.amountMinor), value.currency), locale) : `${value.amountMinor} ${value.currency}`);
}

/** The failed form among a page's several forms: the action's answer when its `intent` is one of `intents`. */
export function sellerFailureOf(result: unknown, intents: readonly string[]): FormFailure | null {
  return isFormFailure(result) && intents.includes(result.values.intent ?? "") ? result : null;
}

const LISTING_STATUS_TONE: Record<string, "neutral" | "success" | "warning" | "danger"> = {
  draft: "neutral",
  published: "success",
  unlisted: "warning",
  blocked: "danger",
};

export const SELLER_LISTING_STATUSES = ["draft", "published", "unlisted", "blocked"] as const;

export function SellerListingStatusBadge({ status }: { status: string }) {
  const { t } = useI18n();
  const key = `sellerListings.status.${status}`;
  return <Badge tone={LISTING_STATUS_TONE[status] ?? "neutral"}>{isMessageKey(key) ? t(key) : status}</Badge>;
}

export interface SellerSelectGroup {
  label: string;
  options: readonly { value: string; label: string }[];
}

/**
 * A labelled select whose options come in groups (`<optgroup>`), wired like the other fields: the
 * hint and the error tied to the control with aria-describedby, aria-invalid when it has an error.
 */
export function SellerGroupedSelect({ name, label, hint, errors, required, placeholder, groups, defaultValue, autoFocus }: {
  name: string;
  label: string;
  hint?: string | undefined;
  errors?: readonly string[] | undefined;
  required?: boolean;
  /** The first, empty choice ("Choose…"). */
  placeholder: string;
  groups: readonly SellerSelectGroup[];
  defaultValue?: string | undefined;
  autoFocus?: boolean;
}) {
  const { t } = useI18n();
  const id = `${useId()}-${name}`;
  const invalid = Boolean(errors && errors.length > 0);
  const describedBy = [hint ? `${id}-hint` : "", invalid ? `${id}-error` : ""].filter(Boolean).join(" ") || undefined;
  return (
    <div className={`field${invalid ? " field--invalid" : ""}`}>
      <label htmlFor={id} className="field-label">
        {label}
        {required ? <span className="visually-hidden"> ({t("form.required")})</span> : null}
      </label>
      <select id={id} name={name} required={required} defaultValue={defaultValue ?? ""} className="input select" aria-invalid={invalid || undefined} aria-describedby={describedBy} autoFocus={autoFocus}>
        <option value="">{placeholder}</option>
        {groups.map((group) =>
          group.options.length > 0 ? (
            <optgroup key={group.label} label={group.label}>
              {group.options.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </optgroup>
          ) : null,
        )}
      </select>
      {hint ? (
        <p className="field-hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      {invalid ? (
        <p className="field-error" id={`${id}-error`}>
          {errors?.join(" ")}
        </p>
      ) : null}
    </div>
  );
}

/** An error about a whole form, or the summary that points at the fields when only they have errors. */
export function SellerFormError({ failure }: { failure: FormFailure | null }) {
  const { t } = useI18n();
  if (!failure) return null;
  const message = failure.formError ?? (Object.keys(failure.fieldErrors).length > 0 ? t("form.errorSummary") : null);
  return message ? <Alert tone="error">{message}</Alert> : null;
}

/**
 * The confirmation step of a deletion: a page of its own, so that it works without JavaScript and
 * nothing is deleted by a single stray click.
 */
export function SellerConfirmDelete({ title, children, confirm, cancelTo, cancel, result }: {
  title: string;
  children: ReactNode;
  confirm: string;
  cancelTo: string;
  cancel: string;
  result: unknown;
}) {
  const failure = isFormFailure(result) ? result : null;
  const message = failure ? (failure.formError ?? Object.values(failure.fieldErrors).flat().join(" ")) : null;
  return (
    <section className="card confirm-card" aria-labelledby="confirm-title">
      <h1 id="confirm-title">{title}</h1>
      {message ? <Alert tone="error">{message}</Alert> : null}
      {children}
      <Form method="post" className="button-row">
        <SubmitButton variant="danger">{confirm}</SubmitButton>
        <Link to={cancelTo} className={buttonClass("secondary")}>
          {cancel}
        </Link>
      </Form>
    </section>
  );
}

/** "← Listings": the way back to the list a detail page belongs to. */
export function SellerBackLink({ to, children }: { to: string; children: ReactNode }) {
  return (
    <p className="back-link">
      <Link to={to}>{children}</Link>
    </p>
  );
}
