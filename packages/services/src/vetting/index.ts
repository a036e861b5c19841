export * from "./list-seller-applications";
export * from "./get-seller-for-review";
export * from "./read-seller-document";
export * from "./decide-seller";
