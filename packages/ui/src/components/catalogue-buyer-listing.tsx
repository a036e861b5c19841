import { Form, Link } from "@remix-run/react";
import type { PriceSourceKind } from "@souk/domain";
import { useI18n } from "../i18n/context";
import { Alert, Badge } from "./alert";
import { BuyerPrice, PriceSourceBadge, useCatalogueMoney, type CatalogueMoneyView } from "./catalogue-buyer-price";
import { buttonClass } from "./form";
import { Card, PageHeader } from "./layout";
import { DataTable } from "./table";
import { ListingPurchaseCard, type CataloguePurchasingView } from "./purchasing/catalogue-controls";

/**
 * A listing's page for a buyer: details, images, the seller, and the buyer's own price for a
 * quantity it chooses (a GET form: the price of any quantity has its own URL and needs no
 * JavaScript). Client-safe: the shape is getBuyerListing's.
 */

export interface BuyerListingView {
  id: string;
  sku: string;
  title: string;
  description: string;
  unit: string;
  category: { id: string; path: { en: readonly string[]; fr: readonly string[] } };
  attributes: Readonly<Record<string, string>>;
  minOrderQuantity: number;
  stock: number;
  inStock: boolean;
  leadTimeDays: number;
  listPrice: CatalogueMoneyView;
  images: readonly { id: string }[];
  seller: { id: string; name: string };
  price: { quantity: number; unitPrice: CatalogueMoneyView; lineTotal: CatalogueMoneyView; source: PriceSourceKind; sourceMinQuantity: number };
  belowMinimum: boolean;
  /** A message key when the asked quantity could not be read (the price is then the minimum order's). */
  quantityError: string | null;
  priceBreaks: readonly { fromQuantity: number; unitPrice: CatalogueMoneyView; source: PriceSourceKind }[];
}

function QuantityForm({ listing, askedQuantity }: { listing: BuyerListingView; askedQuantity: string | null }) {
  const { t, tKey } = useI18n();
  const error = listing.quantityError ? tKey(listing.quantityError) : null;
  return (
    // Keyed by the priced quantity: after a navigation the box shows what was priced (or refused).
    <Form key={`${listing.price.quantity}:${askedQuantity ?? ""}`} method="get" className="quantity-form" preventScrollReset replace>
      <div className={`field${error ? " field--invalid" : ""}`}>
        <label htmlFor="listing-quantity" className="field-label">
          {t("buyerCatalogue.listing.quantity", { unit: listing.unit })}
        </label>
        <input
          id="listing-quantity"
          name="quantity"
          type="number"
          inputMode="numeric"
          min={1}
          step={1}
          className="input"
          defaultValue={error && askedQuantity !== null ? askedQuantity : String(listing.price.quantity)}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? "listing-quantity-error" : "listing-quantity-hint"}
        />
        {error ? (
          <p className="field-error" id="listing-quantity-error">
            {error}
          </p>
        ) : (
          <p className="field-hint" id="listing-quantity-hint">
            {t("buyerCatalogue.listing.quantityHint", { count: listing.minOrderQuantity, unit: listing.unit })}
          </p>
        )}
      </div>
      <button type="submit" className={buttonClass("secondary", "quantity-submit")}>
        {t("buyerCatalogue.listing.quantitySubmit")}
      </button>
    </Form>
  );
}

function PriceCard({ listing, askedQuantity, canRequestQuote }: { listing: BuyerListingView; askedQuantity: string | null; canRequestQuote: boolean }) {
  const { t } = useI18n();
  const formatMoney = useCatalogueMoney();
  const { price } = listing;
  return (
    <Card title={t("buyerCatalogue.listing.yourPrice")} className="listing-price-card">
      <BuyerPrice yourPrice={price.unitPrice} listPrice={listing.listPrice} source={price.source} unit={listing.unit} />
      {price.sourceMinQuantity > 1 ? <p className="cell-sub">{t("buyerCatalogue.listing.fromQuantity", { count: price.sourceMinQuantity, unit: listing.unit })}</p> : null}
      <dl className="details listing-total">
        <dt>{t("buyerCatalogue.listing.quantityPriced")}</dt>
        <dd>{`${price.quantity} ${listing.unit}`}</dd>
        <dt>{t("buyerCatalogue.listing.lineTotal")}</dt>
        <dd className="listing-total-amount">{formatMoney(price.lineTotal)}</dd>
      </dl>
      {listing.belowMinimum ? (
        <Alert tone="warning" title={t("buyerCatalogue.listing.belowMinimumTitle")}>
          {t("buyerCatalogue.listing.belowMinimum", { count: listing.minOrderQuantity, unit: listing.unit })}
        </Alert>
      ) : null}
      <QuantityForm listing={listing} askedQuantity={askedQuantity} />
      {canRequestQuote ? (
        <p className="rfq-request-quote">
          <Link to={`/rfqs/new?listingId=${encodeURIComponent(listing.id)}`} className={buttonClass("secondary")}>
            {t("rfqBuyer.requestQuote")}
          </Link>
          <span className="cell-sub">{t("rfqBuyer.requestQuoteHint")}</span>
        </p>
      ) : null}
    </Card>
  );
}

