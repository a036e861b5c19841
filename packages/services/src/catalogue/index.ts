export * from "./listing-input";
export * from "./save-listing";
export * from "./sync";
