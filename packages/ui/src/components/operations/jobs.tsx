import { Form, Link, useLocation } from "@remix-run/react";
import { useI18n } from "../../i18n/context";
import type { MessageKey } from "../../i18n/i18n";
import type { DateLike, FormFailure } from "../../types";
import { Alert, Badge } from "../alert";
import { FilterPanel, type ListFilterState } from "../filters";
import { SelectField, SubmitButton, buttonClass } from "../form";
import { Card, PageHeader } from "../layout";
import { Pagination } from "../pagination";
import { DataTable } from "../table";

/**
 * The operator's System health page (at /jobs): the outbox backlog, per queue BullMQ's counts and
 * the outbox rows not queued yet, the search index's health, and the jobs that failed for good,
 * each with a Retry button (a plain form POST). Client-safe: the shapes are getSystemHealth's and
 * listFailedJobs' (@souk/services operations).
 */

export const JOB_QUEUES = ["notifications", "events", "search", "imports", "rfqs", "settlement"] as const;
export type JobQueueName = (typeof JOB_QUEUES)[number];

export interface QueueCountsView {
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
  completed: number;
}

export interface OutboxBacklogView {
  pending: number;
  scheduled: number;
  parked: number;
  oldestPendingSeconds: number | null;
}

export interface QueueOverviewView {
  redisReachable: boolean;
  queues: readonly { queue: JobQueueName; counts: QueueCountsView | null; outbox: OutboxBacklogView }[];
  unknownTopics: OutboxBacklogView;
  checkedAt: DateLike;
}

export interface SystemHealthView {
  queues: QueueOverviewView;
  outbox: OutboxBacklogView;
  index: {
    engine: "postgres" | "meilisearch";
    lastReconcile: { kind: "reconcile" | "reindex"; finishedAt: DateLike; missing: number; stale: number; extra: number } | null;
    drift: number | null;
    newerRun: { kind: "reconcile" | "reindex"; status: "queued" | "running" | "failed"; at: DateLike } | null;
  };
}

export interface FailedJobRow {
  queue: JobQueueName;
  id: string;
  name: string;
  failedReason: string;
  attemptsMade: number;
  attempts: number;
  createdAt: DateLike;
  failedAt: DateLike | null;
  payload: Readonly<Record<string, string>>;
  requestId: string | null;
}

export interface FailedJobsView {
  queue: JobQueueName | null;
  redisReachable: boolean;
  beyondMergedLimit: boolean;
  items: readonly FailedJobRow[];
  page: number;
  pageSize: number;
  total: number;
}

/** Pages listed across every queue at once (the service's FAILED_JOBS_MAX_MERGED_PAGE). */
const MERGED_PAGES = 50;

const queueLabel = (queue: JobQueueName): MessageKey => `jobs.queue.${queue}`;

function useAge() {
  const { t, locale } = useI18n();
  const number = (n: number) => new Intl.NumberFormat(locale).format(n);
  return (seconds: number) => {
    if (seconds < 120) return t("jobs.age.seconds", { n: number(seconds) });
    if (seconds < 7_200) return t("jobs.age.minutes", { n: number(Math.floor(seconds / 60)) });
    if (seconds < 172_800) return t("jobs.age.hours", { n: number(Math.floor(seconds / 3_600)) });
    return t("jobs.age.days", { n: number(Math.floor(seconds / 86_400)) });
  };
}

function QueuesTable({ overview }: { overview: QueueOverviewView }) {
  const { t, locale } = useI18n();
  const age = useAge();
  const number = (n: number) => new Intl.NumberFormat(locale).format(n);
  const count = (n: number | undefined, tone?: "danger" | "warning") =>
    n === undefined ? <span className="muted">{t("jobs.queues.unknown")}</span> : n > 0 && tone ? <Badge tone={tone}>{number(n)}</Badge> : number(n);
  return (
    <DataTable
      caption={t("jobs.queues.caption")}
      columns={[
        t("jobs.queues.queue"),
        t("jobs.queues.waiting"),
        t("jobs.queues.active"),
        t("jobs.queues.delayed"),
        t("jobs.queues.failed"),
        t("jobs.queues.completed"),
        t("jobs.queues.outbox"),
        t("jobs.queues.outboxScheduled"),
        t("jobs.queues.outboxParked"),
      ]}
    >
      {overview.queues.map((row) => (
        <tr key={row.queue}>
          <th scope="row">
            {t(queueLabel(row.queue))}
            <span className="cell-sub">
              <code>{row.queue}</code>
            </span>
          </th>
          <td className="cell-amount">{count(row.counts?.waiting)}</td>
          <td className="cell-amount">{count(row.counts?.active)}</td>
          <td className="cell-amount">{count(row.counts?.delayed)}</td>
          <td className="cell-amount">{count(row.counts?.failed, "danger")}</td>
          <td className="cell-amount">{count(row.counts?.completed)}</td>
          <td className="cell-amount">
            {count(row.outbox.pending, "warning")}
            {row.outbox.oldestPendingSeconds !== null ? <span className="cell-sub">{t("jobs.queues.oldest", { age: age(row.outbox.oldestPendingSeconds) })}</span> : null}
          </td>
          <td className="cell-amount">{count(row.outbox.scheduled)}</td>
          <td className="cell-amount">{count(row.outbox.parked, "danger")}</td>
        </tr>
      ))}
    </DataTable>
  );
}

