import { sql } from "kysely";
import { z } from "zod";
import { withTransaction } from "@souk/db";
import { DomainError, moveRfq, validateFinalRound, validationError, type FieldErrors, type RfqStatus } from "@souk/domain";
import { recordAudit } from "../../audit/record-audit";
import { assertStillPermitted } from "../../authorization";
import type { ActorDeps } from "../../deps";
import { parseInput } from "../../input";
import { buyerRfq, hasLiveAward } from "../access";
import { publishRfqEvent } from "../live";
import { clockNow } from "../seller/shared";
import { DEFAULT_RFQ_TIME_ZONE, isTimeZone, zonedInstant } from "./rfq-input";
import { assertBuyerRfqCan, refId } from "./shared";
import { notifySellers, scheduleClose } from "./write-rfq";

/** As the RFQ form takes it (rfq-input.ts): to the minute, or to the second. */
const LOCAL_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?$/;

const sellerId = z.string({ error: "rfq.final_seller_not_eligible" }).trim().toLowerCase().pipe(z.uuid({ error: "rfq.final_seller_not_eligible" }));

/**
 * The final-round form: the RFQ (from the URL), the shortlist (`sellerIds`, or the form's repeated
 * `sellerId` checkboxes: pass `form.getAll("sellerId")`), and the round's deadline as the RFQ form
 * takes it (a wall-clock `YYYY-MM-DDTHH:mm[:ss]` in the IANA `timeZone`, UTC by default).
 */
export const openFinalRoundSchema = z.object({
  rfqId: z.unknown(),
  sellerIds: z.preprocess((v) => (v === undefined || v === null || v === "" ? [] : Array.isArray(v) ? v.filter((x) => x !== "") : [v]), z.array(sellerId).max(200, { error: "rfq.final_seller_not_eligible" })).optional(),
  sellerId: z.preprocess((v) => (v === undefined || v === null || v === "" ? [] : Array.isArray(v) ? v.filter((x) => x !== "") : [v]), z.array(sellerId).max(200, { error: "rfq.final_seller_not_eligible" })).optional(),
  deadline: z.preprocess(
    (v) => (typeof v === "string" ? v.trim() : v ?? ""),
    z.string({ error: "rfq.deadline_required" }).min(1, { error: "rfq.deadline_required", abort: true }).regex(LOCAL_DATE_TIME, { error: "rfq.deadline_invalid" }),
  ),
  timeZone: z.preprocess(
    (v) => (typeof v === "string" && v.trim() !== "" ? v.trim() : DEFAULT_RFQ_TIME_ZONE),
    z.string({ error: "rfq.time_zone_invalid" }).refine(isTimeZone, { error: "rfq.time_zone_invalid" }),
  ),
});
export type OpenFinalRoundInput = z.input<typeof openFinalRoundSchema>;

/**
 * The form parsed, its errors on the fields the page shows: a malformed id in the shortlist
 * (zod's `sellerId.0`) is reported on `sellerIds`, like any seller the round cannot take.
 */
function parseFinalRoundForm(input: unknown): z.output<typeof openFinalRoundSchema> {
  try {
    return parseInput(openFinalRoundSchema, input);
  } catch (error) {
    if (!(error instanceof DomainError) || error.code !== "VALIDATION") throw error;
    const errors: FieldErrors = {};
    for (const [key, messages] of Object.entries(error.fieldErrors)) {
      const field = /^sellerIds?(\.\d+)?$/.test(key) ? "sellerIds" : key;
      errors[field] = [...new Set([...(errors[field] ?? []), ...messages])];
    }
    throw validationError(errors);
  }
}

export interface OpenFinalRoundResult {
  rfqId: string;
  status: "final_round";
  /** The round's deadline. */
  deadline: Date;
  /** The first round's deadline, kept. */
  firstDeadline: Date;
  sellerIds: string[];
}

