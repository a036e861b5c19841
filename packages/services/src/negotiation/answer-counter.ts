import { sql } from "kysely";
import { z } from "zod";
import { withTransaction, type CounterStatus as CounterStatusColumn } from "@souk/db";
import {
  applyCounterTerms,
  conflict,
  extendedDeadline,
  isCounterAnswer,
  linesTotal,
  mergeRevision,
  moveCounter,
  notFound,
  validateCounterRevision,
  validateDeclineReason,
  validationError,
  type CounterAnswer,
  type NegotiatedLine,
} from "@souk/domain";
import { writeOutbox } from "@souk/jobs";
import { recordAudit } from "../audit/record-audit";
import type { ActorDeps } from "../deps";
import { formIdOf, nulFieldErrors } from "../input";
import { notifyMembers } from "../notifications/notify-members";
import { sellerShortlisted } from "../rfq/access";
import { parseOffer } from "../rfq/seller/offer-input";
import { lockRfqWithOffers, receiptContent } from "../rfq/seller/offer-writes";
import { appendReceipt, type OfferReceipt } from "../rfq/seller/receipts";
import { assertSellerRfqCan, lockTradingSeller, windowInstant } from "../rfq/seller/shared";
import { retryStale } from "../rfq/seller/stale-offer-state";
import { BUYER_NEGOTIATION_ROLES, existingId, hasLiveAward, rfqReference } from "./shared";

/**
 * Input: `{ rfqId, counterId }` from the URL and the form's hidden field; `answer` ("accept",
 * "decline", "revise"); `reason` for a decline; for a revision the offer's lines as the offer form
 * sends them (`lines.<i>.lineId`, `lines.<i>.unitPrice`, `lines.<i>.quantity`).
 */
export const answerCounterSchema = z.looseObject({
  rfqId: z.unknown(),
  counterId: z.unknown(),
  answer: z.unknown(),
  reason: z.unknown().optional(),
});
export type AnswerCounterInput = z.input<typeof answerCounterSchema>;

export interface AnswerCounterResult {
  counterId: string;
  status: "accepted" | "declined" | "revised";
  /** The offer's revision the answer produced (accepted or revised), with its receipt. */
  revision: number | null;
  receipt: OfferReceipt | null;
}

/** Receipt reasons of the offer changes made by a counter's answer. */
export const COUNTER_RECEIPT_REASONS = { accept: "counter.accepted", revise: "counter.revised" } as const;

/**
 * The seller's answer to a counter-proposal on its own offer, strictly before the counter's
 * deadline (the database clock, read under the RFQ's row lock and compared by PostgreSQL):
 * - accept: the offer's lines take the targets (a new offer revision; its status stays `locked`
 *   after the close, `revised` on an open RFQ; the total recomputed), with a receipt of the chain;
 * - decline: with a reason; the offer does not change;
 * - revise: the seller's own new prices/quantities for any of its offer's lines (checked like an
 *   offer: validateOfferLines), a new offer revision with a receipt.
 *
 * The counter is found by (RFQ, counter, the actor's organisation): an RFQ the seller may not see
 * (the URL) is NOT_FOUND; another seller's counter, one of another RFQ or an unknown one (the form's
 * field) is `counterId`: counter.unknown, the same for each; nothing changes. On an RFQ still open, an accepted or
 * revised offer lands like a revision: inside the anti-sniping window it pushes the deadline
 * (extendedDeadline, the close scheduled again at the new one). A seller off a best-and-final
 * shortlist answers as on a closed RFQ (it sees the RFQ closed, decision 0016). Refused with nothing written: at or after
 * respondBy CONFLICT `counter.expired`; an answered counter `counter.not_pending`; an RFQ that no
 * longer negotiates (awarded, cancelled, in a best-and-final round it is shortlisted for, an award in force)
 * `counter.rfq_not_negotiable` / `counter.award_in_force`; an offer withdrawn or changed otherwise
 * since the counter was made (the counter is superseded) `counter.offer_changed`.
 */
