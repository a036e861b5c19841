import { z } from "zod";
import type { Db } from "@souk/db";
import {
  can,
  forbidden,
  money,
  notFound,
  toDecimalString,
  validationError,
  type Actor,
  type Currency,
  type FieldErrors,
  type ListingStatus,
  type OrganizationStatus,
  type Permission,
} from "@souk/domain";
import type { MoneyView } from "../pricing/money-view";
import { formatAttributes, formatTiers, type ListingFields, type ListingTier } from "../listing-input";
import { loadCatalogueLookups, referenceErrors } from "../save-listing";

/**
 * Helpers shared by the listing use cases (seller side, and the operator's moderation next door).
 * Not exported from the package: apps go through the use cases.
 */

export type { MoneyView };

/** A stored amount (bigint column, read as a string) as a service result. */
export function moneyView(amountMinor: string | bigint, currency: string): MoneyView {
  return { amountMinor: amountMinor.toString(), currency };
}

/** "12.50" from minor units: the form's text, which parseListingFields reads back to the same amount. */
export function decimalOf(amountMinor: string | bigint, currency: Currency): string {
  return toDecimalString(money(BigInt(amountMinor), currency));
}

/** The form's text of tiers: one pair per line. */
export function tiersText(tiers: readonly ListingTier[], currency: Currency): string {
  return formatTiers(tiers, currency, (amount, c) => decimalOf(amount, c), "\n");
}

export function attributesText(attributes: Readonly<Record<string, string>>): string {
  // jsonb keeps keys by length, not as written: the form shows them by name.
  const sorted = Object.entries(attributes).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return formatAttributes(Object.fromEntries(sorted), "\n");
}

/** A seller's listings are read and written from a seller organisation only, whatever permission a buyer or operator role holds. */
export function assertSellerListingsCan(actor: Actor, permission: Permission): void {
  if (actor.organizationKind !== "seller" || !can("seller", actor.role, permission)) {
    throw forbidden(`Missing permission ${permission}`);
  }
}

/** An id as it comes from a URL or a hidden field. */
export const idRef = z.string().trim().toLowerCase().pipe(z.uuid());

export const listingRefSchema = z.object({ listingId: idRef });
export type ListingRefInput = z.input<typeof listingRefSchema>;

export const listingImageRefSchema = z.object({ listingId: idRef, imageId: idRef });
export type ListingImageRefInput = z.input<typeof listingImageRefSchema>;

/**
 * The ids of `input` by `schema`, or NOT_FOUND: something that is not even an id designates no
 * listing, exactly like an unknown one or another seller's.
 */
export function parseRefs<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  const result = schema.safeParse(input ?? {});
  if (!result.success) throw notFound(what);
  return result.data;
}

/**
 * parseListingFields keys an error of one of several group ids by its position ("groupIds.2"):
 * the form shows one field, so the error goes to that field.
 */
export function listingValidationError(errors: FieldErrors) {
  const folded: FieldErrors = {};
  for (const [path, keys] of Object.entries(errors)) {
    const field = path.split(".")[0] ?? path;
    folded[field] = [...new Set([...(folded[field] ?? []), ...keys])];
  }
  return validationError(folded);
}

/**
 * The start of every change a seller makes to its listings: share-locks its organisation row (an
 * operator's suspension takes it FOR UPDATE, so a publish and a suspension take turns rather than
 * interleave) and its member's membership row, and re-checks under those locks that the member
 * may still manage listings (the actor was read when the request started). Returns the seller's
 * status as it is now.
 */
export async function lockSellerForListings(db: Db, actor: Actor): Promise<{ status: OrganizationStatus }> {
  assertSellerListingsCan(actor, "manage:listings:org");
  const row = await db
    .selectFrom("organizations as o")
    .innerJoin("memberships as m", (join) => join.onRef("m.organization_id", "=", "o.id").on("m.user_id", "=", actor.userId))
    .select(["o.status", "m.role"])
    .where("o.id", "=", actor.organizationId)
    .where("o.kind", "=", "seller")
    .forShare(["o", "m"])
    .executeTakeFirst();
  if (!row || !can("seller", row.role, "manage:listings:org")) throw forbidden("Missing permission manage:listings:org");
  return { status: row.status };
}

export interface LockedListing {
  id: string;
  sku: string;
  title: string;
  status: ListingStatus;
}

/** The seller's listing, locked FOR UPDATE until the transaction ends; another seller's is NOT_FOUND. */
export async function lockSellerListing(db: Db, sellerId: string, listingId: string): Promise<LockedListing> {
  const row = await db
    .selectFrom("listings")
    .select(["id", "sku", "title", "status"])
    .where("id", "=", listingId)
    .where("seller_id", "=", sellerId)
    .forUpdate()
    .executeTakeFirst();
  if (!row) throw notFound("Listing");
  return row;
}

export const LISTING_QUERY_MAX = 200;

/**
 * Refuses fields whose references are not the seller's to use: an unknown category, a group of
 * another seller, a SKU already used by another of its listings (`exceptListingId`: the listing
 * being edited keeps its own).
 */
export async function assertReferences(db: Db, sellerId: string, fields: ListingFields, exceptListingId: string | null): Promise<void> {
  const lookups = await loadCatalogueLookups(db, sellerId);
  const errors: FieldErrors = referenceErrors(fields, lookups);
  const taken = await db
    .selectFrom("listings")
    .select("id")
    .where("seller_id", "=", sellerId)
    .where("sku", "=", fields.sku)
    .$if(exceptListingId !== null, (qb) => qb.where("id", "<>", exceptListingId as string))
    .executeTakeFirst();
  if (taken) errors.sku = ["sku.taken"];
  if (Object.keys(errors).length > 0) throw listingValidationError(errors);
}
