import { Form, Link, useSearchParams } from "@remix-run/react";
import { CURRENCIES } from "@souk/domain";
import { useI18n } from "../../i18n/context";
import { isFormFailure, type FormFailure } from "../../types";
import { Alert } from "../alert";
import { SellerFormError } from "../catalogue-seller-common";
import { buttonClass, errorsOf, SelectField, SubmitButton, TextField, useFailureKey, valueOf } from "../form";
import { Card, PageHeader } from "../layout";
import { DataTable } from "../table";
import { decimalInput, percentInput, useMoneyFormat, useRate, useRuleSummary, type MoneyAmountView, type PartyRefView } from "./common";

/**
 * The operator's commission rules (listCommissionRules): the live rules, the form that adds or
 * replaces one (saveCommissionRule; "Replace" pre-fills it from a rule; a seller rule's seller is
 * picked by name from listCommissionSellers), archiving
 * (archiveCommissionRule) and a preview of the commission on an amount (previewCommission). Every
 * form is a plain POST with an `intent`, so the page works without JavaScript.
 */

export interface CommissionRuleRowView {
  id: string;
  scope: string;
  category: { id: string; slug: string; nameEn: string; nameFr: string } | null;
  seller: PartyRefView | null;
  currency: string;
  rateBps: number;
  fixed: MoneyAmountView;
  floor: MoneyAmountView;
  cap: MoneyAmountView | null;
  createdAt: string;
  updatedAt: string;
  archivedAt: string | null;
}

export interface CommissionCategoryOption {
  id: string;
  parentId: string | null;
  nameEn: string;
  nameFr: string;
}

/** The active sellers a seller rule can name (listCommissionSellers), found by name. */
export interface CommissionSellersView {
  sellers: readonly PartyRefView[];
  /** More sellers match than are listed. */
  truncated: boolean;
}

export interface CommissionPreviewView {
  rule: CommissionRuleRowView | null;
  gross: MoneyAmountView;
  commission: MoneyAmountView | null;
  net: MoneyAmountView | null;
}

/** What the action answers to the preview form. */
export interface CommissionPreviewResult {
  ok: true;
  intent: "preview";
  preview: CommissionPreviewView;
  values: Record<string, string>;
}

export const COMMISSION_INTENTS = ["save", "archive", "preview"] as const;

const CURRENCY_CODES = Object.keys(CURRENCIES);

function isPreviewResult(result: unknown): result is CommissionPreviewResult {
  return typeof result === "object" && result !== null && (result as { ok?: unknown }).ok === true && (result as { intent?: unknown }).intent === "preview";
}

function failureOf(result: unknown, intent: string): FormFailure | null {
  return isFormFailure(result) && (result.values.intent ?? "save") === intent ? result : null;
}

/** "Every order" / "Category: Packaging" / "Seller: Atelier Rhône". */
export function useRuleScopeLabel(): (rule: Pick<CommissionRuleRowView, "scope" | "category" | "seller">) => string {
  const { t, locale } = useI18n();
  return (rule) => {
    if (rule.scope === "category") return t("money.scope.category", { name: rule.category ? (locale === "fr" ? rule.category.nameFr : rule.category.nameEn) : "—" });
    if (rule.scope === "seller") return t("money.scope.seller", { name: rule.seller?.name ?? "—" });
    return t("money.scope.default");
  };
}

function RulesTable({ rules }: { rules: readonly CommissionRuleRowView[] }) {
  const { t, formatDate } = useI18n();
  const formatMoney = useMoneyFormat();
  const rate = useRate();
  const scopeOf = useRuleScopeLabel();
  if (rules.length === 0) return <p className="empty-state">{t("commissionRules.empty")}</p>;
  return (
    <DataTable
      caption={t("commissionRules.table.caption")}
      columns={[
        t("commissionRules.table.scope"),
        t("commissionRules.table.currency"),
        t("commissionRules.table.rate"),
        t("commissionRules.table.fixed"),
        t("commissionRules.table.floor"),
        t("commissionRules.table.cap"),
        t("commissionRules.table.since"),
      ]}
      actions
    >
      {rules.map((r) => {
        const scope = scopeOf(r);
        return (
          <tr key={r.id}>
            <th scope="row" className="cell-name">
              {scope}
            </th>
            <td className="mono">{r.currency}</td>
            <td className="cell-nowrap cell-amount">{t("money.rule.rate", { rate: rate(r.rateBps) })}</td>
            <td className="cell-nowrap cell-amount">{formatMoney(r.fixed)}</td>
            <td className="cell-nowrap cell-amount">{formatMoney(r.floor)}</td>
            <td className="cell-nowrap cell-amount">{r.cap ? formatMoney(r.cap) : <span className="muted">{t("money.rule.noCap")}</span>}</td>
            <td className="cell-nowrap">
              <time dateTime={r.createdAt}>{formatDate(r.createdAt)}</time>
            </td>
            <td className="cell-actions">
              <Link
                to={`?replace=${encodeURIComponent(r.id)}#rule-form`}
                className="button button--ghost button--compact"
                aria-label={t("commissionRules.replaceLabel", { scope, currency: r.currency })}
                preventScrollReset
              >
                {t("commissionRules.replace")}
              </Link>
              <Form method="post" className="inline-form" preventScrollReset>
                <input type="hidden" name="ruleId" value={r.id} />
                <SubmitButton name="intent" value="archive" variant="ghost" className="button--compact button--danger-text" aria-label={t("commissionRules.archiveLabel", { scope, currency: r.currency })}>
                  {t("commissionRules.archive")}
                </SubmitButton>
              </Form>
            </td>
          </tr>
        );
      })}
    </DataTable>
  );
}

