import { describe, expect, it } from "vitest";
import { COUNTRIES, companyNumberExample, companyNumberFormat, EU_VAT_FORMATS, isSupportedCountry, validateCompanyNumber } from "./company-number";

const EU = ["AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE"];

/**
 * Per EU country: numbers as a seller may type them and what they normalise to, then numbers of
 * the wrong shape. Written out by hand from the European Commission's VIES formats, independently
 * of EU_VAT_FORMATS.
 */
const CASES: Record<string, { valid: [string, string][]; invalid: string[] }> = {
  AT: { valid: [["ATU12345678", "ATU12345678"], ["U 1234 5678", "ATU12345678"]], invalid: ["AT12345678", "ATU1234567", "U123456789"] },
  BE: { valid: [["BE0123456789", "BE0123456789"], ["0123.456.789", "BE0123456789"], ["be 1234 567 890", "BE1234567890"]], invalid: ["BE2123456789", "BE123456789", "BE01234567890"] },
  BG: { valid: [["BG123456789", "BG123456789"], ["1234567890", "BG1234567890"]], invalid: ["BG12345678", "BG12345678901"] },
  HR: { valid: [["HR12345678901", "HR12345678901"], ["12345678901", "HR12345678901"]], invalid: ["HR1234567890", "HR1234567890A"] },
  CY: { valid: [["CY12345678L", "CY12345678L"], ["12345678-x", "CY12345678X"]], invalid: ["CY123456789", "CY1234567L"] },
  CZ: { valid: [["CZ12345678", "CZ12345678"], ["123456789", "CZ123456789"], ["CZ 1234567890", "CZ1234567890"]], invalid: ["CZ1234567", "CZ12345678901"] },
  DK: { valid: [["DK12345678", "DK12345678"], ["12 34 56 78", "DK12345678"]], invalid: ["DK1234567", "DK123456789"] },
  EE: { valid: [["EE123456789", "EE123456789"], ["123456789", "EE123456789"]], invalid: ["EE12345678", "EE1234567890"] },
  FI: { valid: [["FI12345678", "FI12345678"], ["1234567-8", "FI12345678"]], invalid: ["FI1234567", "FI123456789"] },
  FR: {
    valid: [
      ["FR40303265045", "FR40303265045"],
      ["fr 40 303 265 045", "FR40303265045"],
      ["40303265045", "FR40303265045"],
      ["FRXX123456789", "FRXX123456789"],
      ["FR4A123456789", "FR4A123456789"],
    ],
    // A SIREN without its check characters; the letters I and O; too short.
    invalid: ["FR303265045", "FRIO123456789", "FR4030326504", "303265045"],
  },
  DE: { valid: [["DE123456789", "DE123456789"], ["123 456 789", "DE123456789"]], invalid: ["DE12345678", "DE1234567890", "DEX23456789"] },
  GR: { valid: [["EL123456789", "EL123456789"], ["GR123456789", "EL123456789"], ["123456789", "EL123456789"]], invalid: ["EL12345678", "GR1234567890"] },
  HU: { valid: [["HU12345678", "HU12345678"], ["12345678", "HU12345678"]], invalid: ["HU1234567", "HU123456789"] },
  IE: { valid: [["IE1234567T", "IE1234567T"], ["IE1234567WA", "IE1234567WA"], ["8Z49289F", "IE8Z49289F"], ["IE7A12345J", "IE7A12345J"]], invalid: ["IE12345678", "IE1234567", "IE1234567ZZ"] },
  IT: { valid: [["IT12345678901", "IT12345678901"], ["12345678901", "IT12345678901"]], invalid: ["IT1234567890", "IT123456789012"] },
  LV: { valid: [["LV12345678901", "LV12345678901"], ["12345678901", "LV12345678901"]], invalid: ["LV1234567890"] },
  LT: { valid: [["LT123456789", "LT123456789"], ["LT123456789012", "LT123456789012"]], invalid: ["LT1234567890", "LT12345678"] },
  LU: { valid: [["LU12345678", "LU12345678"], ["12345678", "LU12345678"]], invalid: ["LU1234567", "LU123456789"] },
  MT: { valid: [["MT12345678", "MT12345678"], ["1234 5678", "MT12345678"]], invalid: ["MT1234567", "MT123456789"] },
  NL: { valid: [["NL123456789B01", "NL123456789B01"], ["nl 1234.56.789.b.01", "NL123456789B01"]], invalid: ["NL123456789", "NL123456789A01", "NL12345678B01"] },
  PL: { valid: [["PL1234567890", "PL1234567890"], ["123-456-78-90", "PL1234567890"]], invalid: ["PL123456789", "PL12345678901"] },
  PT: { valid: [["PT123456789", "PT123456789"], ["123 456 789", "PT123456789"]], invalid: ["PT12345678", "PT1234567890"] },
  RO: { valid: [["RO12", "RO12"], ["RO1234567890", "RO1234567890"], ["1234567", "RO1234567"]], invalid: ["RO1", "RO12345678901", "RO0123456"] },
  SK: { valid: [["SK1234567890", "SK1234567890"], ["1234567890", "SK1234567890"]], invalid: ["SK123456789", "SK12345678901"] },
  SI: { valid: [["SI12345678", "SI12345678"], ["12345678", "SI12345678"]], invalid: ["SI1234567", "SI123456789"] },
  ES: { valid: [["ESX1234567X", "ESX1234567X"], ["ES12345678Z", "ES12345678Z"], ["b-1234567-8", "ESB12345678"]], invalid: ["ES123456789", "ES1234567X", "ESX12345678X"] },
  SE: { valid: [["SE123456789001", "SE123456789001"], ["123456-7890 01", "SE123456789001"]], invalid: ["SE123456789012", "SE1234567890", "SE12345678901"] },
};

