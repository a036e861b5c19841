import { Form, Link } from "@remix-run/react";
import { useI18n } from "../../i18n/context";
import { isFormFailure } from "../../types";
import { Alert } from "../alert";
import { useCatalogueMoney } from "../catalogue-buyer-price";
import { SellerBackLink, SellerFormError } from "../catalogue-seller-common";
import { FilterPanel, type ListFilterState } from "../filters";
import { SelectField, SubmitButton } from "../form";
import { Card, PageHeader } from "../layout";
import { ApprovalStatusBadge, OrderStatusBadge, useApproverRoleLabel } from "../orders/common";
import { Pagination } from "../pagination";
import { DataTable } from "../table";
import { AddressLines, PURCHASING_INTENT, PurchaseStatusBadge, type PurchaseDeliveryAddressView, type PurchasingMoneyView } from "./common";

/** The buyer's purchases (listPurchases) and one purchase with its orders and approval (getPurchase). */

export const PURCHASE_STATUS_VALUES = ["pending_approval", "placed", "rejected", "withdrawn"] as const;

export interface PurchaseRowPageView {
  id: string;
  reference: string;
  status: string;
  total: PurchasingMoneyView;
  poNumber: string;
  sellerNames: readonly string[];
  lineCount: number;
  orderCount: number;
  placedBy: string | null;
  createdAt: string;
}

export interface PurchasesListView {
  items: readonly PurchaseRowPageView[];
  page: number;
  pageSize: number;
  total: number;
}

export interface PurchasePageView {
  id: string;
  reference: string;
  status: string;
  total: PurchasingMoneyView;
  poNumber: string;
  deliveryAddress: PurchaseDeliveryAddressView;
  placedBy: string | null;
  createdAt: string;
  decidedAt: string | null;
  sellers: readonly {
    seller: { id: string; name: string };
    lines: readonly { position: number; listingId: string | null; sku: string; description: string; unit: string; quantity: number; unitPrice: PurchasingMoneyView; lineTotal: PurchasingMoneyView }[];
    subtotal: PurchasingMoneyView;
    order: { id: string; reference: string; status: string } | null;
  }[];
  approval: { id: string; status: string; approverRole: string; decidedBy: string | null; decidedAt: string | null; comment: string; canOpen: boolean } | null;
  canWithdraw: boolean;
}

export function PurchasesPage({ view, filters, filterErrors }: { view: PurchasesListView } & ListFilterState) {
  const { t, formatDateTime } = useI18n();
  const formatMoney = useCatalogueMoney();
  return (
    <div className="stack">
      <PageHeader title={t("purchases.title")} description={t("purchases.intro")} />
      <FilterPanel labels={{ form: t("purchases.filter.label"), ignored: t("purchases.filter.ignored"), apply: t("purchases.filter.apply"), clear: t("purchases.filter.clear") }} clearTo="/purchases" filterErrors={filterErrors}>
        <SelectField
          name="status"
          label={t("purchases.filter.status")}
          defaultValue={filters.status ?? ""}
          errors={filterErrors.status}
          options={[{ value: "", label: t("purchases.filter.any") }, ...PURCHASE_STATUS_VALUES.map((s) => ({ value: s, label: t(`purchases.status.${s}`) }))]}
        />
      </FilterPanel>
      <Card>
        {view.items.length === 0 ? (
          <p className="empty-state">{t("purchases.empty")}</p>
        ) : (
          <DataTable caption={t("purchases.table.caption")} columns={[t("purchases.table.reference"), t("purchases.table.sellers"), t("purchases.table.total"), t("purchases.table.status"), t("purchases.table.placed")]}>
            {view.items.map((p) => (
              <tr key={p.id}>
                <th scope="row">
                  <Link to={`/purchases/${p.id}`} className="cell-name">
                    {p.reference}
                  </Link>
                  {p.poNumber ? <span className="cell-sub">{t("purchases.po", { po: p.poNumber })}</span> : null}
                </th>
                <td>
                  {p.sellerNames.join(", ")}
                  <span className="cell-sub">{t("purchases.lines", { lines: p.lineCount, orders: p.orderCount })}</span>
                </td>
                <td className="cell-nowrap cell-amount">{formatMoney(p.total)}</td>
                <td>
                  <PurchaseStatusBadge status={p.status} />
                </td>
                <td>
                  {p.placedBy ?? "—"}
                  <span className="cell-sub">
                    <time dateTime={p.createdAt}>{formatDateTime(p.createdAt)}</time>
                  </span>
                </td>
              </tr>
            ))}
          </DataTable>
        )}
        <Pagination page={view.page} pageSize={view.pageSize} total={view.total} label={t("purchases.pagination")} />
      </Card>
    </div>
  );
}

