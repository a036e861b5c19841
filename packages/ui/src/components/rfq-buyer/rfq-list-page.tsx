import { Link } from "@remix-run/react";
import { useI18n } from "../../i18n/context";
import { FilterPanel, type ListFilterState } from "../filters";
import { buttonClass, TextField } from "../form";
import { Card, PageHeader } from "../layout";
import { Pagination, useQueryHref } from "../pagination";
import { DataTable } from "../table";
import { RfqSealingBadge, RfqStatusBadge, useDeadlineText } from "./common";
import type { BuyerRfqListView } from "./views";

const STATUSES = ["draft", "open", "closed", "final_round", "awarded", "cancelled"] as const;

function StatusTabs({ counts, current }: { counts: Readonly<Record<string, number>>; current: string }) {
  const { t } = useI18n();
  const hrefFor = useQueryHref();
  const all = Object.values(counts).reduce((a, b) => a + b, 0);
  const tabs = [{ status: "", label: t("rfqBuyer.list.tabs.all"), count: all }, ...STATUSES.map((s) => ({ status: s, label: t(`rfq.status.${s}`), count: counts[s] ?? 0 }))];
  return (
    <nav className="tabs" aria-label={t("rfqBuyer.list.tabs.label")}>
      <ul>
        {tabs.map((tab) => (
          <li key={tab.status || "all"}>
            <Link to={hrefFor({ status: tab.status || null, page: null })} className={`tab${tab.status === current ? " tab--active" : ""}`} aria-current={tab.status === current ? "page" : undefined}>
              {tab.label} <span className="tab-count">{tab.count}</span>
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/** The buyer's RFQs: status tabs, a text filter (title or reference), pages, and the way to a new one. */
export function BuyerRfqListPage({ rfqs, filters, filterErrors, canCreate }: { rfqs: BuyerRfqListView; canCreate: boolean } & ListFilterState) {
  const { t, locale, formatDate } = useI18n();
  const deadlineText = useDeadlineText();
  const status = filters.status ?? "";
  const none = Object.values(rfqs.counts).every((n) => n === 0);
  const newButton = canCreate ? (
    <Link to="/rfqs/new" className={buttonClass("primary")}>
      {t("rfqBuyer.list.new")}
    </Link>
  ) : null;
  return (
    <div className="stack">
      <PageHeader title={t("rfqBuyer.list.title")} description={t("rfqBuyer.list.intro")} actions={newButton} />
      <StatusTabs counts={rfqs.counts} current={status} />
      <FilterPanel
        labels={{ form: t("rfqBuyer.list.filter.label"), ignored: t("rfqBuyer.list.filter.ignored"), apply: t("rfqBuyer.list.filter.apply"), clear: t("rfqBuyer.list.filter.clear") }}
        clearTo={status ? `?status=${encodeURIComponent(status)}` : "."}
        filterErrors={filterErrors}
      >
        {status ? <input type="hidden" name="status" value={status} /> : null}
        <TextField name="q" label={t("rfqBuyer.list.filter.q")} hint={t("rfqBuyer.list.filter.qHint")} defaultValue={filters.q ?? ""} maxLength={200} errors={filterErrors.q} />
      </FilterPanel>
      <Card>
        {rfqs.items.length === 0 ? (
          <div className="empty-state">
            <p>{none ? t("rfqBuyer.list.empty") : t("rfqBuyer.list.emptyFiltered")}</p>
            {none && newButton ? <p className="button-row">{newButton}</p> : null}
          </div>
        ) : (
          <DataTable
            caption={t("rfqBuyer.list.caption")}
            columns={[t("rfqBuyer.list.col.rfq"), t("rfqBuyer.list.col.category"), t("rfqBuyer.list.col.deadline"), t("rfqBuyer.list.col.lines"), t("rfqBuyer.list.col.offers"), t("rfqBuyer.list.col.status"), t("rfqBuyer.list.col.created")]}
          >
            {rfqs.items.map((item) => (
              <tr key={item.id}>
                <th scope="row" className="cell-name">
                  <Link to={`/rfqs/${item.id}`}>{item.title}</Link>
                  <span className="cell-sub mono">{item.reference}</span>
                </th>
                <td>{locale === "fr" ? item.categoryName.fr : item.categoryName.en}</td>
                <td className="cell-nowrap">{deadlineText(item.deadline ? new Date(item.deadline).toISOString() : null)}</td>
                <td>{item.lineCount}</td>
                <td>{item.status === "draft" ? <span className="muted">—</span> : item.offerCount}</td>
                <td>
                  <RfqStatusBadge status={item.status} /> <RfqSealingBadge sealing={item.sealing} />
                </td>
                <td className="cell-nowrap">{formatDate(item.createdAt)}</td>
              </tr>
            ))}
          </DataTable>
        )}
        <Pagination page={rfqs.page} pageSize={rfqs.pageSize} total={rfqs.total} label={t("rfqBuyer.list.pagination")} />
      </Card>
    </div>
  );
}