/** The category select's options, children indented under their parent. */
function useCategoryOptions(categories: readonly CommissionCategoryOption[]) {
  const { locale } = useI18n();
  return categories.map((c) => ({ value: c.id, label: `${c.parentId ? "— " : ""}${locale === "fr" ? c.nameFr : c.nameEn}` }));
}

/**
 * Narrows the rule form's seller list by name: a GET form of its own (forms cannot nest), keeping the
 * rule being replaced. Works without JavaScript.
 */
function SellerSearch({ sellers, sellerQuery, replaceId }: { sellers: CommissionSellersView; sellerQuery: string; replaceId: string | null }) {
  const { t } = useI18n();
  return (
    <Form method="get" className="form" role="search" aria-label={t("commissionRules.sellerSearch.label")} preventScrollReset>
      {replaceId ? <input type="hidden" name="replace" value={replaceId} /> : null}
      <TextField name="sellerQ" label={t("commissionRules.sellerSearch.field")} hint={t("commissionRules.sellerSearch.hint")} defaultValue={sellerQuery} autoComplete="off" maxLength={100} />
      <div className="button-row">
        <SubmitButton variant="secondary">{t("commissionRules.sellerSearch.submit")}</SubmitButton>
        {sellerQuery ? (
          <Link to={replaceId ? `?replace=${encodeURIComponent(replaceId)}#rule-form` : "?#rule-form"} className={buttonClass("ghost")} preventScrollReset>
            {t("commissionRules.sellerSearch.clear")}
          </Link>
        ) : null}
      </div>
      {sellers.truncated ? <p className="field-hint">{t("commissionRules.sellerSearch.truncated", { count: sellers.sellers.length })}</p> : null}
      {sellerQuery && sellers.sellers.length === 0 ? <p className="field-hint">{t("commissionRules.sellerSearch.none", { query: sellerQuery })}</p> : null}
    </Form>
  );
}

