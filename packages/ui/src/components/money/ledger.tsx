import { Link } from "@remix-run/react";
import { useI18n } from "../../i18n/context";
import { Alert, Badge } from "../alert";
import { SellerBackLink } from "../catalogue-seller-common";
import { FilterPanel, type ListFilterState } from "../filters";
import { buttonClass, SelectField } from "../form";
import { Card, PageHeader } from "../layout";
import { Pagination, useQueryHref } from "../pagination";
import { DataTable } from "../table";
import {
  ACCOUNT_KIND_VALUES,
  AmountCell,
  FrozenRuleCard,
  JOURNAL_KIND_VALUES,
  journalReference,
  PayoutStatusBadge,
  SectionTabs,
  useAccountKindLabel,
  useJournalKindLabel,
  useMoneyFormat,
  type CommissionRuleSnapshotView,
  type MoneyAmountView,
  type PartyRefView,
} from "./common";

/**
 * The operator's ledger: the trial balance (getTrialBalance), the accounts (listLedgerAccounts),
 * the journals with their entries (listJournals), one journal (getJournal) and the money of one
 * order, each with the commission rule frozen onto its settlement (getOrderMoney).
 */

export interface TrialBalanceCurrencyView {
  currency: string;
  debits: MoneyAmountView;
  credits: MoneyAmountView;
  balance: MoneyAmountView;
  kinds: readonly { kind: string; balance: MoneyAmountView; accounts: number }[];
}

export interface TrialBalancePageView {
  balanced: boolean;
  currencies: readonly TrialBalanceCurrencyView[];
}

export interface LedgerAccountRowView {
  id: string;
  kind: string;
  organization: PartyRefView | null;
  counterparty: PartyRefView | null;
  currency: string;
  balance: MoneyAmountView;
}

export interface LedgerAccountsView {
  items: readonly LedgerAccountRowView[];
  page: number;
  pageSize: number;
  total: number;
}

export interface JournalRowView {
  id: string;
  number: string;
  idempotencyKey: string;
  kind: string;
  order: { id: string; reference: string } | null;
  payout: { id: string; reference: string } | null;
  currency: string;
  memo: string;
  postedAt: string;
  entries: readonly { account: Omit<LedgerAccountRowView, "balance" | "currency">; amount: MoneyAmountView }[];
}

/** One journal (getJournal): a settlement's carries the commission rule frozen onto it. */
export interface JournalDetailView extends JournalRowView {
  rule: CommissionRuleSnapshotView | null;
}

export interface JournalsListView {
  items: readonly JournalRowView[];
  page: number;
  pageSize: number;
  total: number;
}

export interface OrderMoneyPageView {
  orderId: string;
  reference: string;
  status: string;
  gross: MoneyAmountView;
  settled: boolean;
  settledAt: string | null;
  frozen: boolean;
  commission: MoneyAmountView | null;
  net: MoneyAmountView | null;
  rule: CommissionRuleSnapshotView | null;
  refunded: MoneyAmountView;
  refunds: readonly { id: string; amount: MoneyAmountView; commission: MoneyAmountView | null; net: MoneyAmountView | null; createdAt: string }[];
  payout: { id: string; reference: string; status: string } | null;
}

function LedgerTabs({ current }: { current: "/ledger" | "/ledger/accounts" | "/ledger/journals" }) {
  const { t } = useI18n();
  return (
    <SectionTabs
      label={t("ledger.tabs.label")}
      current={current}
      tabs={[
        { to: "/ledger", label: t("ledger.tabs.trial") },
        { to: "/ledger/accounts", label: t("ledger.tabs.accounts") },
        { to: "/ledger/journals", label: t("ledger.tabs.journals") },
      ]}
    />
  );
}

/** "Buyer receivable · Zeta Foods → Atelier Rhône", "Seller payable · Atelier Rhône", "Cash". */
function useAccountName(): (account: Omit<LedgerAccountRowView, "balance" | "currency">) => string {
  const kindLabel = useAccountKindLabel();
  return (account) => {
    const parties = [account.organization?.name, account.counterparty?.name].filter(Boolean).join(" → ");
    return parties ? `${kindLabel(account.kind)} · ${parties}` : kindLabel(account.kind);
  };
}

// ---------------------------------------------------------------------------------------------
// Trial balance

