import { z } from "zod";
import { withTransaction } from "@souk/db";
import { conflict } from "@souk/domain";
import { recordAudit } from "../audit/record-audit";
import { assertStillPermitted } from "../authorization";
import type { ActorDeps } from "../deps";
import { parseInput } from "../input";
import { assertParticipantCan, CONVERSATION_LIMITS, participantConversation } from "./shared";

export const reportConversationSchema = z.object({
  conversationId: z.unknown(),
  reason: z
    .string({ error: "conversation.report_reason_required" })
    .trim()
    .min(1, { error: "conversation.report_reason_required", abort: true })
    .max(CONVERSATION_LIMITS.reasonMax, { error: "conversation.report_reason_too_long" }),
});
export type ReportConversationInput = z.input<typeof reportConversationSchema>;

/**
 * A participant (write:conversations:org) reports a thread to the marketplace's moderators, with a
 * reason: from then on a moderator may read it (audited). The report is audited
 * (`conversation.reported`). Once per organisation: a second report of the same thread by the same
 * organisation is CONFLICT `conversation.already_reported`, nothing written. A thread of others is NOT_FOUND.
 */
export async function reportConversation(deps: ActorDeps, input: unknown): Promise<{ reportId: string }> {
  const { actor } = deps;
  const side = assertParticipantCan(actor, "write:conversations:org");
  const data = parseInput(reportConversationSchema, input);
  return withTransaction(deps.db, async (trx) => {
    await assertStillPermitted(trx, actor, "write:conversations:org");
    const conversation = await participantConversation(trx, actor, side, data.conversationId);
    // One report per thread and organisation (a unique index): a second, even at the same moment, is refused.
    const row = await trx
      .insertInto("conversation_reports")
      .values({ conversation_id: conversation.id, reported_by_org: actor.organizationId, reported_by: actor.userId, reason: data.reason })
      .onConflict((oc) => oc.columns(["conversation_id", "reported_by_org"]).doNothing())
      .returning("id")
      .executeTakeFirst();
    if (!row) throw conflict("conversation.already_reported", { _form: ["conversation.already_reported"] });
    await recordAudit(trx, { actor, action: "conversation.reported", targetType: "conversation", targetId: conversation.id, data: { reportId: row.id, reason: data.reason } });
    return { reportId: row.id };
  });
}
