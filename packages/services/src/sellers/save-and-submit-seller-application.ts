import { withTransaction } from "@souk/db";
import { validationError } from "@souk/domain";
import type { ActorDeps } from "../deps";
import { assertSellerCan, lockSellerForChange, parseApplication, writeApplication, type ApplicationFields, type SellerApplicationInput } from "./shared";
import { errorsOf, parseAnswer, recordSubmission, submissionMove, type SubmitSellerApplicationInput, type SubmitSellerApplicationResult } from "./submission";

export type SaveAndSubmitSellerApplicationInput = SellerApplicationInput & SubmitSellerApplicationInput;

/**
 * The application form's "submit" button: saves the fields and submits them in one transaction
 * (see saveSellerApplication and submitSellerApplication). The fields are checked as a submission
 * (every required field, ≥ 1 category, and the answer when resubmitting), every problem reported at
 * once; on any error nothing is written, not even the draft, and the form comes back as typed.
 */
export async function saveAndSubmitSellerApplication(deps: ActorDeps, input: unknown): Promise<SubmitSellerApplicationResult> {
  const { actor } = deps;
  assertSellerCan(actor, "manage:application:org");
  let fields: ApplicationFields | null = null;
  const fieldErrors = errorsOf(() => (fields = parseApplication("submission", input)));
  const answer = parseAnswer(input);
  return withTransaction(deps.db, async (trx) => {
    const seller = await lockSellerForChange(trx, actor);
    const move = submissionMove(seller);
    const errors = { ...fieldErrors, ...answer.errors };
    if (move === "resubmit" && answer.value === "" && !errors.answer) errors.answer = ["application.answer.required"];
    if (!fields || Object.keys(errors).length > 0) throw validationError(errors);
    await writeApplication(trx, actor.organizationId, fields);
    return recordSubmission(trx, deps, seller, move, answer.value);
  });
}
