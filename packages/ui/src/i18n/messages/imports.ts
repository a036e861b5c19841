/**
 * Messages of the catalogue area "imports" (English and French side by side, so that a key added in
 * one language cannot be forgotten in the other: the French record is typed against the English keys).
 */
export const importsEn = {
} as const;

export const importsFr: Record<keyof typeof importsEn, string> = {
};
