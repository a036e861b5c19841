import { Form, Link } from "@remix-run/react";
import { useI18n } from "../../i18n/context";
import { isFormFailure } from "../../types";
import { Alert } from "../alert";
import { useCatalogueMoney } from "../catalogue-buyer-price";
import { SellerBackLink, SellerConfirmDelete, SellerFormError } from "../catalogue-seller-common";
import { errorsOf, SelectField, SubmitButton, TextField, useFailureKey, valueOf } from "../form";
import { Card, PageHeader } from "../layout";
import { DataTable } from "../table";
import { useApproverRoleLabel, type ApproverRoleView, type OrderMoneyView } from "./common";

/** The buyer organisation's approval rules (listApprovalRules) and the form that adds one. */

export interface ApprovalRuleRowView {
  id: string;
  threshold: OrderMoneyView;
  branch: { id: string; name: string } | null;
  approverRole: ApproverRoleView;
}

export interface ApprovalRulesPageView {
  organizationName: string;
  canManage: boolean;
  rules: readonly ApprovalRuleRowView[];
  branches: readonly { id: string; name: string }[];
}

export function ApprovalRulesPage({ view, currencies, result }: { view: ApprovalRulesPageView; currencies: readonly string[]; result: unknown }) {
  const { t } = useI18n();
  const formatMoney = useCatalogueMoney();
  const roleLabel = useApproverRoleLabel();
  const failure = isFormFailure(result) ? result : null;
  const formKey = useFailureKey(failure);
  const scopeOf = (r: ApprovalRuleRowView) => r.branch?.name ?? t("approvalRules.wholeOrganization");
  return (
    <div className="stack">
      <PageHeader title={t("approvalRules.title")} description={t("approvalRules.intro")} />
      {!view.canManage ? <Alert tone="info">{t("approvalRules.branchIntro", { name: view.organizationName })}</Alert> : null}
      <Card>
        {view.rules.length === 0 ? (
          <p className="empty-state">{t("approvalRules.empty")}</p>
        ) : (
          <DataTable
            caption={t("approvalRules.table.caption")}
            columns={[t("approvalRules.table.scope"), t("approvalRules.table.currency"), t("approvalRules.table.threshold"), t("approvalRules.table.approver")]}
            actions={view.canManage}
          >
            {view.rules.map((r) => (
              <tr key={r.id}>
                <th scope="row" className="cell-name">
                  {scopeOf(r)}
                </th>
                <td className="mono">{r.threshold.currency}</td>
                <td className="cell-nowrap cell-amount">{formatMoney(r.threshold)}</td>
                <td>{roleLabel(r.approverRole)}</td>
                {view.canManage ? (
                  <td className="cell-actions">
                    <Link
                      to={`/approval-rules/${r.id}/delete`}
                      className="button button--ghost button--compact button--danger-text"
                      aria-label={t("approvalRules.deleteLabel", { threshold: formatMoney(r.threshold), scope: scopeOf(r) })}
                    >
                      {t("approvalRules.delete")}
                    </Link>
                  </td>
                ) : null}
              </tr>
            ))}
          </DataTable>
        )}
      </Card>
      {view.canManage ? (
        <Card title={t("approvalRules.add.title")}>
          <SellerFormError failure={failure} />
          <Form key={formKey} method="post" className="form" noValidate>
            <div className="form-grid">
              <SelectField
                name="currency"
                label={t("approvalRules.field.currency")}
                required
                defaultValue={valueOf(failure, "currency") ?? ""}
                errors={errorsOf(failure, "currency")}
                options={[{ value: "", label: t("approvalRules.field.currencyPlaceholder") }, ...currencies.map((c) => ({ value: c, label: c }))]}
              />
              <TextField
                name="threshold"
                label={t("approvalRules.field.threshold")}
                hint={t("approvalRules.field.thresholdHint")}
                required
                defaultValue={valueOf(failure, "threshold")}
                errors={errorsOf(failure, "threshold")}
                autoComplete="off"
              />
              <SelectField
                name="branchId"
                label={t("approvalRules.field.branch")}
                hint={t("approvalRules.field.branchHint")}
                defaultValue={valueOf(failure, "branchId") ?? ""}
                errors={errorsOf(failure, "branchId")}
                options={[{ value: "", label: t("approvalRules.wholeOrganization") }, ...view.branches.map((b) => ({ value: b.id, label: b.name }))]}
              />
              <SelectField
                name="approverRole"
                label={t("approvalRules.field.role")}
                required
                defaultValue={valueOf(failure, "approverRole") ?? "approver"}
                errors={errorsOf(failure, "approverRole")}
                options={[
                  { value: "approver", label: roleLabel("approver") },
                  { value: "admin", label: roleLabel("admin") },
                ]}
              />
            </div>
            <div className="button-row">
              <SubmitButton>{t("approvalRules.add.submit")}</SubmitButton>
            </div>
          </Form>
        </Card>
      ) : null}
    </div>
  );
}

/** The confirmation step of deleting a rule: a page of its own, so it works without JavaScript. */
export function ApprovalRuleDeletePage({ rule, result }: { rule: ApprovalRuleRowView; result: unknown }) {
  const { t } = useI18n();
  const formatMoney = useCatalogueMoney();
  const scope = rule.branch?.name ?? t("approvalRules.wholeOrganization");
  return (
    <div className="stack">
      <SellerBackLink to="/approval-rules">{t("approvalRules.back")}</SellerBackLink>
      <SellerConfirmDelete
        title={t("approvalRules.delete.title", { threshold: formatMoney(rule.threshold) })}
        confirm={t("approvalRules.delete.confirm")}
        cancel={t("approvalRules.delete.cancel")}
        cancelTo="/approval-rules"
        result={result}
      >
        <p>{t("approvalRules.delete.body", { scope })}</p>
      </SellerConfirmDelete>
    </div>
  );
}
