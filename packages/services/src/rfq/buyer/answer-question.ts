import { z } from "zod";
import { withTransaction } from "@souk/db";
import { conflict, validationError } from "@souk/domain";
import { assertStillPermitted } from "../../authorization";
import type { ActorDeps } from "../../deps";
import { formIdOf, parseInput } from "../../input";
import { publishRfqEvent } from "../live";
import { assertBuyerRfqCan, dbNow } from "./shared";
import { notifySellers } from "./write-rfq";

export const RFQ_ANSWER_MAX = 4_000;

export const answerQuestionSchema = z.object({
  questionId: z.unknown(),
  answer: z.preprocess(
    (v) => (typeof v === "string" ? v.trim() : v ?? ""),
    z.string({ error: "rfq.answer_required" }).min(1, { error: "rfq.answer_required", abort: true }).max(RFQ_ANSWER_MAX, { error: "rfq.answer_too_long" }),
  ),
  visibility: z.preprocess((v) => (typeof v === "string" ? v.trim() : v), z.enum(["private", "public"], { error: "rfq.answer_visibility_invalid" })),
});
export type AnswerQuestionInput = z.input<typeof answerQuestionSchema>;

/**
 * The buyer answers a seller's question on one of its open RFQs, once: privately (only the asking
 * seller sees the answer and is told) or to every participant (the answer is shown to, and every
 * invited seller, every seller with an offer and every seller that asked is told). The live pages
 * hear `answer`. The question is a field of the answer form: one of another buyer's RFQ, or an
 * unknown one, is `questionId`: rfq.question_unknown (the same for both); an answered one, or one
 * of an RFQ that is no longer open, is a CONFLICT.
 */
export async function answerQuestion(deps: ActorDeps, input: unknown): Promise<{ id: string; visibility: "private" | "public" }> {
  const { actor } = deps;
  assertBuyerRfqCan(actor, "create:rfq:org");
  const questionId = formIdOf((input as { questionId?: unknown } | null)?.questionId, "questionId", "rfq.question_unknown");
  const { answer, visibility } = parseInput(answerQuestionSchema, input);

  return withTransaction(deps.db, async (trx) => {
    await assertStillPermitted(trx, actor, "create:rfq:org");
    const question = await trx
      .selectFrom("rfq_questions as q")
      .innerJoin("rfqs as r", "r.id", "q.rfq_id")
      .select(["q.id", "q.rfq_id", "q.seller_id", "q.question", "q.answer", "r.status", "r.number", "r.title", "r.buyer_id"])
      .where("q.id", "=", questionId)
      .where("r.buyer_id", "=", actor.organizationId)
      .forUpdate("q")
      .executeTakeFirst();
    if (!question) throw validationError({ questionId: ["rfq.question_unknown"] });
    if (question.answer !== null) throw conflict("rfq.question_already_answered", { _form: ["rfq.question_already_answered"] });
    if (question.status !== "open") throw conflict("rfq.question_rfq_not_open", { _form: ["rfq.question_rfq_not_open"] });
    const now = await dbNow(trx);
    await trx
      .updateTable("rfq_questions")
      .set({ answer, answer_visibility: visibility, answered_by: actor.userId, answered_at: now })
      .where("id", "=", question.id)
      .execute();

    const rfq = { id: question.rfq_id, number: question.number, title: question.title, buyer_id: question.buyer_id };
    let sellerIds: string[] = [question.seller_id];
    if (visibility === "public") {
      const rows = await trx
        .selectFrom("rfq_invitations")
        .select("seller_id")
        .where("rfq_id", "=", rfq.id)
        .union(trx.selectFrom("offers").select("seller_id").where("rfq_id", "=", rfq.id))
        .union(trx.selectFrom("rfq_questions").select("seller_id").where("rfq_id", "=", rfq.id))
        .execute();
      sellerIds = [...new Set(rows.map((r) => r.seller_id))];
    }
    await notifySellers(trx, deps, rfq, sellerIds, "rfq.answered", () => ({ question: question.question, answer, visibility }));
    await publishRfqEvent(trx, rfq.id, "answer");
    return { id: question.id, visibility };
  });
}
