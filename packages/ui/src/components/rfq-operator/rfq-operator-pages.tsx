import { Link } from "@remix-run/react";
import { useI18n } from "../../i18n/context";
import { isMessageKey } from "../../i18n/i18n";
import { Alert, Badge } from "../alert";
import { DateField, type ListFilterState } from "../filters";
import { SelectField, TextField } from "../form";
import { Card, PageHeader } from "../layout";
import { Pagination } from "../pagination";
import { RfqSealingBadge, RfqStatusBadge, useDeadlineText, useRfqMoney } from "../rfq-buyer/common";
import { OfferLineBids, RfqFilterPanel, RfqInvitedCard, RfqLinesCard, RfqPageHeader, RfqRequestCard, RfqStatusTabs, RfqTitleCell } from "../rfq-common/rfq-sections";
import { DataTable } from "../table";
import type { OperatorRfqDetailView, OperatorRfqListView } from "./views";

/**
 * The operator's RFQ pages: every buyer's published RFQs with filters, and one RFQ read-only.
 * What they show of the offers is what the services give: nothing but a count while sealed.
 */

const STATUSES = ["open", "closed", "final_round", "awarded", "cancelled"] as const;

/** Every buyer's published RFQs: status tabs, filters (text, buyer, publication days), pages. */
export function OperatorRfqListPage({ view, filters, filterErrors }: { view: OperatorRfqListView } & ListFilterState) {
  const { t, locale, formatDate } = useI18n();
  const deadlineText = useDeadlineText();
  const status = filters.status && !filterErrors.status ? filters.status : "";
  const filtered = Boolean(filters.q || filters.buyerId || filters.from || filters.to || status);
  return (
    <div className="stack">
      <PageHeader title={t("rfqOperator.list.title")} description={t("rfqOperator.list.intro")} />
      <RfqStatusTabs statuses={STATUSES} counts={view.counts} current={status} label={t("rfqOperator.list.tabs.label")} allLabel={t("rfqOperator.list.tabs.all")} />
      <RfqFilterPanel label={t("rfqOperator.list.filter.label")} status={status} filterErrors={filterErrors}>
        <TextField name="q" label={t("rfqOperator.list.filter.q")} hint={t("rfqOperator.list.filter.qHint")} defaultValue={filters.q ?? ""} errors={filterErrors.q} maxLength={200} autoComplete="off" />
        <SelectField
          name="buyerId"
          label={t("rfqOperator.list.filter.buyer")}
          defaultValue={filterErrors.buyerId ? "" : (filters.buyerId ?? "")}
          errors={filterErrors.buyerId}
          options={[{ value: "", label: t("rfqOperator.list.filter.anyBuyer") }, ...view.buyers.map((b) => ({ value: b.id, label: b.name }))]}
        />
        <DateField name="from" label={t("rfqOperator.list.filter.from")} value={filters.from} errors={filterErrors.from} />
        <DateField name="to" label={t("rfqOperator.list.filter.to")} value={filters.to} errors={filterErrors.to} />
      </RfqFilterPanel>
      <Card>
        {view.items.length === 0 ? (
          <p className="empty-state">{filtered ? t("rfqOperator.list.emptyFiltered") : t("rfqOperator.list.empty")}</p>
        ) : (
          <DataTable
            caption={t("rfqOperator.list.caption")}
            columns={[
              t("rfqOperator.list.col.rfq"),
              t("rfqOperator.list.col.buyer"),
              t("rfqOperator.list.col.category"),
              t("rfqOperator.list.col.deadline"),
              t("rfqOperator.list.col.offers"),
              t("rfqOperator.list.col.status"),
              t("rfqOperator.list.col.published"),
            ]}
          >
            {view.items.map((item) => (
              <tr key={item.id}>
                <RfqTitleCell rfq={item} />
                <td>{item.buyer.name}</td>
                <td>{locale === "fr" ? item.categoryName.fr : item.categoryName.en}</td>
                <td className="cell-nowrap">{deadlineText(item.deadline)}</td>
                <td>{item.offerCount}</td>
                <td>
                  <RfqStatusBadge status={item.status} /> <RfqSealingBadge sealing={item.sealing} />
                </td>
                <td className="cell-nowrap">{formatDate(item.publishedAt)}</td>
              </tr>
            ))}
          </DataTable>
        )}
        <Pagination page={view.page} pageSize={view.pageSize} total={view.total} label={t("rfqOperator.list.pagination")} />
      </Card>
    </div>
  );
}

