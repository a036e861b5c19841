/**
 * Messages of the catalogue area "operator-catalogue" (English and French side by side, so that a key added in
 * one language cannot be forgotten in the other: the French record is typed against the English keys).
 */
export const operatorCatalogueEn = {
} as const;

export const operatorCatalogueFr: Record<keyof typeof operatorCatalogueEn, string> = {
};
