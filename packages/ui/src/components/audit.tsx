import { Link, useLocation } from "@remix-run/react";
import { useI18n } from "../i18n/context";
import { isMessageKey } from "../i18n/i18n";
import type { DateLike } from "../types";
import { Badge } from "./alert";
import { DateField, FilterPanel, type ListFilterState } from "./filters";
import { buttonClass, SelectField, TextField } from "./form";
import { Card, PageHeader } from "./layout";
import { Pagination, useQueryHref } from "./pagination";
import { DataTable } from "./table";

/** The operators' audit log: filters, one page of entries, and the CSV export of the same filters. Client-safe. */

export interface AuditOrganizationView {
  id: string;
  name: string;
  kind: string;
}

export interface AuditEntryView {
  id: string;
  occurredAt: DateLike;
  action: string;
  actor: { userId: string; name: string; email: string } | null;
  actorOrganization: AuditOrganizationView | null;
  organization: AuditOrganizationView | null;
  targetType: string | null;
  targetId: string | null;
  ip: string | null;
  reason: string | null;
  data: Readonly<Record<string, unknown>>;
}

export interface AuditLogView {
  items: readonly AuditEntryView[];
  page: number;
  pageSize: number;
  total: number;
  /** The organisation the `organizationId` filter names. */
  organization: AuditOrganizationView | null;
  actionFilters: readonly string[];
}

/** "seller.approved" → "Seller approved"; "seller.*" → "All seller actions"; the code where no label exists. */
export function useAuditActionLabel(): (action: string) => string {
  const { t } = useI18n();
  return (action) => {
    const key = action.endsWith(".*") ? `audit.group.${action.slice(0, -2)}` : `audit.action.${action}`;
    return isMessageKey(key) ? t(key) : action;
  };
}

const ACTION_TONE: Record<string, "success" | "warning" | "danger" | "info" | "neutral"> = {
  "seller.approved": "success",
  "seller.reinstated": "success",
  "seller.rejected": "danger",
  "seller.suspended": "danger",
  "seller.info_requested": "warning",
  "auth.sign_in_failed": "warning",
  "member.removed": "warning",
};

function AuditFilters({ view, filters, filterErrors }: { view: AuditLogView } & ListFilterState) {
  const { t } = useI18n();
  const actionLabel = useAuditActionLabel();
  const hrefFor = useQueryHref();
  const groups = view.actionFilters.filter((a) => a.endsWith(".*"));
  const actions = view.actionFilters.filter((a) => !a.endsWith(".*"));
  return (
    <FilterPanel
      labels={{ form: t("audit.filter.label"), ignored: t("audit.filter.ignored"), apply: t("audit.filter.apply"), clear: t("audit.filter.clear") }}
      className="filter-form--audit"
      clearTo="."
      filterErrors={filterErrors}
    >
      <TextField
        name="actor"
        label={t("audit.filter.actor")}
        hint={t("audit.filter.actorHint")}
        defaultValue={filters.actor ?? ""}
        errors={filterErrors.actor}
        autoComplete="off"
      />
      <SelectField
        name="action"
        label={t("audit.filter.action")}
        options={[
          { value: "", label: t("audit.filter.anyAction") },
          ...groups.map((a) => ({ value: a, label: actionLabel(a) })),
          ...actions.map((a) => ({ value: a, label: `\u2003${actionLabel(a)}` })),
        ]}
        defaultValue={filters.action ?? ""}
        errors={filterErrors.action}
      />
      <DateField name="from" label={t("audit.filter.from")} value={filters.from} errors={filterErrors.from} />
      <DateField name="to" label={t("audit.filter.to")} value={filters.to} errors={filterErrors.to} />
      {filters.organizationId && !filterErrors.organizationId ? (
        <div className="field">
          <span className="field-label">{t("audit.filter.organization")}</span>
          <input type="hidden" name="organizationId" value={filters.organizationId} />
          <span className="chip">
            {view.organization ? view.organization.name : filters.organizationId}
            <Link to={hrefFor({ organizationId: null, page: null })} className="chip-remove" aria-label={t("audit.filter.removeOrganization")}>
              ×
            </Link>
          </span>
        </div>
      ) : null}
    </FilterPanel>
  );
}

