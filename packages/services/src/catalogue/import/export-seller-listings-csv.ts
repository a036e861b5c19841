import { money, toDecimalString, type Currency } from "@souk/domain";
import type { ActorDeps } from "../../deps";
import { formatAttributes, formatTiers, type ListingTier } from "../listing-input";
import { CSV_COLUMNS } from "./columns";
import { writeCsv } from "./csv";
import { assertCanImport } from "./shared";

const decimal = (amount: bigint, currency: Currency) => toDecimalString(money(amount, currency));

/**
 * Every listing of the seller as a catalogue CSV, in the import's columns and text forms, so the
 * file can be edited and imported back (importing it unchanged changes nothing). Cells cannot run
 * as spreadsheet formulas (csvCell); a UTF-8 byte-order mark lets spreadsheets read accents right,
 * and the importer skips it.
 */
export async function exportSellerListingsCsv(deps: ActorDeps, _input: unknown = {}): Promise<{ fileName: string; csv: string }> {
  const { actor, db } = deps;
  assertCanImport(actor);
  const sellerId = actor.organizationId;
  const [listings, tiers, groups] = await Promise.all([
    db
      .selectFrom("listings as l")
      .innerJoin("categories as c", "c.id", "l.category_id")
      .select([
        "l.id",
        "l.sku",
        "l.title",
        "l.description",
        "c.slug",
        "l.unit",
        "l.currency",
        "l.list_price_minor",
        "l.min_order_quantity",
        "l.stock",
        "l.lead_time_days",
        "l.attributes",
        "l.visibility",
        "l.status",
      ])
      .where("l.seller_id", "=", sellerId)
      .orderBy("l.sku")
      .execute(),
    db
      .selectFrom("listing_price_tiers as t")
      .innerJoin("listings as l", "l.id", "t.listing_id")
      .select(["t.listing_id", "t.min_quantity", "t.unit_price_minor"])
      .where("l.seller_id", "=", sellerId)
      .orderBy("t.listing_id")
      .orderBy("t.min_quantity")
      .execute(),
    db
      .selectFrom("listing_visibility as v")
      .innerJoin("customer_groups as g", (join) => join.onRef("g.id", "=", "v.group_id").onRef("g.seller_id", "=", "v.seller_id"))
      .select(["v.listing_id", "g.name"])
      .where("v.seller_id", "=", sellerId)
      .orderBy("v.listing_id")
      .orderBy("g.name")
      .execute(),
  ]);

  const tiersOf = new Map<string, ListingTier[]>();
  for (const t of tiers) {
    const list = tiersOf.get(t.listing_id) ?? [];
    list.push({ minQuantity: t.min_quantity, unitPriceMinor: BigInt(t.unit_price_minor) });
    tiersOf.set(t.listing_id, list);
  }
  const groupsOf = new Map<string, string[]>();
  for (const g of groups) {
    const list = groupsOf.get(g.listing_id) ?? [];
    list.push(g.name);
    groupsOf.set(g.listing_id, list);
  }

  const records = listings.map((l) => {
    const currency = l.currency as Currency;
    const names = groupsOf.get(l.id) ?? [];
    // A listing restricted to groups that were all deleted is shown to nobody; "|" (groups, none)
    // keeps it so on the way back instead of an empty cell, which would mean everyone.
    const visibility = l.visibility === "everyone" ? "everyone" : names.length > 0 ? names.join("|") : "|";
    const values: Record<(typeof CSV_COLUMNS)[number], string> = {
      sku: l.sku,
      title: l.title,
      description: l.description,
      category: l.slug,
      unit: l.unit,
      currency,
      list_price: decimal(BigInt(l.list_price_minor), currency),
      min_order_quantity: String(l.min_order_quantity),
      stock: String(l.stock),
      lead_time_days: String(l.lead_time_days),
      tiers: formatTiers(tiersOf.get(l.id) ?? [], currency, decimal),
      attributes: formatAttributes(l.attributes),
      visibility,
      status: l.status,
    };
    return CSV_COLUMNS.map((column) => values[column]);
  });

  const day = new Date().toISOString().slice(0, 10);
  return { fileName: `listings-${day}.csv`, csv: `\uFEFF${writeCsv(CSV_COLUMNS, records)}` };
}
