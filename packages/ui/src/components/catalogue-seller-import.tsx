import { Link, useRevalidator } from "@remix-run/react";
import { useEffect, useId, useRef } from "react";
import { useI18n } from "../i18n/context";
import { isMessageKey } from "../i18n/i18n";
import type { DateLike } from "../types";
import { Alert, Badge } from "./alert";
import { SellerBackLink, sellerFailureOf } from "./catalogue-seller-common";
import { buttonClass, UploadForm } from "./form";
import { Card, PageHeader } from "./layout";
import { Pagination } from "./pagination";
import { DataTable } from "./table";

/*
 * The seller's CSV import: the upload page (with the file format and the recent imports) and the
 * page of one import, which follows the job while it runs, then shows its counts and the rows it
 * refused. The shapes are those of @souk/services' listCatalogueImports and getCatalogueImport.
 */

export interface SellerImportRowError {
  line: number;
  /** Null for a problem of the whole line or file. */
  column: string | null;
  /** A message key. */
  reason: string;
}

export interface SellerImportView {
  id: string;
  fileName: string;
  status: string;
  totalRows: number;
  processedRows: number;
  createdCount: number;
  updatedCount: number;
  unchangedCount: number;
  errorCount: number;
  /** Why the whole import failed (a message key), when it did. */
  failure: string | null;
  createdAt: DateLike;
  finishedAt: DateLike | null;
}

export interface SellerImportDetailView extends SellerImportView {
  /** The problems found, in line order (the service keeps a bounded number of them). */
  errors: readonly SellerImportRowError[];
  /** More problems were found than are kept. */
  errorsTruncated: boolean;
}

export interface SellerImportsView {
  items: readonly SellerImportView[];
  page: number;
  pageSize: number;
  total: number;
}

/** The file format the page explains: the columns (in the export's order, each one required) and the upload limit. */
export interface SellerImportFormat {
  columns: readonly string[];
  maxBytes: number;
}

/** One row of a valid file, shown as an example under the column list. */
const EXAMPLE_ROW: Readonly<Record<string, string>> = {
  sku: "M8-BOLT-50",
  title: "Hex bolt M8 x 50 mm",
  description: "Zinc-plated steel, DIN 933",
  category: "tools-fasteners",
  unit: "box of 100",
  currency: "EUR",
  list_price: "12.50",
  min_order_quantity: "2",
  stock: "400",
  lead_time_days: "3",
  tiers: "10=11.50;50=10.90",
  attributes: "material=steel;finish=zinc",
  visibility: "everyone",
  status: "published",
};

/**
 * The template file offered for download: the header and the example row. Values with a comma or a
 * quote are quoted as RFC 4180 says, so the file opens the same in any spreadsheet.
 */
export function sellerImportTemplate(columns: readonly string[]): string {
  const cell = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);
  return `${columns.join(",")}\r\n${columns.map((c) => cell(EXAMPLE_ROW[c] ?? "")).join(",")}\r\n`;
}

/** While an import is waiting or running its page follows it. */
export function isImportActive(status: string): boolean {
  return status === "queued" || status === "running";
}

const IMPORT_STATUS_TONE: Record<string, "neutral" | "info" | "success" | "danger"> = { queued: "neutral", running: "info", succeeded: "success", failed: "danger" };

export function SellerImportStatusBadge({ status }: { status: string }) {
  const { t } = useI18n();
  const key = `sellerImports.status.${status}`;
  return <Badge tone={IMPORT_STATUS_TONE[status] ?? "neutral"}>{isMessageKey(key) ? t(key) : status}</Badge>;
}

function UploadCard({ format, result }: { format: SellerImportFormat; result: unknown }) {
  const { t, locale } = useI18n();
  const failure = sellerFailureOf(result, ["import"]);
  const megabytes = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(format.maxBytes / (1024 * 1024));
  return (
    <Card title={t("sellerImports.upload.title")}>
      <p>{t("sellerImports.upload.intro")}</p>
      <p className="muted">{t("sellerImports.upload.rules", { size: megabytes })}</p>
      {failure?.formError ? <Alert tone="error">{failure.formError}</Alert> : null}
      <UploadForm failure={failure} label={t("sellerImports.upload.file")} accept=".csv,text/csv" required intent="import" variant="primary" submitLabel={t("sellerImports.upload.submit")} />
    </Card>
  );
}

