import { z } from "zod";
import { withTransaction } from "@souk/db";
import { DomainError, isCurrency, money, validateAward, validationError, wholeOfferAllocations, type Allocation, type AwardOffer, type FieldErrors } from "@souk/domain";
import { recordAudit } from "../audit/record-audit";
import { assertStillPermitted } from "../authorization";
import type { ActorDeps } from "../deps";
import { emptyToUndefined, parseInput } from "../input";
import { buyerRfq, inFinalComparison } from "../rfq/access";
import { publishRfqEvent } from "../rfq/live";
import { finalizeAward } from "./finalize-award";
import { requireApproval } from "./gate";
import { assertBuyerCan, existingId, isUniqueViolation, rfqReference } from "./shared";

/**
 * The award form, in either encoding:
 * - structured: `{ rfqId, mode: "whole", offerIds: [...] }` or `{ rfqId, mode: "lines", allocations: [{ lineId, offerId, quantity }] }`;
 * - as posted by the comparison page (no JS): `mode=whole` + repeated `offerId` (pass `form.getAll("offerId")`),
 *   or `mode=lines` + one field `qty.<lineId>.<offerId>` per cell (empty or 0 = not awarded); `note` in both.
 * A route can pass `{ ...Object.fromEntries(form), offerId: form.getAll("offerId"), rfqId }`.
 */
const QTY_FIELD = /^qty\.([^.]+)\.([^.]+)$/;

const uuidField = (message: string) => z.string({ error: message }).trim().toLowerCase().pipe(z.uuid({ error: message }));

// A checkbox sent once arrives as a string, several times as a list; an id that is no UUID cannot be an offer.
const idList = z.preprocess((v) => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]), z.array(uuidField("award.offer_unknown")));

export const awardRfqSchema = z
  .looseObject({
    // The RFQ comes from the URL: anything but a UUID is NOT_FOUND (checked by the use case), not a field error.
    rfqId: z.unknown(),
    mode: z.enum(["whole", "lines"], { error: "award.mode_invalid" }),
    offerIds: idList.optional(),
    offerId: idList.optional(),
    allocations: z
      .array(
        z.object({
          lineId: uuidField("award.allocation_invalid"),
          offerId: uuidField("award.allocation_invalid"),
          quantity: z.coerce.number({ error: "award.quantity_not_positive" }),
        }),
      )
      .optional(),
    note: z.preprocess(emptyToUndefined, z.string({ error: "award.note_invalid" }).trim().max(2000, { error: "award.note_too_long" }).optional()),
  })
  .transform((data, ctx) => {
    const offerIds = [...new Set([...(data.offerIds ?? []), ...(data.offerId ?? [])])];
    const allocations: { lineId: string; offerId: string; quantity: number }[] = [...(data.allocations ?? [])];
    // The comparison page may carry both kinds of fields: only the chosen mode's count.
    for (const [key, raw] of data.mode === "lines" ? Object.entries(data) : []) {
      const match = QTY_FIELD.exec(key);
      if (!match) continue;
      const value = emptyToUndefined(raw);
      if (value === undefined) continue;
      const text = String(value).trim();
      if (!/^\d+$/.test(text)) {
        ctx.addIssue({ code: "custom", path: [key], message: "award.quantity_not_positive" });
        continue;
      }
      const quantity = Number(text);
      if (quantity === 0) continue;
      const lineId = match[1]!.toLowerCase();
      const offerId = match[2]!.toLowerCase();
      if (!z.uuid().safeParse(lineId).success || !z.uuid().safeParse(offerId).success) {
        ctx.addIssue({ code: "custom", path: [key], message: "award.allocation_invalid" });
        continue;
      }
      allocations.push({ lineId, offerId, quantity });
    }
    return { rfqId: data.rfqId, mode: data.mode, offerIds, allocations, note: data.note ?? "" };
  });
export type AwardRfqInput = z.input<typeof awardRfqSchema>;

export interface AwardRfqResult {
  awardId: string;
  status: "approved" | "pending_approval";
  orderIds: string[];
}

/**
 * Awards a closed RFQ: whole offers, or quantities per line split across sellers, with a note.
 * Checked against the RFQ's final (locked) offers by the domain's validateAward: a line is never
 * awarded beyond its quantity nor an offer beyond what it offered; any refusal comes back as field
 * errors and writes nothing. The RFQ row is locked for the whole transaction, so two awards of the
 * same RFQ run one after the other and the second finds the first (CONFLICT
 * `award.already_awarded`); the partial unique index on awards is the backstop. Then the approval
 * gate: a rule of the buyer organisation reached → the award waits for an approver; else it is
 * final now (orders placed, sellers told).
 */
