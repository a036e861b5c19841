import { Form, useLocation } from "@remix-run/react";
import { useId } from "react";
import { useI18n } from "../../i18n/context";
import { Alert } from "../alert";
import { errorsOf, SubmitButton, useFailureKey, valueOf } from "../form";
import { Card } from "../layout";
import { failureFor, PURCHASING_INTENT } from "./common";

/**
 * "Add to cart" and "Add to requisition list" on a listing's page and on each search result. Plain
 * POST forms to the page's own action (they work without JavaScript); the action comes back to the
 * same page (`returnTo`) with a flash message, or shows the form's errors.
 */

export interface CataloguePurchasingView {
  /** The member may buy (a cart, checkout): admins and purchasers. */
  canBuy: boolean;
  /** The member may change the organisation's requisition lists. */
  canEditLists: boolean;
  lists: readonly { id: string; name: string }[];
}

const NEW_LIST = "new";

function ReturnTo() {
  const location = useLocation();
  return <input type="hidden" name="returnTo" value={`${location.pathname}${location.search}`} />;
}

function QuantityInput({ id, name, defaultValue, errors, label }: { id: string; name: string; defaultValue: string; errors: readonly string[] | undefined; label: string }) {
  return (
    <div className={`field${errors ? " field--invalid" : ""}`}>
      <label htmlFor={id} className="field-label">
        {label}
      </label>
      <input id={id} name={name} className="input input--compact" inputMode="numeric" defaultValue={defaultValue} aria-invalid={errors ? true : undefined} aria-describedby={errors ? `${id}-error` : undefined} />
      {errors ? (
        <p className="field-error" id={`${id}-error`}>
          {errors.join(" ")}
        </p>
      ) : null}
    </div>
  );
}

function ListChoice({ id, lists, failure }: { id: string; lists: CataloguePurchasingView["lists"]; failure: ReturnType<typeof failureFor> }) {
  const { t } = useI18n();
  const chosen = valueOf(failure, "listId") ?? lists[0]?.id ?? NEW_LIST;
  const nameErrors = errorsOf(failure, "newListName");
  const listErrors = errorsOf(failure, "listId");
  return (
    <>
      {lists.length > 0 ? (
        <div className={`field${listErrors ? " field--invalid" : ""}`}>
          <label htmlFor={`${id}-list`} className="field-label">
            {t("listingPurchase.list")}
          </label>
          <select id={`${id}-list`} name="listId" className="input select" defaultValue={chosen}>
            {lists.map((l) => (
              <option key={l.id} value={l.id}>
                {l.name}
              </option>
            ))}
            <option value={NEW_LIST}>{t("listingPurchase.newList")}</option>
          </select>
          {listErrors ? <p className="field-error">{listErrors.join(" ")}</p> : null}
        </div>
      ) : (
        <input type="hidden" name="listId" value={NEW_LIST} />
      )}
      <div className={`field${nameErrors ? " field--invalid" : ""}`}>
        <label htmlFor={`${id}-name`} className="field-label">
          {lists.length > 0 ? t("listingPurchase.newListName") : t("listingPurchase.firstListName")}
        </label>
        <input id={`${id}-name`} name="newListName" className="input input--compact" maxLength={100} defaultValue={valueOf(failure, "newListName")} aria-invalid={nameErrors ? true : undefined} />
        {nameErrors ? <p className="field-error">{nameErrors.join(" ")}</p> : null}
      </div>
    </>
  );
}

