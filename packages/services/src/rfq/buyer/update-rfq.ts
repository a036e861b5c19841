import { sql } from "kysely";
import { z } from "zod";
import { withTransaction } from "@souk/db";
import { conflict, validationError } from "@souk/domain";
import { assertStillPermitted } from "../../authorization";
import type { ActorDeps } from "../../deps";
import { buyerRfq } from "../access";
import { publishRfqEvent } from "../live";
import { RFQ_SAVE_INTENTS, saveIntentOf } from "./create-rfq";
import { deadlineErrors, mergeErrors, parseRfqForm, rfqFormSchema, rfqReferenceErrors } from "./rfq-input";
import { assertBuyerRfqCan, dbNow, refId } from "./shared";
import { assertRfqEditable, notifySellers, publishLocked, rfqColumns, scheduleClose, writeInvitations, writeLines } from "./write-rfq";

export const updateRfqSchema = rfqFormSchema.extend({
  rfqId: z.string(),
  intent: z.enum(RFQ_SAVE_INTENTS).optional(),
  /** The version the form was read at: a save over someone else's newer one is refused. */
  version: z.string().optional(),
});
export type UpdateRfqInput = z.input<typeof updateRfqSchema> & Record<string, unknown>;

/**
 * Replaces the fields of one of the buyer's RFQs: a draft always; an open one only while it has
 * no live offer and its deadline has not come (assertRfqEditable). The version goes up. When
 * an open RFQ's deadline changes, a new closing job is scheduled at the new deadline (the old one
 * finds the RFQ not due and does nothing) and the live pages hear `deadline`; sellers invited by
 * this edit are told. `intent: "publish"` publishes a draft in the same transaction.
 * Another buyer's RFQ is NOT_FOUND; a refused edit changes nothing.
 */
export async function updateRfq(deps: ActorDeps, input: unknown): Promise<{ id: string; status: "draft" | "open"; version: number }> {
  const { actor } = deps;
  assertBuyerRfqCan(actor, "create:rfq:org");
  const raw = input && typeof input === "object" ? (input as Record<string, unknown>) : {};
  const rfqId = refId(raw.rfqId, "RFQ");
  const intent = saveIntentOf(input);
  const expectedVersion = typeof raw.version === "string" && /^\d{1,9}$/.test(raw.version) ? Number(raw.version) : null;
  const parsed = parseRfqForm(input);
  const buyerId = actor.organizationId;

  return withTransaction(deps.db, async (trx) => {
    await assertStillPermitted(trx, actor, "create:rfq:org");
    // FOR UPDATE: an offer takes the row FOR NO KEY UPDATE, so an edit and an offer take turns and
    // the offer count read below stays true until this transaction ends.
    const rfq = await buyerRfq(trx, buyerId, rfqId, "update");
    const now = await dbNow(trx);
    await assertRfqEditable(trx, rfq, now);
    if (expectedVersion !== null && expectedVersion !== rfq.version) throw conflict("rfq.version_conflict", { _form: ["rfq.version_conflict"] });

    const publishing = intent === "publish" && rfq.status === "draft";
    const references = await rfqReferenceErrors(trx, buyerId, parsed.refs);
    const errors = mergeErrors(parsed.errors, references.errors, deadlineErrors(parsed.deadline, now, rfq.status === "open" || publishing));
    if (!parsed.fields || Object.keys(errors).length > 0) throw validationError(errors);
    const fields = parsed.fields;

    const updated = await trx
      .updateTable("rfqs")
      .set({ ...rfqColumns(fields), updated_at: now, version: sql<number>`version + 1` })
      .where("id", "=", rfq.id)
      .where("buyer_id", "=", buyerId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await writeLines(trx, rfq.id, fields.lines);
    const invited = await writeInvitations(trx, rfq.id, fields.invitedSellerIds);

    if (rfq.status === "open" && fields.deadline) {
      const deadline = fields.deadline;
      if (rfq.deadline?.getTime() !== deadline.getTime()) {
        await scheduleClose(trx, rfq.id, deadline);
        await publishRfqEvent(trx, rfq.id, "deadline");
      }
      await notifySellers(trx, deps, updated, invited, "rfq.invited", () => ({ deadline: deadline.toISOString() }));
    }
    if (publishing) {
      const published = await publishLocked(trx, deps, updated, now);
      return { id: rfq.id, status: "open" as const, version: published.version };
    }
    return { id: rfq.id, status: updated.status === "open" ? ("open" as const) : ("draft" as const), version: updated.version };
  });
}
