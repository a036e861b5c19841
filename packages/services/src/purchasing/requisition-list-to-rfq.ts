import { z } from "zod";
import { validationError, type FieldErrors } from "@souk/domain";
import type { ActorDeps } from "../deps";
import { parseInput } from "../input";
import { createRfq } from "../rfq/buyer/create-rfq";
import { visibleListingsQuery } from "../catalogue/pricing/visibility";
import { assertListReader, chosenItems, listOf } from "./requisition-list-access";
import { assertBuyer, pushError } from "./shared";

export const requisitionListToRfqSchema = z.object({
  listId: z.unknown(),
  scope: z.unknown().optional(),
  listingIds: z.unknown().optional(),
});
export type RequisitionListToRfqInput = z.input<typeof requisitionListToRfqSchema>;

/** The most frequent value (the first one seen among equals). */
function mostFrequent(values: readonly string[]): string | undefined {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best: string | undefined;
  for (const [v, n] of counts) if (best === undefined || n > counts.get(best)!) best = v;
  return best;
}

/**
 * Turns all or some items of a requisition list into a draft RFQ (the RFQ service's createRfq, so
 * its every rule applies): titled after the list, one line per item (the listing's title and unit,
 * the item's quantity, linked to the listing), in the currency and category most of the items
 * have, delivered (DAP) to the organisation's default address; the buyer then edits and publishes
 * it. Every chosen item must still be visible to the buyer (`items.<listingId>`:
 * requisitionList.item_unavailable); nothing is written otherwise.
 */
export async function requisitionListToRfq(deps: ActorDeps, input: unknown): Promise<{ rfqId: string }> {
  const { actor, db } = deps;
  assertListReader(actor);
  assertBuyer(actor, "create:rfq:org");
  const data = parseInput(requisitionListToRfqSchema, input);
  const list = await listOf(db, actor.organizationId, data.listId);
  const items = await chosenItems(db, list.id, data);
  const listings = await visibleListingsQuery(db, actor.organizationId)
    .select(["l.id", "l.title", "l.unit", "l.currency", "l.category_id"])
    .where("l.id", "in", items.map((i) => i.listing_id))
    .execute();
  const byId = new Map(listings.map((l) => [l.id, l]));
  const errors: FieldErrors = {};
  for (const item of items) if (!byId.has(item.listing_id)) pushError(errors, `items.${item.listing_id}`, "requisitionList.item_unavailable");
  if (Object.keys(errors).length > 0) throw validationError(errors);
  const chosen = items.map((i) => ({ ...i, listing: byId.get(i.listing_id)! }));

  const [address, organization] = await Promise.all([
    db
      .selectFrom("organization_addresses")
      .select(["line1", "postal_code", "city", "country"])
      .where("organization_id", "=", actor.organizationId)
      .orderBy("is_default", "desc")
      .orderBy("created_at")
      .executeTakeFirst(),
    db.selectFrom("organizations").select("name").where("id", "=", actor.organizationId).executeTakeFirstOrThrow(),
  ]);
  const deliveryPlace = (address ? `${address.line1}, ${address.postal_code} ${address.city}, ${address.country}` : organization.name).slice(0, 200);
  const { id } = await createRfq(deps, {
    intent: "draft",
    title: list.name,
    description: list.description,
    categoryId: mostFrequent(chosen.map((c) => c.listing.category_id)),
    currency: mostFrequent(chosen.map((c) => c.listing.currency)),
    incoterm: "DAP",
    deliveryPlace,
    lines: chosen.map((c) => ({ description: c.listing.title, quantity: String(c.quantity), unit: c.listing.unit, targetPrice: "", listingId: c.listing.id })),
  });
  return { rfqId: id };
}
