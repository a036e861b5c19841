/**
 * Messages of the seller's RFQ inbox and offer pages (apps/seller) and the field-error keys of services/src/rfq/seller (English and French side by side; the French record is typed against the
 * English keys).
 */
export const rfqSellerEn = {
};

export const rfqSellerFr: Record<keyof typeof rfqSellerEn, string> = {
};
