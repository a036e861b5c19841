import { z } from "zod";
import { withTransaction } from "@souk/db";
import { assertOfferWindow } from "@souk/domain";
import type { ActorDeps } from "../../deps";
import { parseInput } from "../../input";
import { notifyMembers } from "../../notifications/notify-members";
import { sellerRfq } from "../access";
import { publishRfqEvent } from "../live";
import { assertSellerRfqCan, BUYER_RFQ_ROLES, clockAgainstDeadline, lockTradingSeller, rfqIdOf, rfqReference, windowInstant } from "./shared";

export const askQuestionSchema = z.object({
  question: z
    .string({ error: "question.required" })
    .trim()
    .min(1, { error: "question.required", abort: true })
    .max(2_000, { error: "question.too_long" }),
});
export type AskQuestionInput = z.input<typeof askQuestionSchema> & { rfqId: unknown };

export interface AskQuestionResult {
  questionId: string;
}

/**
 * A seller's question on an RFQ it may see, while the RFQ is open and before its deadline (database
 * clock). The buyer's admins and purchasers are told; the live pages hear `question`. Only the
 * asking seller sees its question until the buyer answers it to every participant.
 */
export async function askQuestion(deps: ActorDeps, input: AskQuestionInput): Promise<AskQuestionResult> {
  const { actor } = deps;
  assertSellerRfqCan(actor, "submit:offer:org");
  const rfqId = rfqIdOf(input);
  const { question } = parseInput(askQuestionSchema, input);
  const sellerId = actor.organizationId;
  return withTransaction(deps.db, async (trx) => {
    await lockTradingSeller(trx, actor, "submit:offer:org");
    // Shared: questions do not wait for one another, but the close (and offers) wait for them.
    const rfq = await sellerRfq(trx, sellerId, rfqId, "share");
    const clock = await clockAgainstDeadline(trx, rfqId);
    const deadline = rfq.deadline ? new Date(rfq.deadline) : null;
    const now = windowInstant(clock.now, clock.beforeDeadline, deadline);
    assertOfferWindow(rfq.status, deadline ?? now, now);
    const row = await trx
      .insertInto("rfq_questions")
      .values({ rfq_id: rfqId, seller_id: sellerId, asked_by: actor.userId, question, asked_at: now })
      .returning("id")
      .executeTakeFirstOrThrow();
    await publishRfqEvent(trx, rfqId, "question");
    await notifyMembers(trx, {
      organizationId: rfq.buyer_id,
      roles: BUYER_RFQ_ROLES,
      template: "rfq.question_asked",
      params: (member) => ({
        name: member.name,
        rfqNumber: rfqReference(rfq.number),
        rfqTitle: rfq.title,
        rfqUrl: `${deps.publicUrls.buyer}/rfqs/${rfq.id}`,
        question,
      }),
    });
    return { questionId: row.id };
  });
}
