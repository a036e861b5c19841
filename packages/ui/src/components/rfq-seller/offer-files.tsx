import { Form } from "@remix-run/react";
import type { ReactNode } from "react";
import { useI18n } from "../../i18n/context";
import type { Translator } from "../../i18n/i18n";
import type { FormFailure } from "../../types";
import { SellerBackLink, sellerFailureOf } from "../catalogue-seller-common";
import { SubmitButton, UploadForm } from "../form";
import { Card, PageHeader } from "../layout";
import { SellerRfqFormAlert } from "./common";
import { SELLER_RFQ_INTENT, type SellerOfferFileRules, type SellerRfqFile, type SellerRfqView } from "./types";

export function sellerRfqFileSize(bytes: number, { t, locale }: Pick<Translator, "t" | "locale">): string {
  const number = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
  if (bytes < 1024 * 1024) return t("document.sizeKb", { size: number.format(Math.max(1, Math.ceil(bytes / 1024))) });
  return t("document.sizeMb", { size: number.format(Math.round((bytes / (1024 * 1024)) * 10) / 10) });
}

/** A list of files, each a download link (a resource route: a plain link, so the browser downloads it). */
export function SellerRfqFileList({ files, hrefOf, onRemove }: { files: readonly SellerRfqFile[]; hrefOf: (file: SellerRfqFile) => string; onRemove?: (file: SellerRfqFile) => ReactNode }) {
  const i18n = useI18n();
  return (
    <ul className="plain-list rfq-seller-files">
      {files.map((file) => (
        <li key={file.id} className="rfq-seller-file">
          <a href={hrefOf(file)} download className="document-link">
            {file.name}
          </a>{" "}
          <span className="muted">{sellerRfqFileSize(file.sizeBytes, i18n)}</span>
          {onRemove ? onRemove(file) : null}
        </li>
      ))}
    </ul>
  );
}

/**
 * The files of the seller's offer: download links, and while the offer window is open a remove
 * button per file and the upload form. Both forms post to the offer-attachments route (multipart
 * for the upload), so they work without JavaScript; a refused upload comes back on that route's
 * page with its error beside the file field.
 */
export function SellerOfferFiles({ view, rules, failure, headingLevel = 2 }: { view: Pick<SellerRfqView, "rfq" | "offer" | "moves">; rules: SellerOfferFileRules; failure: FormFailure | null; headingLevel?: 2 | 3 }) {
  const { t } = useI18n();
  const files = view.offer?.attachments ?? [];
  const action = `/rfqs/${view.rfq.id}/offer-attachments`;
  return (
    <Card title={t("rfqOffer.files.title")} id="offer-files" headingLevel={headingLevel}>
      <p className="muted">{t("rfqOffer.files.intro")}</p>
      {files.length === 0 ? (
        <p className="empty-state">{t("rfqOffer.files.none")}</p>
      ) : (
        <SellerRfqFileList
          files={files}
          hrefOf={(file) => `/rfqs/${view.rfq.id}/offer-attachments/${file.id}`}
          onRemove={
            view.moves.attach
              ? (file) => (
                  <Form method="post" action={action} className="inline-form rfq-seller-file-remove" preventScrollReset>
                    <input type="hidden" name="attachmentId" value={file.id} />
                    <SubmitButton variant="ghost" name="intent" value={SELLER_RFQ_INTENT.removeFile} className="button--compact button--danger-text" aria-label={t("rfqOffer.files.removeLabel", { name: file.name })}>
                      {t("rfqOffer.files.remove")}
                    </SubmitButton>
                  </Form>
                )
              : undefined
          }
        />
      )}
      {view.moves.attach && files.length < rules.maxPerOffer ? (
        <UploadForm
          failure={failure}
          action={action}
          label={t("rfqOffer.files.upload")}
          accept={rules.accept}
          required
          intent={SELLER_RFQ_INTENT.upload}
          submitLabel={t("rfqOffer.files.submit")}
        >
          <SellerRfqFormAlert failure={failure} fields={["file"]} />
        </UploadForm>
      ) : null}
    </Card>
  );
}

/** The offer-attachments route's page: the files card alone, where a refused upload or removal is shown. */
export function SellerOfferFilesPage({ view, rules, result }: { view: SellerRfqView; rules: SellerOfferFileRules; result: unknown }) {
  const { t } = useI18n();
  const failure = sellerFailureOf(result, [SELLER_RFQ_INTENT.upload, SELLER_RFQ_INTENT.removeFile]);
  return (
    <div className="stack">
      <SellerBackLink to={`/rfqs/${view.rfq.id}`}>{t("rfqOffer.files.back")}</SellerBackLink>
      <PageHeader title={t("rfqOffer.files.pageTitle", { reference: view.rfq.reference })} description={view.rfq.title} />
      <SellerOfferFiles view={view} rules={rules} failure={failure} />
    </div>
  );
}
