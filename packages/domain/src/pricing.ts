/**
 * The unit price a buyer sees for a listing and a quantity.
 *
 * THE RULE (one rule for search results, the listing page, quick order and carts):
 *
 * 1. Quantity must be a positive safe integer, else VALIDATION `{ quantity: ["quantity.invalid"] }`.
 * 2. A price list *applies* when its currency is the listing's currency and `at` lies in its
 *    validity: `validFrom <= at < validTo` (validFrom inclusive, validTo exclusive; a null bound
 *    is open). A list that does not apply is skipped, whatever its priority.
 * 3. Sources are tried in this order; the first that yields a break wins:
 *    a. price lists assigned to the buyer organisation itself;
 *    b. price lists assigned to one of the buyer's customer groups;
 *    c. the listing's volume tiers;
 *    d. the list price (as a break at minQuantity 1, so it always answers).
 *    Within a and b the assignments are ordered by priority (higher first), then by the price
 *    list's creation (older first), then by price list id, then (b only) by group id. Ids are
 *    random UUIDs, so they only make the order total; creation time is the meaningful tie-break:
 *    the contract that was in place first keeps winning until someone changes a priority.
 * 4. Inside a source the quantity picks the break: the entry with the largest minQuantity that is
 *    <= quantity. A price list with no such entry (including one with no entry for this listing)
 *    falls through to the next source, exactly like a list that does not apply.
 * 5. lineTotal = unitPrice × quantity, exactly (bigint minor units).
 *
 * The minimum order quantity is not a pricing concern: ordering below it is refused elsewhere, and
 * pricing such a quantity still answers so pages can show what it would cost.
 *
 * Inputs are plain rows (ids as strings). Malformed rows — a break with minQuantity < 1 or
 * duplicated, a non-positive price, an entry in another currency than its list, a list price or
 * tier not in the listing's currency — are refused with INVARIANT: they must have been stopped by
 * `validatePriceBreaks` when written, and guessing a price from bad data is worse than failing.
 */
import { DomainError, validationError, type FieldErrors } from "./errors";
import { multiply, type Currency, type Money } from "./money";

/** One quantity break: from `minQuantity` units on, each unit costs `unitPrice`. */
export interface PriceBreak {
  readonly minQuantity: number;
  readonly unitPrice: Money;
}

/** A price list as it applies to one listing: only that listing's entries. */
export interface PriceListForListing {
  readonly id: string;
  readonly currency: Currency;
  /** Inclusive; null = valid since forever. */
  readonly validFrom: Date | null;
  /** Exclusive; null = never expires. */
  readonly validTo: Date | null;
  readonly createdAt: Date;
  readonly entries: readonly PriceBreak[];
}

export interface BuyerPriceListAssignment {
  readonly priority: number;
  readonly priceList: PriceListForListing;
}

export interface GroupPriceListAssignment {
  /** A customer group the buyer belongs to (the caller only passes the buyer's groups). */
  readonly groupId: string;
  readonly priority: number;
  readonly priceList: PriceListForListing;
}

export interface PricingInput {
  readonly listing: {
    /** The listing's currency is the list price's currency. */
    readonly listPrice: Money;
    readonly tiers: readonly PriceBreak[];
  };
  readonly quantity: number;
  /** The instant the price is asked for (validity of price lists is judged at this instant). */
  readonly at: Date;
  readonly buyerPriceLists?: readonly BuyerPriceListAssignment[];
  readonly groupPriceLists?: readonly GroupPriceListAssignment[];
}

export type PriceSourceKind = "buyer_price_list" | "group_price_list" | "volume_tier" | "list_price";

/** Where the price came from, so the UI can say "your contract price from 100 units". */
export type PriceSource =
  | { readonly kind: "buyer_price_list"; readonly priceListId: string; readonly minQuantity: number }
  | { readonly kind: "group_price_list"; readonly priceListId: string; readonly groupId: string; readonly minQuantity: number }
  | { readonly kind: "volume_tier"; readonly minQuantity: number }
  | { readonly kind: "list_price"; readonly minQuantity: 1 };

export interface ResolvedPrice {
  readonly unitPrice: Money;
  readonly source: PriceSource;
  readonly lineTotal: Money;
}

/** Whether `priceList` counts for a listing in `currency` at instant `at` (rule step 2). */
export function priceListApplies(priceList: Pick<PriceListForListing, "currency" | "validFrom" | "validTo">, currency: Currency, at: Date): boolean {
  if (priceList.currency !== currency) return false;
  const t = at.getTime();
  if (priceList.validFrom !== null && t < priceList.validFrom.getTime()) return false;
  if (priceList.validTo !== null && t >= priceList.validTo.getTime()) return false;
  return true;
}

/** The break with the largest minQuantity <= quantity, or null when none reaches it (rule step 4). */
export function pickBreak(breaks: readonly PriceBreak[], quantity: number): PriceBreak | null {
  let best: PriceBreak | null = null;
  for (const b of breaks) {
    if (b.minQuantity <= quantity && (best === null || b.minQuantity > best.minQuantity)) best = b;
  }
  return best;
}

