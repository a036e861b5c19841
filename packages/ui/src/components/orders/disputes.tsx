import { Form, Link } from "@remix-run/react";
import { useI18n } from "../../i18n/context";
import { isFormFailure } from "../../types";
import { Alert } from "../alert";
import { useCatalogueMoney } from "../catalogue-buyer-price";
import { SellerBackLink, SellerFormError } from "../catalogue-seller-common";
import { FilterPanel, type ListFilterState } from "../filters";
import { errorsOf, SelectField, SubmitButton, TextAreaField, TextField, useFailureKey, valueOf } from "../form";
import { Card, PageHeader } from "../layout";
import { Pagination } from "../pagination";
import { DataTable } from "../table";
import { OrderStatusBadge, type OrderMoneyView } from "./common";
import { DisputeStatusBadge, OrderTimeline, useResolutionLabel, type OrderEventPageView } from "./order-lifecycle";

/** The operator's disputes: the list (listDisputes) and one dispute with its order and the resolution form (getDispute). */

export const DISPUTE_STATUS_VALUES = ["open", "resolved"] as const;
export const DISPUTE_RESOLUTION_VALUES = ["release", "partial_refund", "full_refund"] as const;

export interface DisputeRowPageView {
  id: string;
  status: "open" | "resolved";
  reason: string;
  openedAt: string;
  resolution: "release" | "partial_refund" | "full_refund" | null;
  refund: OrderMoneyView | null;
  resolvedAt: string | null;
  order: { id: string; reference: string; status: string; total: OrderMoneyView };
  buyer: { id: string; name: string };
  seller: { id: string; name: string };
}

export interface DisputesListView {
  items: readonly DisputeRowPageView[];
  page: number;
  pageSize: number;
  total: number;
  counts: { open: number; resolved: number };
}

export interface DisputePageView {
  id: string;
  status: "open" | "resolved";
  reason: string;
  openedAt: string;
  openedBy: string | null;
  resolution: "release" | "partial_refund" | "full_refund" | null;
  refund: OrderMoneyView | null;
  resolvedAt: string | null;
  resolvedBy: string | null;
  note: string;
  buyer: { id: string; name: string };
  seller: { id: string; name: string };
  settled: boolean;
  refundable: OrderMoneyView;
  canResolve: boolean;
  /** Refunds move money: finance and admins only; a moderator may only release. */
  mayRefund: boolean;
  /** The viewer reads the ledger too: the order's money page (/ledger/orders/:orderId) is linked. */
  canReadLedger: boolean;
  order: {
    id: string;
    reference: string;
    status: string;
    total: OrderMoneyView;
    deliveredAt: string | null;
    lines: readonly { id: string; description: string; unit: string; quantity: number; unitPrice: OrderMoneyView; lineTotal: OrderMoneyView }[];
    timeline: readonly OrderEventPageView[];
  };
}

export function DisputesPage({ view, filters, filterErrors }: { view: DisputesListView } & ListFilterState) {
  const { t, tPlural, formatDateTime } = useI18n();
  const formatMoney = useCatalogueMoney();
  const resolutionLabel = useResolutionLabel();
  const filtered = Object.keys(filters).some((k) => k !== "page" && filters[k]);
  return (
    <div className="stack">
      <PageHeader title={t("disputes.title")} description={t("disputes.intro")} />
      <FilterPanel
        labels={{ form: t("disputes.filter.label"), ignored: t("disputes.filter.ignored"), apply: t("disputes.filter.apply"), clear: t("disputes.filter.clear") }}
        clearTo="/disputes"
        filterErrors={filterErrors}
      >
        <TextField name="q" label={t("disputes.filter.q")} hint={t("disputes.filter.qHint")} defaultValue={filters.q ?? ""} errors={filterErrors.q} maxLength={200} autoComplete="off" />
        <SelectField
          name="status"
          label={t("disputes.filter.status")}
          defaultValue={filters.status ?? ""}
          errors={filterErrors.status}
          options={[{ value: "", label: t("disputes.filter.any") }, ...DISPUTE_STATUS_VALUES.map((s) => ({ value: s, label: t(`disputes.status.${s}`) }))]}
        />
      </FilterPanel>
      <Card>
        <p className="table-summary">
          {tPlural("disputes.count", view.total)} · {tPlural("disputes.openCount", view.counts.open)}
        </p>
        {view.items.length === 0 ? (
          <p className="empty-state">{t(filtered ? "disputes.emptyFiltered" : "disputes.empty")}</p>
        ) : (
          <DataTable
            caption={t("disputes.table.caption")}
            columns={[t("disputes.table.order"), t("disputes.table.parties"), t("disputes.table.amount"), t("disputes.table.opened"), t("disputes.table.status")]}
          >
            {view.items.map((d) => (
              <tr key={d.id} className={d.status === "open" ? "row--current" : undefined}>
                <th scope="row">
                  <Link to={`/disputes/${d.id}`} className="cell-name mono">
                    {d.order.reference}
                  </Link>
                  <span className="cell-sub">{d.reason.length > 120 ? `${d.reason.slice(0, 119)}…` : d.reason}</span>
                </th>
                <td>
                  {d.buyer.name} → {d.seller.name}
                </td>
                <td className="cell-nowrap cell-amount">{formatMoney(d.order.total)}</td>
                <td className="cell-nowrap">
                  <time dateTime={d.openedAt}>{formatDateTime(d.openedAt)}</time>
                </td>
                <td>
                  <DisputeStatusBadge status={d.status} />
                  {d.resolution ? <span className="cell-sub">{resolutionLabel(d.resolution, d.refund)}</span> : null}
                </td>
              </tr>
            ))}
          </DataTable>
        )}
        <Pagination page={view.page} pageSize={view.pageSize} total={view.total} label={t("disputes.pagination")} />
      </Card>
    </div>
  );
}

