import { Link } from "@remix-run/react";
import { useI18n } from "../../i18n/context";
import { useCatalogueMoney } from "../catalogue-buyer-price";
import { SellerBackLink } from "../catalogue-seller-common";
import { FilterPanel, type ListFilterState } from "../filters";
import { SelectField, TextField } from "../form";
import { Card, PageHeader } from "../layout";
import { Pagination } from "../pagination";
import { DataTable } from "../table";
import { ORDER_STATUS_VALUES, OrderStatusBadge, type OrderMoneyView } from "./common";

/**
 * The orders of a buyer or of a seller (listBuyerOrders / listSellerOrders) and one order with its
 * lines. Only shown: the lifecycle beyond `placed` has its own actions (next issue).
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
}

export interface OrdersListView {
  items: readonly OrderRowPageView[];
  page: number;
  pageSize: number;
  total: number;
}

export interface OrderPageView extends OrderRowPageView {
  lines: readonly { id: string; position: number; description: string; unit: string; quantity: number; unitPrice: OrderMoneyView; lineTotal: OrderMoneyView }[];
  deliveredAt: string | null;
  awardNote: string | null;
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

export function OrderPage({ side, order }: { side: OrderSide; order: OrderPageView }) {
  const { t, formatDate, formatDateTime } = useI18n();
  const formatMoney = useCatalogueMoney();
  return (
    <div className="stack">
      <SellerBackLink to="/orders">{t("orders.back")}</SellerBackLink>
      <PageHeader title={t("order.title", { reference: order.reference })} actions={<OrderStatusBadge status={order.status} />} />
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
          <dt>{t("order.placedAt")}</dt>
          <dd>
            <time dateTime={order.placedAt}>{formatDateTime(order.placedAt)}</time>
          </dd>
          <dt>{t("order.leadTime")}</dt>
          <dd>{t("order.leadTimeDays", { days: order.leadTimeDays })}</dd>
          <dt>{t("order.expected")}</dt>
          <dd>{order.expectedDeliveryAt ? <time dateTime={order.expectedDeliveryAt}>{formatDate(order.expectedDeliveryAt)}</time> : "—"}</dd>
          {order.deliveredAt ? (
            <>
              <dt>{t("order.deliveredAt")}</dt>
              <dd>
                <time dateTime={order.deliveredAt}>{formatDateTime(order.deliveredAt)}</time>
              </dd>
            </>
          ) : null}
        </dl>
      </Card>
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
    </div>
  );
}
