import { z } from "zod";
import { buyerSeesOffers, can, COUNTER_MAX_RESPONSE_DAYS, notFound, rfqTakesCounters } from "@souk/domain";
import type { ActorDeps } from "../deps";
import { assertBuyerCan } from "../approvals/shared";
import { dbNow } from "../clock";
import { buyerRfq } from "../rfq/access";
import {
  countersOf,
  existingId,
  hasLiveAward,
  offerView,
  outsideShortlist,
  receiptsOf,
  rfqLinesOf,
  rfqReference,
  timelineOf,
  type CounterView,
  type NegotiationOfferView,
  type TimelineEntry,
} from "./shared";

export const getOfferNegotiationSchema = z.object({ rfqId: z.unknown(), offerId: z.unknown() });
export type GetOfferNegotiationInput = z.input<typeof getOfferNegotiationSchema>;

export interface OfferNegotiationView {
  rfq: { id: string; reference: string; title: string; status: string; sealing: "sealed" | "open"; currency: string; deadline: string | null; closedAt: string | null };
  seller: { id: string; name: string };
  offer: NegotiationOfferView;
  /** Newest round first. */
  counters: CounterView[];
  /** Rounds and the offer's receipts, oldest first. */
  timeline: TimelineEntry[];
  /** The database clock when the view was read. */
  serverNow: string;
  /** Whether this member may send a counter now; otherwise why not (a message key), null when it may. */
  canCounter: boolean;
  counterBlockedBy: string | null;
  /** The latest response deadline a counter sent now may set (30 days from now). */
  latestRespondBy: string;
}

/**
 * The buyer's negotiation page for one offer of its RFQ: the offer as it stands, every round (the
 * counter's lines: the terms it was made on → the targets, the message, the deadline, who and
 * when, the status and the answer) merged with the offer's receipts (revision, who, when, what
 * changed), and whether a counter may be sent now. Only the buyer's own RFQ, and an offer it may
 * see (a sealed RFQ's once closed, and then not a withdrawn one; on open bidding any of them):
 * anything else is NOT_FOUND.
 */
export async function getOfferNegotiation(deps: ActorDeps, input: unknown): Promise<OfferNegotiationView> {
  const { actor, db } = deps;
  assertBuyerCan(actor, "read:rfqs:org");
  const raw = (input ?? {}) as GetOfferNegotiationInput;
  const rfqId = existingId(raw.rfqId, "RFQ");
  const offerId = existingId(raw.offerId, "Offer");
  const rfq = await buyerRfq(db, actor.organizationId, rfqId);
  if (!buyerSeesOffers(rfq.status, rfq.sealing)) throw notFound("Offer");
  const offerRow = await db
    .selectFrom("offers as o")
    .innerJoin("organizations as s", "s.id", "o.seller_id")
    .select(["o.id", "o.status", "o.revision", "o.seller_id", "o.currency", "s.name", "s.status as seller_status"])
    .where("o.id", "=", offerId)
    .where("o.rfq_id", "=", rfq.id)
    .executeTakeFirst();
  // A sealed RFQ's withdrawn offer never reached the buyer (only the final offers are opened).
  if (!offerRow || (offerRow.status === "withdrawn" && rfq.sealing === "sealed")) throw notFound("Offer");
  const rfqLines = await rfqLinesOf(db, rfq.id);
  const now = await dbNow(db);
  const counters = await countersOf(db, offerRow, rfq, rfqLines, now);
  const [offer, receipts, awardInForce, unlisted] = await Promise.all([
    offerView(db, offerRow.id, rfqLines),
    receiptsOf(db, offerRow.id, rfqLines),
    hasLiveAward(db, rfq.id),
    outsideShortlist(db, rfq.id, offerRow.seller_id),
  ]);

  let blockedBy: string | null = null;
  if (!can(actor.organizationKind, actor.role, "award:rfq:org")) blockedBy = "counter.not_permitted";
  else if (!rfqTakesCounters(rfq.status, rfq.sealing)) blockedBy = "counter.rfq_not_negotiable";
  else if (awardInForce) blockedBy = "counter.award_in_force";
  else if (offerRow.status === "withdrawn") blockedBy = "counter.offer_withdrawn";
  else if (unlisted) blockedBy = "counter.not_shortlisted";
  else if (offerRow.seller_status !== "active") blockedBy = "counter.seller_inactive";
  else if (counters.some((c) => c.status === "pending")) blockedBy = "counter.pending_exists";

  return {
    rfq: {
      id: rfq.id,
      reference: rfqReference(rfq.number),
      title: rfq.title,
      status: rfq.status,
      sealing: rfq.sealing,
      currency: rfq.currency,
      deadline: rfq.deadline ? rfq.deadline.toISOString() : null,
      closedAt: rfq.closed_at ? rfq.closed_at.toISOString() : null,
    },
    seller: { id: offerRow.seller_id, name: offerRow.name },
    offer,
    counters,
    timeline: timelineOf(counters, receipts),
    serverNow: now.toISOString(),
    canCounter: blockedBy === null,
    counterBlockedBy: blockedBy,
    latestRespondBy: new Date(now.getTime() + COUNTER_MAX_RESPONSE_DAYS * 86_400_000).toISOString(),
  };
}
