import { z } from "zod";
import { sql } from "kysely";
import type { Db } from "@souk/db";
import { add, assertCan, DomainError, forbidden, money, zero, type Actor, type Currency, type FieldErrors, type Money, type Permission, type PriceSourceKind } from "@souk/domain";
import { loadBuyerPricing, priceForBuyer } from "../catalogue/pricing/buyer-pricing";
import { moneyView, type MoneyView } from "../catalogue/pricing/money-view";
import { visibleListingsQuery } from "../catalogue/pricing/visibility";
import { existingId } from "../input";
import { currencyOf } from "../money/shared";
export { existingId };
export type { MoneyView };

/** Helpers of the purchasing use cases (not exported from the package, but the limits and views). */

export const PURCHASING_LIMITS = {
  /** Like a listing's stock and an RFQ line: one line never asks more than this. */
  maxQuantity: 1_000_000_000,
  /** Distinct listings in one cart (and so in one purchase). */
  cartLines: 100,
  /** Lines of one quick order (pasted or uploaded). */
  quickOrderLines: 500,
  /** A quick-order CSV file. */
  quickOrderFileBytes: 1024 * 1024,
  /** Requisition lists of one buyer organisation, and items of one list (an RFQ takes at most 100 lines). */
  requisitionLists: 200,
  requisitionListItems: 100,
  addresses: 50,
  poNumber: 50,
} as const;

/** A purchase's short reference: PUR-000042. */
export function purchaseReference(number: string | number | bigint): string {
  return `PUR-${number.toString().padStart(6, "0")}`;
}

/** A member of a buyer organisation holding `permission` (services check it even though routes already did). */
export function assertBuyer(actor: Actor, permission: Permission): void {
  if (actor.organizationKind !== "buyer") throw forbidden(`Missing permission ${permission}`);
  assertCan(actor, permission);
}

/**
 * A quantity as typed ("12"): plain digits only ("1.5", "1e3", "-2", "0x10" are refused, never
 * guessed), from 1 up to PURCHASING_LIMITS.maxQuantity; a number from a programmatic caller must be
 * a whole number in the same range. Null for anything else.
 */
export function readQuantity(value: unknown): number | null {
  let quantity: number;
  if (typeof value === "number") quantity = value;
  else if (typeof value === "string" && /^\s*\+?\d{1,10}\s*$/.test(value)) quantity = Number(value.trim());
  else return null;
  if (!Number.isSafeInteger(quantity) || quantity < 1 || quantity > PURCHASING_LIMITS.maxQuantity) return null;
  return quantity;
}

/** The zod field of a quantity: `key` for anything readQuantity refuses. */
export function quantityField(key: string) {
  return z.unknown().transform((value, ctx) => {
    const quantity = readQuantity(value);
    if (quantity === null) {
      ctx.addIssue({ code: "custom", message: key });
      return z.NEVER;
    }
    return quantity;
  });
}

export function pushError(errors: FieldErrors, field: string, key: string): void {
  const list = (errors[field] ??= []);
  if (!list.includes(key)) list.push(key);
}

export type LineWarning = "below_minimum" | "above_stock";

/** A listing at the buyer's own price for a quantity, as carts, lists and checkouts show it. */
export interface PricedLineView {
  listingId: string;
  sku: string;
  title: string;
  unit: string;
  currency: string;
  seller: { id: string; name: string };
  quantity: number;
  minOrderQuantity: number;
  stock: number;
  leadTimeDays: number;
  unitPrice: MoneyView;
  lineTotal: MoneyView;
  priceSource: PriceSourceKind;
  /** What would stop this quantity from being ordered now (the checkout refuses it). */
  warnings: LineWarning[];
}

/** A priced line with what the writers need beyond the view (exact amounts, the category). */
export interface PricedLine extends PricedLineView {
  categoryId: string;
  unitPriceMinor: bigint;
  lineTotalMinor: bigint;
}

