export * from "./types";
export { SellerRfqFormAlert, useSellerRfqMoney, sellerRfqDecimal } from "./common";
export * from "./inbox";
export * from "./offer-files";
export * from "./rfq-page";
