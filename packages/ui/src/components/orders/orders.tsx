import { Link } from "@remix-run/react";
import { useI18n } from "../../i18n/context";
import { Alert, Badge } from "../alert";
import { useCatalogueMoney } from "../catalogue-buyer-price";
import { SellerBackLink } from "../catalogue-seller-common";
import { DateField, FilterPanel, type ListFilterState } from "../filters";
import { SelectField, TextField } from "../form";
import { Card, PageHeader } from "../layout";
import { Pagination } from "../pagination";
import { AmountCell, PayoutStatusBadge, snapshotFigures, useRuleSummary } from "../money/common";
import type { OrderMoneyPageView } from "../money/ledger";
import { DataTable } from "../table";
import { ORDER_STATUS_VALUES, OrderStatusBadge, type OrderMoneyView } from "./common";
import { OrderMoves, OrderTimeline, useResolutionLabel, type OrderEventPageView } from "./order-lifecycle";

/**
 * The orders of a buyer or of a seller (listBuyerOrders / listSellerOrders) with their filters, and
 * one order (getBuyerOrder / getSellerOrder): its lines, delivery, shipment, cancellation request,
 * dispute, money, timeline and the forms of the moves the viewer may make now.
 */

export type OrderSide = "buyer" | "seller";

export interface OrderRowPageView {
  id: string;
  reference: string;
  status: string;
  counterparty: { id: string; name: string };
  rfq: { id: string; reference: string; title: string } | null;
  total: OrderMoneyView;
  lineCount: number;
  leadTimeDays: number;
  placedAt: string;
  expectedDeliveryAt: string | null;
  poNumber?: string;
  cancellationRequestedBy?: "buyer" | "seller" | null;
  disputeStatus?: "open" | "resolved" | null;
}

export interface OrdersListView {
  items: readonly OrderRowPageView[];
  page: number;
  pageSize: number;
  total: number;
  /** The other parties of the side's orders, for the counterparty filter. */
  counterparties?: readonly { id: string; name: string }[];
}

export interface DeliveryAddressView {
  label: string;
  recipient: string;
  line1: string;
  line2: string;
  postalCode: string;
  city: string;
  country: string;
}

export interface OrderPageView extends OrderRowPageView {
  lines: readonly { id: string; position: number; description: string; unit: string; quantity: number; unitPrice: OrderMoneyView; lineTotal: OrderMoneyView }[];
  deliveredAt: string | null;
  awardNote: string | null;
  version?: number;
  purchaseId?: string | null;
  deliveryAddress?: DeliveryAddressView | null;
  acceptedAt?: string | null;
  rejectedAt?: string | null;
  rejectReason?: string | null;
  shippedAt?: string | null;
  carrier?: string | null;
  trackingReference?: string | null;
  deliveryConfirmedBy?: "buyer" | "auto" | null;
  cancelledAt?: string | null;
  cancelReason?: string | null;
  settledAt?: string | null;
  cancellation?: { requestedBy: "buyer" | "seller"; requestedAt: string; reason: string } | null;
  dispute?: {
    id: string;
    status: "open" | "resolved";
    reason: string;
    openedAt: string;
    resolution: "release" | "partial_refund" | "full_refund" | null;
    refund: OrderMoneyView | null;
    resolvedAt: string | null;
    note: string;
  } | null;
  disputeWindowClosesAt?: string | null;
  timeline?: readonly OrderEventPageView[];
  moves?: readonly string[];
  /** The order's money (money's orderMoney): commission, net, rule and payout are null for the buyer and for seller members who do not read its money. */
  money: OrderMoneyPageView;
}

/**
 * The order's money: its total and refunds for every reader; once settled, for the seller's members
 * who read its money, the commission (with the rule frozen at settlement), the net and the payout.
 */
