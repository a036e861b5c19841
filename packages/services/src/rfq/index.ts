export * from "./live";
export { sellerMaySeeRfq } from "./access";
export * from "./buyer";
export * from "./seller";
export * from "./operator";
