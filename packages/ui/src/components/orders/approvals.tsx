import { Form, Link } from "@remix-run/react";
import { useI18n } from "../../i18n/context";
import { isFormFailure } from "../../types";
import { Alert, Badge } from "../alert";
import { useCatalogueMoney } from "../catalogue-buyer-price";
import { SellerBackLink, SellerFormError } from "../catalogue-seller-common";
import { FilterPanel, type ListFilterState } from "../filters";
import { errorsOf, SelectField, SubmitButton, TextAreaField, useFailureKey, valueOf } from "../form";
import { Card, PageHeader } from "../layout";
import { Pagination } from "../pagination";
import { PurchaseApprovalCard, type PurchasePageView } from "../purchasing/purchases-pages";
import { DataTable } from "../table";
import { ApprovalChainCard, ApprovalLevelBadges, type ApprovalChainView } from "../budgets/approval-chain";
import { APPROVAL_STATUS_VALUES, ApprovalStatusBadge, useApproverRoleLabel, type ApproverRoleView, type OrderMoneyView } from "./common";

/** The buyer's approvals: the list (listApprovals) and one approval with its award or catalogue purchase (getApproval). */

export interface ApprovalRowPageView {
  id: string;
  /** An RFQ award or a catalogue purchase: each has its own wording. */
  subjectKind: "award" | "purchase";
  reference: string;
  title: string;
  amount: OrderMoneyView;
  threshold: OrderMoneyView;
  approverRole: ApproverRoleView;
  status: string;
  requestedBy: string;
  requestedAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
  mine: boolean;
  canDecide: boolean;
  /** Two-level chains and budgets (optional: older views have neither). */
  level?: 1 | 2;
  levels?: 1 | 2;
  reason?: "threshold" | "budget";
}

export interface ApprovalsListView {
  items: readonly ApprovalRowPageView[];
  page: number;
  pageSize: number;
  total: number;
  pendingCount: number;
}

export interface ApprovalAwardView {
  status: string;
  note: string;
  total: OrderMoneyView;
  rfq: { id: string; reference: string; title: string; status: string; incoterm: string; deliveryPlace: string };
  sellers: readonly {
    sellerId: string;
    name: string;
    leadTimeDays: number;
    total: OrderMoneyView;
    lines: readonly { lineId: string; description: string; unit: string; quantity: number; lineQuantity: number; unitPrice: OrderMoneyView; lineTotal: OrderMoneyView }[];
    order: { id: string; reference: string } | null;
  }[];
}

/** The catalogue purchase an approval is about (subject "purchase"): PO number, delivery address, lines per seller. */
export type ApprovalPurchaseView = Pick<PurchasePageView, "id" | "reference" | "poNumber" | "deliveryAddress" | "sellers" | "total">;

export interface ApprovalPageView extends ApprovalRowPageView, Pick<ApprovalChainView, "chain" | "budget"> {
  comment: string;
  blocker: string | null;
  award: ApprovalAwardView | null;
  purchase: ApprovalPurchaseView | null;
}

