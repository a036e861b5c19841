import { Form, Link } from "@remix-run/react";
import { useMemo, type ReactNode } from "react";
import { useI18n } from "../i18n/context";
import { isMessageKey, type MessageKey } from "../i18n/i18n";
import type { DateLike, FormFailure } from "../types";
import { Alert, Badge } from "./alert";
import { DateField, FilterPanel, type ListFilterState } from "./filters";
import { buttonClass, errorsOf, SelectField, SubmitButton, TextAreaField, useFailureKey, valueOf } from "./form";
import { Card, PageHeader } from "./layout";
import { useRoleLabel } from "./members";
import { Pagination, useQueryHref } from "./pagination";
import { addressLines, categoryName, type CategoryOption, type CategoryView, type SellerApplicationFields, type SellerDocumentRow, type SellerHistoryRow } from "./seller-data";
import { DataTable } from "./table";

/**
 * The operator's review of sellers: the queue of applications and the page of one seller with its
 * decisions. Client-safe: the shapes below are what the services return, as the loaders pass them.
 */

export const SELLER_STATUS_ORDER = ["pending", "info_requested", "active", "suspended", "rejected"] as const;
const DECISION_ORDER = ["approve", "request_info", "reject", "suspend", "reinstate"] as const;
type Decision = (typeof DECISION_ORDER)[number];

export interface ReviewQueueItemView extends Pick<SellerApplicationFields, "legalName" | "tradingName" | "country" | "submittedAt"> {
  organizationId: string;
  name: string;
  status: string;
  categories: readonly CategoryView[];
}

export interface ReviewQueueView {
  items: readonly ReviewQueueItemView[];
  page: number;
  pageSize: number;
  total: number;
  counts: Readonly<Record<string, number>>;
  facets: { countries: readonly string[]; categories: readonly CategoryOption[] };
}

export interface SellerReviewView {
  organization: { id: string; name: string; status: string; createdAt: DateLike };
  application: (Omit<SellerApplicationFields, "categoryIds"> & { updatedAt: DateLike }) | null;
  categories: readonly CategoryView[];
  documents: readonly (SellerDocumentRow & { uploadedByName: string | null })[];
  history: readonly (SellerHistoryRow & { id: string; actor: { name: string; email: string; side: string | null } | null })[];
  members: readonly { userId: string; name: string; email: string; role: string }[];
  openQuestion: string | null;
  availableDecisions: readonly string[];
}

// ---------------------------------------------------------------------------------------------
// Small pieces

const STATUS_TONE: Record<string, "success" | "warning" | "danger" | "info" | "neutral"> = {
  pending: "warning",
  info_requested: "info",
  active: "success",
  suspended: "danger",
  rejected: "neutral",
};

export function SellerStatusBadge({ status }: { status: string }) {
  const { t } = useI18n();
  const key = `orgStatus.${status}`;
  return <Badge tone={STATUS_TONE[status] ?? "neutral"}>{isMessageKey(key) ? t(key) : status}</Badge>;
}

/** Country names in the page's language ("FR" → "France"); the code itself where the runtime has no name. */
export function useCountryName(): (code: string) => string {
  const { locale } = useI18n();
  const names = useMemo(() => {
    try {
      return new Intl.DisplayNames([locale], { type: "region" });
    } catch {
      return null;
    }
  }, [locale]);
  return (code) => {
    if (!code) return "";
    try {
      return names?.of(code) ?? code;
    } catch {
      return code;
    }
  };
}

function useFileSize(): (bytes: number) => string {
  const { t, locale } = useI18n();
  return (bytes) => {
    const format = (n: number) => new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(n);
    if (bytes < 1024 * 1024) return t("review.size.kb", { size: format(Math.max(0.1, bytes / 1024)) });
    return t("review.size.mb", { size: format(bytes / (1024 * 1024)) });
  };
}

function tOr(t: (key: MessageKey, params?: Record<string, string | number>) => string, key: string, fallback: string): string {
  return isMessageKey(key) ? t(key) : fallback;
}

// ---------------------------------------------------------------------------------------------
// The queue

