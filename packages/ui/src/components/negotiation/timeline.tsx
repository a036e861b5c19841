import { format, isCurrency, money } from "@souk/domain";
import { useI18n } from "../../i18n/context";
import { isMessageKey } from "../../i18n/i18n";
import { Badge } from "../alert";
import { Card } from "../layout";
import type { NegotiationCounter, NegotiationCounterStatus, NegotiationMoney, NegotiationOffer, NegotiationReceipt, NegotiationTimelineEntry } from "./types";

/** "€1,234.56" in the page's language; the bare figures for a currency the domain does not know. */
export function useNegotiationMoney(): (value: NegotiationMoney) => string {
  const { locale } = useI18n();
  return (value) => (isCurrency(value.currency) ? format(money(BigInt(value.amountMinor), value.currency), locale) : `${value.amountMinor} ${value.currency}`);
}

const TONE: Record<NegotiationCounterStatus, "neutral" | "success" | "warning" | "danger" | "info"> = {
  pending: "info",
  accepted: "success",
  declined: "danger",
  revised: "success",
  expired: "warning",
  superseded: "neutral",
};

export function CounterStatusBadge({ status }: { status: NegotiationCounterStatus }) {
  const { t } = useI18n();
  return <Badge tone={TONE[status]}>{t(`negotiation.status.${status}`)}</Badge>;
}

