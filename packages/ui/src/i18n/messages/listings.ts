/**
 * Messages of the catalogue area "listings" (English and French side by side, so that a key added in
 * one language cannot be forgotten in the other: the French record is typed against the English keys).
 */
export const listingsEn = {
} as const;

export const listingsFr: Record<keyof typeof listingsEn, string> = {
};