function StatusCard({ rfq }: { rfq: OperatorRfqDetailView }) {
  const { t, formatDateTime } = useI18n();
  const deadlineText = useDeadlineText();
  return (
    <Card title={t("rfqOperator.status.title")} id="status">
      <dl className="details">
        <dt>{t("rfqOperator.status.status")}</dt>
        <dd>
          <RfqStatusBadge status={rfq.status} /> <RfqSealingBadge sealing={rfq.sealing} />
        </dd>
        {rfq.finalRound ? (
          <>
            <dt>{t("rfqOperator.status.firstDeadline")}</dt>
            <dd>{deadlineText(rfq.finalRound.firstDeadline)}</dd>
            <dt>{t("rfqOperator.status.finalDeadline")}</dt>
            <dd>{deadlineText(rfq.deadline)}</dd>
          </>
        ) : (
          <>
            <dt>{t("rfqOperator.status.deadline")}</dt>
            <dd>{deadlineText(rfq.deadline)}</dd>
          </>
        )}
        {rfq.publishedAt ? (
          <>
            <dt>{t("rfqOperator.status.published")}</dt>
            <dd>{formatDateTime(rfq.publishedAt)}</dd>
          </>
        ) : null}
        {rfq.closedAt ? (
          <>
            <dt>{t("rfqOperator.status.closed")}</dt>
            <dd>{formatDateTime(rfq.closedAt)}</dd>
          </>
        ) : null}
      </dl>
      {rfq.antiSniping ? <p className="muted">{t("rfqOperator.status.antiSniping", { minutes: rfq.antiSniping.minutes, used: rfq.antiSniping.extensionsUsed, max: rfq.antiSniping.maxExtensions })}</p> : null}
      {rfq.status === "cancelled" && rfq.cancelReason ? (
        <figure className="quote">
          <figcaption className="quote-label">{t("rfqOperator.status.cancelReason")}</figcaption>
          <blockquote className="quote-text">{rfq.cancelReason}</blockquote>
        </figure>
      ) : null}
    </Card>
  );
}

function OffersCard({ rfq }: { rfq: OperatorRfqDetailView }) {
  const { t, tPlural } = useI18n();
  const formatMoney = useRfqMoney();
  return (
    <Card title={t("rfqOperator.offers.title")} id="offers">
      <p>
        <strong>{tPlural("rfqOperator.offers.count", rfq.offerCount)}</strong>
      </p>
      {!rfq.offersVisible || !rfq.offers ? (
        <Alert tone="info">{t("rfqOperator.offers.sealed")}</Alert>
      ) : rfq.offers.length === 0 ? null : (
        <DataTable
          caption={t("rfqOperator.offers.caption")}
          columns={[t("rfqOperator.offers.seller"), t("rfqOperator.offers.status"), t("rfqOperator.offers.revision"), t("rfqOperator.offers.receipts"), t("rfqOperator.offers.total"), t("rfqOperator.offers.lines"), t("rfqOperator.offers.leadTime")]}
        >
          {rfq.offers.map((o) => (
            <tr key={o.id}>
              <th scope="row" className="cell-name">
                {o.seller.name}
              </th>
              <td>{isMessageKey(`offer.status.${o.status}`) ? t(`offer.status.${o.status}` as "offer.status.submitted") : o.status}</td>
              <td>{o.revision}</td>
              <td>{o.receipts}</td>
              <td className="cell-nowrap">
                <strong>{formatMoney(o.total)}</strong>
              </td>
              <td>
                <OfferLineBids offer={o} lines={rfq.lines} />
              </td>
              <td className="cell-nowrap">{tPlural("rfq.days", o.leadTimeDays)}</td>
            </tr>
          ))}
        </DataTable>
      )}
    </Card>
  );
}

const AWARD_TONE: Record<string, "warning" | "success" | "danger"> = { pending_approval: "warning", approved: "success", rejected: "danger" };

function AwardCard({ award, canReadLedger }: { award: NonNullable<OperatorRfqDetailView["award"]>; canReadLedger: boolean }) {
  const { t, formatDateTime } = useI18n();
  const formatMoney = useRfqMoney();
  const statusKey = `rfqOperator.award.status.${award.status}`;
  return (
    <Card title={t("rfqOperator.award.title")} id="award">
      <p>
        <Badge tone={AWARD_TONE[award.status] ?? "neutral"}>{isMessageKey(statusKey) ? t(statusKey) : award.status}</Badge> <strong>{formatMoney(award.total)}</strong>{" "}
        <span className="muted">{t("rfqOperator.award.created", { at: formatDateTime(award.createdAt) })}</span>
      </p>
      {award.orders.length > 0 ? (
        <>
          <h3 className="card-subtitle">{t("rfqOperator.award.orders")}</h3>
          <ul className="plain-list">
            {award.orders.map((o) => {
              const label = t("rfqOperator.award.order", { number: o.number, seller: o.sellerName });
              return (
                <li key={o.id}>
                  {canReadLedger ? <Link to={`/ledger/orders/${o.id}`}>{label}</Link> : label} — {formatMoney(o.total)}
                </li>
              );
            })}
          </ul>
        </>
      ) : null}
    </Card>
  );
}

