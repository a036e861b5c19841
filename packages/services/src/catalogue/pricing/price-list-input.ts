import { z } from "zod";
import { isCurrency } from "@souk/domain";
import { dayField } from "../../list-input";
import { PRICE_LIST_NAME_MAX } from "./shared";

/**
 * The fields of a price list as the form sends them: a name, a currency and an optional validity
 * of calendar days (`YYYY-MM-DD`, UTC): valid from the first instant of `validFrom` up to, not
 * including, the first instant of `validTo` — the domain rule's inclusive/exclusive bounds.
 */
export const priceListFieldsSchema = z
  .object({
    name: z.preprocess(
      (v) => (v === undefined || v === null ? "" : v),
      z
        .string({ error: "priceList.name_required" })
        .trim()
        .min(1, { error: "priceList.name_required", abort: true })
        .max(PRICE_LIST_NAME_MAX, { error: "priceList.name_too_long" }),
    ),
    currency: z.preprocess(
      (v) => (typeof v === "string" ? v.trim().toUpperCase() : (v ?? "")),
      z
        .string({ error: "priceList.currency_invalid" })
        .min(1, { error: "priceList.currency_required", abort: true })
        .refine((c) => isCurrency(c), { error: "priceList.currency_invalid" }),
    ),
    validFrom: dayField("priceList.date_invalid"),
    validTo: dayField("priceList.date_invalid"),
  })
  .refine((f) => !f.validFrom || !f.validTo || f.validTo > f.validFrom, { path: ["validTo"], error: "priceList.range_invalid" });
