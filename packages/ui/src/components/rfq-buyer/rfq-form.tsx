import { Form, Link } from "@remix-run/react";
import { isCurrency, money, toDecimalString } from "@souk/domain";
import { useEffect, useId, useState, type ReactNode } from "react";
import { useI18n } from "../../i18n/context";
import { isFormFailure, type FormFailure } from "../../types";
import { Alert } from "../alert";
import { SellerGroupedSelect } from "../catalogue-seller-common";
import { buttonClass, errorsOf, SelectField, SubmitButton, TextAreaField, TextField, useFailureKey } from "../form";
import { Card, PageHeader } from "../layout";
import { categoryName, type CategoryOption } from "../seller-data";
import { browserTimeZone, BUYER_RFQ_INTENT, DEFAULT_DEADLINE_ZONE, localDateTimeIn, RfqBackLink, RfqStatusBadge } from "./common";
import { lineRowsOf } from "./form-input";
import type { BuyerRfqDetailView, RfqPrefillView, SellerChoiceView, SellersToInviteView } from "./views";

export const RFQ_INCOTERM_CODES = ["EXW", "FCA", "CPT", "CIP", "DAP", "DPU", "DDP", "FAS", "FOB", "CFR", "CIF"] as const;

/**
 * What the RFQ form's action answers when it shows the form again: a failed save (errors beside the
 * fields), or a re-rendering asked by the form itself ("Add a line", "Search sellers"), with the
 * sellers to show as choices. Its `values` are what was typed.
 */
export type RfqFormResult = FormFailure & { sellers?: SellersToInviteView; sellerSearchErrors?: string[] };

export function isRfqFormResult(value: unknown): value is RfqFormResult {
  return isFormFailure(value);
}

const LINE_FIELDS = ["description", "quantity", "unit", "targetPrice"] as const;

/** The first field with an error, in page order: it gets the focus. */
const FIELD_ORDER = ["title", "categoryId", "description", "currency", "incoterm", "deliveryPlace", "deadline", "timeZone", "lines", "visibility", "invitedSellerIds", "sealing", "antiSnipingMinutes", "antiSnipingMax"];

function decimal(amountMinor: string, currency: string): string {
  return isCurrency(currency) ? toDecimalString(money(BigInt(amountMinor), currency)) : amountMinor;
}

/** The form's text values of an RFQ being edited. */
function valuesOfRfq(rfq: BuyerRfqDetailView): Record<string, string> {
  const values: Record<string, string> = {
    title: rfq.title,
    description: rfq.description,
    categoryId: rfq.category.id,
    currency: rfq.currency,
    incoterm: rfq.incoterm,
    deliveryPlace: rfq.deliveryPlace,
    visibility: rfq.visibility,
    sealing: rfq.sealing,
    invitedSellerIds: rfq.invitations.map((i) => i.sellerId).join(","),
    antiSnipingMinutes: rfq.antiSniping ? String(rfq.antiSniping.minutes) : "",
    antiSnipingMax: rfq.antiSniping ? String(rfq.antiSniping.maxExtensions) : "",
    lineRows: String(Math.max(1, rfq.lines.length)),
  };
  rfq.lines.forEach((line, i) => {
    values[`lines.${i}.description`] = line.description;
    values[`lines.${i}.quantity`] = String(line.quantity);
    values[`lines.${i}.unit`] = line.unit;
    values[`lines.${i}.targetPrice`] = line.targetPrice ? decimal(line.targetPrice.amountMinor, line.targetPrice.currency) : "";
    values[`lines.${i}.listingId`] = line.listing?.id ?? "";
  });
  return values;
}

function valuesOfPrefill(prefill: RfqPrefillView): Record<string, string> {
  const values: Record<string, string> = {
    title: prefill.title,
    categoryId: prefill.categoryId,
    currency: prefill.currency,
    sourceListingId: prefill.sourceListingId,
    lineRows: String(Math.max(1, prefill.lines.length)),
  };
  prefill.lines.forEach((line, i) => {
    for (const field of [...LINE_FIELDS, "listingId"] as const) values[`lines.${i}.${field}`] = line[field];
  });
  return values;
}

const NEW_VALUES: Record<string, string> = { currency: "EUR", incoterm: "DAP", visibility: "open", sealing: "sealed", lineRows: "1" };

function FormSection({ title, hint, children }: { title: string; hint?: string; children: ReactNode }) {
  return (
    <fieldset className="form-section">
      <legend className="form-section-title">{title}</legend>
      {hint ? <p className="field-hint">{hint}</p> : null}
      {children}
    </fieldset>
  );
}

