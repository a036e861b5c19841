export * from "./list-listings-for-moderation";
export * from "./get-listing-for-moderation";
export * from "./moderate-listing";
export * from "./read-moderated-listing-image";
