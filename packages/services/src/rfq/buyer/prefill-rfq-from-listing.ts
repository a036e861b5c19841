import { z } from "zod";
import { notFound } from "@souk/domain";
import type { ActorDeps } from "../../deps";
import { visibleListingsQuery } from "../../catalogue/pricing/visibility";
import { assertBuyerRfqCan, refId } from "./shared";

export const prefillRfqFromListingSchema = z.object({ listingId: z.unknown() });
export type PrefillRfqFromListingInput = z.input<typeof prefillRfqFromListingSchema>;

/** The RFQ form's values (text, as the form holds them) started from a listing. */
export interface RfqPrefill {
  sourceListingId: string;
  title: string;
  categoryId: string;
  currency: string;
  lines: { description: string; quantity: string; unit: string; targetPrice: string; listingId: string }[];
  listing: { id: string; title: string; sellerName: string };
}

/**
 * Starts an RFQ from a catalogue listing the buyer may see (the catalogue's visibility rule): its
 * title, category and currency, and one line for it (the minimum order quantity, its unit) linked
 * to the listing. A listing the buyer may not see is NOT_FOUND, like one that does not exist.
 */
export async function prefillRfqFromListing(deps: ActorDeps, input: unknown): Promise<RfqPrefill> {
  const { actor, db } = deps;
  assertBuyerRfqCan(actor, "create:rfq:org");
  const listingId = refId((input as { listingId?: unknown } | null)?.listingId, "Listing");
  const listing = await visibleListingsQuery(db, actor.organizationId)
    .select(["l.id", "l.title", "l.category_id", "l.currency", "l.unit", "l.min_order_quantity", "s.name as seller_name"])
    .where("l.id", "=", listingId)
    .executeTakeFirst();
  if (!listing) throw notFound("Listing");
  return {
    sourceListingId: listing.id,
    title: listing.title,
    categoryId: listing.category_id,
    currency: listing.currency,
    lines: [{ description: listing.title, quantity: String(listing.min_order_quantity), unit: listing.unit, targetPrice: "", listingId: listing.id }],
    listing: { id: listing.id, title: listing.title, sellerName: listing.seller_name },
  };
}
