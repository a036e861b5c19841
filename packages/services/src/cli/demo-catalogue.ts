import { withTransaction } from "@souk/db";
import type { ActorDeps, SearchDeps, ServiceDeps } from "../deps";
import { parseListingFields } from "../catalogue/listing-input";
import { loadCatalogueLookups, referenceErrors, saveListing } from "../catalogue/save-listing";
import { queueListingSync } from "../catalogue/sync";
import { moveSellerListing } from "../catalogue/listings";
import { addCustomerGroupMember, createCustomerGroup, listCustomerGroups } from "../catalogue/groups";
import { assignPriceList, createPriceList, listPriceLists, setPriceListEntry } from "../catalogue/pricing";
import { syncSellerListings } from "../catalogue/search-sync";
import { DEMO_CATALOGUE, DEMO_CONTRACT, DEMO_GROUPS, type DemoListing } from "./demo-catalogue-data";

type ActAs = <T>(email: string, fn: (deps: ActorDeps) => Promise<T>) => Promise<T>;

export interface DemoCatalogueSummary {
  listings: number;
  published: number;
}

/**
 * The demo catalogue, written the way a seller would: customer groups and a contract price list
 * through the use cases, listings through the one listing write path (the catalogue import's), then
 * published through the listing state machine. Safe to re-run: groups and lists are found by name,
 * listings by SKU, and unchanged listings are left alone. With an index in the deps, the sellers'
 * listings are indexed at once (the worker would do the same from the outbox a moment later).
 */
export async function seedDemoCatalogue(deps: ServiceDeps & Partial<SearchDeps>, actAs: ActAs, owners: Record<string, string>): Promise<DemoCatalogueSummary> {
  const buyerIds = await organizationIds(deps, "buyer");
  const sellerIds = await organizationIds(deps, "seller");
  let listings = 0;
  let published = 0;

  for (const [sellerName, catalogue] of Object.entries(DEMO_CATALOGUE)) {
    const ownerEmail = owners[sellerName];
    const sellerId = sellerIds.get(sellerName);
    if (!ownerEmail || !sellerId) throw new Error(`The demo catalogue needs the seller ${sellerName}`);
    const group = sellerName === "Médina Fournitures" ? DEMO_GROUPS.medina : DEMO_GROUPS.rif;
    listings += catalogue.length;
    published += catalogue.filter((l) => !l.draft).length;
    // A re-run leaves an already seeded seller alone (no sign-in, no audit rows): the seller may have
    // changed its catalogue in the demo since, and the seed must not undo that.
    const seeded = await deps.db.selectFrom("listings").select((eb) => eb.fn.countAll<string>().as("n")).where("seller_id", "=", sellerId).executeTakeFirstOrThrow();
    if (Number(seeded.n) > 0) continue;

    await actAs(ownerEmail, async (seller) => {
      const groupId = await ensureGroup(seller, group.name, group.members.map((name) => mustGet(buyerIds, name)));
      await writeListings(seller, sellerId, catalogue, { [group.name]: groupId });
      for (const listing of catalogue) {
        if (listing.draft) continue;
        const row = await seller.db.selectFrom("listings").select(["id", "status"]).where("seller_id", "=", sellerId).where("sku", "=", listing.sku).executeTakeFirstOrThrow();
        if (row.status === "draft") await moveSellerListing(seller, { listingId: row.id, move: "publish" });
      }
      if (sellerName === DEMO_CONTRACT.seller) await ensureContract(seller, mustGet(buyerIds, DEMO_CONTRACT.buyer));
    });
    if (deps.listingIndex) await syncSellerListings({ ...deps, listingIndex: deps.listingIndex }, { sellerId });
  }
  return { listings, published };
}

async function organizationIds(deps: ServiceDeps, kind: "buyer" | "seller"): Promise<Map<string, string>> {
  const rows = await deps.db.selectFrom("organizations").select(["id", "name"]).where("kind", "=", kind).where("parent_id", "is", null).execute();
  return new Map(rows.map((r) => [r.name, r.id]));
}

function mustGet(map: Map<string, string>, name: string): string {
  const id = map.get(name);
  if (!id) throw new Error(`The demo needs the organisation ${name}`);
  return id;
}

async function ensureGroup(seller: ActorDeps, name: string, buyerIds: string[]): Promise<string> {
  const existing = (await listCustomerGroups(seller, {})).find((g) => g.name === name);
  const groupId = existing?.id ?? (await createCustomerGroup(seller, { name })).id;
  for (const buyerId of buyerIds) await addCustomerGroupMember(seller, { groupId, buyerId });
  return groupId;
}

async function writeListings(seller: ActorDeps, sellerId: string, catalogue: DemoListing[], groupIds: Record<string, string>): Promise<void> {
  const lookups = await loadCatalogueLookups(seller.db, sellerId);
  const categories = await seller.db.selectFrom("categories").select(["id", "slug"]).execute();
  const categoryBySlug = new Map(categories.map((c) => [c.slug, c.id]));
  await withTransaction(seller.db, async (trx) => {
    const changed: string[] = [];
    for (const listing of catalogue) {
      const parsed = parseListingFields({
        ...listing,
        categoryId: categoryBySlug.get(listing.category) ?? "",
        groupIds: (listing.groups ?? []).map((g) => groupIds[g] ?? g),
      });
      if (!parsed.ok) throw new Error(`Demo listing ${listing.sku} is invalid: ${JSON.stringify(parsed.errors)}`);
      const references = referenceErrors(parsed.fields, lookups);
      if (Object.keys(references).length > 0) throw new Error(`Demo listing ${listing.sku}: ${JSON.stringify(references)}`);
      const saved = await saveListing(trx, { sellerId }, parsed.fields);
      if (saved.outcome !== "unchanged") changed.push(saved.id);
    }
    await queueListingSync(trx, changed);
  });
}

async function ensureContract(seller: ActorDeps, buyerId: string): Promise<void> {
  if ((await listPriceLists(seller, {})).some((p) => p.name === DEMO_CONTRACT.name)) return;
  const now = new Date();
  const validFrom = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)).toISOString().slice(0, 10);
  const validTo = new Date(Date.UTC(now.getUTCFullYear() + 1, now.getUTCMonth(), 1)).toISOString().slice(0, 10);
  const { id: priceListId } = await createPriceList(seller, { name: DEMO_CONTRACT.name, currency: "EUR", validFrom, validTo });
  for (const [sku, breaks] of Object.entries(DEMO_CONTRACT.entries)) {
    for (const [minQuantity, unitPrice] of breaks) await setPriceListEntry(seller, { priceListId, sku, minQuantity: String(minQuantity), unitPrice });
  }
  await assignPriceList(seller, { priceListId, buyerId, priority: "10" });
}
