import { sql } from "kysely";
import { z } from "zod";
import type { Db } from "@souk/db";
import { conflict, isDomainError, moveSeller, type FieldErrors, type SellerStatus } from "@souk/domain";
import { recordAudit } from "../audit/record-audit";
import type { ActorDeps } from "../deps";
import { fieldErrorsOf } from "../input";
import { applicationLocked, type LockedSeller } from "./shared";

/** The steps of a submission, shared by submitSellerApplication and saveAndSubmitSellerApplication. */

export const ANSWER_MAX = 2000;

export const submitSellerApplicationSchema = z.object({
  /** The seller's answer to the operator's question: required when resubmitting. */
  answer: z.preprocess(
    (v) => (v === undefined || v === null ? "" : v),
    z
      .string({ error: "application.answer.invalid" })
      .transform((v) => v.replace(/\r\n?/g, "\n").trim())
      .refine((v) => v.length <= ANSWER_MAX, { error: "application.answer.too_long" }),
  ),
});
export type SubmitSellerApplicationInput = z.input<typeof submitSellerApplicationSchema>;

export interface SubmitSellerApplicationResult {
  move: "submit" | "resubmit";
  status: SellerStatus;
  submittedAt: Date;
}

/** The answer field, parsed without throwing, so that its problems join the other fields'. */
export function parseAnswer(input: unknown): { value: string; errors: FieldErrors } {
  const result = submitSellerApplicationSchema.safeParse(input ?? {});
  return result.success ? { value: result.data.answer, errors: {} } : { value: "", errors: fieldErrorsOf(result.error) };
}

/** The field errors a parse throws (none when it succeeds); other errors propagate. */
export function errorsOf(parse: () => unknown): FieldErrors {
  try {
    parse();
  } catch (error) {
    if (isDomainError(error) && error.code === "VALIDATION") return { ...error.fieldErrors };
    throw error;
  }
  return {};
}

/**
 * Which move a submission is, in the seller's current (locked) status: the first submission of a
 * draft, or the resubmission after more information was requested. Anything else is refused with a
 * message about the whole form.
 */
export function submissionMove(seller: LockedSeller): "submit" | "resubmit" {
  if (seller.status === "info_requested") return "resubmit";
  if (seller.status !== "pending") throw applicationLocked();
  // Pending is also the status of a submitted application waiting for review.
  if (seller.application?.submitted_at) throw conflict("application.already_submitted", { _form: ["application.already_submitted"] });
  return "submit";
}

/** Records a checked submission: the application stamped, the organisation pending, the move kept and audited. */
export async function recordSubmission(trx: Db, deps: ActorDeps, seller: LockedSeller, move: "submit" | "resubmit", answer: string): Promise<SubmitSellerApplicationResult> {
  const { actor, request } = deps;
  const to = moveSeller(seller.status, move);
  const { submitted_at: submittedAt } = await trx
    .updateTable("seller_applications")
    .set({ submitted_at: sql<Date>`now()`, updated_at: sql<Date>`now()` })
    .where("organization_id", "=", actor.organizationId)
    .returning("submitted_at")
    .executeTakeFirstOrThrow();
  await trx.updateTable("organizations").set({ status: to, updated_at: sql<Date>`now()` }).where("id", "=", actor.organizationId).execute();
  const decision = await trx
    .insertInto("seller_decisions")
    .values({
      organization_id: actor.organizationId,
      move,
      from_status: seller.status,
      to_status: to,
      message: answer === "" ? null : answer,
      actor_user_id: actor.userId,
      actor_organization_id: actor.organizationId,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await recordAudit(trx, {
    actor,
    action: move === "resubmit" ? "seller.application_resubmitted" : "seller.application_submitted",
    targetType: "organization",
    targetId: actor.organizationId,
    ip: request.ip,
    data: { decisionId: decision.id, from: seller.status, to, ...(answer ? { answer } : {}) },
  });
  return { move, status: to, submittedAt: submittedAt as Date };
}
