/**
 * Messages of the buyer's RFQ pages (apps/buyer) and the field-error keys of services/src/rfq/buyer (English and French side by side; the French record is typed against the
 * English keys).
 */
export const rfqBuyerEn = {
};

export const rfqBuyerFr: Record<keyof typeof rfqBuyerEn, string> = {
};
