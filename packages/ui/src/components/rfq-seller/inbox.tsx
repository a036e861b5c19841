import { Link } from "@remix-run/react";
import { useId } from "react";
import { useI18n } from "../../i18n/context";
import { isMessageKey } from "../../i18n/i18n";
import { Alert, Badge } from "../alert";
import { FilterPanel, type ListFilterState } from "../filters";
import { TextField } from "../form";
import { Card, PageHeader } from "../layout";
import { Countdown } from "../live";
import { Pagination } from "../pagination";
import { categoryName, type CategoryOption } from "../seller-data";
import { DataTable } from "../table";
import type { SellerRfqInboxView } from "./types";

/** The "closing soon" filter's horizon, as the service applies it (RFQ_CLOSING_SOON_HOURS). */
export const SELLER_RFQ_CLOSING_SOON_HOURS = 48;

function Checkbox({ name, label, checked }: { name: string; label: string; checked: boolean }) {
  const id = `${useId()}-${name}`;
  return (
    <div className="field field--checkbox">
      <label htmlFor={id} className="checkbox">
        <input id={id} type="checkbox" name={name} value="1" defaultChecked={checked} /> {label}
      </label>
    </div>
  );
}

function Select({ name, label, value, options, errors }: { name: string; label: string; value: string; options: readonly { value: string; label: string }[]; errors?: readonly string[] | undefined }) {
  const id = `${useId()}-${name}`;
  const invalid = Boolean(errors && errors.length > 0);
  return (
    <div className={`field${invalid ? " field--invalid" : ""}`}>
      <label htmlFor={id} className="field-label">
        {label}
      </label>
      <select id={id} name={name} defaultValue={value} className="input select" aria-invalid={invalid || undefined} aria-describedby={invalid ? `${id}-error` : undefined}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      {invalid ? (
        <p className="field-error" id={`${id}-error`}>
          {errors?.join(" ")}
        </p>
      ) : null}
    </div>
  );
}

/**
 * The seller's inbox of open RFQs: filters in a GET form (each view has its own URL and works
 * without JavaScript), newest or closing-soonest first, pages, and on each row whether the seller
 * has offered and the time left.
 */
export function SellerRfqInboxPage({ inbox, categories, filters, filterErrors }: { inbox: SellerRfqInboxView; categories: readonly CategoryOption[] } & ListFilterState) {
  const { t, tKey, locale, formatDateTime } = useI18n();
  const filtered = ["q", "categoryId", "invited", "closingSoon"].some((f) => (filters[f] ?? "") !== "");
  return (
    <div className="stack">
      <PageHeader title={t("rfqInbox.title")} description={t("rfqInbox.intro")} />
      {inbox.sellerActive ? null : <Alert tone="warning">{t("rfqInbox.notActive")}</Alert>}
      <FilterPanel
        labels={{ form: t("rfqInbox.filter.label"), ignored: t("rfqInbox.filter.ignored"), apply: t("rfqInbox.filter.apply"), clear: t("rfqInbox.filter.clear") }}
        clearTo="."
        filterErrors={filterErrors}
        className="rfq-seller-filters"
      >
        <TextField name="q" label={t("rfqInbox.filter.q")} hint={t("rfqInbox.filter.qHint")} defaultValue={filters.q ?? ""} maxLength={100} errors={filterErrors.q} />
        <Select
          name="categoryId"
          label={t("rfqInbox.filter.category")}
          value={filters.categoryId ?? ""}
          errors={filterErrors.categoryId}
          options={[
            { value: "", label: t("rfqInbox.filter.anyCategory") },
            ...categories.map((c) => ({ value: c.id, label: c.parentId ? `— ${categoryName(locale, c)}` : categoryName(locale, c) })),
          ]}
        />
        <Select
          name="sort"
          label={t("rfqInbox.filter.sort")}
          value={inbox.sort}
          errors={filterErrors.sort}
          options={[
            { value: "newest", label: t("rfqInbox.sort.newest") },
            { value: "closing", label: t("rfqInbox.sort.closing") },
          ]}
        />
        <Checkbox name="invited" label={t("rfqInbox.filter.invited")} checked={Boolean(filters.invited)} />
        <Checkbox name="closingSoon" label={t("rfqInbox.filter.closingSoon", { hours: SELLER_RFQ_CLOSING_SOON_HOURS })} checked={Boolean(filters.closingSoon)} />
      </FilterPanel>
      <Card>
        {inbox.items.length === 0 ? (
          <p className="empty-state">{inbox.sellerActive ? (filtered ? t("rfqInbox.emptyFiltered") : t("rfqInbox.empty")) : t("rfqInbox.notActive")}</p>
        ) : (
          <DataTable
            caption={t("rfqInbox.table.caption")}
            columns={[t("rfqInbox.table.request"), t("rfqInbox.table.buyer"), t("rfqInbox.table.category"), t("rfqInbox.table.lines"), t("rfqInbox.table.deadline"), t("rfqInbox.table.offer")]}
          >
            {inbox.items.map((row) => {
              const statusKey = row.myOffer ? `offer.status.${row.myOffer.status}` : null;
              return (
                <tr key={row.id}>
                  <th scope="row" className="cell-name">
                    <Link to={`/rfqs/${row.id}`}>{row.title}</Link>
                    <span className="cell-sub">
                      {row.reference} · {tKey(`rfq.sealing.${row.sealing}`)}
                      {row.invited ? (
                        <>
                          {" "}
                          <Badge tone="info">{t("rfqInbox.invited")}</Badge>
                        </>
                      ) : null}
                      {row.finalRound ? (
                        <>
                          {" "}
                          <Badge tone="warning">{t("rfqInbox.finalRound")}</Badge>
                        </>
                      ) : null}
                    </span>
                  </th>
                  <td>{row.buyerName}</td>
                  <td>{categoryName(locale, row.category)}</td>
                  <td>{row.lineCount}</td>
                  <td className="cell-nowrap">
                    {formatDateTime(row.deadline)}
                    <span className="cell-sub">
                      <Countdown deadline={row.deadline} serverNow={inbox.serverNow} />
                    </span>
                  </td>
                  <td>
                    {row.myOffer && statusKey ? (
                      <Badge tone={row.myOffer.status === "withdrawn" ? "neutral" : "success"}>
                        {isMessageKey(statusKey) ? t("rfqInbox.offeredStatus", { status: t(statusKey) }) : t("rfqInbox.offered")}
                      </Badge>
                    ) : (
                      <span className="muted">{t("rfqInbox.notOffered")}</span>
                    )}
                  </td>
                </tr>
              );
            })}
          </DataTable>
        )}
        <Pagination page={inbox.page} pageSize={inbox.pageSize} total={inbox.total} label={t("rfqInbox.pagination")} />
      </Card>
    </div>
  );
}