function OrderMoneyCard({ side, money }: { side: OrderSide; money: OrderMoneyPageView }) {
  const { t, formatDateTime } = useI18n();
  const formatMoney = useCatalogueMoney();
  const summary = useRuleSummary();
  const full = side === "seller" && money.commission !== null;
  const refundColumns = full ? [t("orderMoney.refunds.date"), t("orderMoney.refunds.amount"), t("orderMoney.refunds.commission"), t("orderMoney.refunds.net")] : [t("orderMoney.refunds.date"), t("orderMoney.refunds.amount")];
  return (
    <Card title={t("order.money.title")} id="money">
      {money.frozen ? <Alert tone="warning">{t("order.money.frozen")}</Alert> : null}
      <dl className="details">
        <dt>{t("order.money.gross")}</dt>
        <dd className="cell-amount">{formatMoney(money.gross)}</dd>
        {full && money.commission && money.net ? (
          <>
            <dt>{t("order.money.commission")}</dt>
            <dd className="cell-amount">
              {formatMoney(money.commission)}
              {money.rule ? <span className="cell-sub">{t("order.money.rule", { rule: summary(snapshotFigures(money.rule)) })}</span> : null}
            </dd>
            <dt>{t("order.money.net")}</dt>
            <dd className="cell-amount">
              <strong>{formatMoney(money.net)}</strong>
            </dd>
            <dt>{t("order.money.payout")}</dt>
            <dd>
              {money.payout ? (
                <>
                  <Link to={`/payouts/${money.payout.id}`} className="mono">
                    {money.payout.reference}
                  </Link>{" "}
                  <PayoutStatusBadge status={money.payout.status} />
                </>
              ) : (
                <span className="muted">{t("order.money.notPaidOut")}</span>
              )}
            </dd>
          </>
        ) : null}
        {money.refunds.length > 0 ? (
          <>
            <dt>{t("order.money.refunded")}</dt>
            <dd className="cell-amount">{formatMoney(money.refunded)}</dd>
          </>
        ) : null}
      </dl>
      {side === "seller" && !money.settled && money.status !== "cancelled" && money.status !== "rejected" ? <p className="field-hint">{t("order.money.notSettled")}</p> : null}
      {money.refunds.length > 0 ? (
        <DataTable caption={t("orderMoney.refunds.title")} columns={refundColumns}>
          {money.refunds.map((r) => (
            <tr key={r.id}>
              <th scope="row" className="cell-nowrap">
                <time dateTime={r.createdAt}>{formatDateTime(r.createdAt)}</time>
              </th>
              <AmountCell amount={r.amount} />
              {full ? (
                <>
                  <AmountCell amount={r.commission} />
                  <AmountCell amount={r.net} />
                </>
              ) : null}
            </tr>
          ))}
        </DataTable>
      ) : null}
    </Card>
  );
}

/** "Cancellation requested", "Dispute open": what needs attention beside an order's status. */
export function OrderFlags({ order }: { order: Pick<OrderRowPageView, "cancellationRequestedBy" | "disputeStatus"> }) {
  const { t } = useI18n();
  return (
    <>
      {order.cancellationRequestedBy ? (
        <>
          {" "}
          <Badge tone="warning">{t("orders.flag.cancellationRequested")}</Badge>
        </>
      ) : null}
      {order.disputeStatus ? (
        <>
          {" "}
          <Badge tone={order.disputeStatus === "open" ? "danger" : "neutral"}>{t(order.disputeStatus === "open" ? "orders.flag.disputeOpen" : "orders.flag.disputeResolved")}</Badge>
        </>
      ) : null}
    </>
  );
}

export function OrdersPage({ side, view, filters, filterErrors }: { side: OrderSide; view: OrdersListView } & ListFilterState) {
  const { t, tPlural, formatDate } = useI18n();
  const formatMoney = useCatalogueMoney();
  const filtered = Object.keys(filters).some((k) => k !== "page" && filters[k]);
  return (
    <div className="stack">
      <PageHeader title={t("orders.title")} description={t(side === "buyer" ? "orders.buyerIntro" : "orders.sellerIntro")} />
      <FilterPanel
        labels={{ form: t("orders.filter.label"), ignored: t("orders.filter.ignored"), apply: t("orders.filter.apply"), clear: t("orders.filter.clear") }}
        clearTo="/orders"
        filterErrors={filterErrors}
      >
        <TextField name="q" label={t("orders.filter.q")} hint={t("orders.filter.qHint")} defaultValue={filters.q ?? ""} errors={filterErrors.q} maxLength={200} autoComplete="off" />
        <SelectField
          name="status"
          label={t("orders.filter.status")}
          defaultValue={filters.status ?? ""}
          errors={filterErrors.status}
          options={[{ value: "", label: t("orders.filter.any") }, ...ORDER_STATUS_VALUES.map((s) => ({ value: s, label: t(`orders.status.${s}`) }))]}
        />
        {view.counterparties && view.counterparties.length > 0 ? (
          <SelectField
            name="counterparty"
            label={t(side === "buyer" ? "orders.filter.counterpartySeller" : "orders.filter.counterpartyBuyer")}
            defaultValue={filters.counterparty ?? ""}
            errors={filterErrors.counterparty}
            options={[{ value: "", label: t("orders.filter.anyCounterparty") }, ...view.counterparties.map((c) => ({ value: c.id, label: c.name }))]}
          />
        ) : null}
        <DateField name="from" label={t("orders.filter.from")} value={filters.from} errors={filterErrors.from} />
        <DateField name="to" label={t("orders.filter.to")} value={filters.to} errors={filterErrors.to} />
      </FilterPanel>
      <Card>
        <p className="table-summary">{tPlural("orders.count", view.total)}</p>
        {view.items.length === 0 ? (
          <p className="empty-state">{t(filtered ? "orders.emptyFiltered" : "orders.empty")}</p>
        ) : (
          <DataTable
            caption={t("orders.table.caption")}
            columns={[
              t("orders.table.order"),
              t(side === "buyer" ? "orders.table.seller" : "orders.table.buyer"),
              t("orders.table.rfq"),
              t("orders.table.status"),
              t("orders.table.total"),
              t("orders.table.placed"),
              t("orders.table.expected"),
            ]}
          >
            {view.items.map((o) => (
              <tr key={o.id}>
                <th scope="row">
                  <Link to={`/orders/${o.id}`} className="cell-name mono">
                    {o.reference}
                  </Link>
                  <span className="cell-sub">{tPlural("orders.lines", o.lineCount)}</span>
                  {o.poNumber ? <span className="cell-sub">{t("orders.poNumber", { po: o.poNumber })}</span> : null}
                </th>
                <td>{o.counterparty.name}</td>
                <td>
                  {o.rfq ? (
                    <>
                      <span className="mono">{o.rfq.reference}</span>
                      <span className="cell-sub">{o.rfq.title}</span>
                    </>
                  ) : (
                    <span className="muted">—</span>
                  )}
                </td>
                <td>
                  <OrderStatusBadge status={o.status} />
                  <OrderFlags order={o} />
                </td>
                <td className="cell-nowrap cell-amount">{formatMoney(o.total)}</td>
                <td className="cell-nowrap">
                  <time dateTime={o.placedAt}>{formatDate(o.placedAt)}</time>
                </td>
                <td className="cell-nowrap">{o.expectedDeliveryAt ? <time dateTime={o.expectedDeliveryAt}>{formatDate(o.expectedDeliveryAt)}</time> : <span className="muted">—</span>}</td>
              </tr>
            ))}
          </DataTable>
        )}
        <Pagination page={view.page} pageSize={view.pageSize} total={view.total} label={t("orders.pagination")} />
      </Card>
    </div>
  );
}

