/** What the RFQ, award and order use cases share (not exported from the package). */

/** The RFQ's short reference, as pages and e-mails show it: RFQ-000123. */
export function rfqReference(number: string | number | bigint): string {
  return `RFQ-${number.toString().padStart(6, "0")}`;
}

/** The RFQ number a searched text names ("RFQ-000123", "rfq123", "123"), or undefined. */
export function rfqNumberIn(text: string): string | undefined {
  return /^(?:rfq-?)?0*(\d{1,15})$/i.exec(text)?.[1];
}

/** The order's short reference: ORD-000042. */
export function orderReference(number: string | number | bigint): string {
  return `ORD-${number.toString().padStart(6, "0")}`;
}

/** Offers still in the competition while the RFQ is open. */
export const LIVE_OFFER_STATUSES = ["submitted", "revised"] as const;

/** Sellers' members who answer RFQs (submit:offer:org): they get the RFQ e-mails. */
export const SELLER_RFQ_ROLES = ["owner", "sales"] as const;
