import { Form, Link } from "@remix-run/react";
import { useI18n } from "../i18n/context";
import { isMessageKey } from "../i18n/i18n";
import type { DateLike, FormFailure } from "../types";
import { Alert, Badge } from "./alert";
import { SellerBackLink, SellerConfirmDelete, SellerFormError, sellerFailureOf, useSellerMoney, type SellerMoneyView } from "./catalogue-seller-common";
import { buttonClass, errorsOf, SelectField, SubmitButton, TextField, useFailureKey, valueOf } from "./form";
import { Card, PageHeader } from "./layout";
import { DataTable } from "./table";

/*
 * The seller's contract price lists: per currency, valid between two days, with quantity breaks per
 * listing, assigned to a buyer organisation or to a customer group with a priority. The shapes are
 * those of @souk/services' listPriceLists and getPriceList.
 */

export interface SellerPriceListSettingsView {
  id: string;
  name: string;
  currency: string;
  validFrom: DateLike | null;
  /** Exclusive: the list stops applying at the start of this day. */
  validTo: DateLike | null;
}

export interface SellerPriceListRowView extends SellerPriceListSettingsView {
  /** Where the list stands today: "current", "upcoming" or "expired". */
  state: string;
  listingCount: number;
  assignmentCount: number;
}

export interface SellerPriceListEntryView {
  listingId: string;
  sku: string;
  title: string;
  minQuantity: number;
  unitPrice: SellerMoneyView;
  /** The listing is no longer priced in the list's currency: the entry is skipped until replaced. */
  currencyMismatch: boolean;
}

export type SellerPriceListTarget = { kind: "buyer"; buyerId: string; name: string } | { kind: "group"; groupId: string; name: string };

export interface SellerPriceListView extends SellerPriceListSettingsView {
  entries: readonly SellerPriceListEntryView[];
  assignments: readonly { id: string; target: SellerPriceListTarget; priority: number }[];
}

export const SELLER_PRICE_LIST_INTENT = {
  create: "create",
  update: "update",
  setEntry: "set-entry",
  removeEntry: "remove-entry",
  assignGroup: "assign-group",
  assignBuyer: "assign-buyer",
  unassign: "unassign",
} as const;

/** A day as the date input takes it (YYYY-MM-DD); dates arrive as Dates or ISO strings. */
export function sellerDayValue(value: DateLike | null): string {
  if (value === null) return "";
  return typeof value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : new Date(value).toISOString().slice(0, 10);
}

const STATE_TONE: Record<string, "success" | "info" | "neutral"> = { current: "success", upcoming: "info", expired: "neutral" };

function PriceListStateBadge({ state }: { state: string }) {
  const { t } = useI18n();
  const key = `sellerPriceLists.state.${state}`;
  return <Badge tone={STATE_TONE[state] ?? "neutral"}>{isMessageKey(key) ? t(key) : state}</Badge>;
}

function useValidity(): (list: Pick<SellerPriceListSettingsView, "validFrom" | "validTo">) => string {
  const { t, formatDate } = useI18n();
  return ({ validFrom, validTo }) => {
    if (validFrom && validTo) return t("sellerPriceLists.validity.between", { from: formatDate(validFrom), to: formatDate(validTo) });
    if (validFrom) return t("sellerPriceLists.validity.from", { from: formatDate(validFrom) });
    if (validTo) return t("sellerPriceLists.validity.until", { to: formatDate(validTo) });
    return t("sellerPriceLists.validity.always");
  };
}

/** Name, currency and validity: the same fields to create a list and to edit it. */
function PriceListFields({ values, currencies, failure }: { values: { name: string; currency: string; validFrom: string; validTo: string }; currencies: readonly string[]; failure: FormFailure | null }) {
  const { t } = useI18n();
  const value = (name: keyof typeof values) => valueOf(failure, name) ?? values[name];
  return (
    <div className="form-grid">
      <TextField name="name" label={t("sellerPriceLists.field.name")} required maxLength={100} defaultValue={value("name")} errors={errorsOf(failure, "name")} />
      <SelectField
        name="currency"
        label={t("sellerPriceLists.field.currency")}
        hint={t("sellerPriceLists.field.currencyHint")}
        required
        defaultValue={value("currency")}
        errors={errorsOf(failure, "currency")}
        options={[{ value: "", label: t("sellerPriceLists.field.currencyPlaceholder") }, ...currencies.map((c) => ({ value: c, label: c }))]}
      />
      <TextField name="validFrom" type="date" label={t("sellerPriceLists.field.validFrom")} hint={t("sellerPriceLists.field.validFromHint")} defaultValue={value("validFrom")} errors={errorsOf(failure, "validFrom")} />
      <TextField name="validTo" type="date" label={t("sellerPriceLists.field.validTo")} hint={t("sellerPriceLists.field.validToHint")} defaultValue={value("validTo")} errors={errorsOf(failure, "validTo")} />
    </div>
  );
}