export function DisputePage({ dispute, result }: { dispute: DisputePageView; result: unknown }) {
  const { t, formatDateTime } = useI18n();
  const formatMoney = useCatalogueMoney();
  const resolutionLabel = useResolutionLabel();
  const failure = isFormFailure(result) ? result : null;
  const formKey = useFailureKey(failure);
  const { order } = dispute;
  return (
    <div className="stack">
      <SellerBackLink to="/disputes">{t("disputes.back")}</SellerBackLink>
      <PageHeader
        title={t("dispute.title", { reference: order.reference })}
        description={t("dispute.openedBy", { name: dispute.openedBy ?? "—", date: formatDateTime(dispute.openedAt) })}
        actions={<DisputeStatusBadge status={dispute.status} />}
      />
      <Card title={t("dispute.reason")}>
        <p className="prewrap">{dispute.reason}</p>
      </Card>
      {dispute.status === "resolved" && dispute.resolution && dispute.resolvedAt ? (
        <Alert tone="success" title={t("dispute.resolvedBy", { name: dispute.resolvedBy ?? "—", date: formatDateTime(dispute.resolvedAt) })}>
          <p>{resolutionLabel(dispute.resolution, dispute.refund)}</p>
          <p className="prewrap">{dispute.note}</p>
        </Alert>
      ) : null}
      <Card title={t("dispute.order")}>
        <dl className="details">
          <dt>{t("dispute.buyer")}</dt>
          <dd>{dispute.buyer.name}</dd>
          <dt>{t("dispute.seller")}</dt>
          <dd>{dispute.seller.name}</dd>
          <dt>{t("dispute.orderStatus")}</dt>
          <dd>
            <OrderStatusBadge status={order.status} />
          </dd>
          <dt>{t("dispute.total")}</dt>
          <dd>{formatMoney(order.total)}</dd>
          <dt>{t("dispute.refundable")}</dt>
          <dd>{formatMoney(dispute.refundable)}</dd>
          <dt>{t("dispute.settlement")}</dt>
          <dd>{t(dispute.settled ? "dispute.settled" : "dispute.notSettled")}</dd>
        </dl>
        {dispute.canReadLedger ? (
          <p>
            <Link to={`/ledger/orders/${order.id}`}>{t("dispute.ledger")}</Link>
          </p>
        ) : null}
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
        </DataTable>
      </Card>
      {dispute.canResolve ? (
        <Card title={t("dispute.resolve.title")} id="resolve">
          <p className="muted">{t("dispute.resolve.intro")}</p>
          <SellerFormError failure={failure} />
          <Form key={formKey} method="post" className="form" noValidate preventScrollReset>
            <SelectField
              name="resolution"
              label={t("dispute.resolve.resolution")}
              required
              defaultValue={valueOf(failure, "resolution") ?? "release"}
              errors={errorsOf(failure, "resolution")}
              options={DISPUTE_RESOLUTION_VALUES.filter((r) => r === "release" || dispute.mayRefund).map((r) => ({ value: r, label: t(`dispute.resolution.${r}`) }))}
              hint={dispute.mayRefund ? undefined : t("dispute.resolve.releaseOnly")}
            />
            {dispute.mayRefund ? (
              <TextField
                name="amount"
                label={t("dispute.resolve.amount", { currency: order.total.currency })}
                hint={t("dispute.resolve.amountHint", { amount: formatMoney(dispute.refundable) })}
                defaultValue={valueOf(failure, "amount")}
                errors={errorsOf(failure, "amount")}
                autoComplete="off"
                maxLength={40}
              />
            ) : null}
            <TextAreaField
              name="note"
              label={t("dispute.resolve.note")}
              hint={t("dispute.resolve.noteHint")}
              required
              rows={4}
              maxLength={2000}
              defaultValue={valueOf(failure, "note")}
              errors={errorsOf(failure, "note")}
            />
            <div className="button-row">
              <SubmitButton>{t("dispute.resolve.submit")}</SubmitButton>
            </div>
          </Form>
        </Card>
      ) : null}
      <OrderTimeline events={order.timeline} currency={order.total.currency} />
    </div>
  );
}
