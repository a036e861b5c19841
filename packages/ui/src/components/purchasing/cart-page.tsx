import { Form, Link } from "@remix-run/react";
import { useI18n } from "../../i18n/context";
import { Alert } from "../alert";
import { PriceSourceBadge, useCatalogueMoney } from "../catalogue-buyer-price";
import { SellerFormError } from "../catalogue-seller-common";
import { buttonClass, DefaultSubmitButton, errorsOf, SelectField, SubmitButton, TextField, useFailureKey, valueOf } from "../form";
import { Card, PageHeader } from "../layout";
import { DataTable } from "../table";
import { BudgetStatusPanel, type BudgetStatusPageView } from "../budgets/common";
import { failureFor, lineIntent, LineWarnings, PURCHASING_INTENT, addressSummary, type AddressPageView, type CurrencyGroupPageView } from "./common";

/** The actor's cart (getCart): lines per currency and seller at the buyer's prices, and one checkout per currency. */

export interface CartPageView {
  groups: readonly CurrencyGroupPageView[];
  unavailable: readonly { listingId: string; quantity: number }[];
  lineCount: number;
  maxLines: number;
}

function CheckoutForm({ group, addresses, budgets, result }: { group: CurrencyGroupPageView; addresses: readonly AddressPageView[]; budgets: BudgetStatusPageView | undefined; result: unknown }) {
  const { t } = useI18n();
  const formatMoney = useCatalogueMoney();
  const failure = failureFor(result, [PURCHASING_INTENT.checkout]);
  const mine = failure && failure.values.currency === group.currency ? failure : null;
  const formKey = useFailureKey(mine);
  const fallback = addresses.find((a) => a.isDefault)?.id ?? addresses[0]?.id ?? "";
  return (
    <Card title={t("checkout.title", { currency: group.currency })} id={`checkout-${group.currency}`}>
      {mine ? <SellerFormError failure={mine} /> : null}
      {errorsOf(mine, "currency") ? <Alert tone="error">{errorsOf(mine, "currency")!.join(" ")}</Alert> : null}
      {group.hasWarnings ? <Alert tone="warning">{t("checkout.fixWarnings")}</Alert> : null}
      {addresses.length === 0 ? (
        <Alert tone="info">
          {t("checkout.noAddress")} <Link to="/addresses">{t("checkout.addAddress")}</Link>
        </Alert>
      ) : null}
      <Form key={formKey} method="post" className="form" noValidate>
        <input type="hidden" name="currency" value={group.currency} />
        <div className="form-grid">
          <SelectField
            name="addressId"
            label={t("checkout.address")}
            required
            defaultValue={valueOf(mine, "addressId") ?? fallback}
            errors={errorsOf(mine, "addressId")}
            options={[{ value: "", label: t("checkout.addressPlaceholder") }, ...addresses.map((a) => ({ value: a.id, label: addressSummary(a) }))]}
          />
          <TextField name="poNumber" label={t("checkout.poNumber")} hint={t("checkout.poNumberHint")} maxLength={50} defaultValue={valueOf(mine, "poNumber")} errors={errorsOf(mine, "poNumber")} autoComplete="off" />
        </div>
        <BudgetStatusPanel status={budgets} />
        <p className="muted">{t("checkout.approvalNote")}</p>
        <div className="button-row">
          <SubmitButton name="intent" value={PURCHASING_INTENT.checkout}>
            {t("checkout.submit", { total: formatMoney(group.total) })}
          </SubmitButton>
        </div>
      </Form>
    </Card>
  );
}