export async function awardRfq(deps: ActorDeps, input: unknown): Promise<AwardRfqResult> {
  const { actor } = deps;
  assertBuyerCan(actor, "award:rfq:org");
  const data = parseInput(awardRfqSchema, input);
  const rfqId = existingId(data.rfqId, "RFQ");
  try {
    return await withTransaction(deps.db, async (trx) => {
      await assertStillPermitted(trx, actor, "award:rfq:org");
      const rfq = await buyerRfq(trx, actor.organizationId, rfqId, "update");
      if (rfq.status === "awarded") throw alreadyAwarded();
      if (rfq.status !== "closed") throw new DomainError("CONFLICT", "award.rfq_not_closed", { _form: ["award.rfq_not_closed"] });
      const live = await trx.selectFrom("awards").select("id").where("rfq_id", "=", rfq.id).where("status", "<>", "rejected").executeTakeFirst();
      if (live) throw alreadyAwarded();
      if (!isCurrency(rfq.currency)) throw new DomainError("INVARIANT", `RFQ ${rfq.id} has an unsupported currency`);
      const currency = rfq.currency;

      const lines = await trx.selectFrom("rfq_lines").select(["id", "quantity"]).where("rfq_id", "=", rfq.id).orderBy("position").execute();
      // Only final offers count: a withdrawn one, or one that never reached the close, is not an offer
      // of this award; after a best-and-final round, only the shortlist's.
      const offerRows = await trx
        .selectFrom("offers")
        .select(["id", "seller_id", "currency"])
        .where("rfq_id", "=", rfq.id)
        .where("status", "=", "locked")
        .where(inFinalComparison("offers"))
        .orderBy("id")
        .forShare()
        .execute();
      const offerLines = offerRows.length === 0 ? [] : await trx.selectFrom("offer_lines").select(["offer_id", "line_id", "quantity", "unit_price_minor"]).where("rfq_id", "=", rfq.id).where("offer_id", "in", offerRows.map((o) => o.id)).execute();
      const offers: AwardOffer[] = offerRows.map((o) => ({
        offerId: o.id,
        sellerId: o.seller_id,
        lines: offerLines.filter((l) => l.offer_id === o.id).map((l) => ({ lineId: l.line_id, quantity: l.quantity, unitPrice: money(BigInt(l.unit_price_minor), isCurrency(o.currency) ? o.currency : currency) })),
      }));

      const allocations = data.mode === "whole" ? wholeOfferAllocations(offers, data.offerIds) : data.allocations;
      const result = validateAward({ currency, lines, offers }, allocations);
      if (!result.ok) throw validationError(formErrors(data.mode, allocations, result.fieldErrors));

      const award = await trx
        .insertInto("awards")
        .values({ rfq_id: rfq.id, buyer_id: rfq.buyer_id, status: "pending_approval", currency, total_minor: result.total.amount.toString(), note: data.note, created_by: actor.userId })
        .returning("id")
        .executeTakeFirstOrThrow();
      const sellerOf = new Map(offers.map((o) => [o.offerId, o.sellerId]));
      await trx
        .insertInto("award_lines")
        .values(
          result.orders.flatMap((order) =>
            order.lines.map((l) => ({
              award_id: award.id,
              rfq_id: rfq.id,
              line_id: l.lineId,
              offer_id: l.offerId,
              seller_id: sellerOf.get(l.offerId)!,
              quantity: l.quantity,
              unit_price_minor: l.unitPrice.amount.toString(),
            })),
          ),
        )
        .execute();
      await recordAudit(trx, {
        actor,
        action: "award.created",
        targetType: "award",
        targetId: award.id,
        data: { rfqId: rfq.id, mode: data.mode, currency, totalMinor: result.total.amount.toString(), sellers: result.orders.map((o) => o.sellerId) },
      });

      const approval = await requireApproval(trx, {
        buyerOrganizationId: rfq.buyer_id,
        subjectKind: "award",
        subjectId: award.id,
        currency,
        amountMinor: result.total.amount,
        requestedBy: actor.userId,
        title: `${rfqReference(rfq.number)} · ${rfq.title}`,
        buyerUrl: deps.publicUrls.buyer,
      });
      await publishRfqEvent(trx, rfq.id, "award");
      if (approval) return { awardId: award.id, status: "pending_approval" as const, orderIds: [] };
      const { orderIds } = await finalizeAward(trx, award.id, { publicUrls: deps.publicUrls, actor });
      return { awardId: award.id, status: "approved" as const, orderIds };
    });
  } catch (error) {
    // Only reachable if a write got past the row lock (it cannot, today): the index still decides.
    if (isUniqueViolation(error, "awards_one_live_key")) throw alreadyAwarded();
    throw error;
  }
}

const alreadyAwarded = () => new DomainError("CONFLICT", "award.already_awarded", { _form: ["award.already_awarded"] });

/**
 * The domain's errors name allocations by index; the form names its fields: per-line quantities
 * are `qty.<lineId>.<offerId>` (the cell the buyer typed in), whole offers are `offerIds`.
 */
function formErrors(mode: "whole" | "lines", allocations: readonly Allocation[], errors: FieldErrors): FieldErrors {
  const out: FieldErrors = {};
  const push = (key: string, messages: readonly string[]) => {
    const list = (out[key] ??= []);
    for (const m of messages) if (!list.includes(m)) list.push(m);
  };
  for (const [key, messages] of Object.entries(errors)) {
    const match = /^allocations\.(\d+)\./.exec(key);
    const allocation = match ? allocations[Number(match[1])] : undefined;
    if (!allocation) push(key, messages);
    else if (mode === "whole") push("offerIds", messages);
    else push(`qty.${allocation.lineId}.${allocation.offerId}`, messages);
  }
  return out;
}
