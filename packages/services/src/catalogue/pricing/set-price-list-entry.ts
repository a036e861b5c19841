import { sql } from "kysely";
import { z } from "zod";
import { withTransaction } from "@souk/db";
import { parseMoney, validationError, type Currency, type FieldErrors } from "@souk/domain";
import type { ActorDeps } from "../../deps";
import { fieldErrorsOf } from "../../input";
import { moneyView, type MoneyView } from "./money-view";
import { assertPricingManager, integerText, PRICE_LIST_BREAKS_PER_LISTING, PRICE_LIST_MAX_QUANTITY, sellerPriceList } from "./shared";

/** A decimal as typed: "12.50", "12,50" (French keyboards), "-3" (refused later as not positive, not as gibberish). */
const DECIMAL_TEXT = /^[+-]?\d{1,20}(?:[.,]\d{1,10})?$/;

export const setPriceListEntrySchema = z.object({
  priceListId: z.unknown().optional(),
  sku: z.preprocess(
    (v) => (typeof v === "string" ? v.trim() : (v ?? "")),
    z.string({ error: "priceList.sku_required" }).min(1, { error: "priceList.sku_required", abort: true }).max(64, { error: "priceList.sku_unknown" }),
  ),
  /** Empty means 1: a flat contract price from the first unit. */
  minQuantity: integerText("priceList.min_quantity_invalid", 1, PRICE_LIST_MAX_QUANTITY, 1),
  unitPrice: z.preprocess(
    (v) => (typeof v === "string" ? v.trim() : (v ?? "")),
    z
      .string({ error: "priceList.price_invalid" })
      .min(1, { error: "priceList.price_required", abort: true })
      .regex(DECIMAL_TEXT, { error: "priceList.price_invalid" })
      .transform((s) => s.replace(",", ".")),
  ),
});
export type SetPriceListEntryInput = z.input<typeof setPriceListEntrySchema>;

export interface PriceListEntryResult {
  priceListId: string;
  listingId: string;
  minQuantity: number;
  unitPrice: MoneyView;
}

/**
 * Sets the unit price of one quantity break of one of the seller's listings (found by SKU) in one
 * of its price lists, replacing the price of that break if it had one. The price is read in the
 * list's currency, and the listing must be priced in that currency too: a list never converts.
 * Every problem of the form is reported at once; nothing is written unless all is well.
 */
export async function setPriceListEntry(deps: ActorDeps, input: unknown): Promise<PriceListEntryResult> {
  assertPricingManager(deps.actor);
  const raw = (input && typeof input === "object" ? input : {}) as Record<string, unknown>;
  const sellerId = deps.actor.organizationId;

  return withTransaction(deps.db, async (trx) => {
    // Locked: the list can be neither deleted nor switched to another currency under the entry being written.
    const list = await sellerPriceList(trx, sellerId, raw.priceListId, "update");
    const currency = list.currency as Currency;
    const parsed = setPriceListEntrySchema.safeParse(raw);
    const errors: FieldErrors = parsed.success ? {} : fieldErrorsOf(parsed.error);
    const push = (field: string, key: string) => (errors[field] ??= []).push(key);
    // Each field is also read on its own, so that one bad field does not hide another's problems.
    const fields = setPriceListEntrySchema.shape;
    const sku = fields.sku.safeParse(raw.sku);
    const minQuantity = fields.minQuantity.safeParse(raw.minQuantity);
    const priceText = fields.unitPrice.safeParse(raw.unitPrice);

    const listing = sku.success
      ? await trx.selectFrom("listings").select(["id", "currency"]).where("seller_id", "=", sellerId).where("sku", "=", sku.data).executeTakeFirst()
      : undefined;
    if (sku.success && !listing) push("sku", "priceList.sku_unknown");

    const price = priceText.success ? parseMoney(priceText.data, currency) : null;
    if (priceText.success && !price) push("unitPrice", "priceList.price_invalid");
    else if (price && price.amount <= 0n) push("unitPrice", "priceList.price_not_positive");
    else if (price && price.amount > BigInt(Number.MAX_SAFE_INTEGER)) push("unitPrice", "priceList.price_too_large");
    if (listing && listing.currency !== list.currency) push("unitPrice", "priceList.currency_mismatch");

    if (listing && minQuantity.success) {
      const others = await trx
        .selectFrom("price_list_entries")
        .select((eb) => eb.fn.countAll<string>().as("n"))
        .where("price_list_id", "=", list.id)
        .where("listing_id", "=", listing.id)
        .where("min_quantity", "<>", minQuantity.data)
        .executeTakeFirstOrThrow();
      if (Number(others.n) >= PRICE_LIST_BREAKS_PER_LISTING) push("minQuantity", "priceList.too_many_breaks");
    }

    if (Object.keys(errors).length > 0 || !parsed.success || !listing || !price) throw validationError(errors);
    const data = parsed.data;

    await trx
      .insertInto("price_list_entries")
      .values({ price_list_id: list.id, listing_id: listing.id, seller_id: sellerId, min_quantity: data.minQuantity, unit_price_minor: price.amount })
      .onConflict((oc) => oc.columns(["price_list_id", "listing_id", "min_quantity"]).doUpdateSet({ unit_price_minor: price.amount }))
      .execute();
    await trx.updateTable("price_lists").set({ updated_at: sql<Date>`now()` }).where("id", "=", list.id).execute();
    return { priceListId: list.id, listingId: listing.id, minQuantity: data.minQuantity, unitPrice: moneyView(price) };
  });
}