function ReceiptsCard({ receipts }: { receipts: NonNullable<OperatorRfqDetailView["receipts"]> }) {
  const { t, tPlural, formatDateTime } = useI18n();
  return (
    <Card title={t("rfqOperator.receipts.title")} id="receipts">
      <p>{receipts.verifiedAt ? tPlural("rfqOperator.receipts.verified", receipts.chainLength) : tPlural("rfqOperator.receipts.unverified", receipts.chainLength)}</p>
      {receipts.chainHead ? (
        <p>
          {t("rfqOperator.receipts.head")} <code className="mono rfq-hash">{receipts.chainHead}</code>
        </p>
      ) : null}
      {receipts.entries.length > 0 ? (
        <DataTable
          caption={t("rfqOperator.receipts.caption")}
          columns={[t("rfqOperator.receipts.sequence"), t("rfqOperator.receipts.seller"), t("rfqOperator.receipts.kind"), t("rfqOperator.receipts.recordedAt"), t("rfqOperator.receipts.hash")]}
        >
          {receipts.entries.map((r) => {
            const kindKey = `rfqOperator.receipts.kind.${r.kind}`;
            return (
              <tr key={r.sequence}>
                <td>{r.sequence}</td>
                <th scope="row">{r.seller.name}</th>
                <td>
                  {isMessageKey(kindKey) ? t(kindKey, { revision: r.revision }) : r.kind}
                  {r.reason ? <span className="cell-sub mono">{r.reason}</span> : null}
                </td>
                <td className="cell-nowrap">{formatDateTime(r.recordedAt)}</td>
                <td>
                  <code className="mono" title={r.hash}>
                    {r.hash.slice(0, 12)}…
                  </code>
                </td>
              </tr>
            );
          })}
        </DataTable>
      ) : null}
    </Card>
  );
}

function EventsCard({ events }: { events: OperatorRfqDetailView["events"] }) {
  const { t, formatDateTime } = useI18n();
  return (
    <Card title={t("rfqOperator.events.title")} id="events">
      {events.length === 0 ? (
        <p className="muted">{t("rfqOperator.events.none")}</p>
      ) : (
        <DataTable caption={t("rfqOperator.events.caption")} columns={[t("rfqOperator.events.when"), t("rfqOperator.events.what"), t("rfqOperator.events.who")]}>
          {events.map((e) => {
            const key = `audit.action.${e.action}`;
            return (
              <tr key={e.id}>
                <td className="cell-nowrap">{formatDateTime(e.occurredAt)}</td>
                <th scope="row">
                  {isMessageKey(key) ? t(key) : e.action}
                  {e.reason ? <span className="cell-sub">{e.reason}</span> : null}
                </th>
                <td>
                  {e.actor ?? t("rfqOperator.events.system")}
                  {e.actorOrganization ? <span className="cell-sub">{e.actorOrganization}</span> : null}
                </td>
              </tr>
            );
          })}
        </DataTable>
      )}
    </Card>
  );
}

/**
 * One RFQ, read-only: status and deadlines (the final round's too), the offers (a count while
 * sealed; per seller once the rules show them), the award and its orders, the request, its lines,
 * the invited sellers, the receipts chain once closed and the audit events.
 */
export function OperatorRfqPage({ rfq }: { rfq: OperatorRfqDetailView }) {
  const { t, formatDateTime } = useI18n();
  return (
    <div className="stack">
      <RfqPageHeader rfq={rfq} back={t("rfqOperator.detail.back")} who={rfq.buyer.name} />
      <p className="muted">{t("rfqOperator.detail.audited")}</p>
      <StatusCard rfq={rfq} />
      <OffersCard rfq={rfq} />
      {rfq.finalRound ? (
        <Card title={t("rfqOperator.finalRound.title")} id="final-round">
          <p>{t("rfqOperator.finalRound.openedAt", { at: formatDateTime(rfq.finalRound.openedAt) })}</p>
          <ul className="plain-list">
            {rfq.finalRound.sellers.map((s) => (
              <li key={s.id}>{s.name}</li>
            ))}
          </ul>
          {rfq.status === "final_round" && !rfq.offersVisible ? <p className="field-hint">{t("rfqOperator.finalRound.sealed")}</p> : null}
        </Card>
      ) : null}
      {rfq.award ? <AwardCard award={rfq.award} canReadLedger={rfq.canReadLedger} /> : null}
      <RfqRequestCard
        rfq={rfq}
        first={
          <>
            <dt>{t("rfqOperator.request.buyer")}</dt>
            <dd>{rfq.buyer.name}</dd>
          </>
        }
      />
      <RfqLinesCard lines={rfq.lines} />
      <RfqInvitedCard rfq={rfq} />
      {rfq.receipts ? (
        <ReceiptsCard receipts={rfq.receipts} />
      ) : (
        <Card title={t("rfqOperator.receipts.title")} id="receipts">
          <p className="muted">{t("rfqOperator.receipts.sealed")}</p>
        </Card>
      )}
      <EventsCard events={rfq.events} />
    </div>
  );
}

/** "From RFQ-000123: title", linking to the operator's RFQ page (an order's or a dispute's page). */
export function OperatorRfqLink({ rfq }: { rfq: { id: string; reference: string; title: string } }) {
  const { t } = useI18n();
  return (
    <p>
      <Link to={`/rfqs/${rfq.id}`}>{t("rfqOperator.link.fromRfq", { reference: rfq.reference, title: rfq.title })}</Link>
    </p>
  );
}
