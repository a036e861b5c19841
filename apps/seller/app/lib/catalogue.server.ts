import { CURRENCIES } from "@souk/domain";
import { CATALOGUE_IMPORT_LIMITS, CSV_COLUMNS, LISTING_IMAGE_ACCEPT, LISTING_IMAGE_LIMITS } from "@souk/services";
import type { SellerImageRules, SellerImportFormat } from "@souk/ui";

/** The currencies a listing or a price list can be in (the domain's), for the forms' selects. */
export const CURRENCY_CODES: readonly string[] = Object.keys(CURRENCIES).sort();

/** What the listing page tells sellers about images: the services' limits. */
export const LISTING_IMAGE_RULES: SellerImageRules = { maxBytes: LISTING_IMAGE_LIMITS.maxBytes, maxPerListing: LISTING_IMAGE_LIMITS.maxPerListing, accept: LISTING_IMAGE_ACCEPT };

/** What the import page explains: the services' columns and file limit. */
export const IMPORT_FORMAT: SellerImportFormat = { columns: CSV_COLUMNS, maxBytes: CATALOGUE_IMPORT_LIMITS.maxBytes };