function RuleForm({
  categories,
  sellers,
  sellerQuery,
  replacing,
  failure,
}: {
  categories: readonly CommissionCategoryOption[];
  sellers: CommissionSellersView;
  sellerQuery: string;
  replacing: CommissionRuleRowView | null;
  failure: FormFailure | null;
}) {
  const { t } = useI18n();
  const formKey = useFailureKey(failure);
  const scopeOf = useRuleScopeLabel();
  const categoryOptions = useCategoryOptions(categories);
  // After a refused save, the fields hold what was typed; else the rule being replaced, else blanks.
  const initial = (field: string, fromRule: string) => (failure ? valueOf(failure, field) : fromRule) ?? "";
  const ruleId = failure ? (valueOf(failure, "ruleId") ?? "") : (replacing?.id ?? "");
  const sellerId = initial("sellerId", replacing?.seller?.id ?? "");
  // The seller of the rule being replaced stays choosable, even when the search leaves it out or it is no longer active.
  const sellerOptions = [...sellers.sellers];
  if (replacing?.seller && !sellerOptions.some((s) => s.id === replacing.seller!.id)) sellerOptions.unshift(replacing.seller);
  if (sellerId && !sellerOptions.some((s) => s.id === sellerId)) sellerOptions.unshift({ id: sellerId, name: sellerId });
  return (
    <Card title={t("commissionRules.form.title")} id="rule-form">
      {replacing && ruleId === replacing.id ? (
        <Alert tone="info">{t("commissionRules.form.replacing", { scope: scopeOf(replacing), currency: replacing.currency })}</Alert>
      ) : (
        <p className="field-hint">{t("commissionRules.form.help")}</p>
      )}
      <SellerSearch sellers={sellers} sellerQuery={sellerQuery} replaceId={replacing?.id ?? null} />
      {/* The rule being replaced is a hidden field: its error (commission.rule_unknown) has no field to sit beside. */}
      {failure?.fieldErrors.ruleId ? <Alert tone="error">{failure.fieldErrors.ruleId.join(" ")}</Alert> : <SellerFormError failure={failure} />}
      <Form key={`${formKey}:${replacing?.id ?? "new"}`} method="post" className="form" noValidate preventScrollReset>
        {ruleId ? <input type="hidden" name="ruleId" value={ruleId} /> : null}
        <div className="form-grid">
          <SelectField
            name="scope"
            label={t("commissionRules.form.scope")}
            required
            defaultValue={initial("scope", replacing?.scope ?? "default")}
            errors={errorsOf(failure, "scope")}
            options={(["default", "category", "seller"] as const).map((s) => ({ value: s, label: t(`commissionRules.form.scope.${s}`) }))}
          />
          <SelectField
            name="currency"
            label={t("commissionRules.form.currency")}
            required
            defaultValue={initial("currency", replacing?.currency ?? "")}
            errors={errorsOf(failure, "currency")}
            options={[{ value: "", label: t("commissionRules.form.currencyPlaceholder") }, ...CURRENCY_CODES.map((c) => ({ value: c, label: c }))]}
          />
          <SelectField
            name="categoryId"
            label={t("commissionRules.form.category")}
            hint={t("commissionRules.form.categoryHint")}
            defaultValue={initial("categoryId", replacing?.category?.id ?? "")}
            errors={errorsOf(failure, "categoryId")}
            options={[{ value: "", label: t("commissionRules.form.categoryPlaceholder") }, ...categoryOptions]}
          />
          <SelectField
            name="sellerId"
            label={t("commissionRules.form.seller")}
            hint={t("commissionRules.form.sellerHint")}
            defaultValue={sellerId}
            errors={errorsOf(failure, "sellerId")}
            options={[{ value: "", label: t("commissionRules.form.sellerPlaceholder") }, ...sellerOptions.map((s) => ({ value: s.id, label: s.name }))]}
          />
          <TextField
            name="ratePercent"
            label={t("commissionRules.form.rate")}
            hint={t("commissionRules.form.rateHint")}
            required
            defaultValue={initial("ratePercent", replacing ? percentInput(replacing.rateBps) : "")}
            errors={errorsOf(failure, "ratePercent")}
            autoComplete="off"
            maxLength={20}
          />
          <TextField
            name="fixed"
            label={t("commissionRules.form.fixed")}
            hint={t("commissionRules.form.fixedHint")}
            defaultValue={initial("fixed", replacing ? decimalInput(replacing.fixed) : "0")}
            errors={errorsOf(failure, "fixed")}
            autoComplete="off"
            maxLength={40}
          />
          <TextField
            name="floor"
            label={t("commissionRules.form.floor")}
            hint={t("commissionRules.form.floorHint")}
            defaultValue={initial("floor", replacing ? decimalInput(replacing.floor) : "0")}
            errors={errorsOf(failure, "floor")}
            autoComplete="off"
            maxLength={40}
          />
          <TextField
            name="cap"
            label={t("commissionRules.form.cap")}
            hint={t("commissionRules.form.capHint")}
            defaultValue={initial("cap", replacing ? decimalInput(replacing.cap) : "")}
            errors={errorsOf(failure, "cap")}
            autoComplete="off"
            maxLength={40}
          />
        </div>
        <div className="button-row">
          <SubmitButton name="intent" value="save">
            {t("commissionRules.form.submit")}
          </SubmitButton>
          {ruleId ? (
            <Link to="." className={buttonClass("secondary")} preventScrollReset>
              {t("commissionRules.form.cancel")}
            </Link>
          ) : null}
        </div>
      </Form>
    </Card>
  );
}

