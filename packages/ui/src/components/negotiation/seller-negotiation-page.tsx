import { Form } from "@remix-run/react";
import { useI18n } from "../../i18n/context";
import type { FormFailure } from "../../types";
import { Alert } from "../alert";
import { errorsOf, SubmitButton, TextAreaField, useFailureKey } from "../form";
import { Card, PageHeader } from "../layout";
import { FailureAlert, RfqBackLink, RfqStatusBadge } from "../rfq-buyer/common";
import { sellerRfqDecimal } from "../rfq-seller/common";
import { isFormFailure } from "../../types";
import { CounterLinesTable, CounterStatusBadge, NegotiationOfferCard, NegotiationTimeline, useNegotiationMoney } from "./timeline";
import { NEGOTIATION_INTENT, type NegotiationCounter, type NegotiationOffer, type SellerNegotiationView } from "./types";

/** The failed answer of this counter (the action sends back its intent and counterId). */
function failureFor(result: unknown, counterId: string, intent: string): FormFailure | null {
  return isFormFailure(result) && result.values.counterId === counterId && result.values.intent === intent ? result : null;
}

function ReviseForm({ counter, offer, result }: { counter: NegotiationCounter; offer: NegotiationOffer; result: unknown }) {
  const { t } = useI18n();
  const failure = failureFor(result, counter.id, NEGOTIATION_INTENT.revise);
  const key = useFailureKey(failure);
  const values = failure?.values ?? {};
  const lineFields = offer.lines.flatMap((_, i) => [`lines.${i}.unitPrice`, `lines.${i}.quantity`]);
  const rest = failure ? { ...failure, fieldErrors: Object.fromEntries(Object.entries(failure.fieldErrors).filter(([k]) => !lineFields.includes(k))) } : null;
  return (
    <details open={failure !== null}>
      <summary>{t("negotiation.seller.revise")}</summary>
      <p className="field-hint">{t("negotiation.seller.reviseHelp")}</p>
      <FailureAlert failure={rest} />
      <Form key={key} method="post" className="form" noValidate>
        <input type="hidden" name="counterId" value={counter.id} />
        <div className="table-wrap">
          <table className="table">
            <caption className="visually-hidden">{t("negotiation.seller.revise")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("negotiation.offer.line")}</th>
                <th scope="col">{t("negotiation.offer.unitPrice")}</th>
                <th scope="col">{t("negotiation.offer.quantity")}</th>
              </tr>
            </thead>
            <tbody>
              {offer.lines.map((line, i) => {
                const price = `lines.${i}.unitPrice`;
                const quantity = `lines.${i}.quantity`;
                const priceErrors = errorsOf(failure, price);
                const quantityErrors = errorsOf(failure, quantity);
                return (
                  <tr key={line.lineId}>
                    <th scope="row" className="cell-name">
                      {`${line.position + 1}. ${line.description}`}
                      <span className="cell-sub">{`${line.askedQuantity} ${line.unit}`}</span>
                      <input type="hidden" name={`lines.${i}.lineId`} value={line.lineId} />
                    </th>
                    <td className={priceErrors ? "field--invalid" : undefined}>
                      <label className="visually-hidden" htmlFor={`revise-${counter.id}-${price}`}>
                        {t("negotiation.seller.unitPrice", { number: line.position + 1 })}
                      </label>
                      <input id={`revise-${counter.id}-${price}`} name={price} inputMode="decimal" className="input input--compact" defaultValue={values[price] ?? sellerRfqDecimal(line.unitPrice)} aria-invalid={priceErrors ? true : undefined} />
                      {priceErrors ? <span className="field-error">{priceErrors.join(" ")}</span> : null}
                    </td>
                    <td className={quantityErrors ? "field--invalid" : undefined}>
                      <label className="visually-hidden" htmlFor={`revise-${counter.id}-${quantity}`}>
                        {t("negotiation.seller.quantity", { number: line.position + 1 })}
                      </label>
                      <input id={`revise-${counter.id}-${quantity}`} name={quantity} inputMode="numeric" className="input input--compact" defaultValue={values[quantity] ?? String(line.quantity)} aria-invalid={quantityErrors ? true : undefined} />
                      {quantityErrors ? <span className="field-error">{quantityErrors.join(" ")}</span> : null}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
        <div className="button-row">
          <SubmitButton name="intent" value={NEGOTIATION_INTENT.revise}>
            {t("negotiation.seller.reviseSubmit")}
          </SubmitButton>
        </div>
      </Form>
    </details>
  );
}

function PendingCounter({ counter, offer, canAnswer, result }: { counter: NegotiationCounter; offer: NegotiationOffer; canAnswer: boolean; result: unknown }) {
  const { t, formatDateTime } = useI18n();
  const formatMoney = useNegotiationMoney();
  const acceptFailure = failureFor(result, counter.id, NEGOTIATION_INTENT.accept);
  const declineFailure = failureFor(result, counter.id, NEGOTIATION_INTENT.decline);
  const declineKey = useFailureKey(declineFailure);
  // The offer's total once the targets are taken: the lines the counter leaves out stay as they are.
  const targeted = new Set(counter.lines.map((l) => l.lineId));
  const untouched = offer.lines.filter((l) => !targeted.has(l.lineId)).reduce((sum, l) => sum + BigInt(l.lineTotal.amountMinor), 0n);
  const acceptedTotal = { amountMinor: (untouched + BigInt(counter.targetTotal.amountMinor)).toString(), currency: counter.targetTotal.currency };
  return (
    <Card title={t("negotiation.seller.pending", { round: counter.round })} id={`counter-${counter.id}`}>
      <p>
        <CounterStatusBadge status={counter.status} /> {t("negotiation.seller.answerBy", { date: formatDateTime(counter.respondBy) })}
      </p>
      <CounterLinesTable counter={counter} />
      {counter.message ? <blockquote className="timeline-message prewrap">{counter.message}</blockquote> : null}
      {canAnswer ? (
        <div className="stack">
          <FailureAlert failure={acceptFailure} />
          <Form method="post" className="form">
            <input type="hidden" name="counterId" value={counter.id} />
            <p className="field-hint">{t("negotiation.seller.acceptHelp", { total: formatMoney(acceptedTotal) })}</p>
            <div className="button-row">
              <SubmitButton name="intent" value={NEGOTIATION_INTENT.accept}>
                {t("negotiation.seller.accept")}
              </SubmitButton>
            </div>
          </Form>
          <Form key={declineKey} method="post" className="form" noValidate>
            <input type="hidden" name="counterId" value={counter.id} />
            {declineFailure?.formError ? <Alert tone="error">{declineFailure.formError}</Alert> : null}
            <TextAreaField name="reason" label={t("negotiation.seller.declineReason")} rows={3} maxLength={2000} defaultValue={declineFailure?.values.reason ?? ""} errors={errorsOf(declineFailure, "reason")} />
            <div className="button-row">
              <SubmitButton name="intent" value={NEGOTIATION_INTENT.decline} variant="secondary">
                {t("negotiation.seller.decline")}
              </SubmitButton>
            </div>
          </Form>
          <ReviseForm counter={counter} offer={offer} result={result} />
        </div>
      ) : null}
    </Card>
  );
}

/**
 * The seller's negotiation of one RFQ: its offer as it stands, each counter-proposal waiting for
 * its answer (accept, decline with a reason, or revise: three forms), and the timeline. Only its
 * own offer and counters are ever on this page.
 */
export function SellerNegotiationPage({ view, result }: { view: SellerNegotiationView; result: unknown }) {
  const { t, tKey } = useI18n();
  const pending = view.counters.filter((c) => c.status === "pending");
  const orphan = isFormFailure(result) && !pending.some((c) => c.id === result.values.counterId) ? result : null;
  return (
    <div className="stack">
      <RfqBackLink to={`/rfqs/${view.rfq.id}`}>{t("negotiation.seller.backToRfq")}</RfqBackLink>
      <PageHeader title={t("negotiation.seller.title", { reference: view.rfq.reference })} description={view.rfq.title} actions={<RfqStatusBadge status={view.rfq.status} />} />
      <p className="field-hint">{t("negotiation.seller.intro", { buyer: view.rfq.buyerName })}</p>
      {/* An answer refused for a counter that is no longer waiting (it expired meanwhile): its message here. */}
      <FailureAlert failure={orphan} />
      {view.offer === null ? (
        <Alert tone="info">{t("negotiation.seller.noOffer")}</Alert>
      ) : (
        <>
          {view.answerBlockedBy && pending.length > 0 ? <Alert tone="warning">{tKey(view.answerBlockedBy)}</Alert> : null}
          {pending.map((c) => (
            <PendingCounter key={c.id} counter={c} offer={view.offer as NegotiationOffer} canAnswer={view.canAnswer} result={result} />
          ))}
          {view.counters.length === 0 ? <Alert tone="info">{t("negotiation.seller.noCounters")}</Alert> : null}
          <NegotiationOfferCard offer={view.offer} />
          <NegotiationTimeline entries={view.timeline} />
        </>
      )}
    </div>
  );
}