/** On a listing's page: the quantity to add to the cart, and the list to keep it on. */
export function ListingPurchaseCard({ listing, purchasing, result }: { listing: { id: string; unit: string; minOrderQuantity: number; price: { quantity: number } }; purchasing: CataloguePurchasingView; result: unknown }) {
  const { t } = useI18n();
  const id = useId();
  const cartFailure = failureFor(result, [PURCHASING_INTENT.addToCart]);
  const listFailure = failureFor(result, [PURCHASING_INTENT.addToList]);
  const cartKey = useFailureKey(cartFailure);
  const listKey = useFailureKey(listFailure);
  const quantity = String(Math.max(listing.price.quantity, listing.minOrderQuantity));
  if (!purchasing.canBuy && !purchasing.canEditLists) return null;
  return (
    <Card title={t("listingPurchase.title")} className="listing-purchase-card">
      {purchasing.canBuy ? (
        <Form key={`cart-${cartKey}`} method="post" className="form" noValidate preventScrollReset>
          <ReturnTo />
          <input type="hidden" name="listingId" value={listing.id} />
          {cartFailure?.formError || errorsOf(cartFailure, "listingId") ? <Alert tone="error">{cartFailure?.formError ?? errorsOf(cartFailure, "listingId")?.join(" ")}</Alert> : null}
          <QuantityInput id={`${id}-cart`} name="quantity" label={t("listingPurchase.quantity", { unit: listing.unit })} defaultValue={valueOf(cartFailure, "quantity") ?? quantity} errors={errorsOf(cartFailure, "quantity")} />
          <div className="button-row">
            <SubmitButton name="intent" value={PURCHASING_INTENT.addToCart}>
              {t("listingPurchase.addToCart")}
            </SubmitButton>
          </div>
        </Form>
      ) : null}
      {purchasing.canEditLists ? (
        <Form key={`list-${listKey}`} method="post" className="form" noValidate preventScrollReset>
          <ReturnTo />
          <input type="hidden" name="listingId" value={listing.id} />
          {listFailure?.formError || errorsOf(listFailure, "listingId") ? <Alert tone="error">{listFailure?.formError ?? errorsOf(listFailure, "listingId")?.join(" ")}</Alert> : null}
          <ListChoice id={`${id}-rl`} lists={purchasing.lists} failure={listFailure} />
          <QuantityInput id={`${id}-rl-quantity`} name="quantity" label={t("listingPurchase.quantity", { unit: listing.unit })} defaultValue={valueOf(listFailure, "quantity") ?? quantity} errors={errorsOf(listFailure, "quantity")} />
          <div className="button-row">
            <SubmitButton name="intent" value={PURCHASING_INTENT.addToList} variant="secondary">
              {t("listingPurchase.addToList")}
            </SubmitButton>
          </div>
        </Form>
      ) : null}
    </Card>
  );
}

/** On a search result: add its minimum order quantity to the cart, or keep it on a list. */
export function HitPurchaseControls({ hit, purchasing, result }: { hit: { id: string; title: string; quantityForPrice: number }; purchasing: CataloguePurchasingView; result: unknown }) {
  const { t } = useI18n();
  const id = useId();
  const failure = failureFor(result, [PURCHASING_INTENT.addToCart, PURCHASING_INTENT.addToList]);
  const mine = failure && failure.values.listingId === hit.id ? failure : null;
  if (!purchasing.canBuy && !purchasing.canEditLists) return null;
  const message = mine ? (mine.formError ?? Object.values(mine.fieldErrors).flat().join(" ")) : null;
  return (
    <div className="hit-purchase">
      {message ? <p className="field-error">{message}</p> : null}
      <Form method="post" className="inline-form" noValidate preventScrollReset>
        <ReturnTo />
        <input type="hidden" name="listingId" value={hit.id} />
        <input type="hidden" name="quantity" value={String(hit.quantityForPrice)} />
        {purchasing.canBuy ? (
          <SubmitButton name="intent" value={PURCHASING_INTENT.addToCart} variant="secondary" className="button--compact" aria-label={t("listingPurchase.addToCartLabel", { title: hit.title, count: hit.quantityForPrice })}>
            {t("listingPurchase.addToCart")}
          </SubmitButton>
        ) : null}
        {purchasing.canEditLists && purchasing.lists.length > 0 ? (
          <>
            <label htmlFor={`${id}-list`} className="visually-hidden">
              {t("listingPurchase.list")}
            </label>
            <select id={`${id}-list`} name="listId" className="input select input--compact" defaultValue={purchasing.lists[0]!.id}>
              {purchasing.lists.map((l) => (
                <option key={l.id} value={l.id}>
                  {l.name}
                </option>
              ))}
            </select>
            <SubmitButton name="intent" value={PURCHASING_INTENT.addToList} variant="ghost" className="button--compact" aria-label={t("listingPurchase.addToListLabel", { title: hit.title })}>
              {t("listingPurchase.addToList")}
            </SubmitButton>
          </>
        ) : null}
      </Form>
    </div>
  );
}