export function TrialBalancePage({ view }: { view: TrialBalancePageView }) {
  const { t } = useI18n();
  const kindLabel = useAccountKindLabel();
  const unbalanced = view.currencies.filter((c) => BigInt(c.balance.amountMinor) !== 0n).map((c) => c.currency);
  return (
    <div className="stack">
      <PageHeader title={t("ledger.title")} description={t("ledger.intro")} />
      <LedgerTabs current="/ledger" />
      {view.currencies.length === 0 ? null : view.balanced && unbalanced.length === 0 ? (
        <Alert tone="success">{t("ledger.trial.allBalanced")}</Alert>
      ) : (
        <Alert tone="error" title={t("ledger.trial.unbalanced")}>
          {t("ledger.trial.problem", { currencies: unbalanced.join(", ") })}
        </Alert>
      )}
      <Card title={t("ledger.trial.title")}>
        {view.currencies.length === 0 ? (
          <p className="empty-state">{t("ledger.trial.empty")}</p>
        ) : (
          <DataTable
            caption={t("ledger.trial.caption")}
            columns={[t("ledger.trial.currency"), t("ledger.trial.debits"), t("ledger.trial.credits"), t("ledger.trial.balance"), t("ledger.trial.status")]}
          >
            {view.currencies.map((c) => {
              const zero = BigInt(c.balance.amountMinor) === 0n;
              return (
                <tr key={c.currency}>
                  <th scope="row" className="mono">
                    {c.currency}
                  </th>
                  <AmountCell amount={c.debits} />
                  <AmountCell amount={c.credits} />
                  <AmountCell amount={c.balance} strong />
                  <td>{zero ? <Badge tone="success">{t("ledger.trial.balanced")}</Badge> : <Badge tone="danger">{t("ledger.trial.unbalanced")}</Badge>}</td>
                </tr>
              );
            })}
          </DataTable>
        )}
      </Card>
      {view.currencies.map((c) => (
        <Card key={c.currency} title={t("ledger.kinds.title", { currency: c.currency })}>
          <DataTable caption={t("ledger.kinds.caption", { currency: c.currency })} columns={[t("ledger.accounts.kind"), t("ledger.kinds.accounts"), t("ledger.accounts.balance")]}>
            {c.kinds.map((k) => (
              <tr key={k.kind}>
                <th scope="row">
                  <Link to={`/ledger/accounts?kind=${encodeURIComponent(k.kind)}&currency=${encodeURIComponent(c.currency)}`}>{kindLabel(k.kind)}</Link>
                </th>
                <td className="cell-amount">{k.accounts}</td>
                <AmountCell amount={k.balance} />
              </tr>
            ))}
            <tr className="row--total">
              <th scope="row" colSpan={2}>
                {t("ledger.trial.balance")}
              </th>
              <AmountCell amount={c.balance} strong />
            </tr>
          </DataTable>
        </Card>
      ))}
    </div>
  );
}

// ---------------------------------------------------------------------------------------------
// Accounts