/**
 * The buyer (award:rfq:org) opens the best-and-final round of one of its closed RFQs: a shortlist
 * of sellers with a final offer (locked, seller still active) and a new deadline strictly after
 * the database clock's now (at most FINAL_ROUND_MAX_DAYS ahead). Once per RFQ, never with an award
 * in force (pending approval or approved).
 *
 * Under the RFQ's row lock (the one every offer write, the close and the award take): the first
 * deadline and the first round's anti-sniping count and chain length are kept (first_deadline,
 * first_extensions, first_chain_length: what the sellers off the shortlist keep seeing), the
 * deadline becomes the round's, the extensions start again from zero (the round has the first
 * round's anti-sniping rule), status `final_round`, the shortlist written, the close scheduled at
 * the new deadline through the outbox, the shortlisted offers' pending counter-proposals superseded
 * (a final offer changes in the round by its seller's revision only), the shortlisted sellers told, the live pages
 * told `status`. The sellers off the shortlist are told nothing: for them the RFQ stays closed.
 *
 * Refused with nothing written: another buyer's RFQ (NOT_FOUND), a member without award:rfq:org
 * (FORBIDDEN), an RFQ that is not closed (ILLEGAL_TRANSITION), a second round (CONFLICT
 * `rfq.final_round_used`), an award in force (CONFLICT `rfq.final_round_award_exists`), a bad
 * deadline or shortlist (VALIDATION, see validateFinalRound).
 */
export async function openFinalRound(deps: ActorDeps, input: unknown): Promise<OpenFinalRoundResult> {
  const { actor } = deps;
  assertBuyerRfqCan(actor, "award:rfq:org");
  const rfqId = refId((input as { rfqId?: unknown } | null)?.rfqId, "RFQ");
  const data = parseFinalRoundForm(input);
  const sellerIds = [...new Set([...(data.sellerIds ?? []), ...(data.sellerId ?? [])])].sort();
  const deadline = zonedInstant(data.deadline, data.timeZone);
  if (!deadline) throw validationError({ deadline: ["rfq.deadline_invalid"] });

  return withTransaction(deps.db, async (trx) => {
    await assertStillPermitted(trx, actor, "award:rfq:org");
    const rfq = await buyerRfq(trx, actor.organizationId, rfqId, "no key update");
    // After the lock: the instant the round's deadline is checked against.
    const now = await clockNow(trx);
    moveRfq(rfq.status as RfqStatus, "finalRound", {
      now,
      deadline: rfq.deadline,
      offerCount: 0,
      finalRound: { used: rfq.first_deadline !== null, awardInForce: await hasLiveAward(trx, rfq.id) },
    });
    const eligible = await trx
      .selectFrom("offers as o")
      .innerJoin("organizations as s", "s.id", "o.seller_id")
      .select("o.seller_id")
      .where("o.rfq_id", "=", rfq.id)
      .where("o.status", "=", "locked")
      .where("s.status", "=", "active")
      .execute();
    const errors: FieldErrors = validateFinalRound({ deadline, sellerIds, eligibleSellerIds: eligible.map((e) => e.seller_id), now });
    if (Object.keys(errors).length > 0) throw validationError(errors);

    const firstDeadline = rfq.deadline as Date;
    await trx
      .updateTable("rfqs")
      .set({
        status: "final_round",
        first_deadline: firstDeadline,
        first_extensions: rfq.extensions,
        first_chain_length: rfq.chain_length,
        final_opened_at: now,
        final_opened_by: actor.userId,
        deadline,
        extensions: 0,
        updated_at: now,
        version: sql<number>`version + 1`,
      })
      .where("id", "=", rfq.id)
      .execute();
    await trx
      .insertInto("rfq_final_sellers")
      .values(sellerIds.map((id) => ({ rfq_id: rfq.id, seller_id: id })))
      .execute();
    // A shortlisted seller's counter-proposal still waiting would let its offer change outside the
    // round's rules. The others' keep running on their own deadline (decision 0016): superseding
    // them would tell those sellers of the round.
    await trx.updateTable("offer_counters").set({ status: "superseded" }).where("rfq_id", "=", rfq.id).where("seller_id", "in", sellerIds).where("status", "=", "pending").execute();
    await scheduleClose(trx, rfq.id, deadline);
    await recordAudit(trx, {
      actor,
      action: "rfq.final_round_opened",
      targetType: "rfq",
      targetId: rfq.id,
      data: { firstDeadline: firstDeadline.toISOString(), deadline: deadline.toISOString(), sellerIds },
    });
    await notifySellers(trx, deps, rfq, sellerIds, "rfq.final_round_invited", () => ({ deadline: deadline.toISOString() }));
    await publishRfqEvent(trx, rfq.id, "status");
    return { rfqId: rfq.id, status: "final_round" as const, deadline, firstDeadline, sellerIds };
  });
}
