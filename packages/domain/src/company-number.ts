/**
 * Company identifiers a seller gives when it applies: the VAT number in the 27 EU member states,
 * the VAT or Companies House number in the United Kingdom, and free text anywhere else (we do not
 * know every registry's format and would rather take the number than turn a seller away).
 *
 * Only the format is checked, not the check digits nor the registries (VIES, HMRC): an operator
 * looks at the documents before approving anyone. Input may carry the country prefix or not, with
 * spaces, dots and dashes as people copy them from letterheads; the normalised value is upper case,
 * without separators and, for VAT numbers, with the prefix.
 */

export interface Country {
  /** ISO 3166-1 alpha-2. */
  code: string;
  nameEn: string;
  nameFr: string;
}

/** Countries a seller can say it is registered in, in the country select (sorted by name by the UI). */
export const COUNTRIES: readonly Country[] = [
  // European Union
  { code: "AT", nameEn: "Austria", nameFr: "Autriche" },
  { code: "BE", nameEn: "Belgium", nameFr: "Belgique" },
  { code: "BG", nameEn: "Bulgaria", nameFr: "Bulgarie" },
  { code: "HR", nameEn: "Croatia", nameFr: "Croatie" },
  { code: "CY", nameEn: "Cyprus", nameFr: "Chypre" },
  { code: "CZ", nameEn: "Czechia", nameFr: "Tchéquie" },
  { code: "DK", nameEn: "Denmark", nameFr: "Danemark" },
  { code: "EE", nameEn: "Estonia", nameFr: "Estonie" },
  { code: "FI", nameEn: "Finland", nameFr: "Finlande" },
  { code: "FR", nameEn: "France", nameFr: "France" },
  { code: "DE", nameEn: "Germany", nameFr: "Allemagne" },
  { code: "GR", nameEn: "Greece", nameFr: "Grèce" },
  { code: "HU", nameEn: "Hungary", nameFr: "Hongrie" },
  { code: "IE", nameEn: "Ireland", nameFr: "Irlande" },
  { code: "IT", nameEn: "Italy", nameFr: "Italie" },
  { code: "LV", nameEn: "Latvia", nameFr: "Lettonie" },
  { code: "LT", nameEn: "Lithuania", nameFr: "Lituanie" },
  { code: "LU", nameEn: "Luxembourg", nameFr: "Luxembourg" },
  { code: "MT", nameEn: "Malta", nameFr: "Malte" },
  { code: "NL", nameEn: "Netherlands", nameFr: "Pays-Bas" },
  { code: "PL", nameEn: "Poland", nameFr: "Pologne" },
  { code: "PT", nameEn: "Portugal", nameFr: "Portugal" },
  { code: "RO", nameEn: "Romania", nameFr: "Roumanie" },
  { code: "SK", nameEn: "Slovakia", nameFr: "Slovaquie" },
  { code: "SI", nameEn: "Slovenia", nameFr: "Slovénie" },
  { code: "ES", nameEn: "Spain", nameFr: "Espagne" },
  { code: "SE", nameEn: "Sweden", nameFr: "Suède" },
  // Rest of Europe
  { code: "GB", nameEn: "United Kingdom", nameFr: "Royaume-Uni" },
  { code: "CH", nameEn: "Switzerland", nameFr: "Suisse" },
  { code: "NO", nameEn: "Norway", nameFr: "Norvège" },
  { code: "IS", nameEn: "Iceland", nameFr: "Islande" },
  { code: "LI", nameEn: "Liechtenstein", nameFr: "Liechtenstein" },
  { code: "MC", nameEn: "Monaco", nameFr: "Monaco" },
  { code: "AD", nameEn: "Andorra", nameFr: "Andorre" },
  { code: "TR", nameEn: "Türkiye", nameFr: "Turquie" },
  // Africa
  { code: "MA", nameEn: "Morocco", nameFr: "Maroc" },
  { code: "TN", nameEn: "Tunisia", nameFr: "Tunisie" },
  { code: "DZ", nameEn: "Algeria", nameFr: "Algérie" },
  { code: "EG", nameEn: "Egypt", nameFr: "Égypte" },
  { code: "SN", nameEn: "Senegal", nameFr: "Sénégal" },
  { code: "CI", nameEn: "Côte d'Ivoire", nameFr: "Côte d'Ivoire" },
  { code: "CM", nameEn: "Cameroon", nameFr: "Cameroun" },
  // Americas, Middle East, Asia
  { code: "US", nameEn: "United States", nameFr: "États-Unis" },
  { code: "CA", nameEn: "Canada", nameFr: "Canada" },
  { code: "AE", nameEn: "United Arab Emirates", nameFr: "Émirats arabes unis" },
  { code: "SA", nameEn: "Saudi Arabia", nameFr: "Arabie saoudite" },
  { code: "CN", nameEn: "China", nameFr: "Chine" },
  { code: "IN", nameEn: "India", nameFr: "Inde" },
  { code: "JP", nameEn: "Japan", nameFr: "Japon" },
];

