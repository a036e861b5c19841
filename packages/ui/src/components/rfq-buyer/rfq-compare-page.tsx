import { Form, Link } from "@remix-run/react";
import type { ReactNode } from "react";
import type { BudgetVerdict } from "@souk/domain";
import { useI18n } from "../../i18n/context";
import { Alert, Badge } from "../alert";
import { buttonClass, errorsOf, SubmitButton, TextAreaField, TextField, useFailureKey } from "../form";
import { Card, PageHeader } from "../layout";
import { BUYER_RFQ_INTENT, FailureAlert, RfqBackLink, rfqFailureOf, RfqStatusBadge, scorePoints, useRfqMoney } from "./common";
import type { BuyerRfqComparisonView } from "./views";
import { AwardBudgetPanel, type BudgetPageView } from "../budgets/common";

const WEIGHTS = ["price", "leadTime", "trackRecord"] as const;

function WeightsCard({ comparison, typed, errors }: { comparison: BuyerRfqComparisonView; typed: Readonly<Record<string, string>>; errors: Readonly<Record<string, string[]>> }) {
  const { t } = useI18n();
  const query = new URLSearchParams(WEIGHTS.map((w) => [w, String(comparison.weights[w])])).toString();
  const formErrors = errors.weights;
  return (
    <Card title={t("rfqBuyer.compare.weights")}>
      <p className="field-hint">{t("rfqBuyer.compare.weightsHelp")}</p>
      {formErrors ? <Alert tone="warning">{formErrors.join(" ")}</Alert> : null}
      {Object.keys(errors).some((k) => k !== "weights") ? <Alert tone="warning">{t("rfqBuyer.compare.weightsIgnored")}</Alert> : null}
      <Form method="get" className="filter-form rfq-weights" preventScrollReset>
        {WEIGHTS.map((w) => (
          <TextField key={w} name={w} label={t(`rfqBuyer.compare.weight.${w}`)} defaultValue={typed[w] ?? String(comparison.weights[w])} maxLength={6} errors={errors[w]} />
        ))}
        <div className="filter-actions">
          <button type="submit" className={buttonClass("secondary")}>
            {t("rfqBuyer.compare.applyWeights")}
          </button>
          <a href={`/rfqs/${comparison.rfq.id}/compare.csv?${query}`} className={buttonClass("ghost")} download>
            {t("rfqBuyer.compare.export")}
          </a>
        </div>
      </Form>
    </Card>
  );
}

