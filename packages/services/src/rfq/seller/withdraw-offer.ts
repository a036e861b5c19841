import { withTransaction } from "@souk/db";
import { assertOfferWindow, conflict, moveOffer, notFound, offerRoundOf, type RfqStatus } from "@souk/domain";
import { sellerShortlisted } from "../access";
import type { ActorDeps } from "../../deps";
import { lockRfqForOffer, receiptContent, withdrawalCte } from "./offer-writes";
import { retryStale } from "./stale-offer-state";
import { appendReceipt, type OfferReceipt } from "./receipts";
import { assertSellerRfqCan, lockTradingSeller, rfqIdOf, windowInstant } from "./shared";

export interface WithdrawOfferInput {
  rfqId: unknown;
}

export interface WithdrawOfferResult {
  offerId: string;
  status: "withdrawn";
  revision: number;
  receipt: OfferReceipt;
}

/**
 * Withdraws the seller's live offer on an RFQ while its window is open, with a receipt that records
 * what was withdrawn. The offer is the seller's own, found by (RFQ, seller): no offer id is taken
 * from the request, so no one can withdraw another seller's. No live offer: NOT_FOUND; at or after
 * the deadline (database clock, under the RFQ's lock): CONFLICT `offer.deadline_passed`.
 * A withdrawal never extends the deadline (anti-sniping is about offers landing late).
 * In a best-and-final round a shortlisted seller competes with its final offer: CONFLICT
 * `offer.final_round_no_withdraw`; a seller off the shortlist gets what a closed RFQ answers
 * (`offer.rfq_not_open`). Nothing is written either way.
 */
export async function withdrawOffer(deps: ActorDeps, input: WithdrawOfferInput): Promise<WithdrawOfferResult> {
  const { actor } = deps;
  assertSellerRfqCan(actor, "submit:offer:org");
  const rfqId = rfqIdOf(input);
  const sellerId = actor.organizationId;
  return retryStale(() =>
    withTransaction(deps.db, async (trx) => {
      await lockTradingSeller(trx, actor, "submit:offer:org");
      const state = await lockRfqForOffer(trx, rfqId, sellerId, { visibleTo: sellerId });
      if (!state) throw notFound("RFQ");
      const { rfq } = state;
      const deadline = rfq.deadline ? new Date(rfq.deadline) : null;
      const now = windowInstant(state.now, state.beforeDeadline, deadline);
      const status = rfq.status as RfqStatus;
      const round = offerRoundOf(status);
      // After the lock, in a statement of its own (see finalShortlist).
      const shortlisted = round === "final" && (await sellerShortlisted(trx, rfqId, sellerId));
      if (shortlisted) throw conflict("offer.final_round_no_withdraw", { offer: ["offer.final_round_no_withdraw"] });
      assertOfferWindow(status, deadline ?? now, now, shortlisted);
      const offer = state.offer;
      if (!offer || offer.status === "withdrawn") throw notFound("Offer");
      moveOffer(offer.status, "withdraw", { now, deadline: deadline as Date });
      const receipt = await appendReceipt(trx, {
        rfq: { id: rfqId, chainHead: rfq.chain_head, chainLength: rfq.chain_length },
        content: receiptContent(rfqId, sellerId, offer, "withdrawn"),
        recordedAt: now,
        recordedBy: actor.userId,
        alongside: [withdrawalCte(offer.id, now, { revision: offer.revision, status: offer.status })],
        gatedByOffer: true,
        events: ["offer"],
      });
      return { offerId: offer.id, status: "withdrawn" as const, revision: offer.revision, receipt };
    }),
  );
}
