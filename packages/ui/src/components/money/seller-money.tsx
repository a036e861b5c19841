import { Link } from "@remix-run/react";
import { useI18n } from "../../i18n/context";
import { Alert } from "../alert";
import { SellerBackLink } from "../catalogue-seller-common";
import { buttonClass } from "../form";
import { Card, PageHeader } from "../layout";
import { Pagination } from "../pagination";
import { DataTable } from "../table";
import { AmountCell, PayoutStatusBadge, SectionTabs, snapshotFigures, useMoneyFormat, useRuleSummary, type CommissionRuleSnapshotView, type MoneyAmountView, type PartyRefView } from "./common";
import { PayoutStatementTable, type PayoutsListView, type PayoutStatementView } from "./payouts";

/**
 * The seller's money (owners): the balance per currency (getSellerBalance), the settled orders
 * (listSellerSettlements), the payouts (listSellerPayouts) and one payout's statement
 * (getSellerPayoutStatement) with its CSV and PDF downloads.
 */

export interface SellerBalanceCurrencyView {
  currency: string;
  payable: MoneyAmountView;
  frozen: MoneyAmountView;
  available: MoneyAmountView;
  inPayouts: MoneyAmountView;
}

export interface SellerBalanceView {
  held: boolean;
  nextPayoutAt: string | null;
  currencies: readonly SellerBalanceCurrencyView[];
}

export interface SellerSettlementRowView {
  order: { id: string; reference: string };
  buyer: PartyRefView;
  settledAt: string;
  gross: MoneyAmountView;
  commission: MoneyAmountView;
  net: MoneyAmountView;
  refunded: MoneyAmountView;
  commissionRefunded: MoneyAmountView;
  netRefunded: MoneyAmountView;
  payout: { id: string; reference: string; status: string } | null;
  /** The commission rule frozen onto the settlement (its summary shows under the commission). */
  rule: CommissionRuleSnapshotView;
}

export interface SellerSettlementsView {
  items: readonly SellerSettlementRowView[];
  page: number;
  pageSize: number;
  total: number;
}

type MoneyTab = "/money" | "/money/settlements" | "/payouts";

function MoneyTabs({ current }: { current: MoneyTab }) {
  const { t } = useI18n();
  return (
    <SectionTabs
      label={t("sellerMoney.tabs.label")}
      current={current}
      tabs={[
        { to: "/money", label: t("sellerMoney.tabs.balance") },
        { to: "/money/settlements", label: t("sellerMoney.tabs.settlements") },
        { to: "/payouts", label: t("sellerMoney.tabs.payouts") },
      ]}
    />
  );
}

export function SellerMoneyPage({ balance }: { balance: SellerBalanceView }) {
  const { t, formatDate } = useI18n();
  const formatMoney = useMoneyFormat();
  return (
    <div className="stack">
      <PageHeader title={t("sellerMoney.title")} description={t("sellerMoney.intro")} />
      <MoneyTabs current="/money" />
      {balance.held ? <Alert tone="warning">{t("sellerMoney.balance.held")}</Alert> : null}
      <Card>
        <dl className="summary-grid">
          <div className="summary-item">
            <dt>{t("sellerMoney.balance.nextPayout")}</dt>
            <dd className="summary-value">{balance.nextPayoutAt ? <time dateTime={balance.nextPayoutAt}>{formatDate(balance.nextPayoutAt)}</time> : t(balance.held ? "sellerMoney.balance.nextPayoutHeld" : "sellerMoney.balance.nextPayoutUnknown")}</dd>
          </div>
        </dl>
      </Card>
      {balance.currencies.length === 0 ? (
        <Card>
          <p className="empty-state">{t("sellerMoney.balance.empty")}</p>
        </Card>
      ) : (
        balance.currencies.map((c) => (
          <Card key={c.currency} title={t("sellerMoney.balance.title", { currency: c.currency })}>
            <dl className="summary-grid">
              <div className="summary-item">
                <dt>{t("sellerMoney.balance.available")}</dt>
                <dd className="summary-value">{formatMoney(c.available)}</dd>
                <dd className="summary-sub">{t("sellerMoney.balance.availableHint")}</dd>
              </div>
              <div className="summary-item">
                <dt>{t("sellerMoney.balance.frozen")}</dt>
                <dd className="summary-value">{formatMoney(c.frozen)}</dd>
                <dd className="summary-sub">{t("sellerMoney.balance.frozenHint")}</dd>
              </div>
              <div className="summary-item">
                <dt>{t("sellerMoney.balance.payable")}</dt>
                <dd className="summary-value">{formatMoney(c.payable)}</dd>
                <dd className="summary-sub">{t("sellerMoney.balance.payableHint")}</dd>
              </div>
              <div className="summary-item">
                <dt>{t("sellerMoney.balance.pending")}</dt>
                <dd className="summary-value">{formatMoney(c.inPayouts)}</dd>
                <dd className="summary-sub">{t("sellerMoney.balance.pendingHint")}</dd>
              </div>
            </dl>
          </Card>
        ))
      )}
      <p>
        <Link to="/money/settlements">{t("sellerMoney.toSettlements")}</Link> · <Link to="/payouts">{t("sellerMoney.toPayouts")}</Link>
      </p>
    </div>
  );
}

