import { sql } from "kysely";
import type { Db } from "@souk/db";
import type { ListingStatus } from "@souk/domain";
import type { ListingFields, ListingTier } from "../listing-input";
import type { StoredListing as ExistingListing } from "../save-listing";

export interface ListingWrite {
  fields: ListingFields;
  /** The seller's listing with this SKU (loaded and locked by loadStoredListings), or none: create it. */
  existing: ExistingListing | undefined;
  /** The status after the row's move (checked by moveListing), or null to keep it; a new listing is otherwise a draft. */
  to: ListingStatus | null;
}

/** Rows per INSERT: PostgreSQL takes at most 65,535 parameters in one statement. */
const INSERT_CHUNK = 5_000;

function sameTiers(a: readonly ListingTier[], b: readonly ListingTier[]): boolean {
  return a.length === b.length && a.every((t, i) => t.minQuantity === b[i]?.minQuantity && t.unitPriceMinor === b[i]?.unitPriceMinor);
}

/**
 * saveListing for a batch of an import, in a bounded number of statements instead of several per
 * row, with the same meaning: a new listing is created (a draft unless its row's move says
 * otherwise), a changed one gets its fields, version + 1 and updated_at; tiers and visibility rows
 * are replaced only when they differ. The caller passes only rows that are new or differ
 * (sameListingFields) or move, with fields validated by parseListingFields + referenceErrors and
 * moves by moveListing, so the database's constraints stay the last line. Returns the written ids,
 * for the search sync.
 */
export async function writeListings(trx: Db, sellerId: string, writes: readonly ListingWrite[]): Promise<string[]> {
  const creates = writes.filter((w) => !w.existing);
  const updates = writes.filter((w): w is ListingWrite & { existing: ExistingListing } => w.existing !== undefined);
  const ids = new Map<string, string>();

  if (creates.length > 0) {
    const rows = await trx
      .insertInto("listings")
      .values(
        creates.map(({ fields: f, to }) => ({
          seller_id: sellerId,
          sku: f.sku,
          title: f.title,
          description: f.description,
          category_id: f.categoryId,
          unit: f.unit,
          currency: f.currency,
          list_price_minor: f.listPriceMinor.toString(),
          min_order_quantity: f.minOrderQuantity,
          stock: f.stock,
          lead_time_days: f.leadTimeDays,
          attributes: JSON.stringify(f.attributes),
          visibility: f.visibility,
          status: to ?? "draft",
        })),
      )
      .onConflict((oc) => oc.columns(["seller_id", "sku"]).doNothing())
      .returning(["id", "sku"])
      .execute();
    // Another request created one of these SKUs since they were read: the batch rolls back and the
    // job's retry (which re-reads the batch) updates it. A plain Error on purpose: the job worker
    // never retries a DomainError, and this one is transient.
    if (rows.length !== creates.length) throw new Error("A SKU of this batch was created meanwhile; the batch is retried");
    for (const r of rows) ids.set(r.sku, r.id);
  }

  if (updates.length > 0) {
    const values = updates.map(({ fields: f, existing, to }) => {
      ids.set(f.sku, existing.id);
      return sql`(${existing.id}::uuid, ${f.title}::text, ${f.description}::text, ${f.categoryId}::uuid, ${f.unit}::text, ${f.currency}::text,
        ${f.listPriceMinor.toString()}::bigint, ${f.minOrderQuantity}::integer, ${f.stock}::integer, ${f.leadTimeDays}::integer,
        ${JSON.stringify(f.attributes)}::jsonb, ${f.visibility}::text, ${to ?? existing.status}::text)`;
    });
    await sql`
      update listings as l set
        title = v.title, description = v.description, category_id = v.category_id, unit = v.unit, currency = v.currency,
        list_price_minor = v.list_price_minor, min_order_quantity = v.min_order_quantity, stock = v.stock,
        lead_time_days = v.lead_time_days, attributes = v.attributes, visibility = v.visibility, status = v.status,
        version = l.version + 1, updated_at = now()
      from (values ${sql.join(values)}) as v(id, title, description, category_id, unit, currency, list_price_minor,
        min_order_quantity, stock, lead_time_days, attributes, visibility, status)
      where l.id = v.id and l.seller_id = ${sellerId}`.execute(trx);
  }

  const idOf = (w: ListingWrite) => ids.get(w.fields.sku) as string;
  const tiersChanged = writes.filter((w) => !w.existing || !sameTiers(w.existing.fields.tiers, w.fields.tiers));
  const replacedTiers = tiersChanged.filter((w) => w.existing).map(idOf);
  if (replacedTiers.length > 0) await trx.deleteFrom("listing_price_tiers").where("listing_id", "in", replacedTiers).execute();
  const tierRows = tiersChanged.flatMap((w) => w.fields.tiers.map((t) => ({ listing_id: idOf(w), min_quantity: t.minQuantity, unit_price_minor: t.unitPriceMinor.toString() })));
  for (let i = 0; i < tierRows.length; i += INSERT_CHUNK) await trx.insertInto("listing_price_tiers").values(tierRows.slice(i, i + INSERT_CHUNK)).execute();

  const groupsChanged = writes.filter((w) => !w.existing || w.existing.fields.groupIds.join() !== w.fields.groupIds.join());
  const replacedGroups = groupsChanged.filter((w) => w.existing).map(idOf);
  if (replacedGroups.length > 0) await trx.deleteFrom("listing_visibility").where("seller_id", "=", sellerId).where("listing_id", "in", replacedGroups).execute();
  const groupRows = groupsChanged.flatMap((w) => w.fields.groupIds.map((groupId) => ({ listing_id: idOf(w), group_id: groupId, seller_id: sellerId })));
  for (let i = 0; i < groupRows.length; i += INSERT_CHUNK) await trx.insertInto("listing_visibility").values(groupRows.slice(i, i + INSERT_CHUNK)).execute();

  return writes.map(idOf);
}