export function warningsOf(quantity: number, minOrderQuantity: number, stock: number): LineWarning[] {
  const warnings: LineWarning[] = [];
  if (quantity < minOrderQuantity) warnings.push("below_minimum");
  if (quantity > stock) warnings.push("above_stock");
  return warnings;
}

/**
 * Prices `items` for `buyerId` by THE pricing rule (catalogue/pricing), with the listings' details,
 * in a constant number of statements whatever the number of items. An item the buyer may not see
 * now (the visibility rule: unlisted, blocked, seller not active, restricted to groups it is not
 * in, deleted) is left out of the map: callers report it as unavailable, like an unknown listing.
 */
export async function priceLines(db: Db, buyerId: string, items: readonly { listingId: string; quantity: number }[]): Promise<Map<string, PricedLine>> {
  const out = new Map<string, PricedLine>();
  const ids = [...new Set(items.map((i) => i.listingId))];
  if (ids.length === 0) return out;
  const [listings, pricing] = await Promise.all([
    visibleListingsQuery(db, buyerId)
      .select(["l.id", "l.sku", "l.title", "l.unit", "l.currency", "l.min_order_quantity", "l.stock", "l.lead_time_days", "l.category_id", "s.id as seller_id", "s.name as seller_name"])
      .where("l.id", "in", ids)
      .execute(),
    loadBuyerPricing(db, { buyerId, listingIds: ids }),
  ]);
  const byId = new Map(listings.map((l) => [l.id, l]));
  for (const item of items) {
    const l = byId.get(item.listingId);
    if (!l || !pricing.has(l.id)) continue;
    const price = priceForBuyer(pricing, l.id, item.quantity);
    out.set(l.id, {
      listingId: l.id,
      sku: l.sku,
      title: l.title,
      unit: l.unit,
      currency: l.currency,
      seller: { id: l.seller_id, name: l.seller_name },
      quantity: item.quantity,
      minOrderQuantity: l.min_order_quantity,
      stock: l.stock,
      leadTimeDays: l.lead_time_days,
      categoryId: l.category_id,
      unitPrice: moneyView(price.unitPrice),
      lineTotal: moneyView(price.lineTotal),
      unitPriceMinor: price.unitPrice.amount,
      lineTotalMinor: price.lineTotal.amount,
      priceSource: price.source.kind,
      warnings: warningsOf(item.quantity, l.min_order_quantity, l.stock),
    });
  }
  return out;
}

/** One seller's lines of a currency, with their subtotal. */
export interface SellerGroupView {
  seller: { id: string; name: string };
  lines: PricedLineView[];
  subtotal: MoneyView;
}

/** Lines of one currency, per seller (sellers by name), with the exact total. */
export interface CurrencyGroupView {
  currency: string;
  sellers: SellerGroupView[];
  total: MoneyView;
  lineCount: number;
  /** Some line has a warning: the checkout would refuse it as it is. */
  hasWarnings: boolean;
}

/** Strips what only the writers need, for a JSON-safe view. */
export function lineView(line: PricedLine): PricedLineView {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  const { categoryId, unitPriceMinor, lineTotalMinor, ...view } = line;
  return view;
}

/**
 * Lines grouped by currency (currencies in alphabetical order: amounts of two currencies are never
 * added) then by seller; every total is a bigint sum of the lines' exact totals.
 */
export function groupByCurrency(lines: readonly PricedLine[]): CurrencyGroupView[] {
  const currencies = new Map<string, Map<string, { seller: { id: string; name: string }; lines: PricedLine[] }>>();
  for (const line of lines) {
    let sellers = currencies.get(line.currency);
    if (!sellers) currencies.set(line.currency, (sellers = new Map()));
    let group = sellers.get(line.seller.id);
    if (!group) sellers.set(line.seller.id, (group = { seller: line.seller, lines: [] }));
    group.lines.push(line);
  }
  return [...currencies.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([code, sellers]) => {
      const currency = currencyOf(code);
      let total = zero(currency);
      let lineCount = 0;
      let hasWarnings = false;
      const groups = [...sellers.values()]
        .sort((a, b) => a.seller.name.localeCompare(b.seller.name) || a.seller.id.localeCompare(b.seller.id))
        .map((g) => {
          const subtotal = sumMinor(g.lines.map((l) => l.lineTotalMinor), currency);
          total = add(total, subtotal);
          lineCount += g.lines.length;
          if (g.lines.some((l) => l.warnings.length > 0)) hasWarnings = true;
          return { seller: g.seller, lines: g.lines.map(lineView), subtotal: moneyView(subtotal) };
        });
      return { currency: code, sellers: groups, total: moneyView(total), lineCount, hasWarnings };
    });
}