export function SellerSettlementsPage({ view }: { view: SellerSettlementsView }) {
  const { t, tPlural, formatDate } = useI18n();
  const formatMoney = useMoneyFormat();
  const summary = useRuleSummary();
  return (
    <div className="stack">
      <PageHeader title={t("sellerMoney.title")} description={t("sellerMoney.settlements.intro")} />
      <MoneyTabs current="/money/settlements" />
      <Card>
        <p className="table-summary">{tPlural("sellerMoney.settlements.count", view.total)}</p>
        {view.items.length === 0 ? (
          <p className="empty-state">{t("sellerMoney.settlements.empty")}</p>
        ) : (
          <DataTable
            caption={t("sellerMoney.settlements.caption")}
            columns={[
              t("sellerMoney.settlements.order"),
              t("sellerMoney.settlements.settled"),
              t("sellerMoney.settlements.gross"),
              t("sellerMoney.settlements.commission"),
              t("sellerMoney.settlements.net"),
              t("sellerMoney.settlements.refunded"),
              t("sellerMoney.settlements.payout"),
            ]}
          >
            {view.items.map((s) => (
              <tr key={s.order.id}>
                <th scope="row">
                  <Link to={`/orders/${s.order.id}`} className="cell-name mono">
                    {s.order.reference}
                  </Link>
                  <span className="cell-sub">{s.buyer.name}</span>
                </th>
                <td className="cell-nowrap">
                  <time dateTime={s.settledAt}>{formatDate(s.settledAt)}</time>
                </td>
                <AmountCell amount={s.gross} />
                <td className="cell-nowrap cell-amount">
                  {formatMoney(s.commission)}
                  <span className="cell-sub">{summary(snapshotFigures(s.rule))}</span>
                </td>
                <AmountCell amount={s.net} strong />
                <td className="cell-nowrap cell-amount">
                  {BigInt(s.refunded.amountMinor) === 0n ? (
                    <span className="muted">—</span>
                  ) : (
                    <>
                      {formatMoney(s.refunded)}
                      <span className="cell-sub">{t("sellerMoney.settlements.netRefunded", { amount: formatMoney(s.netRefunded) })}</span>
                    </>
                  )}
                </td>
                <td>
                  {s.payout ? (
                    <>
                      <Link to={`/payouts/${s.payout.id}`} className="mono">
                        {s.payout.reference}
                      </Link>{" "}
                      <PayoutStatusBadge status={s.payout.status} />
                    </>
                  ) : (
                    <span className="muted">{t("sellerMoney.settlements.notPaidOut")}</span>
                  )}
                </td>
              </tr>
            ))}
          </DataTable>
        )}
        <Pagination page={view.page} pageSize={view.pageSize} total={view.total} label={t("sellerMoney.settlements.pagination")} />
      </Card>
    </div>
  );
}

