/**
 * Messages of RFQ words both apps show (statuses, Incoterms, sealing, live board, receipts) and the keys of services/src/rfq/shared (English and French side by side; the French record is typed against the
 * English keys).
 */
export const rfqCommonEn = {
};

export const rfqCommonFr: Record<keyof typeof rfqCommonEn, string> = {
};
