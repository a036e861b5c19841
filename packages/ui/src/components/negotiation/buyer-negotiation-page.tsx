import { Form } from "@remix-run/react";
import { useEffect, useId, useState } from "react";
import { useI18n } from "../../i18n/context";
import { Alert } from "../alert";
import { errorsOf, SubmitButton, TextAreaField, useFailureKey } from "../form";
import { Card, PageHeader } from "../layout";
import { browserTimeZone, DEFAULT_DEADLINE_ZONE, FailureAlert, localDateTimeIn, RfqBackLink, rfqFailureOf, RfqStatusBadge } from "../rfq-buyer/common";
import { sellerRfqDecimal } from "../rfq-seller/common";
import { NegotiationOfferCard, NegotiationTimeline, useNegotiationMoney } from "./timeline";
import { NEGOTIATION_INTENT, type BuyerNegotiationView } from "./types";

const DAY = 86_400_000;

/**
 * The response deadline: a wall-clock time in a time zone, like the RFQ's deadline. Without
 * JavaScript the zone is Europe/Paris; the script switches to the browser's, keeping the instant.
 */
function RespondByField({ serverNow, latest, typed, typedZone, errors }: { serverNow: string; latest: string; typed: string | null; typedZone: string | null; errors: string[] | undefined }) {
  const { t, formatDateTime } = useI18n();
  const id = `${useId()}-respond-by`;
  const suggested = new Date(Date.parse(serverNow) + 3 * DAY).toISOString();
  const [zone, setZone] = useState(typedZone ?? DEFAULT_DEADLINE_ZONE);
  const [value, setValue] = useState(typed ?? localDateTimeIn(suggested, DEFAULT_DEADLINE_ZONE));
  useEffect(() => {
    if (typedZone) return;
    const browser = browserTimeZone();
    if (!browser) return;
    setZone(browser);
    if (!typed) setValue(localDateTimeIn(suggested, browser));
  }, [typedZone, typed, suggested]);
  const invalid = (errors?.length ?? 0) > 0;
  return (
    <div className={`field${invalid ? " field--invalid" : ""}`}>
      <label htmlFor={id} className="field-label">
        {t("negotiation.form.respondBy")}
      </label>
      <input
        id={id}
        name="respondBy"
        type="datetime-local"
        className="input"
        value={value}
        onChange={(e) => setValue(e.target.value)}
        aria-invalid={invalid || undefined}
        aria-describedby={`${id}-hint${invalid ? ` ${id}-error` : ""}`}
      />
      <input type="hidden" name="timeZone" value={zone} />
      <p className="field-hint" id={`${id}-hint`}>
        {t("negotiation.form.respondByHint", { zone, latest: formatDateTime(latest) })}
      </p>
      {invalid ? (
        <p className="field-error" id={`${id}-error`}>
          {errors?.join(" ")}
        </p>
      ) : null}
    </div>
  );
}