/** One choice of a radio group, with its explanation. */
function Radio({ name, value, checked, label, help }: { name: string; value: string; checked: boolean; label: string; help?: string }) {
  return (
    <label className="checkbox rfq-choice">
      <input type="radio" name={name} value={value} defaultChecked={checked} />
      <span>
        {label}
        {help ? <span className="cell-sub">{help}</span> : null}
      </span>
    </label>
  );
}

/**
 * The deadline: a wall-clock time in a time zone. Without JavaScript the zone is Europe/Paris; the
 * script switches to the browser's, moving the shown time of an existing deadline with it, so the
 * instant stays the same. Also the best-and-final round's deadline (rfq-final-round-page.tsx).
 */
export function DeadlineField({ initial, deadlineIso, typedZone, errors, autoFocus }: { initial: string; deadlineIso: string | null; typedZone: string | null; errors: string[] | undefined; autoFocus: boolean }) {
  const { t } = useI18n();
  const id = `${useId()}-deadline`;
  const [zone, setZone] = useState(typedZone ?? DEFAULT_DEADLINE_ZONE);
  const [value, setValue] = useState(typedZone || !deadlineIso ? initial : localDateTimeIn(deadlineIso, DEFAULT_DEADLINE_ZONE));
  useEffect(() => {
    // What was typed and sent back stays as typed, in the zone it was typed in.
    if (typedZone) return;
    const browser = browserTimeZone();
    if (!browser) return;
    setZone(browser);
    if (deadlineIso) setValue(localDateTimeIn(deadlineIso, browser));
  }, [typedZone, deadlineIso]);
  const zoneErrors = errors ?? [];
  const invalid = zoneErrors.length > 0;
  return (
    <div className={`field${invalid ? " field--invalid" : ""}`}>
      <label htmlFor={id} className="field-label">
        {t("rfqBuyer.field.deadline")}
      </label>
      <input
        id={id}
        name="deadline"
        type="datetime-local"
        className="input"
        value={value}
        onChange={(e) => setValue(e.target.value)}
        autoFocus={autoFocus}
        aria-invalid={invalid || undefined}
        aria-describedby={`${id}-hint${invalid ? ` ${id}-error` : ""}`}
      />
      <input type="hidden" name="timeZone" value={zone} />
      <p className="field-hint" id={`${id}-hint`}>
        {t("rfqBuyer.field.deadlineHint", { zone })}
      </p>
      {invalid ? (
        <p className="field-error" id={`${id}-error`}>
          {zoneErrors.join(" ")}
        </p>
      ) : null}
    </div>
  );
}

