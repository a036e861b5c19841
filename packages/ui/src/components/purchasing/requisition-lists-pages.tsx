import { Form, Link } from "@remix-run/react";
import { useI18n } from "../../i18n/context";
import { Alert } from "../alert";
import { PriceSourceBadge, useCatalogueMoney } from "../catalogue-buyer-price";
import { SellerBackLink, SellerConfirmDelete, SellerFormError } from "../catalogue-seller-common";
import { DefaultSubmitButton, errorsOf, SubmitButton, TextAreaField, TextField, useFailureKey, valueOf } from "../form";
import { Card, PageHeader } from "../layout";
import { DataTable } from "../table";
import { failureFor, lineIntent, LineWarnings, PURCHASING_INTENT, type PricedLinePageView, type PurchasingMoneyView } from "./common";

/** The organisation's requisition lists (listRequisitionLists) and one list (getRequisitionList) with what can be done with it. */

export interface RequisitionListsPageView {
  items: readonly { id: string; name: string; description: string; itemCount: number; createdBy: string | null; updatedAt: string }[];
  canEdit: boolean;
  max: number;
}

export interface RequisitionListPageView {
  id: string;
  name: string;
  description: string;
  createdBy: string | null;
  updatedAt: string;
  items: readonly { listingId: string; quantity: number; note: string; addedBy: string | null; addedAt: string; line: PricedLinePageView | null }[];
  totals: readonly PurchasingMoneyView[];
  canEdit: boolean;
  canOrder: boolean;
  canRequestQuote: boolean;
  maxItems: number;
}