/** The lines of a purchase per seller, with the order placed for each seller (used by the approval page too). */
export function PurchaseSellers({ purchase }: { purchase: Pick<PurchasePageView, "sellers" | "total"> }) {
  const { t } = useI18n();
  const formatMoney = useCatalogueMoney();
  return (
    <>
      {purchase.sellers.map((s) => (
        <Card key={s.seller.id} title={s.seller.name}>
          {s.order ? (
            <p>
              <Link to={`/orders/${s.order.id}`}>{t("purchase.order", { reference: s.order.reference })}</Link> <OrderStatusBadge status={s.order.status} />
            </p>
          ) : (
            <p className="muted">{t("purchase.noOrderYet")}</p>
          )}
          <DataTable caption={t("purchase.sellerLines", { name: s.seller.name })} columns={[t("purchase.table.product"), t("purchase.table.quantity"), t("purchase.table.unitPrice"), t("purchase.table.lineTotal")]}>
            {s.lines.map((l) => (
              <tr key={l.position}>
                <th scope="row">
                  {l.listingId ? <Link to={`/catalogue/${l.listingId}`}>{l.description}</Link> : l.description}
                  <span className="cell-sub mono">{l.sku}</span>
                </th>
                <td className="cell-nowrap">{`${l.quantity} ${l.unit}`}</td>
                <td className="cell-nowrap cell-amount">{formatMoney(l.unitPrice)}</td>
                <td className="cell-nowrap cell-amount">{formatMoney(l.lineTotal)}</td>
              </tr>
            ))}
            <tr className="row--total">
              <th scope="row" colSpan={3}>
                {t("purchase.sellerSubtotal", { name: s.seller.name })}
              </th>
              <td className="cell-nowrap cell-amount">{formatMoney(s.subtotal)}</td>
            </tr>
          </DataTable>
        </Card>
      ))}
      <dl className="details award-total">
        <dt>{t("purchase.total")}</dt>
        <dd className="summary-value">{formatMoney(purchase.total)}</dd>
      </dl>
    </>
  );
}

/** A catalogue purchase on its approval's page: PO number, delivery address, lines per seller. */
export function PurchaseApprovalCard({ purchase }: { purchase: Pick<PurchasePageView, "id" | "reference" | "poNumber" | "deliveryAddress" | "sellers" | "total"> }) {
  const { t } = useI18n();
  return (
    <Card title={t("purchase.approvalCard.title")}>
      <p>
        <Link to={`/purchases/${purchase.id}`}>{t("purchase.approvalCard.open", { reference: purchase.reference })}</Link>
      </p>
      <dl className="details">
        <dt>{t("purchase.poNumber")}</dt>
        <dd>{purchase.poNumber || "—"}</dd>
        <dt>{t("purchase.deliveryAddress")}</dt>
        <dd>
          <AddressLines address={purchase.deliveryAddress} />
        </dd>
      </dl>
      <PurchaseSellers purchase={purchase} />
    </Card>
  );
}

export function PurchasePage({ purchase, result }: { purchase: PurchasePageView; result: unknown }) {
  const { t, formatDateTime } = useI18n();
  const roleLabel = useApproverRoleLabel();
  const failure = isFormFailure(result) ? result : null;
  return (
    <div className="stack">
      <SellerBackLink to="/purchases">{t("purchases.back")}</SellerBackLink>
      <PageHeader title={t("purchase.title", { reference: purchase.reference })} description={t(`purchase.statusIntro.${purchase.status === "pending_approval" || purchase.status === "placed" || purchase.status === "rejected" ? purchase.status : "withdrawn"}`)} actions={<PurchaseStatusBadge status={purchase.status} />} />
      <SellerFormError failure={failure} />
      <Card title={t("purchase.details")}>
        <dl className="details">
          <dt>{t("purchase.placedBy")}</dt>
          <dd>
            {purchase.placedBy ?? "—"} · <time dateTime={purchase.createdAt}>{formatDateTime(purchase.createdAt)}</time>
          </dd>
          <dt>{t("purchase.poNumber")}</dt>
          <dd>{purchase.poNumber || "—"}</dd>
          <dt>{t("purchase.deliveryAddress")}</dt>
          <dd>
            <AddressLines address={purchase.deliveryAddress} />
          </dd>
        </dl>
      </Card>
      {purchase.approval ? (
        <Card title={t("purchase.approval.title")}>
          <p>
            <ApprovalStatusBadge status={purchase.approval.status} /> {t("purchase.approval.by", { role: roleLabel(purchase.approval.approverRole) })}
          </p>
          {purchase.status === "withdrawn" ? <p className="muted">{t("purchase.approval.withdrawn")}</p> : null}
          {purchase.approval.decidedAt && purchase.status !== "withdrawn" ? (
            <p>{t("purchase.approval.decided", { name: purchase.approval.decidedBy ?? "—", date: formatDateTime(purchase.approval.decidedAt) })}</p>
          ) : null}
          {purchase.approval.comment && purchase.status !== "withdrawn" ? <p className="prewrap">{purchase.approval.comment}</p> : null}
          {purchase.approval.canOpen ? (
            <p>
              <Link to={`/approvals/${purchase.approval.id}`}>{t("purchase.approval.open")}</Link>
            </p>
          ) : null}
          {purchase.canWithdraw ? (
            <Form method="post" className="form">
              <p className="muted">{t("purchase.withdraw.intro")}</p>
              <div className="button-row">
                <SubmitButton name="intent" value={PURCHASING_INTENT.withdraw} variant="secondary">
                  {t("purchase.withdraw.submit")}
                </SubmitButton>
              </div>
            </Form>
          ) : null}
        </Card>
      ) : null}
      {purchase.status === "rejected" ? <Alert tone="warning">{t("purchase.rejectedNote")}</Alert> : null}
      <PurchaseSellers purchase={purchase} />
    </div>
  );
}