export function sumMinor(amounts: readonly bigint[], currency: Currency): Money {
  return amounts.reduce((total, amount) => add(total, money(amount, currency)), zero(currency));
}

/**
 * The actor's cart in its buyer organisation, created on first use; locked (FOR UPDATE) when asked,
 * so that two checkouts or edits of the same cart run one after the other.
 */
export async function cartOf(db: Db, actor: Actor, options: { lock?: boolean } = {}): Promise<string> {
  await db
    .insertInto("carts")
    .values({ buyer_id: actor.organizationId, user_id: actor.userId })
    .onConflict((oc) => oc.columns(["buyer_id", "user_id"]).doNothing())
    .execute();
  let query = db.selectFrom("carts").select("id").where("buyer_id", "=", actor.organizationId).where("user_id", "=", actor.userId);
  if (options.lock) query = query.forUpdate();
  return (await query.executeTakeFirstOrThrow()).id;
}

/** The actor's cart if it has one (reads never create it), locked when asked. */
export async function existingCartOf(db: Db, actor: Actor, options: { lock?: boolean } = {}): Promise<string | null> {
  let query = db.selectFrom("carts").select("id").where("buyer_id", "=", actor.organizationId).where("user_id", "=", actor.userId);
  if (options.lock) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  return row?.id ?? null;
}

/**
 * Adds quantities to the cart `cartId` (a listing already in it gets the quantity added). The
 * callers have checked each listing and quantity; the sum is capped at the column's limit by the
 * caller's check (`cart.quantity_too_large`). Refuses more than PURCHASING_LIMITS.cartLines
 * distinct listings with the field error `field`.
 */
export async function addToCartLines(db: Db, cartId: string, buyerId: string, items: readonly { listingId: string; quantity: number }[], field: string): Promise<void> {
  if (items.length === 0) return;
  // One row per listing: ON CONFLICT DO UPDATE cannot touch the same row twice in one statement.
  const merged = new Map<string, number>();
  for (const i of items) merged.set(i.listingId, Math.min((merged.get(i.listingId) ?? 0) + i.quantity, PURCHASING_LIMITS.maxQuantity));
  const existing = await db.selectFrom("cart_lines").select("listing_id").where("cart_id", "=", cartId).execute();
  const ids = new Set(existing.map((r) => r.listing_id));
  for (const listingId of merged.keys()) ids.add(listingId);
  if (ids.size > PURCHASING_LIMITS.cartLines) throw new DomainError("VALIDATION", "Invalid input", { [field]: ["cart.too_many_lines"] });
  await db
    .insertInto("cart_lines")
    .values([...merged].map(([listingId, quantity]) => ({ cart_id: cartId, buyer_id: buyerId, listing_id: listingId, quantity })))
    .onConflict((oc) => oc.columns(["cart_id", "listing_id"]).doUpdateSet({ quantity: sql<number>`least(cart_lines.quantity + excluded.quantity, ${PURCHASING_LIMITS.maxQuantity})` }))
    .execute();
  await db.updateTable("carts").set({ updated_at: sql<Date>`now()` }).where("id", "=", cartId).execute();
}

/** The quantities already in the cart, by listing. */
export async function cartQuantities(db: Db, cartId: string | null): Promise<Map<string, number>> {
  if (!cartId) return new Map();
  const rows = await db.selectFrom("cart_lines").select(["listing_id", "quantity"]).where("cart_id", "=", cartId).execute();
  return new Map(rows.map((r) => [r.listing_id, r.quantity]));
}

