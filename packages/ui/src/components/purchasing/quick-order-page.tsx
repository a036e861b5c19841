import { Form, Link } from "@remix-run/react";
import { useI18n } from "../../i18n/context";
import { isFormFailure } from "../../types";
import { Alert, Badge } from "../alert";
import { SellerFormError } from "../catalogue-seller-common";
import { buttonClass, errorsOf, SubmitButton, TextAreaField, useFailureKey, valueOf } from "../form";
import { Card, PageHeader } from "../layout";
import { DataTable } from "../table";

/** Quick order: `SKU, quantity` lines typed, pasted or uploaded (quickOrder), and the report of each line. */

export interface QuickOrderMessageView {
  key: string;
  params?: Record<string, string | number>;
}

export interface QuickOrderResultView {
  lines: readonly {
    source: "text" | "file";
    line: number;
    raw: string;
    sku: string;
    quantity: number | null;
    listing: { id: string; sku: string; title: string; sellerName: string; unit: string } | null;
    status: "added" | "refused";
    errors: readonly QuickOrderMessageView[];
    warnings: readonly QuickOrderMessageView[];
  }[];
  addedLines: number;
  refusedLines: number;
  refusedText: string;
}

export interface QuickOrderRules {
  maxLines: number;
  maxFileBytes: number;
}

function isReport(value: unknown): value is { report: QuickOrderResultView } {
  return typeof value === "object" && value !== null && "report" in value;
}

export function QuickOrderPage({ rules, result }: { rules: QuickOrderRules; result: unknown }) {
  const { t, tKey, tPlural } = useI18n();
  const failure = isFormFailure(result) ? result : null;
  const report = isReport(result) ? result.report : null;
  const formKey = useFailureKey(failure) + (report ? 1000 : 0);
  return (
    <div className="stack">
      <PageHeader title={t("quickOrder.title")} description={t("quickOrder.intro")} />
      {report ? (
        <Card title={t("quickOrder.report.title")}>
          {report.addedLines > 0 ? (
            <Alert tone="success" title={tPlural("quickOrder.report.added", report.addedLines)}>
              <Link to="/cart">{t("quickOrder.report.toCart")}</Link>
            </Alert>
          ) : null}
          {report.refusedLines > 0 ? <Alert tone="warning">{tPlural("quickOrder.report.refused", report.refusedLines)}</Alert> : null}
          <DataTable caption={t("quickOrder.report.title")} columns={[t("quickOrder.report.line"), t("quickOrder.report.entry"), t("quickOrder.report.listing"), t("quickOrder.report.outcome")]}>
            {report.lines.map((l) => (
              <tr key={`${l.source}-${l.line}`} className={l.status === "refused" ? "row--invalid" : undefined}>
                <th scope="row" className="cell-nowrap">
                  {t(l.source === "file" ? "quickOrder.report.fileLine" : "quickOrder.report.textLine", { line: l.line })}
                </th>
                <td className="mono">{l.raw}</td>
                <td>
                  {l.listing ? (
                    <>
                      <Link to={`/catalogue/${l.listing.id}`}>{l.listing.title}</Link>
                      <span className="cell-sub">{t("quickOrder.report.soldBy", { seller: l.listing.sellerName })}</span>
                    </>
                  ) : (
                    <span className="muted">—</span>
                  )}
                </td>
                <td>
                  {l.status === "added" ? <Badge tone="success">{t("quickOrder.report.addedOne", { quantity: l.quantity ?? 0 })}</Badge> : <Badge tone="danger">{t("quickOrder.report.refusedOne")}</Badge>}
                  <ul className="plain-list">
                    {[...l.errors, ...l.warnings].map((m, index) => (
                      <li key={index}>{tKey(m.key, m.params)}</li>
                    ))}
                  </ul>
                </td>
              </tr>
            ))}
          </DataTable>
        </Card>
      ) : null}
      <Card title={t("quickOrder.form.title")}>
        <SellerFormError failure={failure} />
        <Form key={formKey} method="post" encType="multipart/form-data" className="form" noValidate>
          <TextAreaField
            name="text"
            label={t("quickOrder.form.text")}
            hint={t("quickOrder.form.textHint", { max: rules.maxLines })}
            rows={10}
            defaultValue={report ? report.refusedText : valueOf(failure, "text")}
            errors={errorsOf(failure, "text")}
          />
          <div className={`field${errorsOf(failure, "file") ? " field--invalid" : ""}`}>
            <label htmlFor="quick-order-file" className="field-label">
              {t("quickOrder.form.file")}
            </label>
            <input id="quick-order-file" type="file" name="file" accept=".csv,text/csv,text/plain" className="input file-input" aria-describedby="quick-order-file-hint" />
            <p className="field-hint" id="quick-order-file-hint">
              {t("quickOrder.form.fileHint", { megabytes: Math.round(rules.maxFileBytes / (1024 * 1024)) })}
            </p>
            {errorsOf(failure, "file") ? <p className="field-error">{errorsOf(failure, "file")!.join(" ")}</p> : null}
          </div>
          <div className="button-row">
            <SubmitButton>{t("quickOrder.form.submit")}</SubmitButton>
            <Link to="/cart" className={buttonClass("ghost")}>
              {t("quickOrder.form.toCart")}
            </Link>
          </div>
        </Form>
      </Card>
    </div>
  );
}
