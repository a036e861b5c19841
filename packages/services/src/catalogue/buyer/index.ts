export * from "./search-catalogue";
export * from "./get-buyer-listing";
export * from "./read-buyer-listing-image";