export async function answerCounter(deps: ActorDeps, input: unknown): Promise<AnswerCounterResult> {
  const { actor } = deps;
  assertSellerRfqCan(actor, "submit:offer:org");
  const nul = nulFieldErrors(input);
  if (nul) throw validationError(nul);
  const raw = answerCounterSchema.parse(input ?? {}) as Record<string, unknown>;
  const rfqId = existingId(raw.rfqId, "RFQ");
  // The RFQ is the page's URL; the counter, a field of its answer form (decision 0004's 404 is for the URL).
  const counterId = formIdOf(raw.counterId, "counterId", "counter.unknown");
  if (!isCounterAnswer(raw.answer)) throw validationError({ answer: ["counter.answer_invalid"] });
  const answer: CounterAnswer = raw.answer;
  const reason = typeof raw.reason === "string" ? raw.reason.trim() : "";
  if (answer === "decline") {
    const errors = validateDeclineReason(reason);
    if (Object.keys(errors).length > 0) throw validationError(errors);
  }
  const sellerId = actor.organizationId;

  return retryStale(() =>
    withTransaction(deps.db, async (trx) => {
      await lockTradingSeller(trx, actor, "submit:offer:org");
      const locked = await lockRfqWithOffers(trx, rfqId, [sellerId], { visibleTo: sellerId });
      if (!locked) throw notFound("RFQ");
      const { rfq } = locked;
      // The seller's own counter on this RFQ only, row-locked, with the clock read now (after the RFQ's lock).
      const { rows } = await sql<{ id: string; offer_id: string; status: CounterStatusColumn; respond_by: Date; offer_revision: number; round: number; now: Date; in_time: boolean }>`
        select oc.id, oc.offer_id, oc.status, oc.respond_by, oc.offer_revision, oc.round, c.now, c.now < oc.respond_by as in_time
        from offer_counters oc cross join (select clock_timestamp() as now) c
        where oc.id = ${counterId} and oc.rfq_id = ${rfqId} and oc.seller_id = ${sellerId}
        for update of oc`.execute(trx);
      const counter = rows[0];
      if (!counter) throw validationError({ counterId: ["counter.unknown"] });
      const now = windowInstant(counter.now, counter.in_time, counter.respond_by);
      const status = moveCounter(counter.status, answer, { now, respondBy: counter.respond_by }) as AnswerCounterResult["status"];
      // A seller off a best-and-final shortlist sees the RFQ closed (sellerFacingStatus): its counter
      // is answered as on a closed RFQ, so that no refusal tells it of the round (decision 0016).
      // Its offer is out of the final comparison: nothing of the round changes.
      const negotiable = rfq.status === "closed" || rfq.status === "open" || (rfq.status === "final_round" && !(await sellerShortlisted(trx, rfq.id, sellerId)));
      if (!negotiable) throw conflict("counter.rfq_not_negotiable", { _form: ["counter.rfq_not_negotiable"] });
      // An open RFQ whose deadline has come is about to close: no offer changes at or after its
      // deadline while it is open (DESIGN §5.1); once closed, the negotiation goes on.
      if (rfq.status === "open" && !locked.beforeDeadline) throw conflict("counter.rfq_closing", { _form: ["counter.rfq_closing"] });
      if (await hasLiveAward(trx, rfq.id)) throw conflict("counter.award_in_force", { _form: ["counter.award_in_force"] });

      // Read after the lock in a statement of its own (the lock's statement reads with its older snapshot).
      const offer = await trx
        .selectFrom("offers")
        .select(["id", "status", "revision", "currency", "lead_time_days", "valid_until", "notes"])
        .where("id", "=", counter.offer_id)
        .where("seller_id", "=", sellerId)
        .executeTakeFirstOrThrow();
      const offerLines = await trx.selectFrom("offer_lines").select(["line_id", "unit_price_minor", "quantity"]).where("offer_id", "=", offer.id).orderBy("line_id").execute();
      const current: NegotiatedLine[] = offerLines.map((l) => ({ lineId: l.line_id, unitPriceMinor: BigInt(l.unit_price_minor), quantity: l.quantity }));
      // The counter was made on this revision of the offer: once the seller changed it otherwise
      // (its offer form on an open RFQ, a withdrawal), the counter is superseded and takes no answer.
      if (offer.status === "withdrawn" || offer.revision !== counter.offer_revision) throw conflict("counter.offer_changed", { _form: ["counter.offer_changed"] });

      const buyerTold = async (revision: number | null, total: bigint) => {
        const seller = await trx.selectFrom("organizations").select("name").where("id", "=", sellerId).executeTakeFirstOrThrow();
        await recordAudit(trx, {
          actor,
          action: `counter.${status}`,
          targetType: "offer_counter",
          targetId: counter.id,
          data: { rfqId, offerId: offer.id, round: counter.round, revision, ...(answer === "decline" ? { reason } : {}) },
        });
        await notifyMembers(trx, {
          organizationId: rfq.buyer_id,
          roles: BUYER_NEGOTIATION_ROLES,
          template: "counter.answered",
          params: (member) => ({
            name: member.name,
            sellerName: seller.name,
            rfqReference: rfqReference(rfq.number),
            rfqTitle: rfq.title,
            round: String(counter.round),
            answer: status,
            ...(answer === "decline" ? { reason } : {}),
            totalMinor: total.toString(),
            currency: offer.currency,
            negotiationUrl: `${deps.publicUrls.buyer}/rfqs/${rfq.id}/offers/${offer.id}`,
          }),
        });
      };

      if (answer === "decline") {
        await trx
          .updateTable("offer_counters")
          .set({ status: "declined", answered_by: actor.userId, answered_at: now, decline_reason: reason })
          .where("id", "=", counter.id)
          .where("status", "=", "pending")
          .execute();
        await buyerTold(null, linesTotal(current));
        return { counterId: counter.id, status, revision: null, receipt: null };
      }

      let lines: NegotiatedLine[];
      if (answer === "accept") {
        const targets = await trx
          .selectFrom("offer_counter_lines")
          .select(["line_id", "target_unit_price_minor", "target_quantity"])
          .where("counter_id", "=", counter.id)
          .execute();
        lines = applyCounterTerms(
          current,
          targets.map((t) => ({ lineId: t.line_id, targetUnitPriceMinor: t.target_unit_price_minor === null ? null : BigInt(t.target_unit_price_minor), targetQuantity: t.target_quantity })),
        );
      } else {
        const rfqLines = await trx.selectFrom("rfq_lines").select(["id", "quantity"]).where("rfq_id", "=", rfq.id).execute();
        // The offer's own terms ride along, so that only its lines are checked (like an offer's: validateOfferLines).
        const parsed = parseOffer(
          { ...raw, leadTimeDays: String(offer.lead_time_days), validUntil: offer.valid_until.toISOString(), notes: offer.notes, currency: offer.currency },
          { currency: rfq.currency, deadline: offer.valid_until, lines: rfqLines },
        );
        const revised = parsed.lines.map((l) => ({ lineId: l.lineId, unitPriceMinor: l.unitPrice.amount, quantity: l.quantity }));
        const errors = validateCounterRevision(current, revised);
        if (Object.keys(errors).length > 0) {
          const mapped: Record<string, string[]> = {};
          for (const [key, messages] of Object.entries(errors)) mapped[key.replace(/^lines\.(\d+)/, (_, j: string) => `lines.${parsed.lines[Number(j)]?.index ?? j}`)] = messages;
          throw validationError(mapped);
        }
        lines = mergeRevision(current, revised);
      }

      const revision = offer.revision + 1;
      const offerStatus = offer.status === "locked" ? "locked" : "revised";
      const total = linesTotal(lines);
      const stored = lines.map((l) => ({ lineId: l.lineId, quantity: l.quantity, unitPriceMinor: l.unitPriceMinor.toString() }));
      // On an RFQ still open the answer changes the offer (and the ranks) like a revision does: the
      // anti-sniping rule applies as in offer-batch.ts, with the close scheduled at the new deadline.
      const extended =
        rfq.status === "open" && rfq.deadline
          ? extendedDeadline({ deadline: new Date(rfq.deadline), submittedAt: now, windowMinutes: rfq.anti_sniping_minutes ?? 0, maxExtensions: rfq.anti_sniping_max ?? 0, extensionsSoFar: rfq.extensions })
          : null;
      if (extended) await writeOutbox(trx, "rfq.close", { rfqId: rfq.id }, { availableAt: extended });
      const receipt = await appendReceipt(trx, {
        rfq: { id: rfq.id, chainHead: rfq.chain_head, chainLength: rfq.chain_length },
        ...(extended ? { rfqChanges: { deadline: extended, extensions: rfq.extensions + 1 } } : {}),
        content: receiptContent(
          rfq.id,
          sellerId,
          { id: offer.id, revision, currency: offer.currency, leadTimeDays: offer.lead_time_days, validUntil: offer.valid_until, notes: offer.notes, lines: stored },
          "revised",
          { code: COUNTER_RECEIPT_REASONS[answer], decisionId: counter.id },
        ),
        recordedAt: now,
        recordedBy: actor.userId,
        alongside: [
          sql`offer as (
            update offers set status = ${offerStatus}, revision = ${revision}, total_minor = ${total.toString()}::bigint, submitted_by = ${actor.userId}, updated_at = ${now}
            where id = ${offer.id} and revision = ${offer.revision} and status = ${offer.status}
            returning id
          )`,
          sql`offer_lines_set as (
            update offer_lines ol set unit_price_minor = v.price, quantity = v.quantity
            from unnest(${stored.map((l) => l.lineId)}::uuid[], ${stored.map((l) => l.unitPriceMinor)}::bigint[], ${stored.map((l) => l.quantity)}::integer[]) as v(line_id, price, quantity)
            where ol.offer_id = ${offer.id} and ol.line_id = v.line_id and exists (select 1 from offer)
            returning ol.line_id
          )`,
          sql`counter_answer as (
            update offer_counters set status = ${status}, answered_by = ${actor.userId}, answered_at = ${now}, answer_revision = ${revision}
            where id = ${counter.id} and status = 'pending' and exists (select 1 from offer)
            returning id
          )`,
        ],
        gatedByOffer: true,
        events: extended ? ["offer", "deadline"] : ["offer"],
      });
      await buyerTold(revision, total);
      return { counterId: counter.id, status, revision, receipt };
    }),
  );
}
