import { z } from "zod";
import { withTransaction } from "@souk/db";
import { validationError } from "@souk/domain";
import { assertStillPermitted } from "../../authorization";
import type { ActorDeps } from "../../deps";
import { deadlineErrors, mergeErrors, parseRfqForm, rfqFormSchema, rfqReferenceErrors } from "./rfq-input";
import { assertBuyerRfqCan, dbNow } from "./shared";
import { publishLocked, rfqColumns, writeInvitations, writeLines } from "./write-rfq";

/** What the form's two buttons ask: keep it as a draft, or publish it at once. */
export const RFQ_SAVE_INTENTS = ["draft", "publish"] as const;
export type RfqSaveIntent = (typeof RFQ_SAVE_INTENTS)[number];

export const createRfqSchema = rfqFormSchema.extend({
  intent: z.enum(RFQ_SAVE_INTENTS, { error: "rfq.intent_invalid" }).optional(),
});
/** The form's fields (see rfq-input.ts: lines as `lines.<i>.<field>`, `invitedSellerIds` one or many). */
export type CreateRfqInput = z.input<typeof createRfqSchema> & Record<string, unknown>;

export function saveIntentOf(input: unknown): RfqSaveIntent {
  const raw = input && typeof input === "object" ? (input as Record<string, unknown>).intent : undefined;
  if (raw === undefined || raw === null || raw === "") return "draft";
  if (typeof raw === "string" && (RFQ_SAVE_INTENTS as readonly string[]).includes(raw)) return raw as RfqSaveIntent;
  throw validationError({ _form: ["rfq.intent_invalid"] });
}

/**
 * A new RFQ of the actor's buyer organisation, saved as a draft or published at once. Every
 * problem of the form is reported at once (its fields, an unknown category, an invited
 * organisation that is not an active seller, a linked listing the buyer may not see, a deadline
 * not ahead of the database clock) and nothing is written unless there is none.
 */
export async function createRfq(deps: ActorDeps, input: unknown): Promise<{ id: string; status: "draft" | "open" }> {
  const { actor } = deps;
  assertBuyerRfqCan(actor, "create:rfq:org");
  const intent = saveIntentOf(input);
  const parsed = parseRfqForm(input);
  const buyerId = actor.organizationId;

  return withTransaction(deps.db, async (trx) => {
    await assertStillPermitted(trx, actor, "create:rfq:org");
    const now = await dbNow(trx);
    const references = await rfqReferenceErrors(trx, buyerId, parsed.refs);
    const errors = mergeErrors(parsed.errors, references.errors, deadlineErrors(parsed.deadline, now, intent === "publish"));
    if (!parsed.fields || Object.keys(errors).length > 0) throw validationError(errors);
    const fields = parsed.fields;

    const rfq = await trx
      .insertInto("rfqs")
      .values({ buyer_id: buyerId, created_by: actor.userId, source_listing_id: references.sourceListingId, ...rfqColumns(fields), created_at: now, updated_at: now })
      .returningAll()
      .executeTakeFirstOrThrow();
    await writeLines(trx, rfq.id, fields.lines);
    await writeInvitations(trx, rfq.id, fields.invitedSellerIds);
    if (intent === "publish") {
      await publishLocked(trx, deps, rfq, now);
      return { id: rfq.id, status: "open" as const };
    }
    return { id: rfq.id, status: "draft" as const };
  });
}