export function ApprovalsPage({ view, filters, filterErrors }: { view: ApprovalsListView } & ListFilterState) {
  const { t, tPlural, formatDateTime } = useI18n();
  const formatMoney = useCatalogueMoney();
  return (
    <div className="stack">
      <PageHeader title={t("approvals.title")} description={t("approvals.intro")} />
      <FilterPanel
        labels={{ form: t("approvals.filter.label"), ignored: t("approvals.filter.ignored"), apply: t("approvals.filter.apply"), clear: t("approvals.filter.clear") }}
        clearTo="/approvals"
        filterErrors={filterErrors}
      >
        <SelectField
          name="status"
          label={t("approvals.filter.status")}
          defaultValue={filters.status ?? ""}
          errors={filterErrors.status}
          options={[{ value: "", label: t("approvals.filter.any") }, ...APPROVAL_STATUS_VALUES.map((s) => ({ value: s, label: t(`approvals.status.${s}`) }))]}
        />
      </FilterPanel>
      <Card>
        {view.pendingCount > 0 ? <p className="table-summary">{tPlural("approvals.pendingCount", view.pendingCount)}</p> : null}
        {view.items.length === 0 ? (
          <p className="empty-state">{t("approvals.empty")}</p>
        ) : (
          <DataTable
            caption={t("approvals.table.caption")}
            columns={[t("approvals.table.subject"), t("approvals.table.amount"), t("approvals.table.requested"), t("approvals.table.status"), t("approvals.table.decided")]}
          >
            {view.items.map((a) => (
              <tr key={a.id} className={a.canDecide ? "row--current" : undefined}>
                <th scope="row">
                  <Link to={`/approvals/${a.id}`} className="cell-name">
                    {a.reference}
                  </Link>
                  <span className="cell-sub">{a.title}</span>
                </th>
                <td className="cell-nowrap cell-amount">{formatMoney(a.amount)}</td>
                <td>
                  {a.requestedBy}
                  <span className="cell-sub">
                    <time dateTime={a.requestedAt}>{formatDateTime(a.requestedAt)}</time>
                  </span>
                </td>
                <td>
                  <ApprovalStatusBadge status={a.status} /> <ApprovalLevelBadges approval={a} />{" "}
                  {a.canDecide ? <Badge tone="info">{t("approvals.toDecide")}</Badge> : a.mine ? <Badge tone="neutral">{t("approvals.yours")}</Badge> : null}
                </td>
                <td>
                  {a.decidedAt ? (
                    <>
                      {a.status === "withdrawn" ? t("approvals.withdrawnByRequester") : (a.decidedBy ?? "—")}
                      <span className="cell-sub">
                        <time dateTime={a.decidedAt}>{formatDateTime(a.decidedAt)}</time>
                      </span>
                    </>
                  ) : (
                    <span className="muted">—</span>
                  )}
                </td>
              </tr>
            ))}
          </DataTable>
        )}
        <Pagination page={view.page} pageSize={view.pageSize} total={view.total} label={t("approvals.pagination")} />
      </Card>
    </div>
  );
}

function AwardCard({ award }: { award: ApprovalAwardView }) {
  const { t } = useI18n();
  const formatMoney = useCatalogueMoney();
  return (
    <Card title={t("approval.award.title")}>
      <p>
        <Link to={`/rfqs/${award.rfq.id}`}>{t("approval.award.rfq", { reference: award.rfq.reference, title: award.rfq.title })}</Link>
        <span className="cell-sub">{t("approval.award.delivery", { incoterm: award.rfq.incoterm, place: award.rfq.deliveryPlace })}</span>
      </p>
      {award.sellers.map((s) => (
        <section key={s.sellerId} className="award-seller" aria-labelledby={`seller-${s.sellerId}`}>
          <h3 id={`seller-${s.sellerId}`} className="card-subtitle">
            {s.name} <span className="cell-sub">{t("approval.award.leadTime", { days: s.leadTimeDays })}</span>
            {s.order ? (
              <span className="cell-sub">
                <Link to={`/orders/${s.order.id}`}>{t("approval.award.order", { reference: s.order.reference })}</Link>
              </span>
            ) : null}
          </h3>
          <DataTable
            caption={t("approval.award.sellerTotal", { name: s.name })}
            columns={[t("approval.award.line"), t("approval.award.quantity"), t("approval.award.unitPrice"), t("approval.award.lineTotal")]}
          >
            {s.lines.map((l) => (
              <tr key={l.lineId}>
                <th scope="row">{l.description}</th>
                <td>{t("approval.award.ofQuantity", { quantity: l.quantity, total: l.lineQuantity, unit: l.unit })}</td>
                <td className="cell-nowrap cell-amount">{formatMoney(l.unitPrice)}</td>
                <td className="cell-nowrap cell-amount">{formatMoney(l.lineTotal)}</td>
              </tr>
            ))}
            <tr className="row--total">
              <th scope="row" colSpan={3}>
                {t("approval.award.sellerTotal", { name: s.name })}
              </th>
              <td className="cell-nowrap cell-amount">{formatMoney(s.total)}</td>
            </tr>
          </DataTable>
        </section>
      ))}
      <dl className="details award-total">
        <dt>{t("approval.award.total")}</dt>
        <dd className="summary-value">{formatMoney(award.total)}</dd>
      </dl>
    </Card>
  );
}

