/**
 * Messages of the catalogue area "buyer-catalogue" (English and French side by side, so that a key added in
 * one language cannot be forgotten in the other: the French record is typed against the English keys).
 */
export const buyerCatalogueEn = {
} as const;

export const buyerCatalogueFr: Record<keyof typeof buyerCatalogueEn, string> = {
};
