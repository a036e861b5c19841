/**
 * Messages of the catalogue area "pricing" (English and French side by side, so that a key added in
 * one language cannot be forgotten in the other: the French record is typed against the English keys).
 */
export const pricingEn = {
} as const;

export const pricingFr: Record<keyof typeof pricingEn, string> = {
};
