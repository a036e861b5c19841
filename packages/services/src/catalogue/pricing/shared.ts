import { z } from "zod";
import type { Db } from "@souk/db";
import { can, forbidden, notFound, type Actor } from "@souk/domain";
import { existingId } from "../../input";
export { existingId };

/**
 * Helpers shared by the seller-side use cases of customer groups and price lists. Not exported
 * from the package: apps go through the use cases.
 */

/** Customer groups and price lists belong to a seller organisation; nobody else manages them. */
export function assertPricingManager(actor: Actor): void {
  if (actor.organizationKind !== "seller" || !can(actor.organizationKind, actor.role, "manage:price-lists:org")) {
    throw forbidden("Missing permission manage:price-lists:org");
  }
}


/** A UUID chosen in a form (a buyer, a group): anything else is the field error `key`. */
export function formId(key: string) {
  return z.preprocess(
    (v) => (typeof v === "string" ? v.trim().toLowerCase() : v),
    z.string({ error: key }).min(1, { error: key, abort: true }).pipe(z.uuid({ error: key })),
  );
}

/** Whether `buyerId` is an active buyer organisation: the only kind of organisation a seller prices for or groups. */
export async function isActiveBuyer(db: Db, buyerId: string): Promise<boolean> {
  const row = await db
    .selectFrom("organizations")
    .select("id")
    .where("id", "=", buyerId)
    .where("kind", "=", "buyer")
    .where("status", "=", "active")
    .executeTakeFirst();
  return row !== undefined;
}

/** A `YYYY-MM-DD` day of a price list's validity, as stored (the first instant of that day in UTC). */
export function dayOf(value: Date | null): string | null {
  return value ? value.toISOString().slice(0, 10) : null;
}

export const PRICE_LIST_NAME_MAX = 100;
/** Quantity breaks of one listing in one price list, like a listing's own tiers. */
export const PRICE_LIST_BREAKS_PER_LISTING = 20;
export const PRICE_LIST_MAX_QUANTITY = 1_000_000_000;
export const PRIORITY_RANGE = { min: -1000, max: 1000 } as const;

/**
 * The seller's price list `priceListId` (from a URL), locked for the rest of the transaction when
 * `lock` is given. Another seller's list, or no list, is NOT_FOUND.
 */
export async function sellerPriceList(db: Db, sellerId: string, priceListId: unknown, lock: "share" | "update" | null = null) {
  const id = existingId(priceListId, "PriceList");
  let query = db
    .selectFrom("price_lists")
    .select(["id", "name", "currency", "valid_from as validFrom", "valid_to as validTo", "created_at as createdAt"])
    .where("id", "=", id)
    .where("seller_id", "=", sellerId);
  if (lock === "share") query = query.forShare();
  if (lock === "update") query = query.forUpdate();
  const row = await query.executeTakeFirst();
  if (!row) throw notFound("PriceList");
  return row;
}

/** An integer typed in a form: plain digits with an optional sign ("1e3", "1.5" or "0x10" are refused, not guessed); empty is `fallback`. */
export function integerText(key: string, min: number, max: number, fallback: number) {
  return z.preprocess(
    (v) => {
      if (v === undefined || v === null || (typeof v === "string" && v.trim() === "")) return fallback;
      return typeof v === "string" ? (/^\s*[+-]?\d{1,10}\s*$/.test(v) ? Number(v.trim()) : Number.NaN) : v;
    },
    z.number({ error: key }).int({ error: key }).min(min, { error: key }).max(max, { error: key }),
  );
}
