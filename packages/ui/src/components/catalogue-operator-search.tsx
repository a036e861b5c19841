import { Form, useRevalidator } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { useI18n } from "../i18n/context";
import type { DateLike, FormFailure } from "../types";
import { Alert, Badge } from "./alert";
import { SubmitButton } from "./form";
import { Card, PageHeader } from "./layout";
import { DataTable } from "./table";

/**
 * The operator's search-index page: PostgreSQL against the index, the latest reconciliation and
 * reindex runs, and the two buttons that queue one. Client-safe: the shapes are getSearchIndexHealth's.
 */

export type SearchIndexRunKindView = "reconcile" | "reindex";
const RUN_KINDS: readonly SearchIndexRunKindView[] = ["reconcile", "reindex"];

export interface SearchIndexRunRow {
  id: string;
  kind: SearchIndexRunKindView;
  status: "queued" | "running" | "succeeded" | "failed";
  requestedBy: { userId: string; name: string } | null;
  expectedCount: number | null;
  indexedCount: number | null;
  missingCount: number | null;
  staleCount: number | null;
  extraCount: number | null;
  failure: string | null;
  createdAt: DateLike;
  startedAt: DateLike | null;
  finishedAt: DateLike | null;
}

export interface SearchIndexHealthView {
  engine: "postgres" | "meilisearch";
  searchableListings: number;
  indexedDocuments: number | null;
  indexReachable: boolean;
  inSync: boolean;
  lastRuns: readonly SearchIndexRunRow[];
}

const RUN_STATUS_TONE = { queued: "info", running: "info", succeeded: "success", failed: "danger" } as const;

/** While a run is queued or running, the page asks again this often (with JavaScript) to show its outcome. */
const ACTIVE_RUN_REFRESH_MS = 5_000;

function HealthSummary({ health }: { health: SearchIndexHealthView }) {
  const { t, locale } = useI18n();
  const number = (n: number) => new Intl.NumberFormat(locale).format(n);
  return (
    <>
      <dl className="summary-grid">
        <div className="summary-item">
          <dt>{t("operatorCatalogue.search.engine")}</dt>
          <dd className="summary-value">{t(`operatorCatalogue.search.engine.${health.engine}`)}</dd>
        </div>
        <div className="summary-item">
          <dt>{t("operatorCatalogue.search.searchable")}</dt>
          <dd className="summary-value">{number(health.searchableListings)}</dd>
        </div>
        <div className="summary-item">
          <dt>{t("operatorCatalogue.search.indexed")}</dt>
          <dd className="summary-value">{health.indexedDocuments === null ? "—" : number(health.indexedDocuments)}</dd>
        </div>
        <div className="summary-item">
          <dt>{t("operatorCatalogue.search.state")}</dt>
          <dd className="summary-value">
            {!health.indexReachable ? (
              <Badge tone="danger">{t("operatorCatalogue.search.unreachable")}</Badge>
            ) : health.inSync ? (
              <Badge tone="success">{t("operatorCatalogue.search.inSync")}</Badge>
            ) : (
              <Badge tone="warning">{t("operatorCatalogue.search.drift")}</Badge>
            )}
          </dd>
        </div>
      </dl>
      {!health.indexReachable ? (
        <Alert tone="error">{t("operatorCatalogue.search.unreachableHelp")}</Alert>
      ) : !health.inSync ? (
        <Alert tone="warning">
          {health.indexedDocuments === health.searchableListings
            ? t("operatorCatalogue.search.driftSameCount")
            : t("operatorCatalogue.search.driftCount", { indexed: number(health.indexedDocuments ?? 0), searchable: number(health.searchableListings) })}
        </Alert>
      ) : (
        <p className="field-hint">{t("operatorCatalogue.search.inSyncHelp")}</p>
      )}
    </>
  );
}

