import { z } from "zod";
import { can, sellerFacingStatus } from "@souk/domain";
import type { ActorDeps } from "../deps";
import { dbNow } from "../clock";
import { sellerRfq, sellerShortlisted } from "../rfq/access";
import { assertSellerRfqCan, rfqIdOf } from "../rfq/seller/shared";
import { countersOf, hasLiveAward, offerView, receiptsOf, rfqLinesOf, rfqReference, timelineOf, type CounterView, type NegotiationOfferView, type TimelineEntry } from "./shared";

export const getSellerNegotiationSchema = z.object({ rfqId: z.unknown() });
export type GetSellerNegotiationInput = z.input<typeof getSellerNegotiationSchema>;

export interface SellerNegotiationView {
  rfq: { id: string; reference: string; title: string; buyerName: string; status: string; sealing: "sealed" | "open"; currency: string; deadline: string | null };
  /** The seller's own offer (null: it made none, so nothing is negotiated). */
  offer: NegotiationOfferView | null;
  /** Its counters, newest round first. */
  counters: CounterView[];
  /** Rounds and its offer's receipts, oldest first. */
  timeline: TimelineEntry[];
  serverNow: string;
  /** Whether this member may answer a pending counter now (the deadline of each is its own). */
  canAnswer: boolean;
  /** Why not, as a message key, when the RFQ no longer negotiates. */
  answerBlockedBy: string | null;
}

/**
 * The seller's negotiation page of one RFQ: its own offer as it stands, the counters the buyer sent
 * to it (never another seller's: they are found by the seller organisation), each with its lines,
 * message, deadline and answer, and the timeline of rounds and its offer's receipts. An RFQ the
 * seller may not see is NOT_FOUND.
 *
 * A best-and-final round is shown as it is to the seller (sellerFacingStatus): open with the
 * round's deadline to a shortlisted seller, and to every other one closed with the first round's
 * deadline, exactly as the first close left it (decision 0016): nothing here tells it of the round.
 */
export async function getSellerNegotiation(deps: ActorDeps, input: unknown): Promise<SellerNegotiationView> {
  const { actor, db } = deps;
  assertSellerRfqCan(actor, "read:rfq-inbox:org");
  const rfqId = rfqIdOf(input);
  const sellerId = actor.organizationId;
  const rfq = await sellerRfq(db, sellerId, rfqId);
  const hadFinalRound = rfq.first_deadline !== null;
  const shortlisted = hadFinalRound && (await sellerShortlisted(db, rfq.id, sellerId));
  const status = sellerFacingStatus(rfq.status, shortlisted);
  const deadline = hadFinalRound && !shortlisted ? rfq.first_deadline : rfq.deadline;
  const [buyer, rfqLines, now, own] = await Promise.all([
    db.selectFrom("organizations").select("name").where("id", "=", rfq.buyer_id).executeTakeFirstOrThrow(),
    rfqLinesOf(db, rfq.id),
    dbNow(db),
    db.selectFrom("offers").select(["id", "revision", "status"]).where("rfq_id", "=", rfq.id).where("seller_id", "=", sellerId).executeTakeFirst(),
  ]);
  const [offer, counters, receipts, awardInForce] = own
    ? await Promise.all([offerView(db, own.id, rfqLines), countersOf(db, own, { currency: rfq.currency, status }, rfqLines, now), receiptsOf(db, own.id, rfqLines), hasLiveAward(db, rfq.id)])
    : [null, [], [], false];

  let blockedBy: string | null = null;
  if (!can(actor.organizationKind, actor.role, "submit:offer:org")) blockedBy = "counter.not_permitted";
  // A shortlisted seller changes its offer in the round through its offer form only.
  else if ((status !== "open" && status !== "closed") || (rfq.status === "final_round" && shortlisted)) blockedBy = "counter.rfq_not_negotiable";
  else if (awardInForce) blockedBy = "counter.award_in_force";
  else if (offer?.status === "withdrawn") blockedBy = "counter.offer_changed";

  return {
    rfq: {
      id: rfq.id,
      reference: rfqReference(rfq.number),
      title: rfq.title,
      buyerName: buyer.name,
      status,
      sealing: rfq.sealing,
      currency: rfq.currency,
      deadline: deadline ? deadline.toISOString() : null,
    },
    offer,
    counters,
    timeline: timelineOf(counters, receipts),
    serverNow: now.toISOString(),
    canAnswer: blockedBy === null && counters.some((c) => c.status === "pending"),
    answerBlockedBy: blockedBy,
  };
}