export function SellerPriceListsPage({ priceLists, currencies, result }: { priceLists: readonly SellerPriceListRowView[]; currencies: readonly string[]; result: unknown }) {
  const { t } = useI18n();
  const validity = useValidity();
  const failure = sellerFailureOf(result, [SELLER_PRICE_LIST_INTENT.create]);
  const formKey = useFailureKey(failure);
  return (
    <div className="stack">
      <PageHeader title={t("sellerPriceLists.title")} description={t("sellerPriceLists.intro")} />
      <Card>
        {priceLists.length === 0 ? (
          <p className="empty-state">{t("sellerPriceLists.empty")}</p>
        ) : (
          <DataTable caption={t("sellerPriceLists.table.caption")} columns={[
              t("sellerPriceLists.table.name"),
              t("sellerPriceLists.table.currency"),
              t("sellerPriceLists.table.validity"),
              t("sellerPriceLists.table.listings"),
              t("sellerPriceLists.table.assignments"),
            ]}
          >
            {priceLists.map((p) => (
              <tr key={p.id}>
                <th scope="row" className="cell-name">
                  <Link to={`/price-lists/${p.id}`}>{p.name}</Link>
                </th>
                <td className="mono">{p.currency}</td>
                <td>
                  <PriceListStateBadge state={p.state} /> <span className="cell-sub">{validity(p)}</span>
                </td>
                <td>{p.listingCount}</td>
                <td>{p.assignmentCount}</td>
              </tr>
            ))}
          </DataTable>
        )}
      </Card>
      <Card title={t("sellerPriceLists.create.title")}>
        <SellerFormError failure={failure} />
        <Form key={formKey} method="post" className="form" noValidate>
          <input type="hidden" name="intent" value={SELLER_PRICE_LIST_INTENT.create} />
          <PriceListFields values={{ name: "", currency: "", validFrom: "", validTo: "" }} currencies={currencies} failure={failure} />
          <div className="button-row">
            <SubmitButton>{t("sellerPriceLists.create.submit")}</SubmitButton>
          </div>
        </Form>
      </Card>
    </div>
  );
}

