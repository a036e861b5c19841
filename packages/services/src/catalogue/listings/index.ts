export { LISTING_IMAGE_ACCEPT, LISTING_IMAGE_LIMITS } from "./images";
export * from "./list-seller-listings";
export * from "./get-seller-listing";
export * from "./create-listing";
export * from "./update-listing";
export * from "./move-seller-listing";
export * from "./upload-listing-image";
export * from "./delete-listing-image";
export * from "./read-seller-listing-image";
