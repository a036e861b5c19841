import { Form } from "@remix-run/react";
import { useI18n } from "../../i18n/context";
import { isFormFailure, type FormFailure } from "../../types";
import { Alert } from "../alert";
import { errorsOf, SubmitButton, useFailureKey } from "../form";
import { Card, PageHeader } from "../layout";
import { DataTable } from "../table";
import { RfqBackLink, RfqSealingBadge, RfqStatusBadge, useDeadlineText, useRfqMoney } from "./common";
import { DeadlineField } from "./rfq-form";
import type { BuyerRfqDetailView } from "./views";

/**
 * The best-and-final round's form (openFinalRound): a shortlist among the sellers with a final
 * offer (checkboxes `sellerId`), and the round's deadline as the RFQ form takes it (a wall-clock
 * time and its time zone). The sellers off the shortlist are told nothing; the shortlist may revise
 * its offers until the new deadline, under the first round's sealing, and only their offers are
 * then compared and awarded. Works without JavaScript.
 */
export function BuyerFinalRoundPage({ rfq, result }: { rfq: BuyerRfqDetailView; result: unknown }) {
  const { t, tPlural, formatDate } = useI18n();
  const formatMoney = useRfqMoney();
  const deadlineText = useDeadlineText();
  const failure: FormFailure | null = isFormFailure(result) ? result : null;
  const key = useFailureKey(failure);
  const chosen = new Set((failure?.values.sellerId ?? "").split(",").filter(Boolean));
  const eligible = (rfq.offers ?? []).filter((o) => o.status === "locked");
  const sellerErrors = errorsOf(failure, "sellerIds") ?? errorsOf(failure, "sellerId");
  const deadlineErrors = [...(errorsOf(failure, "deadline") ?? []), ...(errorsOf(failure, "timeZone") ?? [])];
  return (
    <div className="stack">
      <RfqBackLink to={`/rfqs/${rfq.id}`}>{t("rfqBuyer.finalRound.back")}</RfqBackLink>
      <PageHeader
        title={t("rfqBuyer.finalRound.title")}
        description={
          <>
            <span className="mono">{rfq.reference}</span> · {rfq.title}
          </>
        }
        actions={
          <>
            <RfqStatusBadge status={rfq.status} /> <RfqSealingBadge sealing={rfq.sealing} />
          </>
        }
      />
      {rfq.finalRound ? (
        <Alert tone="info">{t("rfqBuyer.finalRound.alreadyOpened", { deadline: deadlineText(rfq.deadline) })}</Alert>
      ) : !rfq.can.finalRound ? (
        <Alert tone="warning">{t("rfqBuyer.finalRound.notAvailable")}</Alert>
      ) : (
        <Card title={t("rfqBuyer.finalRound.formTitle")}>
          <p>{t("rfqBuyer.finalRound.explain")}</p>
          <p className="field-hint">{rfq.sealing === "sealed" ? t("rfqBuyer.finalRound.sealedHelp") : t("rfqBuyer.finalRound.openHelp")}</p>
          {failure?.formError ? <Alert tone="error">{failure.formError}</Alert> : null}
          <Form key={key} method="post" className="form">
            <fieldset className={`form-section${sellerErrors ? " field--invalid" : ""}`} aria-describedby={sellerErrors ? "final-round-sellers-error" : undefined}>
              <legend className="field-label">{t("rfqBuyer.finalRound.shortlist")}</legend>
              <p className="field-hint">{t("rfqBuyer.finalRound.shortlistHint")}</p>
              {sellerErrors ? (
                <p className="field-error" id="final-round-sellers-error">
                  {sellerErrors.join(" ")}
                </p>
              ) : null}
              <DataTable caption={t("rfqBuyer.finalRound.shortlist")} columns={["", t("rfqBuyer.offers.seller"), t("rfqBuyer.offers.total"), t("rfqBuyer.offers.leadTime"), t("rfqBuyer.offers.validUntil")]}>
                {eligible.map((o) => (
                  <tr key={o.id}>
                    <td>
                      <input type="checkbox" name="sellerId" value={o.seller.id} id={`final-${o.seller.id}`} defaultChecked={chosen.has(o.seller.id)} />
                    </td>
                    <th scope="row" className="cell-name">
                      <label htmlFor={`final-${o.seller.id}`}>{o.seller.name}</label>
                    </th>
                    <td className="cell-nowrap">{formatMoney(o.total)}</td>
                    <td className="cell-nowrap">{tPlural("rfq.days", o.leadTimeDays)}</td>
                    <td className="cell-nowrap">{formatDate(o.validUntil)}</td>
                  </tr>
                ))}
              </DataTable>
            </fieldset>
            <DeadlineField initial={failure?.values.deadline ?? ""} deadlineIso={null} typedZone={failure ? (failure.values.timeZone ?? null) : null} errors={deadlineErrors.length > 0 ? deadlineErrors : undefined} autoFocus={deadlineErrors.length > 0} />
            <div className="button-row">
              <SubmitButton>{t("rfqBuyer.finalRound.submit")}</SubmitButton>
            </div>
          </Form>
        </Card>
      )}
    </div>
  );
}
