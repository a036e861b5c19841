import type { Db } from "@souk/db";
import { can, forbidden, type Actor, type Permission } from "@souk/domain";

/**
 * Re-checks, inside a decision's transaction, that the actor still holds `permission`: the actor
 * was read when the request started, and an administrator may have changed or removed their role
 * since. The membership row stays share-locked until the transaction ends, so a role change waits
 * for the decision (or the decision sees the change).
 */
export async function assertStillPermitted(db: Db, actor: Actor, permission: Permission): Promise<void> {
  const membership = await db
    .selectFrom("memberships as m")
    .innerJoin("organizations as o", "o.id", "m.organization_id")
    .select(["m.role", "o.kind", "o.status"])
    .where("m.organization_id", "=", actor.organizationId)
    .where("m.user_id", "=", actor.userId)
    .forShare("m")
    .executeTakeFirst();
  if (!membership || membership.status !== "active" || !can(membership.kind, membership.role, permission)) {
    throw forbidden(`Missing permission ${permission}`);
  }
}