function RunButtons({ active, failure }: { active: SearchIndexRunRow | null; failure: FormFailure | null }) {
  const { t } = useI18n();
  const refusal = failure ? [failure.formError, ...Object.values(failure.fieldErrors).flat()].filter(Boolean).join(" ") : null;
  return (
    <Card title={t("operatorCatalogue.search.actions")}>
      {refusal ? <Alert tone="error">{refusal}</Alert> : null}
      {active ? <Alert tone="info">{t(`operatorCatalogue.search.activeRun.${active.status === "running" ? "running" : "queued"}`, { kind: t(`operatorCatalogue.search.kind.${active.kind}`) })}</Alert> : null}
      <div className="decision-list">
        {RUN_KINDS.map((kind) => (
          <Form key={kind} method="post" className="decision-form" aria-labelledby={`run-${kind}-title`}>
            <h3 id={`run-${kind}-title`} className="decision-title">
              {t(`operatorCatalogue.search.run.${kind}.title`)}
            </h3>
            <p className="field-hint">{t(`operatorCatalogue.search.run.${kind}.help`)}</p>
            <div>
              <SubmitButton variant={kind === "reindex" ? "secondary" : "primary"} name="kind" value={kind}>
                {t(`operatorCatalogue.search.run.${kind}.submit`)}
              </SubmitButton>
            </div>
          </Form>
        ))}
      </div>
    </Card>
  );
}

function RunsTable({ runs }: { runs: readonly SearchIndexRunRow[] }) {
  const { t, formatDateTime, locale } = useI18n();
  const count = (n: number | null) => (n === null ? <span className="muted">—</span> : new Intl.NumberFormat(locale).format(n));
  if (runs.length === 0) return <p className="empty-state">{t("operatorCatalogue.search.runs.empty")}</p>;
  return (
    <DataTable
      caption={t("operatorCatalogue.search.runs.caption")}
      columns={[
        t("operatorCatalogue.search.runs.requested"),
        t("operatorCatalogue.search.runs.kind"),
        t("operatorCatalogue.search.runs.status"),
        t("operatorCatalogue.search.runs.expected"),
        t("operatorCatalogue.search.runs.indexed"),
        t("operatorCatalogue.search.runs.missing"),
        t("operatorCatalogue.search.runs.stale"),
        t("operatorCatalogue.search.runs.extra"),
      ]}
    >
      {runs.map((run) => (
        <tr key={run.id}>
          <td className="cell-when">
            <time dateTime={new Date(run.createdAt).toISOString()}>{formatDateTime(run.createdAt)}</time>
            <span className="cell-sub">{run.requestedBy ? t("operatorCatalogue.search.runs.by", { name: run.requestedBy.name }) : t("operatorCatalogue.search.runs.scheduled")}</span>
          </td>
          <th scope="row">{t(`operatorCatalogue.search.kind.${run.kind}`)}</th>
          <td>
            <Badge tone={RUN_STATUS_TONE[run.status]}>{t(`operatorCatalogue.search.status.${run.status}`)}</Badge>
            {run.finishedAt ? (
              <span className="cell-sub">{t("operatorCatalogue.search.runs.finished", { date: formatDateTime(run.finishedAt) })}</span>
            ) : null}
            {run.failure ? <span className="cell-sub prewrap">{run.failure}</span> : null}
          </td>
          <td>{count(run.expectedCount)}</td>
          <td>{count(run.indexedCount)}</td>
          <td>{count(run.missingCount)}</td>
          <td>{count(run.staleCount)}</td>
          <td>{count(run.extraCount)}</td>
        </tr>
      ))}
    </DataTable>
  );
}

export function SearchIndexPage({ health, result }: { health: SearchIndexHealthView; result: FormFailure | null | undefined }) {
  const { t } = useI18n();
  const revalidator = useRevalidator();
  const latest = useRef(revalidator);
  latest.current = revalidator;
  const active = health.lastRuns.find((r) => r.status === "queued" || r.status === "running") ?? null;
  const activeId = active?.id ?? null;
  useEffect(() => {
    if (!activeId) return;
    const timer = setInterval(() => {
      if (latest.current.state === "idle") latest.current.revalidate();
    }, ACTIVE_RUN_REFRESH_MS);
    return () => clearInterval(timer);
  }, [activeId]);
  return (
    <div className="stack">
      <PageHeader title={t("operatorCatalogue.search.title")} description={t("operatorCatalogue.search.intro")} />
      <Card title={t("operatorCatalogue.search.health")}>
        <HealthSummary health={health} />
      </Card>
      <RunButtons active={active} failure={result ?? null} />
      <Card title={t("operatorCatalogue.search.runs.title")}>
        <RunsTable runs={health.lastRuns} />
      </Card>
    </div>
  );
}