function Matrix({ comparison }: { comparison: BuyerRfqComparisonView }) {
  const { t, tPlural, locale, formatDate } = useI18n();
  const formatMoney = useRfqMoney();
  const { offers, lines } = comparison;
  const percent = (share: number) => `${scorePoints(share, locale)}`;
  const footRow = (label: string, cell: (o: (typeof offers)[number]) => ReactNode, className?: string) => (
    <tr className={className}>
      <th scope="row">{label}</th>
      {offers.map((o) => (
        <td key={o.id}>{cell(o)}</td>
      ))}
    </tr>
  );
  return (
    <Card title={t("rfqBuyer.compare.matrix")}>
      <p className="field-hint">{t("rfqBuyer.compare.matrixHelp")}</p>
      <div className="table-wrap">
        <table className="table rfq-matrix">
          <caption className="visually-hidden">{t("rfqBuyer.compare.matrix")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("rfqBuyer.compare.line")}</th>
              {offers.map((o) => (
                <th scope="col" key={o.id}>
                  {o.seller.name}
                  <span className="cell-sub">
                    <Badge tone={o.score.rank === 1 ? "success" : "neutral"}>{t("rfqBuyer.compare.rank", { rank: o.score.rank })}</Badge>
                  </span>
                  <span className="cell-sub">
                    <Link to={`/rfqs/${comparison.rfq.id}/offers/${o.id}`}>{t("negotiation.link.negotiate")}</Link>
                  </span>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {lines.map((line) => (
              <tr key={line.id}>
                <th scope="row" className="cell-name">
                  {`${line.position + 1}. ${line.description}`}
                  <span className="cell-sub">{`${line.quantity} ${line.unit}`}</span>
                  {line.targetPrice ? <span className="cell-sub">{t("rfqBuyer.compare.target", { price: formatMoney(line.targetPrice) })}</span> : null}
                </th>
                {line.cells.map((cell, index) =>
                  cell ? (
                    <td key={offers[index]?.id ?? index} className={cell.best ? "rfq-best" : undefined}>
                      <strong>{formatMoney(cell.unitPrice)}</strong>
                      {cell.best ? (
                        <>
                          {" "}
                          <Badge tone="success">{t("rfqBuyer.compare.best")}</Badge>
                        </>
                      ) : null}
                      <span className="cell-sub">{t("rfqBuyer.compare.quantity", { quantity: cell.quantity, unit: line.unit })}</span>
                      {cell.short ? <span className="cell-sub rfq-short">{t("rfqBuyer.compare.short", { asked: line.quantity })}</span> : null}
                      <span className="cell-sub">{t("rfqBuyer.compare.lineTotal", { total: formatMoney(cell.lineTotal) })}</span>
                    </td>
                  ) : (
                    <td key={offers[index]?.id ?? index} className="muted">
                      {t("rfqBuyer.compare.noBid")}
                    </td>
                  ),
                )}
              </tr>
            ))}
          </tbody>
          <tfoot>
            {footRow(t("rfqBuyer.compare.total"), (o) => <strong>{formatMoney(o.total)}</strong>, "rfq-total-row")}
            {footRow(t("rfqBuyer.compare.linesOffered"), (o) => `${o.linesOffered} / ${lines.length}`)}
            {footRow(t("rfqBuyer.compare.leadTime"), (o) => tPlural("rfq.days", o.leadTimeDays))}
            {footRow(t("rfqBuyer.compare.validUntil"), (o) => formatDate(o.validUntil))}
            {footRow(t("rfqBuyer.compare.trackRecord"), (o) =>
              o.trackRecord.completedOrders === 0 ? (
                <span className="muted">{t("rfqBuyer.compare.noHistory")}</span>
              ) : (
                <>
                  {tPlural("rfqBuyer.compare.completed", o.trackRecord.completedOrders)}
                  <span className="cell-sub">{t("rfqBuyer.compare.onTime", { rate: scorePoints(o.trackRecord.onTimeRate, locale) })}</span>
                  <span className="cell-sub">{tPlural("rfqBuyer.compare.disputes", o.trackRecord.disputes)}</span>
                </>
              ),
            )}
            {footRow(t("rfqBuyer.compare.scorePrice"), (o) => percent(o.score.price))}
            {footRow(t("rfqBuyer.compare.scoreLeadTime"), (o) => percent(o.score.leadTime))}
            {footRow(t("rfqBuyer.compare.scoreTrackRecord"), (o) => percent(o.score.trackRecord))}
            {footRow(t("rfqBuyer.compare.score"), (o) => <strong>{percent(o.score.total)}</strong>, "rfq-total-row")}
          </tfoot>
        </table>
      </div>
      {offers.some((o) => o.notes || o.attachments.length > 0) ? (
        <details>
          <summary>{t("rfqBuyer.compare.notes")}</summary>
          <dl className="details">
            {offers
              .filter((o) => o.notes || o.attachments.length > 0)
              .map((o) => (
                <div key={o.id}>
                  <dt>{o.seller.name}</dt>
                  {o.notes ? <dd className="prewrap">{o.notes}</dd> : null}
                  {o.attachments.map((file) => (
                    <dd key={file.id}>
                      <a href={`/rfqs/${comparison.rfq.id}/offer-attachments/${file.id}`} download>
                        {file.name}
                      </a>
                    </dd>
                  ))}
                </div>
              ))}
          </dl>
        </details>
      ) : null}
    </Card>
  );
}

function AwardForm({ comparison, result }: { comparison: BuyerRfqComparisonView; result: unknown }) {
  const { t } = useI18n();
  const formatMoney = useRfqMoney();
  const failure = rfqFailureOf(result, [BUYER_RFQ_INTENT.award]);
  const key = useFailureKey(failure);
  const values = failure?.values ?? {};
  const mode = values.mode === "lines" ? "lines" : "whole";
  const chosen = new Set((values.offerId ?? "").split(",").filter(Boolean));
  return (
    <Card title={t("rfqBuyer.awardForm.title")} id="award">
      <p className="field-hint">{t("rfqBuyer.awardForm.help")}</p>
      <FailureAlert failure={failure} />
      <Form key={key} method="post" className="form" noValidate>
        <fieldset className="form-section">
          <legend className="form-section-title">{t("rfqBuyer.awardForm.mode")}</legend>
          <label className="checkbox rfq-choice">
            <input type="radio" name="mode" value="whole" defaultChecked={mode === "whole"} />
            <span>
              {t("rfqBuyer.awardForm.whole")}
              <span className="cell-sub">{t("rfqBuyer.awardForm.wholeHelp")}</span>
            </span>
          </label>
          <div className="rfq-award-offers">
            {comparison.offers.map((o) => (
              <label key={o.id} className="checkbox">
                <input type="checkbox" name="offerId" value={o.id} defaultChecked={chosen.has(o.id)} />
                <span>
                  {o.seller.name} — {formatMoney(o.total)}
                </span>
              </label>
            ))}
          </div>
          <label className="checkbox rfq-choice">
            <input type="radio" name="mode" value="lines" defaultChecked={mode === "lines"} />
            <span>
              {t("rfqBuyer.awardForm.lines")}
              <span className="cell-sub">{t("rfqBuyer.awardForm.linesHelp")}</span>
            </span>
          </label>
          <div className="table-wrap">
            <table className="table rfq-matrix rfq-award-table">
              <caption className="visually-hidden">{t("rfqBuyer.awardForm.lines")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("rfqBuyer.compare.line")}</th>
                  {comparison.offers.map((o) => (
                    <th scope="col" key={o.id}>
                      {o.seller.name}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {comparison.lines.map((line) => (
                  <tr key={line.id}>
                    <th scope="row">
                      {`${line.position + 1}. ${line.description}`}
                      <span className="cell-sub">{t("rfqBuyer.awardForm.asked", { quantity: line.quantity, unit: line.unit })}</span>
                    </th>
                    {line.cells.map((cell, index) => {
                      const offer = comparison.offers[index];
                      if (!cell || !offer) return <td key={offer?.id ?? index} className="muted">—</td>;
                      const name = `qty.${line.id}.${offer.id}`;
                      const errors = errorsOf(failure, name);
                      return (
                        <td key={offer.id} className={errors ? "field--invalid" : undefined}>
                          <label className="visually-hidden" htmlFor={`award-${name}`}>
                            {t("rfqBuyer.awardForm.quantityLabel", { seller: offer.seller.name, number: line.position + 1 })}
                          </label>
                          <input
                            id={`award-${name}`}
                            name={name}
                            inputMode="numeric"
                            className="input input--compact rfq-line-short"
                            defaultValue={values[name] ?? ""}
                            placeholder={String(cell.quantity)}
                            aria-invalid={errors ? true : undefined}
                          />
                          <span className="cell-sub">{t("rfqBuyer.awardForm.at", { price: formatMoney(cell.unitPrice), offered: cell.quantity })}</span>
                          {errors ? <span className="field-error">{errors.join(" ")}</span> : null}
                        </td>
                      );
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </fieldset>
        <TextAreaField name="note" label={t("rfqBuyer.awardForm.note")} hint={t("rfqBuyer.awardForm.noteHint")} rows={3} maxLength={2000} defaultValue={values.note ?? ""} errors={errorsOf(failure, "note")} />
        <div className="button-row">
          <SubmitButton name="intent" value={BUYER_RFQ_INTENT.award}>
            {t("rfqBuyer.awardForm.submit")}
          </SubmitButton>
        </div>
      </Form>
    </Card>
  );
}

/**
 * The comparison of a closed RFQ: the weights (a GET form: each weighting has its own URL), the
 * matrix (sellers as columns, lines as rows, best price per line marked, totals, lead times,
 * validity, track record, the score and each of its components), the CSV export, and the award
 * form (whole offers, or quantities per line split across sellers, with a note).
 */
export function BuyerRfqComparePage({ comparison, weightErrors, typedWeights, budgets = [], offerBudgetVerdicts = {}, result }: {
  comparison: BuyerRfqComparisonView;
  /** The budgets that apply to the actor's awards in the RFQ's currency (getBudgetStatus), shown before the award form. */
  budgets?: readonly BudgetPageView[];
  /** What awarding each whole offer would do to them, by offer id (getBudgetStatus with its total). */
  offerBudgetVerdicts?: Readonly<Record<string, BudgetVerdict | null>>;
  weightErrors: Readonly<Record<string, string[]>>;
  typedWeights: Readonly<Record<string, string>>;
  result: unknown;
}) {
  const { t } = useI18n();
  const award = comparison.award;
  return (
    <div className="stack">
      <RfqBackLink to={`/rfqs/${comparison.rfq.id}`}>{t("rfqBuyer.form.backToRfq")}</RfqBackLink>
      <PageHeader title={t("rfqBuyer.compare.title", { reference: comparison.rfq.reference })} description={comparison.rfq.title} actions={<RfqStatusBadge status={comparison.rfq.status} />} />
      {comparison.offers.length === 0 ? (
        <Alert tone="info">{t("rfqBuyer.compare.noOffers")}</Alert>
      ) : (
        <>
          <WeightsCard comparison={comparison} typed={typedWeights} errors={weightErrors} />
          <Matrix comparison={comparison} />
        </>
      )}
      {award && award.status !== "rejected" ? (
        <Alert tone={award.status === "approved" ? "success" : "info"} title={award.status === "approved" ? t("rfqBuyer.compare.awarded") : t("rfqBuyer.compare.awaitingApproval")}>
          <Link to={`/rfqs/${comparison.rfq.id}#award`}>{t("rfqBuyer.compare.seeAward")}</Link>
        </Alert>
      ) : null}
      {award?.status === "rejected" ? <Alert tone="warning">{t("rfqBuyer.compare.rejected")}</Alert> : null}
      {comparison.canAward && comparison.offers.length > 0 ? <AwardBudgetPanel budgets={budgets} verdicts={offerBudgetVerdicts} offers={comparison.offers} /> : null}
      {comparison.canAward && comparison.offers.length > 0 ? <AwardForm comparison={comparison} result={result} /> : null}
    </div>
  );
}