function StatusTabs({ counts, current }: { counts: Readonly<Record<string, number>>; current: string }) {
  const { t } = useI18n();
  const hrefFor = useQueryHref();
  const all = Object.values(counts).reduce((a, b) => a + b, 0);
  const tabs = [{ status: "", label: t("review.tabs.all"), count: all }, ...SELLER_STATUS_ORDER.map((s) => ({ status: s, label: t(`orgStatus.${s}`), count: counts[s] ?? 0 }))];
  return (
    <nav className="tabs" aria-label={t("review.tabs.label")}>
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

function QueueFilters({ facets, filters, filterErrors }: { facets: ReviewQueueView["facets"] } & ListFilterState) {
  const { t, locale } = useI18n();
  const countryName = useCountryName();
  const countries = [...facets.countries].sort((a, b) => countryName(a).localeCompare(countryName(b), locale));
  return (
    <FilterPanel
      labels={{ form: t("review.filter.label"), ignored: t("review.filter.ignored"), apply: t("review.filter.apply"), clear: t("review.filter.clear") }}
      clearTo={filters.status ? `?status=${encodeURIComponent(filters.status)}` : "."}
      filterErrors={filterErrors}
    >
      {filters.status ? <input type="hidden" name="status" value={filters.status} /> : null}
      <SelectField
        name="country"
        label={t("review.filter.country")}
        options={[{ value: "", label: t("review.filter.anyCountry") }, ...countries.map((c) => ({ value: c, label: `${countryName(c)} (${c})` }))]}
        defaultValue={filters.country ?? ""}
        errors={filterErrors.country}
      />
      <SelectField
        name="categoryId"
        label={t("review.filter.category")}
        options={[
          { value: "", label: t("review.filter.anyCategory") },
          ...facets.categories.map((c) => ({ value: c.id, label: `${c.parentId ? "\u2003" : ""}${categoryName(locale, c)}` })),
        ]}
        defaultValue={filters.categoryId ?? ""}
        errors={filterErrors.categoryId}
      />
      <DateField name="submittedFrom" label={t("review.filter.submittedFrom")} value={filters.submittedFrom} errors={filterErrors.submittedFrom} />
      <DateField name="submittedTo" label={t("review.filter.submittedTo")} value={filters.submittedTo} errors={filterErrors.submittedTo} />
    </FilterPanel>
  );
}

function CategoryList({ categories, max = 3 }: { categories: readonly CategoryView[]; max?: number }) {
  const { t, locale } = useI18n();
  if (categories.length === 0) return <span className="muted">—</span>;
  const shown = categories.slice(0, max);
  return (
    <span className="tag-list">
      {shown.map((c) => (
        <span key={c.id} className="tag">
          {categoryName(locale, c)}
        </span>
      ))}
      {categories.length > max ? <span className="muted">{t("review.moreCategories", { count: categories.length - max })}</span> : null}
    </span>
  );
}

export function SellerQueuePage({ queue, filters, filterErrors }: { queue: ReviewQueueView } & ListFilterState) {
  const { t, formatDate } = useI18n();
  const countryName = useCountryName();
  const filtered = Object.entries(filters).some(([name, value]) => name !== "page" && name !== "status" && value !== "");
  return (
    <div className="stack">
      <PageHeader title={t("review.title")} description={t("review.intro")} />
      <StatusTabs counts={queue.counts} current={filters.status ?? ""} />
      <QueueFilters facets={queue.facets} filters={filters} filterErrors={filterErrors} />
      <Card>
        {queue.items.length === 0 ? (
          <p className="empty-state">{filtered ? t("review.emptyFiltered") : t("review.empty")}</p>
        ) : (
          <DataTable
            caption={t("review.table.caption")}
            columns={[t("review.table.seller"), t("review.table.country"), t("review.table.categories"), t("review.table.submitted"), t("review.table.status")]}
          >
            {queue.items.map((item) => (
              <tr key={item.organizationId}>
                <th scope="row" className="cell-name">
                  <Link to={`/sellers/${item.organizationId}`}>{item.tradingName || item.name}</Link>
                  {item.legalName && item.legalName !== (item.tradingName || item.name) ? <span className="cell-sub">{item.legalName}</span> : null}
                </th>
                <td suppressHydrationWarning>{item.country ? countryName(item.country) : <span className="muted">—</span>}</td>
                <td>
                  <CategoryList categories={item.categories} />
                </td>
                <td>{item.submittedAt ? formatDate(item.submittedAt) : <span className="muted">{t("review.notSubmitted")}</span>}</td>
                <td>
                  <SellerStatusBadge status={item.status} />
                </td>
              </tr>
            ))}
          </DataTable>
        )}
        <Pagination page={queue.page} pageSize={queue.pageSize} total={queue.total} label={t("review.pagination")} />
      </Card>
    </div>
  );
}

// ---------------------------------------------------------------------------------------------
// One seller

function Detail({ label, children }: { label: string; children: ReactNode }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>{children || <span className="muted">—</span>}</dd>
    </>
  );
}

function ApplicationDetails({ review }: { review: SellerReviewView }) {
  const { t, formatDateTime } = useI18n();
  const countryName = useCountryName();
  const a = review.application;
  if (!a) return <p className="muted">{t("review.detail.noApplication")}</p>;
  const address = addressLines(a, countryName);
  return (
    <dl className="details">
      <Detail label={t("review.field.legalName")}>{a.legalName}</Detail>
      <Detail label={t("review.field.tradingName")}>{a.tradingName}</Detail>
      <Detail label={t("review.field.country")}>{a.country ? <span suppressHydrationWarning>{`${countryName(a.country)} (${a.country})`}</span> : null}</Detail>
      <Detail label={t("review.field.companyNumber")}>{a.companyNumber ? <span className="mono">{a.companyNumber}</span> : null}</Detail>
      <Detail label={t("review.field.address")}>
        {address.length > 0 ? (
          <address className="address" suppressHydrationWarning>
            {address.map((line, i) => (
              <span key={i}>{line}</span>
            ))}
          </address>
        ) : null}
      </Detail>
      <Detail label={t("review.field.contact")}>
        {a.contactName || a.contactEmail || a.contactPhone ? (
          <span className="contact">
            {a.contactName ? <span>{a.contactName}</span> : null}
            {a.contactEmail ? <a href={`mailto:${a.contactEmail}`}>{a.contactEmail}</a> : null}
            {a.contactPhone ? <a href={`tel:${a.contactPhone.replace(/[^+\d]/g, "")}`}>{a.contactPhone}</a> : null}
          </span>
        ) : null}
      </Detail>
      <Detail label={t("review.field.categories")}>{review.categories.length > 0 ? <CategoryList categories={review.categories} max={50} /> : null}</Detail>
      <Detail label={t("review.field.description")}>{a.description ? <span className="prewrap">{a.description}</span> : null}</Detail>
      <Detail label={t("review.field.submittedAt")}>{a.submittedAt ? formatDateTime(a.submittedAt) : t("review.notSubmitted")}</Detail>
      <Detail label={t("review.field.updatedAt")}>{formatDateTime(a.updatedAt)}</Detail>
    </dl>
  );
}

function Documents({ review }: { review: SellerReviewView }) {
  const { t, formatDate } = useI18n();
  const fileSize = useFileSize();
  if (review.documents.length === 0) return <p className="muted">{t("review.documents.empty")}</p>;
  return (
    <ul className="doc-list">
      {review.documents.map((d) => (
        <li key={d.id} className="doc-item">
          {/* A plain link (reloadDocument): the browser downloads the file instead of the router fetching it. */}
          <Link reloadDocument to={`/sellers/${review.organization.id}/documents/${d.id}`} className="doc-name" aria-label={t("review.documents.download", { name: d.originalName })}>
            {d.originalName}
          </Link>
          <span className="cell-sub">
            {[
              tOr(t, `review.documents.type.${d.contentType.split("/")[1] ?? ""}`, d.contentType),
              fileSize(d.sizeBytes),
              d.uploadedByName ? t("review.documents.uploadedBy", { name: d.uploadedByName, date: formatDate(d.createdAt) }) : formatDate(d.createdAt),
            ].join(" · ")}
          </span>
        </li>
      ))}
    </ul>
  );
}

function History({ history }: { history: SellerReviewView["history"] }) {
  const { t, formatDateTime } = useI18n();
  if (history.length === 0) return <p className="muted">{t("review.history.empty")}</p>;
  return (
    <ol className="timeline">
      {history.map((h) => (
        <li key={h.id} className={`timeline-item timeline-item--${h.move}`}>
          <div className="timeline-head">
            <span className="timeline-move">{tOr(t, `review.move.${h.move}`, h.move)}</span>
            <time className="cell-sub" dateTime={new Date(h.createdAt).toISOString()}>
              {formatDateTime(h.createdAt)}
            </time>
          </div>
          <p className="timeline-who">
            {h.actor
              ? t(h.actor.side === "operator" ? "review.history.byOperator" : "review.history.bySeller", { name: h.actor.name })
              : t("review.history.unknownActor")}
            {" · "}
            <SellerStatusBadge status={h.toStatus} />
          </p>
          {h.message ? <blockquote className="timeline-message prewrap">{h.message}</blockquote> : null}
        </li>
      ))}
    </ol>
  );
}

function Members({ members }: { members: SellerReviewView["members"] }) {
  const { t } = useI18n();
  const roleLabel = useRoleLabel();
  if (members.length === 0) return <p className="muted">{t("review.members.empty")}</p>;
  return (
    <ul className="member-list">
      {members.map((m) => (
        <li key={m.userId}>
          <span className="cell-name">{m.name}</span> <Badge tone={m.role === "owner" ? "info" : "neutral"}>{roleLabel(m.role)}</Badge>
          <a className="cell-sub" href={`mailto:${m.email}`}>
            {m.email}
          </a>
        </li>
      ))}
    </ul>
  );
}

const DECISION_BUTTON: Record<Decision, "primary" | "secondary" | "danger"> = {
  approve: "primary",
  request_info: "secondary",
  reject: "danger",
  suspend: "danger",
  reinstate: "primary",
};
const NEEDS_MESSAGE: Record<Decision, MessageKey | null> = {
  approve: null,
  request_info: "decision.request_info.field",
  reject: "decision.reject.field",
  suspend: "decision.suspend.field",
  reinstate: null,
};

function DecisionForm({ decision, failure }: { decision: Decision; failure: FormFailure | null }) {
  const { t } = useI18n();
  const mine = failure && failure.values.decision === decision ? failure : null;
  const formKey = useFailureKey(mine);
  const field = NEEDS_MESSAGE[decision];
  return (
    <Form key={formKey} method="post" className={`decision-form decision-form--${decision}`} aria-labelledby={`decision-${decision}-title`}>
      <input type="hidden" name="decision" value={decision} />
      <h3 id={`decision-${decision}-title`} className="decision-title">
        {t(`decision.${decision}.title`)}
      </h3>
      <p className="field-hint">{t(`decision.${decision}.help`)}</p>
      {field ? (
        <TextAreaField name="message" label={t(field)} required rows={4} maxLength={2000} defaultValue={valueOf(mine, "message")} errors={errorsOf(mine, "message")} />
      ) : null}
      {mine?.formError ? <p className="field-error">{mine.formError}</p> : null}
      {errorsOf(mine, "decision") ? <p className="field-error">{errorsOf(mine, "decision")?.join(" ")}</p> : null}
      <div>
        <SubmitButton variant={DECISION_BUTTON[decision]} name="intent" value={decision}>
          {t(`decision.${decision}.submit`)}
        </SubmitButton>
      </div>
    </Form>
  );
}

function Decisions({ review, result }: { review: SellerReviewView; result: FormFailure | null }) {
  const { t } = useI18n();
  const decisions = DECISION_ORDER.filter((d) => review.availableDecisions.includes(d));
  // A refusal that no longer matches a form (the status changed meanwhile): shown above them.
  const orphan = result && !decisions.includes(result.values.decision as Decision) ? result : null;
  return (
    <Card title={t("decision.title")} className="decision-card" id="decide">
      {orphan ? <Alert tone="error">{[orphan.formError, ...Object.values(orphan.fieldErrors).flat()].filter(Boolean).join(" ")}</Alert> : null}
      {decisions.length === 0 ? (
        <p className="muted">
          {review.organization.status === "pending" && !review.application?.submittedAt ? t("decision.notSubmitted") : t("decision.none")}
        </p>
      ) : (
        <div className="decision-list">
          {decisions.map((d) => (
            <DecisionForm key={d} decision={d} failure={result} />
          ))}
        </div>
      )}
    </Card>
  );
}

export function SellerReviewPage({ review, result }: { review: SellerReviewView; result: FormFailure | null | undefined }) {
  const { t, formatDate } = useI18n();
  const failure = result ?? null;
  const { organization, application } = review;
  const title = application?.tradingName || organization.name;
  return (
    <div className="stack">
      <p className="back-link">
        <Link to="/sellers">{t("review.back")}</Link>
      </p>
      <PageHeader
        title={
          <>
            {title} <SellerStatusBadge status={organization.status} />
          </>
        }
        description={
          application?.submittedAt
            ? t("review.detail.submitted", { legalName: application.legalName || organization.name, date: formatDate(application.submittedAt) })
            : t("review.detail.signedUp", { name: organization.name, date: formatDate(organization.createdAt) })
        }
        actions={
          <Link to={`/audit?organizationId=${organization.id}`} className={buttonClass("secondary", "button--compact")}>
            {t("review.detail.auditLink")}
          </Link>
        }
      />
      {review.openQuestion ? (
        <Alert tone="info" title={t("review.detail.openQuestion")}>
          <p className="prewrap">{review.openQuestion}</p>
        </Alert>
      ) : null}
      <div className="review-layout">
        <div className="stack">
          <Card title={t("review.detail.application")}>
            <ApplicationDetails review={review} />
          </Card>
          <Card title={t("review.documents.title")}>
            <Documents review={review} />
          </Card>
          <Card title={t("review.history.title")}>
            <History history={review.history} />
          </Card>
        </div>
        <div className="stack">
          <Decisions review={review} result={failure} />
          <Card title={t("review.members.title")}>
            <Members members={review.members} />
          </Card>
        </div>
      </div>
    </div>
  );
}