/** Past this, a pending outbox row means the relay is stuck (it runs every few hundred milliseconds). */
const OUTBOX_LATE_SECONDS = 60;

function OutboxSummary({ outbox }: { outbox: OutboxBacklogView }) {
  const { t, locale } = useI18n();
  const age = useAge();
  const number = (n: number) => new Intl.NumberFormat(locale).format(n);
  return (
    <Card title={t("jobs.outbox.title")}>
      <dl className="summary-grid">
        <div className="summary-item">
          <dt>{t("jobs.outbox.pending")}</dt>
          <dd className="summary-value">{outbox.pending > 0 ? <Badge tone="warning">{number(outbox.pending)}</Badge> : number(0)}</dd>
        </div>
        <div className="summary-item">
          <dt>{t("jobs.outbox.oldest")}</dt>
          <dd className="summary-value">{outbox.oldestPendingSeconds === null ? t("jobs.outbox.none") : age(outbox.oldestPendingSeconds)}</dd>
        </div>
        <div className="summary-item">
          <dt>{t("jobs.outbox.scheduled")}</dt>
          <dd className="summary-value">{number(outbox.scheduled)}</dd>
        </div>
        <div className="summary-item">
          <dt>{t("jobs.outbox.parked")}</dt>
          <dd className="summary-value">{outbox.parked > 0 ? <Badge tone="danger">{number(outbox.parked)}</Badge> : number(0)}</dd>
        </div>
      </dl>
      {outbox.oldestPendingSeconds !== null && outbox.oldestPendingSeconds >= OUTBOX_LATE_SECONDS ? (
        <Alert tone="warning">{t("jobs.outbox.late", { age: age(outbox.oldestPendingSeconds) })}</Alert>
      ) : null}
    </Card>
  );
}

function IndexHealthCard({ index }: { index: SystemHealthView["index"] }) {
  const { t, locale, formatDateTime } = useI18n();
  const number = (n: number) => new Intl.NumberFormat(locale).format(n);
  const last = index.lastReconcile;
  const newer = index.newerRun;
  return (
    <Card title={t("jobs.index.title")}>
      <dl className="summary-grid">
        <div className="summary-item">
          <dt>{t("jobs.index.engine")}</dt>
          <dd className="summary-value">{t(`jobs.index.engine.${index.engine}`)}</dd>
        </div>
        <div className="summary-item">
          <dt>{t("jobs.index.lastReconcile")}</dt>
          <dd className="summary-value">
            {last ? <time dateTime={new Date(last.finishedAt).toISOString()}>{formatDateTime(last.finishedAt)}</time> : t("jobs.index.never")}
          </dd>
        </div>
        <div className="summary-item">
          <dt>{t("jobs.index.drift")}</dt>
          <dd className="summary-value">
            {last === null || index.drift === null ? (
              "—"
            ) : index.drift === 0 ? (
              <Badge tone="success">{t("jobs.index.inStep")}</Badge>
            ) : (
              <>
                <Badge tone="warning">{number(index.drift)}</Badge>
                <span className="cell-sub">{t("jobs.index.driftValue", { missing: number(last.missing), stale: number(last.stale), extra: number(last.extra) })}</span>
              </>
            )}
          </dd>
        </div>
      </dl>
      {newer ? (
        <Alert tone={newer.status === "failed" ? "error" : "info"}>
          {t(`jobs.index.newer.${newer.status}`, { kind: t(`jobs.index.kind.${newer.kind}`), date: formatDateTime(newer.at) })}
        </Alert>
      ) : null}
      {index.drift !== null && index.drift > 0 ? <Alert tone="warning">{t("jobs.index.drifted", { count: number(index.drift) })}</Alert> : null}
      <p className="field-hint">{t("jobs.index.help")}</p>
    </Card>
  );
}

function RetryForm({ job }: { job: FailedJobRow }) {
  const { t } = useI18n();
  return (
    <Form method="post" className="inline-form">
      <input type="hidden" name="queue" value={job.queue} />
      <input type="hidden" name="jobId" value={job.id} />
      <SubmitButton variant="secondary" className="button--compact" name="retry" value={`${job.queue}/${job.id}`} aria-label={t("jobs.failed.retryLabel", { id: job.id, queue: t(queueLabel(job.queue)) })}>
        {t("jobs.failed.retry")}
      </SubmitButton>
    </Form>
  );
}