function byCreationThenId(a: PriceListForListing, b: PriceListForListing): number {
  const created = a.createdAt.getTime() - b.createdAt.getTime();
  if (created !== 0) return created;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function orderBuyerAssignments(list: readonly BuyerPriceListAssignment[]): BuyerPriceListAssignment[] {
  return [...list].sort((a, b) => b.priority - a.priority || byCreationThenId(a.priceList, b.priceList));
}

function orderGroupAssignments(list: readonly GroupPriceListAssignment[]): GroupPriceListAssignment[] {
  return [...list].sort(
    (a, b) =>
      b.priority - a.priority ||
      byCreationThenId(a.priceList, b.priceList) ||
      (a.groupId < b.groupId ? -1 : a.groupId > b.groupId ? 1 : 0),
  );
}

function assertWellFormed(breaks: readonly PriceBreak[], currency: Currency, what: string): void {
  const errors = validatePriceBreaks(breaks, { currency });
  if (Object.keys(errors).length > 0) {
    throw new DomainError("INVARIANT", `Malformed price breaks in ${what}: ${JSON.stringify(errors)}`);
  }
}

function assertPriority(priority: number, what: string): void {
  // NaN or Infinity would make the sort order depend on the engine, not on the rule.
  if (!Number.isSafeInteger(priority)) throw new DomainError("INVARIANT", `Priority of ${what} must be a safe integer`);
}

function isPositiveQuantity(quantity: unknown): quantity is number {
  return typeof quantity === "number" && Number.isSafeInteger(quantity) && quantity >= 1;
}

/** Resolves the unit price, its source and the line total by THE RULE documented above. */
export function resolveUnitPrice(input: PricingInput): ResolvedPrice {
  const { listing, quantity, at } = input;
  if (!isPositiveQuantity(quantity)) throw validationError({ quantity: ["quantity.invalid"] });
  // An invalid Date compares false with everything, which would make every price list "valid".
  if (Number.isNaN(at.getTime())) throw new DomainError("INVARIANT", "Pricing instant is not a valid date");
  const currency = listing.listPrice.currency;

  if (listing.listPrice.amount <= 0n) throw new DomainError("INVARIANT", "List price must be positive");
  assertWellFormed(listing.tiers, currency, "volume tiers");
  const buyerLists = input.buyerPriceLists ?? [];
  const groupLists = input.groupPriceLists ?? [];
  for (const a of [...buyerLists, ...groupLists]) {
    assertPriority(a.priority, `price list ${a.priceList.id}`);
    assertWellFormed(a.priceList.entries, a.priceList.currency, `price list ${a.priceList.id}`);
  }

  const done = (unitPrice: Money, source: PriceSource): ResolvedPrice => ({
    unitPrice,
    source,
    lineTotal: multiply(unitPrice, quantity),
  });

  for (const { priceList } of orderBuyerAssignments(buyerLists)) {
    if (!priceListApplies(priceList, currency, at)) continue;
    const hit = pickBreak(priceList.entries, quantity);
    if (hit) return done(hit.unitPrice, { kind: "buyer_price_list", priceListId: priceList.id, minQuantity: hit.minQuantity });
  }

  for (const { priceList, groupId } of orderGroupAssignments(groupLists)) {
    if (!priceListApplies(priceList, currency, at)) continue;
    const hit = pickBreak(priceList.entries, quantity);
    if (hit) {
      return done(hit.unitPrice, { kind: "group_price_list", priceListId: priceList.id, groupId, minQuantity: hit.minQuantity });
    }
  }

  const tier = pickBreak(listing.tiers, quantity);
  if (tier) return done(tier.unitPrice, { kind: "volume_tier", minQuantity: tier.minQuantity });

  return done(listing.listPrice, { kind: "list_price", minQuantity: 1 });
}

export interface ValidatePriceBreaksOptions {
  /** Field name prefix of the errors: `${field}.${index}.minQuantity`. Default "breaks". */
  readonly field?: string;
  /** The currency every entry must be in (a price list's or listing's). Default: the first entry's. */
  readonly currency?: Currency;
}

/**
 * Field errors (message keys) for a set of volume tiers or price-list entries, `{}` when valid.
 * Keys are per entry so a form or a CSV import can point at the offending row:
 * - `${field}.${i}.minQuantity`: "price_break.min_quantity_invalid" (not an integer >= 1),
 *   "price_break.min_quantity_duplicate" (a later entry repeating an earlier minQuantity);
 * - `${field}.${i}.unitPrice`: "price_break.price_not_positive", "price_break.currency_mismatch".
 * An empty set is valid: a listing without tiers, or a list without an entry for this listing.
 */
export function validatePriceBreaks(entries: readonly PriceBreak[], options: ValidatePriceBreaksOptions = {}): FieldErrors {
  const field = options.field ?? "breaks";
  const currency = options.currency ?? entries[0]?.unitPrice.currency;
  const errors: FieldErrors = {};
  const push = (key: string, message: string) => (errors[key] ??= []).push(message);
  const seen = new Set<number>();

  entries.forEach((entry, i) => {
    if (!isPositiveQuantity(entry.minQuantity)) push(`${field}.${i}.minQuantity`, "price_break.min_quantity_invalid");
    else if (seen.has(entry.minQuantity)) push(`${field}.${i}.minQuantity`, "price_break.min_quantity_duplicate");
    else seen.add(entry.minQuantity);

    if (entry.unitPrice.amount <= 0n) push(`${field}.${i}.unitPrice`, "price_break.price_not_positive");
    if (entry.unitPrice.currency !== currency) push(`${field}.${i}.unitPrice`, "price_break.currency_mismatch");
  });
  return errors;
}