export function LedgerAccountsPage({ view, filters, filterErrors }: { view: LedgerAccountsView } & ListFilterState) {
  const { t, tPlural } = useI18n();
  const kindLabel = useAccountKindLabel();
  const hrefFor = useQueryHref();
  const organization = filters.organizationId && !filterErrors.organizationId ? filters.organizationId : null;
  const organizationName = organization ? (view.items.map((a) => (a.organization?.id === organization ? a.organization : a.counterparty?.id === organization ? a.counterparty : null)).find(Boolean)?.name ?? organization) : null;
  const currencies = [...new Set([...(filters.currency ? [filters.currency] : []), ...view.items.map((a) => a.currency)])].sort();
  return (
    <div className="stack">
      <PageHeader title={t("ledger.title")} description={t("ledger.accounts.intro")} />
      <LedgerTabs current="/ledger/accounts" />
      <FilterPanel
        labels={{ form: t("ledger.accounts.filter.label"), ignored: t("money.filter.ignored"), apply: t("money.filter.apply"), clear: t("money.filter.clear") }}
        clearTo="/ledger/accounts"
        filterErrors={filterErrors}
      >
        <SelectField
          name="kind"
          label={t("ledger.accounts.filter.kind")}
          defaultValue={filters.kind ?? ""}
          errors={filterErrors.kind}
          options={[{ value: "", label: t("money.filter.any") }, ...ACCOUNT_KIND_VALUES.map((k) => ({ value: k, label: kindLabel(k) }))]}
        />
        <SelectField
          name="currency"
          label={t("ledger.accounts.filter.currency")}
          defaultValue={filters.currency ?? ""}
          errors={filterErrors.currency}
          options={[{ value: "", label: t("money.filter.anyCurrency") }, ...currencies.map((c) => ({ value: c, label: c }))]}
        />
        {organization ? <input type="hidden" name="organizationId" value={organization} /> : null}
      </FilterPanel>
      {organization ? (
        <p className="active-filters">
          {t("ledger.accounts.filter.organization", { name: organizationName ?? organization })}{" "}
          <Link to={hrefFor({ organizationId: null, page: null })} className={buttonClass("ghost", "button--compact")}>
            {t("money.filter.remove")}
          </Link>
        </p>
      ) : null}
      <Card>
        <p className="table-summary">{tPlural("ledger.accounts.count", view.total)}</p>
        {view.items.length === 0 ? (
          <p className="empty-state">{t("ledger.accounts.empty")}</p>
        ) : (
          <DataTable
            caption={t("ledger.accounts.caption")}
            columns={[t("ledger.accounts.kind"), t("ledger.accounts.owner"), t("ledger.accounts.counterparty"), t("ledger.accounts.currency"), t("ledger.accounts.balance")]}
          >
            {view.items.map((a) => (
              <tr key={a.id}>
                <th scope="row">{kindLabel(a.kind)}</th>
                <td>{a.organization ? <Link to={hrefFor({ organizationId: a.organization.id, page: null })}>{a.organization.name}</Link> : <span className="muted">{t("ledger.accounts.platform")}</span>}</td>
                <td>{a.counterparty ? <Link to={hrefFor({ organizationId: a.counterparty.id, page: null })}>{a.counterparty.name}</Link> : <span className="muted">—</span>}</td>
                <td className="mono">{a.currency}</td>
                <AmountCell amount={a.balance} />
              </tr>
            ))}
          </DataTable>
        )}
        <Pagination page={view.page} pageSize={view.pageSize} total={view.total} label={t("ledger.pagination")} />
      </Card>
    </div>
  );
}

// ---------------------------------------------------------------------------------------------
// Journals

function EntriesList({ journal }: { journal: JournalRowView }) {
  const { t } = useI18n();
  const formatMoney = useMoneyFormat();
  const accountName = useAccountName();
  return (
    <ul className="plain-list">
      {journal.entries.map((e, index) => {
        const debit = !e.amount.amountMinor.startsWith("-");
        const amount = { ...e.amount, amountMinor: debit ? e.amount.amountMinor : e.amount.amountMinor.slice(1) };
        return (
          <li key={index}>
            {t(debit ? "journal.entries.debitLine" : "journal.entries.creditLine", { account: accountName(e.account), amount: formatMoney(amount) })}
          </li>
        );
      })}
    </ul>
  );
}

