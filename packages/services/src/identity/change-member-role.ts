import { z } from "zod";
import { withTransaction } from "@souk/db";
import { assertCan, validationError, type Role } from "@souk/domain";
import { recordAudit } from "../audit/record-audit";
import type { ActorDeps } from "../deps";
import { idField, parseInput } from "../input";
import { anyRoleField, assertFounderRemains, lockTargetMembership, roleField } from "./shared";

export const changeMemberRoleSchema = z.object({
  membershipId: idField("membershipId"),
  role: anyRoleField,
});
export type ChangeMemberRoleInput = z.input<typeof changeMemberRoleSchema>;

export interface ChangeMemberRoleResult {
  membershipId: string;
  from: Role;
  to: Role;
}

/**
 * Gives a member of the actor's organisation another role of that organisation's kind. The member
 * is chosen in the members page's form: a membership id of another organisation is the field error
 * `membershipId`: membershipId.invalid, exactly like one that does not exist; the last
 * founder-level member (buyer admin, seller owner, operator admin) cannot be demoted.
 */
export async function changeMemberRole(deps: ActorDeps, input: unknown): Promise<ChangeMemberRoleResult> {
  const { actor, request } = deps;
  assertCan(actor, "manage:members:org");
  const data = parseInput(changeMemberRoleSchema.extend({ role: roleField(actor.organizationKind) }), input);

  return withTransaction(deps.db, async (trx) => {
    const { memberships, target } = await lockTargetMembership(trx, actor, data.membershipId, () => validationError({ membershipId: ["membershipId.invalid"] }));
    const from = target.role as Role;
    if (from === data.role) return { membershipId: target.id, from, to: data.role };

    assertFounderRemains(actor.organizationKind, memberships, { id: target.id, newRole: data.role });
    await trx
      .updateTable("memberships")
      .set({ role: data.role })
      .where("id", "=", target.id)
      .where("organization_id", "=", actor.organizationId)
      .execute();
    await recordAudit(trx, {
      actor,
      action: "member.role_changed",
      targetType: "membership",
      targetId: target.id,
      ip: request.ip,
      data: { userId: target.user_id, from, to: data.role },
    });
    return { membershipId: target.id, from, to: data.role };
  });
}