function FailedJobsTable({ failed }: { failed: FailedJobsView }) {
  const { t, formatDateTime } = useI18n();
  if (!failed.redisReachable) return <Alert tone="error">{t("jobs.failed.unavailable")}</Alert>;
  if (failed.beyondMergedLimit) return <Alert tone="info">{t("jobs.failed.beyond", { pages: MERGED_PAGES })}</Alert>;
  if (failed.items.length === 0) return <p className="empty-state">{failed.queue ? t("jobs.failed.emptyQueue") : t("jobs.failed.empty")}</p>;
  return (
    <>
      <DataTable
        caption={t("jobs.failed.caption")}
        columns={[t("jobs.failed.when"), t("jobs.failed.job"), t("jobs.failed.reason"), t("jobs.failed.attempts"), t("jobs.failed.payload")]}
        actions
      >
        {failed.items.map((job) => {
          const payload = Object.entries(job.payload);
          return (
            <tr key={`${job.queue}/${job.id}`}>
              <td className="cell-when">
                {job.failedAt ? <time dateTime={new Date(job.failedAt).toISOString()}>{formatDateTime(job.failedAt)}</time> : <span className="muted">—</span>}
                <span className="cell-sub">{t("jobs.failed.added", { date: formatDateTime(job.createdAt) })}</span>
              </td>
              <th scope="row">
                <code>{job.name}</code>
                <span className="cell-sub">
                  {t(queueLabel(job.queue))} · <code>{job.id}</code>
                </span>
                {job.requestId ? <span className="cell-sub">{t("jobs.failed.request", { id: job.requestId })}</span> : null}
              </th>
              <td className="prewrap">{job.failedReason}</td>
              <td>{t("jobs.failed.attemptsValue", { made: job.attemptsMade, allowed: job.attempts })}</td>
              <td>
                {payload.length === 0 ? (
                  <span className="muted">{t("jobs.failed.noPayload")}</span>
                ) : (
                  <dl className="plain-list">
                    {payload.map(([key, value]) => (
                      <div key={key}>
                        <dt className="visually-hidden">{key}</dt>
                        <dd>
                          <span className="muted">{key}</span> <code>{value}</code>
                        </dd>
                      </div>
                    ))}
                  </dl>
                )}
              </td>
              <td>
                <RetryForm job={job} />
              </td>
            </tr>
          );
        })}
      </DataTable>
      <Pagination page={failed.page} pageSize={failed.pageSize} total={failed.total} label={t("jobs.failed.pagination")} />
    </>
  );
}

export function JobsPage({ health, failed, filters, filterErrors, result }: {
  health: SystemHealthView;
  failed: FailedJobsView;
  result: FormFailure | null | undefined;
} & ListFilterState) {
  const { t, formatDateTime, locale } = useI18n();
  const location = useLocation();
  const overview = health.queues;
  const refusal = result ? [result.formError, ...Object.values(result.fieldErrors).flat()].filter(Boolean).join(" ") : null;
  return (
    <div className="stack">
      <PageHeader
        title={t("jobs.title")}
        description={t("jobs.intro")}
        actions={
          <Link to={`${location.pathname}${location.search}`} className={buttonClass("secondary")}>
            {t("jobs.refresh")}
          </Link>
        }
      />
      {!overview.redisReachable ? <Alert tone="error">{t("jobs.redisDown")}</Alert> : null}
      <OutboxSummary outbox={health.outbox} />
      <Card title={t("jobs.queues.title")}>
        <QueuesTable overview={overview} />
        {overview.unknownTopics.pending + overview.unknownTopics.parked + overview.unknownTopics.scheduled > 0 ? (
          <Alert tone="warning">
            {t("jobs.queues.otherTopics", {
              count: new Intl.NumberFormat(locale).format(overview.unknownTopics.pending + overview.unknownTopics.parked + overview.unknownTopics.scheduled),
            })}
          </Alert>
        ) : null}
        <p className="field-hint">{t("jobs.queues.help")}</p>
        <p className="field-hint">{t("jobs.checkedAt", { date: formatDateTime(overview.checkedAt) })}</p>
      </Card>
      <IndexHealthCard index={health.index} />
      <section className="stack" aria-labelledby="failed-jobs-title">
        <h2 id="failed-jobs-title">{t("jobs.failed.title")}</h2>
        <p className="field-hint">{t("jobs.failed.intro")}</p>
        <FilterPanel
          labels={{ form: t("jobs.filter.label"), ignored: t("jobs.filter.ignored"), apply: t("jobs.filter.apply"), clear: t("jobs.filter.clear") }}
          clearTo={location.pathname}
          filterErrors={filterErrors}
          className="inline-form"
        >
          <SelectField
            name="queue"
            label={t("jobs.filter.queue")}
            defaultValue={filters.queue ?? ""}
            errors={filterErrors.queue}
            options={[{ value: "", label: t("jobs.filter.anyQueue") }, ...JOB_QUEUES.map((queue) => ({ value: queue, label: t(queueLabel(queue)) }))]}
          />
        </FilterPanel>
        {refusal ? <Alert tone="error">{refusal}</Alert> : null}
        <Card>
          <FailedJobsTable failed={failed} />
        </Card>
      </section>
    </div>
  );
}
