import { withTransaction } from "@souk/db";
import { sellerCanTrade } from "@souk/domain";
import type { ServiceDeps } from "../../deps";
import { inFinalComparison, sellerShortlisted } from "../access";
import { notifyMembers } from "../../notifications/notify-members";
import { lockRfqForOffer, receiptContent, withdrawalCte } from "./offer-writes";
import { retryStale } from "./stale-offer-state";
import { appendReceipt } from "./receipts";
import { BUYER_RFQ_ROLES, LIVE_OFFER_STATUSES, refId, rfqReference } from "./shared";

export interface WithdrawSuspendedSellerOffersInput {
  sellerId: unknown;
  /** The suspension's `seller_decisions.id`, recorded in each withdrawal receipt. */
  decisionId?: string;
}

/**
 * A shortlisted seller's offer is in competition while a best-and-final round runs, whether it
 * revised it yet (`revised`) or not (`locked`): both are withdrawn, so that the withdrawal tells the
 * buyer of a sealed round nothing of the seller's revisions.
 */
const FINAL_ROUND_OFFER_STATUSES: ("locked" | "revised")[] = ["locked", "revised"];

export interface WithdrawSuspendedSellerOffersResult {
  /** The RFQs on which an offer was withdrawn by this run. */
  rfqIds: string[];
}

/**
 * The RFQ side of a seller's suspension (consumer "rfqs" of `seller.suspended`): every live offer
 * of the seller on an RFQ that is open, and its offer on an RFQ in a best-and-final round it is
 * shortlisted for (locked or revised: see FINAL_ROUND_OFFER_STATUSES), whose deadline has not come
 * is withdrawn, each with its
 * withdrawal receipt in the RFQ's chain (kind `withdrawn`, with the reason and the decision), and
 * the buyer of each RFQ is told (the seller is named only on an open, not sealed, RFQ).
 *
 * Idempotent and order-proof (docs/events.md): it reads the seller's status when it runs, not the
 * event's kind, so a second run finds nothing live, and a late event handled after the seller was
 * reinstated finds it active and withdraws nothing. Offers on RFQs past their deadline are left to
 * the close, which locks them (no withdrawal commits at or after a deadline, whoever asks).
 * Each RFQ is handled in its own transaction, under the seller's row lock then the RFQ's, the
 * order every offer write takes.
 */
export async function withdrawSuspendedSellerOffers(deps: ServiceDeps, input: WithdrawSuspendedSellerOffersInput): Promise<WithdrawSuspendedSellerOffersResult> {
  const sellerId = refId(input.sellerId, "Seller");
  const candidates = await deps.db
    .selectFrom("offers as o")
    .innerJoin("rfqs as r", "r.id", "o.rfq_id")
    .select("o.rfq_id")
    .where("o.seller_id", "=", sellerId)
    .where((eb) =>
      eb.or([
        eb.and([eb("r.status", "=", "open"), eb("o.status", "in", [...LIVE_OFFER_STATUSES])]),
        eb.and([eb("r.status", "=", "final_round"), eb("o.status", "in", FINAL_ROUND_OFFER_STATUSES), inFinalComparison("o")]),
      ]),
    )
    .orderBy("o.rfq_id")
    .execute();
  const withdrawn: string[] = [];
  for (const { rfq_id: rfqId } of candidates) {
    const done = await retryStale(() =>
      withTransaction(deps.db, async (trx) => {
        const seller = await trx.selectFrom("organizations").select(["status", "name"]).where("id", "=", sellerId).forShare().executeTakeFirst();
        if (!seller || sellerCanTrade(seller.status)) return false;
        // The seller is no longer active, so it may see no RFQ: locked by id.
        const state = await lockRfqForOffer(trx, rfqId, sellerId);
        if (!state || (state.rfq.status !== "open" && state.rfq.status !== "final_round")) return false;
        const { rfq, offer } = state;
        if (!state.beforeDeadline || !offer) return false;
        if (rfq.status === "open" && offer.status !== "submitted" && offer.status !== "revised") return false;
        // After the lock, in a statement of its own (the shortlist is written under that lock).
        if (rfq.status === "final_round" && (!(FINAL_ROUND_OFFER_STATUSES as readonly string[]).includes(offer.status) || !(await sellerShortlisted(trx, rfqId, sellerId)))) return false;

        await appendReceipt(trx, {
          rfq: { id: rfqId, chainHead: rfq.chain_head, chainLength: rfq.chain_length },
          content: receiptContent(rfqId, sellerId, offer, "withdrawn", { code: "seller.suspended", ...(input.decisionId ? { decisionId: input.decisionId } : {}) }),
          recordedAt: state.now,
          recordedBy: null,
          alongside: [withdrawalCte(offer.id, state.now, { revision: offer.revision, status: offer.status })],
          gatedByOffer: true,
          events: ["offer"],
        });
        await notifyMembers(trx, {
          organizationId: rfq.buyer_id,
          roles: BUYER_RFQ_ROLES,
          template: "rfq.offer_withdrawn.suspended",
          params: (member) => ({
            name: member.name,
            rfqNumber: rfqReference(rfq.number),
            rfqTitle: rfq.title,
            rfqUrl: `${deps.publicUrls.buyer}/rfqs/${rfq.id}`,
            // A sealed RFQ's buyer must not learn who had offered before the deadline.
            ...(rfq.sealing === "open" ? { sellerName: seller.name } : {}),
          }),
        });
        return true;
      }),
    );
    if (done) withdrawn.push(rfqId);
  }
  return { rfqIds: withdrawn };
}