function EntriesCard({ priceList, result }: { priceList: SellerPriceListView; result: unknown }) {
  const { t } = useI18n();
  const formatMoney = useSellerMoney();
  const addFailure = sellerFailureOf(result, [SELLER_PRICE_LIST_INTENT.setEntry]);
  const removeFailure = sellerFailureOf(result, [SELLER_PRICE_LIST_INTENT.removeEntry]);
  const formKey = useFailureKey(addFailure);
  return (
    <Card title={t("sellerPriceLists.entries.title")} id="entries">
      <p className="muted">{t("sellerPriceLists.entries.intro", { currency: priceList.currency })}</p>
      {removeFailure ? <Alert tone="error">{removeFailure.formError ?? Object.values(removeFailure.fieldErrors).flat().join(" ")}</Alert> : null}
      {priceList.entries.length === 0 ? (
        <p className="empty-state">{t("sellerPriceLists.entries.empty")}</p>
      ) : (
        <DataTable caption={t("sellerPriceLists.entries.caption")} columns={[t("sellerPriceLists.entries.listing"), t("sellerPriceLists.entries.minQuantity"), t("sellerPriceLists.entries.unitPrice")]} actions>
          {priceList.entries.map((e) => (
            <tr key={`${e.listingId}-${e.minQuantity}`}>
              <th scope="row" className="cell-name">
                <Link to={`/listings/${e.listingId}`}>{e.title}</Link>
                <span className="cell-sub mono">{e.sku}</span>
              </th>
              <td>{t("sellerPriceLists.entries.fromQuantity", { quantity: e.minQuantity })}</td>
              <td className="cell-nowrap">
                {formatMoney(e.unitPrice)}
                {e.currencyMismatch ? <span className="cell-sub">{t("sellerPriceLists.entries.currencyMismatch")}</span> : null}
              </td>
              <td className="cell-actions">
                <Form method="post" preventScrollReset>
                  <input type="hidden" name="listingId" value={e.listingId} />
                  <input type="hidden" name="minQuantity" value={e.minQuantity} />
                  <SubmitButton
                    variant="ghost"
                    name="intent"
                    value={SELLER_PRICE_LIST_INTENT.removeEntry}
                    className="button--compact button--danger-text"
                    aria-label={t("sellerPriceLists.entries.removeLabel", { sku: e.sku, quantity: e.minQuantity })}
                  >
                    {t("sellerPriceLists.entries.remove")}
                  </SubmitButton>
                </Form>
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      <h3 className="card-subtitle">{t("sellerPriceLists.entries.addTitle")}</h3>
      <SellerFormError failure={addFailure} />
      <Form key={formKey} method="post" className="inline-form" noValidate preventScrollReset>
        <input type="hidden" name="intent" value={SELLER_PRICE_LIST_INTENT.setEntry} />
        <TextField name="sku" label={t("sellerPriceLists.entries.sku")} required maxLength={64} defaultValue={valueOf(addFailure, "sku")} errors={errorsOf(addFailure, "sku")} />
        <TextField name="minQuantity" label={t("sellerPriceLists.entries.minQuantity")} required defaultValue={valueOf(addFailure, "minQuantity") ?? "1"} errors={errorsOf(addFailure, "minQuantity")} />
        <TextField name="unitPrice" label={t("sellerPriceLists.entries.unitPriceIn", { currency: priceList.currency })} required defaultValue={valueOf(addFailure, "unitPrice")} errors={errorsOf(addFailure, "unitPrice")} />
        <div className="upload-submit">
          <SubmitButton variant="secondary">{t("sellerPriceLists.entries.add")}</SubmitButton>
        </div>
      </Form>
      <p className="field-hint">{t("sellerPriceLists.entries.addHint")}</p>
    </Card>
  );
}

/** The select's own errors and those about the target as a whole (neither a group nor a buyer chosen). */
function targetErrors(failure: FormFailure | null, field: string): string[] | undefined {
  const errors = [...(errorsOf(failure, field) ?? []), ...(errorsOf(failure, "target") ?? [])];
  return errors.length > 0 ? errors : undefined;
}

function AssignmentsCard({ priceList, groups, buyers, result }: {
  priceList: SellerPriceListView;
  groups: readonly { id: string; name: string }[];
  buyers: readonly { buyerId: string; name: string }[];
  result: unknown;
}) {
  const { t } = useI18n();
  const groupFailure = sellerFailureOf(result, [SELLER_PRICE_LIST_INTENT.assignGroup]);
  const buyerFailure = sellerFailureOf(result, [SELLER_PRICE_LIST_INTENT.assignBuyer]);
  const removeFailure = sellerFailureOf(result, [SELLER_PRICE_LIST_INTENT.unassign]);
  const groupKey = useFailureKey(groupFailure);
  const buyerKey = useFailureKey(buyerFailure);
  return (
    <Card title={t("sellerPriceLists.assignments.title")} id="assignments">
      <p className="muted">{t("sellerPriceLists.assignments.intro")}</p>
      {removeFailure ? <Alert tone="error">{removeFailure.formError ?? Object.values(removeFailure.fieldErrors).flat().join(" ")}</Alert> : null}
      {priceList.assignments.length === 0 ? (
        <p className="empty-state">{t("sellerPriceLists.assignments.empty")}</p>
      ) : (
        <DataTable caption={t("sellerPriceLists.assignments.caption")} columns={[t("sellerPriceLists.assignments.target"), t("sellerPriceLists.assignments.priority")]} actions>
          {priceList.assignments.map((a) => (
            <tr key={a.id}>
              <th scope="row" className="cell-name">
                <Badge tone={a.target.kind === "group" ? "info" : "neutral"}>{a.target.kind === "group" ? t("sellerPriceLists.assignments.group") : t("sellerPriceLists.assignments.buyer")}</Badge>{" "}
                {a.target.kind === "group" ? <Link to={`/customer-groups/${a.target.groupId}`}>{a.target.name}</Link> : a.target.name}
              </th>
              <td>{a.priority}</td>
              <td className="cell-actions">
                <Form method="post" preventScrollReset>
                  <input type="hidden" name="assignmentId" value={a.id} />
                  <SubmitButton
                    variant="ghost"
                    name="intent"
                    value={SELLER_PRICE_LIST_INTENT.unassign}
                    className="button--compact button--danger-text"
                    aria-label={t("sellerPriceLists.assignments.removeLabel", { name: a.target.name })}
                  >
                    {t("sellerPriceLists.assignments.remove")}
                  </SubmitButton>
                </Form>
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      <p className="field-hint">{t("sellerPriceLists.assignments.priorityHint")}</p>
      <div className="form-grid">
        <section aria-labelledby="assign-group">
          <h3 className="card-subtitle" id="assign-group">
            {t("sellerPriceLists.assignments.toGroup")}
          </h3>
          <SellerFormError failure={groupFailure} />
          {groups.length === 0 ? (
            <p className="muted">
              {t("sellerPriceLists.assignments.noGroups")} <Link to="/customer-groups">{t("sellerPriceLists.assignments.manageGroups")}</Link>
            </p>
          ) : (
            <Form key={groupKey} method="post" className="form" noValidate preventScrollReset>
              <input type="hidden" name="intent" value={SELLER_PRICE_LIST_INTENT.assignGroup} />
              <SelectField
                name="groupId"
                label={t("sellerPriceLists.assignments.groupField")}
                required
                defaultValue={valueOf(groupFailure, "groupId")}
                errors={targetErrors(groupFailure, "groupId")}
                options={[{ value: "", label: t("sellerPriceLists.assignments.choose") }, ...groups.map((g) => ({ value: g.id, label: g.name }))]}
              />
              <TextField name="priority" label={t("sellerPriceLists.assignments.priority")} defaultValue={valueOf(groupFailure, "priority") ?? "0"} errors={errorsOf(groupFailure, "priority")} />
              <div>
                <SubmitButton variant="secondary">{t("sellerPriceLists.assignments.assign")}</SubmitButton>
              </div>
            </Form>
          )}
        </section>
        <section aria-labelledby="assign-buyer">
          <h3 className="card-subtitle" id="assign-buyer">
            {t("sellerPriceLists.assignments.toBuyer")}
          </h3>
          <SellerFormError failure={buyerFailure} />
          {buyers.length === 0 ? (
            <p className="muted">{t("sellerPriceLists.assignments.noBuyers")}</p>
          ) : (
            <Form key={buyerKey} method="post" className="form" noValidate preventScrollReset>
              <input type="hidden" name="intent" value={SELLER_PRICE_LIST_INTENT.assignBuyer} />
              <SelectField
                name="buyerId"
                label={t("sellerPriceLists.assignments.buyerField")}
                hint={t("sellerPriceLists.assignments.buyerHint")}
                required
                defaultValue={valueOf(buyerFailure, "buyerId")}
                errors={targetErrors(buyerFailure, "buyerId")}
                options={[{ value: "", label: t("sellerPriceLists.assignments.choose") }, ...buyers.map((b) => ({ value: b.buyerId, label: b.name }))]}
              />
              <TextField name="priority" label={t("sellerPriceLists.assignments.priority")} defaultValue={valueOf(buyerFailure, "priority") ?? "0"} errors={errorsOf(buyerFailure, "priority")} />
              <div>
                <SubmitButton variant="secondary">{t("sellerPriceLists.assignments.assign")}</SubmitButton>
              </div>
            </Form>
          )}
        </section>
      </div>
    </Card>
  );
}

/** One price list: its settings, its prices (by SKU and minimum quantity), and whom it applies to. */
export function SellerPriceListPage({ priceList, groups, buyers, currencies, result }: {
  priceList: SellerPriceListView;
  groups: readonly { id: string; name: string }[];
  /** The buyers of the seller's customer groups: those a list can be assigned to directly. */
  buyers: readonly { buyerId: string; name: string }[];
  currencies: readonly string[];
  result: unknown;
}) {
  const { t } = useI18n();
  const validity = useValidity();
  const failure = sellerFailureOf(result, [SELLER_PRICE_LIST_INTENT.update]);
  const formKey = useFailureKey(failure);
  return (
    <div className="stack">
      <SellerBackLink to="/price-lists">{t("sellerPriceLists.back")}</SellerBackLink>
      <PageHeader
        title={priceList.name}
        description={`${priceList.currency} · ${validity(priceList)}`}
        actions={
          <Link to={`/price-lists/${priceList.id}/delete`} className={buttonClass("danger")}>
            {t("sellerPriceLists.delete.button")}
          </Link>
        }
      />
      <EntriesCard priceList={priceList} result={result} />
      <AssignmentsCard priceList={priceList} groups={groups} buyers={buyers} result={result} />
      <Card title={t("sellerPriceLists.edit.title")}>
        <SellerFormError failure={failure} />
        <Form key={formKey} method="post" className="form" noValidate>
          <input type="hidden" name="intent" value={SELLER_PRICE_LIST_INTENT.update} />
          <PriceListFields
            values={{ name: priceList.name, currency: priceList.currency, validFrom: sellerDayValue(priceList.validFrom), validTo: sellerDayValue(priceList.validTo) }}
            currencies={currencies}
            failure={failure}
          />
          <div className="button-row">
            <SubmitButton>{t("sellerPriceLists.edit.submit")}</SubmitButton>
          </div>
        </Form>
      </Card>
    </div>
  );
}

export function SellerPriceListDeletePage({ priceList, result }: { priceList: SellerPriceListView; result: unknown }) {
  const { t } = useI18n();
  return (
    <SellerConfirmDelete
      title={t("sellerPriceLists.delete.title", { name: priceList.name })}
      confirm={t("sellerPriceLists.delete.confirm")}
      cancel={t("sellerPriceLists.delete.cancel")}
      cancelTo={`/price-lists/${priceList.id}`}
      result={result}
    >
      <p>{t("sellerPriceLists.delete.body", { entries: priceList.entries.length, assignments: priceList.assignments.length })}</p>
    </SellerConfirmDelete>
  );
}