function LinesTable({ rows, value, failure, listingTitles, autoFocusFirst }: {
  rows: number;
  value: (name: string) => string;
  failure: FormFailure | null;
  listingTitles: ReadonlyMap<string, string>;
  autoFocusFirst: string | null;
}) {
  const { t } = useI18n();
  const linesError = errorsOf(failure, "lines");
  return (
    <div className="stack">
      {linesError ? (
        <p className="field-error" role="alert">
          {linesError.join(" ")}
        </p>
      ) : null}
      <div className="table-wrap">
        <table className="table rfq-lines-table">
          <caption className="visually-hidden">{t("rfqBuyer.section.lines")}</caption>
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">{t("rfqBuyer.line.description")}</th>
              <th scope="col">{t("rfqBuyer.line.quantity")}</th>
              <th scope="col">{t("rfqBuyer.line.unit")}</th>
              <th scope="col">{t("rfqBuyer.line.targetPrice")}</th>
            </tr>
          </thead>
          <tbody>
            {Array.from({ length: rows }, (_, i) => {
              const listingId = value(`lines.${i}.listingId`);
              return (
                <tr key={i}>
                  <th scope="row">{i + 1}</th>
                  {LINE_FIELDS.map((field) => {
                    const name = `lines.${i}.${field}`;
                    const errors = errorsOf(failure, name);
                    return (
                      <td key={field} className={errors ? "field--invalid" : undefined}>
                        <label className="visually-hidden" htmlFor={`rfq-${name}`}>
                          {t("rfqBuyer.line.label", { field: t(`rfqBuyer.line.${field}`), number: i + 1 })}
                        </label>
                        <input
                          id={`rfq-${name}`}
                          name={name}
                          className={`input input--compact${field === "description" ? "" : " rfq-line-short"}`}
                          defaultValue={value(name)}
                          inputMode={field === "quantity" ? "numeric" : field === "targetPrice" ? "decimal" : undefined}
                          maxLength={field === "description" ? 500 : field === "unit" ? 20 : 30}
                          autoFocus={autoFocusFirst === name}
                          aria-invalid={errors ? true : undefined}
                          aria-describedby={errors ? `rfq-${name}-error` : undefined}
                        />
                        {field === "description" && listingId ? (
                          <>
                            <input type="hidden" name={`lines.${i}.listingId`} value={listingId} />
                            <span className="cell-sub">{t("rfqBuyer.line.linkedTo", { title: listingTitles.get(listingId) ?? t("rfqBuyer.line.aListing") })}</span>
                          </>
                        ) : null}
                        {errors ? (
                          <span className="field-error" id={`rfq-${name}-error`}>
                            {errors.join(" ")}
                          </span>
                        ) : null}
                        {field === "description" && errorsOf(failure, `lines.${i}.listingId`) ? <span className="field-error">{errorsOf(failure, `lines.${i}.listingId`)?.join(" ")}</span> : null}
                      </td>
                    );
                  })}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <p className="field-hint">{t("rfqBuyer.line.hint")}</p>
      <div>
        <SubmitButton name="intent" value={BUYER_RFQ_INTENT.addLine} variant="secondary">
          {t("rfqBuyer.line.add")}
        </SubmitButton>
      </div>
    </div>
  );
}

function InvitedSellers({ checked, choices, failure, result, value, autoFocus }: {
  checked: ReadonlySet<string>;
  choices: readonly SellerChoiceView[];
  failure: FormFailure | null;
  result: RfqFormResult | null;
  value: (name: string) => string;
  autoFocus: boolean;
}) {
  const { t } = useI18n();
  const errors = errorsOf(failure, "invitedSellerIds");
  const searched = result?.values.intent === BUYER_RFQ_INTENT.searchSellers;
  return (
    <div className={`stack${errors ? " field--invalid" : ""}`}>
      {errors ? <p className="field-error">{errors.join(" ")}</p> : null}
      {choices.length > 0 ? (
        <fieldset className="category-group">
          <legend className="category-group-title">{t("rfqBuyer.invite.chosen")}</legend>
          {choices.map((s, index) => (
            <label key={s.id} className="checkbox">
              <input type="checkbox" name="invitedSellerIds" value={s.id} defaultChecked={checked.has(s.id)} autoFocus={autoFocus && index === 0} />
              <span>
                {s.name}
                {s.servesCategory ? <span className="cell-sub">{t("rfqBuyer.invite.servesCategory")}</span> : null}
              </span>
            </label>
          ))}
        </fieldset>
      ) : (
        <p className="muted">{t("rfqBuyer.invite.none")}</p>
      )}
      {searched && (result?.sellers?.matches.length ?? 0) === 0 && !result?.sellerSearchErrors?.length ? <p className="muted">{t("rfqBuyer.invite.noMatch")}</p> : null}
      <div className="rfq-seller-search">
        <TextField name="sellerQ" label={t("rfqBuyer.invite.search")} hint={t("rfqBuyer.invite.searchHint")} defaultValue={value("sellerQ")} maxLength={100} errors={result?.sellerSearchErrors} />
        <div className="upload-submit">
          <SubmitButton name="intent" value={BUYER_RFQ_INTENT.searchSellers} variant="secondary">
            {t("rfqBuyer.invite.searchSubmit")}
          </SubmitButton>
        </div>
      </div>
    </div>
  );
}

/**
 * The RFQ form, new or edited. Every part works without JavaScript: "Add a line" and "Search
 * sellers" post the form and come back with what was typed (and one more row, or the sellers
 * found); "Save draft" and "Publish" save it. With JavaScript, only the deadline's time zone is the
 * browser's.
 */
export function BuyerRfqFormPage({ rfq, prefill, categories, currencies, result }: {
  /** The RFQ being edited, or null for a new one. */
  rfq: BuyerRfqDetailView | null;
  prefill: RfqPrefillView | null;
  categories: readonly CategoryOption[];
  currencies: readonly string[];
  result: unknown;
}) {
  const { t, locale } = useI18n();
  const formResult = isRfqFormResult(result) ? result : null;
  const failure = formResult;
  const formKey = useFailureKey(failure);
  const base = formResult?.values ?? (rfq ? valuesOfRfq(rfq) : prefill ? valuesOfPrefill(prefill) : NEW_VALUES);
  const value = (name: string) => base[name] ?? "";
  const rows = lineRowsOf(base);
  const focus = FIELD_ORDER.find((f) => (failure?.fieldErrors[f]?.length ?? 0) > 0) ?? null;
  const firstLineError = Object.keys(failure?.fieldErrors ?? {}).find((k) => k.startsWith("lines.") && !k.endsWith(".listingId")) ?? null;

  const checked = new Set(value("invitedSellerIds").split(",").filter(Boolean));
  const known = new Map<string, SellerChoiceView>();
  for (const i of rfq?.invitations ?? []) known.set(i.sellerId, { id: i.sellerId, name: i.name, servesCategory: false });
  for (const s of [...(formResult?.sellers?.selected ?? []), ...(formResult?.sellers?.matches ?? [])]) known.set(s.id, s);
  const choices = [...[...known.values()].filter((s) => checked.has(s.id)), ...[...known.values()].filter((s) => !checked.has(s.id))];

  const listingTitles = new Map<string, string>();
  for (const line of rfq?.lines ?? []) if (line.listing) listingTitles.set(line.listing.id, line.listing.title);
  if (prefill) listingTitles.set(prefill.listing.id, prefill.listing.title);

  const families = categories.filter((c) => c.parentId === null);
  const categoryGroups = families.map((family) => {
    const children = categories.filter((c) => c.parentId === family.id);
    return { label: categoryName(locale, family), options: (children.length > 0 ? children : [family]).map((c) => ({ value: c.id, label: categoryName(locale, c) })) };
  });
  const isOpen = rfq?.status === "open";
  const typedZone = formResult ? (formResult.values.timeZone ?? null) : null;
  const defaultIntent = BUYER_RFQ_INTENT.saveDraft;
  const summary = failure && (failure.formError || Object.keys(failure.fieldErrors).length > 0) ? (failure.formError ?? t("form.errorSummary")) : null;

  return (
    <div className="stack">
      <RfqBackLink to={rfq ? `/rfqs/${rfq.id}` : "/rfqs"}>{rfq ? t("rfqBuyer.form.backToRfq") : t("rfqBuyer.form.backToList")}</RfqBackLink>
      <PageHeader
        title={rfq ? t("rfqBuyer.form.editTitle", { reference: rfq.reference }) : t("rfqBuyer.form.newTitle")}
        description={rfq ? rfq.title : prefill ? t("rfqBuyer.form.fromListing", { title: prefill.listing.title, seller: prefill.listing.sellerName }) : t("rfqBuyer.form.newIntro")}
        actions={rfq ? <RfqStatusBadge status={rfq.status} /> : null}
      />
      {isOpen ? <Alert tone="info">{t("rfqBuyer.form.openNotice")}</Alert> : null}
      <Card>
        <p className="muted">{t("rfqBuyer.form.required")}</p>
        {summary ? <Alert tone="error">{summary}</Alert> : null}
        <Form key={formKey} method="post" className="form rfq-form" noValidate>
          {/* Enter in a text box saves: the first submit button of a form is its default. */}
          <button type="submit" name="intent" value={defaultIntent} className="visually-hidden" tabIndex={-1} aria-hidden="true" />
          <input type="hidden" name="lineRows" value={String(rows)} />
          {rfq ? <input type="hidden" name="version" value={value("version") || String(rfq.version)} /> : null}
          {value("sourceListingId") ? <input type="hidden" name="sourceListingId" value={value("sourceListingId")} /> : null}

          <FormSection title={t("rfqBuyer.section.what")}>
            <div className="form-grid">
              <TextField name="title" label={t("rfqBuyer.field.title")} required maxLength={200} defaultValue={value("title")} errors={errorsOf(failure, "title")} autoFocus={focus === "title"} />
              <SellerGroupedSelect
                name="categoryId"
                label={t("rfqBuyer.field.category")}
                required
                placeholder={t("rfqBuyer.field.categoryPlaceholder")}
                groups={categoryGroups}
                defaultValue={value("categoryId")}
                errors={errorsOf(failure, "categoryId")}
                autoFocus={focus === "categoryId"}
              />
            </div>
            <TextAreaField name="description" label={t("rfqBuyer.field.description")} hint={t("rfqBuyer.field.descriptionHint")} rows={5} maxLength={5000} defaultValue={value("description")} errors={errorsOf(failure, "description")} autoFocus={focus === "description"} />
          </FormSection>

          <FormSection title={t("rfqBuyer.section.lines")}>
            <LinesTable rows={rows} value={value} failure={failure} listingTitles={listingTitles} autoFocusFirst={focus === null ? firstLineError : null} />
          </FormSection>

          <FormSection title={t("rfqBuyer.section.terms")}>
            <div className="form-grid">
              <SelectField
                name="currency"
                label={t("rfqBuyer.field.currency")}
                hint={t("rfqBuyer.field.currencyHint")}
                required
                defaultValue={value("currency")}
                errors={errorsOf(failure, "currency")}
                options={[{ value: "", label: t("rfqBuyer.field.currencyPlaceholder") }, ...currencies.map((c) => ({ value: c, label: c }))]}
              />
              <SelectField
                name="incoterm"
                label={t("rfqBuyer.field.incoterm")}
                required
                defaultValue={value("incoterm")}
                errors={errorsOf(failure, "incoterm")}
                options={[{ value: "", label: t("rfqBuyer.field.incotermPlaceholder") }, ...RFQ_INCOTERM_CODES.map((c) => ({ value: c, label: t(`rfq.incoterm.${c}`) }))]}
              />
              <TextField name="deliveryPlace" label={t("rfqBuyer.field.deliveryPlace")} hint={t("rfqBuyer.field.deliveryPlaceHint")} required maxLength={200} defaultValue={value("deliveryPlace")} errors={errorsOf(failure, "deliveryPlace")} autoFocus={focus === "deliveryPlace"} />
              <DeadlineField
                initial={value("deadline")}
                deadlineIso={formResult ? null : (rfq?.deadline ?? null)}
                typedZone={typedZone}
                errors={[...(errorsOf(failure, "deadline") ?? []), ...(errorsOf(failure, "timeZone") ?? [])]}
                autoFocus={focus === "deadline" || focus === "timeZone"}
              />
            </div>
          </FormSection>

          <FormSection title={t("rfqBuyer.section.visibility")}>
            <div className={errorsOf(failure, "visibility") ? "field--invalid stack" : "stack"}>
              {errorsOf(failure, "visibility") ? <p className="field-error">{errorsOf(failure, "visibility")?.join(" ")}</p> : null}
              <Radio name="visibility" value="open" checked={value("visibility") !== "invited"} label={t("rfq.visibility.open")} help={t("rfqBuyer.field.visibilityOpenHelp")} />
              <Radio name="visibility" value="invited" checked={value("visibility") === "invited"} label={t("rfq.visibility.invited")} help={t("rfqBuyer.field.visibilityInvitedHelp")} />
            </div>
            <InvitedSellers checked={checked} choices={choices} failure={failure} result={formResult} value={value} autoFocus={focus === "invitedSellerIds"} />
          </FormSection>

          <FormSection title={t("rfqBuyer.section.bidding")}>
            <div className={errorsOf(failure, "sealing") ? "field--invalid stack" : "stack"}>
              {errorsOf(failure, "sealing") ? <p className="field-error">{errorsOf(failure, "sealing")?.join(" ")}</p> : null}
              <Radio name="sealing" value="sealed" checked={value("sealing") !== "open"} label={t("rfq.sealing.sealed")} help={t("rfq.sealing.sealedHelp")} />
              <Radio name="sealing" value="open" checked={value("sealing") === "open"} label={t("rfq.sealing.open")} help={t("rfq.sealing.openHelp")} />
            </div>
            <p className="field-hint">{t("rfqBuyer.field.antiSnipingHint")}</p>
            <div className="form-grid">
              <TextField name="antiSnipingMinutes" label={t("rfqBuyer.field.antiSnipingMinutes")} maxLength={4} defaultValue={value("antiSnipingMinutes")} errors={errorsOf(failure, "antiSnipingMinutes")} autoFocus={focus === "antiSnipingMinutes"} />
              <TextField name="antiSnipingMax" label={t("rfqBuyer.field.antiSnipingMax")} maxLength={3} defaultValue={value("antiSnipingMax")} errors={errorsOf(failure, "antiSnipingMax")} autoFocus={focus === "antiSnipingMax"} />
            </div>
          </FormSection>

          <div className="button-row">
            {rfq?.status === "open" ? (
              <SubmitButton name="intent" value={BUYER_RFQ_INTENT.saveDraft}>
                {t("rfqBuyer.form.saveChanges")}
              </SubmitButton>
            ) : (
              <>
                <SubmitButton name="intent" value={BUYER_RFQ_INTENT.publish}>
                  {t("rfqBuyer.form.publish")}
                </SubmitButton>
                <SubmitButton name="intent" value={BUYER_RFQ_INTENT.saveDraft} variant="secondary">
                  {t("rfqBuyer.form.saveDraft")}
                </SubmitButton>
              </>
            )}
            <Link to={rfq ? `/rfqs/${rfq.id}` : "/rfqs"} className={buttonClass("ghost")}>
              {t("rfqBuyer.form.cancel")}
            </Link>
          </div>
        </Form>
      </Card>
    </div>
  );
}
