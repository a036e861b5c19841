import { sql } from "kysely";
import { z } from "zod";
import { withTransaction } from "@souk/db";
import { moveListing, type ListingStatus } from "@souk/domain";
import { recordAudit } from "../../audit/record-audit";
import type { ActorDeps } from "../../deps";
import { parseInput } from "../../input";
import { queueListingSync } from "../sync";
import { assertSellerListingsCan, idRef, listingRefSchema, lockSellerForListings, lockSellerListing, parseRefs } from "./shared";

export const SELLER_LISTING_MOVES = ["publish", "unlist"] as const;
export type SellerListingMove = (typeof SELLER_LISTING_MOVES)[number];

export const moveSellerListingSchema = z.object({
  listingId: idRef,
  move: z.preprocess(
    (v) => (typeof v === "string" ? v.trim() : v),
    z.enum(SELLER_LISTING_MOVES, { error: (issue) => (issue.input === undefined || issue.input === "" ? "listing.move_required" : "listing.move_invalid") }),
  ),
});
export type MoveSellerListingInput = z.input<typeof moveSellerListingSchema>;

/**
 * The seller publishes or unlists one of its listings (the listing state machine, domain
 * moveListing). Publishing needs an active seller: the seller's organisation row is share-locked
 * before the listing, so a suspension committing meanwhile is either seen (the publish is refused)
 * or waits for the publish to commit (and the suspension then hides the listing from search).
 * The move is audited and queues the listing's search sync, in the same transaction.
 */
export async function moveSellerListing(deps: ActorDeps, input: unknown): Promise<{ status: ListingStatus }> {
  const { actor, request } = deps;
  assertSellerListingsCan(actor, "manage:listings:org");
  const { listingId } = parseRefs(listingRefSchema, input, "Listing");
  const { move } = parseInput(moveSellerListingSchema, input);

  return withTransaction(deps.db, async (trx) => {
    const seller = await lockSellerForListings(trx, actor);
    const listing = await lockSellerListing(trx, actor.organizationId, listingId);
    const to = moveListing(listing.status, move, { sellerStatus: seller.status });
    await trx
      .updateTable("listings")
      .set({ status: to, version: sql<number>`version + 1`, updated_at: sql<Date>`now()` })
      .where("id", "=", listing.id)
      .where("seller_id", "=", actor.organizationId)
      .execute();
    await recordAudit(trx, {
      actor,
      action: move === "publish" ? "listing.published" : "listing.unlisted",
      targetType: "listing",
      targetId: listing.id,
      ip: request.ip,
      data: { sku: listing.sku, title: listing.title, from: listing.status, to },
    });
    await queueListingSync(trx, [listing.id]);
    return { status: to };
  });
}
