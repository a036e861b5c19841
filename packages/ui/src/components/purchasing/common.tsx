import type { PriceSourceKind } from "@souk/domain";
import { useI18n } from "../../i18n/context";
import { isMessageKey } from "../../i18n/i18n";
import type { FormFailure } from "../../types";
import { Badge } from "../alert";
import type { CatalogueMoneyView } from "../catalogue-buyer-price";

/*
 * Pieces of the buyer's purchasing pages (cart, checkout, quick order, requisition lists, purchases,
 * address book). Client-safe: the shapes are those of @souk/services' purchasing use cases, as the
 * loaders pass them.
 */

export type PurchasingMoneyView = CatalogueMoneyView;

/** A listing at the buyer's own price for a quantity (a cart line, a list item). */
export interface PricedLinePageView {
  listingId: string;
  sku: string;
  title: string;
  unit: string;
  currency: string;
  seller: { id: string; name: string };
  quantity: number;
  minOrderQuantity: number;
  stock: number;
  leadTimeDays: number;
  unitPrice: PurchasingMoneyView;
  lineTotal: PurchasingMoneyView;
  priceSource: PriceSourceKind;
  warnings: readonly string[];
}

export interface CurrencyGroupPageView {
  currency: string;
  sellers: readonly { seller: { id: string; name: string }; lines: readonly PricedLinePageView[]; subtotal: PurchasingMoneyView }[];
  total: PurchasingMoneyView;
  lineCount: number;
  hasWarnings: boolean;
}

export interface AddressPageView {
  id: string;
  label: string;
  recipient: string;
  line1: string;
  line2: string;
  postalCode: string;
  city: string;
  country: string;
  isDefault: boolean;
}

export interface PurchaseDeliveryAddressView {
  label: string;
  recipient: string;
  line1: string;
  line2: string;
  postalCode: string;
  city: string;
  country: string;
}

/** The intents of the purchasing forms (the submit buttons' values). */
export const PURCHASING_INTENT = {
  addToCart: "addToCart",
  addToList: "addToList",
  updateCart: "update",
  removeLine: "remove",
  checkout: "checkout",
  create: "create",
  makeDefault: "makeDefault",
  saveList: "saveList",
  updateItems: "updateItems",
  removeItem: "removeItem",
  orderSelected: "orderSelected",
  orderAll: "orderAll",
  rfqSelected: "rfqSelected",
  rfqAll: "rfqAll",
  withdraw: "withdraw",
} as const;

/** `remove:<listingId>`: a per-line button of a form that holds every line. */
export function lineIntent(intent: string, listingId: string): string {
  return `${intent}:${listingId}`;
}

/** The form failure when it came from one of `intents` (several forms share a page and its action). */
export function failureFor(result: unknown, intents: readonly string[]): FormFailure | null {
  if (typeof result !== "object" || result === null || (result as { ok?: unknown }).ok !== false) return null;
  const failure = result as FormFailure;
  const intent = failure.values.intent ?? "";
  return intents.some((i) => intent === i || intent.startsWith(`${i}:`)) ? failure : null;
}

const PURCHASE_TONE: Record<string, "neutral" | "success" | "warning" | "danger" | "info"> = {
  pending_approval: "warning",
  placed: "success",
  rejected: "danger",
  withdrawn: "neutral",
};

export function PurchaseStatusBadge({ status }: { status: string }) {
  const { t } = useI18n();
  const key = `purchases.status.${status}`;
  return <Badge tone={PURCHASE_TONE[status] ?? "neutral"}>{isMessageKey(key) ? t(key) : status}</Badge>;
}

/** What stops a line from being ordered as it is: under the minimum, more than the stock. */
export function LineWarnings({ line }: { line: Pick<PricedLinePageView, "warnings" | "minOrderQuantity" | "stock" | "unit"> }) {
  const { t } = useI18n();
  if (line.warnings.length === 0) return null;
  return (
    <ul className="plain-list">
      {line.warnings.includes("below_minimum") ? (
        <li>
          <Badge tone="warning">{t("cart.warning.belowMinimum", { count: line.minOrderQuantity, unit: line.unit })}</Badge>
        </li>
      ) : null}
      {line.warnings.includes("above_stock") ? (
        <li>
          <Badge tone="warning">{t("cart.warning.aboveStock", { count: line.stock, unit: line.unit })}</Badge>
        </li>
      ) : null}
    </ul>
  );
}

/** An address on a few lines. */
export function AddressLines({ address }: { address: PurchaseDeliveryAddressView }) {
  return (
    <address className="address-lines">
      <strong>{address.label}</strong>
      <br />
      {address.recipient}
      <br />
      {address.line1}
      {address.line2 ? (
        <>
          <br />
          {address.line2}
        </>
      ) : null}
      <br />
      {`${address.postalCode} ${address.city}`}
      <br />
      {address.country}
    </address>
  );
}

/** "Main warehouse — 4 quai Perrache, 69002 Lyon, FR". */
export function addressSummary(a: PurchaseDeliveryAddressView): string {
  return `${a.label} — ${a.line1}, ${a.postalCode} ${a.city}, ${a.country}`;
}
