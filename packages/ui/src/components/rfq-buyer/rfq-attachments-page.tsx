import { Form } from "@remix-run/react";
import { useI18n } from "../../i18n/context";
import { Alert } from "../alert";
import { SubmitButton, UploadForm } from "../form";
import { Card, PageHeader } from "../layout";
import { DataTable } from "../table";
import { BUYER_RFQ_INTENT, fileSize, RfqBackLink, rfqFailureOf, RfqStatusBadge } from "./common";
import type { BuyerRfqDetailView } from "./views";

/** What the page tells the buyer about files, and the file picker's hint: the services' limits. */
export interface RfqAttachmentRules {
  maxBytes: number;
  maxPerRfq: number;
  accept: string;
}

/**
 * The files of an RFQ (drawings, specifications) sellers read with the request: added and removed
 * while the RFQ may still be edited (a draft, or open without an offer). Works without JavaScript.
 */
export function BuyerRfqAttachmentsPage({ rfq, rules, result }: { rfq: BuyerRfqDetailView; rules: RfqAttachmentRules; result: unknown }) {
  const translator = useI18n();
  const { t, formatDateTime } = translator;
  const uploadFailure = rfqFailureOf(result, [BUYER_RFQ_INTENT.upload]);
  const deleteFailure = rfqFailureOf(result, [BUYER_RFQ_INTENT.deleteAttachment]);
  const full = rfq.attachments.length >= rules.maxPerRfq;
  const message = deleteFailure ? (deleteFailure.formError ?? Object.values(deleteFailure.fieldErrors).flat().join(" ")) : uploadFailure?.formError;
  return (
    <div className="stack">
      <RfqBackLink to={`/rfqs/${rfq.id}`}>{t("rfqBuyer.form.backToRfq")}</RfqBackLink>
      <PageHeader title={t("rfqBuyer.attachments.pageTitle", { reference: rfq.reference })} description={rfq.title} actions={<RfqStatusBadge status={rfq.status} />} />
      <Card title={t("rfqBuyer.attachments.title")}>
        <p className="muted">{t("rfqBuyer.attachments.rules", { size: fileSize(rules.maxBytes, translator), count: rules.maxPerRfq })}</p>
        {message ? <Alert tone="error">{message}</Alert> : null}
        {!rfq.can.manageAttachments ? <Alert tone="info">{t("rfqBuyer.attachments.locked")}</Alert> : null}
        {rfq.attachments.length === 0 ? (
          <p>{t("rfqBuyer.attachments.none")}</p>
        ) : (
          <DataTable caption={t("rfqBuyer.attachments.title")} columns={[t("rfqBuyer.attachments.name"), t("rfqBuyer.attachments.size"), t("rfqBuyer.attachments.added")]} actions={rfq.can.manageAttachments}>
            {rfq.attachments.map((a) => (
              <tr key={a.id}>
                <th scope="row" className="cell-name">
                  <a href={`/rfqs/${rfq.id}/attachments/${a.id}`} className="document-link" download>
                    {a.originalName}
                  </a>
                </th>
                <td className="cell-nowrap">{fileSize(a.sizeBytes, translator)}</td>
                <td className="cell-nowrap">{formatDateTime(a.createdAt)}</td>
                {rfq.can.manageAttachments ? (
                  <td className="cell-actions">
                    <Form method="post" preventScrollReset>
                      <input type="hidden" name="attachmentId" value={a.id} />
                      <SubmitButton
                        variant="ghost"
                        name="intent"
                        value={BUYER_RFQ_INTENT.deleteAttachment}
                        className="button--compact button--danger-text"
                        aria-label={t("rfqBuyer.attachments.removeLabel", { name: a.originalName })}
                      >
                        {t("rfqBuyer.attachments.remove")}
                      </SubmitButton>
                    </Form>
                  </td>
                ) : null}
              </tr>
            ))}
          </DataTable>
        )}
        {!rfq.can.manageAttachments ? null : full ? (
          <p className="muted">{t("rfqBuyer.attachments.full", { count: rules.maxPerRfq })}</p>
        ) : (
          <UploadForm failure={uploadFailure} label={t("rfqBuyer.attachments.file")} accept={rules.accept} intent={BUYER_RFQ_INTENT.upload} submitLabel={t("rfqBuyer.attachments.upload")} />
        )}
      </Card>
    </div>
  );
}
