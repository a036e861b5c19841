import { z } from "zod";
import { withTransaction } from "@souk/db";
import { assertCan } from "@souk/domain";
import { recordAudit } from "../audit/record-audit";
import type { ActorDeps } from "../deps";
import { idField, parseInput } from "../input";
import { assertFounderRemains, lockTargetMembership } from "./shared";

export const removeMemberSchema = z.object({ membershipId: idField("membershipId") });
export type RemoveMemberInput = z.input<typeof removeMemberSchema>;

/**
 * Removes a member from the actor's organisation and ends their sessions active on it (their
 * sessions on other organisations stay). Another organisation's membership id is NOT_FOUND; the
 * last founder-level member cannot be removed.
 */
export async function removeMember(deps: ActorDeps, input: unknown): Promise<{ membershipId: string; userId: string }> {
  const { actor, request } = deps;
  assertCan(actor, "manage:members:org");
  const data = parseInput(removeMemberSchema, input);

  return withTransaction(deps.db, async (trx) => {
    const { memberships, target } = await lockTargetMembership(trx, actor, data.membershipId);
    assertFounderRemains(actor.organizationKind, memberships, { id: target.id, newRole: null });

    await trx.deleteFrom("memberships").where("id", "=", target.id).where("organization_id", "=", actor.organizationId).execute();
    await trx
      .deleteFrom("sessions")
      .where("user_id", "=", target.user_id)
      .where("active_organization_id", "=", actor.organizationId)
      .execute();
    await recordAudit(trx, {
      actor,
      action: "member.removed",
      targetType: "membership",
      targetId: target.id,
      ip: request.ip,
      data: { userId: target.user_id, role: target.role },
    });
    return { membershipId: target.id, userId: target.user_id };
  });
}