export function SellerPayoutsPage({ view }: { view: PayoutsListView }) {
  const { t, tPlural, formatDate } = useI18n();
  const formatMoney = useMoneyFormat();
  return (
    <div className="stack">
      <PageHeader title={t("sellerMoney.title")} description={t("sellerMoney.payouts.intro")} />
      <MoneyTabs current="/payouts" />
      <Card>
        <p className="table-summary">{tPlural("sellerMoney.payouts.count", view.total)}</p>
        {view.items.length === 0 ? (
          <p className="empty-state">{t("sellerMoney.payouts.empty")}</p>
        ) : (
          <DataTable
            caption={t("sellerMoney.payouts.caption")}
            columns={[t("sellerMoney.payouts.number"), t("sellerMoney.payouts.created"), t("sellerMoney.payouts.amount"), t("sellerMoney.payouts.status"), t("sellerMoney.payouts.decided")]}
          >
            {view.items.map((p) => (
              <tr key={p.id}>
                <th scope="row">
                  <Link to={`/payouts/${p.id}`} className="cell-name mono">
                    {p.reference}
                  </Link>
                </th>
                <td className="cell-nowrap">
                  <time dateTime={p.createdAt}>{formatDate(p.createdAt)}</time>
                </td>
                <td className="cell-nowrap cell-amount">{formatMoney(p.amount)}</td>
                <td>
                  <PayoutStatusBadge status={p.status} />
                </td>
                <td className="cell-nowrap">{p.decidedAt ? <time dateTime={p.decidedAt}>{formatDate(p.decidedAt)}</time> : <span className="muted">—</span>}</td>
              </tr>
            ))}
          </DataTable>
        )}
        <Pagination page={view.page} pageSize={view.pageSize} total={view.total} label={t("sellerMoney.payouts.pagination")} />
      </Card>
    </div>
  );
}

export function PayoutStatementPage({ statement }: { statement: PayoutStatementView }) {
  const { t, formatDateTime } = useI18n();
  const formatMoney = useMoneyFormat();
  const { payout } = statement;
  const base = `/payouts/${payout.id}/statement`;
  return (
    <div className="stack">
      <SellerBackLink to="/payouts">{t("payoutStatement.back")}</SellerBackLink>
      <PageHeader
        title={t("payoutStatement.title", { reference: payout.reference })}
        actions={
          <div className="button-row">
            {/* Files, not pages: a full download rather than a client-side navigation. */}
            <Link to={`${base}.csv`} reloadDocument className={buttonClass("secondary")}>
              {t("payoutStatement.downloadCsv")}
            </Link>
            <Link to={`${base}.pdf`} reloadDocument className={buttonClass("secondary")}>
              {t("payoutStatement.downloadPdf")}
            </Link>
          </div>
        }
      />
      {payout.status === "held" ? <Alert tone="warning">{t("sellerMoney.balance.held")}</Alert> : null}
      {payout.status === "failed" ? <Alert tone="warning">{t("payoutStatement.failedNote")}</Alert> : null}
      <Card>
        <dl className="details">
          <dt>{t("payoutStatement.amount")}</dt>
          <dd>
            <strong>{formatMoney(payout.amount)}</strong>
          </dd>
          <dt>{t("payoutStatement.status")}</dt>
          <dd>
            <PayoutStatusBadge status={payout.status} />
          </dd>
          <dt>{t("payoutStatement.created")}</dt>
          <dd>
            <time dateTime={payout.createdAt}>{formatDateTime(payout.createdAt)}</time>
          </dd>
          {payout.status === "paid" && payout.decidedAt ? (
            <>
              <dt>{t("payoutStatement.paidAt")}</dt>
              <dd>
                <time dateTime={payout.decidedAt}>{formatDateTime(payout.decidedAt)}</time>
              </dd>
            </>
          ) : null}
          {payout.providerReference ? (
            <>
              <dt>{t("payoutStatement.reference")}</dt>
              <dd className="mono">{payout.providerReference}</dd>
            </>
          ) : null}
          {payout.failureReason ? (
            <>
              <dt>{t("payoutStatement.failureReason")}</dt>
              <dd className="prewrap">{payout.failureReason}</dd>
            </>
          ) : null}
        </dl>
      </Card>
      <Card title={t("payoutStatement.lines.title")}>
        <PayoutStatementTable statement={statement} orderHref={(id) => `/orders/${id}`} payoutHref={(id) => `/payouts/${id}`} />
      </Card>
    </div>
  );
}