const COUNTRY_CODES = new Set(COUNTRIES.map((c) => c.code));

export function isSupportedCountry(code: unknown): code is string {
  return typeof code === "string" && COUNTRY_CODES.has(code);
}

interface VatFormat {
  /** The VAT prefix: the ISO code, except Greece (EL). */
  prefix: string;
  /** The part after the prefix, once separators are stripped. */
  body: RegExp;
  /** A well-formed number, shown as a hint. */
  example: string;
}

/** VAT number formats of the EU member states (European Commission, VIES). */
export const EU_VAT_FORMATS: Readonly<Record<string, VatFormat>> = {
  AT: { prefix: "AT", body: /^U\d{8}$/, example: "ATU12345678" },
  BE: { prefix: "BE", body: /^[01]\d{9}$/, example: "BE0123456789" },
  BG: { prefix: "BG", body: /^\d{9,10}$/, example: "BG123456789" },
  HR: { prefix: "HR", body: /^\d{11}$/, example: "HR12345678901" },
  CY: { prefix: "CY", body: /^\d{8}[A-Z]$/, example: "CY12345678L" },
  CZ: { prefix: "CZ", body: /^\d{8,10}$/, example: "CZ12345678" },
  DK: { prefix: "DK", body: /^\d{8}$/, example: "DK12345678" },
  EE: { prefix: "EE", body: /^\d{9}$/, example: "EE123456789" },
  FI: { prefix: "FI", body: /^\d{8}$/, example: "FI12345678" },
  // Two check characters (digits or letters other than I and O), then the 9-digit SIREN.
  FR: { prefix: "FR", body: /^[0-9A-HJ-NP-Z]{2}\d{9}$/, example: "FR40303265045" },
  DE: { prefix: "DE", body: /^\d{9}$/, example: "DE123456789" },
  GR: { prefix: "EL", body: /^\d{9}$/, example: "EL123456789" },
  HU: { prefix: "HU", body: /^\d{8}$/, example: "HU12345678" },
  // 7 digits and one or two letters, or the older digit-letter-5 digits-letter form.
  IE: { prefix: "IE", body: /^(\d{7}[A-W][A-IW]?|\d[A-Z+*]\d{5}[A-W])$/, example: "IE1234567T" },
  IT: { prefix: "IT", body: /^\d{11}$/, example: "IT12345678901" },
  LV: { prefix: "LV", body: /^\d{11}$/, example: "LV12345678901" },
  LT: { prefix: "LT", body: /^(\d{9}|\d{12})$/, example: "LT123456789" },
  LU: { prefix: "LU", body: /^\d{8}$/, example: "LU12345678" },
  MT: { prefix: "MT", body: /^\d{8}$/, example: "MT12345678" },
  NL: { prefix: "NL", body: /^\d{9}B\d{2}$/, example: "NL123456789B01" },
  PL: { prefix: "PL", body: /^\d{10}$/, example: "PL1234567890" },
  PT: { prefix: "PT", body: /^\d{9}$/, example: "PT123456789" },
  RO: { prefix: "RO", body: /^[1-9]\d{1,9}$/, example: "RO1234567" },
  SK: { prefix: "SK", body: /^\d{10}$/, example: "SK1234567890" },
  SI: { prefix: "SI", body: /^\d{8}$/, example: "SI12345678" },
  // A letter or digit, 7 digits, a letter or digit; never all digits.
  ES: { prefix: "ES", body: /^([A-Z]\d{7}[A-Z0-9]|\d{8}[A-Z])$/, example: "ESX1234567X" },
  SE: { prefix: "SE", body: /^\d{10}01$/, example: "SE123456789001" },
};