function PreviewBox({ rules, categories, result }: { rules: readonly CommissionRuleRowView[]; categories: readonly CommissionCategoryOption[]; result: unknown }) {
  const { t } = useI18n();
  const formatMoney = useMoneyFormat();
  const summary = useRuleSummary();
  const scopeOf = useRuleScopeLabel();
  const failure = failureOf(result, "preview");
  const done = isPreviewResult(result) ? result : null;
  const values = failure?.values ?? done?.values ?? {};
  const formKey = useFailureKey(failure);
  const categoryOptions = useCategoryOptions(categories);
  // Only sellers with a rule of their own can change the answer: any other seller gets the category or default rule.
  const sellers = [...new Map(rules.filter((r) => r.seller).map((r) => [r.seller!.id, r.seller!])).values()].sort((a, b) => a.name.localeCompare(b.name));
  const preview = done?.preview ?? null;
  return (
    <Card title={t("commissionRules.preview.title")} id="preview">
      <p className="field-hint">{t("commissionRules.preview.help")}</p>
      {failure?.formError ? <Alert tone="error">{failure.formError}</Alert> : null}
      <Form key={formKey} method="post" className="form" noValidate preventScrollReset>
        <div className="form-grid">
          <SelectField
            name="currency"
            label={t("commissionRules.form.currency")}
            required
            defaultValue={values.currency ?? ""}
            errors={errorsOf(failure, "currency")}
            options={[{ value: "", label: t("commissionRules.form.currencyPlaceholder") }, ...CURRENCY_CODES.map((c) => ({ value: c, label: c }))]}
          />
          <TextField
            name="amount"
            label={t("commissionRules.preview.amount")}
            hint={t("commissionRules.preview.amountHint")}
            required
            defaultValue={values.amount ?? ""}
            errors={errorsOf(failure, "amount")}
            autoComplete="off"
            maxLength={40}
          />
          <SelectField
            name="sellerId"
            label={t("commissionRules.form.seller")}
            defaultValue={values.sellerId ?? ""}
            errors={errorsOf(failure, "sellerId")}
            options={[{ value: "", label: t("commissionRules.preview.sellerAny") }, ...sellers.map((s) => ({ value: s.id, label: s.name }))]}
          />
          <SelectField
            name="categoryId"
            label={t("commissionRules.form.category")}
            defaultValue={values.categoryId ?? ""}
            errors={errorsOf(failure, "categoryId")}
            options={[{ value: "", label: t("commissionRules.preview.categoryAny") }, ...categoryOptions]}
          />
        </div>
        <div className="button-row">
          <SubmitButton name="intent" value="preview" variant="secondary">
            {t("commissionRules.preview.submit")}
          </SubmitButton>
        </div>
      </Form>
      {preview ? (
        <div role="status">
          <p>
            <strong>{t("commissionRules.preview.result", { amount: formatMoney(preview.gross) })}</strong>
          </p>
          {preview.rule && preview.commission && preview.net ? (
            <dl className="details">
              <dt>{t("commissionRules.preview.commission")}</dt>
              <dd className="cell-amount">{formatMoney(preview.commission)}</dd>
              <dt>{t("commissionRules.preview.net")}</dt>
              <dd className="cell-amount">{formatMoney(preview.net)}</dd>
              <dt>{t("commissionRules.preview.rule")}</dt>
              <dd>
                {scopeOf(preview.rule)} · {summary(preview.rule)}
              </dd>
            </dl>
          ) : (
            <Alert tone="warning">{t("commissionRules.preview.noRule")}</Alert>
          )}
        </div>
      ) : null}
    </Card>
  );
}

/** Currencies that have rules but no default one: their orders settle only when a seller or category rule applies. */
function currenciesWithoutDefault(rules: readonly CommissionRuleRowView[]): string[] {
  const all = new Set(rules.map((r) => r.currency));
  for (const r of rules) if (r.scope === "default") all.delete(r.currency);
  return [...all].sort();
}

export function CommissionRulesPage({
  rules,
  categories,
  sellers,
  sellerQuery,
  result,
}: {
  rules: readonly CommissionRuleRowView[];
  categories: readonly CommissionCategoryOption[];
  sellers: CommissionSellersView;
  /** The seller search the list was narrowed by ("" for none). */
  sellerQuery: string;
  result: unknown;
}) {
  const { t } = useI18n();
  const [params] = useSearchParams();
  const replaceId = params.get("replace");
  const replacing = replaceId ? (rules.find((r) => r.id === replaceId) ?? null) : null;
  const saveFailure = failureOf(result, "save");
  const archiveFailure = failureOf(result, "archive");
  const missingDefault = currenciesWithoutDefault(rules);
  return (
    <div className="stack">
      <PageHeader title={t("commissionRules.title")} description={t("commissionRules.intro")} />
      {archiveFailure ? <Alert tone="error">{archiveFailure.formError ?? Object.values(archiveFailure.fieldErrors).flat().join(" ")}</Alert> : null}
      {missingDefault.length > 0 ? <Alert tone="warning">{t("commissionRules.noDefault", { currencies: missingDefault.join(", ") })}</Alert> : null}
      <Card>
        <RulesTable rules={rules} />
      </Card>
      <RuleForm categories={categories} sellers={sellers} sellerQuery={sellerQuery} replacing={replacing} failure={saveFailure} />
      <PreviewBox rules={rules} categories={categories} result={result} />
    </div>
  );
}