export function CartPage({
  cart,
  addresses,
  budgets = {},
  result,
}: {
  cart: CartPageView;
  addresses: readonly AddressPageView[];
  /** Per currency group: the budgets that apply to its checkout, with what its total would do (getBudgetStatus). */
  budgets?: Readonly<Record<string, BudgetStatusPageView>>;
  result: unknown;
}) {
  const { t, tPlural } = useI18n();
  const formatMoney = useCatalogueMoney();
  const lineFailure = failureFor(result, [PURCHASING_INTENT.updateCart, PURCHASING_INTENT.removeLine, PURCHASING_INTENT.checkout]);
  const updateFailure = failureFor(result, [PURCHASING_INTENT.updateCart, PURCHASING_INTENT.removeLine]);
  const formKey = useFailureKey(updateFailure);
  if (cart.lineCount === 0) {
    return (
      <div className="stack">
        <PageHeader title={t("cart.title")} description={t("cart.intro")} />
        <Card>
          <div className="empty-state">
            <p className="empty-state-title">{t("cart.empty.title")}</p>
            <p>{t("cart.empty.body")}</p>
            <p className="button-row">
              <Link to="/catalogue" className={buttonClass("secondary")}>
                {t("cart.empty.catalogue")}
              </Link>
              <Link to="/quick-order" className={buttonClass("secondary")}>
                {t("cart.empty.quickOrder")}
              </Link>
            </p>
          </div>
        </Card>
      </div>
    );
  }
  return (
    <div className="stack">
      <PageHeader
        title={t("cart.title")}
        description={t("cart.intro")}
        actions={
          <Link to="/quick-order" className={buttonClass("secondary")}>
            {t("cart.quickOrder")}
          </Link>
        }
      />
      <p className="table-summary">{tPlural("cart.lineCount", cart.lineCount, { max: cart.maxLines })}</p>
      {updateFailure ? <SellerFormError failure={updateFailure} /> : null}
      <Form key={formKey} method="post" className="stack" noValidate id="cart-lines">
        {/* Enter in a quantity updates the cart: without this, it would click the first line's "Remove". */}
        <DefaultSubmitButton name="intent" value={PURCHASING_INTENT.updateCart}>
          {t("cart.update")}
        </DefaultSubmitButton>
        {cart.unavailable.length > 0 ? (
          <Alert tone="warning" title={t("cart.unavailable.title")}>
            <p>{t("cart.unavailable.body")}</p>
            <ul className="plain-list">
              {cart.unavailable.map((u, index) => (
                <li key={u.listingId}>
                  {t("cart.unavailable.line", { number: index + 1, quantity: u.quantity })}{" "}
                  <SubmitButton name="intent" value={lineIntent(PURCHASING_INTENT.removeLine, u.listingId)} variant="ghost" className="button--compact">
                    {t("cart.remove")}
                  </SubmitButton>
                </li>
              ))}
            </ul>
          </Alert>
        ) : null}
        {cart.groups.map((group) => (
          <Card key={group.currency} title={t("cart.currency", { currency: group.currency })}>
            {group.sellers.map((s) => (
              <section key={s.seller.id} aria-labelledby={`cart-seller-${group.currency}-${s.seller.id}`}>
                <h3 id={`cart-seller-${group.currency}-${s.seller.id}`} className="card-subtitle">
                  {s.seller.name}
                </h3>
                <DataTable caption={t("cart.sellerLines", { name: s.seller.name })} columns={[t("cart.table.product"), t("cart.table.unitPrice"), t("cart.table.quantity"), t("cart.table.lineTotal")]} actions>
                  {s.lines.map((l) => {
                    const name = `quantity.${l.listingId}`;
                    const errors = errorsOf(lineFailure, `lines.${l.listingId}`);
                    return (
                      <tr key={l.listingId}>
                        <th scope="row">
                          <Link to={`/catalogue/${l.listingId}`} className="cell-name">
                            {l.title}
                          </Link>
                          <span className="cell-sub mono">{l.sku}</span>
                        </th>
                        <td className="cell-nowrap cell-amount">
                          {formatMoney(l.unitPrice)} <PriceSourceBadge source={l.priceSource} />
                        </td>
                        <td className={errors ? "field--invalid" : undefined}>
                          <label className="visually-hidden" htmlFor={`cart-${name}`}>
                            {t("cart.quantityOf", { title: l.title })}
                          </label>
                          <input
                            id={`cart-${name}`}
                            name={name}
                            className="input input--compact"
                            inputMode="numeric"
                            defaultValue={valueOf(updateFailure, name) ?? String(l.quantity)}
                            aria-invalid={errors ? true : undefined}
                            aria-describedby={errors ? `cart-${name}-error` : undefined}
                          />{" "}
                          <span className="cell-sub">{l.unit}</span>
                          {errors ? (
                            <span className="field-error" id={`cart-${name}-error`}>
                              {errors.join(" ")}
                            </span>
                          ) : null}
                          <LineWarnings line={l} />
                        </td>
                        <td className="cell-nowrap cell-amount">{formatMoney(l.lineTotal)}</td>
                        <td className="cell-actions">
                          <SubmitButton name="intent" value={lineIntent(PURCHASING_INTENT.removeLine, l.listingId)} variant="ghost" className="button--compact" aria-label={t("cart.removeLabel", { title: l.title })}>
                            {t("cart.remove")}
                          </SubmitButton>
                        </td>
                      </tr>
                    );
                  })}
                  <tr className="row--total">
                    <th scope="row" colSpan={3}>
                      {t("cart.sellerSubtotal", { name: s.seller.name })}
                    </th>
                    <td className="cell-nowrap cell-amount">{formatMoney(s.subtotal)}</td>
                    <td />
                  </tr>
                </DataTable>
              </section>
            ))}
            <dl className="details award-total">
              <dt>{t("cart.total", { currency: group.currency })}</dt>
              <dd className="summary-value">{formatMoney(group.total)}</dd>
            </dl>
          </Card>
        ))}
        <div className="button-row">
          <SubmitButton name="intent" value={PURCHASING_INTENT.updateCart} variant="secondary">
            {t("cart.update")}
          </SubmitButton>
        </div>
      </Form>
      {cart.groups.map((group) => (
        <CheckoutForm key={group.currency} group={group} addresses={addresses} budgets={budgets[group.currency]} result={result} />
      ))}
    </div>
  );
}