export function OrderPage({ side, order, result = null, disputeDays = 14 }: { side: OrderSide; order: OrderPageView; result?: unknown; disputeDays?: number }) {
  const { t, formatDate, formatDateTime } = useI18n();
  const formatMoney = useCatalogueMoney();
  const resolutionLabel = useResolutionLabel();
  const address = order.deliveryAddress;
  return (
    <div className="stack">
      <SellerBackLink to="/orders">{t("orders.back")}</SellerBackLink>
      <PageHeader
        title={t("order.title", { reference: order.reference })}
        actions={
          <>
            <OrderStatusBadge status={order.status} />
            <OrderFlags order={order} />
          </>
        }
      />
      {order.status === "rejected" && order.rejectedAt ? (
        <Alert tone="warning" title={t("order.rejectedTitle", { date: formatDateTime(order.rejectedAt) })}>
          {order.rejectReason ? <p className="prewrap">{order.rejectReason}</p> : null}
        </Alert>
      ) : null}
      {order.status === "cancelled" && order.cancelledAt ? (
        <Alert tone="warning" title={t("order.cancelledTitle", { date: formatDateTime(order.cancelledAt) })}>
          {order.cancelReason ? <p className="prewrap">{order.cancelReason}</p> : null}
        </Alert>
      ) : null}
      {order.cancellation ? (
        <Alert tone="warning" title={t(order.cancellation.requestedBy === "buyer" ? "order.cancellation.requestedBy.buyer" : "order.cancellation.requestedBy.seller", { date: formatDateTime(order.cancellation.requestedAt) })}>
          {order.cancellation.reason ? <p className="prewrap">{order.cancellation.reason}</p> : null}
          <p>{t("order.cancellation.waiting")}</p>
        </Alert>
      ) : null}
      {order.dispute ? (
        <Alert tone={order.dispute.status === "open" ? "warning" : "info"} title={t("order.dispute.title")}>
          <p>
            {order.dispute.status === "open" || !order.dispute.resolvedAt
              ? t("order.dispute.openSince", { date: formatDateTime(order.dispute.openedAt) })
              : t("order.dispute.resolvedOn", { date: formatDateTime(order.dispute.resolvedAt) })}
          </p>
          <dl className="details">
            <dt>{t("order.dispute.reason")}</dt>
            <dd className="prewrap">{order.dispute.reason}</dd>
            {order.dispute.resolution ? (
              <>
                <dt>{t("order.dispute.decision")}</dt>
                <dd>{resolutionLabel(order.dispute.resolution, order.dispute.refund)}</dd>
                <dt>{t("order.dispute.note")}</dt>
                <dd className="prewrap">{order.dispute.note}</dd>
              </>
            ) : null}
          </dl>
        </Alert>
      ) : null}
      {side === "buyer" && order.disputeWindowClosesAt && order.moves?.includes("open_dispute") ? (
        <p className="muted">{t("order.dispute.windowCloses", { date: formatDateTime(order.disputeWindowClosesAt) })}</p>
      ) : null}
      <OrderMoves moves={order.moves ?? []} version={order.version ?? 1} disputeDays={disputeDays} result={result} />
      <div className="grid-2">
        <Card>
          <dl className="details">
            <dt>{t(side === "buyer" ? "order.seller" : "order.buyer")}</dt>
            <dd>{order.counterparty.name}</dd>
            {order.rfq ? (
              <>
                <dt>{t("order.rfq")}</dt>
                <dd>
                  <Link to={`/rfqs/${order.rfq.id}`}>
                    <span className="mono">{order.rfq.reference}</span> · {order.rfq.title}
                  </Link>
                </dd>
              </>
            ) : null}
            {side === "buyer" && order.purchaseId ? (
              <>
                <dt>{t("order.purchase")}</dt>
                <dd>
                  <Link to={`/purchases/${order.purchaseId}`}>{t("order.purchaseLink")}</Link>
                </dd>
              </>
            ) : null}
            {order.poNumber ? (
              <>
                <dt>{t("order.poNumber")}</dt>
                <dd className="mono">{order.poNumber}</dd>
              </>
            ) : null}
            <dt>{t("order.placedAt")}</dt>
            <dd>
              <time dateTime={order.placedAt}>{formatDateTime(order.placedAt)}</time>
            </dd>
            {order.acceptedAt ? (
              <>
                <dt>{t("order.acceptedAt")}</dt>
                <dd>
                  <time dateTime={order.acceptedAt}>{formatDateTime(order.acceptedAt)}</time>
                </dd>
              </>
            ) : null}
            <dt>{t("order.leadTime")}</dt>
            <dd>{t("order.leadTimeDays", { days: order.leadTimeDays })}</dd>
            <dt>{t("order.expected")}</dt>
            <dd>{order.expectedDeliveryAt ? <time dateTime={order.expectedDeliveryAt}>{formatDate(order.expectedDeliveryAt)}</time> : "—"}</dd>
            {order.shippedAt ? (
              <>
                <dt>{t("order.shippedAt")}</dt>
                <dd>
                  <time dateTime={order.shippedAt}>{formatDateTime(order.shippedAt)}</time>
                </dd>
              </>
            ) : null}
            {order.carrier && order.trackingReference ? (
              <>
                <dt>{t("order.shipment")}</dt>
                <dd>{t("order.shipmentValue", { carrier: order.carrier, reference: order.trackingReference })}</dd>
              </>
            ) : null}
            {order.deliveredAt ? (
              <>
                <dt>{t("order.deliveredAt")}</dt>
                <dd>
                  <time dateTime={order.deliveredAt}>{formatDateTime(order.deliveredAt)}</time>
                  {order.deliveryConfirmedBy ? <span className="cell-sub">{t(order.deliveryConfirmedBy === "auto" ? "order.deliveredBy.auto" : "order.deliveredBy.buyer")}</span> : null}
                </dd>
              </>
            ) : null}
            {order.settledAt ? (
              <>
                <dt>{t("order.settledAt")}</dt>
                <dd>
                  <time dateTime={order.settledAt}>{formatDateTime(order.settledAt)}</time>
                </dd>
              </>
            ) : null}
          </dl>
        </Card>
        {address ? (
          <Card title={t("order.deliveryAddress")}>
            <address className="prewrap">
              {[address.label, address.recipient, address.line1, address.line2, `${address.postalCode} ${address.city}`, address.country].filter((line) => line.trim() !== "").join("\n")}
            </address>
          </Card>
        ) : null}
      </div>
      {order.awardNote ? (
        <Card title={t("order.note")}>
          <p className="prewrap">{order.awardNote}</p>
        </Card>
      ) : null}
      <Card title={t("order.lines.title")}>
        <DataTable caption={t("order.lines.caption")} columns={[t("order.lines.description"), t("order.lines.quantity"), t("order.lines.unitPrice"), t("order.lines.total")]}>
          {order.lines.map((l) => (
            <tr key={l.id}>
              <th scope="row">{l.description}</th>
              <td className="cell-nowrap">
                {l.quantity} {l.unit}
              </td>
              <td className="cell-nowrap cell-amount">{formatMoney(l.unitPrice)}</td>
              <td className="cell-nowrap cell-amount">{formatMoney(l.lineTotal)}</td>
            </tr>
          ))}
          <tr className="row--total">
            <th scope="row" colSpan={3}>
              {t("order.total")}
            </th>
            <td className="cell-nowrap cell-amount">{formatMoney(order.total)}</td>
          </tr>
        </DataTable>
      </Card>
      <OrderMoneyCard side={side} money={order.money} />
      {order.timeline && order.timeline.length > 0 ? <OrderTimeline events={order.timeline} currency={order.total.currency} /> : null}
    </div>
  );
}
