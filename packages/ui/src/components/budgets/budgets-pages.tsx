import { Form, Link } from "@remix-run/react";
import { isCurrency, money, toDecimalString } from "@souk/domain";
import { useI18n } from "../../i18n/context";
import { isFormFailure } from "../../types";
import { Alert } from "../alert";
import { useCatalogueMoney } from "../catalogue-buyer-price";
import { SellerBackLink, SellerConfirmDelete, SellerFormError } from "../catalogue-seller-common";
import { errorsOf, SelectField, SubmitButton, TextField, useFailureKey, valueOf } from "../form";
import { Card, PageHeader } from "../layout";
import { DataTable } from "../table";
import { BudgetPeriodCell, type BudgetPageView } from "./common";

/** The buyer's budgets (listBudgets): the list with this period's figures, and the forms that add, edit and delete one. */

export interface BudgetsPageView {
  organizationName: string;
  canManage: boolean;
  budgets: readonly BudgetPageView[];
  organizations: readonly { id: string; name: string }[];
  members: readonly { id: string; name: string; email: string }[];
  currencies: readonly string[];
}

function BudgetTermsFields({ failure, budget, currencies }: { failure: ReturnType<typeof failureOf>; budget?: BudgetPageView; currencies: readonly string[] }) {
  const { t } = useI18n();
  // The amount as typed in the form: the exact decimal in major units, without grouping.
  const formatPlain = (b: BudgetPageView) => (isCurrency(b.amount.currency) ? toDecimalString(money(BigInt(b.amount.amountMinor), b.amount.currency)) : b.amount.amountMinor);
  return (
    <>
      <SelectField
        name="currency"
        label={t("budgets.field.currency")}
        required
        defaultValue={valueOf(failure, "currency") ?? budget?.amount.currency ?? ""}
        errors={errorsOf(failure, "currency")}
        options={[{ value: "", label: t("budgets.field.currencyPlaceholder") }, ...currencies.map((c) => ({ value: c, label: c }))]}
      />
      <TextField
        name="amount"
        label={t("budgets.field.amount")}
        hint={t("budgets.field.amountHint")}
        required
        defaultValue={valueOf(failure, "amount") ?? (budget ? formatPlain(budget) : undefined)}
        errors={errorsOf(failure, "amount")}
        autoComplete="off"
      />
      <SelectField
        name="period"
        label={t("budgets.field.period")}
        hint={t("budgets.field.periodHint")}
        required
        defaultValue={valueOf(failure, "period") ?? budget?.period ?? "month"}
        errors={errorsOf(failure, "period")}
        options={[
          { value: "month", label: t("budgets.period.month") },
          { value: "quarter", label: t("budgets.period.quarter") },
        ]}
      />
      <SelectField
        name="onExceed"
        label={t("budgets.field.onExceed")}
        hint={t("budgets.field.onExceedHint")}
        required
        defaultValue={valueOf(failure, "onExceed") ?? budget?.onExceed ?? "approval"}
        errors={errorsOf(failure, "onExceed")}
        options={[
          { value: "approval", label: t("budgets.onExceed.approval") },
          { value: "refuse", label: t("budgets.onExceed.refuse") },
        ]}
      />
    </>
  );
}

const failureOf = (result: unknown) => (isFormFailure(result) ? result : null);