function FormatCard({ format }: { format: SellerImportFormat }) {
  const { t } = useI18n();
  const example = sellerImportTemplate(format.columns).trimEnd();
  return (
    <Card title={t("sellerImports.format.title")}>
      <p>{t("sellerImports.format.intro")}</p>
      <DataTable caption={t("sellerImports.format.caption")} columns={[t("sellerImports.format.column"), t("sellerImports.format.meaning")]}>
        {format.columns.map((column) => {
          const key = `sellerImports.column.${column}`;
          return (
            <tr key={column}>
              <th scope="row" className="mono cell-nowrap">
                {column}
              </th>
              <td>{isMessageKey(key) ? t(key) : null}</td>
            </tr>
          );
        })}
      </DataTable>
      <h3 className="card-subtitle">{t("sellerImports.format.example")}</h3>
      <pre className="mono prewrap">{example}</pre>
      <p className="button-row">
        <a href="/listings/template.csv" className={buttonClass("secondary")} download>
          {t("sellerImports.format.template")}
        </a>
        <a href="/listings.csv" className={buttonClass("ghost")} download>
          {t("sellerImports.format.export")}
        </a>
      </p>
      <p className="muted">{t("sellerImports.format.roundTrip")}</p>
    </Card>
  );
}

function RecentImports({ imports }: { imports: SellerImportsView }) {
  const { t, tKey, formatDateTime } = useI18n();
  return (
    <Card title={t("sellerImports.recent.title")}>
      {imports.items.length === 0 ? (
        <p className="empty-state">{t("sellerImports.recent.empty")}</p>
      ) : (
        <DataTable
          caption={t("sellerImports.recent.caption")}
          columns={[t("sellerImports.recent.file"), t("sellerImports.recent.started"), t("sellerImports.recent.status"), t("sellerImports.recent.rows"), t("sellerImports.recent.outcome")]}
        >
          {imports.items.map((item) => (
            <tr key={item.id}>
              <th scope="row" className="cell-name">
                <Link to={`/listings/imports/${item.id}`}>{item.fileName}</Link>
              </th>
              <td className="cell-nowrap">{formatDateTime(item.createdAt)}</td>
              <td>
                <SellerImportStatusBadge status={item.status} />
              </td>
              <td className="cell-nowrap">{t("sellerImports.progress.count", { processed: item.processedRows, total: item.totalRows })}</td>
              <td>
                {isImportActive(item.status)
                  ? null
                  : item.status === "failed"
                    ? item.failure && isMessageKey(item.failure)
                      ? tKey(item.failure)
                      : t("sellerImports.status.failed")
                    : t("sellerImports.recent.summary", { created: item.createdCount, updated: item.updatedCount, unchanged: item.unchangedCount, errors: item.errorCount })}
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      <Pagination page={imports.page} pageSize={imports.pageSize} total={imports.total} label={t("sellerImports.recent.pagination")} />
    </Card>
  );
}

/** The upload form, the file format with an example and a template, and the seller's recent imports. */
export function SellerImportPage({ imports, format, result }: { imports: SellerImportsView; format: SellerImportFormat; result: unknown }) {
  const { t } = useI18n();
  return (
    <div className="stack">
      <SellerBackLink to="/listings">{t("sellerListings.back")}</SellerBackLink>
      <PageHeader title={t("sellerImports.title")} description={t("sellerImports.intro")} />
      <UploadCard format={format} result={result} />
      <RecentImports imports={imports} />
      <FormatCard format={format} />
    </div>
  );
}

// ---------------------------------------------------------------------------------------------
// One import

/**
 * Reloads the page's data every second while `active` (with JavaScript). Without JavaScript the
 * page refreshes itself instead (a meta refresh inside <noscript>, which scripts ignore).
 */
function useRefreshWhile(active: boolean) {
  const revalidator = useRevalidator();
  const current = useRef(revalidator);
  current.current = revalidator;
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => {
      if (current.current.state === "idle") current.current.revalidate();
    }, 1000);
    return () => clearInterval(timer);
  }, [active]);
}

function Progress({ run }: { run: SellerImportDetailView }) {
  const { t } = useI18n();
  const id = useId();
  return (
    <Card title={run.status === "queued" ? t("sellerImports.progress.queued") : t("sellerImports.progress.running")}>
      {/* Meta refresh belongs to pages without scripts: with them, the revalidator polls. */}
      <noscript>
        <meta httpEquiv="refresh" content="2" />
      </noscript>
      <label htmlFor={id} className="field-label">
        {run.totalRows > 0 ? t("sellerImports.progress.count", { processed: run.processedRows, total: run.totalRows }) : t("sellerImports.progress.reading")}
      </label>
      {/* Without a total yet (the file is still being read) the bar shows activity, not a figure. */}
      {run.totalRows > 0 ? <progress id={id} value={run.processedRows} max={run.totalRows} style={{ width: "100%" }} /> : <progress id={id} style={{ width: "100%" }} />}
      <p className="muted" role="status">
        {t("sellerImports.progress.hint")}
      </p>
    </Card>
  );
}

function Outcome({ run }: { run: SellerImportDetailView }) {
  const { t, tKey } = useI18n();
  const counts = [
    { label: t("sellerImports.result.created"), value: run.createdCount },
    { label: t("sellerImports.result.updated"), value: run.updatedCount },
    { label: t("sellerImports.result.unchanged"), value: run.unchangedCount },
    { label: t("sellerImports.result.errors"), value: run.errorCount },
  ];
  return (
    <>
      {run.status === "failed" ? (
        <Alert tone="error" title={t("sellerImports.result.failedTitle")}>
          <p>{run.failure && isMessageKey(run.failure) ? tKey(run.failure) : t("sellerImports.result.failed")}</p>
        </Alert>
      ) : run.errorCount > 0 ? (
        <Alert tone="warning" title={t("sellerImports.result.withErrorsTitle")}>
          <p>{t("sellerImports.result.withErrors")}</p>
        </Alert>
      ) : (
        <Alert tone="success" title={t("sellerImports.result.doneTitle")}>
          <p>{t("sellerImports.result.done")}</p>
        </Alert>
      )}
      <dl className="summary-grid">
        {counts.map((c) => (
          <div key={c.label} className="summary-item">
            <dt>{c.label}</dt>
            <dd className="summary-value">{c.value}</dd>
          </div>
        ))}
      </dl>
      {run.errors.length > 0 ? (
        <Card title={t("sellerImports.errors.title")}>
          {run.errorsTruncated ? <p className="muted">{t("sellerImports.errors.capped", { shown: run.errors.length })}</p> : null}
          <DataTable caption={t("sellerImports.errors.caption")} columns={[t("sellerImports.errors.line"), t("sellerImports.errors.column"), t("sellerImports.errors.reason")]}>
            {run.errors.map((e, i) => (
              <tr key={`${e.line}-${e.column}-${i}`}>
                <th scope="row">{e.line}</th>
                <td className="mono">{e.column ?? <span className="muted">—</span>}</td>
                <td>{tKey(e.reason)}</td>
              </tr>
            ))}
          </DataTable>
        </Card>
      ) : null}
    </>
  );
}

/** One import: its progress while it runs (refreshing itself), then its counts and refused rows. */
export function SellerImportProgressPage({ run }: { run: SellerImportDetailView }) {
  const { t, formatDateTime } = useI18n();
  const active = isImportActive(run.status);
  useRefreshWhile(active);
  return (
    <div className="stack">
      <SellerBackLink to="/listings/import">{t("sellerImports.back")}</SellerBackLink>
      <PageHeader
        title={t("sellerImports.run.title", { name: run.fileName })}
        description={t("sellerImports.run.started", { date: formatDateTime(run.createdAt) })}
        actions={<SellerImportStatusBadge status={run.status} />}
      />
      {active ? <Progress run={run} /> : <Outcome run={run} />}
      {active ? null : (
        <p className="button-row">
          <Link to="/listings" className={buttonClass("primary")}>
            {t("sellerImports.run.toListings")}
          </Link>
          <Link to="/listings/import" className={buttonClass("secondary")}>
            {t("sellerImports.run.again")}
          </Link>
        </p>
      )}
    </div>
  );
}
