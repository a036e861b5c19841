import { Link } from "@remix-run/react";
import type { ReactNode } from "react";
import { useI18n } from "../../i18n/context";
import { isMessageKey } from "../../i18n/i18n";
import { Badge } from "../alert";
import { FilterPanel, type ListFilterState } from "../filters";
import { Card, PageHeader } from "../layout";
import { useQueryHref } from "../pagination";
import { RfqBackLink, RfqSealingBadge, RfqStatusBadge, useRfqMoney } from "../rfq-buyer/common";
import { categoryName } from "../seller-data";
import { DataTable } from "../table";
import type { RfqHeaderView, RfqInvitationView, RfqLineView, RfqMoney } from "./views";

/** Pieces of the RFQ pages the buyer's and the operator's apps both show; what differs is passed in. */

/** A list's status tabs ("All" first, each with its count); a tab keeps the other filters. */
export function RfqStatusTabs({ statuses, counts, current, label, allLabel }: { statuses: readonly string[]; counts: Readonly<Record<string, number>>; current: string; label: string; allLabel: string }) {
  const { t } = useI18n();
  const hrefFor = useQueryHref();
  const all = Object.values(counts).reduce((a, b) => a + b, 0);
  const tabs = [{ status: "", label: allLabel, count: all }, ...statuses.map((s) => ({ status: s, label: t(`rfq.status.${s}` as "rfq.status.open"), count: counts[s] ?? 0 }))];
  return (
    <nav className="tabs" aria-label={label}>
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

/** A list's filter form: it keeps the current status tab, and clearing it keeps that tab too. */
export function RfqFilterPanel({ label, status, filterErrors, children }: { label: string; status: string; filterErrors: ListFilterState["filterErrors"]; children: ReactNode }) {
  const { t } = useI18n();
  return (
    <FilterPanel
      labels={{ form: label, ignored: t("rfq.list.filter.ignored"), apply: t("rfq.list.filter.apply"), clear: t("rfq.list.filter.clear") }}
      clearTo={status ? `?status=${encodeURIComponent(status)}` : "."}
      filterErrors={filterErrors}
    >
      {status ? <input type="hidden" name="status" value={status} /> : null}
      {children}
    </FilterPanel>
  );
}

/** A list row's first cell: the title linking to the RFQ, its reference beneath. */
export function RfqTitleCell({ rfq }: { rfq: { id: string; title: string; reference: string } }) {
  return (
    <th scope="row" className="cell-name">
      <Link to={`/rfqs/${rfq.id}`}>{rfq.title}</Link>
      <span className="cell-sub mono">{rfq.reference}</span>
    </th>
  );
}

/** One RFQ's header: the way back to the list, its title, "reference · [who ·] category" and its badges. */
export function RfqPageHeader({ rfq, back, who }: { rfq: RfqHeaderView; back: string; who?: string }) {
  const { locale } = useI18n();
  return (
    <>
      <RfqBackLink to="/rfqs">{back}</RfqBackLink>
      <PageHeader
        title={rfq.title}
        description={
          <>
            <span className="mono">{rfq.reference}</span> · {who ? `${who} · ` : null}
            {categoryName(locale, rfq.category)}
          </>
        }
        actions={
          <>
            <RfqStatusBadge status={rfq.status} /> <RfqSealingBadge sealing={rfq.sealing} />
          </>
        }
      />
    </>
  );
}

/** The request itself: category, currency, delivery, who may answer, how offers are shown, and its description. */
export function RfqRequestCard({ rfq, first, biddingNote, last }: { rfq: RfqHeaderView; first?: ReactNode; biddingNote?: ReactNode; last?: ReactNode }) {
  const { t, locale } = useI18n();
  return (
    <Card title={t("rfq.request.title")} id="request">
      <dl className="details">
        {first}
        <dt>{t("rfq.request.category")}</dt>
        <dd>{categoryName(locale, rfq.category)}</dd>
        <dt>{t("rfq.request.currency")}</dt>
        <dd>{rfq.currency}</dd>
        <dt>{t("rfq.request.delivery")}</dt>
        <dd>
          {isMessageKey(`rfq.incoterm.${rfq.incoterm}`) ? t(`rfq.incoterm.${rfq.incoterm}` as "rfq.incoterm.DAP") : rfq.incoterm} — {rfq.deliveryPlace}
        </dd>
        <dt>{t("rfq.request.visibility")}</dt>
        <dd>{rfq.visibility === "invited" ? t("rfq.visibility.invited") : t("rfq.visibility.open")}</dd>
        <dt>{t("rfq.request.bidding")}</dt>
        <dd>
          {rfq.sealing === "sealed" ? t("rfq.sealing.sealed") : t("rfq.sealing.open")}
          {biddingNote}
        </dd>
        {last}
      </dl>
      {rfq.description ? <p className="prewrap">{rfq.description}</p> : <p className="muted">{t("rfq.request.noDescription")}</p>}
    </Card>
  );
}

/** The RFQ's lines; `note` adds beneath a line's description what one page shows more (the buyer's listing link). */
export function RfqLinesCard<L extends RfqLineView>({ lines, note }: { lines: readonly L[]; note?: (line: L) => ReactNode }) {
  const { t } = useI18n();
  const formatMoney = useRfqMoney();
  return (
    <Card title={t("rfq.lines.title")} id="lines">
      <DataTable caption={t("rfq.lines.title")} columns={["#", t("rfq.lines.description"), t("rfq.lines.quantity"), t("rfq.lines.targetPrice")]}>
        {lines.map((line) => (
          <tr key={line.id}>
            <td>{line.position + 1}</td>
            <th scope="row" className="cell-name">
              {line.description}
              {note?.(line)}
            </th>
            <td className="cell-nowrap">{`${line.quantity} ${line.unit}`}</td>
            <td className="cell-nowrap">{line.targetPrice ? formatMoney(line.targetPrice) : <span className="muted">—</span>}</td>
          </tr>
        ))}
      </DataTable>
    </Card>
  );
}

/** The sellers invited by name (an open RFQ may have none: every active seller of the category may answer). */
export function RfqInvitedCard({ rfq }: { rfq: { visibility: string; invitations: readonly RfqInvitationView[] } }) {
  const { t } = useI18n();
  return (
    <Card title={t("rfq.invited.title")} id="invited">
      {rfq.invitations.length === 0 ? (
        <p className="muted">{rfq.visibility === "open" ? t("rfq.invited.noneOpen") : t("rfq.invited.none")}</p>
      ) : (
        <ul className="plain-list">
          {rfq.invitations.map((i) => (
            <li key={i.sellerId}>
              {i.name} {i.active ? null : <Badge tone="warning">{t("rfq.invited.inactive")}</Badge>}
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}

/** An offer's prices per line ("Line 2: 40 kg at €3.10"), numbered as the RFQ's lines. */
export function OfferLineBids({ offer, lines }: { offer: { lines: readonly { lineId: string; quantity: number; unitPrice: RfqMoney }[] }; lines: readonly RfqLineView[] }) {
  const { t } = useI18n();
  const formatMoney = useRfqMoney();
  return (
    <ul className="plain-list">
      {offer.lines.map((l) => {
        const line = lines.find((x) => x.id === l.lineId);
        return <li key={l.lineId}>{t("rfq.offers.lineBid", { number: (line?.position ?? 0) + 1, quantity: l.quantity, unit: line?.unit ?? "", price: formatMoney(l.unitPrice) })}</li>;
      })}
    </ul>
  );
}
