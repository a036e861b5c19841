import { format, isCurrency, money, type PriceSourceKind } from "@souk/domain";
import { useI18n } from "../i18n/context";
import { Badge } from "./alert";

/**
 * Prices as the catalogue services hand them out (`CatalogueMoneyView`: minor units as a decimal string, so
 * they survive JSON) and the pieces that show a buyer its own price. Client-safe.
 */

export interface CatalogueMoneyView {
  amountMinor: string;
  currency: string;
}

/** "€1,234.56" / "1 234,56 €"; the raw amount and code for a currency the domain does not know. */
export function useCatalogueMoney(): (value: CatalogueMoneyView) => string {
  const { locale } = useI18n();
  return (value) => (isCurrency(value.currency) ? format(money(BigInt(value.amountMinor), value.currency), locale) : `${value.amountMinor} ${value.currency}`);
}

/** Whether `a` costs less than `b` (same currency; a different one never compares). */
function cheaper(a: CatalogueMoneyView, b: CatalogueMoneyView): boolean {
  return a.currency === b.currency && BigInt(a.amountMinor) < BigInt(b.amountMinor);
}

/** "Contract price" for a price list (the buyer's own or its group's), "Volume price" for a tier, nothing for the list price. */
export function PriceSourceBadge({ source }: { source: PriceSourceKind }) {
  const { t } = useI18n();
  if (source === "buyer_price_list" || source === "group_price_list") return <Badge tone="success">{t("buyerCatalogue.price.contract")}</Badge>;
  if (source === "volume_tier") return <Badge tone="info">{t("buyerCatalogue.price.volume")}</Badge>;
  return null;
}

/**
 * The buyer's unit price, large, with where it comes from and, when it beats the list price, the
 * list price struck through (with words for screen readers, which do not announce the strike).
 */
export function BuyerPrice({ yourPrice, listPrice, source, unit }: { yourPrice: CatalogueMoneyView; listPrice: CatalogueMoneyView; source: PriceSourceKind; unit: string }) {
  const { t } = useI18n();
  const formatMoney = useCatalogueMoney();
  const discounted = cheaper(yourPrice, listPrice);
  return (
    <div className="buyer-price">
      <p className="buyer-price-amount">
        <span className="visually-hidden">{t("buyerCatalogue.price.yours")} </span>
        <strong>{formatMoney(yourPrice)}</strong> <span className="buyer-price-unit">{t("buyerCatalogue.price.perUnit", { unit })}</span>
      </p>
      <p className="buyer-price-meta">
        <PriceSourceBadge source={source} />
        {discounted ? (
          <span className="buyer-price-list">
            <span className="visually-hidden">{t("buyerCatalogue.price.listWas")} </span>
            <s>{formatMoney(listPrice)}</s>
          </span>
        ) : null}
      </p>
    </div>
  );
}
