import { z } from "zod";
import { withTransaction } from "@souk/db";
import { assertCan, notFound } from "@souk/domain";
import { recordAudit } from "../audit/record-audit";
import type { ActorDeps } from "../deps";
import { idField, parseInput } from "../input";
import { assertFounderRemains, assertStillManager, lockOrganizationMemberships } from "./shared";

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
    const memberships = await lockOrganizationMemberships(trx, actor.organizationId);
    assertStillManager(actor.organizationKind, memberships, actor.userId);
    const target = memberships.find((m) => m.id === data.membershipId);
    if (!target) throw notFound("Membership");
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
