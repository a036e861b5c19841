export * from "./common";
export * from "./cart-page";
export * from "./quick-order-page";
export * from "./purchases-pages";
export * from "./addresses-pages";
export * from "./requisition-lists-pages";
export * from "./catalogue-controls";