export function RequisitionListsPage({ view, result }: { view: RequisitionListsPageView; result: unknown }) {
  const { t, formatDateTime } = useI18n();
  const failure = failureFor(result, [PURCHASING_INTENT.create]);
  const formKey = useFailureKey(failure);
  return (
    <div className="stack">
      <PageHeader title={t("requisitionLists.title")} description={t("requisitionLists.intro")} />
      <Card>
        {view.items.length === 0 ? (
          <p className="empty-state">{t("requisitionLists.empty")}</p>
        ) : (
          <DataTable caption={t("requisitionLists.table.caption")} columns={[t("requisitionLists.table.name"), t("requisitionLists.table.items"), t("requisitionLists.table.updated")]}>
            {view.items.map((l) => (
              <tr key={l.id}>
                <th scope="row">
                  <Link to={`/requisition-lists/${l.id}`} className="cell-name">
                    {l.name}
                  </Link>
                  {l.description ? <span className="cell-sub">{l.description}</span> : null}
                </th>
                <td>{l.itemCount}</td>
                <td>
                  <time dateTime={l.updatedAt}>{formatDateTime(l.updatedAt)}</time>
                  {l.createdBy ? <span className="cell-sub">{t("requisitionLists.createdBy", { name: l.createdBy })}</span> : null}
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </Card>
      {view.canEdit ? (
        <Card title={t("requisitionLists.add.title")}>
          <SellerFormError failure={failure} />
          <Form key={formKey} method="post" className="form" noValidate>
            <TextField name="name" label={t("requisitionLists.field.name")} required maxLength={100} defaultValue={valueOf(failure, "name")} errors={errorsOf(failure, "name")} />
            <TextAreaField name="description" label={t("requisitionLists.field.description")} rows={2} maxLength={1000} defaultValue={valueOf(failure, "description")} errors={errorsOf(failure, "description")} />
            <div className="button-row">
              <SubmitButton name="intent" value={PURCHASING_INTENT.create}>
                {t("requisitionLists.add.submit")}
              </SubmitButton>
            </div>
          </Form>
        </Card>
      ) : null}
    </div>
  );
}

export function RequisitionListPage({ list, result }: { list: RequisitionListPageView; result: unknown }) {
  const { t, tPlural } = useI18n();
  const formatMoney = useCatalogueMoney();
  const detailsFailure = failureFor(result, [PURCHASING_INTENT.saveList]);
  const itemsFailure = failureFor(result, [PURCHASING_INTENT.updateItems, PURCHASING_INTENT.removeItem, PURCHASING_INTENT.orderSelected, PURCHASING_INTENT.orderAll, PURCHASING_INTENT.rfqSelected, PURCHASING_INTENT.rfqAll]);
  const detailsKey = useFailureKey(detailsFailure);
  const itemsKey = useFailureKey(itemsFailure);
  const selected = new Set((valueOf(itemsFailure, "listingIds") ?? "").split(",").filter(Boolean));
  return (
    <div className="stack">
      <SellerBackLink to="/requisition-lists">{t("requisitionLists.back")}</SellerBackLink>
      <PageHeader
        title={list.name}
        description={list.description || t("requisitionList.intro")}
        actions={
          list.canEdit ? (
            <Link to={`/requisition-lists/${list.id}/delete`} className="button button--ghost button--danger-text">
              {t("requisitionList.delete")}
            </Link>
          ) : null
        }
      />
      <Card>
        <p className="table-summary">{tPlural("requisitionList.itemCount", list.items.length, { max: list.maxItems })}</p>
        {list.items.length === 0 ? (
          <p className="empty-state">
            {t("requisitionList.empty")} <Link to="/catalogue">{t("requisitionList.toCatalogue")}</Link>
          </p>
        ) : (
          <>
            <SellerFormError failure={itemsFailure} />
            <Form key={itemsKey} method="post" className="stack" noValidate id="requisition-list-items">
              {/* Enter in a quantity or a note saves the items: without this, it would click the first item's "Remove". */}
              {list.canEdit ? (
                <DefaultSubmitButton name="intent" value={PURCHASING_INTENT.updateItems}>
                  {t("requisitionList.save")}
                </DefaultSubmitButton>
              ) : null}
              <DataTable
                caption={t("requisitionList.table.caption")}
                columns={[t("requisitionList.table.select"), t("requisitionList.table.product"), t("requisitionList.table.unitPrice"), t("requisitionList.table.quantity"), t("requisitionList.table.note"), t("requisitionList.table.lineTotal")]}
                actions={list.canEdit}
              >
                {list.items.map((item, index) => {
                  const errors = errorsOf(itemsFailure, `items.${item.listingId}`);
                  const line = item.line;
                  return (
                    <tr key={item.listingId} className={errors ? "row--invalid" : undefined}>
                      <td>
                        <label className="checkbox">
                          <input type="checkbox" name="listingIds" value={item.listingId} defaultChecked={selected.has(item.listingId)} />
                          <span className="visually-hidden">{t("requisitionList.selectLabel", { title: line?.title ?? t("requisitionList.unavailableItem", { number: index + 1 }) })}</span>
                        </label>
                      </td>
                      <th scope="row">
                        {line ? (
                          <>
                            <Link to={`/catalogue/${item.listingId}`} className="cell-name">
                              {line.title}
                            </Link>
                            <span className="cell-sub">{`${line.seller.name} · ${line.sku}`}</span>
                          </>
                        ) : (
                          <span className="muted">{t("requisitionList.unavailableItem", { number: index + 1 })}</span>
                        )}
                        {errors ? <span className="field-error">{errors.join(" ")}</span> : null}
                      </th>
                      <td className="cell-nowrap cell-amount">
                        {line ? (
                          <>
                            {formatMoney(line.unitPrice)} <PriceSourceBadge source={line.priceSource} />
                          </>
                        ) : (
                          "—"
                        )}
                      </td>
                      <td>
                        {list.canEdit ? (
                          <>
                            <label className="visually-hidden" htmlFor={`rl-quantity-${item.listingId}`}>
                              {t("requisitionList.quantityOf", { number: index + 1 })}
                            </label>
                            <input id={`rl-quantity-${item.listingId}`} name={`quantity.${item.listingId}`} className="input input--compact" inputMode="numeric" defaultValue={valueOf(itemsFailure, `quantity.${item.listingId}`) ?? String(item.quantity)} />
                          </>
                        ) : (
                          item.quantity
                        )}{" "}
                        {line ? <span className="cell-sub">{line.unit}</span> : null}
                        {line ? <LineWarnings line={line} /> : null}
                      </td>
                      <td>
                        {list.canEdit ? (
                          <>
                            <label className="visually-hidden" htmlFor={`rl-note-${item.listingId}`}>
                              {t("requisitionList.noteOf", { number: index + 1 })}
                            </label>
                            <input id={`rl-note-${item.listingId}`} name={`note.${item.listingId}`} className="input input--compact" maxLength={500} defaultValue={valueOf(itemsFailure, `note.${item.listingId}`) ?? item.note} />
                          </>
                        ) : (
                          item.note || <span className="muted">—</span>
                        )}
                      </td>
                      <td className="cell-nowrap cell-amount">{line ? formatMoney(line.lineTotal) : "—"}</td>
                      {list.canEdit ? (
                        <td className="cell-actions">
                          <SubmitButton name="intent" value={lineIntent(PURCHASING_INTENT.removeItem, item.listingId)} variant="ghost" className="button--compact">
                            {t("requisitionList.remove")}
                          </SubmitButton>
                        </td>
                      ) : null}
                    </tr>
                  );
                })}
              </DataTable>
              {list.totals.length > 0 ? (
                <dl className="details award-total">
                  <dt>{t("requisitionList.total")}</dt>
                  <dd className="summary-value">{list.totals.map(formatMoney).join(" + ")}</dd>
                </dl>
              ) : null}
              <div className="button-row">
                {list.canEdit ? (
                  <SubmitButton name="intent" value={PURCHASING_INTENT.updateItems} variant="secondary">
                    {t("requisitionList.save")}
                  </SubmitButton>
                ) : null}
                {list.canOrder ? (
                  <>
                    <SubmitButton name="intent" value={PURCHASING_INTENT.orderSelected}>
                      {t("requisitionList.orderSelected")}
                    </SubmitButton>
                    <SubmitButton name="intent" value={PURCHASING_INTENT.orderAll} variant="secondary">
                      {t("requisitionList.orderAll")}
                    </SubmitButton>
                  </>
                ) : null}
                {list.canRequestQuote ? (
                  <>
                    <SubmitButton name="intent" value={PURCHASING_INTENT.rfqSelected} variant="secondary">
                      {t("requisitionList.rfqSelected")}
                    </SubmitButton>
                    <SubmitButton name="intent" value={PURCHASING_INTENT.rfqAll} variant="ghost">
                      {t("requisitionList.rfqAll")}
                    </SubmitButton>
                  </>
                ) : null}
              </div>
              {list.canOrder || list.canRequestQuote ? <p className="muted">{t("requisitionList.actionsHint")}</p> : null}
            </Form>
          </>
        )}
      </Card>
      {list.canEdit ? (
        <Card title={t("requisitionList.details")}>
          <SellerFormError failure={detailsFailure} />
          <Form key={detailsKey} method="post" className="form" noValidate>
            <TextField name="name" label={t("requisitionLists.field.name")} required maxLength={100} defaultValue={valueOf(detailsFailure, "name") ?? list.name} errors={errorsOf(detailsFailure, "name")} />
            <TextAreaField name="description" label={t("requisitionLists.field.description")} rows={2} maxLength={1000} defaultValue={valueOf(detailsFailure, "description") ?? list.description} errors={errorsOf(detailsFailure, "description")} />
            <div className="button-row">
              <SubmitButton name="intent" value={PURCHASING_INTENT.saveList} variant="secondary">
                {t("requisitionList.saveDetails")}
              </SubmitButton>
            </div>
          </Form>
        </Card>
      ) : (
        <Alert tone="info">{t("requisitionList.readOnly")}</Alert>
      )}
    </div>
  );
}

export function RequisitionListDeletePage({ list, result }: { list: { id: string; name: string; items: readonly unknown[] }; result: unknown }) {
  const { t, tPlural } = useI18n();
  return (
    <div className="stack">
      <SellerBackLink to={`/requisition-lists/${list.id}`}>{t("requisitionList.backTo", { name: list.name })}</SellerBackLink>
      <SellerConfirmDelete title={t("requisitionList.deleteTitle", { name: list.name })} confirm={t("requisitionList.deleteConfirm")} cancel={t("requisitionList.deleteCancel")} cancelTo={`/requisition-lists/${list.id}`} result={result}>
        <p>{tPlural("requisitionList.deleteBody", list.items.length)}</p>
      </SellerConfirmDelete>
    </div>
  );
}
