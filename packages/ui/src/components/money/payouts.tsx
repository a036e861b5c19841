import { Form, Link } from "@remix-run/react";
import { useI18n } from "../../i18n/context";
import { isFormFailure, type FormFailure } from "../../types";
import { Alert } from "../alert";
import { SellerBackLink } from "../catalogue-seller-common";
import type { ListFilterState } from "../filters";
import { buttonClass, errorsOf, SubmitButton, TextAreaField, TextField, useFailureKey, valueOf } from "../form";
import { Card, PageHeader } from "../layout";
import { Pagination, useQueryHref } from "../pagination";
import { DataTable } from "../table";
import { AmountCell, journalReference, PAYOUT_STATUS_VALUES, PayoutStatusBadge, useJournalKindLabel, useMoneyFormat, type MoneyAmountView, type PartyRefView } from "./common";
import type { JournalRowView } from "./ledger";

/**
 * Payouts: the operator's list (listPayouts) with "Run payouts now" (requestPayoutRun) and one
 * payout (getPayout) with "Mark as paid" / "Mark as failed" (markPayoutPaid / markPayoutFailed);
 * the statement table the seller's statement page shares (getSellerPayoutStatement).
 */

export interface PayoutRowView {
  id: string;
  reference: string;
  seller: PartyRefView;
  amount: MoneyAmountView;
  status: string;
  runId: string | null;
  provider: string;
  providerReference: string | null;
  failureReason: string | null;
  createdAt: string;
  decidedAt: string | null;
  itemCount: number;
}

export interface PayoutsListView {
  items: readonly PayoutRowView[];
  page: number;
  pageSize: number;
  total: number;
  counts: Readonly<Record<string, number>>;
}

export interface StatementLineView {
  journalId: string;
  journalNumber: string;
  kind: string;
  order: { id: string; reference: string } | null;
  buyer: PartyRefView | null;
  postedAt: string;
  gross: MoneyAmountView;
  commission: MoneyAmountView;
  net: MoneyAmountView;
  failedPayout: { id: string; reference: string } | null;
}

export interface PayoutStatementView {
  payout: PayoutRowView;
  lines: readonly StatementLineView[];
  totals: { gross: MoneyAmountView; commission: MoneyAmountView; net: MoneyAmountView };
}

export interface PayoutDetailView extends PayoutStatementView {
  journals: readonly JournalRowView[];
}

export const PAYOUT_INTENTS = ["run", "paid", "failed"] as const;

function failureOf(result: unknown, intent: string): FormFailure | null {
  return isFormFailure(result) && result.values.intent === intent ? result : null;
}

function refusalText(failure: FormFailure): string {
  return [failure.formError, ...Object.values(failure.fieldErrors).flat()].filter(Boolean).join(" ");
}

/** The lines of a payout: each settled order, refund or failed payout returned, with its gross, commission and net; then the totals. */
export function PayoutStatementTable({
  statement,
  orderHref,
  payoutHref,
  journalHref,
}: {
  statement: PayoutStatementView;
  orderHref: (orderId: string) => string;
  payoutHref: (payoutId: string) => string;
  /** Where a line's journal is shown (the operator's ledger); without it the journal's number is plain text. */
  journalHref?: (journalId: string) => string;
}) {
  const { t, formatDate } = useI18n();
  const kindLabel = useJournalKindLabel();
  return (
    <DataTable
      caption={t("payoutStatement.lines.caption")}
      columns={[
        t("payoutStatement.lines.date"),
        t("payoutStatement.lines.kind"),
        t("payoutStatement.lines.order"),
        t("payoutStatement.lines.gross"),
        t("payoutStatement.lines.commission"),
        t("payoutStatement.lines.net"),
      ]}
    >
      {statement.lines.map((line) => (
        <tr key={line.journalId}>
          <th scope="row" className="cell-nowrap">
            <time dateTime={line.postedAt}>{formatDate(line.postedAt)}</time>
            <span className="cell-sub mono">{journalHref ? <Link to={journalHref(line.journalId)}>{journalReference(line.journalNumber)}</Link> : journalReference(line.journalNumber)}</span>
          </th>
          <td>{kindLabel(line.kind)}</td>
          <td>
            {line.order ? (
              <>
                <Link to={orderHref(line.order.id)} className="mono">
                  {line.order.reference}
                </Link>
                {line.buyer ? <span className="cell-sub">{line.buyer.name}</span> : null}
              </>
            ) : line.failedPayout ? (
              <Link to={payoutHref(line.failedPayout.id)} className="mono">
                {line.failedPayout.reference}
              </Link>
            ) : (
              <span className="muted">—</span>
            )}
          </td>
          <AmountCell amount={line.gross} />
          <AmountCell amount={line.commission} />
          <AmountCell amount={line.net} />
        </tr>
      ))}
      <tr className="row--total">
        <th scope="row" colSpan={3}>
          {t("payoutStatement.lines.total")}
        </th>
        <AmountCell amount={statement.totals.gross} />
        <AmountCell amount={statement.totals.commission} />
        <AmountCell amount={statement.totals.net} strong />
      </tr>
    </DataTable>
  );
}