function PriceBreaks({ listing }: { listing: BuyerListingView }) {
  const { t } = useI18n();
  const formatMoney = useCatalogueMoney();
  const rows = listing.priceBreaks;
  // The row that priced the chosen quantity: the last one starting at or below it.
  const current = [...rows].reverse().find((r) => r.fromQuantity <= listing.price.quantity) ?? null;
  return (
    <Card title={t("buyerCatalogue.listing.breaks")}>
      <p className="field-hint">{t("buyerCatalogue.listing.breaksHint")}</p>
      <DataTable caption={t("buyerCatalogue.listing.breaks")} columns={[t("buyerCatalogue.listing.breakFrom"), t("buyerCatalogue.listing.breakPrice"), t("buyerCatalogue.listing.breakSource")]}>
        {rows.map((row) => (
          <tr key={row.fromQuantity} className={row === current ? "row--current" : undefined} aria-current={row === current ? "true" : undefined}>
            <th scope="row">{`${row.fromQuantity} ${listing.unit}`}</th>
            <td>{formatMoney(row.unitPrice)}</td>
            <td>{row.source === "list_price" ? <span className="muted">{t("buyerCatalogue.listing.listPriceSource")}</span> : <PriceSourceBadge source={row.source} />}</td>
          </tr>
        ))}
      </DataTable>
    </Card>
  );
}

function Facts({ listing }: { listing: BuyerListingView }) {
  const { t, tPlural } = useI18n();
  return (
    <dl className="details">
      <dt>{t("buyerCatalogue.listing.sku")}</dt>
      <dd className="mono">{listing.sku}</dd>
      <dt>{t("buyerCatalogue.listing.minOrder")}</dt>
      <dd>{`${listing.minOrderQuantity} ${listing.unit}`}</dd>
      <dt>{t("buyerCatalogue.listing.stock")}</dt>
      <dd>
        {listing.inStock ? (
          <Badge tone="success">{t("buyerCatalogue.listing.inStock", { count: listing.stock, unit: listing.unit })}</Badge>
        ) : (
          <Badge tone="warning">{t("buyerCatalogue.stock.out")}</Badge>
        )}
      </dd>
      <dt>{t("buyerCatalogue.listing.leadTime")}</dt>
      <dd>{listing.leadTimeDays === 0 ? t("buyerCatalogue.leadTime.none") : tPlural("buyerCatalogue.leadTime", listing.leadTimeDays)}</dd>
    </dl>
  );
}

/** `canRequestQuote`: the viewer may write RFQs (a viewer or an approver may not); `purchasing`: the cart and requisition-list controls, `result` their action's answer. */
export function BuyerListingPage({ listing, askedQuantity, canRequestQuote = false, purchasing, result }: { listing: BuyerListingView; askedQuantity: string | null; canRequestQuote?: boolean; purchasing?: CataloguePurchasingView; result?: unknown }) {
  const { t, locale } = useI18n();
  const path = listing.category.path[locale];
  const attributes = Object.entries(listing.attributes);
  return (
    <div className="stack">
      <p className="back-link">
        <Link to="/catalogue">{t("buyerCatalogue.listing.back")}</Link>
      </p>
      <nav aria-label={t("buyerCatalogue.listing.categoryPath")} className="category-path">
        <ol>
          {path.map((name, index) => (
            <li key={index}>{index === path.length - 1 ? <Link to={`/catalogue?category=${listing.category.id}`}>{name}</Link> : name}</li>
          ))}
        </ol>
      </nav>
      <PageHeader
        title={listing.title}
        description={
          <>
            {t("buyerCatalogue.listing.soldBy")} <Link to={`/catalogue?seller=${listing.seller.id}`}>{listing.seller.name}</Link>
          </>
        }
      />
      <div className="listing-layout">
        <div className="stack">
          {listing.images.length > 0 ? (
            <Card title={t("buyerCatalogue.listing.images")}>
              <ul className="listing-gallery">
                {listing.images.map((image, index) => (
                  <li key={image.id}>
                    <img
                      src={`/catalogue/${listing.id}/images/${image.id}`}
                      alt={t("buyerCatalogue.listing.imageAlt", { title: listing.title, number: index + 1 })}
                      loading={index === 0 ? "eager" : "lazy"}
                      className="listing-gallery-image"
                    />
                  </li>
                ))}
              </ul>
            </Card>
          ) : null}
          <Card title={t("buyerCatalogue.listing.description")}>
            {listing.description ? <p className="prewrap">{listing.description}</p> : <p className="muted">{t("buyerCatalogue.listing.noDescription")}</p>}
          </Card>
          <Card title={t("buyerCatalogue.listing.attributes")}>
            {attributes.length === 0 ? (
              <p className="muted">{t("buyerCatalogue.listing.noAttributes")}</p>
            ) : (
              <DataTable caption={t("buyerCatalogue.listing.attributes")} columns={[t("buyerCatalogue.listing.attribute"), t("buyerCatalogue.listing.attributeValue")]}>
                {attributes.map(([name, value]) => (
                  <tr key={name}>
                    <th scope="row">{name}</th>
                    <td>{value}</td>
                  </tr>
                ))}
              </DataTable>
            )}
          </Card>
        </div>
        <div className="stack">
          <PriceCard listing={listing} askedQuantity={askedQuantity} canRequestQuote={canRequestQuote} />
          {purchasing ? <ListingPurchaseCard listing={listing} purchasing={purchasing} result={result} /> : null}
          <Card title={t("buyerCatalogue.listing.details")}>
            <Facts listing={listing} />
          </Card>
          <PriceBreaks listing={listing} />
        </div>
      </div>
    </div>
  );
}
