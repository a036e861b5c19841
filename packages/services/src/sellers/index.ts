export { DOCUMENT_ACCEPT, DOCUMENT_LIMITS, detectDocumentType } from "./documents";
export * from "./list-categories";
export * from "./get-seller-application";
export * from "./save-seller-application";
export * from "./submit-seller-application";
export * from "./save-and-submit-seller-application";
export * from "./upload-application-document";
export * from "./delete-application-document";
export * from "./read-application-document";