function CounterForm({ view, result }: { view: BuyerNegotiationView; result: unknown }) {
  const { t } = useI18n();
  const formatMoney = useNegotiationMoney();
  const failure = rfqFailureOf(result, [NEGOTIATION_INTENT.counter]);
  const key = useFailureKey(failure);
  const values = failure?.values ?? {};
  const lineFields = view.offer.lines.flatMap((_, i) => [`lines.${i}.targetUnitPrice`, `lines.${i}.targetQuantity`, `lines.${i}.lineId`, `lines.${i}`]);
  const shownElsewhere = new Set(["respondBy", "timeZone", "message", ...lineFields]);
  const rest = failure ? { ...failure, fieldErrors: Object.fromEntries(Object.entries(failure.fieldErrors).filter(([k]) => !shownElsewhere.has(k))) } : null;
  const lineErrors = (i: number) => [...(errorsOf(failure, `lines.${i}`) ?? []), ...(errorsOf(failure, `lines.${i}.lineId`) ?? [])];
  return (
    <Card title={t("negotiation.form.title")} id="counter">
      <p className="field-hint">{t("negotiation.form.help")}</p>
      <FailureAlert failure={rest} />
      <Form key={key} method="post" className="form" noValidate>
        <div className="table-wrap">
          <table className="table negotiation-counter-form">
            <caption className="visually-hidden">{t("negotiation.form.title")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("negotiation.offer.line")}</th>
                <th scope="col">{t("negotiation.counter.target")}</th>
              </tr>
            </thead>
            <tbody>
              {view.offer.lines.map((line, i) => {
                const priceName = `lines.${i}.targetUnitPrice`;
                const quantityName = `lines.${i}.targetQuantity`;
                const priceErrors = errorsOf(failure, priceName);
                const quantityErrors = errorsOf(failure, quantityName);
                const other = lineErrors(i);
                return (
                  <tr key={line.lineId} className={priceErrors || quantityErrors || other.length > 0 ? "field--invalid" : undefined}>
                    <th scope="row" className="cell-name">
                      {`${line.position + 1}. ${line.description}`}
                      <span className="cell-sub">{t("negotiation.form.current", { price: formatMoney(line.unitPrice), quantity: line.quantity })}</span>
                      <span className="cell-sub">{t("negotiation.offer.asked")}: {`${line.askedQuantity} ${line.unit}`}</span>
                      <input type="hidden" name={`lines.${i}.lineId`} value={line.lineId} />
                    </th>
                    <td>
                      <label className="field-label" htmlFor={`counter-${priceName}`}>
                        {t("negotiation.form.targetPrice", { number: line.position + 1 })}
                      </label>
                      <input
                        id={`counter-${priceName}`}
                        name={priceName}
                        inputMode="decimal"
                        className="input input--compact"
                        defaultValue={values[priceName] ?? ""}
                        placeholder={sellerRfqDecimal(line.unitPrice)}
                        aria-invalid={priceErrors ? true : undefined}
                      />
                      {priceErrors ? <span className="field-error">{priceErrors.join(" ")}</span> : null}
                      <label className="field-label" htmlFor={`counter-${quantityName}`}>
                        {t("negotiation.form.targetQuantity", { number: line.position + 1 })}
                      </label>
                      <input
                        id={`counter-${quantityName}`}
                        name={quantityName}
                        inputMode="numeric"
                        className="input input--compact"
                        defaultValue={values[quantityName] ?? ""}
                        placeholder={String(line.quantity)}
                        aria-invalid={quantityErrors ? true : undefined}
                      />
                      {quantityErrors ? <span className="field-error">{quantityErrors.join(" ")}</span> : null}
                      {other.length > 0 ? <span className="field-error">{other.join(" ")}</span> : null}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
        {errorsOf(failure, "lines") ? <p className="field-error">{errorsOf(failure, "lines")?.join(" ")}</p> : null}
        <RespondByField
          serverNow={view.serverNow}
          latest={view.latestRespondBy}
          typed={values.respondBy ?? null}
          typedZone={failure ? (values.timeZone ?? null) : null}
          errors={[...(errorsOf(failure, "respondBy") ?? []), ...(errorsOf(failure, "timeZone") ?? [])]}
        />
        <TextAreaField name="message" label={t("negotiation.form.message")} hint={t("negotiation.form.messageHint")} rows={3} maxLength={2000} defaultValue={values.message ?? ""} errors={errorsOf(failure, "message")} />
        <div className="button-row">
          <SubmitButton name="intent" value={NEGOTIATION_INTENT.counter}>
            {t("negotiation.form.submit")}
          </SubmitButton>
        </div>
      </Form>
    </Card>
  );
}

/**
 * The buyer's negotiation with one seller: the offer as it stands, the counter form (when a
 * counter may be sent now; otherwise why not), and the timeline of rounds and receipts.
 */
export function BuyerNegotiationPage({ view, result }: { view: BuyerNegotiationView; result: unknown }) {
  const { t, tKey } = useI18n();
  const closed = view.rfq.status === "closed" || view.rfq.status === "awarded";
  const blocked = rfqFailureOf(result, [NEGOTIATION_INTENT.counter]) === null && !view.canCounter && view.counterBlockedBy ? tKey(view.counterBlockedBy) : null;
  return (
    <div className="stack">
      <RfqBackLink to={closed ? `/rfqs/${view.rfq.id}/compare` : `/rfqs/${view.rfq.id}`}>{closed ? t("negotiation.buyer.backToCompare") : t("negotiation.buyer.backToRfq")}</RfqBackLink>
      <PageHeader title={t("negotiation.buyer.title", { seller: view.seller.name })} description={`${view.rfq.reference} · ${view.rfq.title}`} actions={<RfqStatusBadge status={view.rfq.status} />} />
      <p className="field-hint">{t("negotiation.buyer.intro")}</p>
      <NegotiationOfferCard offer={view.offer} />
      {view.canCounter || rfqFailureOf(result, [NEGOTIATION_INTENT.counter]) ? (
        <CounterForm view={view} result={result} />
      ) : (
        <Alert tone="info" title={t("negotiation.form.blocked")}>
          {blocked}
        </Alert>
      )}
      <NegotiationTimeline entries={view.timeline} />
    </div>
  );
}
