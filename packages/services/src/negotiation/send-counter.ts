import { sql } from "kysely";
import { z } from "zod";
import { withTransaction } from "@souk/db";
import {
  buyerSeesOffers,
  conflict,
  COUNTER_TEXT_MAX,
  nextCounterRound,
  notFound,
  rfqTakesCounters,
  validateCounterLines,
  validateRespondBy,
  validationError,
  type FieldErrors,
} from "@souk/domain";
import { recordAudit } from "../audit/record-audit";
import { assertStillPermitted } from "../authorization";
import type { ActorDeps } from "../deps";
import { nulFieldErrors } from "../input";
import { notifyMembers } from "../notifications/notify-members";
import { assertBuyerCan } from "../approvals/shared";
import { lockRfqWithOffers } from "../rfq/seller/offer-writes";
import { parseCounterLines, parseRespondBy } from "./counter-input";
import { existingId, hasLiveAward, outsideShortlist, rfqLinesOf, rfqReference, SELLER_RFQ_ROLES } from "./shared";

/**
 * Input: `{ rfqId, offerId }` from the URL; the form's `message`, `respondBy` (+ `timeZone`) and
 * lines (see counter-input.ts). Anything else is ignored.
 */
export const sendCounterSchema = z.looseObject({
  rfqId: z.unknown(),
  offerId: z.unknown(),
  message: z.unknown().optional(),
  respondBy: z.unknown().optional(),
  timeZone: z.unknown().optional(),
});
export type SendCounterInput = z.input<typeof sendCounterSchema>;

export interface SendCounterResult {
  counterId: string;
  round: number;
  respondBy: string;
}

/**
 * The buyer's counter-proposal to one seller's offer: for some of the offer's lines a target unit
 * price and/or quantity, a message and a response deadline. The offer itself does not change (only
 * the seller's acceptance or revision does); the seller is told.
 *
 * Under the RFQ's row lock (the one every offer write, the close and the award take), read with the
 * database clock:
 * - the RFQ is the buyer organisation's and its offers are visible to it (a sealed RFQ's only once
 *   closed), the offer is one of that RFQ's: anything else NOT_FOUND;
 * - the RFQ takes counters (closed, or open with open bidding): else CONFLICT `counter.rfq_not_negotiable`;
 *   no award in force (`counter.award_in_force`), the offer not withdrawn (`counter.offer_withdrawn`),
 *   on the shortlist after a best-and-final round (`counter.not_shortlisted`), the seller active
 *   (`counter.seller_inactive`);
 * - one pending counter per offer: one whose deadline has come is marked expired first, one made on
 *   an earlier revision of the offer superseded; a live one → CONFLICT `counter.pending_exists`;
 * - respondBy strictly after the database clock's now and at most 30 days ahead; the lines a subset
 *   of the offer's, with valid targets (domain validateCounterLines): else VALIDATION.
 */