describe("validateCompanyNumber: EU VAT numbers", () => {
  it("covers the 27 member states, and only them", () => {
    expect(Object.keys(CASES).sort()).toEqual([...EU].sort());
    expect(Object.keys(EU_VAT_FORMATS).sort()).toEqual([...EU].sort());
    for (const code of EU) expect(companyNumberFormat(code), code).toBe("eu_vat");
  });

  describe.each(EU)("%s", (country) => {
    const { valid, invalid } = CASES[country] ?? { valid: [], invalid: [] };

    it.each(valid)("accepts %s as %s", (input, normalised) => {
      expect(validateCompanyNumber(country, input)).toBe(normalised);
    });

    it.each(invalid)("refuses %s", (input) => {
      expect(validateCompanyNumber(country, input)).toBeNull();
    });

    it("accepts its own example and refuses empty input and another country's number", () => {
      const example = companyNumberExample(country) ?? "";
      expect(validateCompanyNumber(country, example)).toBe(example);
      expect(validateCompanyNumber(country, "")).toBeNull();
      expect(validateCompanyNumber(country, "   ")).toBeNull();
      expect(validateCompanyNumber(country, country === "NL" ? "DE123456789" : "NL123456789B01")).toBeNull();
    });
  });
});

describe("validateCompanyNumber: United Kingdom", () => {
  it.each([
    ["GB123456789", "GB123456789"],
    ["GB 123 4567 89", "GB123456789"],
    ["123456789", "GB123456789"],
    ["GB123456789012", "GB123456789012"],
    ["GBGD001", "GBGD001"],
    ["GD499", "GBGD499"],
    ["GBHA500", "GBHA500"],
    ["ha 999", "GBHA999"],
    // Companies House numbers.
    ["01234567", "01234567"],
    ["SC123456", "SC123456"],
    ["ni 012345", "NI012345"],
    ["OC-301234", "OC301234"],
  ])("accepts %s as %s", (input, normalised) => {
    expect(validateCompanyNumber("GB", input)).toBe(normalised);
  });

  it.each(["GB12345678", "GB1234567890", "GBGD500", "GBHA499", "GBGD12", "1234567", "S1234567", "SC1234567", "ABC12345", "", "UK123456789"])("refuses %s", (input) => {
    expect(validateCompanyNumber("GB", input)).toBeNull();
  });

  it("is the GB format, with a VAT example", () => {
    expect(companyNumberFormat("GB")).toBe("gb");
    expect(validateCompanyNumber("GB", companyNumberExample("GB") ?? "")).toBe("GB123456789");
  });
});

describe("validateCompanyNumber: other countries", () => {
  it("takes 2 to 40 characters of free text, trimmed, inner spaces collapsed", () => {
    expect(validateCompanyNumber("CH", "  CHE-123.456.789   MWST ")).toBe("CHE-123.456.789 MWST");
    expect(validateCompanyNumber("MA", "ICE 001234567000089")).toBe("ICE 001234567000089");
    expect(validateCompanyNumber("US", "12")).toBe("12");
    expect(validateCompanyNumber("US", "x".repeat(40))).toBe("x".repeat(40));
  });

  it("refuses fewer than 2 or more than 40 characters", () => {
    expect(validateCompanyNumber("US", "1")).toBeNull();
    expect(validateCompanyNumber("US", "  7  ")).toBeNull();
    expect(validateCompanyNumber("CA", "")).toBeNull();
    expect(validateCompanyNumber("TR", "x".repeat(41))).toBeNull();
  });

  it("counts characters, not UTF-16 units", () => {
    expect(validateCompanyNumber("AE", "٠".repeat(40))).toBe("٠".repeat(40));
  });

  it("is free text with no example", () => {
    for (const code of ["CH", "NO", "MA", "TN", "DZ", "SN", "CI", "US", "CA", "TR", "AE"]) {
      expect(companyNumberFormat(code), code).toBe("free_text");
      expect(companyNumberExample(code), code).toBeNull();
    }
  });
});

describe("COUNTRIES", () => {
  it("lists the EU, the UK and the other countries sellers come from, once each, with both names", () => {
    const codes = COUNTRIES.map((c) => c.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const code of [...EU, "GB", "CH", "NO", "MA", "TN", "DZ", "SN", "CI", "US", "CA", "TR", "AE"]) expect(codes, code).toContain(code);
    for (const c of COUNTRIES) {
      expect(c.code).toMatch(/^[A-Z]{2}$/);
      expect(c.nameEn.trim()).not.toBe("");
      expect(c.nameFr.trim()).not.toBe("");
    }
  });

  it("knows which codes it supports", () => {
    expect(isSupportedCountry("FR")).toBe(true);
    expect(isSupportedCountry("fr")).toBe(false);
    expect(isSupportedCountry("XX")).toBe(false);
    expect(isSupportedCountry(undefined)).toBe(false);
  });
});