export function BudgetsPage({ view, result }: { view: BudgetsPageView; result: unknown }) {
  const { t } = useI18n();
  const formatMoney = useCatalogueMoney();
  const failure = failureOf(result);
  const formKey = useFailureKey(failure);
  return (
    <div className="stack">
      <PageHeader title={t("budgets.title")} description={t("budgets.intro")} />
      <p className="muted">{t("budgets.scopeNote")}</p>
      {!view.canManage ? <Alert tone="info">{t("budgets.branchIntro", { name: view.organizationName })}</Alert> : null}
      <Card>
        {view.budgets.length === 0 ? (
          <p className="empty-state">{t("budgets.empty")}</p>
        ) : (
          <DataTable
            caption={t("budgets.table.caption")}
            columns={[t("budgets.table.scope"), t("budgets.table.period"), t("budgets.table.amount"), t("budgets.table.spent"), t("budgets.table.committed"), t("budgets.table.remaining"), t("budgets.table.onExceed")]}
            actions={view.canManage}
          >
            {view.budgets.map((b) => (
              <tr key={b.id}>
                <th scope="row" className="cell-name">
                  {b.scope.name}
                  <span className="cell-sub">{t(`budgets.scope.${b.scope.kind}`)}</span>
                </th>
                <td>
                  <BudgetPeriodCell budget={b} />
                </td>
                <td className="cell-nowrap cell-amount">{formatMoney(b.amount)}</td>
                <td className="cell-nowrap cell-amount">{formatMoney(b.spent)}</td>
                <td className="cell-nowrap cell-amount">{formatMoney(b.committed)}</td>
                <td className="cell-nowrap cell-amount">{formatMoney(b.remaining)}</td>
                <td>{t(`budgets.onExceed.${b.onExceed}`)}</td>
                {view.canManage ? (
                  <td className="cell-actions">
                    <Link to={`/budgets/${b.id}`} className="button button--ghost button--compact" aria-label={t("budgets.editLabel", { scope: b.scope.name, currency: b.amount.currency })}>
                      {t("budgets.edit")}
                    </Link>{" "}
                    <Link to={`/budgets/${b.id}/delete`} className="button button--ghost button--compact button--danger-text" aria-label={t("budgets.deleteLabel", { scope: b.scope.name, currency: b.amount.currency })}>
                      {t("budgets.delete")}
                    </Link>
                  </td>
                ) : null}
              </tr>
            ))}
          </DataTable>
        )}
      </Card>
      {view.canManage ? (
        <Card title={t("budgets.add.title")}>
          <SellerFormError failure={failure} />
          <Form key={formKey} method="post" className="form" noValidate>
            <div className="form-grid">
              <SelectField
                name="target"
                label={t("budgets.field.target")}
                required
                defaultValue={valueOf(failure, "target") ?? ""}
                errors={errorsOf(failure, "target")}
                options={[
                  { value: "", label: t("budgets.field.targetPlaceholder") },
                  ...view.organizations.map((o) => ({ value: `org:${o.id}`, label: t("budgets.target.organization", { name: o.name }) })),
                  ...view.members.map((m) => ({ value: `user:${m.id}`, label: t("budgets.target.member", { name: m.name, email: m.email }) })),
                ]}
              />
              <BudgetTermsFields failure={failure} currencies={view.currencies} />
            </div>
            <div className="button-row">
              <SubmitButton>{t("budgets.add.submit")}</SubmitButton>
            </div>
          </Form>
        </Card>
      ) : null}
    </div>
  );
}

/** One budget: its figures for the current period and the form that changes its terms. */
export function BudgetEditPage({ budget, currencies, result }: { budget: BudgetPageView; currencies: readonly string[]; result: unknown }) {
  const { t } = useI18n();
  const formatMoney = useCatalogueMoney();
  const failure = failureOf(result);
  const formKey = useFailureKey(failure);
  return (
    <div className="stack">
      <SellerBackLink to="/budgets">{t("budgets.back")}</SellerBackLink>
      <PageHeader title={t("budgets.edit.title", { scope: budget.scope.name })} description={t("budgets.edit.intro")} />
      <Card>
        <dl className="details">
          <dt>{t("budgets.table.scope")}</dt>
          <dd>
            {budget.scope.name} ({t(`budgets.scope.${budget.scope.kind}`)})
          </dd>
          <dt>{t("budgets.table.period")}</dt>
          <dd>
            <BudgetPeriodCell budget={budget} />
          </dd>
          <dt>{t("budgets.table.amount")}</dt>
          <dd>{formatMoney(budget.amount)}</dd>
          <dt>{t("budgets.table.spent")}</dt>
          <dd>{formatMoney(budget.spent)}</dd>
          <dt>{t("budgets.table.committed")}</dt>
          <dd>{formatMoney(budget.committed)}</dd>
          <dt>{t("budgets.table.remaining")}</dt>
          <dd>{formatMoney(budget.remaining)}</dd>
        </dl>
      </Card>
      <Card title={t("budgets.edit.submit")}>
        <SellerFormError failure={failure} />
        <Form key={formKey} method="post" className="form" noValidate>
          <div className="form-grid">
            <BudgetTermsFields failure={failure} budget={budget} currencies={currencies} />
          </div>
          <div className="button-row">
            <SubmitButton>{t("budgets.edit.submit")}</SubmitButton>
          </div>
        </Form>
      </Card>
    </div>
  );
}

/** The confirmation step of deleting a budget: a page of its own, so it works without JavaScript. */
export function BudgetDeletePage({ budget, result }: { budget: BudgetPageView; result: unknown }) {
  const { t } = useI18n();
  return (
    <div className="stack">
      <SellerBackLink to="/budgets">{t("budgets.back")}</SellerBackLink>
      <SellerConfirmDelete title={t("budgets.delete.title", { scope: budget.scope.name })} confirm={t("budgets.delete.confirm")} cancel={t("budgets.delete.cancel")} cancelTo="/budgets" result={result}>
        <p>{t("budgets.delete.body")}</p>
      </SellerConfirmDelete>
    </div>
  );
}