/** UK VAT: 9 digits, 12 for a branch, GD / HA and 3 digits for government departments and health authorities. */
const GB_VAT_BODY = /^(\d{9}|\d{12}|GD[0-4]\d{2}|HA[5-9]\d{2})$/;
/** Companies House: 8 digits, or 2 letters (SC, NI, OC...) and 6 digits. */
const GB_COMPANY_NUMBER = /^([A-Z]{2}\d{6}|\d{8})$/;

export const FREE_TEXT_COMPANY_NUMBER = { min: 2, max: 40 } as const;

export type CompanyNumberFormat = "eu_vat" | "gb" | "free_text";

/** How the number of a seller registered in `country` is checked (drives the form's hint). */
export function companyNumberFormat(country: string): CompanyNumberFormat {
  if (Object.hasOwn(EU_VAT_FORMATS, country)) return "eu_vat";
  return country === "GB" ? "gb" : "free_text";
}

/** A well-formed number for the country, to show as an example; null where any text is taken. */
export function companyNumberExample(country: string): string | null {
  if (country === "GB") return "GB123456789";
  return Object.hasOwn(EU_VAT_FORMATS, country) ? (EU_VAT_FORMATS[country]?.example ?? null) : null;
}

// What people put between the groups of digits.
const SEPARATORS = /[\s.\-‐‑–—]/g;

/**
 * The company number of a seller registered in `country` (ISO alpha-2), normalised, or null when
 * its format is wrong for that country. EU VAT numbers come back with their prefix (EL for
 * Greece); UK VAT numbers with GB; Companies House numbers as 8 characters; elsewhere the trimmed
 * text, 2 to 40 characters.
 */
export function validateCompanyNumber(country: string, value: string): string | null {
  const eu = Object.hasOwn(EU_VAT_FORMATS, country) ? EU_VAT_FORMATS[country] : undefined;
  if (eu) {
    const compact = value.replace(SEPARATORS, "").toUpperCase();
    // Greek numbers are often written with the ISO code instead of the VAT prefix.
    const prefixes = country === "GR" ? [eu.prefix, "GR"] : [eu.prefix];
    const prefix = prefixes.find((p) => compact.startsWith(p));
    // With a prefix, the rest must be the body: "FR" + 9 digits is a SIREN without its check
    // characters, not check characters "FR".
    const body = prefix ? compact.slice(prefix.length) : compact;
    return eu.body.test(body) ? `${eu.prefix}${body}` : null;
  }
  if (country === "GB") {
    const compact = value.replace(SEPARATORS, "").toUpperCase();
    if (compact.startsWith("GB")) {
      const body = compact.slice(2);
      return GB_VAT_BODY.test(body) ? `GB${body}` : null;
    }
    if (GB_VAT_BODY.test(compact)) return `GB${compact}`;
    return GB_COMPANY_NUMBER.test(compact) ? compact : null;
  }
  const text = value.trim().replace(/\s+/g, " ");
  const length = [...text].length;
  return length >= FREE_TEXT_COMPANY_NUMBER.min && length <= FREE_TEXT_COMPANY_NUMBER.max ? text : null;
}
