export { CSV_COLUMNS, type CsvColumn } from "./columns";
export { CATALOGUE_IMPORT_LIMITS, type CatalogueImportError, type CatalogueImportStatus, type CatalogueImportView } from "./shared";
export * from "./start-catalogue-import";
export * from "./run-catalogue-import";
export * from "./get-catalogue-import";
export * from "./list-catalogue-imports";
export * from "./export-seller-listings-csv";
