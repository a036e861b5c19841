import { sql } from "kysely";
import { z } from "zod";
import { withTransaction, type Db } from "@souk/db";
import { moveSeller, notFound, SELLER_DECISIONS, SELLER_TRANSITIONS, validationError, type SellerDecision, type SellerStatus } from "@souk/domain";
import { writeOutbox } from "@souk/jobs";
import { recordAudit } from "../audit/record-audit";
import type { ActorDeps } from "../deps";
import { emptyToUndefined, parseInput } from "../input";
import { notifyMembers } from "../notifications/notify-members";
import { assertReviewer, DECISION_AUDIT_ACTION, existingId, notSubmitted } from "./shared";
import { assertStillPermitted } from "../authorization";

export const DECISION_MESSAGE_MAX = 2_000;


export const decideSellerSchema = z.object({
  organizationId: z.unknown(),
  decision: z.preprocess(
    (v) => (typeof v === "string" ? v.trim() : v),
    z.enum(SELLER_DECISIONS, { error: (issue) => (issue.input === undefined || issue.input === "" ? "decision.required" : "decision.invalid") }),
  ),
  /** The reason (reject, suspend) or the question (request_info); optional for the others. */
  message: z.preprocess(
    emptyToUndefined,
    z.string({ error: "decision.message_invalid" }).trim().max(DECISION_MESSAGE_MAX, { error: "decision.message_too_long" }).optional(),
  ),
});
export type DecideSellerInput = z.input<typeof decideSellerSchema>;

export interface DecideSellerResult {
  organizationId: string;
  decision: SellerDecision;
  from: SellerStatus;
  to: SellerStatus;
  /** The seller_decisions row: the id the events carry. */
  decisionId: string;
  /** Owners told by e-mail and in the app. */
  notified: number;
}

/** The error of a decision whose required message is missing: asking for information needs a question, the others a reason. */
function messageRequired(decision: SellerDecision) {
  return validationError({ message: [decision === "request_info" ? "decision.question_required" : "decision.reason_required"] });
}

/**
 * An operator's decision on a seller: approve, reject, request more information, suspend,
 * reinstate. In one transaction, with the seller's organisation row locked so that two operators
 * deciding at once take turns (the second sees the first's result and its move may have become
 * illegal): the status changes, the decision joins the seller's history, the audit log records it
 * with the reason, every owner of the seller is told by e-mail (outbox) and in the app, and a
 * suspension or reinstatement publishes its domain event (outbox, docs/events.md). Nothing of this
 * happens without the rest.
 */
export async function decideSeller(deps: ActorDeps, input: unknown): Promise<DecideSellerResult> {
  const { actor, request } = deps;
  assertReviewer(actor);
  const data = parseInput(decideSellerSchema, input);
  const organizationId = existingId(data.organizationId, "Seller");
  const decision = data.decision;
  const message = data.message ?? null;
  if (SELLER_TRANSITIONS[decision].requiresMessage && !message) throw messageRequired(decision);

  return withTransaction(deps.db, async (trx) => {
    const seller = await trx
      .selectFrom("organizations as o")
      .leftJoin("seller_applications as a", "a.organization_id", "o.id")
      .select(["o.id", "o.name", "o.status", "a.submitted_at as submittedAt"])
      .where("o.id", "=", organizationId)
      .where("o.kind", "=", "seller")
      .forUpdate("o")
      .executeTakeFirst();
    if (!seller) throw notFound("Seller");
    await assertStillPermitted(trx, actor, "review:sellers:any");

    const from = seller.status as SellerStatus;
    const to = moveSeller(from, decision);
    if (from === "pending" && !seller.submittedAt) throw notSubmitted();

    await trx.updateTable("organizations").set({ status: to, updated_at: sql<Date>`now()` }).where("id", "=", seller.id).execute();
    const row = await trx
      .insertInto("seller_decisions")
      .values({
        organization_id: seller.id,
        move: decision,
        from_status: from,
        to_status: to,
        message,
        actor_user_id: actor.userId,
        actor_organization_id: actor.organizationId,
      })
      .returning(["id", "created_at"])
      .executeTakeFirstOrThrow();
    const decisionId = String(row.id);
    const at = row.created_at.toISOString();

    await recordAudit(trx, {
      actor,
      organizationId: seller.id,
      action: DECISION_AUDIT_ACTION[decision],
      targetType: "organization",
      targetId: seller.id,
      ip: request.ip,
      reason: message,
      data: { decisionId, decision, from, to, organizationName: seller.name },
    });

    const notified = await notifyOwners(trx, deps.publicUrls.seller, { organizationId: seller.id, organizationName: seller.name, decision, message });

    if (decision === "suspend") {
      await writeOutbox(trx, "seller.suspended", { organizationId: seller.id, decisionId, reason: message ?? "", at });
    } else if (decision === "reinstate") {
      await writeOutbox(trx, "seller.reinstated", { organizationId: seller.id, decisionId, at });
    }

    return { organizationId: seller.id, decision, from, to, decisionId, notified };
  });
}

/** Every owner of the seller gets the decision by e-mail and in the app, each in their own language. */
async function notifyOwners(
  db: Db,
  sellerAppUrl: string,
  decided: { organizationId: string; organizationName: string; decision: SellerDecision; message: string | null },
): Promise<number> {
  return notifyMembers(db, {
    organizationId: decided.organizationId,
    roles: ["owner"],
    template: `seller.decision.${decided.decision}`,
    params: (owner) => ({
      name: owner.name,
      organizationName: decided.organizationName,
      applicationUrl: `${sellerAppUrl}/application`,
      ...(decided.message ? { message: decided.message } : {}),
    }),
  });
}