export function ApprovalPage({ approval, result }: { approval: ApprovalPageView; result: unknown }) {
  const { t, formatDateTime } = useI18n();
  const formatMoney = useCatalogueMoney();
  const roleLabel = useApproverRoleLabel();
  const failure = isFormFailure(result) ? result : null;
  const formKey = useFailureKey(failure);
  const isPurchase = approval.subjectKind === "purchase";
  return (
    <div className="stack">
      <SellerBackLink to="/approvals">{t("approvals.back")}</SellerBackLink>
      <PageHeader
        title={t("approval.title", { reference: approval.reference })}
        description={t(approval.reason === "budget" ? "approval.budgetSummary" : isPurchase ? "approval.purchaseSummary" : "approval.summary", {
          requester: approval.requestedBy || "—",
          reference: approval.reference,
          amount: formatMoney(approval.amount),
          threshold: formatMoney(approval.threshold),
          role: roleLabel(approval.approverRole),
        })}
        actions={<ApprovalStatusBadge status={approval.status} />}
      />
      <p className="muted">
        {t("approval.requestedAt", { date: formatDateTime(approval.requestedAt) })} <ApprovalLevelBadges approval={approval} />
      </p>
      <ApprovalChainCard approval={approval} />
      {approval.status === "withdrawn" && approval.decidedAt ? <Alert tone="info" title={t("approval.withdrawnOn", { date: formatDateTime(approval.decidedAt) })} /> : null}
      {(approval.status === "approved" || approval.status === "rejected") && approval.decidedAt ? (
        <Alert tone={approval.status === "approved" ? "success" : "warning"} title={t("approval.decidedBy", { status: t(`approvals.status.${approval.status === "approved" ? "approved" : "rejected"}`), name: approval.decidedBy ?? "—", date: formatDateTime(approval.decidedAt) })}>
          {approval.comment ? <p className="prewrap">{approval.comment}</p> : null}
        </Alert>
      ) : null}
      {approval.award?.note ? (
        <Card title={t("approval.note")}>
          <p className="prewrap">{approval.award.note}</p>
        </Card>
      ) : null}
      {approval.award ? <AwardCard award={approval.award} /> : null}
      {approval.purchase ? <PurchaseApprovalCard purchase={approval.purchase} /> : null}
      {approval.status === "pending" ? (
        approval.canDecide ? (
          <Card title={t("approval.decide.title")} id="decision">
            <p className="muted">{t(isPurchase ? "approval.decide.purchaseIntro" : "approval.decide.intro")}</p>
            <SellerFormError failure={failure} />
            <Form key={formKey} method="post" className="form" noValidate preventScrollReset>
              <TextAreaField
                name="comment"
                label={t("approval.decide.comment")}
                hint={t("approval.decide.commentHint")}
                rows={3}
                maxLength={2000}
                defaultValue={valueOf(failure, "comment")}
                errors={errorsOf(failure, "comment")}
              />
              <div className="button-row">
                <SubmitButton name="decision" value="approve">
                  {approval.level === 1 && approval.levels === 2 ? t("approval.decide.approveLevelOne") : t("approval.decide.approve")}
                </SubmitButton>
                <SubmitButton name="decision" value="reject" variant="danger">
                  {t("approval.decide.reject")}
                </SubmitButton>
              </div>
            </Form>
          </Card>
        ) : (
          <Alert tone="info">
            {approval.blocker === "approval.own_request"
              ? t("approval.blocked.own_request")
              : approval.blocker === "approval.decided_first_level"
                ? t("approval.decided_first_level")
                : t("approval.blocked.wrong_role", { role: roleLabel(approval.approverRole) })}
          </Alert>
        )
      ) : null}
    </div>
  );
}