/** The offer's lines as they stand, with its total. */
export function NegotiationOfferCard({ offer }: { offer: NegotiationOffer }) {
  const { t, formatDate } = useI18n();
  const formatMoney = useNegotiationMoney();
  return (
    <Card title={t("negotiation.offer.title")}>
      <p className="field-hint">{t("negotiation.offer.summary", { revision: offer.revision, days: offer.leadTimeDays, date: formatDate(offer.validUntil) })}</p>
      <div className="table-wrap">
        <table className="table">
          <caption className="visually-hidden">{t("negotiation.offer.title")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("negotiation.offer.line")}</th>
              <th scope="col">{t("negotiation.offer.asked")}</th>
              <th scope="col">{t("negotiation.offer.quantity")}</th>
              <th scope="col">{t("negotiation.offer.unitPrice")}</th>
              <th scope="col">{t("negotiation.offer.lineTotal")}</th>
            </tr>
          </thead>
          <tbody>
            {offer.lines.map((l) => (
              <tr key={l.lineId}>
                <th scope="row" className="cell-name">{`${l.position + 1}. ${l.description}`}</th>
                <td>{`${l.askedQuantity} ${l.unit}`}</td>
                <td>{`${l.quantity} ${l.unit}`}</td>
                <td>{formatMoney(l.unitPrice)}</td>
                <td>{formatMoney(l.lineTotal)}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr className="rfq-total-row">
              <th scope="row" colSpan={4}>
                {t("negotiation.offer.total")}
              </th>
              <td>
                <strong>{formatMoney(offer.total)}</strong>
              </td>
            </tr>
          </tfoot>
        </table>
      </div>
    </Card>
  );
}

/** A counter's lines: the offer's terms when it was made → the targets. */
export function CounterLinesTable({ counter }: { counter: NegotiationCounter }) {
  const { t } = useI18n();
  const formatMoney = useNegotiationMoney();
  const terms = (price: NegotiationMoney, quantity: number) => t("negotiation.timeline.terms", { price: formatMoney(price), quantity });
  return (
    <div className="table-wrap">
      <table className="table">
        <caption className="visually-hidden">{t("negotiation.timeline.counter", { round: counter.round })}</caption>
        <thead>
          <tr>
            <th scope="col">{t("negotiation.counter.line")}</th>
            <th scope="col">{t("negotiation.counter.was")}</th>
            <th scope="col">{t("negotiation.counter.target")}</th>
          </tr>
        </thead>
        <tbody>
          {counter.lines.map((l) => (
            <tr key={l.lineId}>
              <th scope="row" className="cell-name">{`${l.position + 1}. ${l.description}`}</th>
              <td>{terms(l.previousUnitPrice, l.previousQuantity)}</td>
              <td>
                <strong>{l.targetUnitPrice ? formatMoney(l.targetUnitPrice) : t("negotiation.counter.keep")}</strong>
                {" × "}
                <strong>{l.targetQuantity ?? t("negotiation.counter.keep")}</strong>
                <span className="cell-sub">{`${l.unit}`}</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="field-hint">{t("negotiation.counter.totals", { before: formatMoney(counter.previousTotal), after: formatMoney(counter.targetTotal) })}</p>
    </div>
  );
}

function ReceiptItem({ receipt }: { receipt: NegotiationReceipt }) {
  const { t, formatDateTime } = useI18n();
  const formatMoney = useNegotiationMoney();
  // Our own reasons first, then those the seller's RFQ page names (a suspension, a best-and-final round).
  const reasonKey = receipt.reason ? [`negotiation.reason.${receipt.reason}`, `rfqOffer.reason.${receipt.reason}`].find(isMessageKey) ?? `negotiation.reason.${receipt.reason}` : null;
  const terms = (side: { unitPrice: NegotiationMoney; quantity: number } | null) =>
    side ? t("negotiation.timeline.terms", { price: formatMoney(side.unitPrice), quantity: side.quantity }) : t("negotiation.timeline.none");
  return (
    <li className={`timeline-item negotiation-receipt negotiation-receipt--${receipt.kind}`}>
      <div className="timeline-head">
        <span className="timeline-move">
          {t(`negotiation.timeline.receipt.${receipt.kind}`, { revision: receipt.revision })}
          {reasonKey ? (
            <span className="cell-sub">
              {" "}
              {isMessageKey(reasonKey) ? t(reasonKey) : t("negotiation.reason.other", { reason: receipt.reason ?? "" })}
            </span>
          ) : null}
        </span>
        <time dateTime={receipt.recordedAt}>{formatDateTime(receipt.recordedAt)}</time>
      </div>
      <p className="timeline-who">
        {t("negotiation.timeline.by", { name: receipt.recordedBy ?? t("negotiation.timeline.someone") })} · {t("negotiation.timeline.total", { total: formatMoney(receipt.total) })}
      </p>
      {receipt.changes.length > 0 ? (
        <ul className="plain-list negotiation-changes">
          {receipt.changes.map((c) => (
            <li key={c.lineId}>{t("negotiation.timeline.change", { number: c.position + 1, before: terms(c.before), after: terms(c.after) })}</li>
          ))}
        </ul>
      ) : null}
    </li>
  );
}

function CounterItem({ counter }: { counter: NegotiationCounter }) {
  const { t, formatDateTime } = useI18n();
  return (
    <li className={`timeline-item negotiation-counter negotiation-counter--${counter.status}`}>
      <div className="timeline-head">
        <span className="timeline-move">
          {t("negotiation.timeline.counter", { round: counter.round })} <CounterStatusBadge status={counter.status} />
        </span>
        <time dateTime={counter.createdAt}>{formatDateTime(counter.createdAt)}</time>
      </div>
      <p className="timeline-who">
        {t("negotiation.timeline.by", { name: counter.createdBy ?? t("negotiation.timeline.someone") })} · {t("negotiation.timeline.respondBy", { date: formatDateTime(counter.respondBy) })}
      </p>
      <CounterLinesTable counter={counter} />
      {counter.message ? <blockquote className="timeline-message prewrap">{counter.message}</blockquote> : null}
      {counter.answeredAt ? (
        <p className="timeline-who">{t("negotiation.timeline.answered", { date: formatDateTime(counter.answeredAt), name: counter.answeredBy ?? t("negotiation.timeline.someone") })}</p>
      ) : null}
      {counter.declineReason ? <blockquote className="timeline-message prewrap">{t("negotiation.timeline.reason", { reason: counter.declineReason })}</blockquote> : null}
    </li>
  );
}

/** Every round and every receipt of the offer, oldest first: who, when, what was asked, what changed. */
export function NegotiationTimeline({ entries }: { entries: readonly NegotiationTimelineEntry[] }) {
  const { t } = useI18n();
  return (
    <Card title={t("negotiation.timeline.title")} id="timeline">
      {entries.length === 0 ? (
        <p className="muted">{t("negotiation.timeline.empty")}</p>
      ) : (
        <ol className="timeline">
          {entries.map((e) => (e.kind === "counter" ? <CounterItem key={`c-${e.counter.id}`} counter={e.counter} /> : <ReceiptItem key={`r-${e.receipt.revision}-${e.at}-${e.receipt.kind}`} receipt={e.receipt} />))}
        </ol>
      )}
    </Card>
  );
}
