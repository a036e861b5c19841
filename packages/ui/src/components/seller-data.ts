import type { Locale } from "../i18n/i18n";
import type { DateLike } from "../types";

/*
 * The shapes of a seller's application that both sides show: the seller's own page
 * (getSellerApplication) and the operator's review (getSellerForReview). This package never imports
 * @souk/services, so they are written again here; dates may arrive as strings.
 */

/** The application's text fields, as the seller typed them ("" when not given). */
export interface ApplicationFields {
  legalName: string;
  tradingName: string;
  country: string;
  companyNumber: string;
  addressLine1: string;
  addressLine2: string;
  postalCode: string;
  city: string;
  contactName: string;
  contactEmail: string;
  contactPhone: string;
  description: string;
}

export interface SellerApplicationFields extends ApplicationFields {
  categoryIds: readonly string[];
  submittedAt: DateLike | null;
}

export interface CategoryView {
  id: string;
  nameEn: string;
  nameFr: string;
}

/** A category of the tree (a top-level one has no parent). */
export interface CategoryOption extends CategoryView {
  slug: string;
  parentId: string | null;
}

export interface SellerDocumentRow {
  id: string;
  originalName: string;
  contentType: string;
  sizeBytes: number;
  createdAt: DateLike;
}

export interface SellerHistoryRow {
  move: string;
  fromStatus: string;
  toStatus: string;
  message: string | null;
  createdAt: DateLike;
}

export function categoryName(locale: Locale, category: Pick<CategoryView, "nameEn" | "nameFr">): string {
  return locale === "fr" ? category.nameFr : category.nameEn;
}

/** The postal address as lines (the empty ones left out), the country last, named by `countryName`. */
export function addressLines(application: ApplicationFields, countryName: (code: string) => string): string[] {
  return [
    application.addressLine1,
    application.addressLine2,
    [application.postalCode, application.city].filter(Boolean).join(" "),
    application.country ? countryName(application.country) : "",
  ].filter((line) => line.trim() !== "");
}