function OrganizationLink({ organization }: { organization: AuditOrganizationView }) {
  const { t } = useI18n();
  const hrefFor = useQueryHref();
  return (
    <span className="org-ref">
      <Link to={hrefFor({ organizationId: organization.id, page: null })} title={t("audit.filterByOrganization", { name: organization.name })}>
        {organization.name}
      </Link>
      <span className="cell-sub">
        {tKind(t, organization.kind)}
        {organization.kind === "seller" ? (
          <>
            {" · "}
            <Link to={`/sellers/${organization.id}`}>{t("audit.openSeller")}</Link>
          </>
        ) : null}
      </span>
    </span>
  );
}

function tKind(t: ReturnType<typeof useI18n>["t"], kind: string): string {
  const key = `audit.kind.${kind}`;
  return isMessageKey(key) ? t(key) : kind;
}

/** What a row says beyond its columns: the reason first, then the data it recorded. */
function Details({ entry }: { entry: AuditEntryView }) {
  const { t } = useI18n();
  const data = Object.entries(entry.data);
  return (
    <>
      {entry.reason ? <p className="audit-reason prewrap">{entry.reason}</p> : null}
      {data.length > 0 ? (
        <details className="audit-data">
          <summary>{t("audit.table.data")}</summary>
          <dl>
            {data.map(([key, value]) => (
              <div key={key}>
                <dt>{key}</dt>
                <dd>{typeof value === "string" ? value : JSON.stringify(value)}</dd>
              </div>
            ))}
          </dl>
        </details>
      ) : null}
      {!entry.reason && data.length === 0 ? <span className="muted">—</span> : null}
    </>
  );
}

export function AuditLogPage({ view, filters, filterErrors, exportLimit }: { view: AuditLogView; exportLimit: number } & ListFilterState) {
  const { t, tPlural, formatDateTime } = useI18n();
  const actionLabel = useAuditActionLabel();
  const location = useLocation();
  const exportQuery = new URLSearchParams(location.search);
  exportQuery.delete("page");
  const exportable = Object.keys(filterErrors).length === 0 && view.total > 0 && view.total <= exportLimit;
  return (
    <div className="stack">
      <PageHeader
        title={t("audit.title")}
        description={t("audit.intro")}
        actions={
          exportable ? (
            <a href={`/audit.csv${exportQuery.size > 0 ? `?${exportQuery.toString()}` : ""}`} className={buttonClass("secondary")} download>
              {t("audit.export")}
            </a>
          ) : null
        }
      />
      <AuditFilters view={view} filters={filters} filterErrors={filterErrors} />
      <Card>
        <p className="table-summary">
          {tPlural("audit.count", view.total)}
          {view.total > exportLimit ? <span className="muted"> {t("audit.exportTooLarge", { limit: exportLimit })}</span> : null}
        </p>
        {view.items.length === 0 ? (
          <p className="empty-state">{t("audit.empty")}</p>
        ) : (
          <DataTable
            caption={t("audit.table.caption")}
            columns={[t("audit.table.when"), t("audit.table.action"), t("audit.table.actor"), t("audit.table.organization"), t("audit.table.address"), t("audit.table.details")]}
            className="table--audit"
          >
            {view.items.map((entry) => (
              <tr key={entry.id}>
                <td className="cell-when">
                  <time dateTime={new Date(entry.occurredAt).toISOString()}>{formatDateTime(entry.occurredAt)}</time>
                </td>
                <th scope="row">
                  <Badge tone={ACTION_TONE[entry.action] ?? "neutral"}>{actionLabel(entry.action)}</Badge>
                  <span className="cell-sub mono">{entry.action}</span>
                </th>
                <td>
                  {entry.actor ? (
                    <span className="actor-ref">
                      <span className="cell-name">{entry.actor.name}</span>
                      <span className="cell-sub">{entry.actor.email}</span>
                      {entry.actorOrganization && entry.actorOrganization.id !== entry.organization?.id ? (
                        <span className="cell-sub">{t("audit.asOrganization", { name: entry.actorOrganization.name })}</span>
                      ) : null}
                    </span>
                  ) : (
                    <span className="muted">{t("audit.anonymous")}</span>
                  )}
                </td>
                <td>{entry.organization ? <OrganizationLink organization={entry.organization} /> : <span className="muted">—</span>}</td>
                <td className="mono cell-nowrap">{entry.ip ?? <span className="muted">—</span>}</td>
                <td className="cell-details">
                  <Details entry={entry} />
                </td>
              </tr>
            ))}
          </DataTable>
        )}
        <Pagination page={view.page} pageSize={view.pageSize} total={view.total} label={t("audit.pagination")} />
      </Card>
    </div>
  );
}