export async function sendCounter(deps: ActorDeps, input: unknown): Promise<SendCounterResult> {
  const { actor } = deps;
  assertBuyerCan(actor, "award:rfq:org");
  const nul = nulFieldErrors(input);
  if (nul) throw validationError(nul);
  const raw = sendCounterSchema.parse(input ?? {}) as Record<string, unknown>;
  const rfqId = existingId(raw.rfqId, "RFQ");
  const offerId = existingId(raw.offerId, "Offer");
  const message = typeof raw.message === "string" ? raw.message.trim() : "";

  return withTransaction(deps.db, async (trx) => {
    await assertStillPermitted(trx, actor, "award:rfq:org");
    // Which seller the offer is (of an RFQ of this buyer), before the lock: the lock then reads it again.
    const target = await trx
      .selectFrom("offers as o")
      .innerJoin("rfqs as r", "r.id", "o.rfq_id")
      .select(["o.seller_id"])
      .where("o.id", "=", offerId)
      .where("o.rfq_id", "=", rfqId)
      .where("r.buyer_id", "=", actor.organizationId)
      .executeTakeFirst();
    if (!target) throw notFound("Offer");
    const sellerId = target.seller_id;

    const locked = await lockRfqWithOffers(trx, rfqId, [sellerId]);
    if (!locked || locked.rfq.buyer_id !== actor.organizationId) throw notFound("Offer");
    const { rfq, now } = locked;
    if (!buyerSeesOffers(rfq.status, rfq.sealing)) throw notFound("Offer");
    // Read after the lock in a statement of its own: the lock's statement reads with the snapshot it started with.
    const offer = await trx.selectFrom("offers").select(["id", "status", "revision", "currency"]).where("id", "=", offerId).where("rfq_id", "=", rfqId).executeTakeFirst();
    if (!offer) throw notFound("Offer");
    if (offer.status === "withdrawn") {
      if (rfq.sealing === "sealed") throw notFound("Offer");
      throw conflict("counter.offer_withdrawn", { _form: ["counter.offer_withdrawn"] });
    }
    if (!rfqTakesCounters(rfq.status, rfq.sealing)) throw conflict("counter.rfq_not_negotiable", { _form: ["counter.rfq_not_negotiable"] });
    if (await hasLiveAward(trx, rfq.id)) throw conflict("counter.award_in_force", { _form: ["counter.award_in_force"] });
    if (await outsideShortlist(trx, rfq.id, sellerId)) throw conflict("counter.not_shortlisted", { _form: ["counter.not_shortlisted"] });
    // A seller that is not active (suspended) cannot answer: a counter would only lapse.
    const seller = await trx.selectFrom("organizations").select("status").where("id", "=", sellerId).executeTakeFirst();
    if (seller?.status !== "active") throw conflict("counter.seller_inactive", { _form: ["counter.seller_inactive"] });

    // One pending counter per offer: the one there is may have lapsed (lazily marked here, under the lock).
    const { rows: pending } = await sql<{ id: string; offer_revision: number; past: boolean }>`
      select oc.id, oc.offer_revision, c.now >= oc.respond_by as past
      from offer_counters oc cross join (select clock_timestamp() as now) c
      where oc.offer_id = ${offerId} and oc.status = 'pending'
      for update of oc`.execute(trx);
    for (const p of pending) {
      if (p.past) await trx.updateTable("offer_counters").set({ status: "expired" }).where("id", "=", p.id).where("status", "=", "pending").execute();
      else if (p.offer_revision !== offer.revision) await trx.updateTable("offer_counters").set({ status: "superseded" }).where("id", "=", p.id).where("status", "=", "pending").execute();
      else throw conflict("counter.pending_exists", { _form: ["counter.pending_exists"] });
    }

    const errors: FieldErrors = {};
    const respondBy = parseRespondBy(raw, errors);
    if (respondBy) Object.assign(errors, validateRespondBy(respondBy, now));
    if ([...message].length > COUNTER_TEXT_MAX) errors["message"] = ["counter.message_too_long"];
    const parsed = parseCounterLines(raw, rfq.currency, errors);
    const [rfqLines, offerLines] = await Promise.all([
      rfqLinesOf(trx, rfq.id),
      trx.selectFrom("offer_lines").select(["line_id", "unit_price_minor", "quantity"]).where("offer_id", "=", offerId).execute(),
    ]);
    const current = offerLines.map((l) => ({ lineId: l.line_id, unitPriceMinor: BigInt(l.unit_price_minor), quantity: l.quantity }));
    const lineErrors = validateCounterLines({ rfqLines, offerLines: current }, parsed);
    for (const [key, messages] of Object.entries(lineErrors)) {
      // The domain numbers the countered lines; the form numbers every offer line.
      const field = key.replace(/^lines\.(\d+)/, (_, j: string) => `lines.${parsed[Number(j)]?.index ?? j}`);
      // A target that could not be read already has its error; "no target" would only repeat it.
      if (/^lines\.\d+$/.test(field) && Object.keys(errors).some((k) => k.startsWith(`${field}.`))) continue;
      const list = (errors[field] ??= []);
      for (const m of messages) if (!list.includes(m)) list.push(m);
    }
    if (Object.keys(errors).length > 0 || !respondBy) throw validationError(errors);

    const last = await trx.selectFrom("offer_counters").select((eb) => eb.fn.max("round").as("round")).where("offer_id", "=", offerId).executeTakeFirst();
    const round = nextCounterRound(last?.round ?? null);
    const counter = await trx
      .insertInto("offer_counters")
      .values({
        rfq_id: rfq.id,
        offer_id: offerId,
        seller_id: sellerId,
        buyer_id: rfq.buyer_id,
        round,
        message,
        respond_by: respondBy,
        offer_revision: offer.revision,
        created_by: actor.userId,
        created_at: now,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    const byLine = new Map(current.map((l) => [l.lineId, l]));
    await trx
      .insertInto("offer_counter_lines")
      .values(
        parsed.map((l) => {
          const before = byLine.get(l.lineId)!;
          return {
            counter_id: counter.id,
            rfq_id: rfq.id,
            line_id: l.lineId,
            previous_unit_price_minor: before.unitPriceMinor.toString(),
            previous_quantity: before.quantity,
            target_unit_price_minor: l.targetUnitPriceMinor === null ? null : l.targetUnitPriceMinor.toString(),
            target_quantity: l.targetQuantity,
          };
        }),
      )
      .execute();
    await recordAudit(trx, {
      actor,
      action: "counter.sent",
      targetType: "offer_counter",
      targetId: counter.id,
      data: { rfqId: rfq.id, offerId, sellerId, round, respondBy: respondBy.toISOString(), lines: parsed.length },
    });
    const buyer = await trx.selectFrom("organizations").select("name").where("id", "=", rfq.buyer_id).executeTakeFirstOrThrow();
    await notifyMembers(trx, {
      organizationId: sellerId,
      roles: SELLER_RFQ_ROLES,
      template: "counter.received",
      params: (member) => ({
        name: member.name,
        buyerName: buyer.name,
        rfqReference: rfqReference(rfq.number),
        rfqTitle: rfq.title,
        round: String(round),
        lineCount: String(parsed.length),
        respondBy: respondBy.toISOString(),
        ...(message ? { message } : {}),
        negotiationUrl: `${deps.publicUrls.seller}/rfqs/${rfq.id}/negotiation`,
      }),
    });
    return { counterId: counter.id, round, respondBy: respondBy.toISOString() };
  });
}
