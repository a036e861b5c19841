import { z } from "zod";
import { sql } from "kysely";
import { withTransaction } from "@souk/db";
import { assertCan, can, forbidden, isCurrency, moveOrder, notFound, parseMoney, validationError, DomainError, type Actor, type Permission } from "@souk/domain";
import { recordAudit } from "../audit/record-audit";
import type { ActorDeps } from "../deps";
import { emptyToUndefined, existingId, normaliseDecimal, parseInput } from "../input";
import { enqueueSettlement, postRefund, postSettlement } from "../money";
import { assertStillPermitted } from "../authorization";
import { recordOrderEvent } from "./order-events";
import { lockOrder, moveState, moveText, notifySide, partiesOf, updateOrder } from "./lifecycle";

export const DISPUTE_RESOLUTIONS = ["release", "partial_refund", "full_refund"] as const;
export type DisputeResolution = (typeof DISPUTE_RESOLUTIONS)[number];

export const resolveDisputeSchema = z.object({
  disputeId: z.unknown(),
  resolution: z.enum(DISPUTE_RESOLUTIONS, { error: "dispute.resolution_invalid" }),
  /** The refund of a partial refund, as typed ("120.50" or "120,50"), in the order's currency. */
  amount: z.preprocess(emptyToUndefined, z.string({ error: "dispute.amount_invalid" }).trim().max(40, { error: "dispute.amount_invalid" }).optional()),
  note: moveText("dispute.note_too_long"),
});
export type ResolveDisputeInput = z.input<typeof resolveDisputeSchema>;

export interface ResolveDisputeResult {
  disputeId: string;
  orderId: string;
  resolution: DisputeResolution;
  /** Minor units refunded to the buyer ("0" for a release). */
  refundMinor: string;
}

/** An operator who resolves disputes (services check it even though routes did). */
export function assertDisputeResolver(actor: Actor): void {
  if (actor.organizationKind !== "operator") throw forbidden("Missing permission resolve:disputes:any");
  assertCan(actor, "resolve:disputes:any");
}

/**
 * A refund is a money movement (a reversing journal): besides resolve:disputes:any it takes the
 * settlement permission (finance, admin). A moderator resolves disputes by releasing only.
 */
export const REFUND_PERMISSION: Permission = "run:settlement:any";

/** Whether the operator may resolve a dispute with a partial or full refund (the dispute page offers those only then). */
export function mayRefund(actor: Actor): boolean {
  return actor.organizationKind === "operator" && can(actor.organizationKind, actor.role, "resolve:disputes:any") && can(actor.organizationKind, actor.role, REFUND_PERMISSION);
}

/**
 * An operator resolves an open dispute, with a note both sides read:
 * - release: the seller is paid in full; the order's settlement is queued if it was frozen before settling;
 * - partial_refund {amount} / full_refund: an order frozen before settling is settled first (in
 *   this transaction), then money posts the refund (a reversing journal, commission given back in
 *   proportion); a full refund is whatever of the order is not refunded yet.
 * A refund also takes run:settlement:any (REFUND_PERMISSION): a moderator asking for one is
 * FORBIDDEN, with nothing written. The order and the dispute rows are locked: a second resolution
 * finds the dispute resolved (CONFLICT). Audited; both sides are told.
 */
export async function resolveDispute(deps: ActorDeps, input: unknown): Promise<ResolveDisputeResult> {
  const { actor } = deps;
  assertDisputeResolver(actor);
  const raw = parseInput(resolveDisputeSchema, input);
  const refunds = raw.resolution !== "release";
  if (refunds) assertCan(actor, REFUND_PERMISSION);
  const disputeId = existingId(raw.disputeId, "Dispute");
  return withTransaction(deps.db, async (trx) => {
    await assertStillPermitted(trx, actor, "resolve:disputes:any");
    if (refunds) await assertStillPermitted(trx, actor, REFUND_PERMISSION);
    const ref = await trx.selectFrom("disputes").select("order_id").where("id", "=", disputeId).executeTakeFirst();
    if (!ref) throw notFound("Dispute");
    const locked = await lockOrder(trx, ref.order_id, { side: "operator" });
    const { order, dispute } = locked;
    if (!dispute || dispute.id !== disputeId) throw new DomainError("INVARIANT", `Dispute ${disputeId} is not its order's dispute`);
    moveOrder(order.status, "resolve_dispute", moveState(locked, "operator"));

    const errors: Record<string, string[]> = {};
    if (raw.note === "") errors.note = ["dispute.note_required"];
    if (!isCurrency(order.currency)) throw new DomainError("INVARIANT", `Order ${order.id} has an unsupported currency`);
    // What the buyer may still get back: the order's total less what was refunded already.
    const settled = await trx.selectFrom("settlements").select("refunded_minor").where("order_id", "=", order.id).executeTakeFirst();
    const refundable = BigInt(order.total_minor) - BigInt(settled?.refunded_minor ?? 0);
    let refund = 0n;
    if (raw.resolution === "partial_refund") {
      if (raw.amount === undefined) errors.amount = ["dispute.amount_required"];
      else {
        const parsed = parseMoney(normaliseDecimal(raw.amount), order.currency);
        if (!parsed || parsed.amount <= 0n) errors.amount = ["dispute.amount_invalid"];
        else if (parsed.amount > refundable) errors.amount = ["dispute.amount_above_refundable"];
        else refund = parsed.amount;
      }
    } else if (raw.resolution === "full_refund") {
      refund = refundable;
      if (refund <= 0n) errors.resolution = ["dispute.nothing_to_refund"];
    }
    if (Object.keys(errors).length > 0) throw validationError(errors);

    // Resolved first: settling below must not find the dispute still open.
    await trx
      .updateTable("disputes")
      .set({ status: "resolved", resolution: raw.resolution, refund_minor: refund.toString(), resolved_by: actor.userId, resolved_at: sql<Date>`now()`, note: raw.note })
      .where("id", "=", dispute.id)
      .execute();
    const settledAlready = order.status === "settled";
    if (raw.resolution === "release") {
      if (!settledAlready) await enqueueSettlement(trx, order.id);
    } else {
      if (!settledAlready) await postSettlement(trx, order.id, { publicUrls: deps.publicUrls });
      await postRefund(trx, { orderId: order.id, disputeId: dispute.id, amountMinor: refund, actorUserId: actor.userId });
    }
    await updateOrder(trx, order.id, {});
    await recordOrderEvent(trx, {
      orderId: order.id,
      buyerId: order.buyer_id,
      sellerId: order.seller_id,
      kind: "dispute_resolved",
      actorUserId: actor.userId,
      actorKind: "operator",
      data: { resolution: raw.resolution, refundMinor: refund.toString(), currency: order.currency, note: raw.note },
    });
    await recordAudit(trx, {
      actor,
      organizationId: order.seller_id,
      action: "dispute.resolved",
      targetType: "dispute",
      targetId: dispute.id,
      reason: raw.note,
      data: { orderId: order.id, buyerId: order.buyer_id, sellerId: order.seller_id, resolution: raw.resolution, refundMinor: refund.toString(), currency: order.currency },
    });
    const parties = await partiesOf(trx, order);
    for (const to of ["buyer", "seller"] as const) {
      await notifySide(trx, deps.publicUrls, {
        order,
        parties,
        to,
        template: "order.dispute_resolved",
        params: (base) => ({ ...base, resolution: raw.resolution, refundMinor: refund.toString(), currency: order.currency, note: raw.note }),
      });
    }
    return { disputeId: dispute.id, orderId: order.id, resolution: raw.resolution, refundMinor: refund.toString() };
  });
}
