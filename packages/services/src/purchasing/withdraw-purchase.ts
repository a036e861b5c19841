import { z } from "zod";
import { sql } from "kysely";
import { withTransaction } from "@souk/db";
import { DomainError, forbidden, notFound } from "@souk/domain";
import { recordAudit } from "../audit/record-audit";
import { assertStillPermitted } from "../authorization";
import type { ActorDeps } from "../deps";
import { parseInput } from "../input";
import { addToCartLines, assertBuyer, cartOf, existingId } from "./shared";

export const withdrawPurchaseSchema = z.object({ purchaseId: z.unknown() });

/**
 * "Change it": the member who checked out a purchase that still waits for approval takes it back.
 * Its lines return to their cart (added to what is there; a line whose listing was deleted since is
 * dropped), the purchase is `withdrawn`, and so is its pending approval: closed now, by no decider
 * (decided_by null, no comment: the pages say who withdrew it, in the reader's language), so no
 * approver can decide it any more. The audit log records it as approval.withdrawn.
 *
 * Another buyer's purchase is NOT_FOUND; another member's is FORBIDDEN; one that no longer waits is
 * a CONFLICT (purchase.not_pending). Nothing changes on any error.
 */
export async function withdrawPurchase(deps: ActorDeps, input: unknown): Promise<{ purchaseId: string; restoredLines: number }> {
  const { actor } = deps;
  assertBuyer(actor, "create:order:org");
  const purchaseId = existingId(parseInput(withdrawPurchaseSchema, input).purchaseId, "Purchase");
  return withTransaction(deps.db, async (trx) => {
    await assertStillPermitted(trx, actor, "create:order:org");
    // The approval first, then the purchase: the order decideApproval locks them in, so a withdrawal
    // and a decision at the same moment wait for each other instead of deadlocking.
    await trx
      .selectFrom("approvals")
      .select("id")
      .where("subject_kind", "=", "purchase")
      .where("subject_id", "=", purchaseId)
      .where("buyer_id", "=", actor.organizationId)
      .where("status", "=", "pending")
      .forUpdate()
      .execute();
    const purchase = await trx.selectFrom("purchases").selectAll().where("id", "=", purchaseId).where("buyer_id", "=", actor.organizationId).forUpdate().executeTakeFirst();
    if (!purchase) throw notFound("Purchase");
    if (purchase.placed_by !== actor.userId) throw forbidden("purchase.withdraw_own_only");
    if (purchase.status !== "pending_approval") throw new DomainError("CONFLICT", "purchase.not_pending", { _form: ["purchase.not_pending"] });

    const approvals = await trx
      .updateTable("approvals")
      .set({ status: "withdrawn", decided_at: sql<Date>`now()`, decided_by: null, comment: "" })
      .where("subject_kind", "=", "purchase")
      .where("subject_id", "=", purchase.id)
      .where("buyer_id", "=", actor.organizationId)
      .where("status", "=", "pending")
      .returning(["id", "currency", "amount_minor"])
      .execute();
    await trx.updateTable("purchases").set({ status: "withdrawn", decided_at: sql<Date>`now()` }).where("id", "=", purchase.id).execute();

    const lines = await trx.selectFrom("purchase_lines").select(["listing_id", "quantity"]).where("purchase_id", "=", purchase.id).where("buyer_id", "=", actor.organizationId).orderBy("position").execute();
    const back = lines.flatMap((l) => (l.listing_id ? [{ listingId: l.listing_id, quantity: l.quantity }] : []));
    const cartId = await cartOf(trx, actor, { lock: true });
    await addToCartLines(trx, cartId, actor.organizationId, back, "_form");

    for (const approval of approvals) {
      await recordAudit(trx, {
        actor,
        action: "approval.withdrawn",
        targetType: "approval",
        targetId: approval.id,
        data: { subjectKind: "purchase", subjectId: purchase.id, currency: approval.currency, amountMinor: approval.amount_minor },
      });
    }
    return { purchaseId: purchase.id, restoredLines: back.length };
  });
}