function StatusTabs({ counts, current }: { counts: PayoutsListView["counts"]; current: string }) {
  const { t } = useI18n();
  const hrefFor = useQueryHref();
  const all = Object.values(counts).reduce((a, b) => a + b, 0);
  const tabs = [{ status: "", label: t("payouts.tabs.all"), count: all }, ...PAYOUT_STATUS_VALUES.map((s) => ({ status: s, label: t(`money.payoutStatus.${s}`), count: counts[s] ?? 0 }))];
  return (
    <nav className="tabs" aria-label={t("payouts.tabs.label")}>
      <ul>
        {tabs.map((tab) => (
          <li key={tab.status || "all"}>
            <Link
              to={hrefFor({ status: tab.status || null, page: null })}
              className={`tab${tab.status === current ? " tab--active" : ""}`}
              aria-current={tab.status === current ? "page" : undefined}
            >
              {tab.label} <span className="tab-count">{tab.count}</span>
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}

function RunPayouts({ failure }: { failure: FormFailure | null }) {
  const { t } = useI18n();
  return (
    <Card title={t("payouts.run.title")}>
      {failure ? <Alert tone="error">{refusalText(failure)}</Alert> : null}
      <Form method="post" className="decision-form">
        <p className="field-hint">{t("payouts.run.help")}</p>
        <div>
          <SubmitButton name="intent" value="run">
            {t("payouts.run.submit")}
          </SubmitButton>
        </div>
      </Form>
    </Card>
  );
}

export function PayoutsPage({ view, filters, filterErrors, result }: { view: PayoutsListView; result: unknown } & ListFilterState) {
  const { t, tPlural, formatDate } = useI18n();
  const hrefFor = useQueryHref();
  const formatMoney = useMoneyFormat();
  const status = filters.status && !filterErrors.status ? filters.status : "";
  const sellerId = filters.sellerId && !filterErrors.sellerId ? filters.sellerId : null;
  // Every row of a list filtered by seller is that seller's: its name comes with them.
  const sellerName = sellerId ? (view.items.find((p) => p.seller.id === sellerId)?.seller.name ?? null) : null;
  const refused = Object.values(filterErrors).flat();
  return (
    <div className="stack">
      <PageHeader title={t("payouts.title")} description={t("payouts.intro")} />
      <RunPayouts failure={failureOf(result, "run")} />
      {refused.length > 0 ? (
        <Alert tone="warning" title={t("money.filter.ignored")}>
          <ul className="plain-list">
            {[...new Set(refused)].map((m) => (
              <li key={m}>{m}</li>
            ))}
          </ul>
        </Alert>
      ) : null}
      <StatusTabs counts={view.counts} current={status} />
      {sellerId ? (
        <p className="active-filters">
          {t("payouts.filter.sellerActive", { name: sellerName ?? sellerId })}{" "}
          <Link to={hrefFor({ sellerId: null, page: null })} className={buttonClass("ghost", "button--compact")}>
            {t("money.filter.remove")}
          </Link>
        </p>
      ) : null}
      <Card>
        <p className="table-summary">{tPlural("payouts.count", view.total)}</p>
        {view.items.length === 0 ? (
          <p className="empty-state">{t(status || sellerId ? "payouts.emptyFiltered" : "payouts.empty")}</p>
        ) : (
          <DataTable
            caption={t("payouts.table.caption")}
            columns={[t("payouts.table.number"), t("payouts.table.seller"), t("payouts.table.amount"), t("payouts.table.status"), t("payouts.table.created"), t("payouts.table.decided")]}
          >
            {view.items.map((p) => (
              <tr key={p.id}>
                <th scope="row">
                  <Link to={`/payouts/${p.id}`} className="cell-name mono">
                    {p.reference}
                  </Link>
                  <span className="cell-sub">{tPlural("payouts.items", p.itemCount)}</span>
                </th>
                <td>
                  <Link to={hrefFor({ sellerId: p.seller.id, page: null })} aria-label={t("payouts.filter.bySeller", { name: p.seller.name })}>
                    {p.seller.name}
                  </Link>
                </td>
                <td className="cell-nowrap cell-amount">{formatMoney(p.amount)}</td>
                <td>
                  <PayoutStatusBadge status={p.status} />
                </td>
                <td className="cell-nowrap">
                  <time dateTime={p.createdAt}>{formatDate(p.createdAt)}</time>
                </td>
                <td className="cell-nowrap">{p.decidedAt ? <time dateTime={p.decidedAt}>{formatDate(p.decidedAt)}</time> : <span className="muted">—</span>}</td>
              </tr>
            ))}
          </DataTable>
        )}
        <Pagination page={view.page} pageSize={view.pageSize} total={view.total} label={t("payouts.pagination")} />
      </Card>
    </div>
  );
}

/** What a payout is and where it stands: amount, seller, status, the payment's reference or why it failed. */
function PayoutFacts({ payout, sellerHref }: { payout: PayoutRowView; sellerHref?: string }) {
  const { t, formatDateTime } = useI18n();
  const formatMoney = useMoneyFormat();
  return (
    <dl className="details">
      <dt>{t("payout.seller")}</dt>
      <dd>{sellerHref ? <Link to={sellerHref}>{payout.seller.name}</Link> : payout.seller.name}</dd>
      <dt>{t("payout.amount")}</dt>
      <dd>
        <strong>{formatMoney(payout.amount)}</strong>
      </dd>
      <dt>{t("payout.status")}</dt>
      <dd>
        <PayoutStatusBadge status={payout.status} />
      </dd>
      <dt>{t("payout.created")}</dt>
      <dd>
        <time dateTime={payout.createdAt}>{formatDateTime(payout.createdAt)}</time>
      </dd>
      <dt>{t("payout.provider")}</dt>
      <dd>{payout.provider === "manual" ? t("payout.provider.manual") : payout.provider}</dd>
      {payout.providerReference ? (
        <>
          <dt>{t("payout.reference")}</dt>
          <dd className="mono">{payout.providerReference}</dd>
        </>
      ) : null}
      {payout.failureReason ? (
        <>
          <dt>{t("payout.failureReason")}</dt>
          <dd className="prewrap">{payout.failureReason}</dd>
        </>
      ) : null}
      {payout.decidedAt ? (
        <>
          <dt>{t("payout.decided")}</dt>
          <dd>
            <time dateTime={payout.decidedAt}>{formatDateTime(payout.decidedAt)}</time>
          </dd>
        </>
      ) : null}
    </dl>
  );
}

function MarkPaidForm({ failure }: { failure: FormFailure | null }) {
  const { t } = useI18n();
  const formKey = useFailureKey(failure);
  return (
    <Form key={formKey} method="post" className="decision-form" aria-labelledby="mark-paid-title" noValidate>
      <h3 id="mark-paid-title" className="decision-title">
        {t("payout.markPaid.title")}
      </h3>
      <p className="field-hint">{t("payout.markPaid.help")}</p>
      {failure?.formError ? <Alert tone="error">{failure.formError}</Alert> : null}
      <TextField name="reference" label={t("payout.markPaid.reference")} required maxLength={200} autoComplete="off" defaultValue={valueOf(failure, "reference")} errors={errorsOf(failure, "reference")} />
      <div>
        <SubmitButton name="intent" value="paid">
          {t("payout.markPaid.submit")}
        </SubmitButton>
      </div>
    </Form>
  );
}

function MarkFailedForm({ failure }: { failure: FormFailure | null }) {
  const { t } = useI18n();
  const formKey = useFailureKey(failure);
  return (
    <Form key={formKey} method="post" className="decision-form" aria-labelledby="mark-failed-title" noValidate>
      <h3 id="mark-failed-title" className="decision-title">
        {t("payout.markFailed.title")}
      </h3>
      <p className="field-hint">{t("payout.markFailed.help")}</p>
      {failure?.formError ? <Alert tone="error">{failure.formError}</Alert> : null}
      <TextAreaField name="reason" label={t("payout.markFailed.reason")} required rows={3} maxLength={2000} defaultValue={valueOf(failure, "reason")} errors={errorsOf(failure, "reason")} />
      <div>
        <SubmitButton name="intent" value="failed" variant="danger">
          {t("payout.markFailed.submit")}
        </SubmitButton>
      </div>
    </Form>
  );
}

export function PayoutPage({ detail, result }: { detail: PayoutDetailView; result: unknown }) {
  const { t, formatDateTime } = useI18n();
  const kindLabel = useJournalKindLabel();
  const { payout } = detail;
  const paidFailure = failureOf(result, "paid");
  const failedFailure = failureOf(result, "failed");
  // A refusal whose form is no longer shown (another operator decided meanwhile): shown on its own.
  const orphan = payout.status !== "pending" ? (paidFailure ?? failedFailure) : null;
  return (
    <div className="stack">
      <SellerBackLink to="/payouts">{t("payout.back")}</SellerBackLink>
      <PageHeader title={t("payout.title", { reference: payout.reference })} actions={<PayoutStatusBadge status={payout.status} />} />
      {orphan ? <Alert tone="error">{refusalText(orphan)}</Alert> : null}
      {payout.status === "held" ? <Alert tone="warning">{t("payout.held")}</Alert> : null}
      {payout.status === "failed" ? <Alert tone="info">{t("payout.failedNote")}</Alert> : null}
      <Card>
        <PayoutFacts payout={payout} sellerHref={`/payouts?sellerId=${encodeURIComponent(payout.seller.id)}`} />
      </Card>
      {payout.status === "pending" ? (
        <Card title={t("payout.decide.title")} className="decision-card">
          <div className="decision-list">
            <MarkPaidForm failure={paidFailure} />
            <MarkFailedForm failure={failedFailure} />
          </div>
        </Card>
      ) : null}
      <Card title={t("payout.items.title")}>
        <PayoutStatementTable statement={detail} orderHref={(id) => `/ledger/orders/${id}`} payoutHref={(id) => `/payouts/${id}`} journalHref={(id) => `/ledger/journals/${id}`} />
      </Card>
      {detail.journals.length > 0 ? (
        <Card title={t("payout.journals.title")}>
          <DataTable caption={t("payout.journals.title")} columns={[t("journals.table.number"), t("journals.table.kind"), t("journals.table.posted")]}>
            {detail.journals.map((j) => (
              <tr key={j.id}>
                <th scope="row">
                  <Link to={`/ledger/journals/${j.id}`} className="mono">
                    {journalReference(j.number)}
                  </Link>
                </th>
                <td>{kindLabel(j.kind)}</td>
                <td className="cell-nowrap">
                  <time dateTime={j.postedAt}>{formatDateTime(j.postedAt)}</time>
                </td>
              </tr>
            ))}
          </DataTable>
        </Card>
      ) : null}
    </div>
  );
}
