import { sql } from "kysely";
import { z } from "zod";
import { withTransaction, type Db } from "@souk/db";
import { moveListing, notFound, type ListingStatus } from "@souk/domain";
import { recordAudit } from "../../audit/record-audit";
import type { ActorDeps } from "../../deps";
import { emptyToUndefined, parseInput } from "../../input";
import { notifyMembers } from "../../notifications/notify-members";
import { idRef, listingRefSchema, parseRefs } from "../listings/shared";
import { queueListingSync } from "../sync";
import { assertModerator } from "./shared";
import { assertStillPermitted } from "../../authorization";

export const MODERATION_REASON_MAX = 2_000;

export const MODERATION_MOVES = ["block", "unblock"] as const;
export type ModerationMove = (typeof MODERATION_MOVES)[number];

export const moderateListingSchema = z.object({
  listingId: idRef,
  move: z.preprocess(
    (v) => (typeof v === "string" ? v.trim() : v),
    z.enum(MODERATION_MOVES, { error: (issue) => (issue.input === undefined || issue.input === "" ? "listing.move_required" : "listing.move_invalid") }),
  ),
  /** Required to block (the seller is shown it); an optional note to the seller on unblock. */
  reason: z.preprocess(
    emptyToUndefined,
    z.string({ error: "listing.reason_invalid" }).trim().max(MODERATION_REASON_MAX, { error: "listing.reason_too_long" }).optional(),
  ),
});
export type ModerateListingInput = z.input<typeof moderateListingSchema>;

/**
 * An operator blocks a listing with a reason, or unblocks it (it lands on `unlisted`: the seller
 * publishes it again when ready). In one transaction, with the listing row locked so that two
 * operators (or an operator and the seller) take turns: the status and the blocked reason change,
 * the listing gets a new version and its search sync is queued, the audit log records the move
 * with the reason, and every owner of the seller is told by e-mail (outbox) and in the app.
 */
export async function moderateListing(deps: ActorDeps, input: unknown): Promise<{ status: ListingStatus }> {
  const { actor, request } = deps;
  assertModerator(actor);
  const { listingId } = parseRefs(listingRefSchema, input, "Listing");
  const { move, reason } = parseInput(moderateListingSchema, input);

  return withTransaction(deps.db, async (trx) => {
    const listing = await trx
      .selectFrom("listings as l")
      .innerJoin("organizations as s", "s.id", "l.seller_id")
      .select(["l.id", "l.sku", "l.title", "l.status", "l.seller_id as sellerId", "s.name as sellerName", "s.status as sellerStatus"])
      .where("l.id", "=", listingId)
      .forUpdate("l")
      .executeTakeFirst();
    if (!listing) throw notFound("Listing");
    await assertStillPermitted(trx, actor, "moderate:listings:any");

    const to = moveListing(listing.status, move, { sellerStatus: listing.sellerStatus, reason });
    await trx
      .updateTable("listings")
      .set({ status: to, blocked_reason: move === "block" ? (reason ?? null) : null, version: sql<number>`version + 1`, updated_at: sql<Date>`now()` })
      .where("id", "=", listing.id)
      .execute();

    await recordAudit(trx, {
      actor,
      organizationId: listing.sellerId,
      action: move === "block" ? "listing.blocked" : "listing.unblocked",
      targetType: "listing",
      targetId: listing.id,
      ip: request.ip,
      reason: reason ?? null,
      data: { sku: listing.sku, title: listing.title, from: listing.status, to, sellerName: listing.sellerName },
    });
    await notifyOwners(trx, deps.publicUrls.seller, { ...listing, move, reason: reason ?? null });
    await queueListingSync(trx, [listing.id]);
    return { status: to };
  });
}

/** Every owner of the seller gets the moderation by e-mail and in the app, each in their own language. */
async function notifyOwners(
  db: Db,
  sellerAppUrl: string,
  moderated: { id: string; sku: string; title: string; sellerId: string; sellerName: string; move: ModerationMove; reason: string | null },
): Promise<void> {
  const common = {
    organizationName: moderated.sellerName,
    listingTitle: moderated.title,
    sku: moderated.sku,
    listingUrl: `${sellerAppUrl}/listings/${moderated.id}`,
  };
  const notice = { organizationId: moderated.sellerId, roles: ["owner"] };
  if (moderated.move === "block") {
    await notifyMembers(db, { ...notice, template: "listing.blocked", params: (owner) => ({ ...common, name: owner.name, reason: moderated.reason ?? "" }) });
  } else {
    const message = moderated.reason ? { message: moderated.reason } : {};
    await notifyMembers(db, { ...notice, template: "listing.unblocked", params: (owner) => ({ ...common, name: owner.name, ...message }) });
  }
}
