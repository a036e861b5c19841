/**
 * Messages of approval rules, approvals and orders (both apps) and the field-error keys of services/src/approvals and services/src/orders (English and French side by side; the French record is typed against the
 * English keys).
 */
export const approvalsOrdersEn = {
};

export const approvalsOrdersFr: Record<keyof typeof approvalsOrdersEn, string> = {
};
