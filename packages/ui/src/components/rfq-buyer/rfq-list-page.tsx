import { Link } from "@remix-run/react";
import { useI18n } from "../../i18n/context";
import type { ListFilterState } from "../filters";
import { buttonClass, TextField } from "../form";
import { Card, PageHeader } from "../layout";
import { Pagination } from "../pagination";
import { RfqFilterPanel, RfqStatusTabs, RfqTitleCell } from "../rfq-common/rfq-sections";
import { DataTable } from "../table";
import { RfqSealingBadge, RfqStatusBadge, useDeadlineText } from "./common";
import type { BuyerRfqListView } from "./views";

const STATUSES = ["draft", "open", "closed", "final_round", "awarded", "cancelled"] as const;

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
      <RfqStatusTabs statuses={STATUSES} counts={rfqs.counts} current={status} label={t("rfqBuyer.list.tabs.label")} allLabel={t("rfqBuyer.list.tabs.all")} />
      <RfqFilterPanel label={t("rfqBuyer.list.filter.label")} status={status} filterErrors={filterErrors}>
        <TextField name="q" label={t("rfqBuyer.list.filter.q")} hint={t("rfqBuyer.list.filter.qHint")} defaultValue={filters.q ?? ""} maxLength={200} errors={filterErrors.q} />
      </RfqFilterPanel>
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
                <RfqTitleCell rfq={item} />
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