export function JournalsPage({ view, filters, filterErrors }: { view: JournalsListView } & ListFilterState) {
  const { t, tPlural, formatDateTime } = useI18n();
  const kindLabel = useJournalKindLabel();
  const hrefFor = useQueryHref();
  const formatMoney = useMoneyFormat();
  const orderId = filters.orderId && !filterErrors.orderId ? filters.orderId : null;
  const payoutId = filters.payoutId && !filterErrors.payoutId ? filters.payoutId : null;
  const orderRef = orderId ? (view.items.find((j) => j.order?.id === orderId)?.order?.reference ?? orderId) : null;
  const payoutRef = payoutId ? (view.items.find((j) => j.payout?.id === payoutId)?.payout?.reference ?? payoutId) : null;
  const filtered = Boolean(orderId || payoutId || filters.kind);
  // A journal's amount: what moved, the sum of its debits.
  const moved = (j: JournalRowView): MoneyAmountView => ({ currency: j.currency, amountMinor: j.entries.reduce((sum, e) => (BigInt(e.amount.amountMinor) > 0n ? sum + BigInt(e.amount.amountMinor) : sum), 0n).toString() });
  return (
    <div className="stack">
      <PageHeader title={t("journals.title")} description={t("journals.intro")} />
      <LedgerTabs current="/ledger/journals" />
      <FilterPanel
        labels={{ form: t("journals.filter.label"), ignored: t("money.filter.ignored"), apply: t("money.filter.apply"), clear: t("money.filter.clear") }}
        clearTo="/ledger/journals"
        filterErrors={filterErrors}
      >
        <SelectField
          name="kind"
          label={t("journals.filter.kind")}
          defaultValue={filters.kind ?? ""}
          errors={filterErrors.kind}
          options={[{ value: "", label: t("money.filter.any") }, ...JOURNAL_KIND_VALUES.map((k) => ({ value: k, label: kindLabel(k) }))]}
        />
        {orderId ? <input type="hidden" name="orderId" value={orderId} /> : null}
        {payoutId ? <input type="hidden" name="payoutId" value={payoutId} /> : null}
      </FilterPanel>
      {orderId || payoutId ? (
        <p className="active-filters">
          {orderId ? (
            <>
              {t("journals.filter.orderActive", { reference: orderRef ?? orderId })}{" "}
              <Link to={`/ledger/orders/${encodeURIComponent(orderId)}`}>{t("journals.orderMoney")}</Link>{" "}
              <Link to={hrefFor({ orderId: null, page: null })} className={buttonClass("ghost", "button--compact")}>
                {t("money.filter.remove")}
              </Link>
            </>
          ) : null}
          {payoutId ? (
            <>
              {t("journals.filter.payoutActive", { reference: payoutRef ?? payoutId })}{" "}
              <Link to={hrefFor({ payoutId: null, page: null })} className={buttonClass("ghost", "button--compact")}>
                {t("money.filter.remove")}
              </Link>
            </>
          ) : null}
        </p>
      ) : null}
      <Card>
        <p className="table-summary">{tPlural("journals.count", view.total)}</p>
        {view.items.length === 0 ? (
          <p className="empty-state">{t(filtered ? "journals.emptyFiltered" : "journals.empty")}</p>
        ) : (
          <DataTable
            caption={t("journals.table.caption")}
            columns={[t("journals.table.number"), t("journals.table.kind"), t("journals.table.posted"), t("journals.table.for"), t("journals.table.amount"), t("journals.table.entries")]}
          >
            {view.items.map((j) => (
              <tr key={j.id} id={`journal-${j.number}`}>
                <th scope="row" className="mono">
                  <Link to={`/ledger/journals/${j.id}`}>{journalReference(j.number)}</Link>
                  <span className="cell-sub mono">{j.idempotencyKey}</span>
                </th>
                <td>{kindLabel(j.kind)}</td>
                <td className="cell-nowrap">
                  <time dateTime={j.postedAt}>{formatDateTime(j.postedAt)}</time>
                </td>
                <td>
                  {j.order ? (
                    <Link to={`/ledger/orders/${j.order.id}`} className="mono">
                      {j.order.reference}
                    </Link>
                  ) : null}
                  {j.order && j.payout ? " · " : null}
                  {j.payout ? (
                    <Link to={`/payouts/${j.payout.id}`} className="mono">
                      {j.payout.reference}
                    </Link>
                  ) : null}
                </td>
                <td className="cell-nowrap cell-amount">{formatMoney(moved(j))}</td>
                <td>
                  <EntriesList journal={j} />
                </td>
              </tr>
            ))}
          </DataTable>
        )}
        <Pagination page={view.page} pageSize={view.pageSize} total={view.total} label={t("journals.pagination")} />
      </Card>
    </div>
  );
}

// ---------------------------------------------------------------------------------------------
// One journal

/** An entry's amount split into its debit and credit columns (positive amounts). */
function debitCredit(amount: MoneyAmountView): { debit: MoneyAmountView | null; credit: MoneyAmountView | null } {
  const minor = BigInt(amount.amountMinor);
  return minor >= 0n ? { debit: amount, credit: null } : { debit: null, credit: { ...amount, amountMinor: (-minor).toString() } };
}

