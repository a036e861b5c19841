import { withTransaction } from "@souk/db";
import { validationError } from "@souk/domain";
import type { ActorDeps } from "../deps";
import { assertSellerCan, categoryIdsOf, fieldsOf, lockSellerForChange, parseApplication } from "./shared";
import {
  ANSWER_MAX,
  errorsOf,
  parseAnswer,
  recordSubmission,
  submissionMove,
  submitSellerApplicationSchema,
  type SubmitSellerApplicationInput,
  type SubmitSellerApplicationResult,
} from "./submission";

export { ANSWER_MAX, submitSellerApplicationSchema, type SubmitSellerApplicationInput, type SubmitSellerApplicationResult };

/**
 * Sends the saved application to the Souk team: `submit` the first time, `resubmit` with the
 * seller's answer after the operator asked for more information. Every required field and at
 * least one category must be there (field errors otherwise, nothing written). The organisation
 * goes (back) to pending, the application is stamped as submitted and locked until the next
 * decision; the move is kept in seller_decisions and in the audit log.
 */
export async function submitSellerApplication(deps: ActorDeps, input: unknown): Promise<SubmitSellerApplicationResult> {
  const { actor } = deps;
  assertSellerCan(actor, "manage:application:org");
  const answer = parseAnswer(input);
  return withTransaction(deps.db, async (trx) => {
    const seller = await lockSellerForChange(trx, actor);
    const move = submissionMove(seller);
    const stored = fieldsOf(seller.application, seller.application ? await categoryIdsOf(trx, actor.organizationId) : []);
    const errors = { ...errorsOf(() => parseApplication("submission", stored)), ...answer.errors };
    if (move === "resubmit" && answer.value === "" && !errors.answer) errors.answer = ["application.answer.required"];
    if (Object.keys(errors).length > 0) throw validationError(errors);
    return recordSubmission(trx, deps, seller, move, answer.value);
  });
}