export function JournalPage({ journal }: { journal: JournalDetailView }) {
  const { t, formatDateTime } = useI18n();
  const kindLabel = useJournalKindLabel();
  const accountName = useAccountName();
  const sum = (side: "debit" | "credit"): MoneyAmountView => ({
    currency: journal.currency,
    amountMinor: journal.entries.reduce((total, e) => total + BigInt(debitCredit(e.amount)[side]?.amountMinor ?? "0"), 0n).toString(),
  });
  return (
    <div className="stack">
      <SellerBackLink to="/ledger/journals">{t("journal.back")}</SellerBackLink>
      <PageHeader title={t("journal.title", { reference: journalReference(journal.number) })} description={journal.memo || undefined} actions={<Badge tone="neutral">{kindLabel(journal.kind)}</Badge>} />
      <Card>
        <dl className="details">
          <dt>{t("journals.table.posted")}</dt>
          <dd>
            <time dateTime={journal.postedAt}>{formatDateTime(journal.postedAt)}</time>
          </dd>
          <dt>{t("journal.idempotencyKey")}</dt>
          <dd className="mono">{journal.idempotencyKey}</dd>
          {journal.order ? (
            <>
              <dt>{t("journal.order")}</dt>
              <dd>
                <Link to={`/ledger/orders/${journal.order.id}`} className="mono">
                  {journal.order.reference}
                </Link>{" "}
                · <Link to={`/ledger/journals?orderId=${encodeURIComponent(journal.order.id)}`}>{t("journal.orderJournals")}</Link>
              </dd>
            </>
          ) : null}
          {journal.payout ? (
            <>
              <dt>{t("journal.payout")}</dt>
              <dd>
                <Link to={`/payouts/${journal.payout.id}`} className="mono">
                  {journal.payout.reference}
                </Link>
              </dd>
            </>
          ) : null}
        </dl>
      </Card>
      <Card title={t("journal.entries.title")}>
        <DataTable caption={t("journal.entries.caption", { reference: journalReference(journal.number) })} columns={[t("journal.entries.account"), t("journal.entries.debit"), t("journal.entries.credit")]}>
          {journal.entries.map((e, index) => {
            const { debit, credit } = debitCredit(e.amount);
            return (
              <tr key={index}>
                <th scope="row">{accountName(e.account)}</th>
                <AmountCell amount={debit} />
                <AmountCell amount={credit} />
              </tr>
            );
          })}
          <tr className="row--total">
            <th scope="row">{t("journal.entries.total")}</th>
            <AmountCell amount={sum("debit")} strong />
            <AmountCell amount={sum("credit")} strong />
          </tr>
        </DataTable>
      </Card>
      {journal.rule ? <FrozenRuleCard rule={journal.rule} /> : null}
    </div>
  );
}

// ---------------------------------------------------------------------------------------------
// One order's money (operator)

export function OrderMoneyPage({ money }: { money: OrderMoneyPageView }) {
  const { t, formatDateTime } = useI18n();
  const formatMoney = useMoneyFormat();
  return (
    <div className="stack">
      <SellerBackLink to="/ledger/journals">{t("journal.back")}</SellerBackLink>
      <PageHeader
        title={t("orderMoney.title", { reference: money.reference })}
        actions={
          <Link to={`/ledger/journals?orderId=${encodeURIComponent(money.orderId)}`} className={buttonClass("secondary")}>
            {t("orderMoney.journals")}
          </Link>
        }
      />
      {money.frozen ? <Alert tone="warning">{t("orderMoney.frozen")}</Alert> : null}
      {!money.settled ? <Alert tone="info">{t("orderMoney.notSettled")}</Alert> : null}
      <Card>
        <dl className="details">
          <dt>{t("journal.settlement.gross")}</dt>
          <dd>{formatMoney(money.gross)}</dd>
          {money.settledAt ? (
            <>
              <dt>{t("orderMoney.settledAt")}</dt>
              <dd>
                <time dateTime={money.settledAt}>{formatDateTime(money.settledAt)}</time>
              </dd>
            </>
          ) : null}
          <dt>{t("journal.settlement.commission")}</dt>
          <dd>{money.commission ? formatMoney(money.commission) : "—"}</dd>
          <dt>{t("journal.settlement.net")}</dt>
          <dd>{money.net ? formatMoney(money.net) : "—"}</dd>
          <dt>{t("journal.settlement.refunded")}</dt>
          <dd>{formatMoney(money.refunded)}</dd>
          <dt>{t("journal.payout")}</dt>
          <dd>
            {money.payout ? (
              <>
                <Link to={`/payouts/${money.payout.id}`} className="mono">
                  {money.payout.reference}
                </Link>{" "}
                <PayoutStatusBadge status={money.payout.status} />
              </>
            ) : (
              "—"
            )}
          </dd>
        </dl>
      </Card>
      {money.rule ? <FrozenRuleCard rule={money.rule} /> : null}
      {money.refunds.length > 0 ? (
        <Card title={t("orderMoney.refunds.title")}>
          <DataTable
            caption={t("orderMoney.refunds.title")}
            columns={[t("orderMoney.refunds.date"), t("orderMoney.refunds.amount"), t("orderMoney.refunds.commission"), t("orderMoney.refunds.net")]}
          >
            {money.refunds.map((r) => (
              <tr key={r.id}>
                <th scope="row" className="cell-nowrap">
                  <time dateTime={r.createdAt}>{formatDateTime(r.createdAt)}</time>
                </th>
                <AmountCell amount={r.amount} />
                <AmountCell amount={r.commission} />
                <AmountCell amount={r.net} />
              </tr>
            ))}
          </DataTable>
        </Card>
      ) : null}
    </div>
  );
}
